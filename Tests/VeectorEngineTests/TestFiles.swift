import VeectorEngine
import VeectorTestSupport

/// Writes `bytes` to a fresh file in `directory` and opens it as GGUF.
func openGGUF(_ bytes: [UInt8], in directory: TemporaryDirectory, name: String = "model.gguf") throws -> GGUFFile {
    let path = directory.file(name)
    writeBytes(bytes, to: path)
    return try GGUFFile(path: path)
}

/// Writes `bytes` to a fresh file in `directory` and opens it as safetensors.
func openSafetensors(_ bytes: [UInt8], in directory: TemporaryDirectory, name: String = "model.safetensors") throws -> SafetensorsFile {
    let path = directory.file(name)
    writeBytes(bytes, to: path)
    return try SafetensorsFile(path: path)
}

/// Little-endian bytes of a float array.
func bytesOf(_ floats: [Float]) -> [UInt8] {
    var out: [UInt8] = []
    for f in floats { append(f.bitPattern, to: &out) }
    return out
}

/// Little-endian bytes of a UInt16 array.
func bytesOf(_ halves: [UInt16]) -> [UInt8] {
    var out: [UInt8] = []
    for h in halves { append(h, to: &out) }
    return out
}

/// The repository root, found from this file's path (Tests/VeectorEngineTests/TestFiles.swift).
func repositoryRoot(_ file: String = #filePath) -> String {
    var parts = file.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}
