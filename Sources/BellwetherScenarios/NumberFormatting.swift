import Foundation

extension Double {
    /// Up to `places` significant digits, without trailing zeros: parameters read as written.
    func formatted(places: Int) -> String {
        String(format: "%.\(places)g", self)
    }
}
