//! Access Manager: a server-side client (holding the secret key) grants
//! tokens; a user's client sends its token with every request, and swaps it
//! at run time without restarting its subscription or sink.
//!
//! ```sh
//! cargo run --example access
//! ```
//!
//! Runs against an embedded dev server started with a secret key and Access
//! Manager on, the same as
//! `pubnub-devserver --keyset demo:demo --secret-key my-secret --access-manager`.

use std::error::Error;

use futures::{SinkExt, StreamExt};
use pubnub_devserver::DevServer;
use pubnub_stream::{DenialReason, EventStreamExt, Permissions, PubNub, RequestErrorKind};

const SECRET: &str = "my-secret";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let server = DevServer::builder()
        .keyset("demo", "demo")
        .secret_key(SECRET)
        .access_manager(true)
        .start()
        .await?;
    let client = |user: &str| {
        PubNub::builder()
            .subscribe_key("demo")
            .publish_key("demo")
            .user_id(user)
            .origin(server.origin())
            .secure(false)
    };

    // The server side: every request it sends is signed with the secret key.
    let backend = client("backend").secret_key(SECRET).build()?;
    let reader = backend
        .grant_token(15) // minutes
        .channel("chat", Permissions::READ)
        .authorized_user_id("alice")
        .await?;
    let info = reader.parse()?;
    println!(
        "granted: {:?} on chat, for {:?}, {} minutes",
        info.resources.channels["chat"], info.authorized_user_id, info.ttl_minutes
    );

    // Alice gets the token, never the secret key.
    let alice = client("alice").build()?;
    alice.set_token(&reader)?;
    let chat = alice.subscribe().channels("chat").await?;
    let mut messages = chat.messages();
    println!("alice subscribed to chat");

    match alice.publish().channel("chat").message(&"hello").await {
        Err(e) => match e.kind() {
            RequestErrorKind::AccessDenied {
                reason: DenialReason::Permission,
                channels,
                ..
            } => println!("publish refused as expected: no write on {channels:?}"),
            _ => return Err(e.into()),
        },
        Ok(_) => return Err("a read-only token published".into()),
    }

    // A token with write too: the running subscription and a sink use it next.
    let writer = backend
        .grant_token(15)
        .channel("chat", Permissions::READ | Permissions::WRITE)
        .authorized_user_id("alice")
        .await?;
    alice.set_token(&writer)?;
    let mut sink = alice.publisher("chat").sink::<String>();
    sink.send("hello, with write access".to_owned()).await?;
    if let Some(message) = messages.next().await {
        println!("alice received {}", message.payload);
    }

    backend.revoke_token(&reader).await?;
    println!("the read-only token is revoked");
    Ok(())
}
