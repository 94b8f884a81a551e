//! The dev server's filter-expression parser and evaluator on arbitrary
//! text: a typed error or an expression that evaluates without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pubnub_devserver::filter::{FilterExpr, MessageContext};

fuzz_target!(|src: &str| {
    let Ok(expr) = FilterExpr::parse(src) else {
        return;
    };
    let meta = serde_json::json!({"lang": "en", "n": 3, "tags": ["a", "b"], "x": {"y": null}});
    let data = serde_json::json!({"text": "hi", "n": -1.5});
    for (uuid, meta) in [(Some("alice"), Some(&meta)), (None, None)] {
        let _ = expr.matches(&MessageContext {
            uuid,
            meta,
            data: &data,
        });
    }
});
