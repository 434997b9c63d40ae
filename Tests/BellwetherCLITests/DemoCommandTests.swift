import ArgumentParser
import Testing
@testable import BellwetherCLI

/// `bellwether demo`'s options: a warm-up is a duration with a unit, at most a day, or 0s to skip.
@Suite struct DemoCommandTests {
    @Test(arguments: ["0s", "90s", "10m", "1h"])
    func aWarmUpIsADuration(_ text: String) throws {
        let command = try DemoCommand.parse(["--warm-up", text])
        #expect(command.warmUp == text)
    }

    @Test(arguments: ["5", "ten minutes", "2d", "1y"])
    func anythingElseIsRefusedSayingWhatToWrite(_ text: String) throws {
        do {
            _ = try DemoCommand.parse(["--warm-up", text])
            Issue.record("--warm-up \(text) was accepted")
        } catch {
            let message = DemoCommand.message(for: error)
            #expect(message.contains("--warm-up '\(text)' is not a duration"), "\(message)")
            #expect(message.contains("0s to skip"))
        }
    }
}
