import Testing

@Test func placeholder_VeectorRuntimeTests() { #expect(Bool(true)) }
