/// Authenticated, encrypted sessions between two node identities, as a sans-I/O core (issue 3).
public enum VeectorSession {}
