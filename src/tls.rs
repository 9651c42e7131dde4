//! TLS for the commands that talk to hosts and terminals (send, serve, proxy): rustls
//! configurations made from PEM files, and a handshake failure said in words, with the side
//! that failed and what to do. Key files are read here and never printed: errors name the
//! file, never its contents.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::server::WebPkiClientVerifier;
use rustls::{
    AlertDescription, CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct,
    RootCertStore, ServerConfig, SignatureScheme, StreamOwned,
};

/// How a client (send, proxy towards its host) speaks TLS.
#[derive(Clone, Debug, Default)]
pub struct ClientOptions {
    /// PEM file of the CA certificates to trust (else the system's).
    pub ca: Option<String>,
    /// PEM certificate chain to present (mutual TLS), with `key`.
    pub cert: Option<String>,
    /// PEM private key of `cert`.
    pub key: Option<String>,
    /// Accept any server certificate (test hosts only).
    pub insecure: bool,
    /// The name to ask for and check the certificate against (else the host of `--to`).
    pub sni: Option<String>,
}

/// A client configuration with the name it checks, ready to connect.
#[derive(Clone)]
pub struct Client {
    pub config: Arc<ClientConfig>,
    pub name: ServerName<'static>,
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn read_pem(path: &str, what: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {what} file {path}: {e}"))
}

/// The certificates of a PEM file (at least one).
pub fn load_certs(path: &str, what: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let pem = read_pem(path, what)?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{what} file {path}: not a PEM certificate file ({e})"))?;
    if certs.is_empty() {
        return Err(format!(
            "{what} file {path}: no certificate in it (expected '-----BEGIN CERTIFICATE-----')"
        ));
    }
    Ok(certs)
}

/// The private key of a PEM file (PKCS#8, PKCS#1 or SEC1). The error never quotes the file.
pub fn load_key(path: &str) -> Result<PrivateKeyDer<'static>, String> {
    let pem = read_pem(path, "key")?;
    PrivateKeyDer::from_pem_slice(&pem).map_err(|_| {
        format!(
            "key file {path}: no private key in it (expected '-----BEGIN PRIVATE KEY-----', \
             RSA or EC PRIVATE KEY)"
        )
    })
}

fn roots(path: &str, what: &str) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    for c in load_certs(path, what)? {
        store
            .add(c)
            .map_err(|e| format!("{what} file {path}: a certificate in it is not usable: {e}"))?;
    }
    Ok(store)
}

fn system_roots() -> RootCertStore {
    let mut store = RootCertStore::empty();
    let found = rustls_native_certs::load_native_certs();
    for c in found.certs {
        let _ = store.add(c);
    }
    store
}

/// The server name to send (SNI) and check: `sni`, else the host part of `to` (HOST:PORT).
pub fn server_name(to: &str, sni: Option<&str>) -> Result<ServerName<'static>, String> {
    let host = match sni {
        Some(s) => s,
        None => to
            .rsplit_once(':')
            .map_or(to, |(h, _)| h)
            .trim_start_matches('[')
            .trim_end_matches(']'),
    };
    ServerName::try_from(host.to_string()).map_err(|_| {
        format!(
            "{host:?} is not a host name or address to check a certificate for; give --sni NAME"
        )
    })
}

/// The client configuration for `opts`, connecting to `to`.
pub fn client(opts: &ClientOptions, to: &str) -> Result<Client, String> {
    let builder = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?;
    let builder = if opts.insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyServer(provider())))
    } else {
        let store = match &opts.ca {
            Some(p) => roots(p, "CA")?,
            None => system_roots(),
        };
        builder.with_root_certificates(store)
    };
    let config = match (&opts.cert, &opts.key) {
        (Some(c), Some(k)) => builder
            .with_client_auth_cert(load_certs(c, "certificate")?, load_key(k)?)
            .map_err(|e| {
                format!(
                    "cannot use the certificate {c} with the key {k}: {}",
                    setup_words(&e)
                )
            })?,
        (None, None) => builder.with_no_client_auth(),
        (Some(_), None) => return Err("--cert needs --key (the certificate's private key)".into()),
        (None, Some(_)) => return Err("--key needs --cert (the certificate it belongs to)".into()),
    };
    Ok(Client {
        config: Arc::new(config),
        name: server_name(to, opts.sni.as_deref())?,
    })
}

/// The server configuration: certificate chain and key, and when `client_ca` is given, a
/// client certificate signed by it is required (mutual TLS).
pub fn server(cert: &str, key: &str, client_ca: Option<&str>) -> Result<Arc<ServerConfig>, String> {
    let builder = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?;
    let builder = match client_ca {
        Some(p) => {
            let verifier = WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots(p, "client CA")?),
                provider(),
            )
            .build()
            .map_err(|e| format!("client CA file {p}: {e}"))?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let config = builder
        .with_single_cert(load_certs(cert, "certificate")?, load_key(key)?)
        .map_err(|e| {
            format!(
                "cannot use the certificate {cert} with the key {key}: {}",
                setup_words(&e)
            )
        })?;
    Ok(Arc::new(config))
}

/// Why a certificate and key cannot be used, in words.
fn setup_words(e: &rustls::Error) -> String {
    let text = format!("{e:?}");
    if let rustls::Error::InconsistentKeys(_) = e {
        return "the key is not the certificate's (give the key the certificate was made with)"
            .into();
    }
    if text.contains("UnsupportedCertVersion") {
        "it is an X.509 version 1 certificate; TLS needs version 3 (sign it with extensions, \
         e.g. openssl x509 -req … -extfile with a subjectAltName)"
            .into()
    } else {
        e.to_string()
    }
}

/// Accepts every server certificate, still checking the handshake's signatures (`--insecure`).
#[derive(Debug)]
struct AnyServer(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for AnyServer {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Which end of a handshake is speaking, for the words of a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// This process connected (send, proxy towards its host).
    Client,
    /// This process accepted (serve, proxy towards its terminals).
    Server,
}

fn when(t: &UnixTime) -> String {
    let secs = t.as_secs();
    let days = secs / 86_400;
    let (y, m, d) = crate::host::clock::civil(days as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

fn certificate_words(e: &CertificateError, side: Side) -> String {
    let whose = match side {
        Side::Client => "the host's certificate",
        Side::Server => "the client's certificate",
    };
    let trust = match side {
        Side::Client => "give --ca FILE with the CA that signed it (or --insecure for a test host)",
        Side::Server => "give --client-ca FILE with the CA that signed the terminals' certificates",
    };
    match e {
        CertificateError::UnknownIssuer => {
            format!("{whose} is not signed by a trusted CA; {trust}")
        }
        CertificateError::Expired => format!("{whose} has expired"),
        CertificateError::ExpiredContext { not_after, .. } => {
            format!("{whose} expired on {}", when(not_after))
        }
        CertificateError::NotValidYet => format!("{whose} is not valid yet"),
        CertificateError::NotValidYetContext { not_before, .. } => {
            format!("{whose} is not valid before {}", when(not_before))
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            format!(
                "{whose} is not for the name asked for; give --sni NAME with a name the \
                 certificate has"
            )
        }
        CertificateError::BadSignature => format!("{whose} has a bad signature"),
        CertificateError::Revoked => format!("{whose} is revoked"),
        CertificateError::BadEncoding => format!("{whose} cannot be read (bad encoding)"),
        other => format!("{whose} was refused: {other:?}"),
    }
}

/// Whether an I/O error is TLS's own (an alert, a bad record), not the socket's.
pub fn is_tls(err: &io::Error) -> bool {
    err.get_ref()
        .is_some_and(|e| e.downcast_ref::<rustls::Error>().is_some())
}

/// Whether bytes a plain client got look like a TLS record (a handshake or an alert), as a
/// TLS server answers a client that does not speak TLS.
pub fn looks_like_tls(bytes: &[u8]) -> bool {
    matches!(bytes, [0x15 | 0x16, 0x03, 0x00..=0x04, ..])
}

/// The reason of a failed handshake in words, as seen from `side`.
pub fn explain(err: &io::Error, side: Side) -> String {
    let Some(tls) = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>())
    else {
        return match err.kind() {
            io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset => match side {
                Side::Client => "the host closed the connection during the handshake (does it speak TLS on this port?)".into(),
                Side::Server => "the client closed the connection during the handshake (it may not trust this server's certificate)".into(),
            },
            io::ErrorKind::TimedOut => "no handshake within the time allowed".into(),
            _ => err.to_string(),
        };
    };
    let peer = match side {
        Side::Client => "the host",
        Side::Server => "the client",
    };
    match tls {
        rustls::Error::InvalidCertificate(c) => certificate_words(c, side),
        rustls::Error::NoCertificatesPresented => {
            "the client sent no certificate; --client-ca requires one (give the terminal --cert and --key)".into()
        }
        rustls::Error::AlertReceived(a) => match (a, side) {
            (AlertDescription::CertificateRequired, Side::Client)
            | (AlertDescription::HandshakeFailure, Side::Client) => {
                "the host refused the handshake: it asks for a client certificate (give --cert FILE --key FILE)".into()
            }
            (
                AlertDescription::UnknownCA | AlertDescription::BadCertificate,
                Side::Client,
            ) => "the host does not trust this client's certificate (--cert): it is not signed by a CA the host knows".into(),
            (
                AlertDescription::UnknownCA | AlertDescription::BadCertificate,
                Side::Server,
            ) => "the client does not trust this server's certificate (--tls-cert): give the client the CA that signed it".into(),
            (AlertDescription::CertificateExpired, Side::Client) => {
                "the host says this client's certificate (--cert) has expired".into()
            }
            (AlertDescription::CertificateExpired, Side::Server) => {
                "the client says this server's certificate (--tls-cert) has expired".into()
            }
            (a, _) => format!("{peer} ended the handshake with the alert {a:?}"),
        },
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            format!("{peer} does not speak TLS (is it a plain TCP port, or a plain client?)")
        }
        rustls::Error::PeerIncompatible(p) => {
            format!("{peer} has no TLS version or cipher in common with posresp: {p:?}")
        }
        other => other.to_string(),
    }
}

/// A blocking TLS client stream (send without --replay), handshake done.
pub type BlockingStream = StreamOwned<ClientConnection, TcpStream>;

/// Run the handshake on `sock` within `timeout`; the error is said in words.
pub fn handshake_blocking(
    client: &Client,
    mut sock: TcpStream,
    timeout: Duration,
) -> Result<BlockingStream, String> {
    let mut conn = ClientConnection::new(Arc::clone(&client.config), client.name.clone())
        .map_err(|e| format!("TLS: {e}"))?;
    let _ = sock.set_read_timeout(Some(timeout));
    let _ = sock.set_write_timeout(Some(timeout));
    while conn.is_handshaking() {
        if let Err(e) = conn.complete_io(&mut sock) {
            return Err(explain(&e, Side::Client));
        }
    }
    Ok(StreamOwned::new(conn, sock))
}

/// A client connection, plain or TLS, for blocking reads with a timeout.
pub enum BlockingConn {
    Plain(TcpStream),
    Tls(Box<BlockingStream>),
}

impl BlockingConn {
    /// Set the read timeout of the socket underneath.
    pub fn set_read_timeout(&self, t: Option<Duration>) -> io::Result<()> {
        match self {
            BlockingConn::Plain(s) => s.set_read_timeout(t),
            BlockingConn::Tls(s) => s.sock.set_read_timeout(t),
        }
    }
}

impl Read for BlockingConn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            BlockingConn::Plain(s) => s.read(buf),
            BlockingConn::Tls(s) => s.read(buf),
        }
    }
}

impl Write for BlockingConn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            BlockingConn::Plain(s) => s.write(buf),
            BlockingConn::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            BlockingConn::Plain(s) => s.flush(),
            BlockingConn::Tls(s) => s.flush(),
        }
    }
}

/// An async TLS stream to a host (send --replay, proxy).
pub type ClientStream = tokio_rustls::client::TlsStream<tokio::net::TcpStream>;
/// An async TLS stream from a client (serve, proxy).
pub type ServerStream = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;

/// Connect over TLS on `tcp` within `timeout`; the error is said in words.
pub async fn connect(
    client: &Client,
    tcp: tokio::net::TcpStream,
    timeout: Duration,
) -> Result<ClientStream, String> {
    let connector = tokio_rustls::TlsConnector::from(Arc::clone(&client.config));
    match tokio::time::timeout(timeout, connector.connect(client.name.clone(), tcp)).await {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(e)) => Err(explain(&e, Side::Client)),
        Err(_) => Err(format!("no TLS handshake within {timeout:?}")),
    }
}

/// Accept a TLS client on `tcp` within `timeout`; the error is said in words.
pub async fn accept(
    config: &Arc<ServerConfig>,
    tcp: tokio::net::TcpStream,
    timeout: Duration,
) -> Result<ServerStream, String> {
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::clone(config));
    match tokio::time::timeout(timeout, acceptor.accept(tcp)).await {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(e)) => Err(explain(&e, Side::Server)),
        Err(_) => Err(format!("no TLS handshake within {timeout:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_names() {
        assert_eq!(
            when(&UnixTime::since_unix_epoch(Duration::from_secs(
                20_454 * 86_400
            ))),
            "2026-01-01"
        );
        assert!(server_name("127.0.0.1:8583", None).is_ok());
        assert!(server_name("[::1]:8583", None).is_ok());
        assert!(server_name("host.example:8583", None).is_ok());
        assert!(server_name("a b:1", None).is_err());
    }

    #[test]
    fn missing_files_name_the_file_and_nothing_else() {
        let e = load_key("/nonexistent/k.pem").unwrap_err();
        assert!(e.contains("/nonexistent/k.pem"));
        let dir = std::env::temp_dir().join(format!("posresp-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("k.pem");
        std::fs::write(&p, "secret-material-not-pem").unwrap();
        let e = load_key(p.to_str().unwrap()).unwrap_err();
        assert!(!e.contains("secret-material"), "{e}");
        let e = load_certs(p.to_str().unwrap(), "CA").unwrap_err();
        assert!(!e.contains("secret-material"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
