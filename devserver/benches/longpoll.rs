//! Dev server long-poll benchmark: `cargo bench -p pubnub-devserver --bench longpoll`.
//!
//! 1. Idle long-polls: hold `LONGPOLL_IDLE` (default 10,000) polls, one TCP
//!    connection each, and report the server's resident memory per poll.
//! 2. Fan-out: `LONGPOLL_FANOUT` (default 1,000) subscribers wait on one
//!    channel; one publish must reach all of them. Repeated `LONGPOLL_ROUNDS`
//!    (default 20) times; median and best are reported.
//! 3. The same fan-out on the dev server alone while `LONGPOLL_BYSTANDERS`
//!    (default 5,000) more polls wait on other channels, one each.
//!
//! Under `cargo test --benches` (no `--bench` argument) the counts are tiny:
//! a smoke test.
//!
//! Both ends in one process would need 2 file descriptors per poll, so the
//! server runs in a child process (this program re-executed with
//! `LONGPOLL_CHILD=devserver|bare`), the polls in the parent.
//!
//! Baseline, measured the same way in the same run: a bare hyper HTTP/1
//! server that parks every poll on a `tokio::sync::broadcast` receiver and
//! answers all of them with one envelope rendered once per publish: the floor
//! for any long-poll server on hyper (no routing, validation, cursors,
//! per-subscriber queues or request log).

#[path = "longpoll/child.rs"]
mod child;
#[path = "longpoll/client.rs"]
mod client;

use std::time::Duration;

use client::BoxError;

const CHILD_ENV: &str = "LONGPOLL_CHILD";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Raises the soft open-files limit to the hard one; returns the soft limit.
fn raise_nofile_limit() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read/write the struct we pass.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 1024;
        }
        if lim.rlim_cur < lim.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: lim.rlim_max,
                rlim_max: lim.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                lim = raised;
            }
        }
    }
    lim.rlim_cur
}

/// Resident bytes from a `statm` file.
fn rss_of(statm: &str) -> Result<u64, BoxError> {
    let text = std::fs::read_to_string(statm)?;
    let pages: u64 = text.split_whitespace().nth(1).ok_or("bad statm")?.parse()?;
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Ok(pages * u64::try_from(page).unwrap_or(4096))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn best(v: &[Duration]) -> Duration {
    v.iter().copied().min().unwrap_or_default()
}

fn main() -> Result<(), BoxError> {
    let runtime = tokio::runtime::Runtime::new()?;
    if let Ok(kind) = std::env::var(CHILD_ENV) {
        return runtime
            .block_on(child::run(&kind))
            .map_err(|e| e.to_string().into());
    }
    runtime.block_on(parent())
}

async fn parent() -> Result<(), BoxError> {
    let limit = raise_nofile_limit();
    // `cargo bench` passes `--bench`; `cargo test --benches` only smoke-tests.
    let full = std::env::args().any(|a| a == "--bench");
    let wanted = env_usize("LONGPOLL_IDLE", if full { 10_000 } else { 100 });
    // Each poll costs the parent one descriptor; keep some for everything else.
    let idle_n = wanted.min(usize::try_from(limit.saturating_sub(64)).unwrap_or(wanted));
    if idle_n < wanted {
        println!("note: open-files limit {limit}: holding {idle_n} polls, not {wanted}");
    }
    let fan_n = env_usize("LONGPOLL_FANOUT", if full { 1_000 } else { 20 }).min(idle_n);
    let rounds = env_usize("LONGPOLL_ROUNDS", if full { 20 } else { 2 }).max(1);
    let bystanders = env_usize("LONGPOLL_BYSTANDERS", if full { 5_000 } else { 20 })
        .min(idle_n.saturating_sub(fan_n));

    let ours = client::idle("devserver", idle_n).await?;
    let base = client::idle("bare", idle_n).await?;
    let per = |r: &client::IdleResult| {
        r.rss_after.saturating_sub(r.rss_before) as f64 / r.held.max(1) as f64
    };
    let mib = |b: u64| format!("{:.1} MiB", b as f64 / 1048576.0);

    let ours_fan = client::fanout("devserver", fan_n, rounds, 0).await?;
    let base_fan = client::fanout("bare", fan_n, rounds, 0).await?;
    let crowd = client::fanout("devserver", fan_n, rounds, bystanders).await?;
    let (ours_all, base_all) = (median(ours_fan.all.clone()), median(base_fan.all.clone()));
    let rate = |d: Duration| fan_n as f64 / d.as_secs_f64().max(1e-9);

    println!();
    println!("| dev server long-poll | pubnub-devserver | bare hyper + broadcast | ratio |");
    println!("|---|---:|---:|---:|");
    println!("| idle polls held | {} | {} | |", ours.held, base.held);
    println!(
        "| server RSS before → with polls held | {} → {} | {} → {} | |",
        mib(ours.rss_before),
        mib(ours.rss_after),
        mib(base.rss_before),
        mib(base.rss_after)
    );
    println!(
        "| resident bytes per idle poll | {:.0} | {:.0} | {:.2} |",
        per(&ours),
        per(&base),
        per(&ours) / per(&base).max(1.0)
    );
    println!(
        "| fan-out to {fan_n}: publish → all delivered (median of {rounds}) | {} | {} | {:.2} |",
        ms(ours_all),
        ms(base_all),
        ours_all.as_secs_f64() / base_all.as_secs_f64().max(1e-9)
    );
    println!(
        "| fan-out to {fan_n}: best round | {} | {} | {:.2} |",
        ms(best(&ours_fan.all)),
        ms(best(&base_fan.all)),
        best(&ours_fan.all).as_secs_f64() / best(&base_fan.all).as_secs_f64().max(1e-9)
    );
    println!(
        "| fan-out: publish → first delivery (median) | {} | {} | {:.2} |",
        ms(median(ours_fan.first.clone())),
        ms(median(base_fan.first.clone())),
        median(ours_fan.first).as_secs_f64() / median(base_fan.first).as_secs_f64().max(1e-9)
    );
    println!(
        "| fan-out deliveries per second (median round) | {:.0} | {:.0} | {:.2} |",
        rate(ours_all),
        rate(base_all),
        rate(ours_all) / rate(base_all)
    );
    println!(
        "| fan-out to {fan_n} with {bystanders} polls waiting on other channels (median) | {} | | |",
        ms(median(crowd.all.clone()))
    );
    println!("| same, best round | {} | | |", ms(best(&crowd.all)));
    Ok(())
}
