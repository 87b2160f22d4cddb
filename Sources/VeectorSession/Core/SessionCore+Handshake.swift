import VeectorCrypto
import VeectorIdentity
import VeectorWire

extension SessionCore {
    /// Which handshake message comes next: 0, 1 or 2.
    var handshakeStep: Int { handshake.nextMessageIndex }

    /// Length bounds of the handshake message we expect next (message 1 carries no payload).
    var handshakeFrameLimit: (min: Int, max: Int) {
        let hello = SessionHello.maxBytes + 16
        switch handshakeStep {
        case 0: return (32, 32)
        case 1: return (32 + 48 + 16, 32 + 48 + hello)
        default: return (48 + 16, 48 + hello)
        }
    }

    func hello() -> [UInt8] {
        SessionHello(publicKey: configuration.identity.publicKey, nodeID: configuration.nodeID, certificate: configuration.certificate,
                     maxMessageSize: Int64(configuration.maxMessageSize)).encoded()
    }

    mutating func appendHandshakeFrame(_ message: [UInt8]) {
        pendingWrite.append(UInt8(message.count >> 8))
        pendingWrite.append(UInt8(message.count & 0xff))
        pendingWrite.append(contentsOf: message)
    }

    /// Reads one handshake message and answers or completes as the pattern says.
    mutating func readHandshakeMessage(_ message: [UInt8], rng: inout some RandomNumberGenerator) {
        let payload: [UInt8]
        do { payload = try handshake.readMessage(message) } catch {
            switch error {
            case .authenticationFailed: return close(.authenticationFailed, notifyPeer: false)
            default: return close(.protocolViolation(error.description), notifyPeer: false)
            }
        }
        lastReceived = now
        if handshake.remoteStaticKey == nil {
            // Message 1 (we are the responder): answer with message 2 and our hello.
            do { appendHandshakeFrame(try handshake.writeMessage(payload: hello(), rng: &rng)) } catch {
                return close(.protocolViolation(error.description), notifyPeer: false)
            }
            return
        }
        let peer: PeerIdentity
        do { peer = try verifyPeer(payload) } catch { return close(error, notifyPeer: false) }
        if configuration.role == .initiator {
            do { appendHandshakeFrame(try handshake.writeMessage(payload: hello(), rng: &rng)) } catch {
                return close(.protocolViolation(error.description), notifyPeer: false)
            }
        }
        establish(peer)
    }

    /// Checks that the hello matches the static key the peer proved, is whom we expect, and that
    /// its certificate, if any, holds for that key.
    func verifyPeer(_ payload: [UInt8]) throws(SessionCloseReason) -> PeerIdentity {
        let hello = try SessionHello(decoding: payload)
        let x25519: [UInt8]
        do { x25519 = try Ed25519ToX25519.publicKey(hello.publicKey) } catch {
            throw .identityMismatch("its Ed25519 key is not a valid curve point")
        }
        guard x25519 == handshake.remoteStaticKey else {
            throw .identityMismatch("the Noise static key is not the X25519 form of the announced Ed25519 key")
        }
        guard NodeID.isConsistent(hello.nodeID, withPublicKey: hello.publicKey) else {
            throw .identityMismatch("node ID \(hello.nodeID) does not derive from the announced key")
        }
        if let expected = configuration.expectedPeer, expected != hello.publicKey {
            throw .unexpectedPeer(expected: expected, got: hello.publicKey)
        }
        var verified: DeviceCertificate?
        if let bytes = hello.certificate { verified = try checkPeerCertificate(bytes, device: hello.publicKey) }
        return PeerIdentity(publicKey: hello.publicKey, nodeID: hello.nodeID, certificate: hello.certificate,
                            verifiedCertificate: verified, maxMessageSize: Int(hello.maxMessageSize), protocolVersion: hello.version,
                            handshakeHash: handshake.handshakeHash)
    }

    /// Switches to transport: ciphers from Noise's Split, timers, then the messages queued so far.
    mutating func establish(_ verified: PeerIdentity) {
        // The hash is final only now (the initiator wrote message 3 after verifying).
        let peer = PeerIdentity(publicKey: verified.publicKey, nodeID: verified.nodeID, certificate: verified.certificate,
                                verifiedCertificate: verified.verifiedCertificate, maxMessageSize: verified.maxMessageSize, protocolVersion: verified.protocolVersion,
                                handshakeHash: handshake.handshakeHash)
        let ciphers: (send: NoiseCipherState, receive: NoiseCipherState)
        do { ciphers = try handshake.split() } catch { return close(.protocolViolation(error.description), notifyPeer: false) }
        sendCipher = ciphers.send
        receiveCipher = ciphers.receive
        self.peer = peer
        phase = .established
        lastSent = now
        emit(.cancelTimer(.handshake))
        emit(.established(peer))
        emit(.setTimer(.idle, after: configuration.idleTimeout))
        if let interval = configuration.keepaliveInterval { emit(.setTimer(.keepalive, after: interval)) }
        let waiting = queued
        queued = []
        queuedBytes = 0
        for message in waiting where phase == .established { sendMessage(message) }
    }
}
