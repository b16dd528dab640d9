import Glibc
import Shared

/// What the main thread measured around the run phase.
struct RunMeasurement: Sendable {
    /// Seconds from the start of the run phase until every worker finished it.
    var seconds: Double = 0
    /// CPU the generator used during the run phase.
    var generatorCPU = CPUTime(user: 0, system: 0)
    /// CPU the server used during the run phase, when its PID is known.
    var serverCPU: CPUTime?
    /// Server RSS before any client connected, when its PID is known.
    var serverRSSBefore: Int?
    /// Server RSS after every client finished setup (and a short settle), when its PID is known.
    var serverRSSAfterSetup: Int?
    /// Seconds the setup phase took.
    var setupSeconds: Double = 0
    /// Every worker's result.
    var results: [WorkerResult] = []
    /// Failures, empty when the run is clean.
    var failures: [String] = []
}

/// Starts the workers, walks them through setup, run and finish, and measures the run phase.
struct ScenarioRunner {
    let settings: ScenarioSettings
    let serverPID: Int32?
    /// Seconds to wait after setup before reading the server's memory (idle scenario).
    let settleBeforeMemory: Double

    /// Runs the scenario with one driver per worker made by `makeDriver` on that worker's thread.
    func run(makeDriver: @escaping @Sendable (WorkerContext, EventLoop) -> LoopDriver) -> RunMeasurement {
        var measurement = RunMeasurement()
        let coordinator = Coordinator(workers: settings.workers)
        let collector = ResultCollector()
        let progress = FanOutProgress(workers: settings.workers)
        if let serverPID { measurement.serverRSSBefore = ResidentMemory.bytes(of: serverPID) }

        let setupStart = MonotonicClock.now()
        var threads: [WorkerThread] = []
        for index in 0..<settings.workers {
            let context = WorkerContext(index: index, settings: settings, coordinator: coordinator, collector: collector, fanOut: progress)
            let settings = self.settings
            threads.append(WorkerThread {
                let loop = EventLoop(workerIndex: index, coordinator: coordinator, server: settings.server, sources: settings.sources,
                                     capabilities: settings.scenario == .roster && settings.rosterMode == .cap ? [IRCCapability.roster] : [])
                let driver = makeDriver(context, loop)
                loop.run(driver: driver)
            })
        }

        defer {
            if coordinator.isAborted { coordinator.advance(to: .finish) }
            for thread in threads { thread.join() }
        }

        guard coordinator.waitForWorkers(settings.workers, seconds: settings.timeout, what: "setup (connect, register, join)") else {
            measurement.failures = coordinator.failureMessages
            return measurement
        }
        measurement.setupSeconds = Double(MonotonicClock.now() - setupStart) / 1e9
        if settleBeforeMemory > 0 {
            usleep(UInt32(settleBeforeMemory * 1e6))
        }
        if let serverPID { measurement.serverRSSAfterSetup = ResidentMemory.bytes(of: serverPID) }

        let cpuBefore = CPUTime.ofSelf()
        let serverBefore = serverPID.flatMap { CPUTime.ofProcess($0) }
        let runStart = MonotonicClock.now()
        coordinator.advance(to: .run)
        guard coordinator.waitForWorkers(settings.workers, seconds: settings.timeout, what: "the run", abortOnTimeout: false) else {
            // A run that never completes usually lost something: collect what every worker saw,
            // so the report says how many messages are missing, not only that time ran out.
            coordinator.advance(to: .finish)
            if coordinator.waitForResults(settings.workers, in: collector, seconds: 10) { measurement.results = collector.all }
            measurement.failures = coordinator.failureMessages
            return measurement
        }
        measurement.seconds = Double(MonotonicClock.now() - runStart) / 1e9
        measurement.generatorCPU = CPUTime.ofSelf() - cpuBefore
        if let serverBefore, let serverPID, let after = CPUTime.ofProcess(serverPID) { measurement.serverCPU = after - serverBefore }

        coordinator.advance(to: .finish)
        guard coordinator.waitForWorkers(settings.workers, seconds: settings.timeout, what: "the results") else {
            measurement.failures = coordinator.failureMessages
            return measurement
        }
        measurement.results = collector.all
        measurement.failures = coordinator.failureMessages
        return measurement
    }
}
