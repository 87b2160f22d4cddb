/// `Array.withUnsafeBytes` only rethrows untyped errors; this lends the bytes to a closure that
/// throws `CryptoError` and keeps the error typed.
func withBytes<R>(_ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(CryptoError) -> R) throws(CryptoError) -> R {
    let result: Result<R, CryptoError> = array.withUnsafeBytes { pointer in
        Result { () throws(CryptoError) -> R in try body(pointer) }
    }
    return try result.get()
}
