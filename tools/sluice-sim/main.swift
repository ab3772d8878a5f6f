print("sluice-sim: not built yet")
