/// The timers a `DHTNode` asks its driver for (see `DHTAction.setTimer`).
public enum DHTTimer: Hashable, Sendable {
    /// The query sent with this transaction ID has had its time to answer.
    case queryTimeout(transactionID: [UInt8])
    /// Periodic housekeeping (every `DHTConfiguration.maintenanceInterval`): bucket refresh, store
    /// expiry, token-secret rotation, rate-limiter trimming.
    case maintenance
    /// Periodic republishing of the records this node owns (`DHTCommand.publish`).
    case republish
}
