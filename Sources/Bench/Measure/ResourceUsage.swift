import Glibc

/// CPU time a process used, read either from getrusage (this process) or /proc/PID/stat (a server).
struct CPUTime: Sendable {
    /// User-mode seconds.
    var user: Double
    /// Kernel-mode seconds.
    var system: Double

    /// User plus kernel seconds.
    var total: Double { user + system }

    /// The span between two readings.
    static func - (after: CPUTime, before: CPUTime) -> CPUTime {
        CPUTime(user: after.user - before.user, system: after.system - before.system)
    }

    /// CPU time of this generator process, all threads.
    static func ofSelf() -> CPUTime {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return CPUTime(user: seconds(usage.ru_utime), system: seconds(usage.ru_stime))
    }

    /// CPU time of another process from /proc/PID/stat, or nil when it cannot be read.
    static func ofProcess(_ pid: Int32) -> CPUTime? {
        guard let text = ProcFile.read("/proc/\(pid)/stat"),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name, which itself may hold spaces: state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return CPUTime(user: user / ticks, system: system / ticks)
    }

    private static func seconds(_ value: timeval) -> Double {
        Double(value.tv_sec) + Double(value.tv_usec) / 1e6
    }
}

/// Resident memory of a process as the kernel reports it.
enum ResidentMemory {
    /// VmRSS of `pid` in bytes, or nil when the process is gone or the field is missing.
    static func bytes(of pid: Int32) -> Int? {
        guard let text = ProcFile.read("/proc/\(pid)/status") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let digits = line.dropFirst("VmRSS:".count).filter { $0.isNumber }
            return Int(digits).map { $0 * 1024 }
        }
        return nil
    }
}

/// Small /proc reads without Foundation.
enum ProcFile {
    /// The whole file as text, or nil when it cannot be opened.
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Raises this process's open-file limit so thousands of client sockets fit.
enum FileLimit {
    /// Sets the soft limit to `wanted` (or the hard limit if lower; root may raise the hard limit too).
    /// Returns the soft limit now in force.
    @discardableResult
    static func raise(to wanted: Int) -> Int {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let target = rlim_t(wanted)
        if limit.rlim_cur >= target { return Int(limit.rlim_cur) }
        var raised = limit
        raised.rlim_cur = target
        if raised.rlim_max < target { raised.rlim_max = target }
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) != 0 {
            raised.rlim_cur = limit.rlim_max
            raised.rlim_max = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised)
        }
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return Int(limit.rlim_cur)
    }
}
