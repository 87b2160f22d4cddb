import Testing

/// The suites that start many real processes (swarms, namespaces, interop) run one after another, never
/// together: forty-odd processes on two cores at once starve one another's timeouts.
@Suite("Real processes, one suite at a time", .serialized)
struct RealProcesses {}
