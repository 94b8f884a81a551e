//! The one environment every example reads, and the clients built from it.
//!
//! | Variable | Meaning | Default |
//! |---|---|---|
//! | `PUBNUB_ORIGIN` | the server: `host[:port]`, or `http://host:port` / `https://host[:port]` | none: start an embedded dev server |
//! | `PUBNUB_SECURE` | `false`/`0` for plain HTTP, `true`/`1` for HTTPS (beside a scheme-less origin) | `true` (HTTPS) |
//! | `PUBNUB_SUBSCRIBE_KEY` | the subscribe key | `demo` |
//! | `PUBNUB_PUBLISH_KEY` | the publish key | `demo` |
//! | `PUBNUB_SECRET_KEY` | signs every request when set | none |
//! | `PUBNUB_USER_ID` | the user id (examples with several users append `-alice`, `-bob`, ...) | the example's own names |
//! | `RUST_LOG` | tracing filter, e.g. `pubnub_stream=debug` (printed on stderr) | errors only |
//!
//! With neither `PUBNUB_ORIGIN` nor `PUBNUB_SUBSCRIBE_KEY` set, an example
//! starts its own dev server in the process (no keys, no network). With a
//! subscribe key but no origin, it talks to the PubNub network
//! (`ps.pndsn.com`, HTTPS). With `PUBNUB_ORIGIN=http://127.0.0.1:8090` it talks
//! to a standalone `pubnub-devserver --port 8090`.
//!
//! The client's `origin()` takes `host[:port]` only (TLS is `secure(bool)`),
//! so a scheme in `PUBNUB_ORIGIN` is parsed here.

// Each example uses a different part of this module.
#![allow(dead_code)]

use std::env::{self, VarError};
use std::error::Error;

use pubnub_devserver::DevServer;
use pubnub_stream::{PubNub, PubNubBuilder};
use tracing_subscriber::EnvFilter;

/// Where the examples' clients connect, read once from the environment.
pub(crate) struct Backend {
    /// The embedded dev server when no server was named (dropping it stops it).
    server: Option<DevServer>,
    origin: Option<String>,
    secure: bool,
    subscribe_key: String,
    publish_key: String,
    secret_key: Option<String>,
    user_id: Option<String>,
}

impl Backend {
    /// Reads the environment (see the module docs), installs a tracing
    /// subscriber driven by `RUST_LOG`, and starts an embedded dev server when
    /// no server is named. Bad values are errors that name the variable.
    pub(crate) async fn from_env() -> Result<Backend, Box<dyn Error>> {
        // An example may be one of several in a process; a second init is harmless.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .try_init();

        let subscribe_key = var("PUBNUB_SUBSCRIBE_KEY")?;
        let (origin, scheme_secure) = match var("PUBNUB_ORIGIN")? {
            Some(origin) => {
                let (origin, secure) = split_scheme(&origin)?;
                (Some(origin), secure)
            }
            None => (None, None),
        };
        let secure = match (scheme_secure, var("PUBNUB_SECURE")?) {
            (scheme, None) => scheme.unwrap_or(true),
            (scheme, Some(value)) => {
                let flag = parse_flag(&value)?;
                if scheme.is_some_and(|s| s != flag) {
                    return Err(format!(
                        "PUBNUB_SECURE={value} contradicts the scheme of PUBNUB_ORIGIN"
                    )
                    .into());
                }
                flag
            }
        };
        let mut backend = Backend {
            server: None,
            origin,
            secure,
            subscribe_key: subscribe_key.clone().unwrap_or_else(|| "demo".to_owned()),
            publish_key: var("PUBNUB_PUBLISH_KEY")?.unwrap_or_else(|| "demo".to_owned()),
            secret_key: var("PUBNUB_SECRET_KEY")?,
            user_id: var("PUBNUB_USER_ID")?,
        };
        match (&backend.origin, &subscribe_key) {
            (None, None) => {
                let server = DevServer::builder().start().await?;
                eprintln!("using an embedded dev server at http://{}", server.origin());
                backend.origin = Some(server.origin());
                backend.secure = false;
                backend.server = Some(server);
            }
            (Some(origin), _) => {
                let scheme = if backend.secure { "https" } else { "http" };
                eprintln!("using the server at {scheme}://{origin}");
            }
            (None, Some(_)) => eprintln!("using the PubNub network"),
        }
        Ok(backend)
    }

    /// The embedded dev server, when the examples started one.
    pub(crate) fn dev_server(&self) -> Option<&DevServer> {
        self.server.as_ref()
    }

    /// A client builder with the environment's keys, origin and TLS setting,
    /// for `user_id` (or `PUBNUB_USER_ID` when set).
    pub(crate) fn builder(&self, user_id: &str) -> PubNubBuilder {
        let user_id = self.user_id.as_deref().unwrap_or(user_id);
        self.builder_for(user_id.to_owned())
    }

    /// A client for `user_id` (or `PUBNUB_USER_ID` when set).
    pub(crate) fn client(&self, user_id: &str) -> Result<PubNub, Box<dyn Error>> {
        Ok(self.builder(user_id).build()?)
    }

    /// One client per name, each with its own user id: the name itself, or
    /// `$PUBNUB_USER_ID-name` when `PUBNUB_USER_ID` is set.
    pub(crate) fn clients<const N: usize>(
        &self,
        names: [&str; N],
    ) -> Result<[PubNub; N], Box<dyn Error>> {
        let mut clients = Vec::with_capacity(N);
        for name in names {
            let user_id = match &self.user_id {
                Some(prefix) => format!("{prefix}-{name}"),
                None => name.to_owned(),
            };
            clients.push(self.builder_for(user_id).build()?);
        }
        clients.try_into().map_err(|_| "one client per name".into())
    }

    fn builder_for(&self, user_id: String) -> PubNubBuilder {
        let mut builder = PubNub::builder()
            .subscribe_key(self.subscribe_key.clone())
            .publish_key(self.publish_key.clone())
            .user_id(user_id)
            .secure(self.secure);
        if let Some(origin) = &self.origin {
            builder = builder.origin(origin.clone());
        }
        if let Some(secret) = &self.secret_key {
            builder = builder.secret_key(secret.clone());
        }
        builder
    }
}

/// An environment variable; unset or empty is `None`, non-UTF-8 is an error.
fn var(name: &str) -> Result<Option<String>, Box<dyn Error>> {
    match env::var(name) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value.trim().to_owned())),
        Err(VarError::NotPresent) => Ok(None),
        Err(VarError::NotUnicode(_)) => Err(format!("{name} is not valid UTF-8").into()),
    }
}

/// `http://h:p` → (`h:p`, Some(false)); `https://h` → (`h`, Some(true));
/// `h:p` → (`h:p`, None). A trailing `/` is dropped; a path is an error.
fn split_scheme(origin: &str) -> Result<(String, Option<bool>), Box<dyn Error>> {
    let (rest, secure) = if let Some(rest) = origin.strip_prefix("http://") {
        (rest, Some(false))
    } else if let Some(rest) = origin.strip_prefix("https://") {
        (rest, Some(true))
    } else if origin.contains("://") {
        return Err(
            format!("PUBNUB_ORIGIN={origin}: only http:// and https:// are supported").into(),
        );
    } else {
        (origin, None)
    };
    let host = rest.strip_suffix('/').unwrap_or(rest);
    if host.is_empty() || host.contains('/') {
        return Err(format!("PUBNUB_ORIGIN={origin}: give [scheme://]host[:port] only").into());
    }
    Ok((host.to_owned(), secure))
}

fn parse_flag(value: &str) -> Result<bool, Box<dyn Error>> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("PUBNUB_SECURE={value}: use true/1 or false/0").into()),
    }
}
