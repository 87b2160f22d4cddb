/// Which variant of each block to run: a fixed nest level, or `auto` to let the memory budget decide.
public enum Profile: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// Prefer 4-bit layer blocks.
    case lite
    /// Prefer 8-bit layer blocks.
    case pro
    /// Prefer the source precision.
    case ultimate
    /// The best variant that fits the budget: the best level at which the whole model stays in memory,
    /// else the best level whose largest block (with what it borrows) fits, streaming blocks in turn.
    case auto

    /// The profile's name.
    public var description: String { rawValue }
}
