import Testing
@testable import VeectorSession

@Test func targetBuilds() { #expect(Bool(true)) }
