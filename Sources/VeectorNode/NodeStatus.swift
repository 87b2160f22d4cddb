import Foundation
import VeectorDB
import VeectorRuntime

/// Everything `veenode status` reports.
public struct NodeStatus: Codable, Sendable {
    /// The home folder.
    public var home: String
    /// The node's random identifier.
    public var nodeID: String
    /// Users with key files here.
    public var users: [String]
    /// The user commands act for by default.
    public var defaultUser: String
    /// Database counts and sizes.
    public var database: DatabaseStatistics
    /// What opening the database found (this run).
    public var recovery: RecoveryReport
    /// CPU and OpenBLAS kernels in use.
    public var runtime: RuntimeReport

    /// Gathers the status of an open home.
    public init(home: NodeHome) throws(NodeError) {
        self.home = home.path
        nodeID = home.configuration.nodeID
        users = try home.users()
        defaultUser = home.configuration.defaultUser
        database = home.database.statistics()
        recovery = home.database.recovery
        runtime = RuntimeReport.current()
    }
}
