import Testing
import VeectorDHT
import VeectorWire

@Suite("Storage: write tokens")
struct StorageTokenTests {
    let alice = IPv4Address(1, 2, 3, 4)
    let bob = IPv4Address(5, 6, 7, 8)
    let target = NodeID([UInt8](repeating: 0xAB, count: 20))!
    let other = NodeID([UInt8](repeating: 0xCD, count: 20))!

    @Test func acceptedForTheRightIPAndTargetOnly() {
        var rng = SeededRNG(seed: 1)
        var issuer = TokenIssuer(now: .zero, rng: &rng)
        let token = issuer.token(for: alice, target: target, now: .seconds(10), rng: &rng)
        #expect(token.count == TokenIssuer.tokenBytes)
        #expect(issuer.isValid(token, for: alice, target: target, now: .seconds(20), rng: &rng))
        #expect(!issuer.isValid(token, for: bob, target: target, now: .seconds(20), rng: &rng))
        #expect(!issuer.isValid(token, for: alice, target: other, now: .seconds(20), rng: &rng))
        #expect(!issuer.isValid(Array(token.prefix(7)), for: alice, target: target, now: .seconds(20), rng: &rng))
        #expect(!issuer.isValid([], for: alice, target: target, now: .seconds(20), rng: &rng))
        // The same requester and target get the same token within a period.
        #expect(issuer.token(for: alice, target: target, now: .seconds(299), rng: &rng) == token)
        #expect(issuer.token(for: bob, target: target, now: .seconds(299), rng: &rng) != token)
    }

    @Test func livesFiveToTenMinutes() {
        var rng = SeededRNG(seed: 2)
        var issuer = TokenIssuer(now: .zero, rng: &rng)
        // Issued just before the first rotation (300 s): valid through the next period only.
        let late = issuer.token(for: alice, target: target, now: .seconds(299), rng: &rng)
        #expect(issuer.isValid(late, for: alice, target: target, now: .seconds(300), rng: &rng))
        #expect(issuer.isValid(late, for: alice, target: target, now: .seconds(599), rng: &rng))
        #expect(!issuer.isValid(late, for: alice, target: target, now: .seconds(600), rng: &rng))
        // Issued right after a rotation: lives almost 10 minutes.
        let early = issuer.token(for: alice, target: target, now: .seconds(600), rng: &rng)
        #expect(early != late)
        #expect(issuer.isValid(early, for: alice, target: target, now: .seconds(1199), rng: &rng))
        #expect(!issuer.isValid(early, for: alice, target: target, now: .seconds(1200), rng: &rng))
    }

    @Test func aLongSilenceKillsEveryToken() {
        var rng = SeededRNG(seed: 3)
        var issuer = TokenIssuer(now: .zero, rng: &rng)
        let token = issuer.token(for: alice, target: target, now: .seconds(1), rng: &rng)
        // Two rotations happen in one call: both secrets are fresh.
        #expect(!issuer.isValid(token, for: alice, target: target, now: .seconds(601), rng: &rng))
        // The schedule stays aligned: the next rotation is at 900 s.
        let next = issuer.token(for: alice, target: target, now: .seconds(700), rng: &rng)
        #expect(issuer.isValid(next, for: alice, target: target, now: .seconds(1199), rng: &rng))
        #expect(!issuer.isValid(next, for: alice, target: target, now: .seconds(1200), rng: &rng))
    }

    @Test func seededIssuersAreDeterministicAndDistinct() {
        var a = SeededRNG(seed: 9), b = SeededRNG(seed: 9), c = SeededRNG(seed: 10)
        var ia = TokenIssuer(now: .zero, rng: &a), ib = TokenIssuer(now: .zero, rng: &b), ic = TokenIssuer(now: .zero, rng: &c)
        let ta = ia.token(for: alice, target: target, now: .zero, rng: &a)
        #expect(ta == ib.token(for: alice, target: target, now: .zero, rng: &b))
        #expect(ta != ic.token(for: alice, target: target, now: .zero, rng: &c))
    }
}
