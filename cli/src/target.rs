//! Where `pn` connects and as whom: flags first, then the environment
//! variables the repository's examples read, then the local dev server.
//!
//! | Flag | Variable | Meaning | Default |
//! |---|---|---|---|
//! | `--origin` | `PUBNUB_ORIGIN` | `host[:port]`, `http://host:port` or `https://host[:port]` | `127.0.0.1:8090` without keys, else the PubNub network |
//! | `--secure` | `PUBNUB_SECURE` | `false`/`0` for plain HTTP beside a scheme-less origin | `true` (the local default: plain HTTP) |
//! | `--subscribe-key` | `PUBNUB_SUBSCRIBE_KEY` | the subscribe key | `demo` |
//! | `--publish-key` | `PUBNUB_PUBLISH_KEY` | the publish key | `demo` |
//! | `--secret-key` | `PUBNUB_SECRET_KEY` | signs every request | none |
//! | `--auth` | `PUBNUB_AUTH` | the auth key (access manager) | none |
//! | `--user-id` | `PUBNUB_USER_ID` | the user id | `pn-` and a random id |
//! | `--cipher-key` | `PUBNUB_CIPHER_KEY` | encrypts published messages, decrypts received ones (AES-CBC; reads the legacy scheme too) | none |

use std::env::{self, VarError};

use clap::Args;
use pubnub_stream::config::DEFAULT_ORIGIN;
use pubnub_stream::{CryptoModule, PubNub, PubNubBuilder};

use crate::failure::Failure;

/// Where `pn serve` listens by default, and where `pn` looks without keys and origin.
pub(crate) const LOCAL_DEFAULT: &str = "127.0.0.1:8090";

/// The connection flags every command takes (each falls back to its variable).
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Connection (flags, then variables)")]
pub(crate) struct TargetArgs {
    /// The server: host:port, http://host:port or https://host (env: PUBNUB_ORIGIN)
    #[arg(long, global = true, value_name = "ORIGIN")]
    origin: Option<String>,
    /// true/1 for HTTPS, false/0 for plain HTTP beside a scheme-less origin (env: PUBNUB_SECURE)
    #[arg(long, global = true, value_name = "BOOL")]
    secure: Option<String>,
    /// The subscribe key (env: PUBNUB_SUBSCRIBE_KEY) (default: demo)
    #[arg(long, global = true, value_name = "KEY")]
    subscribe_key: Option<String>,
    /// The publish key (env: PUBNUB_PUBLISH_KEY) (default: demo)
    #[arg(long, global = true, value_name = "KEY")]
    publish_key: Option<String>,
    /// Signs every request; prefer the variable, flags show in `ps` (env: PUBNUB_SECRET_KEY)
    #[arg(long, global = true, value_name = "KEY")]
    secret_key: Option<String>,
    /// The auth key (access manager token or key) (env: PUBNUB_AUTH)
    #[arg(long, global = true, value_name = "KEY")]
    auth: Option<String>,
    /// The user id (default: pn- and a random id) (env: PUBNUB_USER_ID)
    #[arg(long, global = true, value_name = "ID")]
    user_id: Option<String>,
    /// Encrypts published messages and decrypts received ones (env: PUBNUB_CIPHER_KEY)
    #[arg(long, global = true, value_name = "KEY")]
    cipher_key: Option<String>,
}

impl TargetArgs {
    /// The secret key (flag, then variable): `pn serve` checks signatures with it.
    pub(crate) fn secret_key(&self) -> Result<Option<String>, Failure> {
        Ok(setting(&self.secret_key, "--secret-key", "PUBNUB_SECRET_KEY")?.map(|v| v.0))
    }
}

/// The resolved configuration: which server, which keys, which user.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// `host[:port]`, `None` for the library's default (the PubNub network).
    origin: Option<String>,
    secure: bool,
    subscribe_key: String,
    publish_key: String,
    secret_key: Option<String>,
    auth: Option<String>,
    cipher_key: Option<String>,
    user_id: String,
    /// Neither an origin nor keys were given: the local dev server is assumed.
    local_default: bool,
}

impl Target {
    /// Resolves flags, then variables, then defaults. A bad value is a usage
    /// error naming the flag or variable.
    pub(crate) fn resolve(args: &TargetArgs) -> Result<Target, Failure> {
        let origin = setting(&args.origin, "--origin", "PUBNUB_ORIGIN")?;
        let subscribe_key = setting(
            &args.subscribe_key,
            "--subscribe-key",
            "PUBNUB_SUBSCRIBE_KEY",
        )?;
        let (origin, scheme_secure) = match origin {
            Some((origin, name)) => {
                let (origin, secure) = split_scheme(&origin, name)?;
                (Some(origin), secure)
            }
            None => (None, None),
        };
        let secure_flag = match setting(&args.secure, "--secure", "PUBNUB_SECURE")? {
            Some((value, name)) => {
                let flag = parse_flag(&value, name)?;
                if scheme_secure.is_some_and(|s| s != flag) {
                    return Err(Failure::usage(format!(
                        "{name}={value} contradicts the scheme of the origin"
                    )));
                }
                Some(flag)
            }
            None => None,
        };
        let local_default = origin.is_none() && subscribe_key.is_none();
        let (origin, secure) = if local_default {
            (Some(LOCAL_DEFAULT.to_owned()), secure_flag.unwrap_or(false))
        } else {
            (origin, secure_flag.or(scheme_secure).unwrap_or(true))
        };
        let or_demo =
            |value: Option<(String, &str)>| value.map_or_else(|| "demo".to_owned(), |v| v.0);
        Ok(Target {
            origin,
            secure,
            subscribe_key: or_demo(subscribe_key),
            publish_key: or_demo(setting(
                &args.publish_key,
                "--publish-key",
                "PUBNUB_PUBLISH_KEY",
            )?),
            secret_key: setting(&args.secret_key, "--secret-key", "PUBNUB_SECRET_KEY")?
                .map(|v| v.0),
            auth: setting(&args.auth, "--auth", "PUBNUB_AUTH")?.map(|v| v.0),
            cipher_key: setting(&args.cipher_key, "--cipher-key", "PUBNUB_CIPHER_KEY")?
                .map(|v| v.0),
            user_id: setting(&args.user_id, "--user-id", "PUBNUB_USER_ID")?
                .map_or_else(|| format!("pn-{}", uuid::Uuid::new_v4().simple()), |v| v.0),
            local_default,
        })
    }

    /// True when neither an origin nor keys were given (flags or variables).
    pub(crate) fn is_local_default(&self) -> bool {
        self.local_default
    }

    /// The same settings pointed at another origin over plain HTTP (the
    /// embedded dev server of `pn bench`).
    pub(crate) fn at_local(&self, origin: String) -> Target {
        Target {
            origin: Some(origin),
            secure: false,
            ..self.clone()
        }
    }

    /// The user id requests are made as.
    pub(crate) fn user_id(&self) -> &str {
        &self.user_id
    }

    /// A client builder with these settings and `user_id`.
    pub(crate) fn builder_as(&self, user_id: &str) -> PubNubBuilder {
        let mut builder = PubNub::builder()
            .subscribe_key(self.subscribe_key.clone())
            .publish_key(self.publish_key.clone())
            .user_id(user_id.to_owned())
            .secure(self.secure)
            .pnsdk_suffix("pn-cli");
        if let Some(origin) = &self.origin {
            builder = builder.origin(origin.clone());
        }
        if let Some(secret) = &self.secret_key {
            builder = builder.secret_key(secret.clone());
        }
        if let Some(auth) = &self.auth {
            builder = builder.auth_key(auth.clone());
        }
        if let Some(cipher_key) = &self.cipher_key {
            builder = builder.crypto(CryptoModule::aes_cbc(cipher_key.clone()));
        }
        builder
    }

    /// A client builder with these settings.
    pub(crate) fn builder(&self) -> PubNubBuilder {
        self.builder_as(&self.user_id)
    }

    /// A client, or a usage error saying which setting is wrong.
    pub(crate) fn client(&self) -> Result<PubNub, Failure> {
        build(self.builder())
    }

    /// The server as a URL, for messages: `http://127.0.0.1:8090`,
    /// `https://ps.pndsn.com`.
    pub(crate) fn url(&self) -> String {
        let scheme = if self.secure { "https" } else { "http" };
        let origin = self.origin.as_deref().unwrap_or(DEFAULT_ORIGIN);
        format!("{scheme}://{origin}")
    }

    /// The command that starts a dev server where this target points, when
    /// it points at this machine over plain HTTP: `pn serve`, or
    /// `pn serve --port 9000` for another port.
    pub(crate) fn start_command(&self) -> Option<String> {
        if self.secure {
            return None;
        }
        let origin = self.origin.as_deref()?;
        let (host, port) = split_port(origin);
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if !matches!(host, "127.0.0.1" | "localhost" | "::1") {
            return None;
        }
        let mut command = "pn serve".to_owned();
        if host == "::1" {
            command.push_str(" --host ::1");
        }
        match port {
            Some(8090) => {}
            Some(port) => command.push_str(&format!(" --port {port}")),
            None => command.push_str(" --port 80"),
        }
        Some(command)
    }
}

/// Builds a client; a configuration error is a usage error.
pub(crate) fn build(builder: PubNubBuilder) -> Result<PubNub, Failure> {
    builder
        .build()
        .map_err(|error| Failure::usage(format!("invalid configuration: {error}")))
}

/// `host:port` → (`host`, Some(port)); `[::1]:8090` → (`[::1]`, Some(8090)).
fn split_port(origin: &str) -> (&str, Option<u16>) {
    match origin.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && (!host.contains(':') || host.ends_with(']')) => {
            match port.parse() {
                Ok(port) => (host, Some(port)),
                Err(_) => (origin, None),
            }
        }
        _ => (origin, None),
    }
}

/// A flag's value, else its variable's; unset or blank is `None`. Returns
/// the value and the name it came from (for error messages).
fn setting(
    flag: &Option<String>,
    flag_name: &'static str,
    variable: &'static str,
) -> Result<Option<(String, &'static str)>, Failure> {
    if let Some(value) = flag.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        return Ok(Some((value.to_owned(), flag_name)));
    }
    match env::var(variable) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some((value.trim().to_owned(), variable))),
        Err(VarError::NotPresent) => Ok(None),
        Err(VarError::NotUnicode(_)) => {
            Err(Failure::usage(format!("{variable} is not valid UTF-8")))
        }
    }
}

/// `http://h:p` → (`h:p`, Some(false)); `https://h` → (`h`, Some(true));
/// `h:p` → (`h:p`, None). A trailing `/` is dropped; a path is an error.
fn split_scheme(origin: &str, name: &str) -> Result<(String, Option<bool>), Failure> {
    let (rest, secure) = if let Some(rest) = origin.strip_prefix("http://") {
        (rest, Some(false))
    } else if let Some(rest) = origin.strip_prefix("https://") {
        (rest, Some(true))
    } else if origin.contains("://") {
        return Err(Failure::usage(format!(
            "{name}={origin}: only http:// and https:// are supported"
        )));
    } else {
        (origin, None)
    };
    let host = rest.strip_suffix('/').unwrap_or(rest);
    if host.is_empty() || host.contains('/') {
        return Err(Failure::usage(format!(
            "{name}={origin}: give [scheme://]host[:port] only"
        )));
    }
    Ok((host.to_owned(), secure))
}

fn parse_flag(value: &str, name: &str) -> Result<bool, Failure> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(Failure::usage(format!(
            "{name}={value}: use true/1 or false/0"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(origin: &str, secure: bool) -> Target {
        Target {
            origin: Some(origin.to_owned()),
            secure,
            subscribe_key: "demo".into(),
            publish_key: "demo".into(),
            secret_key: None,
            auth: None,
            cipher_key: None,
            user_id: "u".into(),
            local_default: false,
        }
    }

    #[test]
    fn start_command_names_the_port_unless_it_is_the_default() {
        assert_eq!(
            target("127.0.0.1:8090", false).start_command().as_deref(),
            Some("pn serve")
        );
        assert_eq!(
            target("localhost:9001", false).start_command().as_deref(),
            Some("pn serve --port 9001")
        );
        assert_eq!(
            target("[::1]:8090", false).start_command().as_deref(),
            Some("pn serve --host ::1")
        );
        assert_eq!(target("127.0.0.1:8090", true).start_command(), None);
        assert_eq!(target("ps.pndsn.com", false).start_command(), None);
    }

    #[test]
    fn origins_keep_host_and_port_and_say_their_scheme() {
        let split = |o: &str| split_scheme(o, "--origin").map_err(|f| f.to_string());
        assert_eq!(split("http://h:1/"), Ok(("h:1".into(), Some(false))));
        assert_eq!(split("https://h"), Ok(("h".into(), Some(true))));
        assert_eq!(split("h:2"), Ok(("h:2".into(), None)));
        assert!(split("ftp://h").is_err());
        assert!(split("http://h/path").is_err());
    }
}
