import ContentID
import Foundation
import VeectorCrypto
import VeectorDB

/// A node's folder on disk and everything opened from it: the lock, the database and the vault.
///
/// Layout: `LOCK` (held while a process uses the home), `node.json` (configuration),
/// `keys/` (one wrapped-key file per user), `db/` (VeectorDB). Only one process at a time may open
/// a home; a second one gets `NodeError.busy` naming the first.
public final class NodeHome: @unchecked Sendable {
    /// The home folder.
    public let path: String
    /// The node's configuration.
    public let configuration: NodeConfiguration
    /// The node's database.
    public let database: Database
    /// The users' key files.
    public let vault: Vault
    private let lock: DirectoryLock

    /// The database's compaction policies: documents and their chunks keep every version.
    public static var databaseOptions: DatabaseOptions {
        var o = DatabaseOptions()
        o.policies = ["settings": .latest(8), "peers": .latest(1)]
        return o
    }

    /// The default home: `$VEENODE_HOME`, else `~/.veenode`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = environment["VEENODE_HOME"], !home.isEmpty { return home }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.veenode"
    }

    private init(path: String, configuration: NodeConfiguration, lock: DirectoryLock) throws(NodeError) {
        self.path = path
        self.configuration = configuration
        self.lock = lock
        self.vault = Vault(directory: path + "/keys")
        do { database = try Database.open(path: path + "/db", options: Self.databaseOptions) } catch { throw .storage(error) }
    }

    static func takeLock(_ path: String) throws(NodeError) -> DirectoryLock {
        do { return try DirectoryLock(directory: path) } catch {
            if case let .locked(_, holder) = error { throw .busy(home: path, holder: holder) }
            throw .storage(error)
        }
    }

    /// Creates a node in `path` with its first user.
    public static func initialize(at path: String, user: String, passphrase: [UInt8],
                                  profile: Argon2idProfile = .standard, now: Date = Date()) throws(NodeError) -> (NodeHome, UnlockedUser) {
        guard Vault.isValidUserName(user) else { throw .vault(.invalidUserName(user)) }
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) } catch {
            throw .storage(.io(path: path, operation: "create folder", errno: EACCES))
        }
        let lock = try takeLock(path)
        let configPath = path + "/" + NodeConfiguration.fileName
        guard !FileManager.default.fileExists(atPath: configPath) else { throw .alreadyInitialized(home: path) }
        let unlocked: UnlockedUser
        do { unlocked = try Vault(directory: path + "/keys").createUser(name: user, passphrase: passphrase, profile: profile) } catch { throw .vault(error) }
        let config = NodeConfiguration(format: 1, created: now, defaultUser: user, nodeID: CID.sha256(of: SecureRandom.bytes(32)).description)
        try config.write(to: configPath, directory: path)
        return (try NodeHome(path: path, configuration: config, lock: lock), unlocked)
    }

    /// Opens an existing node.
    public static func open(at path: String) throws(NodeError) -> NodeHome {
        let configPath = path + "/" + NodeConfiguration.fileName
        guard FileManager.default.fileExists(atPath: configPath) else { throw .notInitialized(home: path) }
        let lock = try takeLock(path)
        let config = try NodeConfiguration.read(from: configPath)
        return try NodeHome(path: path, configuration: config, lock: lock)
    }

    /// Unlocks `user` (default: the node's first user) and returns their documents.
    public func documents(user: String?, passphrase: [UInt8]) throws(NodeError) -> DocumentStore {
        let unlocked: UnlockedUser
        do { unlocked = try vault.unlock(name: user ?? configuration.defaultUser, passphrase: passphrase) } catch { throw .vault(error) }
        return DocumentStore(database: database, user: unlocked)
    }

    /// Adds another user with their own keys.
    public func addUser(_ name: String, passphrase: [UInt8], profile: Argon2idProfile = .standard) throws(NodeError) {
        do { _ = try vault.createUser(name: name, passphrase: passphrase, profile: profile) } catch { throw .vault(error) }
    }

    /// Changes a user's passphrase (documents are not re-encrypted: only the key file changes).
    public func changePassphrase(user: String?, old: [UInt8], new: [UInt8]) throws(NodeError) {
        do { try vault.changePassphrase(name: user ?? configuration.defaultUser, old: old, new: new) } catch { throw .vault(error) }
    }

    /// The users on this node.
    public func users() throws(NodeError) -> [String] {
        do { return try vault.userNames() } catch { throw .vault(error) }
    }

    /// Verifies every checksum in the database (and that every user's key file is intact).
    public func check() -> CheckReport {
        database.check()
    }

    /// Removes content chunks no document or blob refers to any more (left by purges or by an
    /// interrupted add), then compacts the database.
    public func compact() throws(NodeError) -> CompactionSummary {
        var live = DocumentStore.referencedChunks(in: database)
        let blobs = BlobStore(database: database)
        for item in database.scan(BlobStore.manifests) {
            if let cid = try? CID(bytes: item.key), let m = try? blobs.manifest(cid) { live.formUnion(m.chunks.map(\.cid)) }
        }
        var txn = Transaction()
        var orphans = 0
        for item in database.scan(BlobStore.chunks) {
            guard let cid = try? CID(bytes: item.key) else { continue }
            if !live.contains(cid) {
                txn.purge(BlobStore.chunks, item.key)
                orphans += 1
            }
        }
        do {
            try database.commit(txn)
            return CompactionSummary(orphanChunksRemoved: orphans, compaction: try database.compact())
        } catch { throw .storage(error) }
    }

    /// Writes a checkpoint and releases the home.
    public func close() throws(NodeError) {
        do { try database.close() } catch { throw .storage(error) }
        lock.release()
    }
}

/// What `veenode db compact` did.
public struct CompactionSummary: Codable, Sendable {
    /// Chunks no document or blob referred to.
    public var orphanChunksRemoved: Int
    /// The storage engine's report.
    public var compaction: CompactionReport
}

/// The node's configuration file, `node.json`.
public struct NodeConfiguration: Codable, Sendable, Equatable {
    static let fileName = "node.json"
    /// Format version (1).
    public var format: Int
    /// When the node was created.
    public var created: Date
    /// The user commands act for when `--user` is not given.
    public var defaultUser: String
    /// A random identifier of this node (until the network issue gives it a key-derived one).
    public var nodeID: String

    func write(to path: String, directory: String) throws(NodeError) {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try e.encode(self) } catch { throw .badConfiguration(path: path, reason: "\(error)") }
        let tmp = path + ".tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: data, attributes: [.posixPermissions: 0o600]),
              rename(tmp, path) == 0 else {
            throw .badConfiguration(path: path, reason: "cannot write it (\(String(cString: strerror(errno))))")
        }
    }

    static func read(from path: String) throws(NodeError) -> NodeConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else { throw .badConfiguration(path: path, reason: "unreadable") }
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        do { return try d.decode(NodeConfiguration.self, from: data) } catch {
            throw .badConfiguration(path: path, reason: "not valid node configuration (\(error))")
        }
    }
}
