/// One turn of a conversation given to a chat model: who speaks (`system`, `user`, `assistant`) and what
/// they say. Decodes from the `{"role", "content"}` objects of a messages JSON file.
public struct ChatMessage: Sendable, Equatable, Codable {
    /// The speaker: "system", "user" or "assistant".
    public var role: String
    /// What the speaker says.
    public var content: String

    /// A message from `role` saying `content`.
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}
