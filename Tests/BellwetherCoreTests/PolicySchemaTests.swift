import Foundation
import Testing
@testable import BellwetherCore

/// `policies/policy.schema.json` is what editors validate against; the decoder is what the
/// controller trusts. These tests keep the two describing the same format.
@Suite struct PolicySchemaTests {
    static let schemaFile = policiesDirectory.appendingPathComponent("policy.schema.json")

    /// Mistakes a JSON Schema can express; the rest (rising percents, unique names) only the decoder sees.
    static let schemaExpressible: Set<String> = [
        "name missing", "unknown top-level key", "misspelt analysis key", "percent in words", "bake without a unit",
        "bake with an unknown unit", "percent above 100", "no steps", "alpha too large", "no checks",
        "check with two kinds", "check with no kind", "onFail misspelt", "quantile outside (0, 1)",
        "span status other than error", "webhook that is not http", "webhook format misspelt",
        "metrics without a url", "metrics url that is not http", "prometheus label that is not a name", "authorization header in a policy",
        "authorizationEnv holding a header", "prometheus timeout without a unit", "metrics naming no source",
    ]

    @Test func everySchemaObjectAllowsExactlyTheKeysTheDecoderKnows() throws {
        let schema = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: Self.schemaFile)) as? [String: Any])
        var walk = SchemaWalk(root: schema)
        walk.visit(schema, path: "")
        #expect(walk.closedObjects == PolicyDecoder.knownKeys)
        #expect(walk.openObjects.isEmpty, "objects without additionalProperties: false: \(walk.openObjects)")
    }

    @Test func pythonJSONSchemaAcceptsTheExamplesAndRejectsWhatTheDecoderRejects() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("policy-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let invalid = PolicyDiagnosticsTests.cases.filter { Self.schemaExpressible.contains($0.what) }
        #expect(invalid.count == Self.schemaExpressible.count, "every named case exists in the diagnostics table")
        var expectations: [String: Bool] = [:]
        for example in try examplePolicyFiles() { expectations[example.path] = true }
        for (index, malformed) in invalid.enumerated() {
            let file = directory.appendingPathComponent("invalid-\(index).yaml")
            try malformed.yaml.write(to: file, atomically: true, encoding: .utf8)
            expectations[file.path] = false
            #expect(throws: PolicyError.self, "\(malformed.what)") { try PolicyDecoder.decode(yaml: malformed.yaml, file: file.path) }
        }

        let errors = try validateWithPython(schema: Self.schemaFile.path, files: expectations.keys.sorted())
        for (file, valid) in expectations {
            let found = try #require(errors[file], "python reported nothing for \(file)")
            let what = invalid.enumerated().first { "invalid-\($0.offset).yaml" == URL(fileURLWithPath: file).lastPathComponent }?.element.what
            #expect(found.isEmpty == valid, "\(what ?? file): \(found)")
        }
    }

    /// Runs the reference validator (`jsonschema`, installed by `scripts/test`) over YAML files;
    /// returns each file's error messages.
    private func validateWithPython(schema: String, files: [String]) throws -> [String: [String]] {
        let script = """
            import json, sys, yaml, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema)
            print(json.dumps({f: [e.message for e in validator.iter_errors(yaml.safe_load(open(f)))] for f in sys.argv[2:]}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schema] + files
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 with jsonschema and yaml failed (run scripts/test): \(problems)")
        return try #require(JSONSerialization.jsonObject(with: output) as? [String: [String]])
    }
}

/// Collects, by `knownKeys` path, the property names of every object the schema describes.
private struct SchemaWalk {
    let root: [String: Any]
    var closedObjects: [String: Set<String>] = [:]
    var openObjects: [String] = []

    mutating func visit(_ node: [String: Any], path: String) {
        let node = resolve(node)
        if let properties = node["properties"] as? [String: [String: Any]] {
            closedObjects[path] = Set(properties.keys)
            if node["additionalProperties"] as? Bool != false { openObjects.append(path) }
            for (key, child) in properties { visit(child, path: path.isEmpty ? key : "\(path).\(key)") }
        }
        if let items = node["items"] as? [String: Any] { visit(items, path: "\(path)[]") }
    }

    private func resolve(_ node: [String: Any]) -> [String: Any] {
        guard let ref = node["$ref"] as? String, ref.hasPrefix("#/$defs/"),
              let defs = root["$defs"] as? [String: [String: Any]],
              let target = defs[String(ref.dropFirst("#/$defs/".count))]
        else { return node }
        return target
    }
}
