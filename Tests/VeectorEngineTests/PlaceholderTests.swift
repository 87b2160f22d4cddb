import Testing

@Test func engineTargetBuilds() { #expect(Bool(true)) }
