print("sluice-gen: not built yet")
