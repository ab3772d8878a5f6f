// Test support: simulated disk and network, manual clock.
