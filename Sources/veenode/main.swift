print("veenode: not built yet")
