//! Filter-expression evaluation per message (`cargo bench -p pubnub-devserver --bench filter`).
//!
//! Each expression is parsed once, then evaluated against one message, as the
//! server does for every delivery. The baseline is the cheapest possible
//! hand-written check of the same condition on the same `serde_json::Value`s,
//! so the ratio shows what the expression interpreter costs over native code.

use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use pubnub_devserver::filter::{FilterExpr, MessageContext};
use serde_json::{json, Value};

type Native = fn(&MessageContext<'_>) -> bool;

fn meta_str<'a>(ctx: &MessageContext<'a>, key: &str) -> Option<&'a str> {
    ctx.meta?.get(key)?.as_str()
}

fn meta_num(ctx: &MessageContext<'_>, key: &str) -> Option<f64> {
    match ctx.meta?.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn cases() -> Vec<(&'static str, &'static str, Native)> {
    vec![
        ("uuid_ne", "uuid != 'cvc1'", |c| {
            c.uuid.is_some_and(|u| u != "cvc1")
        }),
        (
            "meta_and",
            r#"meta.priority == "high" && meta.level > 5"#,
            |c| meta_str(c, "priority") == Some("high") && meta_num(c, "level").is_some_and(|l| l > 5.0),
        ),
        ("like", "meta.tag LIKE '*test*'", |c| {
            meta_str(c, "tag").is_some_and(|t| t.to_lowercase().contains("test"))
        }),
        (
            "complex",
            "(meta.region == 'us' || meta.region == 'eu') && !(meta.tag LIKE '*test*') && meta.userId % 10 == 0",
            |c| {
                let region = meta_str(c, "region");
                (region == Some("us") || region == Some("eu"))
                    && !meta_str(c, "tag").is_some_and(|t| t.to_lowercase().contains("test"))
                    && meta_num(c, "userId").is_some_and(|n| n % 10.0 == 0.0)
            },
        ),
        ("data_contains", "data.tags CONTAINS 'rust'", |c| {
            c.data
                .get("tags")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|v| v == "rust"))
        }),
    ]
}

fn filter(c: &mut Criterion) {
    let meta =
        json!({"priority": "high", "level": "7", "region": "eu", "tag": "prod-1", "userId": 120});
    let data = json!({"text": "hello", "tags": ["go", "rust"]});
    let ctx = MessageContext {
        uuid: Some("alice"),
        meta: Some(&meta),
        data: &data,
    };
    let mut group = c.benchmark_group("filter");
    for (name, src, native) in cases() {
        let expr = match FilterExpr::parse(src) {
            Ok(expr) => expr,
            Err(e) => panic!("bench expression {src:?} does not parse: {e}"),
        };
        assert_eq!(
            expr.matches(&ctx),
            native(&ctx),
            "{name}: native check disagrees"
        );
        group.bench_function(format!("{name}/expr"), |b| {
            b.iter(|| black_box(&expr).matches(black_box(&ctx)))
        });
        group.bench_function(format!("{name}/native"), |b| {
            b.iter(|| native(black_box(&ctx)))
        });
    }
    group.bench_function("parse/complex", |b| {
        b.iter(|| FilterExpr::parse(black_box(cases()[3].1)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .sample_size(20);
    targets = filter
}
criterion_main!(benches);
