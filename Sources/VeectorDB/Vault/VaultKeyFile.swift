import CVeectorSupport
import VeectorCrypto

/// The bytes of a user's key file (`<user>.vkey`), version 1; see Spec/vault.md for the layout.
///
/// Everything before the sealed master key is the header. The header is the AEAD's additional
/// data, so no header byte can be changed without the master key failing to open, and a CRC-32C
/// over the whole file tells accidental damage ("damaged key file") apart from a wrong passphrase.
struct VaultKeyFile: Equatable {
    static let magic: [UInt8] = Array("VKEY".utf8)
    static let version: UInt8 = 1
    static let userIDBytes = 16
    static let sealedKeyBytes = AEAD.nonceBytes + SecretKey.byteCount + AEAD.tagBytes
    /// Profile limits accepted on reading: anything beyond is damage, not a choice we offered.
    static let maxOpsLimit: UInt64 = 64
    static let maxMemLimitBytes: UInt64 = 4 << 30

    var name: String
    var userID: [UInt8]
    var profile: Argon2idProfile
    var salt: [UInt8]
    /// nonce (24) || encrypted master key (32) || tag (16).
    var sealedMasterKey: [UInt8]

    init(name: String, userID: [UInt8], profile: Argon2idProfile, salt: [UInt8], sealedMasterKey: [UInt8]) {
        self.name = name
        self.userID = userID
        self.profile = profile
        self.salt = salt
        self.sealedMasterKey = sealedMasterKey
    }

    /// The header bytes: magic, version, name length, name, user ID, opsLimit, memLimit, salt.
    var header: [UInt8] {
        var out = Self.magic
        out.append(Self.version)
        out.append(UInt8(name.utf8.count))
        out += Array(name.utf8)
        out += userID
        appendLittleEndian(profile.opsLimit, to: &out)
        appendLittleEndian(profile.memLimitBytes, to: &out)
        out += salt
        return out
    }

    /// The whole file: header, sealed master key, CRC-32C (little-endian) of everything before it.
    var bytes: [UInt8] {
        var out = header + sealedMasterKey
        let crc = out.withUnsafeBytes { veector_crc32c(0, $0.baseAddress, $0.count) }
        appendLittleEndian(crc, to: &out)
        return out
    }

    /// Makes a key file by sealing `masterKey` under `wrappingKey` (derived from the passphrase).
    /// `nonce` is for test vectors only; normally a random one is used.
    static func seal(name: String, userID: [UInt8], profile: Argon2idProfile, salt: [UInt8],
                     masterKey: SecretKey, wrappingKey: SecretKey, nonce: [UInt8]? = nil) -> VaultKeyFile {
        var file = VaultKeyFile(name: name, userID: userID, profile: profile, salt: salt, sealedMasterKey: [])
        let ad = file.header
        file.sealedMasterKey = masterKey.withUnsafeBytes { key in
            ad.withUnsafeBytes { adBytes in
                if let nonce { return AEAD.seal(key, key: wrappingKey, nonce: nonce, additionalData: adBytes) }
                return AEAD.seal(key, key: wrappingKey, additionalData: adBytes)
            }
        }
        return file
    }

    /// Opens the master key with `wrappingKey`; nil if the key is wrong (the CRC already passed).
    func openMasterKey(wrappingKey: SecretKey) -> SecretKey? {
        try? AEAD.openKey(sealedMasterKey, key: wrappingKey, additionalData: header)
    }

    /// Parses and checks a key file read from `path`, which should belong to `expectedName`.
    init(parsing data: [UInt8], path: String, expectedName: String) throws(VaultError) {
        func damaged(_ reason: String) -> VaultError { .damagedKeyFile(path: path, reason: reason) }
        let fixed = 6 + Self.userIDBytes + 16 + PasswordKDF.saltBytes + Self.sealedKeyBytes + 4
        guard data.count >= 6, Array(data[0..<4]) == Self.magic else {
            throw damaged("it does not start with \"VKEY\", so it is not a Veector key file")
        }
        let stored = data.count >= 4 ? readLittleEndian32(data, at: data.count - 4) : 0
        let computed = data.withUnsafeBytes { veector_crc32c(0, $0.baseAddress, $0.count - 4) }
        guard data.count >= fixed + 1, stored == computed else {
            throw damaged(data.count < fixed + 1 ? "it is too short (\(data.count) bytes): truncated" : "its checksum does not match: some bytes changed")
        }
        guard data[4] == Self.version else { throw .unsupportedKeyFileVersion(path: path, version: data[4]) }
        let nameLength = Int(data[5])
        guard data.count == fixed + nameLength else {
            throw damaged("its length \(data.count) does not match a \(nameLength)-character user name")
        }
        var offset = 6
        func take(_ n: Int) -> [UInt8] { defer { offset += n }; return Array(data[offset ..< offset + n]) }
        let nameBytes = take(nameLength)
        guard let name = String(validating: nameBytes, as: UTF8.self), name == expectedName else {
            throw damaged("it belongs to user '\(String(decoding: nameBytes, as: UTF8.self))', not '\(expectedName)'; was it renamed?")
        }
        let userID = take(Self.userIDBytes)
        let opsLimit = readLittleEndian64(take(8))
        let memLimit = readLittleEndian64(take(8))
        guard (1...Self.maxOpsLimit).contains(opsLimit), (8192...Self.maxMemLimitBytes).contains(memLimit) else {
            throw damaged("its Argon2id profile (opsLimit \(opsLimit), memLimit \(memLimit)) is out of range")
        }
        let salt = take(PasswordKDF.saltBytes)
        let sealed = take(Self.sealedKeyBytes)
        self.init(name: name, userID: userID, profile: Argon2idProfile(opsLimit: opsLimit, memLimitBytes: memLimit),
                  salt: salt, sealedMasterKey: sealed)
    }
}

private func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
    for i in 0 ..< MemoryLayout<T>.size { out.append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
}

private func readLittleEndian64(_ bytes: [UInt8]) -> UInt64 {
    bytes.reversed().reduce(0) { ($0 << 8) | UInt64($1) }
}

private func readLittleEndian32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
}
