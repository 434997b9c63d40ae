import BellwetherCore

/// A deploy command as `--config` names it: any text must split into words or fail with a
/// `DeployCommandError`; words that split are filled in for an agent whose values are parts of
/// the same input (ids, versions and URLs are text the fleet sends), and every word stays a word.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDeployCommand(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    guard let template = try? DeployCommandTemplate(text) else { return 0 }
    let values = Dictionary(uniqueKeysWithValues: DeployCommandTemplate.placeholders.enumerated().map { index, name in
        (name, String(text.split(separator: " ", omittingEmptySubsequences: false).dropFirst(index).first ?? ""))
    })
    let arguments = template.arguments(values)
    precondition(arguments.count == template.words.count, "filling in placeholders changed the number of arguments")
    precondition(!(template.words.first ?? "").isEmpty, "a template without a program was accepted")
    return 0
}
