/// Why a scenario file could not be read. Says the file's line and what was expected there.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line number.
    public let line: Int
    /// What is wrong.
    public let message: String

    /// An error at `line`.
    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "scenario line \(line): \(message)" }
}
