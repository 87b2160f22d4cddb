import CSodium

/// The libsodium library as a whole: the one place that makes sure it is initialised.
///
/// Every entry point of VeectorCrypto calls `ensureInitialized()` first, so callers never need to;
/// it is public for code that calls libsodium's C functions directly.
public enum Sodium {
    /// The result of the one and only `sodium_init()` call. Swift runs a `static let` initialiser
    /// exactly once, thread-safely (`swift_once`), which is what makes `ensureInitialized` safe to
    /// call from any thread at any time.
    private static let initialization: Int32 = sodium_init()

    /// Initialises libsodium once per process (thread-safe, cheap after the first call).
    ///
    /// `sodium_init` fails only if the operating system cannot supply random numbers; nothing
    /// cryptographic can be done safely then, so the process stops with a message saying why.
    public static func ensureInitialized() {
        if initialization < 0 {
            fatalError("libsodium could not initialise (sodium_init returned -1): the system random number source is unavailable; check /dev/urandom or getrandom(2)")
        }
    }
}
