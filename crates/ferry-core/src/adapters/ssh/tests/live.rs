//! The SSH layer against the testbed's real sshd (`scripts/testbed up`; `scripts/test` runs
//! these under FERRY_REQUIRE_TESTBED). What a user meets through `ferry` (an unknown, changed
//! or pinned host key, a wrong password, a key without its passphrase, an unreachable server)
//! is in the end-to-end suite (`tests/tests/failures.rs`); here is what it does not reach:
//! known_hosts matching, the exec and stream machinery under load, port forwarding answers,
//! the key and agent paths, and what is not an SSH server.

use std::io::{Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::super::*;
use crate::adapters::remote::Cmd;
use crate::adapters::secret::Secret;
use crate::testbed::Testbed;

/// The tests share the process's SSH_AUTH_SOCK (libssh2 reads it) and the server's process
/// table: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

struct Live {
    tb: Testbed,
    _serial: MutexGuard<'static, ()>,
}

/// The testbed's server, held for this test; `None` (after `testbed::skip`) when it is down.
fn live() -> Option<Live> {
    let serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    Some(Live {
        tb: Testbed::load()?,
        _serial: serial,
    })
}

impl Live {
    /// The deploy user on port 22 with the plain key, its host key pinned.
    fn target(&self) -> Target {
        let mut t = Target::new(
            self.tb.get("FERRY_TB_SERVER_HOST"),
            self.tb.get("FERRY_TB_SERVER_USER"),
        );
        t.identity_file = Some(PathBuf::from(self.tb.get("FERRY_TB_KEY")));
        t.pinned_host_key = Some(self.tb.get("FERRY_TB_HOST_KEY").to_string());
        t.known_hosts = Some(PathBuf::from("/nonexistent/known_hosts"));
        t
    }

    fn session(&self) -> Session {
        Session::connect(&self.target(), &Credentials::default()).expect("key login")
    }

    /// A known_hosts file in `dir` holding `lines`.
    fn known_hosts(&self, dir: &Path, name: &str, lines: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, lines).unwrap();
        path
    }
}

#[test]
fn host_keys_are_matched_in_known_hosts_like_openssh() {
    let Some(live) = live() else { return };
    let creds = Credentials::default();
    let host = live.tb.get("FERRY_TB_SERVER_HOST");
    let fp = live.tb.get("FERRY_TB_HOST_KEY");
    let s = live.session();
    assert_eq!(s.host_key_fingerprint(), fp);

    // Nothing known: the error names the same fingerprint, which --trust-host-key accepts.
    let mut t = live.target();
    t.pinned_host_key = None;
    let e = Session::connect(&t, &creds).unwrap_err();
    assert!(
        matches!(&e, SshError::UnknownHostKey { fingerprint, .. } if fingerprint == fp),
        "{e}"
    );
    t.trust_host_key = Some(fp.to_string());
    Session::connect(&t, &creds).expect("a trusted first-seen key");

    // The testbed's file: `HOST ssh-ed25519 KEY`, for port 22.
    let dir = tempfile::tempdir().unwrap();
    let plain = std::fs::read_to_string(live.tb.get("FERRY_TB_KNOWN_HOSTS")).unwrap();
    let key = plain.split_once(' ').unwrap().1.trim();
    let hashed = live.known_hosts(dir.path(), "hashed", &plain);
    let keygen = std::process::Command::new("ssh-keygen")
        .args(["-H", "-f"])
        .arg(&hashed)
        .output()
        .unwrap();
    assert!(keygen.status.success(), "{keygen:?}");
    let centos: u16 = live.tb.get("FERRY_TB_CENTOS_PORT").parse().unwrap();
    let cases = [
        ("plain", plain.clone(), 22, true),
        (
            "hashed",
            std::fs::read_to_string(&hashed).unwrap(),
            22,
            true,
        ),
        // A port-22 entry does not vouch for another port of the same host...
        ("port22", plain.clone(), centos, false),
        // ... an entry for [host]:port does.
        (
            "bracketed",
            format!("[{host}]:{centos} {key}\n"),
            centos,
            true,
        ),
        (
            "wildcard",
            format!("{}* {key}\n", wildcard_prefix(host)),
            22,
            true,
        ),
    ];
    for (name, lines, port, known) in cases {
        let mut t = live.target();
        t.pinned_host_key = None;
        t.port = port;
        t.known_hosts = Some(live.known_hosts(dir.path(), name, &lines));
        match Session::connect(&t, &creds) {
            Ok(_) if known => {}
            Err(SshError::UnknownHostKey { .. }) if !known => {}
            other => panic!("{name}: {:?}", other.map(|_| ())),
        }
    }
}

/// `10.250.0.` of `10.250.0.2`: the host's address up to its last dot.
fn wildcard_prefix(host: &str) -> String {
    format!("{}.", host.rsplit_once('.').unwrap().0)
}

#[test]
fn commands_return_their_output_status_and_stdin() {
    let Some(live) = live() else { return };
    let s = live.session();
    let out = s
        .run(&Cmd::new(["sh", "-c", "echo out; echo err >&2; exit 3"]))
        .unwrap();
    assert_eq!(
        (out.status, out.stdout.as_str(), out.stderr.as_str()),
        (3, "out\n", "err\n")
    );
    let out = s
        .run(&Cmd::new(["cat"]).with_stdin(Secret::new("s3cret\nline2")))
        .unwrap();
    assert_eq!((out.status, out.stdout.as_str()), (0, "s3cret\nline2"));
    let out = s
        .run(&Cmd::new(["printf", "%s", "it's $(not) run"]))
        .unwrap();
    assert_eq!(out.stdout, "it's $(not) run");
    let out = s.run(&Cmd::new(["sh", "-c", "kill -TERM $$"])).unwrap();
    assert_eq!(out.status, 143, "{out:?}");
    // A command that floods stderr before writing stdout must not stall.
    let out = s
        .run(&Cmd::new([
            "sh",
            "-c",
            "head -c 3000000 /dev/zero | tr '\\0' e >&2; echo done",
        ]))
        .unwrap();
    assert_eq!(
        (out.stdout.as_str(), out.stderr.len()),
        ("done\n", 3_000_000)
    );
}

#[test]
fn large_inputs_stream_through_with_progress() {
    let Some(live) = live() else { return };
    let s = live.session();
    let size = 50 * 1024 * 1024u64;
    let mut progress = Vec::new();
    let started = Instant::now();
    let out = s
        .run_with_input(&Cmd::new(["sha256sum"]), &mut Pattern(0, size), &mut |n| {
            progress.push(n)
        })
        .unwrap();
    let took = started.elapsed();
    assert_eq!(
        out.stdout.split_whitespace().next(),
        Some(sha256_of(Pattern(0, size)).as_str())
    );
    assert_eq!(progress.last(), Some(&size));
    assert!(progress.windows(2).all(|w| w[0] < w[1]));
    println!(
        "50 MB in {:.2}s ({:.0} MB/s), {} progress reports",
        took.as_secs_f64(),
        50.0 / took.as_secs_f64(),
        progress.len()
    );
    // Echoing everything back (input and output both in flight) must not deadlock.
    let out = s
        .run_with_input(
            &Cmd::new(["cat"]),
            &mut Pattern(0, 8 * 1024 * 1024),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(out.stdout.len(), 8 * 1024 * 1024);
    // A command that exits early: its status and message, not an error.
    let out = s
        .run_with_input(
            &Cmd::new(["sh", "-c", "head -c 10 >/dev/null; echo nope >&2; exit 1"]),
            &mut Pattern(0, size),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!((out.status, out.stderr.as_str()), (1, "nope\n"));
}

#[test]
fn streamed_lines_arrive_as_printed_and_break_stops_the_command() {
    let Some(live) = live() else { return };
    let s = live.session();
    let mut lines = Vec::new();
    let status = s
        .run_streaming(
            &Cmd::new(["sh", "-c", "echo a; echo b >&2; printf 'c\\r\\nno newline'"]),
            &mut |st, l| {
                lines.push((st, l.to_string()));
                ControlFlow::Continue(())
            },
        )
        .unwrap();
    assert_eq!(status, 0);
    assert!(lines.contains(&(OutputStream::Stderr, "b".into())));
    let outs: Vec<&str> = lines
        .iter()
        .filter(|(s, _)| *s == OutputStream::Stdout)
        .map(|(_, l)| l.as_str())
        .collect();
    assert_eq!(outs, ["a", "c", "no newline"]);

    let started = Instant::now();
    let mut seen = Vec::new();
    let status = s
        .run_streaming(
            &Cmd::new([
                "sh",
                "-c",
                "i=0; while true; do i=$((i+1)); echo $i; sleep 0.1; done",
            ]),
            &mut |_, l| {
                seen.push((started.elapsed(), l.to_string()));
                if seen.len() == 3 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        )
        .unwrap();
    assert_eq!(status, -1);
    assert_eq!(
        seen.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>(),
        ["1", "2", "3"]
    );
    assert!(
        seen[1].0 - seen[0].0 >= Duration::from_millis(50),
        "lines arrive as printed"
    );

    // Break on a command that is quiet for a while: Break returns within about a second,
    // and the command ends at its next write.
    let started = Instant::now();
    let status = s
        .run_streaming(
            &Cmd::new(["sh", "-c", "echo go; while sleep 2.01; do echo tick; done"]),
            &mut |_, _| ControlFlow::Break(()),
        )
        .unwrap();
    assert_eq!(status, -1);
    let took = started.elapsed();
    assert!(took < Duration::from_millis(1500), "{took:?}");
    std::thread::sleep(Duration::from_millis(2500));
    let left = s
        .run(&Cmd::new([
            "sh",
            "-c",
            "ps -eo args | grep -c '^sleep 2[.]01'",
        ]))
        .unwrap();
    assert_eq!(left.stdout.trim(), "0", "the loop was left running");
    assert_eq!(
        s.run(&Cmd::new(["echo", "still here"])).unwrap().stdout,
        "still here\n",
        "the session stays usable after a Break"
    );
}

/// A port on the server's own 127.0.0.1 (reached only through the session).
const HTTP_PORT: u16 = 18990;

#[test]
fn the_servers_own_ports_answer_through_the_session() {
    let Some(live) = live() else { return };
    let s = live.session();
    // A static file server on the server's loopback, for this test only.
    let started = s
        .run(&Cmd::new([
            "sh",
            "-c",
            &format!(
                "cd \"$(mktemp -d)\" && touch index.html && \
                 (setsid busybox httpd -f -p 127.0.0.1:{HTTP_PORT} >/dev/null 2>&1 & echo $!)"
            ),
        ]))
        .unwrap();
    let pid = started.stdout.trim().to_string();
    assert!(started.success() && !pid.is_empty(), "{started:?}");
    let get = |path: &str| s.http_get("127.0.0.1", HTTP_PORT, path, Duration::from_secs(5));
    let answered = (0..50).find_map(|_| {
        std::thread::sleep(Duration::from_millis(100));
        get("/").ok()
    });
    let missing = get("/no-such-file");
    s.run(&Cmd::new(["kill", pid.as_str()])).unwrap();
    assert_eq!(answered, Some(200));
    assert_eq!(missing.unwrap(), 404);

    let e = s
        .http_get("127.0.0.1", 1, "/", Duration::from_secs(5))
        .unwrap_err();
    assert!(matches!(e, SshError::PortClosed { port: 1, .. }), "{e}");
    let e = s
        .http_get("127.0.0.1", 80, "/a b", Duration::from_secs(5))
        .unwrap_err();
    assert!(matches!(e, SshError::InvalidHttpPath { .. }), "{e}");
}

#[test]
fn key_files_passphrases_and_the_agent() {
    let Some(live) = live() else { return };
    let mut t = live.target();
    let locked = PathBuf::from(live.tb.get("FERRY_TB_KEY_PASS"));
    let passphrase = live.tb.get("FERRY_TB_KEY_PASSPHRASE");
    let _no_agent = AgentSocket::set(None);

    t.identity_file = Some(locked.clone());
    let with = Credentials {
        password: None,
        key_passphrase: Some(Secret::new(passphrase)),
    };
    Session::connect(&t, &with).expect("the locked key with its passphrase");
    let wrong = Credentials {
        password: Some(Secret::new("pw-hunter2")),
        key_passphrase: Some(Secret::new("wrong-hunter2")),
    };
    let e = Session::connect(&t, &wrong).unwrap_err();
    assert!(matches!(e, SshError::KeyUnreadable { .. }), "{e}");
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains("hunter2"), "{shown}");

    t.identity_file = Some(PathBuf::from("/nonexistent/id_ed25519"));
    let e = Session::connect(&t, &Credentials::default()).unwrap_err();
    assert!(matches!(e, SshError::KeyFileMissing { .. }), "{e}");

    // An agent holding the plain key: the login with no key file configured, and the
    // fallback for a locked key without its passphrase.
    let agent = Agent::start(Path::new(live.tb.get("FERRY_TB_KEY")));
    let _agent = AgentSocket::set(Some(agent.socket()));
    t.identity_file = None;
    Session::connect(&t, &Credentials::default()).expect("login through the agent");
    t.identity_file = Some(locked);
    Session::connect(&t, &Credentials::default()).expect("locked key, the agent takes over");
}

#[test]
fn what_is_not_an_ssh_server_is_told_apart() {
    let Some(live) = live() else { return };
    let creds = Credentials::default();
    let mut t = live.target();
    t.host = "no-such-host.invalid".into();
    let e = Session::connect(&t, &creds).unwrap_err();
    assert!(
        matches!(
            e,
            SshError::Unreachable {
                kind: Unreachable::Dns,
                ..
            }
        ),
        "{e}"
    );

    // A web server, and a listener that never says a word.
    let web = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut t = live.target();
    t.host = "127.0.0.1".into();
    t.port = web.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut conn, _)) = web.accept() {
            let _ = conn.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        }
    });
    let e = Session::connect(&t, &creds).unwrap_err();
    assert!(matches!(e, SshError::Handshake { .. }), "{e}");

    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    t.port = silent.local_addr().unwrap().port();
    t.connect_timeout = Duration::from_secs(1);
    let started = Instant::now();
    let e = Session::connect(&t, &creds).unwrap_err();
    assert!(matches!(e, SshError::Handshake { .. }), "{e}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

/// A private `ssh-agent` holding one key, stopped on drop.
struct Agent {
    dir: tempfile::TempDir,
    child: std::process::Child,
}

impl Agent {
    fn start(key: &Path) -> Agent {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("agent.sock");
        let child = std::process::Command::new("ssh-agent")
            .arg("-D")
            .arg("-a")
            .arg(&socket)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("ssh-agent (openssh-client)");
        let agent = Agent { dir, child };
        let ready = Instant::now();
        while !socket.exists() {
            assert!(ready.elapsed() < Duration::from_secs(5), "no agent socket");
            std::thread::sleep(Duration::from_millis(20));
        }
        let added = std::process::Command::new("ssh-add")
            .arg(key)
            .env("SSH_AUTH_SOCK", &socket)
            .output()
            .unwrap();
        assert!(added.status.success(), "{added:?}");
        agent
    }

    fn socket(&self) -> PathBuf {
        self.dir.path().join("agent.sock")
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sets SSH_AUTH_SOCK (or removes it) until dropped, then puts the old value back. Only
/// while holding `SERIAL`.
struct AgentSocket(Option<std::ffi::OsString>);

impl AgentSocket {
    fn set(socket: Option<PathBuf>) -> AgentSocket {
        let old = std::env::var_os("SSH_AUTH_SOCK");
        match socket {
            Some(s) => std::env::set_var("SSH_AUTH_SOCK", s),
            None => std::env::remove_var("SSH_AUTH_SOCK"),
        }
        AgentSocket(old)
    }
}

impl Drop for AgentSocket {
    fn drop(&mut self) {
        match self.0.take() {
            Some(s) => std::env::set_var("SSH_AUTH_SOCK", s),
            None => std::env::remove_var("SSH_AUTH_SOCK"),
        }
    }
}

fn sha256_of(mut data: impl Read) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut buf = vec![0; 1 << 16];
    loop {
        let n = data.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// `len` bytes of position-dependent letters.
struct Pattern(u64, u64);

impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min((self.1 - self.0) as usize);
        for (i, b) in buf[..n].iter_mut().enumerate() {
            let p = self.0 + i as u64;
            *b = b'a' + ((p % 251) as u8 ^ (p >> 16) as u8) % 26;
        }
        self.0 += n as u64;
        Ok(n)
    }
}
