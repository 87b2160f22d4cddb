import Foundation
import NIOCore
import NIOPosix
import Testing
import VeectorCrypto
import VeectorIdentity
import VeectorSession
@testable import VeectorNet

extension SessionDriverTests {
    @Test("device certificates over TCP: a valid one exposes the user, bad ones are refused with the reason")
    func deviceCertificates() async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let user = UserIdentity.generate()
        func certificate(for key: SigningKeyPair, by issuer: UserIdentity = user, from: Int64 = now - 3600,
                         until: Int64 = now + 86_400) throws -> [UInt8] {
            try issuer.issueCertificate(devicePublicKey: key.publicKey, deviceName: "device", issuedAt: from, expiresAt: until).encoded()
        }
        let serverKey = SigningKeyPair.generate()
        let revokedKey = SigningKeyPair.generate()
        var revocations = RevocationList()
        try revocations.add(user.revoke(devicePublicKey: revokedKey.publicKey, revokedAt: now - 60, reason: "stolen"))
        let serverCertificate = try certificate(for: serverKey)
        let server = try await SessionServer(identity: serverKey) { config in
            config.certificate = serverCertificate
            config.revocations = revocations
        }

        // A valid certificate: each side learns the other's user, and sees one of its own devices.
        let goodKey = SigningKeyPair.generate()
        let good = try await sessionClient(identity: goodKey) { $0.certificate = try! certificate(for: goodKey) }
            .connect(to: server.address, expecting: serverKey.publicKey)
        let accepted = try await server.next()
        #expect(accepted.peer.user == user.publicKey)
        #expect(good.peer.user == user.publicKey)
        #expect(accepted.peer.isDevice(ofUser: user.publicKey))
        try await good.send(Array("mine".utf8))
        var messages = accepted.messages.makeAsyncIterator()
        #expect(try await messages.next() == Array("mine".utf8))

        // Bad certificates: the listener refuses each handshake and keeps the reason.
        let mallory = SigningKeyPair.generate()
        var forged = try certificate(for: mallory)
        forged[forged.count - 48] ^= 1  // a bit of the signature
        let expiredKey = SigningKeyPair.generate()
        let cases: [(SigningKeyPair, [UInt8], (SessionCloseReason) -> Bool)] = [
            (mallory, forged, { $0 == .certificateRejected(.badSignature) }),
            (mallory, try certificate(for: goodKey), {
                if case .certificateRejected(.wrongDevice) = $0 { return true } else { return false } }),
            (expiredKey, try certificate(for: expiredKey, from: now - 86_400, until: now - 3600), {
                if case .certificateRejected(.expired) = $0 { return true } else { return false } }),
            (revokedKey, try certificate(for: revokedKey), { $0 == .certificateRejected(.revoked(revokedAt: now - 60, reason: "stolen")) }),
        ]
        for (index, (key, presented, isExpected)) in cases.enumerated() {
            let client = sessionClient(identity: key) { $0.certificate = presented }
            // The initiator finishes its side before the responder judges message 3; the session then ends.
            if let session = try? await client.connect(to: server.address, expecting: serverKey.publicKey) {
                _ = await session.closeReason()
            }
            #expect(await eventually { server.listener.statistics.failedHandshakes == index + 1 })
            let reason = try #require(server.listener.statistics.lastFailure)
            #expect(isExpected(reason), "case \(index): refused with \(reason)")
        }
        #expect(server.listener.statistics.established == 1)

        // The initiator refuses a responder whose certificate has expired, before revealing itself.
        let staleKey = SigningKeyPair.generate()
        let staleCertificate = try certificate(for: staleKey, from: now - 86_400, until: now - 3600)
        let stale = try await SessionServer(identity: staleKey) { $0.certificate = staleCertificate }
        do {
            _ = try await sessionClient().connect(to: stale.address, expecting: staleKey.publicKey)
            Issue.record("a responder with an expired certificate was accepted")
        } catch {
            guard case .handshakeFailed(_, .certificateRejected(.expired)) = error else {
                Issue.record("expected an expired-certificate refusal, got \(error)")
                return
            }
        }
        await stale.stop()
        await good.close()
        await server.stop()
    }
}
