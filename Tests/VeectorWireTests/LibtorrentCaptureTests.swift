import Testing
import VeectorWire

/// Datagrams captured from a real libtorrent 2.0.8 node (Debian `python3-libtorrent`) on loopback
/// inside a network namespace, November 2026: its replies to our queries, and the queries it sent
/// us when we were its only DHT node (`add_dht_node`, then `dht_put_immutable_item(b"Veector")` and
/// `dht_put_mutable_item` with the expanded key of seed 07×32, salt "devices"). They show our strict
/// decoder accepts a real independent peer's bytes and our encoder writes the same bytes it does.
@Suite("libtorrent 2.0.8 captures")
struct LibtorrentCaptureTests {
    static let ltID = "2e29015460320c2b25f78bc845f5c12bb779c135"
    static let ltVersion: [UInt8] = [0x4C, 0x54, 0x02, 0x08] // "LT" 2.0.8
    let us = PeerAddress(ip: IPv4Address(127, 0, 0, 1), port: 7000)
    let ourID = NodeID([UInt8](ascii: "abcdefghij0123456789"))!

    func decode(_ hex: String) throws -> KRPCMessage { try KRPCMessage(decoding: [UInt8](hex: hex)) }

    /// libtorrent adds `p` (the querier's port) to every reply; it is ignored, so re-encoding
    /// gives libtorrent's bytes without `1:pi7000e`.
    func withoutP(_ hex: String) -> [UInt8] {
        let bytes = [UInt8](hex: hex), p = [UInt8](ascii: "1:pi7000e")
        for i in 0...(bytes.count - p.count) where Array(bytes[i..<(i + p.count)]) == p {
            return Array(bytes[..<i]) + Array(bytes[(i + p.count)...])
        }
        return bytes
    }

    @Test func pingReply() throws {
        let hex = "64323a6970363a7f0000011b58313a7264323a696432303a2e29015460320c2b25f78bc845f5c12bb779c135313a7069373030306565313a74323a6161313a76343a4c540208313a79313a7265"
        let m = try decode(hex)
        #expect(m.transactionID == [UInt8](ascii: "aa"))
        #expect(m.externalAddress == us)
        #expect(m.clientVersion == Self.ltVersion)
        #expect(m.body == .response(KRPCResponse(id: NodeID([UInt8](hex: Self.ltID))!)))
        #expect(m.encoded() == withoutP(hex))
    }

    @Test func findNodeAndGetPeersReplies() throws {
        let findNode = "64323a6970363a7f0000011b58313a7264323a696432303a2e29015460320c2b25f78bc845f5c12bb779c135353a6e6f64657332363a6162636465666768696a303132333435363738397f0000011b58313a7069373030306565313a74323a6162313a76343a4c540208313a79313a7265"
        guard case let .response(r) = try decode(findNode).body else { Issue.record("not a reply"); return }
        #expect(r.nodes == [NodeContact(id: ourID, address: us)])
        #expect(try decode(findNode).encoded() == withoutP(findNode))

        let getPeers = "64323a6970363a7f0000011b58313a7264323a696432303a2e29015460320c2b25f78bc845f5c12bb779c135353a6e6f64657332363a6162636465666768696a303132333435363738397f0000011b58313a70693730303065353a746f6b656e343a843a355965313a74323a6163313a76343a4c540208313a79313a7265"
        guard case let .response(g) = try decode(getPeers).body else { Issue.record("not a reply"); return }
        #expect(g.token == [0x84, 0x3A, 0x35, 0x59])
        #expect(g.values == nil)
        #expect(try decode(getPeers).encoded() == withoutP(getPeers))
    }

    @Test func immutableGetPutGet() throws {
        let get = "64323a6970363a7f0000011b58313a7264323a696432303a2e29015460320c2b25f78bc845f5c12bb779c135353a6e6f64657332363a6162636465666768696a303132333435363738397f0000011b58313a70693730303065353a746f6b656e343ad5459f1765313a74323a6164313a76343a4c540208313a79313a7265"
        guard case let .response(first) = try decode(get).body else { Issue.record("not a reply"); return }
        #expect(first.value == nil && first.token == [0xD5, 0x45, 0x9F, 0x17])
        let put = "64323a6970363a7f0000011b58313a7264323a696432303a2e29015460320c2b25f78bc845f5c12bb779c135313a7069373030306565313a74323a6165313a76343a4c540208313a79313a7265"
        #expect(try decode(put).body == .response(KRPCResponse(id: NodeID([UInt8](hex: Self.ltID))!)))
        let again = "64323a6970363a7f0000011b58313a7264323a696432303a2e29015460320c2b25f78bc845f5c12bb779c135353a6e6f64657332363a6162636465666768696a303132333435363738397f0000011b58313a70693730303065353a746f6b656e343ad5459f17313a7631323a48656c6c6f20576f726c642165313a74323a6166313a76343a4c540208313a79313a7265"
        guard case let .response(stored) = try decode(again).body else { Issue.record("not a reply"); return }
        #expect(stored.value == "Hello World!")
        #expect(BEP44.immutableTarget(value: stored.value!).description == "e5f96f6f38320f0f33959cb4d3d656452117aadb")
        #expect(try decode(again).encoded() == withoutP(again))
    }

    @Test func unknownMethodError() throws {
        // libtorrent answers an unknown method with 203 "unknown message" and also an `r`.
        let hex = "64313a656c693230336531353a756e6b6e6f776e206d65737361676565323a6970363a7f0000011b58313a7264323a696432303a2e29015460320c2b25f78bc845f5c12bb779c135313a7069373030306565313a74323a6167313a76343a4c540208313a79313a6565"
        #expect(try decode(hex).body == .error(KRPCErrorMessage(code: 203, "unknown message")))
    }

    @Test func libtorrentQueriesReencodeByteForByte() throws {
        let ltNode = NodeID([UInt8](hex: "9ffda778e5a453ff1cb23642d99e49ef82df9893"))!
        let getPeers = "64313a6164323a696432303a9ffda778e5a453ff1cb23642d99e49ef82df9893393a696e666f5f6861736832303a87b35d88c9c59a8a33d019de703cac17f53d621965313a71393a6765745f7065657273313a74323a3000313a76343a4c540208313a79313a7165"
        let get = "64313a6164323a696432303a9ffda778e5a453ff1cb23642d99e49ef82df9893363a74617267657432303aeda93bfa31f2b291cee4bd43bba9263e8821412565313a71333a676574313a74323a879f313a76343a4c540208313a79313a7165"
        let put = "64313a6164323a696432303a9ffda778e5a453ff1cb23642d99e49ef82df9893353a746f6b656e323a746b313a76373a56656563746f7265313a71333a707574313a74323a2cfe313a76343a4c540208313a79313a7165"
        for hex in [getPeers, get, put] {
            let m = try decode(hex)
            #expect(m.encoded() == [UInt8](hex: hex))
            #expect(m.clientVersion == Self.ltVersion)
        }
        guard case let .query(.get(g)) = try decode(get).body else { Issue.record("not a get"); return }
        #expect(g.id == ltNode)
        // libtorrent's put of b"Veector" first looks up its immutable target.
        #expect(g.target == BEP44.immutableTarget(value: "Veector"))
        guard case let .query(.put(p)) = try decode(put).body else { Issue.record("not a put"); return }
        #expect(p.item == .immutable("Veector") && p.token == [UInt8](ascii: "tk"))
    }

    /// libtorrent's own signature over a mutable item equals ours from the same Ed25519 seed.
    @Test func libtorrentMutablePutMatchesOurSignature() throws {
        let hex = "64313a6164323a696432303a9ffda778e5a453ff1cb23642d99e49ef82df9893313a6b33323aea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c343a73616c74373a64657669636573333a736571693165333a73696736343a47c1788a972ef54dcbefd7eb8215eb9e1486af1842d0a296dfab0c4aff7a6a5b27da0790c6496602f52602b674fd27adad1b2245d1c62f33d860ec2403c8fa03353a746f6b656e323a746b313a7632353a656e64706f696e74203130302e3132382e302e313a3638383165313a71333a707574313a74323a6214313a76343a4c540208313a79313a7165"
        let m = try decode(hex)
        #expect(m.encoded() == [UInt8](hex: hex))
        guard case let .query(.put(p)) = m.body, case let .mutable(item) = p.item else { Issue.record("not a mutable put"); return }
        #expect(item.isSignatureValid)
        #expect(item.seq == 1 && item.salt == [UInt8](ascii: "devices") && item.value == "endpoint 100.128.0.1:6881")
        #expect(p.cas == nil)
        let ours = try #require(MutableItem.signed(value: "endpoint 100.128.0.1:6881", seq: 1, salt: [UInt8](ascii: "devices"),
                                                   seed: [UInt8](repeating: 7, count: 32)))
        #expect(ours == item)
        #expect(BEP44.rejection(of: .mutable(item)) == nil)
    }
}
