//! [`HostileServer`]: a raw-TCP HTTP/1.1 server on loopback that answers
//! queued requests with broken or malicious responses ([`Answer`]) and
//! every other request sanely: `/time/0` with a timetoken, `/publish/...`
//! with an acknowledgment, and `/v2/subscribe/...` from a tiny in-memory
//! channel (messages with increasing timetokens, read from the request's
//! `tt`), so a subscription's recovery can be checked for loss and repeats.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One hostile answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    /// `Content-Length: 100` and 50 bytes, then the connection is closed.
    Truncated,
    /// `Content-Length` larger than the body; the connection then stays silent.
    LengthTooLong,
    /// `Content-Length` shorter than the body sent (the rest is garbage on
    /// the connection).
    LengthTooShort,
    /// `502 Bad Gateway` with an HTML page, as a load balancer sends.
    Html502,
    /// `301 Moved Permanently` to another host.
    Redirect,
    /// Headers and half the body, then a TCP reset.
    ResetMidBody,
    /// A chunked body that never ends.
    EndlessBody,
    /// A 100 MB body (`Content-Length: 100000000`), sent as fast as read.
    HundredMegabytes,
    /// A 200 whose body is not UTF-8.
    NonUtf8,
    /// A subscribe envelope with the wrong JSON types.
    WrongTypes,
    /// A subscribe response with a negative region and a timetoken of 30 digits.
    HugeNumbers,
    /// A subscribe response whose cursor goes back below the client's.
    Backwards,
}

impl Answer {
    /// Every answer, in declaration order.
    pub(crate) const ALL: [Answer; 12] = [
        Answer::Truncated,
        Answer::LengthTooLong,
        Answer::LengthTooShort,
        Answer::Html502,
        Answer::Redirect,
        Answer::ResetMidBody,
        Answer::EndlessBody,
        Answer::HundredMegabytes,
        Answer::NonUtf8,
        Answer::WrongTypes,
        Answer::HugeNumbers,
        Answer::Backwards,
    ];
}

#[derive(Default)]
struct State {
    queue: VecDeque<Answer>,
    /// Timetokens and payloads (JSON) of the sane channel, in order.
    messages: Vec<(u64, String)>,
    /// How many hostile answers were served.
    served: usize,
}

/// The server; dropping it stops accepting (open connections end with their task).
pub(crate) struct HostileServer {
    origin: String,
    state: Arc<Mutex<State>>,
    accept: tokio::task::JoinHandle<()>,
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// The first timetoken of the sane channel; the handshake answers one below.
const FIRST_TT: u64 = 17_000_000_000_000_000;

impl HostileServer {
    pub(crate) async fn start() -> HostileServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let origin = listener.local_addr().expect("addr").to_string();
        let state = Arc::new(Mutex::new(State::default()));
        let accept = tokio::spawn({
            let state = Arc::clone(&state);
            async move {
                while let Ok((socket, _)) = listener.accept().await {
                    tokio::spawn(serve(socket, Arc::clone(&state)));
                }
            }
        });
        HostileServer {
            origin,
            state,
            accept,
        }
    }

    pub(crate) fn origin(&self) -> &str {
        &self.origin
    }

    /// Answers the next request with `answer` (queued in order).
    pub(crate) fn push(&self, answer: Answer) {
        self.state.lock().unwrap().queue.push_back(answer);
    }

    /// How many queued answers are still waiting for a request.
    pub(crate) fn pending(&self) -> usize {
        self.state.lock().unwrap().queue.len()
    }

    /// How many hostile answers were served so far.
    pub(crate) fn served(&self) -> usize {
        self.state.lock().unwrap().served
    }

    /// Adds a message (a JSON value) to the sane channel "c".
    pub(crate) fn publish(&self, payload: &serde_json::Value) -> u64 {
        let mut state = self.state.lock().unwrap();
        let tt = FIRST_TT + state.messages.len() as u64 + 1;
        state.messages.push((tt, payload.to_string()));
        tt
    }
}

/// Reads one request head; its target, or `None` when the connection ended.
async fn read_head(socket: &mut TcpStream) -> Option<String> {
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") {
        match socket.read(&mut byte).await {
            Ok(0) | Err(_) => return None,
            Ok(_) => seen.push(byte[0]),
        }
    }
    let text = String::from_utf8_lossy(&seen).into_owned();
    Some(text.split(' ').nth(1).unwrap_or_default().to_owned())
}

async fn serve(mut socket: TcpStream, state: Arc<Mutex<State>>) {
    while let Some(target) = read_head(&mut socket).await {
        let hostile = {
            let mut s = state.lock().unwrap();
            let next = s.queue.pop_front();
            s.served += usize::from(next.is_some());
            next
        };
        let keep_going = match hostile {
            Some(answer) => serve_hostile(&mut socket, answer, &target).await,
            None => serve_sane(&mut socket, &target, &state).await,
        };
        if !keep_going {
            return;
        }
    }
}

fn query_value<'a>(target: &'a str, key: &str) -> Option<&'a str> {
    target
        .split_once('?')?
        .1
        .split('&')
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

fn envelope(tt: u64, payload: &str) -> String {
    format!(r#"{{"a":"1","f":0,"i":"pub","p":{{"t":"{tt}","r":1}},"k":"k","c":"c","d":{payload}}}"#)
}

fn subscribe_body(cursor: u64, messages: &[(u64, String)]) -> String {
    let m: Vec<String> = messages.iter().map(|(tt, p)| envelope(*tt, p)).collect();
    format!(r#"{{"t":{{"t":"{cursor}","r":1}},"m":[{}]}}"#, m.join(","))
}

async fn write(socket: &mut TcpStream, status: &str, body: &[u8]) -> bool {
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/javascript; charset=UTF-8\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    socket.write_all(head.as_bytes()).await.is_ok() && socket.write_all(body).await.is_ok()
}

/// The sane answer for `target`; whether the connection goes on.
async fn serve_sane(socket: &mut TcpStream, target: &str, state: &Mutex<State>) -> bool {
    if target.starts_with("/v2/subscribe/") {
        let tt: u64 = query_value(target, "tt")
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        if tt == 0 {
            let body = subscribe_body(FIRST_TT, &[]);
            return write(socket, "200 OK", body.as_bytes()).await;
        }
        // A short hold when there is nothing new (a long-poll in miniature).
        for _ in 0..50 {
            let new: Vec<(u64, String)> = {
                let s = state.lock().unwrap();
                s.messages
                    .iter()
                    .filter(|(t, _)| *t > tt)
                    .cloned()
                    .collect()
            };
            if let Some((last, _)) = new.last() {
                let body = subscribe_body(*last, &new);
                return write(socket, "200 OK", body.as_bytes()).await;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        return write(socket, "200 OK", subscribe_body(tt, &[]).as_bytes()).await;
    }
    if target.starts_with("/publish/") {
        return write(socket, "200 OK", br#"[1,"Sent","17000000000000001"]"#).await;
    }
    write(socket, "200 OK", format!("[{FIRST_TT}]").as_bytes()).await
}

/// Serves one hostile answer; whether the connection goes on.
async fn serve_hostile(socket: &mut TcpStream, answer: Answer, target: &str) -> bool {
    let cursor: u64 = query_value(target, "tt")
        .and_then(|t| t.parse().ok())
        .unwrap_or(FIRST_TT);
    match answer {
        Answer::Truncated => {
            let head = "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n";
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(&[b'['; 50]).await;
            false
        }
        Answer::LengthTooLong => {
            let head = "HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n[17]";
            let _ = socket.write_all(head.as_bytes()).await;
            // Silent until the client gives up and closes.
            let mut buf = [0u8; 64];
            while matches!(socket.read(&mut buf).await, Ok(n) if n > 0) {}
            false
        }
        Answer::LengthTooShort => {
            let body = subscribe_body(cursor, &[]);
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n",
                body.len() / 2
            );
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(body.as_bytes()).await;
            // The rest of the body is garbage where the next response would start.
            false
        }
        Answer::Html502 => {
            let page = b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>";
            let head = format!(
                "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\r\n",
                page.len()
            );
            socket.write_all(head.as_bytes()).await.is_ok() && socket.write_all(page).await.is_ok()
        }
        Answer::Redirect => {
            let head = "HTTP/1.1 301 Moved Permanently\r\nlocation: http://elsewhere.example/x?auth=secret\r\ncontent-length: 0\r\n\r\n";
            socket.write_all(head.as_bytes()).await.is_ok()
        }
        Answer::ResetMidBody => {
            let body = subscribe_body(cursor + 1000, &[]);
            let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(&body.as_bytes()[..body.len() / 2]).await;
            let _ = socket.set_zero_linger(); // close with RST
            false
        }
        Answer::EndlessBody | Answer::HundredMegabytes => {
            let (head, chunk): (&[u8], Vec<u8>) = if answer == Answer::EndlessBody {
                let mut chunk = b"10000\r\n".to_vec();
                chunk.extend(std::iter::repeat_n(b' ', 0x10000));
                chunk.extend_from_slice(b"\r\n");
                (
                    b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n",
                    chunk,
                )
            } else {
                (
                    b"HTTP/1.1 200 OK\r\ncontent-length: 100000000\r\n\r\n",
                    vec![b' '; 0x10000],
                )
            };
            if socket.write_all(head).await.is_err() {
                return false;
            }
            let limit = if answer == Answer::EndlessBody {
                usize::MAX
            } else {
                100_000_000
            };
            let mut sent = 0usize;
            while sent < limit {
                let n = chunk.len().min(limit - sent);
                if socket.write_all(&chunk[..n]).await.is_err() {
                    return false;
                }
                sent += n;
            }
            false
        }
        Answer::NonUtf8 => {
            // The client's own cursor, and one envelope with invalid UTF-8.
            let mut body = format!(r#"{{"t":{{"t":"{cursor}","r":1}},"m":[{{"c":"c","p":{{"t":"{cursor}","r":1}},"d":""#)
                .into_bytes();
            body.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
            body.extend_from_slice(br#""}]}"#);
            write(socket, "200 OK", &body).await
        }
        Answer::WrongTypes => {
            let body = br#"{"t":{"t":17,"r":"one"},"m":{"c":5,"d":[]}}"#;
            write(socket, "200 OK", body).await
        }
        Answer::HugeNumbers => {
            let body = r#"{"t":{"t":"999999999999999999999999999999","r":-1},"m":[{"c":"c","p":{"t":"-5","r":-1},"d":1e400}]}"#;
            write(socket, "200 OK", body.as_bytes()).await
        }
        Answer::Backwards => {
            // A stale message and a cursor far below the client's.
            let stale = vec![(FIRST_TT - 10, "\"stale\"".to_owned())];
            let body = subscribe_body(FIRST_TT - 5, &stale);
            write(socket, "200 OK", body.as_bytes()).await
        }
    }
}
