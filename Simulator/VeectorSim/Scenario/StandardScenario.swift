extension Scenario {
    /// The scenario `veesim` runs without `--scenario`: everyone joins through peer 0 in the first
    /// minute, a tenth of the peers publish a signed record and a tenth announce a content ID, then
    /// lookups run every ten minutes (and once two minutes before the end), records are updated
    /// every twenty.
    public static func standard(peers: Int, duration: Duration, seed: UInt64) -> Scenario {
        var steps: [TimedStep] = [TimedStep(at: .zero, step: .join(.all, via: 0, over: .seconds(60)))]
        let publishers = max(1, peers / 10)
        steps.append(TimedStep(at: .seconds(120), step: .publish(count: publishers)))
        steps.append(TimedStep(at: .seconds(150), step: .announce(count: publishers)))
        let end = duration.nanosecondCount / 1_000_000_000
        var t: Int64 = 300
        while t < end - 60 {
            steps.append(TimedStep(at: .seconds(t), step: .lookup(count: peers)))
            if t % 1200 == 0 { steps.append(TimedStep(at: .seconds(t + 30), step: .publish(count: 0))) }
            t += 600
        }
        if end > 180 { steps.append(TimedStep(at: .seconds(max(180, end - 120)), step: .lookup(count: peers))) }
        steps.sort { $0.at < $1.at }
        return Scenario(name: "standard", peers: peers, duration: duration, seed: seed, timeline: steps,
                        expectations: [.lookupSuccess(atLeast: 0.99), .noForgedAccepted])
    }
}
