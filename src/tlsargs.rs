//! The TLS options, the same on every command that has them: the client side (`send`, and
//! `proxy` towards its host) and the server side (`serve`, and `proxy` towards its terminals).

use std::sync::Arc;

use anyhow::{Result, anyhow};
use clap::Args;

/// TLS towards a host.
#[derive(Debug, Args, Clone, Default)]
pub struct ClientTlsArgs {
    /// Speak TLS to the host (the certificate is checked against the system's CAs, or --ca).
    #[arg(long)]
    pub tls: bool,
    /// With --tls: PEM file of the CA certificates to trust instead of the system's.
    #[arg(long, value_name = "FILE", requires = "tls")]
    pub ca: Option<String>,
    /// With --tls: PEM certificate chain to present to the host (mutual TLS), with --key.
    #[arg(long, value_name = "FILE", requires = "tls", requires = "key")]
    pub cert: Option<String>,
    /// With --tls: PEM private key of --cert (read from the file, never printed).
    #[arg(long, value_name = "FILE", requires = "tls", requires = "cert")]
    pub key: Option<String>,
    /// With --tls: accept any host certificate (for test hosts only; the link is encrypted
    /// but the host is not authenticated).
    #[arg(long, requires = "tls")]
    pub insecure: bool,
    /// With --tls: the server name to ask for (SNI) and check the certificate against
    /// (default: the host part of --to).
    #[arg(long, value_name = "NAME", requires = "tls")]
    pub sni: Option<String>,
}

impl ClientTlsArgs {
    /// The client configuration for connecting to `to`, when --tls is given.
    pub fn client(&self, to: &str) -> Result<Option<posresp::tls::Client>> {
        if !self.tls {
            return Ok(None);
        }
        let opts = posresp::tls::ClientOptions {
            ca: self.ca.clone(),
            cert: self.cert.clone(),
            key: self.key.clone(),
            insecure: self.insecure,
            sni: self.sni.clone(),
        };
        posresp::tls::client(&opts, to)
            .map(Some)
            .map_err(|e| anyhow!(e))
    }
}

/// TLS towards terminals.
#[derive(Debug, Args, Clone, Default)]
pub struct ServerTlsArgs {
    /// Speak TLS to clients with this PEM certificate chain (with --tls-key).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<String>,
    /// PEM private key of --tls-cert (read from the file, never printed).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<String>,
    /// With --tls-cert: require a client certificate signed by a CA in this PEM file
    /// (mutual TLS).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub client_ca: Option<String>,
}

impl ServerTlsArgs {
    /// The server configuration, when --tls-cert is given.
    pub fn server(&self) -> Result<Option<Arc<rustls::ServerConfig>>> {
        match (&self.tls_cert, &self.tls_key) {
            (Some(c), Some(k)) => posresp::tls::server(c, k, self.client_ca.as_deref())
                .map(Some)
                .map_err(|e| anyhow!(e)),
            _ => Ok(None),
        }
    }
}
