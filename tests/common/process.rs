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
