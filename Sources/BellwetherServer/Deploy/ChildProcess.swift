import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of a program with arguments, no shell in between: spawned in a process group of its
/// own (so a timeout kills whatever it started too), standard input from /dev/null, standard
/// output and error together into a file (a grandchild that keeps it open cannot hold the
/// driver up, as it could a pipe).
struct ChildProcess {
    struct Result {
        var status: Status
        var output: String
    }

    enum Status: Equatable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
        case notStarted(String)
    }

    /// The most output kept, from the end: what a person needs to see why a deploy failed.
    static let outputLimit = 8 * 1024

    static func run(_ arguments: [String], timeout: Duration) async -> Result {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("bellwether-deploy-\(UUID().uuidString).log").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The server ignores or blocks SIGTERM and friends for its own graceful shutdown; both
        // would be inherited, and a deploy command that ignores SIGTERM outlives its timeout.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        var pid: pid_t = 0
        let cArguments = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, cArguments, environ)
        guard spawned == 0 else {
            return Result(status: .notStarted("\(arguments[0]): \(String(cString: strerror(spawned)))"), output: "")
        }
        let child = pid
        let fired = Mutex(false)
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            // The whole group: the program and anything it started.
            fired.withLock { $0 = true }
            kill(-child, SIGTERM)
            try await Task.sleep(for: .seconds(2))
            kill(-child, SIGKILL)
        }
        let waitStatus = await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(child, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        watchdog.cancel()
        let timedOut = fired.withLock { $0 }
        let status: Status
        if timedOut {
            status = .timedOut
        } else if waitStatus & 0x7F == 0 {
            status = .exited((waitStatus >> 8) & 0xFF)
        } else {
            status = .signalled(waitStatus & 0x7F)
        }
        return Result(status: status, output: Self.tail(of: outputPath))
    }

    private static func tail(of path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > UInt64(outputLimit) ? size - UInt64(outputLimit) : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
