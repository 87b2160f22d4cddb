/// Why a fetch gave up. Each description says what to do.
public enum TransferFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// No provider was ever known for the content.
    case noProviders
    /// Every provider tried was dropped; how many, by reason.
    case allProvidersFailed(tried: Int, reasons: [TransferDropReason: Int])
    /// Every provider that answered sent content that is not the requested content.
    case corruptContentFromEveryProvider(tried: Int)
    /// The request itself is unusable (a CID transfer cannot verify, a resume manifest for other content).
    case invalidRequest(TransferError)
    /// The application cancelled.
    case cancelled

    /// What happened and what to do.
    public var description: String {
        switch self {
        case .noProviders:
            "no provider of the content was found: check that a peer announced it, or try again later"
        case let .allProvidersFailed(tried, reasons):
            "all \(tried) providers failed ("
                + reasons.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                + "): try again later or find more providers"
        case let .corruptContentFromEveryProvider(tried):
            "all \(tried) providers sent data that does not match the content ID: the ID may be wrong, or every provider is malicious"
        case let .invalidRequest(error):
            "the request cannot be fetched: \(error)"
        case .cancelled:
            "the fetch was cancelled"
        }
    }
}
