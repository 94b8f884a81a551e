//! How `pn` fails: one readable line on stderr and a documented exit code.

use std::fmt;
use std::process::ExitCode;

use pubnub_stream::{ConnectError, RequestError, RequestErrorKind, Status};

use crate::target::Target;

/// The exit codes, as `pn --help` documents them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// 1: the server refused the request (too large, bad request, server error, ...),
    /// or another failure (cannot listen, cannot read stdin).
    Failed = 1,
    /// 2: bad flags, arguments or settings (clap's own code for usage errors).
    Usage = 2,
    /// 3: no server answered (connection refused, network error, timeout).
    Connection = 3,
    /// 4: access denied (403) or a key the server does not know.
    AccessDenied = 4,
    /// 5: a pipe went through but not every line was published.
    Partial = 5,
}

/// A failure to report: the line to print (without the `pn: ` prefix) and the exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    exit: Exit,
    message: String,
}

impl Failure {
    /// A failure with this exit code.
    pub(crate) fn new(exit: Exit, message: impl Into<String>) -> Failure {
        Failure {
            exit,
            message: message.into(),
        }
    }

    /// Bad flags, arguments or settings.
    pub(crate) fn usage(message: impl Into<String>) -> Failure {
        Failure::new(Exit::Usage, message)
    }

    /// A request that failed, as `{what} failed: {error}`; for a network
    /// error against this machine, with the command that starts a dev server.
    pub(crate) fn request(target: &Target, what: &str, error: &RequestError) -> Failure {
        let exit = exit_for(error.kind());
        if exit == Exit::Connection {
            return Failure::unreachable(target, &error.to_string());
        }
        Failure::new(exit, format!("{what} failed: {error}"))
    }

    /// A subscription that did not connect, by the status that stopped it.
    pub(crate) fn connect(target: &Target, what: &str, error: &ConnectError) -> Failure {
        Failure::status(target, what, error.status())
    }

    /// A subscription ended by `status` (access denied, retries exhausted, ...).
    pub(crate) fn status(target: &Target, what: &str, status: &Status) -> Failure {
        let request = status.error();
        let exit = match (status, request) {
            (_, Some(request)) => exit_for(request.kind()),
            (Status::AccessDenied { .. }, None) => Exit::AccessDenied,
            (
                Status::NetworkIssues { .. }
                | Status::Timeout { .. }
                | Status::UnexpectedDisconnect { .. }
                | Status::Disconnected { .. },
                None,
            ) => Exit::Connection,
            _ => Exit::Failed,
        };
        let detail = match status.error() {
            Some(error) => format!("{}: {error}", status.category()),
            None => status.category().to_owned(),
        };
        if exit == Exit::Connection {
            return Failure::unreachable(target, &detail);
        }
        Failure::new(exit, format!("{what} failed: {detail}"))
    }

    /// Nothing answers at the target: say where, why, and how to start a
    /// dev server there when it is this machine.
    pub(crate) fn unreachable(target: &Target, why: &str) -> Failure {
        let mut message = format!("no PubNub server answers at {} ({why})", target.url());
        if let Some(command) = target.start_command() {
            message.push_str(&format!("; start one with: {command}"));
        }
        Failure::new(Exit::Connection, message)
    }

    /// The exit code.
    pub(crate) fn exit(&self) -> Exit {
        self.exit
    }

    /// Prints the line on stderr and returns the process exit code.
    pub(crate) fn report(&self) -> ExitCode {
        eprintln!("pn: {self}");
        ExitCode::from(self.exit as u8)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The exit code for a request error's kind.
pub(crate) fn exit_for(kind: &RequestErrorKind) -> Exit {
    match kind {
        RequestErrorKind::Network | RequestErrorKind::Timeout { .. } => Exit::Connection,
        RequestErrorKind::AccessDenied { .. } | RequestErrorKind::InvalidKey { .. } => {
            Exit::AccessDenied
        }
        RequestErrorKind::MissingPublishKey
        | RequestErrorKind::InvalidChannel { .. }
        | RequestErrorKind::InvalidArgument { .. } => Exit::Usage,
        _ => Exit::Failed,
    }
}
