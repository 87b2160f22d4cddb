import Testing

@Test func placeholder_VeectorNodeTests() { #expect(Bool(true)) }
