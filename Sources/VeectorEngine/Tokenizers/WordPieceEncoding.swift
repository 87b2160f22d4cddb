/// The input a BERT model takes for one text: token ids (`[CLS] … [SEP]`), the attention mask (1 for a
/// real token, 0 for padding) and the token type ids (all 0 for a single sentence).
public struct WordPieceEncoding: Sendable, Equatable {
    /// Token ids, starting with `[CLS]` and ending with `[SEP]` (then padding, if padded).
    public var ids: [Int]
    /// 1 for each real token, 0 for each padding token.
    public var attentionMask: [Int]
    /// The segment of each token: 0 throughout for a single sentence.
    public var tokenTypeIDs: [Int]

    /// An encoding of these ids, all real tokens of segment 0.
    public init(ids: [Int]) {
        self.ids = ids
        attentionMask = Array(repeating: 1, count: ids.count)
        tokenTypeIDs = Array(repeating: 0, count: ids.count)
    }

    /// This encoding padded with `paddingID` (mask 0) up to `length` tokens; longer ones are unchanged.
    public func padded(to length: Int, with paddingID: Int) -> WordPieceEncoding {
        var copy = self
        let extra = max(0, length - ids.count)
        copy.ids += Array(repeating: paddingID, count: extra)
        copy.attentionMask += Array(repeating: 0, count: extra)
        copy.tokenTypeIDs += Array(repeating: 0, count: extra)
        return copy
    }
}
