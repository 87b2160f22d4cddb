print("veectordb-stress: not built yet")
