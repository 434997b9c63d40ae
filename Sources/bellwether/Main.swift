import BellwetherCLI

/// The executable only hands over to the command tree; everything it does lives in `BellwetherCLI`.
@main
enum Main {
    static func main() async {
        await BellwetherCommand.run()
    }
}
