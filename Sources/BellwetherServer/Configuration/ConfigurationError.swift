/// A server setting that cannot be used, with what to write instead. `bellwether serve` prints it
/// and exits 2 before opening anything.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
