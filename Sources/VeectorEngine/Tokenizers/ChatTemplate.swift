/// The ChatML prompt format of SmolLM2-Instruct, equivalent to the Jinja `tokenizer.chat_template` in its
/// GGUF: each message becomes `<|im_start|>ROLE\nCONTENT<|im_end|>\n`, a default system message comes
/// first when the conversation has none, and `<|im_start|>assistant\n` invites the model's reply.
public struct ChatTemplate: Sendable, Equatable {
    /// The system prompt used when the first message is not a system message; nil adds none.
    public var defaultSystemPrompt: String?

    /// SmolLM2-Instruct's default system prompt, as in its chat template.
    public static let smolLM2DefaultSystemPrompt =
        "You are a helpful AI assistant named SmolLM, trained by Hugging Face"

    /// A ChatML template with this default system prompt.
    public init(defaultSystemPrompt: String? = ChatTemplate.smolLM2DefaultSystemPrompt) {
        self.defaultSystemPrompt = defaultSystemPrompt
    }

    /// The template described by a GGUF's `tokenizer.chat_template` (Jinja text): its default system
    /// prompt is the text between `<|im_start|>system\n` and `<|im_end|>`, if the template has one.
    public init(jinja: String) {
        let opening = "<|im_start|>system\n"
        if let start = jinja.firstRange(of: opening),
           let end = jinja[start.upperBound...].firstRange(of: "<|im_end|>") {
            defaultSystemPrompt = String(jinja[start.upperBound..<end.lowerBound])
        } else {
            defaultSystemPrompt = nil
        }
    }

    /// The prompt text for `messages`; with `addGenerationPrompt` it ends with `<|im_start|>assistant\n`.
    /// Encode it with special-token parsing on.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> String {
        var text = ""
        if let system = defaultSystemPrompt, let first = messages.first, first.role != "system" {
            text += "<|im_start|>system\n\(system)<|im_end|>\n"
        }
        for message in messages {
            text += "<|im_start|>\(message.role)\n\(message.content)<|im_end|>\n"
        }
        if addGenerationPrompt { text += "<|im_start|>assistant\n" }
        return text
    }
}
