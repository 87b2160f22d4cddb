import ContentID
import NIOCore
import VeectorNet
import VeectorTransfer
import VeectorWire

extension TransferDriver {
    /// Fetches `content` from whichever peers provide it (or joins the fetch already running) and
    /// completes with its final status: `done` once the whole is stored, verified and announced, or
    /// `failed` with the reason. Content the node already holds completes at once. `manifestID`, when
    /// known, makes any other manifest be refused; `hints` are keys of likely providers (the author of
    /// an announcement) tried beside the DHT's. `aligned` stores the result memory-mappable.
    public func fetch(_ content: CID, manifestID: CID? = nil, hints: [PeerKey] = [], aligned: Bool = true) -> EventLoopFuture<FetchStatus> {
        loop.flatSubmit { [self] in
            if let fetch = fetches[content] {
                let promise = loop.makePromise(of: FetchStatus.self)
                fetch.waiters.append(promise)
                return promise.futureResult
            }
            guard content.sha256Digest != nil else {
                var s = FetchStatus(content: content.description, state: .failed)
                s.error = TransferFailure.invalidRequest(.unsupportedCID(content.description)).description
                return loop.makeSucceededFuture(s)
            }
            if source.holds(content) {
                var s = FetchStatus(content: content.description, state: .done)
                if let m = source.manifest(for: content) {
                    s.totalBytes = m.size; s.bytesHeld = m.size; s.chunkCount = m.chunks.count; s.chunksHeld = m.chunks.count
                }
                finished[content] = s
                return loop.makeSucceededFuture(s)
            }
            let resume = store.resumeState(of: content)
            let request = TransferRequest(content: content, manifestID: manifestID, manifest: resume?.manifest,
                                          heldChunks: resume?.held ?? [])
            let fetch = ActiveFetch(core: TransferCore(request: request, configuration: configuration), aligned: aligned,
                                    resumedChunks: resume?.held.count ?? 0)
            fetch.recorded = resume != nil
            let promise = loop.makePromise(of: FetchStatus.self)
            fetch.waiters.append(promise)
            fetches[content] = fetch
            finished[content] = nil
            logger.info("transfer: fetching", metadata: ["content": "\(content)", "resumedChunks": "\(fetch.resumedChunks)"])
            feed(content, .start)
            let peers = hints.compactMap { try? TransferPeer(publicKey: $0.bytes) }
            if !peers.isEmpty, fetches[content] != nil {
                fetch.found.formUnion(peers)
                feed(content, .addProviders(peers))
            }
            if fetches[content] != nil { findProviders(for: content) }
            return promise.futureResult
        }
    }

    /// The status of `content`'s fetch (running or recently ended), or nil if none is known.
    public func status(of content: CID) -> EventLoopFuture<FetchStatus?> {
        loop.submit { [self] in
            if let f = fetches[content] { return f.status(.running) }
            return finished[content]
        }
    }

    /// Stops the fetch of `content` (what it stored stays for a later resume).
    public func cancel(_ content: CID) {
        loop.execute { [self] in if fetches[content] != nil { feed(content, .cancel) } }
    }

    /// Feeds one event to `content`'s fetch and carries out its actions.
    func feed(_ content: CID, _ event: TransferEvent) {
        guard let fetch = fetches[content] else { return }
        let actions = fetch.core.handle(event, now: clock.now(), rng: &rng)
        for action in actions { perform(action, for: content, fetch) }
    }

    func perform(_ action: TransferAction, for content: CID, _ fetch: ActiveFetch) {
        switch action {
        case let .connect(peer):
            guard let key = PeerKey(peer.publicKey) else { feed(content, .linkDown(peer)); return }
            links.spawn { [self] in
                var up = true
                do { try await links.ensureSession(with: key) } catch { up = false }
                loop.execute { [self] in
                    guard let fetch = fetches[content] else { return }
                    if up {
                        fetch.linked.insert(peer)
                        links.hold(key, .transfer, true)
                        feed(content, .linkUp(peer))
                    } else {
                        feed(content, .linkDown(peer))
                    }
                }
            }
        case let .send(peer, bytes):
            guard let key = PeerKey(peer.publicKey), links.send(.transfer, .data, bytes, to: key) else {
                // The session is gone; tell the core after this batch of actions.
                loop.execute { [self] in
                    fetches[content]?.linked.remove(peer)
                    feed(content, .linkDown(peer))
                }
                return
            }
        case let .disconnect(peer, reason):
            fetch.linked.remove(peer)
            guard let key = PeerKey(peer.publicKey) else { return }
            if fetches.values.allSatisfy({ !$0.linked.contains(peer) }) { links.hold(key, .transfer, false) }
            if reason.isMisbehaviour {
                logger.warning("transfer: refusing a provider", metadata: ["peer": "\(key)", "reason": "\(reason)"])
                links.refuse(key, until: .now() + .hours(1), reason: "transfer: \(reason)")
            }
        case let .setTimer(_, at):
            fetch.timer?.cancel()
            let now = clock.now()
            let delay = at > now ? Int64(at.nanoseconds - now.nanoseconds) : 0
            fetch.timer = loop.scheduleTask(in: .nanoseconds(delay)) { [self] in feed(content, .timer(.wake)) }
        case let .store(_, bytes):
            if !fetch.recorded, let m = fetch.core.chosenManifest {
                do { try store.begin(m); fetch.recorded = true } catch {
                    logger.error("transfer: cannot record the fetch", metadata: ["error": "\(error)"])
                }
            }
            do { try store.store(chunk: bytes) } catch {
                logger.error("transfer: cannot store a chunk", metadata: ["error": "\(error)"])
            }
        case let .checkWhole(manifest):
            fetch.whole = store.assemble(manifest)
            let matches = fetch.whole != nil
            loop.execute { [self] in feed(content, .wholeChecked(matches: matches)) }
        case .needProviders:
            findProviders(for: content)
        case .progress:
            break
        case let .finished(manifest):
            var status = fetch.status(.done)
            if let whole = fetch.whole {
                do { try store.finish(manifest, whole: whole, aligned: fetch.aligned) } catch {
                    status = fetch.status(.failed, error: "the content was fetched and verified but could not be stored: \(error)")
                }
            } else {
                status = fetch.status(.failed, error: "the verified content was lost before it was stored: fetch it again")
            }
            end(content, fetch, status)
            if status.state == .done {
                let announce = discovery.announce
                links.spawn { await announce(content) }
            }
        case let .failed(reason):
            end(content, fetch, fetch.status(.failed, error: reason.description))
        }
    }

    func end(_ content: CID, _ fetch: ActiveFetch, _ status: FetchStatus) {
        fetch.timer?.cancel()
        for peer in fetch.linked {
            if let key = PeerKey(peer.publicKey) { links.hold(key, .transfer, false) }
        }
        fetch.whole = nil
        fetches[content] = nil
        finished[content] = status
        logger.info("transfer: fetch ended", metadata: ["content": "\(content)", "state": "\(status.state)",
                                                         "bytes": "\(status.bytesHeld)", "error": "\(status.error ?? "-")"])
        for w in fetch.waiters { w.succeed(status) }
    }

    /// Looks up providers in the DHT, opens sessions to them (learning their keys) and adds them.
    func findProviders(for content: CID) {
        guard let fetch = fetches[content], !fetch.searching else { return }
        fetch.searching = true
        let find = discovery.findProviders
        links.spawn { [self] in
            let addresses = await find(content)
            var peers: [TransferPeer] = []
            await withTaskGroup(of: PeerKey?.self) { group in
                for address in addresses {
                    // `connect` reuses the session to a key already proved at the address (a second
                    // session would replace the first and cut any transfer on it).
                    group.addTask { try? await self.links.connect(to: address) }
                }
                for await key in group {
                    if let key, let peer = try? TransferPeer(publicKey: key.bytes) { peers.append(peer) }
                }
            }
            loop.execute { [self] in
                guard let fetch = fetches[content] else { return }
                fetch.searching = false
                fetch.found.formUnion(peers)
                feed(content, .addProviders(peers))
            }
        }
    }
}
