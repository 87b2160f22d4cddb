import VeectorCrypto

extension SessionCore {
    /// Plaintext bytes one frame can carry (type byte included).
    var framePlaintextCapacity: Int { configuration.maxFrameBytes - ChaCha20Poly1305IETF.tagBytes }

    /// Splits `message` into frames: `00 ‖ length ‖ data`, then `01 ‖ data` until all is sent.
    mutating func sendMessage(_ message: [UInt8]) {
        guard let peer else { return }
        guard message.count <= peer.maxMessageSize else {
            return emit(.messageRejected(size: message.count, limit: peer.maxMessageSize))
        }
        let frames = max(1, (message.count + framePlaintextCapacity - 1) / (framePlaintextCapacity - TransportFrameType.startHeaderBytes))
        pendingWrite.reserveCapacity(pendingWrite.count + message.count + frames * (2 + ChaCha20Poly1305IETF.tagBytes + TransportFrameType.startHeaderBytes) + 64)
        message.withUnsafeBytes { data in
            var offset = 0
            var first = true
            repeat {
                let header = first ? TransportFrameType.startHeaderBytes : 1
                let n = min(data.count - offset, framePlaintextCapacity - header)
                let body = UnsafeRawBufferPointer(rebasing: data[offset..<(offset + n)])
                if first {
                    writeFrame(type: TransportFrameType.messageStart.rawValue, total: UInt32(data.count), body: body)
                } else {
                    writeFrame(type: TransportFrameType.messageMore.rawValue, body: body)
                }
                offset += n
                first = false
            } while offset < data.count && phase == .established
        }
    }

    /// Sends a REKEY frame and switches our sending key.
    mutating func sendRekey() {
        writeFrame([TransportFrameType.rekey.rawValue])
    }

    /// Encrypts one frame (`plaintext`, type byte first) into the pending write.
    mutating func writeFrame(_ plaintext: [UInt8]) {
        plaintext.withUnsafeBytes { p in
            writeFrame(type: p[0], body: UnsafeRawBufferPointer(rebasing: p[1...]))
        }
    }

    /// Encrypts one frame — `type`, the message length `total` for a message start, then `body` —
    /// into the pending write, in place (no intermediate plaintext); rekeys first when the interval
    /// is reached, and after a REKEY frame.
    mutating func writeFrame(type: UInt8, total: UInt32? = nil, body: UnsafeRawBufferPointer) {
        let isRekey = type == TransportFrameType.rekey.rawValue
        if !isRekey && sentUnderKey >= configuration.rekeyInterval {
            writeFrame(type: TransportFrameType.rekey.rawValue, body: UnsafeRawBufferPointer(start: nil, count: 0))
        }
        guard sendCipher.nonce < UInt64.max - 1 else { return close(.nonceExhausted, notifyPeer: false) }
        let plainCount = (total == nil ? 1 : TransportFrameType.startHeaderBytes) + body.count
        let length = plainCount + ChaCha20Poly1305IETF.tagBytes
        pendingWrite.append(UInt8(length >> 8))
        pendingWrite.append(UInt8(length & 0xff))
        let base = pendingWrite.count
        pendingWrite.append(type)
        if let total {
            pendingWrite.append(UInt8(total >> 24))
            pendingWrite.append(UInt8(truncatingIfNeeded: total >> 16))
            pendingWrite.append(UInt8(truncatingIfNeeded: total >> 8))
            pendingWrite.append(UInt8(truncatingIfNeeded: total))
        }
        pendingWrite.append(contentsOf: body.assumingMemoryBound(to: UInt8.self))
        pendingWrite.append(contentsOf: repeatElement(0, count: ChaCha20Poly1305IETF.tagBytes))
        Self.sealInPlace(&pendingWrite, at: base, plaintextCount: plainCount, cipher: &sendCipher)
        lastSent = now
        if isRekey {
            sendCipher.rekey()
            sentUnderKey = 0
        } else {
            sentUnderKey += 1
        }
    }

    /// Replaces `plaintextCount` bytes at `base` by their ciphertext and tag (libsodium encrypts in place).
    private static func sealInPlace(_ out: inout [UInt8], at base: Int, plaintextCount: Int, cipher: inout NoiseCipherState) {
        out.withUnsafeMutableBytes { o in
            let frame = UnsafeMutableRawBufferPointer(rebasing: o[base..<(base + plaintextCount + ChaCha20Poly1305IETF.tagBytes)])
            try! cipher.encrypt(UnsafeRawBufferPointer(rebasing: frame[0..<plaintextCount]), into: frame)
        }
    }

    private static func open(_ frame: UnsafeRawBufferPointer, cipher: inout NoiseCipherState) -> [UInt8]? {
        let count = frame.count - ChaCha20Poly1305IETF.tagBytes
        var ok = false
        let plain = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            do {
                try cipher.decrypt(frame, into: UnsafeMutableRawBufferPointer(out))
                ok = true
            } catch {
                out.initialize(repeating: 0)
            }
            initialized = count
        }
        return ok ? plain : nil
    }

    /// Decrypts and acts on the next transport frame (whole frame known to be in the inbox).
    mutating func readTransportFrame(length: Int) {
        var cipher = receiveCipher
        let plain = inbox.consumeFrame(length: length) { Self.open($0, cipher: &cipher) }
        receiveCipher = cipher
        guard let plain else { return close(.authenticationFailed, notifyPeer: false) }
        lastReceived = now
        guard let type = TransportFrameType(rawValue: plain[0]) else {
            return close(.protocolViolation("unknown frame type \(plain[0])"), notifyPeer: true)
        }
        switch type {
        case .messageStart:
            guard assembling == nil else { return close(.protocolViolation("a message began before the previous one ended"), notifyPeer: true) }
            guard plain.count >= TransportFrameType.startHeaderBytes else {
                return close(.protocolViolation("a message start frame lacks its length"), notifyPeer: true)
            }
            let total = Int(plain[1]) << 24 | Int(plain[2]) << 16 | Int(plain[3]) << 8 | Int(plain[4])
            guard total <= configuration.maxMessageSize else {
                return close(.messageTooLarge(size: total, limit: configuration.maxMessageSize), notifyPeer: true)
            }
            var data: [UInt8] = []
            data.reserveCapacity(min(total, 1 << 20))
            data += plain[TransportFrameType.startHeaderBytes...]
            assembling = (total, data)
            finishMessageIfComplete()
        case .messageMore:
            guard assembling != nil else { return close(.protocolViolation("a continuation frame without a message start"), notifyPeer: true) }
            assembling!.data.append(contentsOf: plain[1...])
            finishMessageIfComplete()
        case .rekey:
            guard plain.count == 1 else { return close(.protocolViolation("a rekey frame with a body"), notifyPeer: true) }
            receiveCipher.rekey()
        case .close:
            guard plain.count >= 2 else { return close(.protocolViolation("a close frame without a code"), notifyPeer: false) }
            close(.remote(code: plain[1], reason: String(decoding: plain[2...], as: UTF8.self)), notifyPeer: false)
        case .keepalive:
            guard plain.count == 1 else { return close(.protocolViolation("a keepalive frame with a body"), notifyPeer: true) }
        }
    }

    private mutating func finishMessageIfComplete() {
        guard let total = assembling?.total, let count = assembling?.data.count else { return }
        if count > total {
            return close(.protocolViolation("a message carried \(count) bytes but announced \(total)"), notifyPeer: true)
        }
        if count == total {
            let data = assembling!.data
            assembling = nil
            emit(.deliver(data))
        }
    }
}
