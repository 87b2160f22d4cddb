import VeectorIdentity
import VeectorSession

/// What a node puts into its session configuration so peers learn whose device it is and so it
/// refuses revoked devices: its own device certificate (sent in the hello) and the revocations
/// it knows (checked against every certificate a peer presents). From `NodeHome.sessionCredentials`.
public struct SessionCredentials: Sendable, Equatable {
    /// This device's certificate to present, or nil when the home holds no usable one.
    public var certificate: DeviceCertificate?
    /// Every revocation stored in the home.
    public var revocations: RevocationList

    /// Credentials from their parts.
    public init(certificate: DeviceCertificate?, revocations: RevocationList) {
        self.certificate = certificate
        self.revocations = revocations
    }

    /// Our user's public key (nil without a certificate): peers with the same `PeerIdentity.user`
    /// are this user's other devices.
    public var user: [UInt8]? { certificate?.body.userPublicKey }

    /// Puts the certificate and the revocations into `configuration` (the rest is left alone).
    public func apply(to configuration: inout SessionConfiguration) {
        configuration.certificate = certificate?.encoded()
        configuration.revocations = revocations
    }
}

extension NodeHome {
    /// The credentials `veenode start` gives its sessions: of the stored certificates for this
    /// node's device key (issued by `user` when given), the one valid at `now` (Unix seconds) and
    /// not revoked that lasts longest, and every stored revocation. No valid certificate → nil
    /// certificate (an expired one would only get the session refused).
    public func sessionCredentials(now: Int64, user: [UInt8]? = nil) throws(NodeIdentityError) -> SessionCredentials {
        let device = try deviceIdentity().publicKey
        let revocations = try revocations()
        var best: DeviceCertificate?
        for certificate in try certificates() where certificate.body.devicePublicKey == device {
            do { try certificate.verify(now: now, expectedUser: user, expectedDevice: device, revocations: revocations, allowedClockSkew: 0) } catch {
                continue
            }
            if best.map({ certificate.body.expiresAt > $0.body.expiresAt }) ?? true { best = certificate }
        }
        return SessionCredentials(certificate: best, revocations: revocations)
    }
}
