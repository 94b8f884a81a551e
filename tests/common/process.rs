//! This process's resources, from /proc (Linux): open descriptors, resident
//! memory and its peak.

/// Open file descriptors of this process (0 where /proc is missing).
pub(crate) fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .map(|dir| dir.count())
        .unwrap_or(0)
}

/// A `kB` field of /proc/self/status (`VmRSS`, `VmHWM`, ...).
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resident memory in KiB (0 where /proc is missing).
pub(crate) fn rss_kib() -> u64 {
    status_kib("VmRSS:").unwrap_or(0)
}

/// Resets the peak resident memory to the current value; `false` if not supported.
pub(crate) fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Peak resident memory (VmHWM) in KiB since the start or the last reset.
pub(crate) fn peak_rss_kib() -> Option<u64> {
    status_kib("VmHWM:")
}

/// CPU time this process has used (user + system), from /proc/self/stat;
/// `None` where that is not available. A round that is "stuck" while its
/// process got little CPU was starved, not hung.
pub(crate) fn cpu_time() -> Option<std::time::Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // the fields after the command name, which is in parentheses and may hold spaces
    let after = stat.get(stat.rfind(')')? + 2..)?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line: 12 and 13 here
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // the kernel's USER_HZ is 100 on every Linux this runs on
    Some(std::time::Duration::from_millis(ticks * 10))
}
