import Testing

@Test func placeholder_VeectorDBTests() { #expect(Bool(true)) }
