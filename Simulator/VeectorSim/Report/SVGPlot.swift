extension SimulationReport {
    /// An SVG chart of the run over time: the share of running honest peers with a full routing
    /// neighbourhood, and the cumulative lookup success rate and, when the run gossiped, the share of gossip deliveries
    /// made so far, all 0–100 %, against simulated time.
    /// Written directly as SVG text; opens in any browser.
    public var svg: String {
        let width = 720.0, height = 360.0, left = 60.0, right = 20.0, top = 40.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom
        let tMax = max(simulatedSeconds, 1)
        func x(_ t: Double) -> Double { left + plotW * t / tMax }
        func y(_ f: Double) -> Double { top + plotH * (1 - max(0, min(1, f))) }
        func path(_ values: [(Double, Double)]) -> String {
            values.enumerated().map { (i, p) in "\(i == 0 ? "M" : "L")\(format1(x(p.0))),\(format1(y(p.1)))" }.joined(separator: " ")
        }
        let converged = timeline.map { p -> (Double, Double) in
            (p.seconds, p.running == 0 ? 0 : Double(p.converged) / Double(p.running))
        }
        let success = timeline.filter { $0.lookupsDone > 0 }.map { ($0.seconds, Double($0.lookupsSucceeded) / Double($0.lookupsDone)) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\(Int(left))\" y=\"22\" font-size=\"14\">veesim \(escape(scenario)): \(peers) peers, seed \(seed)</text>\n"
        for f in stride(from: 0.0, through: 1.0, by: 0.25) {
            s += "<line x1=\"\(format1(left))\" y1=\"\(format1(y(f)))\" x2=\"\(format1(left + plotW))\" y2=\"\(format1(y(f)))\" stroke=\"#ddd\"/>\n"
            s += "<text x=\"\(format1(left - 8))\" y=\"\(format1(y(f) + 4))\" text-anchor=\"end\">\(Int(f * 100)) %</text>\n"
        }
        for k in 0...4 {
            let t = tMax * Double(k) / 4
            s += "<text x=\"\(format1(x(t)))\" y=\"\(format1(top + plotH + 18))\" text-anchor=\"middle\">\(format1(t)) s</text>\n"
        }
        s += "<text x=\"\(format1(left + plotW / 2))\" y=\"\(format1(height - 8))\" text-anchor=\"middle\">simulated time</text>\n"
        s += "<rect x=\"\(format1(left))\" y=\"\(format1(top))\" width=\"\(format1(plotW))\" height=\"\(format1(plotH))\" fill=\"none\" stroke=\"#888\"/>\n"
        if !converged.isEmpty {
            s += "<path d=\"\(path(converged))\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\n"
        }
        if !success.isEmpty {
            s += "<path d=\"\(path(success))\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\"/>\n"
        }
        if let gossip = gossipDetails?.timeline.filter({ $0.published > 0 }).map({ ($0.seconds, $0.deliveredFraction) }), !gossip.isEmpty {
            s += "<path d=\"\(path(gossip))\" fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"2\"/>\n"
            s += "<text x=\"\(format1(left + 10))\" y=\"\(format1(top + 48))\" fill=\"#2ca02c\">gossip deliveries (share of full delivery so far)</text>\n"
        }
        s += "<text x=\"\(format1(left + 10))\" y=\"\(format1(top + 16))\" fill=\"#1f77b4\">routing converged (share of running peers)</text>\n"
        s += "<text x=\"\(format1(left + 10))\" y=\"\(format1(top + 32))\" fill=\"#d62728\">lookups succeeded (cumulative)</text>\n"
        s += "</svg>\n"
        return s
    }

    private func escape(_ text: String) -> String {
        text.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;")
    }
}

extension String {
    fileprivate func replacingAll(_ a: Character, _ b: String) -> String {
        var out = ""
        for c in self { if c == a { out += b } else { out.append(c) } }
        return out
    }
}
