/// The timers a `GossipNode` asks its driver for (see `GossipAction.setTimer`).
public enum GossipTimer: Hashable, Sendable {
    /// Periodic housekeeping: cache expiry, score decay, graylist expiry, keeping the degree up.
    case heartbeat
    /// Send the batched `ihave` announcements to lazy links.
    case lazyFlush
    /// A message announced by `ihave` has not arrived eagerly in time: graft it from an announcer.
    case repair(GossipMessageID)
}
