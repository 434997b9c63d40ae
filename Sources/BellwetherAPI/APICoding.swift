import Foundation

/// How the API writes and reads JSON, in one place so the server and the command-line client can
/// never disagree: dates as ISO 8601 text (readable in `curl` output, unambiguous in any language),
/// keys sorted so responses are stable enough to diff.
public enum APICoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
