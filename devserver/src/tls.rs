//! HTTPS: the TLS acceptor built from a [`TlsPem`].

use std::fmt;

use crate::config::TlsPem;

/// Accepts TLS connections with the configured certificate.
#[derive(Clone)]
pub(crate) struct Acceptor(tokio_native_tls::TlsAcceptor);

impl fmt::Debug for Acceptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Acceptor")
    }
}

impl Acceptor {
    /// Loads the certificate and key; `InvalidInput` when they do not load.
    pub(crate) fn new(pem: &TlsPem) -> std::io::Result<Acceptor> {
        let invalid = |e: tokio_native_tls::native_tls::Error| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, e)
        };
        let identity = tokio_native_tls::native_tls::Identity::from_pkcs8(&pem.cert, &pem.key)
            .map_err(invalid)?;
        let acceptor = tokio_native_tls::native_tls::TlsAcceptor::new(identity).map_err(invalid)?;
        Ok(Acceptor(acceptor.into()))
    }

    /// The TLS handshake on an accepted connection.
    pub(crate) async fn accept(
        &self,
        stream: tokio::net::TcpStream,
    ) -> Result<
        tokio_native_tls::TlsStream<tokio::net::TcpStream>,
        tokio_native_tls::native_tls::Error,
    > {
        self.0.accept(stream).await
    }
}
