import ContentID

/// One transfer protocol message between two peers (`Spec/transfer.md`, "Messages"). Each rides in
/// one session message. Requests (`manifestRequest`, `want`, `cancel`) go to the other side's
/// `ProviderCore`; answers (the rest) go to the `TransferCore` fetching that content.
public enum TransferMessage: Hashable, Sendable {
    /// "Send me the manifest of this content" (kind 1).
    case manifestRequest(CID)
    /// The manifest of a content the sender holds (kind 2).
    case manifest(TransferManifest)
    /// "Send me these chunks of this content" (kind 3); 1…`maxIndicesPerMessage` indices.
    case want(CID, [Int])
    /// The sender holds only these chunk ranges of the content (kind 4), sorted, non-overlapping.
    case have(CID, [Range<Int>])
    /// The sender does not hold these chunks (kind 5); no indices means none of the content.
    case dontHave(CID, [Int])
    /// Chunk `index` of the content (kind 6).
    case chunk(CID, index: Int, bytes: [UInt8])
    /// The sender is overloaded: it will not send these chunks (none listed: the manifest); ask
    /// again after `retryAfterMilliseconds` (kind 7).
    case busy(CID, retryAfterMilliseconds: Int, [Int])
    /// "Do not send these chunks after all" (kind 8); no indices means every queued chunk.
    case cancel(CID, [Int])

    /// The content the message is about.
    public var content: CID {
        switch self {
        case let .manifestRequest(c), let .want(c, _), let .have(c, _), let .dontHave(c, _),
             let .chunk(c, _, _), let .busy(c, _, _), let .cancel(c, _): c
        case let .manifest(m): m.content
        }
    }

    /// True for messages a provider answers; false for answers a fetcher reads.
    public var isRequest: Bool {
        switch self {
        case .manifestRequest, .want, .cancel: true
        default: false
        }
    }

    /// The kind byte of `bytes` is a request's (1, 3 or 8), without decoding: for drivers routing
    /// incoming messages to the provider or the fetcher.
    public static func isRequest(_ bytes: [UInt8]) -> Bool {
        bytes.count > 1 && (bytes[1] == 1 || bytes[1] == 3 || bytes[1] == 8)
    }

    /// The content CID a message's bytes name, read from its header without decoding the rest
    /// (for drivers routing answers to the fetch of that content); nil if the header is malformed.
    public static func content(of bytes: [UInt8]) -> CID? {
        guard bytes.count > 3 else { return nil }
        let length = Int(bytes[2])
        guard length >= 1, length <= TransferLimits.maxCIDBytes, bytes.count >= 3 + length else { return nil }
        return try? CID(bytes: Array(bytes[3 ..< 3 + length]))
    }

    /// The canonical encoding: version, kind, content CID, then the kind's fields (big-endian).
    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.u8(TransferLimits.version)
        switch self {
        case let .manifestRequest(c):
            w.u8(1); w.cid(c)
        case let .manifest(m):
            let body = m.encoded()
            w.u8(2); w.cid(m.content); w.u32(body.count); w.bytes.append(contentsOf: body)
        case let .want(c, list):
            w.u8(3); w.cid(c); w.indices(list)
        case let .have(c, ranges):
            w.u8(4); w.cid(c); w.u16(ranges.count)
            for r in ranges { w.u32(r.lowerBound); w.u32(r.upperBound) }
        case let .dontHave(c, list):
            w.u8(5); w.cid(c); w.indices(list)
        case let .chunk(c, index, bytes):
            w.u8(6); w.cid(c); w.u32(index); w.u32(bytes.count)
            w.bytes.reserveCapacity(w.bytes.count + bytes.count)
            w.bytes.append(contentsOf: bytes)
        case let .busy(c, after, list):
            w.u8(7); w.cid(c); w.u32(after); w.indices(list)
        case let .cancel(c, list):
            w.u8(8); w.cid(c); w.indices(list)
        }
        return w.bytes
    }

    /// Decodes and checks one message of at most `limit` bytes (every count, index and length
    /// against `TransferLimits`; no trailing bytes). Chunk bytes are not verified here.
    public init(decoding bytes: [UInt8], limit: Int = TransferLimits.maxMessageBytes) throws(TransferWireError) {
        guard bytes.count <= limit else { throw .messageTooLarge(bytes: bytes.count, limit: limit) }
        var r = ByteReader(bytes)
        let version = try r.u8("version")
        guard version == TransferLimits.version else { throw .unsupportedVersion(version) }
        let kind = try r.u8("kind")
        guard (1...8).contains(kind) else { throw .unknownKind(kind) }
        let content = try r.cid("content")
        let maxIndices = TransferLimits.maxIndicesPerMessage
        switch kind {
        case 1:
            self = .manifestRequest(content)
        case 2:
            let length = try r.int(4, "manifest.length", in: 1...TransferLimits.maxManifestBytes)
            let at = r.offset
            let manifest = try TransferManifest(decoding: Array(try r.take(length, "manifest")))
            guard manifest.content == content else {
                throw .invalidField("manifest.content", offset: at, reason: "names \(manifest.content), not \(content)")
            }
            self = .manifest(manifest)
        case 3:
            self = .want(content, try r.indices("want", count: 1...maxIndices))
        case 4:
            let n = try r.int(2, "have.count", in: 0...TransferLimits.maxRangesPerMessage)
            var ranges: [Range<Int>] = []
            var floor = 0
            for k in 0..<n {
                let at = r.offset
                let lo = try r.int(4, "have[\(k)].start", in: 0...TransferLimits.maxChunks)
                let hi = try r.int(4, "have[\(k)].end", in: 0...TransferLimits.maxChunks)
                guard lo < hi, lo >= floor else {
                    throw .invalidField("have[\(k)]", offset: at, reason: "ranges must be non-empty, sorted and non-overlapping (\(lo)..<\(hi))")
                }
                ranges.append(lo ..< hi)
                floor = hi
            }
            self = .have(content, ranges)
        case 5:
            self = .dontHave(content, try r.indices("dontHave", count: 0...maxIndices))
        case 6:
            let index = try r.int(4, "chunk.index", in: 0...(TransferLimits.maxChunks - 1))
            let length = try r.int(4, "chunk.length", in: 1...TransferLimits.maxChunkBytes)
            self = .chunk(content, index: index, bytes: Array(try r.take(length, "chunk.bytes")))
        case 7:
            let after = try r.int(4, "busy.retryAfter", in: 0...3_600_000)
            self = .busy(content, retryAfterMilliseconds: after, try r.indices("busy", count: 0...maxIndices))
        default:
            self = .cancel(content, try r.indices("cancel", count: 0...maxIndices))
        }
        try r.end()
    }
}
