import Testing
@testable import VeectorIdentity

@Test func targetBuilds() { #expect(Bool(true)) }
