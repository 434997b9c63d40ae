import BellwetherOpAMP
import BellwetherTestSupport
import Foundation
import SwiftProtobuf
import Testing

@Suite struct OpAMPMessageDecoderTests {
    let decoder = OpAMPMessageDecoder(limit: 1 << 16)

    func valid() throws -> [UInt8] {
        try OpAMPAgentToServer.with { $0.instanceUid = Data(repeating: 7, count: 16); $0.sequenceNum = 3 }.serializedBytes()
    }

    @Test func gzipAndPlainBodiesDecode() throws {
        let plain = try decoder.decode(try valid(), contentType: "application/x-protobuf", contentEncoding: nil)
        let gzipped = try decoder.decode(Compression.compress(try valid(), .gzip), contentType: "application/x-protobuf", contentEncoding: "gzip")
        #expect(plain.sequenceNum == 3 && gzipped == plain)
    }

    @Test func refusalsSayWhatToFix() throws {
        #expect(throws: OpAMPRequestError.unsupportedContentType("application/json")) {
            try decoder.decode(try valid(), contentType: "application/json", contentEncoding: nil)
        }
        #expect(throws: OpAMPRequestError.malformedMessage("the protobuf message is truncated (a length runs past the end of the body)")) {
            try decoder.decode([0x0A, 0x10, 1, 2], contentType: "application/x-protobuf", contentEncoding: nil)
        }
        #expect(throws: OpAMPRequestError.invalidInstanceUID(byteCount: 3)) {
            try decoder.decode(try OpAMPAgentToServer.with { $0.instanceUid = Data([1, 2, 3]) }.serializedBytes(), contentType: "application/x-protobuf", contentEncoding: nil)
        }
        #expect(throws: OpAMPRequestError.tooLarge(limit: 16)) {
            try OpAMPMessageDecoder(limit: 16).decode(Compression.compress([UInt8](repeating: 0, count: 4096), .gzip), contentType: "application/x-protobuf", contentEncoding: "gzip")
        }
    }
}
