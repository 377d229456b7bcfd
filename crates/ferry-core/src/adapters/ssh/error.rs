//! What can go wrong on the SSH side, worded so that a user knows what to do next.
//!
//! No variant ever holds a password or passphrase: only host names, users, paths, fingerprints
//! and libssh2's own messages.

use crate::catalog::Msg;
use crate::msg;
use std::path::PathBuf;
use std::time::Duration;

/// Why a TCP connection to the server could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreachable {
    /// The host name does not resolve.
    Dns,
    /// No answer within the connect timeout.
    TimedOut,
    /// The server answered with a reset: nothing listens there, or a firewall rejects.
    Refused,
    /// No route to the host or network.
    NoRoute,
    /// Anything else the OS reported.
    Other,
}

/// Where the fingerprint Ferry expected came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOrigin {
    /// `host_key` in ferry.toml.
    Pinned,
    /// The fingerprint the user accepted (`--trust-host-key`).
    Trusted,
    /// A line of a known_hosts file.
    KnownHosts {
        path: PathBuf,
        line: usize,
        /// The name the entry is looked up by: `host`, or `[host]:port` off port 22.
        name: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum SshError {
    Unreachable {
        /// `host:port`
        host: String,
        kind: Unreachable,
        detail: String,
    },

    Handshake {
        host: String,
        detail: String,
    },

    HostKeyMismatch {
        host: String,
        key_type: String,
        expected: String,
        actual: String,
        origin: Box<KeyOrigin>,
    },

    UnknownHostKey {
        host: String,
        key_type: String,
        fingerprint: String,
    },

    HostKeyRevoked {
        host: String,
        key_type: String,
        fingerprint: String,
        path: PathBuf,
        line: usize,
    },

    InvalidFingerprint {
        field: &'static str,
        value: String,
    },

    KeyFileMissing {
        path: PathBuf,
    },

    KeyNeedsPassphrase {
        path: PathBuf,
    },

    KeyUnreadable {
        path: PathBuf,
        passphrase_given: bool,
        detail: String,
    },

    AuthFailed {
        user: String,
        host: String,
        /// What was offered, in order: "identity file", "ssh agent", "default keys",
        /// "password", "keyboard-interactive".
        tried: Vec<&'static str>,
        /// The methods the server said it accepts ("publickey,password"), if it said.
        accepted: String,
        /// The server hung up during authentication (often MaxAuthTries).
        server_closed: bool,
    },

    Channel {
        host: String,
        action: Msg,
        detail: String,
    },

    Disconnected {
        host: String,
        action: Msg,
        detail: String,
    },

    ForwardingRefused {
        host: String,
        detail: String,
    },

    PortClosed {
        host: String,
        addr: String,
        port: u16,
    },

    HttpTimeout {
        host: String,
        addr: String,
        port: u16,
        timeout: Duration,
    },

    BadHttpResponse {
        host: String,
        addr: String,
        port: u16,
        response: String,
    },

    CommandTimeout {
        host: String,
        command: String,
        after: Duration,
        idle: bool,
    },

    InvalidHttpPath {
        path: String,
    },

    Input {
        host: String,
        #[source]
        source: std::io::Error,
    },
}

impl SshError {
    /// Whether the connection itself is gone or unanswering (a new one may work), rather than
    /// one request refused.
    pub fn is_connection_lost(&self) -> bool {
        matches!(
            self,
            SshError::Disconnected { .. }
                | SshError::CommandTimeout { .. }
                | SshError::Unreachable { .. }
                | SshError::Handshake { .. }
        )
    }
}

impl std::fmt::Display for SshError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl SshError {
    /// What went wrong and what to do, from the catalog.
    pub fn message(&self) -> Msg {
        match self {
            SshError::Unreachable { host, kind, detail } => {
                let id = match kind {
                    Unreachable::Dns => "ssh-unreachable-dns",
                    Unreachable::TimedOut => "ssh-unreachable-timeout",
                    Unreachable::Refused => "ssh-unreachable-refused",
                    Unreachable::NoRoute => "ssh-unreachable-no-route",
                    Unreachable::Other => "ssh-unreachable-other",
                };
                Msg::new(id).arg("host", host).arg("detail", detail)
            }
            SshError::Handshake { host, detail } => {
                msg!("ssh-handshake", host = host, detail = detail)
            }
            SshError::HostKeyMismatch {
                host,
                key_type,
                expected,
                actual,
                origin,
            } => {
                let (whence, fix) = match &**origin {
                    KeyOrigin::Pinned => (
                        msg!("ssh-key-origin-pinned"),
                        msg!("ssh-key-fix-pinned", actual = actual),
                    ),
                    KeyOrigin::Trusted => {
                        (msg!("ssh-key-origin-trusted"), msg!("ssh-key-fix-trusted"))
                    }
                    KeyOrigin::KnownHosts { path, line, name } => (
                        msg!("ssh-key-origin-known-hosts", path = path, line = *line),
                        msg!("ssh-key-fix-known-hosts", name = name, path = path),
                    ),
                };
                msg!(
                    "ssh-host-key-mismatch",
                    host = host,
                    key_type = key_type,
                    actual = actual,
                    whence = whence,
                    expected = expected,
                    fix = fix,
                )
            }
            SshError::UnknownHostKey {
                host,
                key_type,
                fingerprint,
            } => msg!(
                "ssh-unknown-host-key",
                host = host,
                key_type = key_type,
                fingerprint = fingerprint,
                short = short_key_type(key_type),
            ),
            SshError::HostKeyRevoked {
                host,
                key_type,
                fingerprint,
                path,
                line,
            } => msg!(
                "ssh-host-key-revoked",
                host = host,
                key_type = key_type,
                fingerprint = fingerprint,
                path = path,
                line = *line,
            ),
            SshError::InvalidFingerprint { field, value } => {
                msg!("ssh-invalid-fingerprint", field = *field, value = value)
            }
            SshError::KeyFileMissing { path } => msg!("ssh-key-file-missing", path = path),
            SshError::KeyNeedsPassphrase { path } => {
                msg!("ssh-key-needs-passphrase", path = path)
            }
            SshError::KeyUnreadable {
                path,
                passphrase_given,
                detail,
            } => msg!(
                "ssh-key-unreadable",
                path = path,
                detail = detail,
                passphrase = if *passphrase_given { "given" } else { "none" },
            ),
            SshError::AuthFailed {
                user,
                host,
                tried,
                accepted,
                server_closed,
            } => {
                let accepted = if accepted.is_empty() {
                    msg!("empty")
                } else {
                    msg!("ssh-auth-accepts", methods = accepted)
                };
                if tried.is_empty() {
                    return msg!(
                        "ssh-auth-no-way",
                        host = host,
                        user = user,
                        accepted = accepted
                    );
                }
                let tried: Vec<Msg> = tried.iter().map(|t| auth_method(t)).collect();
                msg!(
                    "ssh-auth-refused",
                    host = host,
                    user = user,
                    tried = tried,
                    accepted = accepted,
                    closed = if *server_closed {
                        msg!("ssh-auth-server-closed")
                    } else {
                        msg!("empty")
                    },
                )
            }
            SshError::Channel {
                host,
                action,
                detail,
            } => msg!(
                "ssh-channel",
                host = host,
                action = action.clone(),
                detail = detail
            ),
            SshError::Disconnected {
                host,
                action,
                detail,
            } => msg!(
                "ssh-disconnected",
                host = host,
                action = action.clone(),
                detail = detail
            ),
            SshError::ForwardingRefused { host, detail } => {
                msg!("ssh-forwarding-refused", host = host, detail = detail)
            }
            SshError::PortClosed { host, addr, port } => {
                msg!("ssh-port-closed", host = host, addr = addr, port = *port)
            }
            SshError::HttpTimeout {
                host,
                addr,
                port,
                timeout,
            } => msg!(
                "ssh-http-timeout",
                host = host,
                addr = addr,
                port = *port,
                secs = format!("{}", timeout.as_secs_f32()),
            ),
            SshError::BadHttpResponse {
                host,
                addr,
                port,
                response,
            } => msg!(
                "ssh-bad-http-response",
                host = host,
                addr = addr,
                port = *port,
                response = response,
                said = if response.is_empty() { "none" } else { "some" },
            ),
            SshError::CommandTimeout {
                host,
                command,
                after,
                idle,
            } => msg!(
                "ssh-command-timeout",
                host = host,
                command = command,
                secs = after.as_secs(),
                idle = if *idle { "yes" } else { "no" },
            ),
            SshError::InvalidHttpPath { path } => msg!("ssh-invalid-http-path", path = path),
            SshError::Input { host, source } => {
                msg!("ssh-input", host = host, detail = source.to_string())
            }
        }
    }
}

/// A way of logging in that was tried, by name.
fn auth_method(method: &str) -> Msg {
    match method {
        "identity file" => msg!("ssh-auth-identity-file"),
        "ssh agent" => msg!("ssh-auth-agent"),
        "password" => msg!("ssh-auth-password"),
        "keyboard-interactive" => msg!("ssh-auth-keyboard"),
        _ => msg!("ssh-auth-default-keys"),
    }
}

/// `ssh-ed25519` → `ed25519`, `ecdsa-sha2-nistp256` → `ecdsa`, `ssh-rsa` → `rsa`: the part of
/// the server's key file name.
fn short_key_type(key_type: &str) -> &str {
    match key_type {
        "ssh-ed25519" => "ed25519",
        "ssh-rsa" => "rsa",
        "ssh-dss" => "dsa",
        t if t.starts_with("ecdsa-") => "ecdsa",
        t => t,
    }
}
