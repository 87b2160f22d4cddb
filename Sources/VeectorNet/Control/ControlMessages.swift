/// One request on the control socket: a method name ("status", "peers", "dht.get", …) and string
/// parameters, sent as one JSON line: `{"method":"dht.get","params":{"target":"…"}}`.
public struct ControlRequest: Codable, Sendable, Equatable {
    /// What to do.
    public var method: String
    /// Its arguments, by name.
    public var params: [String: String]

    /// Makes a request.
    public init(method: String, params: [String: String] = [:]) {
        self.method = method
        self.params = params
    }
}

/// A failed control request, sent back as `{"ok":false,"error":{"code":…,"message":…}}`.
public struct ControlFailure: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    /// A stable machine-readable reason: `bad-request`, `unknown-method`, `bad-param`, `failed`, `unavailable`.
    public var code: String
    /// What went wrong and what to do, for a person.
    public var message: String

    /// Makes a failure.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// A request that named an unknown method.
    public static func unknownMethod(_ name: String) -> ControlFailure {
        ControlFailure(code: "unknown-method", message: "unknown method '\(name)'")
    }

    /// A missing or malformed parameter.
    public static func badParam(_ name: String, _ reason: String) -> ControlFailure {
        ControlFailure(code: "bad-param", message: "parameter '\(name)': \(reason)")
    }

    /// "code: message".
    public var description: String { "\(code): \(message)" }
}

/// Answers control requests; the node implements it. The result is any `Encodable` value, written as the
/// response's `result`.
public protocol ControlHandler: Sendable {
    /// Answers one request.
    func respond(to request: ControlRequest) async throws(ControlFailure) -> any Encodable & Sendable
}
