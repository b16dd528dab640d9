/// Turns a clean run's measurements into the scenario's result line.
struct ResultFormatter {
    let settings: ScenarioSettings
    let label: String
    let measurement: RunMeasurement

    /// The `kind=result` line: the headline figure first, then the details and the CPU used.
    func report() -> Report {
        var report = Report("result")
        report.add("scenario", settings.scenario.rawValue)
        report.add("server", label)
        let results = measurement.results
        let sent = results.reduce(0) { $0 + $1.sent }
        let delivered = results.reduce(0) { $0 + $1.delivered }
        let bytes = results.reduce(0) { $0 + $1.bytesReceived }
        let seconds = max(measurement.seconds, 1e-9)
        var registration = LatencySamples()
        for result in results { registration.merge(result.registration) }

        switch settings.scenario {
        case .dm:
            report.add("msgs_per_s", Double(delivered) / seconds, decimals: 0)
            report.add("sent", sent)
            report.add("delivered", delivered)
            report.add("pairs", settings.pairs)
            report.add("window", settings.window)
        case .latency:
            var samples = LatencySamples()
            for result in results { samples.merge(result.latency) }
            let points = samples.percentiles([0.5, 0.99, 0.999]) ?? [0, 0, 0]
            report.add("p50_ms", points[0])
            report.add("p99_ms", points[1])
            report.add("p999_ms", points[2])
            report.add("samples", samples.count)
            report.add("achieved_msgs_per_s", Double(sent) / max(settings.duration, 1e-9), decimals: 0)
            report.add("target_msgs_per_s", settings.rate, decimals: 0)
            report.add("delivered", delivered)
        case .fanout:
            report.add("deliveries_per_s", Double(delivered) / seconds, decimals: 0)
            report.add("messages", sent)
            report.add("delivered", delivered)
            report.add("members", settings.members)
        case .idle:
            let before = measurement.serverRSSBefore ?? 0
            let after = measurement.serverRSSAfterSetup ?? 0
            if measurement.serverRSSAfterSetup != nil {
                report.add("bytes_per_conn", Double(after - before) / Double(settings.clients), decimals: 0)
                report.add("rss_before_kb", before / 1024)
                report.add("rss_after_kb", after / 1024)
            } else {
                report.add("bytes_per_conn", "unknown_(no_--server-pid)")
            }
            report.add("clients", settings.clients)
            report.add("connect_all_s", measurement.setupSeconds)
        case .join, .roster:
            report.add("seconds", measurement.seconds)
            report.add("bytes", bytes)
            report.add("bytes_per_arrival", Double(bytes) / Double(settings.clients), decimals: 0)
            report.add("notifications", delivered)
            report.add("clients", settings.clients)
            if settings.scenario == .roster { report.add("mode", settings.rosterMode.rawValue) }
        }
        if let points = registration.percentiles([0.5, 0.99]) {
            report.add("reg_p50_ms", points[0])
            report.add("reg_p99_ms", points[1])
        }
        report.add("run_s", measurement.seconds)
        report.add("gen_cpu_s", measurement.generatorCPU.total)
        report.add("gen_user_s", measurement.generatorCPU.user)
        report.add("gen_sys_s", measurement.generatorCPU.system)
        report.add("gen_cpu_pct", 100 * measurement.generatorCPU.total / seconds, decimals: 0)
        if let server = measurement.serverCPU {
            report.add("srv_cpu_s", server.total)
            report.add("srv_cpu_pct", 100 * server.total / seconds, decimals: 0)
        }
        report.add("threads", settings.workers)
        return report
    }
}
