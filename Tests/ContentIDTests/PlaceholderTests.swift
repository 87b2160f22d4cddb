import Testing

@Test func placeholder_ContentIDTests() { #expect(Bool(true)) }
