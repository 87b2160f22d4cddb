print("veectordb-bench: not built yet")
