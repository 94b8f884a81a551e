//! Every request/response reader (status and error body, publish, time,
//! presence, channel groups) on an arbitrary status, `Retry-After` and body.
#![no_main]

use libfuzzer_sys::fuzz_target;

const STATUSES: [u16; 12] = [200, 204, 301, 302, 400, 403, 408, 413, 414, 429, 500, 502];
const RETRY_AFTER: [Option<&str>; 6] = [
    None,
    Some("1"),
    Some("18446744073709551615"),
    Some("1e10"),
    Some("-5"),
    Some("Wed, 21 Oct 2015 07:28:00 GMT"),
];

fuzz_target!(|data: &[u8]| {
    let (status, retry_after, body) = match data {
        [s, r, body @ ..] => (
            STATUSES[usize::from(*s) % STATUSES.len()],
            RETRY_AFTER[usize::from(*r) % RETRY_AFTER.len()],
            body,
        ),
        _ => (200, None, data),
    };
    let _ = pubnub_stream::__bench::parse_rest_response(status, retry_after, body);
});
