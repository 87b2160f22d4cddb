import Testing

@Test func wireTargetBuilds() { #expect(Bool(true)) }
