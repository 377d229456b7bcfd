//! Checks against a real sshd, driven by environment variables (all but the first optional):
//!
//! - FERRY_TEST_SSH_PORT: an sshd on 127.0.0.1 that lets FERRY_TEST_SSH_USER (default root)
//!   in with the key FERRY_TEST_SSH_KEY
//! - FERRY_TEST_SSH_KEY_ENC + FERRY_TEST_SSH_KEY_PASSPHRASE: a passphrase-protected key it
//!   also accepts
//! - FERRY_TEST_HTTP_PORT: an HTTP server on the server's 127.0.0.1 answering 200 on `/`
//! - FERRY_TEST_SSH_NOFWD_PORT: a second sshd with `AllowTcpForwarding no`
//! - FERRY_TEST_KNOWN_HOSTS_DIR: known_hosts files `good`, `hashed`, `bad`, `port22`, `rsaonly`
//! - FERRY_TEST_SSH_AGENT_HAS_PLAIN: SSH_AUTH_SOCK's agent holds FERRY_TEST_SSH_KEY

use std::io::Read;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::super::*;
use crate::remote::Cmd;
use crate::secret::Secret;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn target(port: u16) -> Target {
    let mut t = Target::new(
        "127.0.0.1",
        env("FERRY_TEST_SSH_USER").unwrap_or("root".into()),
    );
    t.port = port;
    t.identity_file = env("FERRY_TEST_SSH_KEY").map(PathBuf::from);
    t.known_hosts = Some(PathBuf::from("/nonexistent/known_hosts"));
    t
}

fn trusted(port: u16) -> (Target, String) {
    let mut t = target(port);
    let err = Session::connect(&t, &Credentials::default()).unwrap_err();
    let SshError::UnknownHostKey { fingerprint, .. } = &err else {
        panic!("expected an unknown host key, got {err}");
    };
    println!("unknown key: {err}");
    let fp = fingerprint.clone();
    t.pinned_host_key = Some(fp.clone());
    (t, fp)
}

pub(super) fn all() {
    let port: u16 = env("FERRY_TEST_SSH_PORT")
        .expect("set FERRY_TEST_SSH_PORT")
        .parse()
        .unwrap();
    let creds = Credentials::default();
    let (t, fp) = trusted(port);

    // Host keys: pinned, trusted, wrong pin, known_hosts match / mismatch / hashed.
    let s = Session::connect(&t, &creds).expect("key login with pinned host key");
    assert_eq!(s.host_key_fingerprint(), fp);
    {
        let mut t2 = target(port);
        t2.trust_host_key = Some(fp.clone());
        Session::connect(&t2, &creds).expect("trusted first-seen key");
        t2.trust_host_key = Some("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into());
        let e = Session::connect(&t2, &creds).unwrap_err();
        assert!(
            matches!(&e, SshError::HostKeyMismatch { origin, .. } if **origin == KeyOrigin::Trusted),
            "{e}"
        );
        let mut t3 = t.clone();
        t3.pinned_host_key = Some("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into());
        let e = Session::connect(&t3, &creds).unwrap_err();
        assert!(
            matches!(&e, SshError::HostKeyMismatch { origin, .. } if **origin == KeyOrigin::Pinned),
            "{e}"
        );
        println!("pinned mismatch: {e}");
    }
    if let Some(kh) = env("FERRY_TEST_KNOWN_HOSTS_DIR") {
        // Files made by the script: good (plain), hashed, bad (another key for the name),
        // port22 (the right key but under the bare host name: must not count), rsaonly (the
        // server's RSA key only, while it prefers Ed25519: RSA must be negotiated).
        for (file, ok) in [
            ("good", true),
            ("hashed", true),
            ("bad", false),
            ("port22", false),
            ("rsaonly", true),
        ] {
            let mut t4 = target(port);
            t4.known_hosts = Some(PathBuf::from(&kh).join(file));
            let r = Session::connect(&t4, &creds);
            match (&r, ok) {
                (Ok(_), true) => {}
                (Err(SshError::HostKeyMismatch { .. }), false) if file == "bad" => {
                    println!("known_hosts mismatch: {}", r.as_ref().unwrap_err())
                }
                (Err(SshError::UnknownHostKey { .. }), false) if file == "port22" => {}
                _ => panic!("known_hosts {file}: {:?}", r.map(|_| ())),
            }
        }
    }

    // run: stdout, stderr, exit code, stdin delivery.
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

    // run_with_input: 50 MB through sha256sum, with progress.
    let size = 50 * 1024 * 1024u64;
    let mut progress = Vec::new();
    let started = Instant::now();
    let mut data = Pattern(0, size);
    let out = s
        .run_with_input(&Cmd::new(["sha256sum"]), &mut data, &mut |n| {
            progress.push(n)
        })
        .unwrap();
    let took = started.elapsed();
    let expected = {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let mut p = Pattern(0, size);
        let mut buf = vec![0; 1 << 16];
        loop {
            let n = p.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
        h.finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert_eq!(
        out.stdout.split_whitespace().next(),
        Some(expected.as_str())
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
    let mut data = Pattern(0, 8 * 1024 * 1024);
    let out = s
        .run_with_input(&Cmd::new(["cat"]), &mut data, &mut |_| {})
        .unwrap();
    assert_eq!(out.stdout.len(), 8 * 1024 * 1024);
    // Raw transfer rate, without the pattern generator's cost.
    let started = Instant::now();
    let out = s
        .run_with_input(
            &Cmd::new(["wc", "-c"]),
            &mut std::io::repeat(b'x').take(size),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(out.stdout.trim(), size.to_string());
    println!("50 MB of x in {:.2}s", started.elapsed().as_secs_f64());
    // A command that exits early: its status and message, not an error.
    let mut data = Pattern(0, size);
    let out = s
        .run_with_input(
            &Cmd::new(["sh", "-c", "head -c 10 >/dev/null; echo nope >&2; exit 1"]),
            &mut data,
            &mut |_| {},
        )
        .unwrap();
    assert_eq!((out.status, out.stderr.as_str()), (1, "nope\n"));

    // run_streaming: lines as they come, both streams, early Break.
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
    println!(
        "Break returned after {:?} from the 3rd line",
        started.elapsed() - seen[2].0
    );
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
    println!("quiet command stopped in {took:?}");
    assert!(took < Duration::from_millis(1500));
    std::thread::sleep(Duration::from_millis(2500));
    let left = s
        .run(&Cmd::new([
            "sh",
            "-c",
            "ps -eo args | grep -c '^sleep 2[.]01'",
        ]))
        .unwrap();
    assert_eq!(left.stdout.trim(), "0", "the loop was left running");
    // The session stays usable after a Break.
    assert_eq!(
        s.run(&Cmd::new(["echo", "still here"])).unwrap().stdout,
        "still here\n"
    );

    // http_get through direct-tcpip.
    if let Some(http) = env("FERRY_TEST_HTTP_PORT") {
        let http: u16 = http.parse().unwrap();
        assert_eq!(
            s.http_get("127.0.0.1", http, "/", Duration::from_secs(5))
                .unwrap(),
            200
        );
        assert_eq!(
            s.http_get("127.0.0.1", http, "/no-such-file", Duration::from_secs(5))
                .unwrap(),
            404
        );
    }
    let e = s
        .http_get("127.0.0.1", 1, "/", Duration::from_secs(5))
        .unwrap_err();
    assert!(matches!(e, SshError::PortClosed { port: 1, .. }), "{e}");
    println!("closed port: {e}");
    let e = s
        .http_get("127.0.0.1", 80, "/a b", Duration::from_secs(5))
        .unwrap_err();
    assert!(matches!(e, SshError::InvalidHttpPath { .. }), "{e}");
    if let Some(nofwd) = env("FERRY_TEST_SSH_NOFWD_PORT") {
        let (t, _) = trusted(nofwd.parse().unwrap());
        let s2 = Session::connect(&t, &creds).unwrap();
        let e = s2
            .http_get("127.0.0.1", 1, "/", Duration::from_secs(5))
            .unwrap_err();
        assert!(matches!(e, SshError::ForwardingRefused { .. }), "{e}");
        println!("forwarding refused: {e}");
    }

    // Keys: passphrase-protected, missing, wrong passphrase, no key at all.
    if let (Some(key), Some(pass)) = (
        env("FERRY_TEST_SSH_KEY_ENC"),
        env("FERRY_TEST_SSH_KEY_PASSPHRASE"),
    ) {
        let mut t5 = t.clone();
        t5.identity_file = Some(PathBuf::from(&key));
        let with = Credentials {
            password: None,
            key_passphrase: Some(Secret::new(pass.clone())),
        };
        Session::connect(&t5, &with).expect("passphrase key");
        let saved = std::env::var_os("SSH_AUTH_SOCK");
        std::env::remove_var("SSH_AUTH_SOCK");
        let e = Session::connect(&t5, &Credentials::default()).unwrap_err();
        assert!(matches!(e, SshError::KeyNeedsPassphrase { .. }), "{e}");
        println!("no passphrase: {e}");
        let wrong = Credentials {
            password: Some(Secret::new("pw-hunter2")),
            key_passphrase: Some(Secret::new("wrong-hunter2")),
        };
        let e = Session::connect(&t5, &wrong).unwrap_err();
        assert!(matches!(e, SshError::KeyUnreadable { .. }), "{e}");
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        println!("wrong passphrase: {e}");
        if let Some(sock) = saved {
            std::env::set_var("SSH_AUTH_SOCK", sock);
        }
    }
    // The agent: with no key file configured, and as the fallback for a locked key.
    if env("FERRY_TEST_SSH_AGENT_HAS_PLAIN").is_some() {
        let mut t5 = t.clone();
        t5.identity_file = None;
        Session::connect(&t5, &creds).expect("login through the agent");
        if let Some(key) = env("FERRY_TEST_SSH_KEY_ENC") {
            t5.identity_file = Some(PathBuf::from(key));
            Session::connect(&t5, &creds).expect("locked key, agent takes over");
        }
    }
    let mut t6 = t.clone();
    t6.identity_file = Some(PathBuf::from("/nonexistent/id_ed25519"));
    let e = Session::connect(&t6, &creds).unwrap_err();
    assert!(matches!(e, SshError::KeyFileMissing { .. }), "{e}");
    println!("missing key: {e}");
    let mut t7 = t.clone();
    t7.user = "nobody-ferry".into();
    let pw = Credentials {
        password: Some(Secret::new("pw-hunter2")),
        key_passphrase: None,
    };
    let e = Session::connect(&t7, &pw).unwrap_err();
    let shown = format!("{e} {e:?}");
    assert!(matches!(e, SshError::AuthFailed { .. }), "{e}");
    assert!(!shown.contains("hunter2"), "{shown}");
    println!("refused: {e}");

    // Unreachable: refused port, and a timeout to an address that drops packets.
    let mut t8 = t.clone();
    t8.port = 1;
    let e = Session::connect(&t8, &creds).unwrap_err();
    assert!(
        matches!(
            e,
            SshError::Unreachable {
                kind: Unreachable::Refused,
                ..
            }
        ),
        "{e}"
    );
    println!("refused port: {e}");
    let mut t9 = t.clone();
    t9.host = "no-such-host.invalid".into();
    let e = Session::connect(&t9, &creds).unwrap_err();
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
    println!("dns: {e}");
    // Something that is not sshd: a web server, and a listener that never says a word.
    if let Some(http) = env("FERRY_TEST_HTTP_PORT") {
        let mut t10 = t.clone();
        t10.port = http.parse().unwrap();
        let e = Session::connect(&t10, &creds).unwrap_err();
        assert!(matches!(e, SshError::Handshake { .. }), "{e}");
        println!("not ssh: {e}");
    }
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut t11 = t.clone();
    t11.port = silent.local_addr().unwrap().port();
    t11.connect_timeout = Duration::from_secs(1);
    let started = Instant::now();
    let e = Session::connect(&t11, &creds).unwrap_err();
    assert!(matches!(e, SshError::Handshake { .. }), "{e}");
    assert!(started.elapsed() < Duration::from_secs(3));
    println!("silent: {e}");
    drop(s);
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
