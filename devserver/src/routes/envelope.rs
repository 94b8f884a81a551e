//! The subscribe response and envelope shapes (protocol.md §7.3).

use serde::Serialize;
use serde_json::value::RawValue;

use crate::state::channels::Kind;
use crate::state::matcher::Delivery;

/// The region every cursor of this server carries.
pub(crate) const REGION: u32 = 1;

#[derive(Serialize)]
struct Cursor {
    t: String,
    r: u32,
}

#[derive(Serialize)]
struct Envelope<'a> {
    a: &'static str,
    f: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    e: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    i: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<i64>,
    p: Cursor,
    k: &'a str,
    c: &'a str,
    d: &'a RawValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    u: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cmt: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    b: Option<&'a str>,
}

#[derive(Serialize)]
struct Response<'a> {
    t: Cursor,
    m: Vec<Envelope<'a>>,
}

fn envelope(d: &Delivery) -> Envelope<'_> {
    let m = &d.msg;
    Envelope {
        a: "1",
        f: 0,
        e: (m.kind == Kind::Signal).then_some(1),
        i: match m.kind {
            Kind::Presence => None,
            _ => m.publisher.as_deref(),
        },
        s: m.seqn,
        p: Cursor {
            t: m.timetoken.to_string(),
            r: REGION,
        },
        k: &m.sub_key,
        c: &m.channel,
        d: &m.payload,
        u: m.meta.as_deref(),
        cmt: m.custom_message_type.as_deref(),
        b: d.matched.as_deref(),
    }
}

/// `{"t":{"t":"<tt>","r":1},"m":[...]}`.
pub(crate) fn render(cursor: u64, deliveries: &[Delivery]) -> String {
    let resp = Response {
        t: Cursor {
            t: cursor.to_string(),
            r: REGION,
        },
        m: deliveries.iter().map(envelope).collect(),
    };
    serde_json::to_string(&resp)
        .unwrap_or_else(|_| format!("{{\"t\":{{\"t\":\"{cursor}\",\"r\":{REGION}}},\"m\":[]}}"))
}
