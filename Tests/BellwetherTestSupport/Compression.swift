import CZlib

/// Compresses request bodies the way OTLP exporters do, so tests can send what they send.
public enum Compression {
    public enum Format: Sendable {
        /// `Content-Encoding: gzip`.
        case gzip
        /// `Content-Encoding: deflate` as HTTP means it: a zlib stream (Python's `zlib.compress`).
        case zlib
        /// A raw deflate stream, which some clients send as `deflate`.
        case rawDeflate

        var windowBits: Int32 {
            switch self {
            case .gzip: 15 + 16
            case .zlib: 15
            case .rawDeflate: -15
            }
        }
    }

    public static func compress(_ input: [UInt8], _ format: Format) -> [UInt8] {
        var stream = z_stream()
        let started = deflateInit2_(
            &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, format.windowBits, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size)
        )
        precondition(started == Z_OK, "zlib deflateInit2 failed: \(started)")
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 64)
        var input = input
        let status = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        precondition(status == Z_STREAM_END, "zlib deflate did not finish: \(status)")
        return Array(output.prefix(Int(stream.total_out)))
    }
}
