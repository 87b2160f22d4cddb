import VeectorWire

/// BEP 5 write tokens: what `get_peers` and `get` replies carry and `announce_peer` and `put`
/// must bring back. A token is the first 8 bytes of SHA-1(secret ‖ requester IP ‖ target), so it
/// is bound to the requester's address and (as libtorrent does) to the info-hash or item target.
/// The secret is replaced every `rotationInterval` (5 minutes) from the injected random source,
/// and tokens made with the current or the previous secret are accepted: a token lives 5–10
/// minutes. Nothing is stored per requester.
public struct TokenIssuer: Sendable {
    /// Bytes in a token.
    public static let tokenBytes = 8
    /// Bytes in a secret.
    public static let secretBytes = 16
    /// How often the secret is replaced.
    public let rotationInterval: Duration
    private var current: [UInt8]
    private var previous: [UInt8]
    private var periodStart: Instant

    /// Starts with two fresh secrets (so nothing made before `now` is valid); the first
    /// rotation is due at `now + rotationInterval`.
    public init(now: Instant, rotationInterval: Duration = .seconds(300), rng: inout some RandomNumberGenerator) {
        precondition(rotationInterval > .zero, "rotationInterval must be positive")
        self.rotationInterval = rotationInterval
        current = Self.freshSecret(&rng)
        previous = Self.freshSecret(&rng)
        periodStart = now
    }

    /// The token for `ip` writing under `target` (rotating the secret first if it is due).
    public mutating func token(for ip: IPv4Address, target: NodeID, now: Instant, rng: inout some RandomNumberGenerator) -> [UInt8] {
        rotateIfDue(now: now, rng: &rng)
        return Self.token(secret: current, ip: ip, target: target)
    }

    /// True if `token` was issued to `ip` for `target` under the current or the previous secret
    /// (rotating the secret first if it is due).
    public mutating func isValid(_ token: [UInt8], for ip: IPv4Address, target: NodeID, now: Instant, rng: inout some RandomNumberGenerator) -> Bool {
        rotateIfDue(now: now, rng: &rng)
        guard token.count == Self.tokenBytes else { return false }
        return token == Self.token(secret: current, ip: ip, target: target)
            || token == Self.token(secret: previous, ip: ip, target: target)
    }

    /// Replaces the secret once per whole `rotationInterval` elapsed since the last rotation;
    /// after two or more intervals both secrets are fresh, so every older token is dead.
    /// Rotations stay on the schedule fixed at `init` however late this is called.
    public mutating func rotateIfDue(now: Instant, rng: inout some RandomNumberGenerator) {
        let elapsed = now.duration(since: periodStart)
        guard elapsed >= rotationInterval else { return }
        let periods = elapsed.nanosecondCount / rotationInterval.nanosecondCount
        if periods == 1 {
            previous = current
            current = Self.freshSecret(&rng)
        } else {
            previous = Self.freshSecret(&rng)
            current = Self.freshSecret(&rng)
        }
        periodStart = periodStart.advanced(by: .nanoseconds(periods * rotationInterval.nanosecondCount))
    }

    private static func token(secret: [UInt8], ip: IPv4Address, target: NodeID) -> [UInt8] {
        Array(SHA1.hash(secret + ip.bytes + target.bytes).prefix(tokenBytes))
    }

    private static func freshSecret(_ rng: inout some RandomNumberGenerator) -> [UInt8] {
        (0..<secretBytes).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
    }
}
