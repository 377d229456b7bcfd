//! SSH sessions with ssh2 (blocking; callers run it on its own thread): connect, verify the host
//! key, authenticate, run `Cmd`s, stream input and output, and reach the server's own ports.
//!
//! After login the libssh2 session runs in non-blocking mode and every operation drives it in
//! a small poll loop: stdout and stderr are both drained while input is written, so neither a
//! full stderr window nor a chatty command fed a large input can stall the other side.
//! known_hosts is only read, never written.

mod auth;
mod error;
mod exec;
mod hostkey;

use std::io::Read;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use error::{KeyOrigin, SshError, Unreachable};

use crate::adapters::remote::Cmd;
use crate::adapters::secret::Secret;
use crate::catalog::Msg;
use crate::msg;
use exec::{cmd_label, Guard, RetryError};

/// Where to connect and how to trust the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub identity_file: Option<PathBuf>,
    /// `host_key` from ferry.toml: "SHA256:...". When set, known_hosts is not consulted.
    pub pinned_host_key: Option<String>,
    /// A first-seen fingerprint the user accepted (`--trust-host-key`).
    pub trust_host_key: Option<String>,
    /// Defaults to ~/.ssh/known_hosts.
    pub known_hosts: Option<PathBuf>,
    pub connect_timeout: Duration,
}

impl Target {
    /// Port 22, a 10 s connect timeout, and nothing else set.
    pub fn new(host: impl Into<String>, user: impl Into<String>) -> Self {
        Target {
            host: host.into(),
            port: 22,
            user: user.into(),
            identity_file: None,
            pinned_host_key: None,
            trust_host_key: None,
            known_hosts: None,
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// Secrets for logging in. `Debug` shows `[REDACTED]` for each.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    pub password: Option<Secret>,
    pub key_passphrase: Option<Secret>,
}

/// A finished command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The exit code; 128 + N when killed by signal N; -1 when unknown.
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn success(&self) -> bool {
        self.status == 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputStream {
    Stdout,
    Stderr,
}

/// A logged-in SSH connection. `Send`; operations take `&self`. Each operation opens its own
/// channel, so a second thread may run commands while one streams logs, but the tested use is
/// one operation at a time.
pub struct Session {
    sess: ssh2::Session,
    /// `host:port`, for messages.
    host: String,
    fingerprint: String,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("host", &self.host)
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

/// Time allowed for login once the handshake is done (agents and key checks can be slow).
const MIN_AUTH_TIMEOUT: Duration = Duration::from_secs(30);
/// Time allowed to open a channel and start a command.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// Seconds between keepalive messages on an idle connection.
/// libssh2 sends a keepalive (asking for a reply) after this much quiet; with commands'
/// deadlines, a connection that stopped answering is noticed within 30 s.
const KEEPALIVE_SECS: u32 = 10;

impl Session {
    pub fn connect(target: &Target, creds: &Credentials) -> Result<Session, SshError> {
        let host = hostkey::endpoint(&target.host, target.port);
        let pinned = normalize(target.pinned_host_key.as_deref(), "host_key")?;
        let trusted = normalize(target.trust_host_key.as_deref(), "--trust-host-key")?;

        let tcp = tcp_connect(target, &host)?;
        notice_dead_peers(&tcp);
        let _ = tcp.set_nodelay(true);
        let mut sess = ssh2::Session::new().map_err(|e| SshError::Handshake {
            host: host.clone(),
            detail: e.message().to_string(),
        })?;

        // known_hosts entries naming this server (not needed when the key is pinned).
        let kh_name = hostkey::known_hosts_name(&target.host, target.port);
        let entries = match &pinned {
            None => hostkey::read_known_hosts(&hostkey::known_hosts_files(
                target.known_hosts.as_deref(),
            )),
            Some(_) => Vec::new(),
        };
        let matching: Vec<&hostkey::KnownEntry> = entries
            .iter()
            .filter(|e| hostkey::entry_matches(&sess, e, &kh_name))
            .collect();
        let known_types: Vec<&str> = matching
            .iter()
            .filter(|e| !e.revoked)
            .map(|e| e.key_type.as_str())
            .collect();
        if let Ok(supported) = sess.supported_algs(ssh2::MethodType::HostKey) {
            let prefs = hostkey::host_key_prefs(&known_types, &supported);
            if !prefs.is_empty() {
                let _ = sess.method_pref(ssh2::MethodType::HostKey, &prefs);
            }
        }

        sess.set_tcp_stream(tcp);
        sess.set_timeout(millis(target.connect_timeout));
        sess.handshake()
            .map_err(|e| handshake_error(&host, target.connect_timeout, &e))?;

        let (blob, _) = sess.host_key().ok_or_else(|| SshError::Handshake {
            host: host.clone(),
            detail: "the server sent no host key".into(),
        })?;
        let fingerprint = hostkey::fingerprint(blob);
        let key_type = hostkey::blob_key_type(blob)
            .unwrap_or("unknown")
            .to_string();
        let mismatch = |expected: String, origin: KeyOrigin| SshError::HostKeyMismatch {
            host: host.clone(),
            key_type: key_type.clone(),
            expected,
            actual: fingerprint.clone(),
            origin: Box::new(origin),
        };
        if let Some(pinned) = pinned {
            if pinned != fingerprint {
                return Err(mismatch(pinned, KeyOrigin::Pinned));
            }
        } else {
            match hostkey::verdict(&matching, blob, &key_type) {
                hostkey::Verdict::Match => {}
                hostkey::Verdict::Revoked { path, line } => {
                    return Err(SshError::HostKeyRevoked {
                        host,
                        key_type,
                        fingerprint,
                        path,
                        line,
                    })
                }
                hostkey::Verdict::Mismatch {
                    expected,
                    path,
                    line,
                } => {
                    return Err(mismatch(
                        expected,
                        KeyOrigin::KnownHosts {
                            path,
                            line,
                            name: kh_name,
                        },
                    ))
                }
                hostkey::Verdict::NotFound => match trusted {
                    Some(t) if t == fingerprint => {}
                    Some(t) => return Err(mismatch(t, KeyOrigin::Trusted)),
                    None => {
                        return Err(SshError::UnknownHostKey {
                            host,
                            key_type,
                            fingerprint,
                        })
                    }
                },
            }
        }

        sess.set_timeout(millis(target.connect_timeout.max(MIN_AUTH_TIMEOUT)));
        auth::authenticate(&sess, target, creds, &host)?;

        sess.set_keepalive(true, KEEPALIVE_SECS);
        sess.set_timeout(0);
        sess.set_blocking(false);
        Ok(Session {
            sess,
            host,
            fingerprint,
        })
    }

    /// The server's host key fingerprint, "SHA256:" + base64 without padding.
    pub fn host_key_fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// `host:port` of the server.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Runs a command to the end: writes `cmd.stdin` (if any), closes standard input, and
    /// collects both outputs (decoded as UTF-8, lossily).
    pub fn run(&self, cmd: &Cmd) -> Result<Output, SshError> {
        let prelude = Prelude::of(cmd);
        let mut input: &[u8] = &prelude.0;
        self.collect(cmd, &mut input, &mut |_| {})
    }

    /// Runs a command and hands each line of stdout and stderr to `on_line` as it arrives
    /// (without the line ending) and returns the exit status. `Break` stops early: the
    /// channel is closed (the command ends at its next write) and -1 is returned.
    pub fn run_streaming(
        &self,
        cmd: &Cmd,
        on_line: &mut dyn FnMut(OutputStream, &str) -> ControlFlow<()>,
    ) -> Result<i32, SshError> {
        self.run_streaming_until(cmd, &|| false, on_line)
    }

    /// Like [`Session::run_streaming`], and also stops as soon as `stop` returns `true`, which
    /// it is asked many times a second even while the command prints nothing (a quiet
    /// `docker logs --follow` that the user cancels).
    pub fn run_streaming_until(
        &self,
        cmd: &Cmd,
        stop: &dyn Fn() -> bool,
        on_line: &mut dyn FnMut(OutputStream, &str) -> ControlFlow<()>,
    ) -> Result<i32, SshError> {
        let prelude = Prelude::of(cmd);
        let mut input: &[u8] = &prelude.0;
        let mut lines = exec::Lines::default();
        let finish = self.execute(
            cmd,
            &mut input,
            &mut |_| {},
            &mut |stream, data| lines.push(stream, data, on_line),
            stop,
        )?;
        match finish {
            Some(status) => {
                let _ = lines.flush(on_line);
                Ok(status)
            }
            None => Ok(-1),
        }
    }

    /// Runs a command fed with `input` (e.g. an image tarball into `docker load`), after
    /// `cmd.stdin` if that is set too, then closes its standard input. `on_progress` gets the
    /// running total of `input` bytes sent. If the command exits before taking all the input,
    /// the rest is not sent and its status and output tell why.
    pub fn run_with_input(
        &self,
        cmd: &Cmd,
        input: &mut dyn Read,
        on_progress: &mut dyn FnMut(u64),
    ) -> Result<Output, SshError> {
        let prelude = Prelude::of(cmd);
        let skip = prelude.0.len() as u64;
        let mut chained = prelude.0.as_slice().chain(input);
        self.collect(cmd, &mut chained, &mut |sent| {
            if sent > skip {
                on_progress(sent - skip)
            }
        })
    }

    /// An HTTP/1.0 GET of `path` from `addr`:`port` as the server reaches it (its own
    /// 127.0.0.1, a container's address), through an SSH direct-tcpip channel. Returns the
    /// status code. `ForwardingRefused` when the server forbids forwarding (use `curl` on the
    /// server instead), `PortClosed` when nothing listens.
    pub fn http_get(
        &self,
        addr: &str,
        port: u16,
        path: &str,
        timeout: Duration,
    ) -> Result<u16, SshError> {
        if !path.starts_with('/') || path.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(SshError::InvalidHttpPath {
                path: path.to_string(),
            });
        }
        let deadline = Instant::now() + timeout;
        let timed_out = || SshError::HttpTimeout {
            host: self.host.clone(),
            addr: addr.to_string(),
            port,
            timeout,
        };
        let channel = exec::retry(&self.sess, Some(deadline), || {
            self.sess.channel_direct_tcpip(addr, port, None)
        })
        .map_err(|e| match e {
            RetryError::TimedOut => timed_out(),
            RetryError::Ssh(e) if e.message().contains("administratively prohibited") => {
                SshError::ForwardingRefused {
                    host: self.host.clone(),
                    detail: "\"administratively prohibited\": sshd has AllowTcpForwarding no, \
                             DisableForwarding yes or a PermitOpen list"
                        .into(),
                }
            }
            RetryError::Ssh(e) if e.message().contains("connect failed") => SshError::PortClosed {
                host: self.host.clone(),
                addr: addr.to_string(),
                port,
            },
            other => self.failed(msg!("ssh-action-open", addr = addr, port = port), other),
        })?;
        let mut channel = Guard::new(&self.sess, channel);
        let request = format!(
            "GET {path} HTTP/1.0\r\nHost: {addr}:{port}\r\nUser-Agent: ferry\r\n\
             Connection: close\r\n\r\n"
        );
        let status_line = channel
            .http_exchange(request.as_bytes(), deadline)
            .map_err(|e| match e {
                RetryError::TimedOut => timed_out(),
                other => self.failed(msg!("ssh-action-http", addr = addr, port = port), other),
            })?;
        let bad = || SshError::BadHttpResponse {
            host: self.host.clone(),
            addr: addr.to_string(),
            port,
            response: status_line.chars().take(80).collect(),
        };
        let mut parts = status_line.split_whitespace();
        match (parts.next(), parts.next()) {
            (Some(version), Some(code)) if version.starts_with("HTTP/") => {
                code.parse::<u16>().map_err(|_| bad())
            }
            _ => Err(bad()),
        }
    }

    fn collect(
        &self,
        cmd: &Cmd,
        input: &mut dyn Read,
        on_sent: &mut dyn FnMut(u64),
    ) -> Result<Output, SshError> {
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        let status = self.execute(
            cmd,
            input,
            on_sent,
            &mut |stream, data| {
                match stream {
                    OutputStream::Stdout => stdout.extend_from_slice(data),
                    OutputStream::Stderr => stderr.extend_from_slice(data),
                }
                ControlFlow::Continue(())
            },
            &|| false,
        )?;
        Ok(Output {
            status: status.unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        })
    }

    /// Starts `cmd`, feeds it `input` then EOF, hands output to `sink`; `None` when the sink
    /// or `stop` stopped it.
    fn execute(
        &self,
        cmd: &Cmd,
        input: &mut dyn Read,
        on_sent: &mut dyn FnMut(u64),
        sink: &mut dyn FnMut(OutputStream, &[u8]) -> ControlFlow<()>,
        stop: &dyn Fn() -> bool,
    ) -> Result<Option<i32>, SshError> {
        let label = cmd_label(cmd);
        let action = msg!("ssh-action-run", command = &label);
        let deadline = Some(Instant::now() + START_TIMEOUT);
        let channel = exec::retry(&self.sess, deadline, || self.sess.channel_session())
            .map_err(|e| self.failed(action.clone(), e))?;
        let mut channel = Guard::new(&self.sess, channel);
        channel
            .exec(&cmd.wire(), deadline)
            .map_err(|e| self.failed(action.clone(), e))?;
        let timeout = |after: Duration, idle: bool| SshError::CommandTimeout {
            host: self.host.clone(),
            command: label.clone(),
            after,
            idle,
        };
        let flow = channel
            .pump(input, on_sent, sink, stop, cmd.deadline)
            .map_err(|e| match e {
                exec::PumpError::TimedOut { after, idle } => timeout(after, idle),
                exec::PumpError::Input(source) => SshError::Input {
                    host: self.host.clone(),
                    source,
                },
                exec::PumpError::Broken(detail) => SshError::Disconnected {
                    host: self.host.clone(),
                    action: msg!("ssh-action-running", command = &label),
                    detail,
                },
            })?;
        if flow.is_break() {
            channel.stop();
            return Ok(None);
        }
        channel
            .finish(Instant::now() + exec::EXIT_WAIT)
            .map(Some)
            .map_err(|e| self.failed(msg!("ssh-action-wait", command = &label), e))
    }

    /// The error for an SSH request that failed: `Disconnected` when the connection is gone.
    fn failed(&self, action: Msg, e: RetryError) -> SshError {
        let (detail, lost) = match e {
            RetryError::TimedOut => (
                format!("no answer within {}s", START_TIMEOUT.as_secs()),
                false,
            ),
            RetryError::Ssh(e) => (e.message().to_string(), exec::is_connection_error(&e)),
            RetryError::Io(e) => (e.to_string(), true),
        };
        if lost {
            SshError::Disconnected {
                host: self.host.clone(),
                action,
                detail,
            }
        } else {
            SshError::Channel {
                host: self.host.clone(),
                action,
                detail,
            }
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Say goodbye politely, but never hang on a dead connection.
        self.sess.set_blocking(true);
        self.sess.set_timeout(2000);
        let _ = self
            .sess
            .disconnect(Some(ssh2::DisconnectCode::ByApplication), "bye", None);
    }
}

/// The secret bytes a command reads first (see [`Cmd::stdin_prelude`]), wiped when dropped.
struct Prelude(Vec<u8>);

impl Prelude {
    fn of(cmd: &Cmd) -> Prelude {
        Prelude(cmd.stdin_prelude())
    }
}

impl Drop for Prelude {
    fn drop(&mut self) {
        self.0.fill(0);
    }
}

fn millis(d: Duration) -> u32 {
    d.as_millis().clamp(1, u32::MAX as u128) as u32
}

fn normalize(value: Option<&str>, field: &'static str) -> Result<Option<String>, SshError> {
    value
        .map(|v| {
            hostkey::normalize_fingerprint(v).ok_or_else(|| SshError::InvalidFingerprint {
                field,
                value: v.to_string(),
            })
        })
        .transpose()
}

/// Makes the kernel give up on a peer that stopped answering: TCP keepalives on an idle
/// connection, and (Linux) at most 30 s for sent data to be acknowledged, so that a half-open
/// connection fails every call on it instead of hanging one that waits (`logs --follow`).
fn notice_dead_peers(tcp: &TcpStream) {
    let sock = socket2::SockRef::from(tcp);
    let keepalive = socket2::TcpKeepalive::new()
        .with_time(Duration::from_secs(15))
        .with_interval(Duration::from_secs(5));
    let _ = sock.set_tcp_keepalive(&keepalive);
    #[cfg(target_os = "linux")]
    let _ = sock.set_tcp_user_timeout(Some(Duration::from_secs(30)));
}

fn tcp_connect(target: &Target, host: &str) -> Result<TcpStream, SshError> {
    let unreachable = |kind, detail: String| SshError::Unreachable {
        host: host.to_string(),
        kind,
        detail,
    };
    let addrs: Vec<SocketAddr> = (target.host.as_str(), target.port)
        .to_socket_addrs()
        .map_err(|e| unreachable(Unreachable::Dns, e.to_string()))?
        .collect();
    if addrs.is_empty() {
        return Err(unreachable(
            Unreachable::Dns,
            "no address found".to_string(),
        ));
    }
    let mut last = None;
    for addr in &addrs {
        match TcpStream::connect_timeout(addr, target.connect_timeout) {
            Ok(s) => return Ok(s),
            Err(e) => last = Some((*addr, e)),
        }
    }
    let (addr, e) = last.expect("at least one address was tried");
    let kind = match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => Unreachable::TimedOut,
        std::io::ErrorKind::ConnectionRefused => Unreachable::Refused,
        std::io::ErrorKind::HostUnreachable | std::io::ErrorKind::NetworkUnreachable => {
            Unreachable::NoRoute
        }
        _ => Unreachable::Other,
    };
    let detail = match kind {
        Unreachable::TimedOut => format!(
            "nothing answered at {addr} within {}s",
            target.connect_timeout.as_secs_f32()
        ),
        _ => format!("{addr}: {e}"),
    };
    Err(unreachable(kind, detail))
}

fn handshake_error(host: &str, timeout: Duration, e: &ssh2::Error) -> SshError {
    let detail = match e.code() {
        ssh2::ErrorCode::Session(-9) => format!(
            "the server sent no SSH greeting within {}s",
            timeout.as_secs_f32()
        ),
        ssh2::ErrorCode::Session(-2) | ssh2::ErrorCode::Session(-13) => {
            "the server closed the connection before the SSH greeting (is this port an SSH \
             server? sshd may also refuse this client: MaxStartups, AllowUsers, TCP wrappers)"
                .to_string()
        }
        ssh2::ErrorCode::Session(-5) | ssh2::ErrorCode::Session(-8) => format!(
            "no key exchange method, cipher or host key type in common with the server ({})",
            e.message()
        ),
        _ => e.message().to_string(),
    };
    SshError::Handshake {
        host: host.to_string(),
        detail,
    }
}

#[cfg(test)]
mod tests;
