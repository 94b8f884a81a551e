//! Ctrl-C (SIGINT, and SIGTERM on Unix) as a future, listening from the
//! moment it is made: a signal that arrives while `pn` is still connecting
//! is not lost (tokio's `ctrl_c()` only listens once first polled).

/// The interrupt signals, installed by [`Interrupt::install`].
#[derive(Debug)]
pub(crate) struct Interrupt {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl Interrupt {
    /// Starts listening for SIGINT and SIGTERM (Ctrl-C elsewhere).
    pub(crate) fn install() -> std::io::Result<Interrupt> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(Interrupt {
                int: signal(SignalKind::interrupt())?,
                term: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Interrupt {})
        }
    }

    /// Resolves at the next interrupt.
    pub(crate) async fn recv(&mut self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.int.recv() => {}
                _ = self.term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
