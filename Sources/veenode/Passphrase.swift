import ArgumentParser
import Foundation

/// Reads passphrases for scripts (a file or an environment variable) or people (a prompt on the
/// terminal with echo off).
enum Passphrase {
    static func read(file: String?, environmentVariable: String, prompt: String, confirm: Bool) throws -> [UInt8] {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw PassphraseError("cannot read the passphrase file \(file)")
            }
            let line = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
            return try checked(Array(line.utf8), source: file)
        }
        if let value = ProcessInfo.processInfo.environment[environmentVariable] {
            return try checked(Array(value.utf8), source: "$\(environmentVariable)")
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw PassphraseError("no passphrase: not on a terminal, so set \(environmentVariable) or pass --passphrase-file")
        }
        let first = try checked(promptLine(prompt), source: "the prompt")
        if confirm {
            let again = promptLine("Repeat it: ")
            guard again == first else { throw PassphraseError("the two passphrases differ; nothing was changed") }
        }
        return first
    }

    static func checked(_ p: [UInt8], source: String) throws -> [UInt8] {
        guard !p.isEmpty else { throw PassphraseError("the passphrase from \(source) is empty") }
        return p
    }


    /// Reads one line from the terminal without echoing it.
    static func promptLine(_ text: String) -> [UInt8] {
        FileHandle.standardError.write(Data(text.utf8))
        var old = termios()
        let haveTerm = tcgetattr(STDIN_FILENO, &old) == 0
        if haveTerm {
            var quiet = old
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if haveTerm { tcsetattr(STDIN_FILENO, TCSAFLUSH, &old) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return Array((readLine(strippingNewline: true) ?? "").utf8)
    }
}

/// A passphrase could not be had; says where to put one. (Not a usage error: no usage text.)
struct PassphraseError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
