import Testing
@testable import BellwetherCore

@Suite struct DurationParserTests {
    @Test(arguments: [
        ("500ms", 0.5), ("30s", 30), ("15m", 900), ("1h", 3600), ("1h30m", 5400), ("2d", 172_800), ("1m500ms", 60.5),
    ])
    func readsEveryUnit(_ text: String, _ seconds: Double) {
        #expect(DurationParser.seconds(text) == seconds)
    }

    /// A bare number is ambiguous between seconds and minutes, so it is refused rather than guessed.
    @Test(arguments: ["30", "", "15x", "m", "1.5h", "-5s", " 30s", "30 s", "1h30"])
    func refusesAnythingElse(_ text: String) {
        #expect(DurationParser.seconds(text) == nil)
    }
}
