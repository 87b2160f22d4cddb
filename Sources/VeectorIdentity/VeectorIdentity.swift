/// Device and user identities, and the certificates a user signs for their devices (issue 3).
public enum VeectorIdentity {}
