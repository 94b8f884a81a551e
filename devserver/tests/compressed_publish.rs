//! POST publish bodies sent with `Content-Encoding: gzip` or `deflate`
//! (protocol.md §1.1), over real HTTP: both framings, the size limit after
//! decompression, and bodies that do not decode.

mod common;

use std::io::Write;

use common::{assert_publish_error, server, start, Http};
use flate2::write::{GzEncoder, ZlibEncoder};
use flate2::Compression;
use pubnub_devserver::DevServer;
use serde_json::{json, Value};

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).expect("zlib");
    e.finish().expect("zlib")
}

/// POSTs `body` to `channel` with `encoding`, expects 200, and returns what
/// a subscriber then receives on `channel`.
async fn publish_and_receive(http: &Http, channel: &str, encoding: &str, body: Vec<u8>) -> Value {
    let cursor = http.handshake(channel).await;
    let path = format!("/publish/demo/demo/0/{channel}/0?uuid=pub-1");
    let r = http.post_encoded(&path, encoding, body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()[1], "Sent");
    let r = http
        .subscribe(channel, &format!("tt={cursor}&uuid=sub-1"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let messages = r.json()["m"].clone();
    assert_eq!(messages.as_array().map(Vec::len), Some(1), "{messages}");
    messages[0]["d"].clone()
}

#[tokio::test]
async fn a_gzip_body_is_published_decompressed() {
    let (_s, http) = server().await;
    let message = json!({"text": "hello gzip", "n": [1, 2, 3]});
    let body = gzip(message.to_string().as_bytes());
    assert_eq!(
        publish_and_receive(&http, "gz", "gzip", body).await,
        message
    );
}

#[tokio::test]
async fn a_deflate_body_in_zlib_framing_is_published_decompressed() {
    let (_s, http) = server().await;
    let message = json!({"text": "hello zlib"});
    let body = zlib(message.to_string().as_bytes());
    assert_eq!(
        publish_and_receive(&http, "zl", "deflate", body).await,
        message
    );
}

#[tokio::test]
async fn zlib_framing_labelled_gzip_is_accepted_as_python_sends_it() {
    // Python's SDK says `Content-Encoding: gzip` but compresses with zlib.compress.
    let (_s, http) = server().await;
    let message = json!("from python");
    let body = zlib(message.to_string().as_bytes());
    assert_eq!(
        publish_and_receive(&http, "py", "gzip", body).await,
        message
    );
}

#[tokio::test]
async fn a_body_that_does_not_decompress_is_a_400() {
    let (_s, http) = server().await;
    let path = "/publish/demo/demo/0/bad/0";
    let r = http
        .post_encoded(path, "gzip", b"{\"not\":\"compressed\"}".to_vec())
        .await;
    assert_publish_error(&r, 400, "Invalid compressed body");
    let mut truncated = zlib(b"\"cut short\"");
    truncated.truncate(truncated.len() - 3);
    let r = http.post_encoded(path, "deflate", truncated).await;
    assert_publish_error(&r, 400, "Invalid compressed body");
    // Valid compression around invalid JSON is the usual JSON error.
    let r = http.post_encoded(path, "gzip", gzip(b"{oops")).await;
    assert_publish_error(&r, 400, "Invalid JSON");
}

#[tokio::test]
async fn the_message_size_limit_applies_after_decompression() {
    let (_s, http) = start(DevServer::builder().max_message_bytes(300)).await;
    let path = "/publish/demo/demo/0/ch/0";
    // As for a plain POST: 2 (channel) + 198 (body) + 100 = 300 fits.
    let fits = format!("\"{}\"", "y".repeat(196));
    let r = http.post_encoded(path, "gzip", gzip(fits.as_bytes())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let over = format!("\"{}\"", "y".repeat(197));
    let r = http
        .post_encoded(path, "deflate", zlib(over.as_bytes()))
        .await;
    assert_publish_error(&r, 413, "Message Too Large");
}

#[tokio::test]
async fn a_zip_bomb_is_refused_as_too_large() {
    let (_s, http) = server().await;
    // 16 MiB of spaces inside a JSON string: about 16 KiB compressed, far
    // under the body limit, far over the 32 KiB message limit once inflated.
    let mut bomb = Vec::with_capacity(16 << 20);
    bomb.push(b'"');
    bomb.resize(16 << 20, b' ');
    bomb.push(b'"');
    let body = gzip(&bomb);
    assert!(body.len() < 64 << 10, "compressed to {} bytes", body.len());
    let r = http
        .post_encoded("/publish/demo/demo/0/ch/0", "gzip", body)
        .await;
    assert_publish_error(&r, 413, "Message Too Large");
}

#[tokio::test]
async fn an_unknown_content_encoding_is_refused() {
    let (_s, http) = server().await;
    let r = http
        .post_encoded("/publish/demo/demo/0/ch/0", "br", b"\"x\"".to_vec())
        .await;
    assert_publish_error(&r, 415, "Unsupported Content-Encoding");
}
