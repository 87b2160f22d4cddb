/// Reads the scenario file format: one statement per line, `#` starts a comment.
///
/// ```
/// peers 500
/// duration 1h
/// seed 7
/// network latency 10ms..80ms jitter 5ms loss 0.5% uplink 10Mbit
/// nat 30% upnp 50%
/// at 0s join all via 0 over 60s
/// at 2m publish 100
/// at 3m announce 100
/// at 5m lookup 500
/// at 10m partition 50%
/// at 20m heal
/// at 25m crash 10%
/// at 30m restart
/// at 0s adversary forge 5% rate 10
/// at 2m gossip 50
/// at 0s adversary gossip-forge 5 rate 2
/// at 1m share 0 4MiB as block
/// at 2m fetch 50% block over 60s
/// at 150s crash-providers 2
/// at 100s crash-fetchers 10%
/// at 0s adversary transfer-garbage 5
/// expect lookups 99%
/// ```
public enum ScenarioParser {
    /// Parses `text`; `name` labels the scenario in reports.
    public static func parse(_ text: String, name: String = "scenario") throws(ScenarioError) -> Scenario {
        var scenario = Scenario(name: name)
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard let keyword = words.first else { continue }
            words.removeFirst()
            switch keyword {
            case "peers": scenario.peers = try integer(single(words, lineNumber), lineNumber)
            case "duration": scenario.duration = try duration(single(words, lineNumber), lineNumber)
            case "seed":
                guard let s = UInt64(try single(words, lineNumber)) else { throw ScenarioError(line: lineNumber, "seed must be a whole number") }
                scenario.seed = s
            case "network": scenario.network = try network(words, base: scenario.network, lineNumber)
            case "nat":
                var w = Words(words, lineNumber)
                scenario.natFraction = try fraction(w.next("a percentage"), lineNumber)
                if w.peek == "upnp" { w.skip(); scenario.upnpFraction = try fraction(w.next("a percentage"), lineNumber) }
                try w.end()
            case "at":
                var w = Words(words, lineNumber)
                let at = try duration(w.next("a time such as 5m"), lineNumber)
                let step = try self.step(&w)
                try w.end()
                scenario.timeline.append(TimedStep(at: at, step: step, line: lineNumber))
            case "expect":
                var w = Words(words, lineNumber)
                switch try w.next("'lookups' or 'no-forged'") {
                case "lookups": scenario.expectations.append(.lookupSuccess(atLeast: try fraction(w.next("a percentage"), lineNumber)))
                case "no-forged": scenario.expectations.append(.noForgedAccepted)
                case let other: throw ScenarioError(line: lineNumber, "unknown expectation '\(other)': use 'lookups P%' or 'no-forged'")
                }
                try w.end()
            default:
                throw ScenarioError(line: lineNumber, "unknown statement '\(keyword)': expected peers, duration, seed, network, nat, at or expect")
            }
        }
        // Stable sort by time: steps at the same time keep file order.
        scenario.timeline = scenario.timeline.enumerated().sorted {
            $0.element.at != $1.element.at ? $0.element.at < $1.element.at : $0.offset < $1.offset
        }.map(\.element)
        guard scenario.peers > 0 else { throw ScenarioError(line: 0, "peers must be at least 1") }
        return scenario
    }

    private static func step(_ w: inout Words) throws(ScenarioError) -> ScenarioStep {
        let line = w.line
        switch try w.next("an action (join, publish, announce, lookup, gossip, share, fetch, partition, heal, crash, crash-providers, crash-fetchers, restart, leave, adversary)") {
        case "join":
            let who = try selection(w.next("all, a percentage or a count"), line)
            var via = 0, over = Duration.zero
            while let k = w.peek {
                w.skip()
                switch k {
                case "via": via = try integer(w.next("a peer index"), line)
                case "over": over = try duration(w.next("a duration"), line)
                default: throw ScenarioError(line: line, "unexpected '\(k)' after join: use 'via N' or 'over T'")
                }
            }
            return .join(who, via: via, over: over)
        case "publish": return .publish(count: try integer(w.next("a count"), line))
        case "announce": return .announce(count: try integer(w.next("a count"), line))
        case "lookup": return .lookup(count: try integer(w.next("a count"), line))
        case "partition": return .partition(try fraction(w.next("a percentage"), line))
        case "heal": return .heal
        case "crash": return .crash(try selection(w.next("all, a percentage or a count"), line))
        case "restart": return .restart
        case "leave": return .leave(try selection(w.next("all, a percentage or a count"), line))
        case "gossip": return .gossip(count: try integer(w.next("a count"), line))
        case "share":
            let peer = try integer(w.next("a peer index"), line)
            let size = try byteSize(w.next("a size such as 4MiB"), line)
            var name = "content"
            if w.peek == "as" { w.skip(); name = try w.next("a name") }
            return .share(peer: peer, size: size, name: name)
        case "fetch":
            var who: FetchSelection
            let first = try w.next("'peer N', all, a percentage or a count")
            if first == "peer" { who = .peer(try integer(w.next("a peer index"), line)) } else { who = .some(try selection(first, line)) }
            let name = try w.next("the name of shared content (or its CID)")
            var over = Duration.zero
            if w.peek == "over" { w.skip(); over = try duration(w.next("a duration"), line) }
            return .fetch(who, name: name, over: over)
        case "crash-providers": return .crashProviders(try selection(w.next("all, a percentage or a count"), line))
        case "crash-fetchers": return .crashFetchers(try selection(w.next("all, a percentage or a count"), line))
        case "adversary":
            let kindWord = try w.next("an adversary kind")
            if kindWord == "transfer-garbage" { return .transferAdversary(try selection(w.next("a percentage or a count"), line)) }
            if let kind = GossipAdversaryKind(rawValue: kindWord) {
                let who = try selection(w.next("a percentage or a count"), line)
                var rate = 10
                if w.peek == "rate" { w.skip(); rate = try integer(w.next("frames per second"), line) }
                return .gossipAdversary(kind, who, rate: rate)
            }
            guard let kind = AdversaryKind(rawValue: kindWord) else {
                throw ScenarioError(line: line, "unknown adversary '\(kindWord)': use one of \((AdversaryKind.allCases.map(\.rawValue) + GossipAdversaryKind.allCases.map(\.rawValue) + ["transfer-garbage"]).joined(separator: ", "))")
            }
            let who = try selection(w.next("a percentage or a count"), line)
            var rate = 10
            if w.peek == "rate" { w.skip(); rate = try integer(w.next("messages per second"), line) }
            return .adversary(kind, who, rate: rate)
        case let other:
            throw ScenarioError(line: line, "unknown action '\(other)'")
        }
    }

    private static func network(_ words: [String], base: NetworkConditions, _ line: Int) throws(ScenarioError) -> NetworkConditions {
        var n = base
        var w = Words(words, line)
        while let k = w.peek {
            w.skip()
            switch k {
            case "latency":
                let range = try w.next("a range such as 10ms..80ms")
                let parts = range.split(separator: ".", omittingEmptySubsequences: true).map(String.init)
                guard parts.count == 2, range.contains("..") else { throw ScenarioError(line: line, "latency needs a range such as 10ms..80ms") }
                n.minimumLatency = try duration(parts[0], line)
                n.maximumLatency = try duration(parts[1], line)
                guard n.minimumLatency <= n.maximumLatency else { throw ScenarioError(line: line, "latency range is backwards") }
            case "jitter": n.jitter = try duration(w.next("a duration"), line)
            case "loss": n.loss = try fraction(w.next("a percentage"), line)
            case "uplink": n.uplinkBytesPerSecond = try bandwidth(w.next("a bandwidth such as 10Mbit"), line)
            default: throw ScenarioError(line: line, "unknown network setting '\(k)': use latency, jitter, loss or uplink")
            }
        }
        return n
    }

    /// Parses `500ms`, `30s`, `2m`, `1h`, `1h30m` (units: ns, us, ms, s, m, h).
    public static func duration(_ text: String, _ line: Int) throws(ScenarioError) -> Duration {
        var total: Int64 = 0
        var digits = ""
        var chars = Array(text)
        guard !chars.isEmpty else { throw ScenarioError(line: line, "empty duration") }
        var i = 0
        chars.append(" ")
        while i < chars.count - 1 {
            let c = chars[i]
            if c.isNumber { digits.append(c); i += 1; continue }
            var unit = String(c)
            if (c == "m" || c == "n" || c == "u") && chars[i + 1] == "s" { unit.append("s"); i += 1 }
            i += 1
            guard let value = Int64(digits) else { throw ScenarioError(line: line, "'\(text)' is not a duration such as 500ms, 30s, 2m or 1h") }
            let ns: Int64
            switch unit {
            case "ns": ns = 1
            case "us": ns = 1_000
            case "ms": ns = 1_000_000
            case "s": ns = 1_000_000_000
            case "m": ns = 60_000_000_000
            case "h": ns = 3_600_000_000_000
            default: throw ScenarioError(line: line, "unknown time unit '\(unit)' in '\(text)': use ns, us, ms, s, m or h")
            }
            total += value * ns
            digits = ""
        }
        guard digits.isEmpty else { throw ScenarioError(line: line, "'\(text)' lacks a unit: write e.g. \(text)s") }
        return .nanoseconds(total)
    }

    private static func fraction(_ text: String, _ line: Int) throws(ScenarioError) -> Double {
        let isPercent = text.hasSuffix("%")
        guard let v = Double(isPercent ? String(text.dropLast()) : text), v >= 0 else {
            throw ScenarioError(line: line, "'\(text)' is not a percentage such as 5%")
        }
        let f = isPercent ? v / 100 : v
        guard f <= 1 else { throw ScenarioError(line: line, "'\(text)' is more than 100%") }
        return f
    }

    private static func selection(_ text: String, _ line: Int) throws(ScenarioError) -> PeerSelection {
        if text == "all" { return .all }
        if text.hasSuffix("%") { return .fraction(try fraction(text, line)) }
        return .count(try integer(text, line))
    }

    private static func integer(_ text: String, _ line: Int) throws(ScenarioError) -> Int {
        guard let v = Int(text), v >= 0 else { throw ScenarioError(line: line, "'\(text)' is not a whole number") }
        return v
    }

    private static func bandwidth(_ text: String, _ line: Int) throws(ScenarioError) -> Int {
        let units: [(String, Double)] = [("Gbit", 125_000_000), ("Mbit", 125_000), ("kbit", 125), ("MB", 1_000_000), ("kB", 1_000)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let v = Double(text.dropLast(suffix.count)), v > 0 { return Int(v * factor) }
        }
        throw ScenarioError(line: line, "'\(text)' is not a bandwidth such as 10Mbit, 1Gbit or 500kB")
    }

    /// Parses `4MiB`, `512KiB`, `1000B` or a plain byte count.
    private static func byteSize(_ text: String, _ line: Int) throws(ScenarioError) -> Int {
        let units: [(String, Int)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("B", 1)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let v = Int(text.dropLast(suffix.count)), v > 0, v <= (1 << 30) / factor { return v * factor }
        }
        if let v = Int(text), v > 0, v <= 1 << 30 { return v }
        throw ScenarioError(line: line, "'\(text)' is not a size such as 4MiB, 512KiB or 1000B (at most 1GiB)")
    }

    private static func single(_ words: [String], _ line: Int) throws(ScenarioError) -> String {
        guard words.count == 1 else { throw ScenarioError(line: line, "expected exactly one value") }
        return words[0]
    }

    /// A cursor over a line's words.
    private struct Words {
        var words: [String]
        var index = 0
        let line: Int
        init(_ words: [String], _ line: Int) { self.words = words; self.line = line }
        var peek: String? { index < words.count ? words[index] : nil }
        mutating func skip() { index += 1 }
        mutating func next(_ expected: String) throws(ScenarioError) -> String {
            guard let w = peek else { throw ScenarioError(line: line, "expected \(expected)") }
            index += 1
            return w
        }
        func end() throws(ScenarioError) {
            if let w = peek { throw ScenarioError(line: line, "unexpected '\(w)' at the end of the line") }
        }
    }
}
