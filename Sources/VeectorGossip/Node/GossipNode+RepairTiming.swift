import VeectorWire

extension GossipNode {
    /// How long to wait for an eager copy after its first `ihave` before grafting: `repairTimeout`, or
    /// twice the recent eager lag when that is longer (capped at `maxRepairTimeout`). A fixed wait
    /// shorter than the network's (or the machines') real delay grafts messages that were on their way:
    /// every graft is one more full copy and one more eager edge, the duplicate it causes prunes
    /// another, and under load the tree never settles.
    var currentRepairTimeout: Duration {
        let adaptive = eagerLag * 2
        return min(configuration.maxRepairTimeout, max(configuration.repairTimeout, adaptive))
    }

    /// An eager copy arrived `lag` after its first announcement: the estimate rises to it at once and
    /// otherwise moves an eighth of the way toward it.
    mutating func observeEagerLag(_ lag: Duration) {
        if lag >= eagerLag { eagerLag = lag } else { eagerLag -= (eagerLag - lag) / 8 }
    }

    /// Each heartbeat the estimate loses a tenth, so a load spike is forgotten within a minute.
    mutating func decayEagerLag() {
        eagerLag = eagerLag * 9 / 10
    }
}
