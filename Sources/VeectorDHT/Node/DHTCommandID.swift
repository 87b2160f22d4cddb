/// The driver's name for one command, echoed in `DHTAction.complete` so it can match results to
/// requests. The node never interprets it; the driver keeps IDs of running commands distinct.
public struct DHTCommandID: Hashable, Sendable, Comparable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// The number the driver chose.
    public var rawValue: UInt64

    /// Wraps a number.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// An integer literal names a command.
    public init(integerLiteral value: UInt64) { rawValue = value }

    /// Orders IDs by number.
    public static func < (lhs: DHTCommandID, rhs: DHTCommandID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// "#42".
    public var description: String { "#\(rawValue)" }
}
