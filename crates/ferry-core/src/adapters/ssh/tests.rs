use std::path::{Path, PathBuf};

use super::hostkey::*;
use super::*;

const ED25519_B64: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIChxHkhdKx3a1D+rFQ6Lh6yXJD2QJpFGDmwM7wK7SitT";
/// `ssh-keygen -lf` of the key above.
const ED25519_FP: &str = "SHA256:5Z32XrUiuTvV3sQdsuaVMSvYjQn6JSTQ3RaIOVSw7DM";
/// `ssh-keygen -H` of `[127.0.0.1]:22022 ssh-ed25519 <the key above>`.
const HASHED_LINE: &str = "|1|FhanX+ns9vC96Ui+qZAnC6tXPyU=|lj3fX4bUJzRqPii4hzYb49enMvs= \
                           ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIChxHkhdKx3a1D+rFQ6Lh6yXJD2QJpFGDmwM7wK7SitT";

fn blob() -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(ED25519_B64)
        .unwrap()
}

#[test]
fn fingerprint_is_openssh_sha256() {
    assert_eq!(fingerprint(&blob()), ED25519_FP);
    assert_eq!(blob_key_type(&blob()), Some("ssh-ed25519"));
    assert_eq!(blob_key_type(&[0, 0, 0, 9, b'x']), None);
}

#[test]
fn fingerprints_are_normalized_or_refused() {
    let bare = ED25519_FP.trim_start_matches("SHA256:");
    for v in [ED25519_FP, bare, &format!("  {ED25519_FP}= ")] {
        assert_eq!(normalize_fingerprint(v).as_deref(), Some(ED25519_FP), "{v}");
    }
    assert_eq!(normalize_fingerprint("MD5:16:27:ac:a5:76:28:2d:36"), None);
    assert_eq!(normalize_fingerprint("SHA256:short"), None);
}

#[test]
fn known_hosts_names_and_endpoints_follow_openssh() {
    assert_eq!(known_hosts_name("srv.example", 22), "srv.example");
    assert_eq!(known_hosts_name("10.0.0.5", 2222), "[10.0.0.5]:2222");
    assert_eq!(endpoint("10.0.0.5", 22), "10.0.0.5:22");
    assert_eq!(endpoint("::1", 22), "[::1]:22");
}

#[test]
fn known_hosts_lines_are_parsed() {
    let text = format!(
        "# comment\n\n[10.0.0.5]:2222,srv ssh-ed25519 {ED25519_B64} me@laptop\n\
         @revoked * ssh-rsa AAAAB3Nza\n@cert-authority *.example ssh-rsa AAAA\nbroken-line\n\
         {HASHED_LINE}\n"
    );
    let entries = parse_known_hosts(&text, Path::new("kh"));
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].line, 3);
    assert_eq!(entries[0].hosts, "[10.0.0.5]:2222,srv");
    assert_eq!(entries[0].key_type, "ssh-ed25519");
    assert_eq!(entries[0].fingerprint().as_deref(), Some(ED25519_FP));
    assert!(entries[1].revoked && entries[1].hosts == "*");
    assert!(entries[2].is_hashed());
}

#[test]
fn plain_host_patterns_match_like_openssh() {
    assert!(plain_hosts_match("[10.0.0.5]:2222,srv", "[10.0.0.5]:2222"));
    assert!(plain_hosts_match("[10.0.0.5]:2222,srv", "SRV"));
    // a port-22 entry does not vouch for another port
    assert!(!plain_hosts_match("10.0.0.5", "[10.0.0.5]:2222"));
    assert!(plain_hosts_match("*.example.com", "web.example.com"));
    assert!(!plain_hosts_match(
        "*.example.com,!bad.example.com",
        "bad.example.com"
    ));
    assert!(plain_hosts_match("10.0.0.?", "10.0.0.7"));
}

#[test]
fn hashed_entries_are_matched_through_libssh2() {
    let sess = ssh2::Session::new().unwrap();
    let entry = &parse_known_hosts(HASHED_LINE, Path::new("kh"))[0];
    assert!(entry_matches(&sess, entry, "[127.0.0.1]:22022"));
    assert!(!entry_matches(&sess, entry, "[127.0.0.1]:22"));
    assert!(!entry_matches(&sess, entry, "127.0.0.1"));
}

#[test]
fn verdict_compares_keys_of_the_same_type_only() {
    let text =
        format!("srv ssh-ed25519 {ED25519_B64}\nsrv ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7\n");
    let entries = parse_known_hosts(&text, Path::new("kh"));
    let all: Vec<&KnownEntry> = entries.iter().collect();
    assert_eq!(verdict(&all, &blob(), "ssh-ed25519"), Verdict::Match);

    let other = {
        let mut b = blob();
        *b.last_mut().unwrap() ^= 1;
        b
    };
    assert_eq!(
        verdict(&all, &other, "ssh-ed25519"),
        Verdict::Mismatch {
            expected: ED25519_FP.into(),
            path: "kh".into(),
            line: 1
        }
    );
    // Known only by its RSA key: an ECDSA key is unknown, not "changed".
    assert_eq!(
        verdict(&all[1..], &other, "ecdsa-sha2-nistp256"),
        Verdict::NotFound
    );

    let revoked = parse_known_hosts(
        &format!("@revoked srv ssh-ed25519 {ED25519_B64}"),
        Path::new("kh"),
    );
    let revoked: Vec<&KnownEntry> = revoked.iter().collect();
    assert_eq!(
        verdict(&revoked, &blob(), "ssh-ed25519"),
        Verdict::Revoked {
            path: "kh".into(),
            line: 1
        }
    );
}

#[test]
fn known_key_types_are_asked_for_first() {
    let supported = [
        "ecdsa-sha2-nistp256",
        "ssh-ed25519",
        "rsa-sha2-512",
        "rsa-sha2-256",
        "ssh-rsa",
    ];
    assert_eq!(
        host_key_prefs(&[], &supported),
        "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256,ssh-rsa"
    );
    assert_eq!(
        host_key_prefs(&["ssh-rsa"], &supported),
        "rsa-sha2-512,rsa-sha2-256,ssh-rsa,ssh-ed25519,ecdsa-sha2-nistp256"
    );
}

#[test]
fn host_key_errors_say_what_to_do() {
    let unknown = SshError::UnknownHostKey {
        host: "10.0.0.5:22".into(),
        key_type: "ssh-ed25519".into(),
        fingerprint: ED25519_FP.into(),
    }
    .to_string();
    assert!(unknown.contains("10.0.0.5:22"), "{unknown}");
    assert!(
        unknown.contains(&format!("--trust-host-key {ED25519_FP}")),
        "{unknown}"
    );
    assert!(
        unknown.contains(&format!("host_key = \"{ED25519_FP}\"")),
        "{unknown}"
    );
    assert!(unknown.contains("ssh_host_ed25519_key.pub"), "{unknown}");

    let pinned = SshError::HostKeyMismatch {
        host: "10.0.0.5:22".into(),
        key_type: "ssh-ed25519".into(),
        expected: "SHA256:old".into(),
        actual: ED25519_FP.into(),
        origin: Box::new(KeyOrigin::Pinned),
    }
    .to_string();
    for part in [
        "10.0.0.5:22",
        "SHA256:old",
        ED25519_FP,
        "intercepting",
        "host_key in ferry.toml",
    ] {
        assert!(pinned.contains(part), "{part} missing: {pinned}");
    }

    let known = SshError::HostKeyMismatch {
        host: "10.0.0.5:2222".into(),
        key_type: "ssh-ed25519".into(),
        expected: "SHA256:old".into(),
        actual: ED25519_FP.into(),
        origin: Box::new(KeyOrigin::KnownHosts {
            path: PathBuf::from("/home/me/.ssh/known_hosts"),
            line: 7,
            name: "[10.0.0.5]:2222".into(),
        }),
    }
    .to_string();
    assert!(
        known.contains("/home/me/.ssh/known_hosts line 7"),
        "{known}"
    );
    assert!(
        known.contains("ssh-keygen -R '[10.0.0.5]:2222' -f /home/me/.ssh/known_hosts"),
        "{known}"
    );
}

#[test]
fn connection_and_login_errors_say_what_to_do() {
    let refused = SshError::Unreachable {
        host: "10.0.0.5:2222".into(),
        kind: Unreachable::Refused,
        detail: "10.0.0.5:2222: Connection refused".into(),
    }
    .to_string();
    assert!(
        refused.contains("10.0.0.5:2222 refused the connection"),
        "{refused}"
    );
    assert!(refused.contains("firewall"), "{refused}");

    let auth = SshError::AuthFailed {
        user: "deployer".into(),
        host: "10.0.0.5:22".into(),
        tried: vec!["identity file", "password"],
        accepted: "publickey,password".into(),
        server_closed: false,
    }
    .to_string();
    assert!(
        auth.contains("10.0.0.5:22 refused the login as `deployer`"),
        "{auth}"
    );
    assert!(auth.contains("tried: identity file, password"), "{auth}");
    assert!(
        auth.contains("The server accepts: publickey,password."),
        "{auth}"
    );

    let nothing = SshError::AuthFailed {
        user: "deployer".into(),
        host: "10.0.0.5:22".into(),
        tried: vec![],
        accepted: String::new(),
        server_closed: false,
    }
    .to_string();
    assert!(
        nothing.starts_with("no way to log in to 10.0.0.5:22"),
        "{nothing}"
    );

    let passphrase = SshError::KeyNeedsPassphrase {
        path: PathBuf::from("/home/me/.ssh/id_ed25519"),
    }
    .to_string();
    assert!(
        passphrase.contains("FERRY_SSH_KEY_PASSPHRASE"),
        "{passphrase}"
    );
}

#[test]
fn secrets_never_show_in_debug() {
    let creds = Credentials {
        password: Some(Secret::new("hunter2")),
        key_passphrase: Some(Secret::new("open sesame")),
    };
    let shown = format!("{creds:?}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("open sesame"),
        "{shown}"
    );
}

#[test]
fn session_can_move_to_another_thread() {
    fn send<T: Send>() {}
    send::<Session>();
    send::<SshError>();
}

/// Against the testbed's sshd.
mod live;
