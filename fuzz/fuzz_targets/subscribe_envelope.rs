//! The subscribe response parser on arbitrary bytes: no panic, no hang; an
//! error or events (each bad envelope a `Malformed` event), all printable.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    match pubnub_stream::__bench::parse_subscribe_events(body) {
        Ok(events) => {
            for event in events {
                let _ = format!("{event:?}");
            }
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
