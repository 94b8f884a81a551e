//! The dev server's router on an arbitrary request: method, percent-encoded
//! path and query, body and content encoding (split at NUL bytes). Every
//! reply is a 2xx/4xx/501 and a success body is JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

const METHODS: [&str; 4] = ["GET", "POST", "DELETE", "OPTIONS"];
const ENCODINGS: [Option<&str>; 4] = [None, Some("gzip"), Some("deflate"), Some("br")];

thread_local! {
    static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let mut parts = rest.splitn(3, |b| *b == 0);
    let path = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let query = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let body = parts.next().unwrap_or_default();
    let method = METHODS[usize::from(selector & 3)];
    let encoding = ENCODINGS[usize::from((selector >> 2) & 3)];
    let path = format!("/{}", path.trim_start_matches('/'));
    let (status, reply) = RUNTIME.with(|rt| {
        rt.block_on(pubnub_devserver::__bench::route_raw(
            method, &path, &query, body, encoding,
        ))
    });
    assert!(
        (200..300).contains(&status) || (400..500).contains(&status) || status == 501,
        "{status} for {method} {path}?{query}"
    );
    if (200..300).contains(&status) && !reply.is_empty() {
        assert!(
            serde_json::from_str::<serde_json::Value>(&reply).is_ok(),
            "success body is not JSON: {reply}"
        );
    }
});
