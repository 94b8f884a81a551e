//! What `pn bench` counts: latency percentiles, and per subscriber which
//! messages arrived (so that lost and duplicated ones are counted, not guessed).

use std::time::{Duration, Instant};

/// Latency samples, summarised as percentiles.
#[derive(Debug, Default)]
pub(crate) struct Latencies(Vec<Duration>);

impl Latencies {
    pub(crate) fn push(&mut self, latency: Duration) {
        self.0.push(latency);
    }

    pub(crate) fn extend(&mut self, other: Latencies) {
        self.0.extend(other.0);
    }

    /// `p50 1.20 ms, p90 2.31 ms, p99 4.02 ms, max 9.10 ms (n samples)`.
    pub(crate) fn summary(&mut self) -> String {
        if self.0.is_empty() {
            return "no samples".to_owned();
        }
        self.0.sort_unstable();
        let at = |q: f64| {
            let last = self.0.len().saturating_sub(1);
            let index = ((last as f64) * q).round() as usize;
            self.0.get(index.min(last)).copied().unwrap_or_default()
        };
        format!(
            "p50 {}, p90 {}, p99 {}, max {} ({} samples)",
            ms(at(0.50)),
            ms(at(0.90)),
            ms(at(0.99)),
            ms(at(1.0)),
            self.0.len()
        )
    }
}

/// `1.23 ms`.
pub(crate) fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1e3)
}

/// `8130 msgs/s, 1.04 MB/s` for `count` messages of `size` bytes in `elapsed`.
pub(crate) fn rate(count: u64, size: usize, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    if secs <= 0.0 {
        return "n/a".to_owned();
    }
    let per_sec = count as f64 / secs;
    format!(
        "{per_sec:.0} msgs/s, {:.2} MB/s",
        per_sec * size as f64 / 1e6
    )
}

/// One subscriber's view: which (publisher, seq) arrived, how often, when.
#[derive(Debug)]
pub(crate) struct Seen {
    /// `per_publisher` messages for each publisher.
    per_publisher: u64,
    seen: Vec<bool>,
    pub(crate) unique: u64,
    pub(crate) duplicated: u64,
    /// Not from this run (another publisher on the channel, a bad payload).
    pub(crate) foreign: u64,
    pub(crate) first: Option<Instant>,
    pub(crate) last: Option<Instant>,
}

impl Seen {
    /// For `publishers` publishers of `per_publisher` messages each.
    pub(crate) fn new(publishers: usize, per_publisher: u64) -> Seen {
        let total = usize::try_from(per_publisher)
            .unwrap_or(usize::MAX)
            .saturating_mul(publishers);
        Seen {
            per_publisher,
            seen: vec![false; total],
            unique: 0,
            duplicated: 0,
            foreign: 0,
            first: None,
            last: None,
        }
    }

    /// Counts one arrival at `at`; true when it is the first of its message.
    pub(crate) fn record(&mut self, publisher: u64, seq: u64, at: Instant) -> bool {
        let index = (seq < self.per_publisher)
            .then(|| publisher.checked_mul(self.per_publisher)?.checked_add(seq))
            .flatten()
            .and_then(|i| usize::try_from(i).ok());
        let Some(slot) = index.and_then(|i| self.seen.get_mut(i)) else {
            self.foreign += 1;
            return false;
        };
        self.first.get_or_insert(at);
        self.last = Some(at);
        if *slot {
            self.duplicated += 1;
            false
        } else {
            *slot = true;
            self.unique += 1;
            true
        }
    }

    /// Messages expected that never arrived.
    pub(crate) fn lost(&self) -> u64 {
        (self.seen.len() as u64).saturating_sub(self.unique)
    }

    /// True once every expected message arrived.
    pub(crate) fn complete(&self) -> bool {
        self.lost() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_and_duplicated_are_counted_per_message() {
        let now = Instant::now();
        let mut seen = Seen::new(2, 3);
        assert!(seen.record(0, 0, now));
        assert!(!seen.record(0, 0, now), "a repeat");
        assert!(seen.record(1, 2, now));
        assert!(!seen.record(2, 0, now), "no third publisher");
        assert!(!seen.record(0, 3, now), "past the count");
        assert_eq!(
            (seen.unique, seen.duplicated, seen.foreign, seen.lost()),
            (2, 1, 2, 4)
        );
    }

    #[test]
    fn percentiles_come_from_the_sorted_samples() {
        let mut latencies = Latencies::default();
        for ms in (1..=100).rev() {
            latencies.push(Duration::from_millis(ms));
        }
        let summary = latencies.summary();
        assert!(
            summary.starts_with("p50 51.00 ms, p90 90.00 ms, p99 99.00 ms, max 100.00 ms"),
            "{summary}"
        );
    }
}
