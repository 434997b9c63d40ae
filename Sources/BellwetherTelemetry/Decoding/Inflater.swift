import CZlib

/// Undoes a request's `Content-Encoding` with the system zlib, stopping as soon as the output
/// passes the receiver's limit: a few kilobytes of gzip can inflate to gigabytes, so the limit
/// must hold on what comes out, not on what came in.
public enum Inflater {
    private static let chunkSize = 64 * 1024

    public static func decode(_ body: [UInt8], coding: ContentCoding, limit: Int) throws(OTLPRequestError) -> [UInt8] {
        switch coding {
        case .identity:
            guard body.count <= limit else { throw .tooLarge(limit: limit) }
            return body
        case .gzip:
            return try inflate(body, windowBits: 15 + 16, limit: limit).get()
        case .deflate:
            // HTTP's deflate is a zlib stream; a raw deflate stream has no header to check.
            let windowBits: Int32 = hasZlibHeader(body) ? 15 : -15
            return try inflate(body, windowBits: windowBits, limit: limit).get()
        }
    }

    /// RFC 1950: compression method 8 and a header checksum that is a multiple of 31.
    private static func hasZlibHeader(_ body: [UInt8]) -> Bool {
        guard body.count >= 2 else { return false }
        return body[0] & 0x0F == 8 && (UInt16(body[0]) << 8 | UInt16(body[1])) % 31 == 0
    }

    /// Concatenated gzip members (RFC 1952 allows them) inflate one after another.
    private static func inflate(_ input: [UInt8], windowBits: Int32, limit: Int) -> Result<[UInt8], OTLPRequestError> {
        if input.isEmpty { return .success([]) }
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return .failure(.malformedCompression("zlib could not start"))
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        return input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunkSize - Int(stream.avail_out)
                guard output.count + produced <= limit else { return .failure(.tooLarge(limit: limit)) }
                output.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_STREAM_END where stream.avail_in == 0:
                    return .success(output)
                case Z_STREAM_END:
                    guard inflateReset(&stream) == Z_OK else { return .failure(.malformedCompression("zlib could not restart")) }
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    return .failure(.malformedCompression("the stream ends before its end marker (truncated)"))
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    return .failure(.malformedCompression(message))
                }
            }
        }
    }
}
