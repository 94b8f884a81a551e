//! The markdown table: each figure beside its baseline, the ratio and its target.

use std::time::Duration;

/// Which way a ratio has to go to meet its target.
#[derive(Clone, Copy)]
enum Goal {
    /// ours/baseline must be at least this (throughput).
    AtLeast(f64),
    /// ours/baseline must be at most this (time).
    AtMost(f64),
    None,
}

pub(crate) struct Row {
    name: String,
    ours: String,
    base: String,
    baseline: String,
    ratio: Option<f64>,
    goal: Goal,
}

fn median(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

impl Row {
    /// Messages per second from the median run time of each side. The
    /// ratio is the median of the per-repetition ratios: each repetition
    /// runs the baseline and ours back to back, so drift in the machine's
    /// speed between repetitions cancels out of each pair.
    pub(crate) fn throughput(
        name: String,
        baseline: &str,
        n: usize,
        ours: &[Duration],
        base: &[Duration],
        target: Option<f64>,
    ) -> Row {
        let rate = |d: Duration| n as f64 / d.as_secs_f64().max(1e-9);
        let (o, b) = (rate(median(ours)), rate(median(base)));
        let mut ratios: Vec<f64> = ours
            .iter()
            .zip(base)
            .map(|(&o, &b)| rate(o) / rate(b))
            .collect();
        ratios.sort_by(f64::total_cmp);
        Row {
            name,
            ours: format!("{o:.0}"),
            base: format!("{b:.0}"),
            baseline: baseline.to_owned(),
            ratio: ratios.get(ratios.len() / 2).copied(),
            goal: target.map_or(Goal::None, Goal::AtLeast),
        }
    }

    /// Resident bytes, with a baseline when there is one.
    pub(crate) fn memory(name: String, bytes: f64, baseline: Option<(&str, f64)>) -> Row {
        Row {
            name,
            ours: format!("{bytes:.0}"),
            base: baseline.map_or("–".into(), |(_, b)| format!("{b:.0}")),
            baseline: baseline.map_or("none (absolute)", |(what, _)| what).into(),
            ratio: baseline.map(|(_, b)| bytes / b.max(1.0)),
            goal: Goal::None,
        }
    }
}

#[derive(Default)]
pub(crate) struct Table {
    rows: Vec<Row>,
}

impl Table {
    pub(crate) fn push(&mut self, row: Row) {
        self.rows.push(row);
    }

    /// p50 (target ≤ 1.2), p99 and max of publish→receive.
    pub(crate) fn push_latency(&mut self, ours: &[Duration], base: &[Duration]) {
        let (mut ours, mut base) = (ours.to_vec(), base.to_vec());
        ours.sort();
        base.sort();
        let n = ours.len();
        for (label, q, goal) in [
            ("p50", 0.5, Goal::AtMost(1.2)),
            ("p99", 0.99, Goal::None),
            ("max", 1.0, Goal::None),
        ] {
            let (o, b) = (quantile(&ours, q), quantile(&base, q));
            self.rows.push(Row {
                name: format!("publish→receive latency {label} ({n} samples)"),
                ours: us(o),
                base: us(b),
                baseline: "raw hyper publish + raw long-poll".into(),
                ratio: Some(o.as_secs_f64() / b.as_secs_f64().max(1e-9)),
                goal,
            });
        }
    }

    pub(crate) fn print(&self, reps: usize, load_before: String, load_after: String) {
        println!();
        println!(
            "pubnub-stream e2e, {} CPUs, {}, {reps} alternating reps (throughput: median figures, median of per-rep ratios; latency: all samples pooled), load average before: {load_before}, after: {load_after}",
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            runtime_label()
        );
        println!();
        println!("| measure | pubnub-stream | baseline | baseline is | ratio | target |");
        println!("|---|---:|---:|---|---:|---|");
        for r in &self.rows {
            let ratio = r.ratio.map_or("–".into(), |x| format!("{x:.2}"));
            let target = match r.goal {
                Goal::AtLeast(t) => format!("≥ {t} {}", verdict(r.ratio.is_some_and(|x| x >= t))),
                Goal::AtMost(t) => format!("≤ {t} {}", verdict(r.ratio.is_some_and(|x| x <= t))),
                Goal::None => "–".into(),
            };
            println!(
                "| {} | {} | {} | {} | {ratio} | {target} |",
                r.name, r.ours, r.base, r.baseline
            );
        }
    }
}

/// Which tokio runtime the figures come from (`E2E_THREADS`).
fn runtime_label() -> String {
    let runtime = match std::env::var("E2E_THREADS")
        .ok()
        .and_then(|t| t.parse::<usize>().ok())
    {
        None | Some(0) => "multi-thread runtime, one worker per CPU".to_owned(),
        Some(1) => "current-thread runtime".to_owned(),
        Some(n) => format!("multi-thread runtime, {n} workers"),
    };
    let server = if std::env::var("E2E_SERVER").as_deref() == Ok("thread") {
        "dev server on its own thread"
    } else {
        "dev server on the same runtime"
    };
    format!("{runtime}, {server}")
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "MISSED"
    }
}

/// The first three fields of /proc/loadavg.
pub(crate) fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
