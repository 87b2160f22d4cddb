import CMiniUPnPc
import Testing

/// The miniupnpc system library links and answers (no discovery: that would touch the host network).
@Test func miniupnpcLinksAndDescribesErrors() {
    let text = String(cString: strupnperror(UPNPCOMMAND_INVALID_ARGS))
    #expect(text.lowercased().contains("invalid"))
}
