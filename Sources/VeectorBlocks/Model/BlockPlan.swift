import VeectorEngine

/// The choice of one block per role for a model under a profile and a memory budget.
///
/// A fixed profile takes that variant where the role has it, else the nearest better one, else the
/// best there is (embedding and head have only `ultimate`). `auto` is described on `Profile.auto`.
public struct BlockPlan: Sendable, Equatable {
    /// The chosen block for each role, by role name.
    public let choices: [String: VariantEntry]
    /// Roles each role borrows from, by role name.
    public let needs: [String: [String]]

    /// Plans `manifest` under `profile`; throws `.budgetTooSmall` with the least budget that would work.
    public init(manifest: ModelManifest, profile: Profile, memoryBudget: Int) throws(WeightSourceError) {
        var needs: [String: [String]] = [:]
        for e in manifest.blocks { needs[e.role] = e.needs }
        // A block may borrow only from a block that borrows nothing itself: no chains, no cycles.
        for (role, lenders) in needs {
            for lender in lenders where lender == role || needs[lender] == nil || needs[lender]?.isEmpty == false {
                throw .unavailable(block: BlockRoleName.role(role) ?? .head,
                                   reason: "it borrows from '\(lender)', which the model does not have or which borrows itself; re-import the model")
            }
        }
        self.needs = needs
        guard profile == .auto else {
            let v = Variant(rawValue: profile.rawValue)!
            let choices = Self.choose(manifest, v)
            let minimum = Self.minimumBudget(choices, needs)
            guard minimum <= memoryBudget else { throw .budgetTooSmall(budget: memoryBudget, minimum: minimum) }
            self.choices = choices
            return
        }
        let tiers = Variant.allCases.sorted(by: >).map { Self.choose(manifest, $0) }
        if let whole = tiers.first(where: { Self.total($0) <= memoryBudget }) {
            choices = whole
        } else if let streaming = tiers.first(where: { Self.minimumBudget($0, needs) <= memoryBudget }) {
            choices = streaming
        } else {
            throw .budgetTooSmall(budget: memoryBudget, minimum: tiers.map { Self.minimumBudget($0, needs) }.min() ?? 0)
        }
    }

    /// The least budget under which every role can be loaded together with the blocks it borrows from.
    public var minimumBudget: Int { Self.minimumBudget(choices, needs) }

    /// The bytes of all chosen blocks.
    public var totalBytes: Int { Self.total(choices) }

    /// The chosen block for `role`.
    public func choice(_ role: BlockRole) -> VariantEntry? { choices[BlockRoleName.name(role)] }

    static func choose(_ manifest: ModelManifest, _ wanted: Variant) -> [String: VariantEntry] {
        var out: [String: VariantEntry] = [:]
        for e in manifest.blocks {
            let ascending = e.variants.sorted { $0.variant < $1.variant }
            out[e.role] = e.variant(wanted) ?? ascending.first { $0.variant > wanted } ?? ascending.last
        }
        return out
    }

    static func total(_ choices: [String: VariantEntry]) -> Int { choices.values.reduce(0) { $0 + $1.bytes } }

    static func minimumBudget(_ choices: [String: VariantEntry], _ needs: [String: [String]]) -> Int {
        choices.map { role, entry in entry.bytes + (needs[role] ?? []).reduce(0) { $0 + (choices[$1]?.bytes ?? 0) } }.max() ?? 0
    }
}
