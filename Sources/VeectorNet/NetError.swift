/// What can go wrong in the network runtime, each saying what to do about it.
public enum NetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Could not bind a socket.
    case bindFailed(address: String, reason: String)
    /// The driver is closed.
    case closed
    /// A host:port string could not be read.
    case badEndpoint(String, reason: String)
    /// The control socket could not be reached or answered badly.
    case control(path: String, reason: String)
    /// The running node refused or failed a control request (`code` as in `ControlFailure`).
    case refused(code: String, message: String)
    /// A UPnP operation failed.
    case upnp(operation: String, reason: String)
    /// A file the node keeps (snapshot) could not be written or read.
    case file(path: String, reason: String)

    /// A sentence for the user.
    public var description: String {
        switch self {
        case let .bindFailed(address, reason):
            return "cannot bind \(address): \(reason) — choose another --port or stop the process using it"
        case .closed:
            return "the network driver is closed (the node is shutting down)"
        case let .badEndpoint(text, reason):
            return "bad endpoint '\(text)': \(reason) — write it as IPv4:PORT, e.g. 127.0.0.1:6881"
        case let .control(path, reason):
            return "control socket \(path): \(reason) — is `veenode start` running for this home?"
        case let .refused(_, message):
            return message
        case let .file(path, reason):
            return "\(path): \(reason) — check the home folder's permissions and free space"
        case let .upnp(operation, reason):
            return "UPnP \(operation) failed: \(reason) — the node carries on without a port mapping (use --no-upnp to skip UPnP)"
        }
    }
}
