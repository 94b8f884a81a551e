//! How a bench program was started: `cargo bench` or a `cargo test --benches`
//! smoke run, and the numbers its environment variables set.

use std::str::FromStr;

/// The environment variable `name` as a `T`, or `default` when it is unset or
/// does not parse.
pub(crate) fn env_or<T: FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `cargo bench` passes `--bench`; without it (`cargo test --benches`) the
/// program only smoke-tests itself at a tiny scale.
pub(crate) fn bench_mode() -> bool {
    std::env::args().any(|a| a == "--bench")
}
