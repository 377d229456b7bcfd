//! What can go wrong on the SSH side, worded so that a user knows what to do next.
//!
//! No variant ever holds a password or passphrase: only host names, users, paths, fingerprints
//! and libssh2's own messages.

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
    #[error("{}", unreachable_message(.host, *.kind, .detail))]
    Unreachable {
        /// `host:port`
        host: String,
        kind: Unreachable,
        detail: String,
    },

    #[error(
        "{host} accepted the TCP connection but the SSH handshake failed: {detail}. Check that \
         the port is the SSH server's (sshd) and that sshd on the server is healthy."
    )]
    Handshake { host: String, detail: String },

    #[error("{}", mismatch_message(.host, .key_type, .expected, .actual, .origin))]
    HostKeyMismatch {
        host: String,
        key_type: String,
        expected: String,
        actual: String,
        origin: Box<KeyOrigin>,
    },

    #[error(
        "{host} is not a known server yet. Its {key_type} host key has the fingerprint \
         {fingerprint}. Check it against the server (on its console: `ssh-keygen -lf \
         /etc/ssh/ssh_host_{short}_key.pub`); if it matches, rerun with `--trust-host-key \
         {fingerprint}`, or pin it with `host_key = \"{fingerprint}\"` in ferry.toml.",
        short = short_key_type(.key_type)
    )]
    UnknownHostKey {
        host: String,
        key_type: String,
        fingerprint: String,
    },

    #[error(
        "the {key_type} host key of {host} ({fingerprint}) is marked @revoked in {} line {line}: \
         Ferry will not connect. Ask the server's administrator for the new key.",
        .path.display()
    )]
    HostKeyRevoked {
        host: String,
        key_type: String,
        fingerprint: String,
        path: PathBuf,
        line: usize,
    },

    #[error(
        "`{value}` given as {field} is not an OpenSSH SHA256 fingerprint; it should look like \
         SHA256:9f1kWfU0kY5tqE9r0l8hQvH0c3m2p6s4dX2cS7jQe1Y (as printed by `ssh-keygen -lf`)"
    )]
    InvalidFingerprint { field: &'static str, value: String },

    #[error(
        "the SSH key file {} does not exist. Check identity_file in ferry.toml.",
        .path.display()
    )]
    KeyFileMissing { path: PathBuf },

    #[error(
        "the SSH key {} is protected by a passphrase and none was given. Set \
         FERRY_SSH_KEY_PASSPHRASE for this run, save it in the keyring, or load the key into \
         your SSH agent (`ssh-add`).",
        .path.display()
    )]
    KeyNeedsPassphrase { path: PathBuf },

    #[error(
        "could not use the SSH key {}: {detail}. {}",
        .path.display(),
        if *.passphrase_given {
            "Check the passphrase (FERRY_SSH_KEY_PASSPHRASE or the keyring) and that the file \
             is an OpenSSH or PEM private key."
        } else {
            "Check that the file is an OpenSSH or PEM private key and that you may read it."
        }
    )]
    KeyUnreadable {
        path: PathBuf,
        passphrase_given: bool,
        detail: String,
    },

    #[error("{}", auth_message(.user, .host, .tried, .accepted, *.server_closed))]
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

    #[error("could not {action} on {host}: {detail}")]
    Channel {
        host: String,
        action: String,
        detail: String,
    },

    #[error(
        "the SSH connection to {host} broke while {action}: {detail}. Check the network and \
         that the server is up, then retry."
    )]
    Disconnected {
        host: String,
        action: String,
        detail: String,
    },

    #[error(
        "{host} does not allow SSH port forwarding ({detail}), so Ferry cannot reach the \
         server's own ports directly"
    )]
    ForwardingRefused { host: String, detail: String },

    #[error("nothing answers on {addr}:{port} on the server {host} (connection refused)")]
    PortClosed {
        host: String,
        addr: String,
        port: u16,
    },

    #[error(
        "no HTTP answer from {addr}:{port} on the server {host} within {}s",
        .timeout.as_secs_f32()
    )]
    HttpTimeout {
        host: String,
        addr: String,
        port: u16,
        timeout: Duration,
    },

    #[error(
        "{addr}:{port} on the server {host} did not answer with HTTP: {}",
        if .response.is_empty() { "it closed the connection without a word".to_string() }
        else { format!("it said `{}`", .response) }
    )]
    BadHttpResponse {
        host: String,
        addr: String,
        port: u16,
        response: String,
    },

    #[error(
        "`{command}` on {host} {} {}s; Ferry stopped waiting (the connection may be down)",
        if *.idle { "sent and printed nothing for" } else { "did not finish within" },
        .after.as_secs()
    )]
    CommandTimeout {
        host: String,
        command: String,
        after: Duration,
        idle: bool,
    },

    #[error("`{path}` is not a valid HTTP path: it must start with `/` and hold no spaces or control characters")]
    InvalidHttpPath { path: String },

    #[error("reading the data to send to {host} failed: {source}")]
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

fn unreachable_message(host: &str, kind: Unreachable, detail: &str) -> String {
    match kind {
        Unreachable::Dns => format!(
            "cannot find {host}: the name does not resolve ({detail}). Check the host in \
             ferry.toml and this machine's DNS or network."
        ),
        Unreachable::TimedOut => format!(
            "no answer from {host} ({detail}). Check the host and port, that the server is up, \
             and that no firewall drops SSH on that port."
        ),
        Unreachable::Refused => format!(
            "{host} refused the connection: nothing listens on that port, or a firewall \
             rejects it. Check the port in ferry.toml and that sshd runs on the server."
        ),
        Unreachable::NoRoute => format!(
            "no route to {host} ({detail}). Check the address, this machine's network or VPN, \
             and firewalls on the way."
        ),
        Unreachable::Other => {
            format!("cannot connect to {host}: {detail}. Check the host, the port and firewalls.")
        }
    }
}

fn mismatch_message(
    host: &str,
    key_type: &str,
    expected: &str,
    actual: &str,
    origin: &KeyOrigin,
) -> String {
    let (whence, fix) = match origin {
        KeyOrigin::Pinned => (
            "host_key in ferry.toml".to_string(),
            format!("update host_key in ferry.toml to \"{actual}\" once you have checked it on the server"),
        ),
        KeyOrigin::Trusted => (
            "the fingerprint you accepted".to_string(),
            "check the fingerprint on the server again before accepting another one".to_string(),
        ),
        KeyOrigin::KnownHosts { path, line, name } => (
            format!("{} line {line}", path.display()),
            format!(
                "remove the old entry with `ssh-keygen -R '{name}' -f {}` and connect again",
                path.display()
            ),
        ),
    };
    format!(
        "the server's host key changed: {host} now presents the {key_type} key {actual}, but \
         {whence} expects {expected}. This can mean someone is intercepting the connection; do \
         not continue unless you know why. If the server was reinstalled, {fix}."
    )
}

fn auth_message(
    user: &str,
    host: &str,
    tried: &[&'static str],
    accepted: &str,
    server_closed: bool,
) -> String {
    let accepts = if accepted.is_empty() {
        String::new()
    } else {
        format!(" The server accepts: {accepted}.")
    };
    if tried.is_empty() {
        return format!(
            "no way to log in to {host} as `{user}`: no identity_file is set, no SSH agent with \
             keys is running, there is no key in ~/.ssh, and no password is saved.{accepts} Set \
             identity_file in ferry.toml, or save the password for this server."
        );
    }
    let closed = if server_closed {
        " The server hung up during the attempts (too many keys offered? sshd's MaxAuthTries)."
    } else {
        ""
    };
    format!(
        "{host} refused the login as `{user}` (tried: {}).{accepts}{closed} Check the user \
         name, that your public key is in ~{user}/.ssh/authorized_keys on the server, or that \
         the saved password is right.",
        tried.join(", ")
    )
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
