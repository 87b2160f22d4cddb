/// Why a snapshot could not be restored (`DHTNode.init(ownID:configuration:snapshot:now:rng:)`).
public struct DHTSnapshotError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where in the snapshot the problem is (a field path such as "owned[3].sig").
    public var field: String
    /// What is wrong there.
    public var problem: String

    /// Makes an error.
    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    /// What is wrong, where, and what to do.
    public var description: String {
        "DHT snapshot is unreadable at \(field): \(problem); delete the snapshot file to start with an empty routing table"
    }
}
