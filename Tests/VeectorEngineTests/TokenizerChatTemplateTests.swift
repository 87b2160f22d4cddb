import Testing
import VeectorEngine

@Suite struct TokenizerChatTemplateTests {
    @Test func injectsDefaultSystemPrompt() {
        let prompt = ChatTemplate().render([ChatMessage(role: "user", content: "Hi")])
        #expect(prompt == "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
            + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
    }

    @Test func keepsGivenSystemPromptAndTurns() {
        let messages = [ChatMessage(role: "system", content: "Be brief."), ChatMessage(role: "user", content: "2+2?"),
                        ChatMessage(role: "assistant", content: "4"), ChatMessage(role: "user", content: "And 3+3?")]
        #expect(ChatTemplate().render(messages, addGenerationPrompt: false)
            == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n"
            + "<|im_start|>assistant\n4<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n")
        #expect(ChatTemplate(defaultSystemPrompt: nil).render([ChatMessage(role: "user", content: "x")])
            == "<|im_start|>user\nx<|im_end|>\n<|im_start|>assistant\n")
        #expect(ChatTemplate().render([]) == "<|im_start|>assistant\n")
    }

    @Test func readsDefaultSystemPromptFromJinja() {
        let jinja = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
            + "{{ '<|im_start|>system\nYou are Tiny.<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role']}}"
        #expect(ChatTemplate(jinja: jinja).defaultSystemPrompt == "You are Tiny.")
        #expect(ChatTemplate(jinja: "{{ messages }}").defaultSystemPrompt == nil)
    }
}
