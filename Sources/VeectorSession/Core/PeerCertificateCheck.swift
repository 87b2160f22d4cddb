import VeectorIdentity

extension SessionCore {
    /// Checks the certificate a peer presented in its hello: well-formed, signed by the user key it
    /// names, naming exactly `device` (the Ed25519 key the peer proved in the handshake), valid at
    /// `configuration.certificateTime` (± `certificateClockSkew`), and not revoked by
    /// `configuration.revocations`. Returns the parsed certificate, or the close reason.
    func checkPeerCertificate(_ bytes: [UInt8], device: [UInt8]) throws(SessionCloseReason) -> DeviceCertificate {
        guard let now = configuration.certificateTime else {
            throw .local("cannot judge the peer's device certificate: SessionConfiguration.certificateTime is not set; set it to the current Unix time")
        }
        let certificate: DeviceCertificate
        do {
            certificate = try DeviceCertificate(decoding: bytes)
            try certificate.verify(now: now, expectedDevice: device, revocations: configuration.revocations,
                                   allowedClockSkew: configuration.certificateClockSkew)
        } catch {
            throw .certificateRejected(error)
        }
        return certificate
    }
}
