import CSodium

/// Encrypts a sequence of messages (e.g. the chunks of a large file) with libsodium's
/// `crypto_secretstream_xchacha20poly1305`, so the reader can detect any message that is
/// changed, dropped, reordered, duplicated or moved from another stream, and a stream cut short.
///
/// Send `header` first, then each `push` output in order; mark the last message `final: true`.
/// Noncopyable on purpose: two copies of one stream state would encrypt different messages with
/// the same key stream, which reveals them.
public struct SecretStreamPusher: ~Copyable, @unchecked Sendable {
    /// Bytes of the header that starts every stream.
    public static let headerBytes = Int(crypto_secretstream_xchacha20poly1305_HEADERBYTES)
    /// Bytes each pushed message grows by (1 encrypted tag byte + 16 MAC bytes).
    public static let overheadBytes = Int(crypto_secretstream_xchacha20poly1305_ABYTES)

    private let state = UnsafeMutablePointer<crypto_secretstream_xchacha20poly1305_state>.allocate(capacity: 1)
    /// The stream header (random, not secret): the puller needs it before the first message.
    public let header: [UInt8]
    /// True once a message marked final has been pushed; no more may follow.
    public private(set) var isFinished = false

    /// Starts a new stream under `key` (32 bytes) with a fresh random header.
    public init(key: SecretKey) {
        Sodium.ensureInitialized()
        precondition(key.count == SecretKey.byteCount, "SecretStreamPusher: the key must be 32 bytes")
        var h = [UInt8](repeating: 0, count: Self.headerBytes)
        let state = self.state
        key.withUnsafeBytes { k in
            _ = crypto_secretstream_xchacha20poly1305_init_push(state, &h, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        header = h
    }

    deinit {
        sodium_memzero(state, MemoryLayout<crypto_secretstream_xchacha20poly1305_state>.size)
        state.deallocate()
    }

    /// Encrypts the next message; `final: true` marks the end of the stream. The output is
    /// `overheadBytes` longer than the message. Pushing after the final message is a programming error.
    public mutating func push(_ message: [UInt8], final: Bool = false, additionalData: [UInt8] = []) -> [UInt8] {
        message.withUnsafeBytes { m in
            additionalData.withUnsafeBytes { ad in push(m, final: final, additionalData: ad) }
        }
    }

    /// Encrypts the next message lent by pointer (no copy of the input).
    public mutating func push(_ message: UnsafeRawBufferPointer, final: Bool = false,
                              additionalData: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)) -> [UInt8] {
        precondition(!isFinished, "SecretStreamPusher: push after the final message; start a new stream")
        isFinished = final
        let tag = final ? UInt8(crypto_secretstream_xchacha20poly1305_TAG_FINAL) : UInt8(crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)
        let total = message.count + Self.overheadBytes
        let state = self.state
        return [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
            var written: UInt64 = 0
            _ = crypto_secretstream_xchacha20poly1305_push(
                state, out.baseAddress!, &written,
                message.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(message.count),
                additionalData.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(additionalData.count), tag)
            initialized = total
        }
    }
}

/// Decrypts a stream made by `SecretStreamPusher`, message by message, in order.
///
/// Every `pull` verifies its message; call `finish()` at the end of the input to make sure the
/// stream was not cut short. Noncopyable for the same reason as the pusher.
public struct SecretStreamPuller: ~Copyable, @unchecked Sendable {
    private let state = UnsafeMutablePointer<crypto_secretstream_xchacha20poly1305_state>.allocate(capacity: 1)
    /// True once the message marked final has been pulled.
    public private(set) var isFinished = false

    /// Starts reading a stream under `key` with the `header` its pusher produced.
    public init(key: SecretKey, header: [UInt8]) throws(CryptoError) {
        Sodium.ensureInitialized()
        guard key.count == SecretKey.byteCount else { throw .invalidKeyLength(expected: SecretKey.byteCount, got: key.count) }
        guard header.count == SecretStreamPusher.headerBytes else {
            throw .truncated(needed: SecretStreamPusher.headerBytes, got: header.count)
        }
        let state = self.state
        let result = key.withUnsafeBytes { k in
            crypto_secretstream_xchacha20poly1305_init_pull(state, header, k.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard result == 0 else { throw .streamFailed("the stream header is invalid; check that it is the header of this stream") }
    }

    deinit {
        sodium_memzero(state, MemoryLayout<crypto_secretstream_xchacha20poly1305_state>.size)
        state.deallocate()
    }

    /// Decrypts and verifies the next message; `isFinal` is true for the last one of the stream.
    public mutating func pull(_ ciphertext: [UInt8], additionalData: [UInt8] = []) throws(CryptoError) -> (message: [UInt8], isFinal: Bool) {
        try withBytes(ciphertext) { (c) throws(CryptoError) in
            try withBytes(additionalData) { (ad) throws(CryptoError) in try pull(c, additionalData: ad) }
        }
    }

    /// Decrypts and verifies the next message lent by pointer.
    public mutating func pull(_ ciphertext: UnsafeRawBufferPointer,
                              additionalData: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)) throws(CryptoError) -> (message: [UInt8], isFinal: Bool) {
        guard !isFinished else {
            throw .streamFailed("a message arrived after the final one; the stream was tampered with, drop the extra data")
        }
        guard ciphertext.count >= SecretStreamPusher.overheadBytes else {
            throw .truncated(needed: SecretStreamPusher.overheadBytes, got: ciphertext.count)
        }
        let plainCount = ciphertext.count - SecretStreamPusher.overheadBytes
        var tag: UInt8 = 0
        var ok = false
        let state = self.state
        let message = [UInt8](unsafeUninitializedCapacity: plainCount) { out, initialized in
            var written: UInt64 = 0
            ok = crypto_secretstream_xchacha20poly1305_pull(
                state, out.baseAddress, &written, &tag,
                ciphertext.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(ciphertext.count),
                additionalData.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(additionalData.count)) == 0
            initialized = ok ? plainCount : 0
        }
        guard ok else {
            throw .streamFailed("a message failed authentication: it was changed, reordered, duplicated, or belongs to another stream or key; fetch the stream again")
        }
        let isFinal = tag == UInt8(crypto_secretstream_xchacha20poly1305_TAG_FINAL)
        isFinished = isFinal
        return (message, isFinal)
    }

    /// Call when the input has run out: throws `.streamTruncated` unless the final message was pulled.
    public func finish() throws(CryptoError) {
        guard isFinished else { throw .streamTruncated }
    }
}
