import VeectorSim
print("veesim: not built yet (issue 5)")
