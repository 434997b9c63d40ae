import BellwetherCore

extension ServerConfiguration {
    /// The exec deploy driver's settings, each checked with what to write instead.
    mutating func applyDeploy(_ settings: ServerSettings) throws(ConfigurationError) {
        if let command = settings.deployCommand {
            do throws(DeployCommandError) {
                deploy.command = try DeployCommandTemplate(command)
            } catch {
                throw ConfigurationError(error.message)
            }
        }
        if let concurrency = settings.deployConcurrency { deploy.concurrency = concurrency }
        if let attempts = settings.deployAttempts { deploy.attempts = attempts }
        if let timeout = settings.deployTimeout { deploy.timeout = try Self.duration(timeout, key: "deployTimeout") }
        if let backoff = settings.deployBackoff { deploy.backoff = try Self.duration(backoff, key: "deployBackoff") }
    }

    private static func duration(_ text: String, key: String) throws(ConfigurationError) -> Duration {
        guard let seconds = DurationParser.seconds(text), seconds > 0 else {
            throw ConfigurationError("\(key) '\(text)' is not a duration: \(DurationParser.hint)")
        }
        return .milliseconds(Int64(seconds * 1000))
    }
}
