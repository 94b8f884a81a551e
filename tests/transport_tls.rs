//! HTTPS end to end: the dev server serving a certificate signed by a CA
//! made for this test, the client trusting that CA through
//! `add_root_certificate`. Runs with either TLS backend
//! (`--no-default-features --features rustls` for rustls).

mod common;

use futures::StreamExt;
use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use openssl::x509::extension::{BasicConstraints, SubjectAlternativeName};
use openssl::x509::{X509NameBuilder, X509};
use pubnub_devserver::{DevServer, TlsPem};
use pubnub_stream::{EventStreamExt, PubNub, RequestErrorKind};

use common::{within, ConnectProxy, PUB_KEY, SUB_KEY};

/// A test CA and a server certificate for 127.0.0.1 it signed.
struct Pki {
    /// The CA certificate (PEM): what the client trusts.
    ca: Vec<u8>,
    /// The server's certificate (PEM).
    cert: Vec<u8>,
    /// The server's PKCS#8 key (PEM).
    key: Vec<u8>,
}

fn x509(
    subject: &str,
    issuer: Option<(&X509, &PKey<openssl::pkey::Private>)>,
    key: &PKey<openssl::pkey::Private>,
) -> X509 {
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", subject).unwrap();
    let name = name.build();
    let mut cert = X509::builder().unwrap();
    cert.set_version(2).unwrap();
    let mut serial = BigNum::new().unwrap();
    serial.rand(64, MsbOption::MAYBE_ZERO, false).unwrap();
    cert.set_serial_number(&serial.to_asn1_integer().unwrap())
        .unwrap();
    cert.set_subject_name(&name).unwrap();
    cert.set_issuer_name(issuer.map_or(&name, |(ca, _)| ca.subject_name()))
        .unwrap();
    cert.set_pubkey(key).unwrap();
    cert.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    cert.set_not_after(&Asn1Time::days_from_now(1).unwrap())
        .unwrap();
    match issuer {
        None => {
            let ca = BasicConstraints::new().critical().ca().build().unwrap();
            cert.append_extension(ca).unwrap();
        }
        Some((ca, _)) => {
            let san = SubjectAlternativeName::new()
                .ip("127.0.0.1")
                .build(&cert.x509v3_context(Some(ca), None))
                .unwrap();
            cert.append_extension(san).unwrap();
        }
    }
    let signer = issuer.map_or(key, |(_, ca_key)| ca_key);
    cert.sign(signer, MessageDigest::sha256()).unwrap();
    cert.build()
}

/// A CA and a leaf signed by it (rustls refuses a CA certificate used as
/// the server's own, so the server does not serve the CA's).
fn self_signed_pki() -> Pki {
    let ca_key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let ca = x509("pubnub-devserver test CA", None, &ca_key);
    let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let cert = x509("127.0.0.1", Some((&ca, &ca_key)), &key);
    Pki {
        ca: ca.to_pem().unwrap(),
        cert: cert.to_pem().unwrap(),
        key: key.private_key_to_pem_pkcs8().unwrap(),
    }
}

async fn tls_server(cert: &[u8], key: &[u8]) -> DevServer {
    DevServer::builder()
        .keyset(PUB_KEY, SUB_KEY)
        .tls(TlsPem::new(cert, key))
        .start()
        .await
        .expect("TLS dev server starts")
}

fn tls_client(server: &DevServer, user: &str, root: Option<&[u8]>) -> PubNub {
    let mut builder = PubNub::builder()
        .subscribe_key(SUB_KEY)
        .publish_key(PUB_KEY)
        .user_id(user)
        .origin(server.origin())
        .secure(true);
    if let Some(pem) = root {
        builder = builder.add_root_certificate(pem);
    }
    builder.build().expect("client builds")
}

#[tokio::test]
async fn publish_and_subscribe_over_https_with_a_trusted_certificate() {
    let pki = self_signed_pki();
    let server = tls_server(&pki.cert, &pki.key).await;
    let pubnub = tls_client(&server, "tls-user", Some(&pki.ca));

    within(pubnub.time()).await.expect("time over HTTPS");
    let sub = pubnub.subscribe().channels("secure").execute();
    within(sub.connected())
        .await
        .expect("subscribed over HTTPS");
    let mut messages = sub.messages();
    let sent = within(pubnub.publish().channel("secure").message(&"over TLS"))
        .await
        .expect("published over HTTPS");
    let got = within(messages.next()).await.expect("a message");
    assert_eq!(got.payload, "over TLS");
    assert_eq!(got.timetoken, sent.timetoken);
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.path.starts_with("/publish/")),
        "the publish reached the server through TLS"
    );
}

#[tokio::test]
async fn https_goes_end_to_end_through_a_connect_proxy() {
    let pki = self_signed_pki();
    let server = tls_server(&pki.cert, &pki.key).await;
    let proxy = ConnectProxy::start().await;
    let pubnub = PubNub::builder()
        .subscribe_key(SUB_KEY)
        .publish_key(PUB_KEY)
        .user_id("tls-proxy-user")
        .origin(server.origin())
        .add_root_certificate(pki.ca)
        .proxy(format!("http://{}", proxy.addr))
        .build()
        .unwrap();
    within(pubnub.time())
        .await
        .expect("time over HTTPS through the proxy");
    within(pubnub.publish().channel("c").message(&1))
        .await
        .expect("publish over HTTPS through the proxy");
    let tunnels = proxy.tunnels();
    assert_eq!(tunnels.len(), 1, "{tunnels:?}");
    assert_eq!(tunnels[0].target, server.origin());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_network_error_and_plain_http_is_refused() {
    let pki = self_signed_pki();
    let server = tls_server(&pki.cert, &pki.key).await;

    let untrusting = tls_client(&server, "u", None);
    let err = within(untrusting.time()).await.unwrap_err();
    assert!(
        matches!(err.kind(), RequestErrorKind::Network),
        "certificate not trusted: {err:?}"
    );
    // The cause is spelled out, and Debug shows messages, not OpenSSL structs.
    let (text, debug) = (err.to_string(), format!("{err:?}"));
    assert!(text.to_ascii_lowercase().contains("certificate"), "{text}");
    assert!(
        debug.to_ascii_lowercase().contains("certificate"),
        "{debug}"
    );
    for raw in ["ErrorStack", "Ssl(", "code:", "library:"] {
        assert!(!debug.contains(raw), "raw TLS struct in Debug: {debug}");
    }

    let plain = PubNub::builder()
        .subscribe_key(SUB_KEY)
        .user_id("u")
        .origin(server.origin())
        .secure(false)
        .build()
        .unwrap();
    let err = within(plain.time()).await.unwrap_err();
    assert!(
        matches!(err.kind(), RequestErrorKind::Network),
        "plain HTTP to an HTTPS server: {err:?}"
    );
    assert!(server.requests().is_empty(), "nothing got through");
}

#[tokio::test]
async fn a_certificate_that_does_not_load_fails_at_start_and_at_build() {
    let err = DevServer::builder()
        .tls(TlsPem::new(b"not a cert".to_vec(), b"not a key".to_vec()))
        .start()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);

    let built = PubNub::builder()
        .subscribe_key("demo")
        .user_id("u")
        .add_root_certificate(b"garbage".to_vec())
        .build();
    let err = built.unwrap_err();
    assert!(matches!(err, pubnub_stream::ConfigError::Tls(_)));
    let (text, debug) = (err.to_string(), format!("{err:?}"));
    assert!(text.starts_with("TLS initialisation failed: "), "{text}");
    assert!(
        text.len() > "TLS initialisation failed: ".len() + 5,
        "{text}"
    );
    for raw in ["ErrorStack", "Ssl(", "code:", "library:"] {
        assert!(!debug.contains(raw), "raw TLS struct in Debug: {debug}");
    }
}
