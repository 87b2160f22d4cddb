import Testing
@testable import VeectorBlocks

@Test func targetBuilds() { #expect(Bool(true)) }
