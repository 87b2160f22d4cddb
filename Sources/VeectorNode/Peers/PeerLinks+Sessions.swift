import Logging
import NIOCore
import VeectorNet
import VeectorSession

extension PeerLinks {
    /// Takes a session that just opened: registers it (or refuses it), tells the drivers, then
    /// carries its messages until it ends. Returns when the session has ended.
    func adopt(_ session: Session, initiatedByUs: Bool) async {
        guard let entry = register(session, initiatedByUs: initiatedByUs) else { return }
        await carry(entry)
    }

    /// Enters `session` in the table, applying the one-session-per-peer rule; nil when it is refused
    /// (and then closed). Emits `sessionDown` for a session it replaces, then `sessionUp`.
    func register(_ session: Session, initiatedByUs: Bool) -> Entry? {
        let key = PeerKey(session.peer)
        let now = NIODeadline.now()
        let (stream, input) = AsyncStream.makeStream(of: Outgoing.self)
        enum Outcome { case refused(String), added(Entry, replaced: Entry?, drivers: [any PeerChannelDriver]) }
        let outcome: Outcome = state.withLockedValue { s in
            if s.stopped { return .refused("the node is shutting down") }
            if key == ownKey { return .refused("the session leads back to this node") }
            if let until = s.refused[key], until > now { return .refused("you are graylisted here for misbehaving; try again later") }
            var replaced: Entry?
            if let old = s.sessions[key] {
                let oldInitiator = old.initiatedByUs ? ownKey : key
                let newInitiator = initiatedByUs ? ownKey : key
                // Keep the session whose initiator has the smaller key; from the same initiator, the newer.
                if oldInitiator < newInitiator { return .refused("a session between us already exists") }
                replaced = old
            }
            s.nextID += 1
            let entry = Entry(id: s.nextID, key: key, session: session, initiatedByUs: initiatedByUs, outbound: input, queue: stream,
                              lastUse: now)
            s.sessions[key] = entry
            if initiatedByUs { s.statistics.dialled += 1 } else { s.statistics.accepted += 1 }
            return .added(entry, replaced: replaced, drivers: Array(s.drivers.values))
        }
        switch outcome {
        case let .refused(reason):
            state.withLockedValue { $0.statistics.refusedSessions += 1 }
            input.finish()
            spawn { await session.close(reason: reason) }
            return nil
        case let .added(entry, replaced, drivers):
            if let replaced {
                replaced.outbound.finish()
                for d in drivers { d.peerEvent(.sessionDown(key)) }
                spawn { await replaced.session.close(reason: "replaced by a newer session between us") }
            }
            for d in drivers { d.peerEvent(.sessionUp(key)) }
            logger.debug("peer session up", metadata: ["peer": "\(key)", "dialled": "\(initiatedByUs)"])
            return entry
        }
    }

    /// Reads `entry`'s messages to the channel drivers and writes its outbound queue, until the
    /// session ends; then removes it and emits `sessionDown` (unless a newer session replaced it).
    func carry(_ entry: Entry) async {
        let session = entry.session
        let key = entry.key
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await outgoing in entry.queue {
                    do {
                        try await session.send(outgoing.bytes)
                        outgoing.onSent?(true)
                    } catch {
                        outgoing.onSent?(false)
                        break
                    }
                }
            }
            do {
                for try await message in session.messages { deliver(message, from: key) }
            } catch {
                logger.debug("peer session ended", metadata: ["peer": "\(key)", "reason": "\(error)"])
            }
            entry.outbound.finish()
            group.cancelAll()
        }
        let drivers: [any PeerChannelDriver]? = state.withLockedValue { s in
            guard s.sessions[key]?.id == entry.id else { return nil }
            s.sessions[key] = nil
            return Array(s.drivers.values)
        }
        for d in drivers ?? [] { d.peerEvent(.sessionDown(key)) }
        _ = await session.close(reason: "session ended")
    }

    /// Routes one session message to its channel's driver.
    func deliver(_ message: [UInt8], from key: PeerKey) {
        let frame = PeerFrame.decode(message)
        let driver: (any PeerChannelDriver)? = state.withLockedValue { s in
            s.statistics.messagesIn += 1
            s.statistics.bytesIn += message.count
            if let i = s.sessions.index(forKey: key) { s.sessions.values[i].lastUse = .now() }
            guard let frame else { s.statistics.malformed += 1; return nil }
            return s.drivers[frame.channel]
        }
        guard let frame, let driver else { return }
        switch frame.operation {
        case .data: driver.peerEvent(.data(key, Array(frame.payload)))
        case .open: driver.peerEvent(.opened(key))
        case .close: driver.peerEvent(.closed(key))
        }
    }

    /// Every few seconds, closes sessions that no channel holds and that carried nothing for `idleLimit`.
    func reapIdleSessions() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: .seconds(5)) } catch { return }
            let limit = TimeAmount.nanoseconds(idleLimit.nanosecondCount)
            let now = NIODeadline.now()
            let idle: [Session] = state.withLockedValue { s in
                let found = s.sessions.values.filter { $0.holds.isEmpty && now - $0.lastUse > limit }.map(\.session)
                s.statistics.idleClosed += found.count
                return found
            }
            for session in idle { await session.close(reason: "unused for \(idleLimit)") }
        }
    }
}
