//! The measurement settings of every criterion bench in this package, in one
//! place (docs/benchmarks.md: 3 s of measurement, 20 samples).

use std::time::Duration;

use criterion::Criterion;

/// 1 s warm-up, 3 s measurement, 20 samples.
pub(crate) fn criterion() -> Criterion {
    Criterion::default()
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .sample_size(20)
}
