import Testing

@Test func dhtTargetBuilds() { #expect(Bool(true)) }
