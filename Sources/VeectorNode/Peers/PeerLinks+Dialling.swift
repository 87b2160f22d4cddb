import NIOCore
import VeectorNet
import VeectorSession

/// Dialling peers: by address (one dial per address at a time, none while a session to the key
/// proved there is open) and by key (known addresses, then the resolver; one attempt per key).
extension PeerLinks {
    /// Opens a session to `address` (refusing any key but `expecting` when given) and returns the
    /// peer's key. An open session is used as is — to `expecting`, or to the key already proved at
    /// `address` — and concurrent calls for one address share one dial: a second session to a peer
    /// would replace the first under the one-session rule, cutting whatever the first was carrying.
    public func connect(to address: SocketAddress, expecting: PeerKey? = nil,
                        timeout: Duration = .seconds(10)) async throws(PeerLinkError) -> PeerKey {
        if let expecting {
            if expecting == ownKey { throw .ourselves }
            if isConnected(expecting) { return expecting }
        }
        enum Start { case ready(PeerKey), wait, dial }
        let start: Start = state.withLockedValue { s in
            if let key = s.addresses.first(where: { s.sessions[$0.key] != nil && $0.value.contains(address) })?.key,
               expecting == nil || expecting == key { return .ready(key) }
            if s.dialingAddresses[address] != nil { return .wait }
            s.dialingAddresses[address] = []
            return .dial
        }
        let result: Result<PeerKey, PeerLinkError>
        switch start {
        case let .ready(key):
            return key
        case .wait:
            result = await withCheckedContinuation { (c: CheckedContinuation<Result<PeerKey, PeerLinkError>, Never>) in
                let now: Result<PeerKey, PeerLinkError>? = state.withLockedValue { s in
                    guard s.dialingAddresses[address] != nil else {
                        if let key = s.addresses.first(where: { s.sessions[$0.key] != nil && $0.value.contains(address) })?.key {
                            return .success(key)
                        }
                        return .failure(.unreachable(expecting, ["\(address): the other attempt to dial it failed"]))
                    }
                    s.dialingAddresses[address]!.append(c)
                    return nil
                }
                if let now { c.resume(returning: now) }
            }
        case .dial:
            result = await dialAddress(address, expecting: expecting, timeout: timeout)
            let waiting = state.withLockedValue { $0.dialingAddresses.removeValue(forKey: address) ?? [] }
            for w in waiting { w.resume(returning: result) }
        }
        let key = try result.get()
        if let expecting, key != expecting {
            throw .unreachable(expecting, ["\(address) belongs to peer \(key), not the one expected"])
        }
        return key
    }

    /// One dial of `address`: the handshake, then the session registered and carried.
    private func dialAddress(_ address: SocketAddress, expecting: PeerKey?, timeout: Duration) async -> Result<PeerKey, PeerLinkError> {
        let session: Session
        do {
            session = try await endpoint.connect(to: address, expecting: expecting?.bytes, timeout: timeout)
        } catch {
            state.withLockedValue { $0.statistics.dialFailures += 1 }
            return .failure(.unreachable(expecting, ["\(address): \(error)"]))
        }
        let key = PeerKey(session.peer)
        if key == ownKey {
            await session.close(reason: "the session leads back to this node")
            return .failure(.ourselves)
        }
        learnAddress(address, for: key)
        if let entry = register(session, initiatedByUs: true) {
            spawn { await self.carry(entry) }
        } else if !isConnected(key) {
            let seconds = state.withLockedValue { s in s.refused[key].map { Int(($0 - .now()).nanoseconds / 1_000_000_000) } }
            return .failure(seconds.map { .refused(key, seconds: $0) } ?? .unreachable(key, ["\(address): the session was refused"]))
        }
        return .success(key)
    }

    /// Makes sure a session to `key` is open: uses the open one, else dials the addresses known for
    /// it, else those the resolver finds. Concurrent calls for one key share one attempt.
    public func ensureSession(with key: PeerKey) async throws(PeerLinkError) {
        if key == ownKey { throw .ourselves }
        enum Start { case ready, wait, dial(known: [SocketAddress], resolver: (@Sendable (PeerKey) async -> [SocketAddress])?) }
        let start: Start = state.withLockedValue { s in
            if s.sessions[key] != nil { return .ready }
            if s.dialing[key] != nil { return .wait }
            s.dialing[key] = []
            return .dial(known: s.addresses[key] ?? [], resolver: s.resolver)
        }
        switch start {
        case .ready: return
        case .wait:
            let result = await withCheckedContinuation { (c: CheckedContinuation<Result<Void, PeerLinkError>, Never>) in
                let resumeNow: Result<Void, PeerLinkError>? = state.withLockedValue { s in
                    if s.sessions[key] != nil { return .success(()) }
                    guard s.dialing[key] != nil else { return .failure(.unreachable(key, ["the other attempt failed"])) }
                    s.dialing[key]!.append(c)
                    return nil
                }
                if let resumeNow { c.resume(returning: resumeNow) }
            }
            try result.get()
        case let .dial(known, resolver):
            let result = await dial(key, known: known, resolver: resolver)
            let waiting = state.withLockedValue { $0.dialing.removeValue(forKey: key) ?? [] }
            for w in waiting { w.resume(returning: result) }
            try result.get()
        }
    }

    private func dial(_ key: PeerKey, known: [SocketAddress],
                      resolver: (@Sendable (PeerKey) async -> [SocketAddress])?) async -> Result<Void, PeerLinkError> {
        var reasons: [String] = []
        var tried: [SocketAddress] = []
        for address in known {
            tried.append(address)
            do { _ = try await connect(to: address, expecting: key); return .success(()) } catch {
                if case .refused = error { return .failure(error) }
                reasons.append(error.description)
            }
        }
        if let resolver {
            for address in await resolver(key) where !tried.contains(address) {
                do { _ = try await connect(to: address, expecting: key); return .success(()) } catch {
                    if case .refused = error { return .failure(error) }
                    reasons.append(error.description)
                }
            }
        }
        if reasons.isEmpty { return .failure(.noAddress(key)) }
        return .failure(.unreachable(key, reasons))
    }
}
