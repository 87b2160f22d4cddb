import ContentID
import VeectorTransfer

extension TransferSimulation {
    /// Gathers the figures of the finished run.
    func makeReport() -> TransferReport {
        var fetches = 0, expected = 0, completed = 0
        var times: [Double] = [], down: [Double] = [], up: [Double] = []
        var completedBytes = 0
        for i in peers.indices where peers[i].isHonest {
            let asked = requested[i] ?? [:]
            fetches += asked.count
            let expectedHere = peers[i].isRunning ? asked.count : asked.keys.filter { completedAt[i]?[$0] != nil }.count
            expected += expectedHere
            for (cid, t) in completedAt[i] ?? [:] {
                completed += 1
                completedBytes += Int(contents[cid]!.manifest.size)
                times.append(now.nanoseconds > 0 ? Double(t.duration(since: asked[cid] ?? t).nanosecondCount) / 1e9 : 0)
            }
            if !asked.isEmpty { down.append(Double(peers[i].bytesDown)) }
            if peers[i].bytesUp > 0 { up.append(Double(peers[i].bytesUp)) }
        }
        let publishers = Set(contents.values.map(\.publisher))
        let honestUp = peers.filter(\.isHonest).reduce(0) { $0 + $1.bytesUp }
        let publisherUp = publishers.reduce(0) { $0 + peers[$1].bytesUp }
        let honestDown = peers.filter { $0.isHonest && requested[$0.index] != nil }.reduce(0) { $0 + $1.bytesDown }
        let adversaries = TransferReport.Adversaries(
            count: peers.filter(\.adversary).count, badChunksRejected: totals.corruptChunks,
            banned: bannedAdversaries.count, honestPeersAcceptedCorrupt: corruptStored.count)
        return TransferReport(
            traceHash: trace.hex, events: events, contents: contents.count,
            contentBytes: contents.values.reduce(0) { $0 + Int($1.manifest.size) },
            fetches: fetches, expected: expected, completed: completed,
            completionRatio: expected == 0 ? 1 : Double(completed) / Double(expected),
            failures: failures, resumed: resumed, completionSeconds: Percentiles(times),
            downloadedBytesPerPeer: Percentiles(down), uploadedBytesPerPeer: Percentiles(up),
            publisherShare: honestUp == 0 ? 0 : Double(publisherUp) / Double(honestUp),
            downloadOverhead: completedBytes == 0 ? 0 : Double(honestDown) / Double(completedBytes),
            timeouts: totals.timeouts, busyReplies: totals.busyReplies, duplicateChunks: totals.duplicateChunks,
            providerCrashes: providerCrashes,
            resumes: TransferReport.Resumes(fetcherCrashes: fetcherCrashes, chunksKept: resumedChunksKept,
                                            chunksFetched: resumedChunksFetched, chunksRequestedAgain: resumedChunksRequestedAgain),
            adversaries: adversaries, violations: violations)
    }
}
