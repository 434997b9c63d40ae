import BellwetherAPI
import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// The whole body, refused with 413 beyond `limit` bytes, before it is all buffered.
    func body(upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge(limit: limit)
        }
    }

    /// The body as bytes, refused with `tooLarge` past `limit` before it is all buffered (for
    /// protocols that answer a too-large body in their own shape; a compressed body larger than
    /// the limit cannot inflate to less).
    func bytes(upTo limit: Int, refusing tooLarge: @autoclosure () -> any Error) async throws -> [UInt8] {
        do {
            return Array(try await body.collect(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw tooLarge()
        }
    }

    /// The body decoded as `type`, or a 400 that names the field that is wrong.
    func decodeJSON<Value: Decodable>(_ type: Value.Type, limit: Int) async throws -> Value {
        let buffer = try await body(upTo: limit)
        return try Self.decodeJSON(type, from: buffer)
    }

    /// For bodies that may be left out entirely (a manual action's reason): an empty body is `empty`.
    func decodeJSON<Value: Decodable>(_ type: Value.Type, limit: Int, whenEmpty empty: Value) async throws -> Value {
        let buffer = try await body(upTo: limit)
        guard buffer.readableBytesView.contains(where: { ![32, 9, 10, 13].contains($0) }) else { return empty }
        return try Self.decodeJSON(type, from: buffer)
    }

    private static func decodeJSON<Value: Decodable>(_ type: Value.Type, from buffer: ByteBuffer) throws -> Value {
        do {
            return try APICoding.decoder().decode(type, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError.badRequest("the request body is not what this endpoint takes: \(DecodingProblem(error))", code: "malformed-body")
        }
    }
}

/// A `DecodingError` in one sentence that names the field, without Swift type names.
private struct DecodingProblem: CustomStringConvertible {
    let error: DecodingError

    init(_ error: DecodingError) {
        self.error = error
    }

    var description: String {
        switch error {
        case .keyNotFound(let key, let context):
            "missing \"\(Self.path(context.codingPath + [key]))\""
        case .valueNotFound(_, let context):
            "\"\(Self.path(context.codingPath))\" is null"
        case .typeMismatch(let type, let context):
            "\"\(Self.path(context.codingPath))\" must be \(Self.kind(type))"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            "not valid JSON"
        case .dataCorrupted(let context):
            "\"\(Self.path(context.codingPath))\" is invalid: \(context.debugDescription)"
        @unknown default:
            "not valid JSON"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type: "a number"
        case is [String: String].Type: "an object of strings"
        default: "an object"
        }
    }
}
