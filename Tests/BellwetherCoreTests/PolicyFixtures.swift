import Foundation

/// The smallest valid policy; each malformed case below breaks exactly one thing in it.
let minimalPolicy = """
    name: p
    steps:
      - {cohort: canary, percent: 10, bake: 15m}
      - {cohort: all, percent: 100}
    analysis:
      checks:
        - name: errors
          ratio: {numerator: a, denominator: b}

    """

/// `policies/` in the repository, found from this file so tests run from any directory.
let policiesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("policies")

func examplePolicyFiles() throws -> [URL] {
    try FileManager.default.contentsOfDirectory(at: policiesDirectory, includingPropertiesForKeys: nil)
        .filter { $0.pathExtension == "yaml" }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
}
