import ArgumentParser
import Foundation
import VeectorSim

/// `veesim`: runs the real DHT core (and, when the scenario gossips or shares content, the real gossip
/// and transfer cores) on hundreds or thousands of simulated peers, deterministically.
@main
struct Veesim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "veesim",
        abstract: "Simulate a Veector network running the real protocol cores, reproducibly from a seed.",
        discussion: "Without --scenario, runs the standard scenario (join, publish, announce, lookups). "
            + "See Docs/simulator.md for the scenario format and how to reproduce a failure from its seed.")

    @Option(help: "Number of peers (overrides the scenario's).") var peers: Int?
    @Option(help: "The run's seed (overrides the scenario's).") var seed: UInt64?
    @Option(help: "Simulated time, e.g. 10m or 1h (overrides the scenario's).") var duration: String?
    @Option(help: "A scenario file (see Simulator/Scenarios/).") var scenario: String?
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: "Write an SVG plot of the run over time to this file.") var svg: String?
    @Flag(help: "Also run the gossip core on every peer (adds 'gossip 20' every 5 minutes from 2m if the scenario has no gossip statements).")
    var gossip = false
    @Flag(help: "Also run content transfer on every peer (if the scenario has no transfer statements: peer 0 shares 4 MiB at 60s, every peer fetches it from 90s over 60s, 5 peers serve garbage, 5 serving peers crash at 120s and restart at 180s).")
    var transfer = false

    func validate() throws {
        if let peers, peers < 1 || peers > 1_000_000 { throw ValidationError("--peers must be between 1 and 1000000") }
        if let duration { _ = try parseDuration(duration) }
    }

    func run() throws {
        var s: Scenario
        if let path = scenario {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("cannot read scenario file \(path)")
            }
            let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            do { s = try ScenarioParser.parse(text, name: name) } catch { throw ValidationError("\(path): \(error)") }
        } else {
            s = Scenario.standard(peers: peers ?? 100, duration: try duration.map(parseDuration) ?? .seconds(600), seed: seed ?? 1)
        }
        if let peers { s.peers = peers }
        if let seed { s.seed = seed }
        if let duration { s.duration = try parseDuration(duration) }

        let clock = ContinuousClock()
        let started = clock.now
        if gossip && !s.hasGossip {
            for t in stride(from: Int64(120), to: Int64(s.duration.components.seconds), by: 300) {
                s.timeline.append(TimedStep(at: .seconds(t), step: .gossip(count: 20)))
            }
        }
        if transfer && !s.hasTransfer {
            s.timeline += [
                TimedStep(at: .seconds(60), step: .share(peer: 0, size: 4 << 20, name: "block")),
                TimedStep(at: .seconds(80), step: .transferAdversary(.count(5))),
                TimedStep(at: .seconds(90), step: .fetch(.some(.all), name: "block", over: .seconds(60))),
                TimedStep(at: .seconds(120), step: .crashProviders(.count(5))),
                TimedStep(at: .seconds(180), step: .restart),
            ]
            s.timeline = s.timeline.enumerated().sorted {
                $0.element.at != $1.element.at ? $0.element.at < $1.element.at : $0.offset < $1.offset
            }.map(\.element)
        }
        let simulation = DHTSimulation(scenario: s)
        var report = simulation.run()
        if s.hasGossip {
            report.attachGossip(GossipSimulation(scenario: s).run())
        }
        if s.hasTransfer {
            report.attachTransfer(TransferSimulation(scenario: s).run())
        }
        let wall = clock.now - started
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        let peakRSS = peakResidentBytes()
        if let svg {
            try report.svg.write(toFile: svg, atomically: true, encoding: .utf8)
        }
        if json {
            struct Output: Encodable {
                let report: SimulationReport
                let wallSeconds: Double
                let simulatedSecondsPerWallSecond: Double
                let peakResidentBytes: Int
                let bytesPerPeer: Int
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let out = Output(report: report, wallSeconds: wallSeconds,
                             simulatedSecondsPerWallSecond: report.simulatedSeconds / max(wallSeconds, 1e-9),
                             peakResidentBytes: peakRSS, bytesPerPeer: peakRSS / max(1, report.peers))
            print(String(decoding: try encoder.encode(out), as: UTF8.self))
        } else {
            print(report.summary)
            print("  speed               \(String(format: "%.1f", wallSeconds)) s wall, "
                  + "\(String(format: "%.0f", report.simulatedSeconds / max(wallSeconds, 1e-9))) simulated s per wall s")
            print("  memory              peak RSS \(peakRSS / 1_048_576) MiB, \(peakRSS / max(1, report.peers)) bytes per peer")
        }
        if !report.violations.isEmpty { throw ExitCode(2) }
        for e in s.expectations {
            if case let .lookupSuccess(atLeast) = e, report.lookups.finished > 0, report.lookups.successRate < atLeast {
                FileHandle.standardError.write(Data("veesim: lookup success \(report.lookups.successRate) is below the expected \(atLeast); reproduce with --seed \(s.seed)\n".utf8))
                throw ExitCode(3)
            }
        }
    }
}

private func parseDuration(_ text: String) throws -> Duration {
    do { return try ScenarioParser.duration(text, 0) } catch { throw ValidationError("--duration: \(error.message)") }
}

/// Peak resident set size (VmHWM) of this process, from /proc.
private func peakResidentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let digits = line.filter(\.isNumber)
        return (Int(digits) ?? 0) * 1024
    }
    return 0
}
