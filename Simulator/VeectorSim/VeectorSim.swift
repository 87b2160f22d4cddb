/// The deterministic simulator of the real protocol cores (issue 5).
public enum VeectorSim {}
