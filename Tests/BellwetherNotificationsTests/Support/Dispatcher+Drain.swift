import BellwetherNotifications

extension NotificationDispatcher {
    /// Delivery passes until one finds nothing due (one notice per rollout and target goes per
    /// pass, in order), summed.
    func drain() async -> Report {
        var total = Report()
        while true {
            let report = await deliverDue()
            if report == Report() { return total }
            total.delivered += report.delivered
            total.retrying += report.retrying
            total.failed += report.failed
        }
    }
}
