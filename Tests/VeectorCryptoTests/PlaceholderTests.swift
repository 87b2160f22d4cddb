import Testing

@Test func placeholder_VeectorCryptoTests() { #expect(Bool(true)) }
