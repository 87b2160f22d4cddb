import NIOCore

/// The ceiling for the TCP benchmark: the session's message framing (`length (2 B) ‖ 00 ‖ total (4 B) ‖
/// data`, then `length ‖ 01 ‖ data`, at most 65,519 bytes of plaintext per frame, Spec/wire.md) with
/// no encryption, no tag and no handshake.
enum PlainFraming {
    /// Plaintext bytes per frame, as in a session (65,535 minus the 16-byte tag).
    static let framePlaintext = 65_519

    /// One message as frames, ready to write.
    static func frames(_ message: [UInt8], allocator: ByteBufferAllocator) -> ByteBuffer {
        let frameCount = max(1, (message.count + framePlaintext - 6) / (framePlaintext - 5))
        var out = allocator.buffer(capacity: message.count + frameCount * 7)
        var offset = 0
        var first = true
        repeat {
            let header = first ? 5 : 1
            let n = min(message.count - offset, framePlaintext - header)
            out.writeInteger(UInt16(header + n))
            if first {
                out.writeInteger(UInt8(0))
                out.writeInteger(UInt32(message.count))
            } else {
                out.writeInteger(UInt8(1))
            }
            message.withUnsafeBytes { out.writeBytes(UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + n)])) }
            offset += n
            first = false
        } while offset < message.count
        return out
    }
}

/// Reassembles messages from `PlainFraming` frames.
struct PlainFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = [UInt8]

    private var assembling: [UInt8] = []
    private var total: Int?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
              buffer.readableBytes >= 2 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 2)
        var frame = buffer.readSlice(length: Int(length))!
        let type: UInt8 = frame.readInteger()!
        if type == 0 {
            let announced = Int(frame.readInteger(as: UInt32.self)!)
            total = announced
            assembling = []
            assembling.reserveCapacity(announced)
        }
        assembling += frame.readableBytesView
        if let total, assembling.count == total {
            context.fireChannelRead(wrapInboundOut(assembling))
            assembling = []
            self.total = nil
        }
        return .continue
    }
}
