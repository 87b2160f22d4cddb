import VeectorWire

/// A record this node publishes and republishes (`DHTCommand.publish`).
struct OwnedRecord: Sendable {
    /// The record.
    var record: DHTRecord
    /// When it was last sent out; nil if never (just restored from a snapshot).
    var lastPublished: Instant?
}
