//! Subscribe response bodies shaped like the dev server's (protocol.md §7.3).
#![allow(dead_code)] // each bench uses part of it

/// Payload sizes the decode benches use.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Payload {
    /// `{"text":"hello","n":<i>}`, about 25 bytes.
    Small,
    /// An object of about 1 KiB: a long text plus a few typed fields.
    Kib,
}

impl Payload {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Payload::Small => "small",
            Payload::Kib => "1KiB",
        }
    }

    pub(crate) fn json(self, i: usize) -> String {
        match self {
            Payload::Small => format!(r#"{{"text":"hello","n":{i}}}"#),
            Payload::Kib => {
                let text = "lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(16);
                format!(
                    r#"{{"text":"{text}","n":{i},"user":"alice","tags":["rust","async","pubnub"],"score":12.5,"ok":true}}"#
                )
            }
        }
    }
}

/// A subscribe response with `n` messages on `channel`, as the dev server renders it.
pub(crate) fn subscribe_body(n: usize, payload: Payload, channel: &str) -> Vec<u8> {
    let base: u64 = 17_379_929_965_457_610;
    let envelopes: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"a":"1","f":0,"i":"publisher-{i}","p":{{"t":"{}","r":1}},"k":"demo","c":"{channel}","d":{}}}"#,
                base + i as u64,
                payload.json(i)
            )
        })
        .collect();
    format!(
        r#"{{"t":{{"t":"{}","r":1}},"m":[{}]}}"#,
        base + n as u64,
        envelopes.join(",")
    )
    .into_bytes()
}
