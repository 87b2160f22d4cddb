import Testing
@testable import VeectorSim

@Test func targetBuilds() { #expect(Bool(true)) }
