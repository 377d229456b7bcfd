//! Host keys: OpenSSH fingerprints, known_hosts lookup (read only, never written), and the
//! host key algorithms to ask the server for.

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// OpenSSH's fingerprint of a public key blob: `SHA256:` and the unpadded base64 of its SHA-256.
pub(crate) fn fingerprint(blob: &[u8]) -> String {
    format!("SHA256:{}", STANDARD_NO_PAD.encode(Sha256::digest(blob)))
}

/// The key type named at the start of a public key blob (`ssh-ed25519`, `ssh-rsa`, ...).
pub(crate) fn blob_key_type(blob: &[u8]) -> Option<&str> {
    let len = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    std::str::from_utf8(blob.get(4..4 + len)?).ok()
}

/// A fingerprint as the user wrote it, made canonical: `SHA256:` + 43 base64 characters.
/// Accepts a missing `SHA256:` prefix and trailing `=` padding.
pub(crate) fn normalize_fingerprint(value: &str) -> Option<String> {
    let v = value.trim();
    let v = v
        .strip_prefix("SHA256:")
        .or_else(|| v.strip_prefix("sha256:"))
        .unwrap_or(v);
    let v = v.trim_end_matches('=');
    match STANDARD_NO_PAD.decode(v) {
        Ok(bytes) if bytes.len() == 32 => Some(format!("SHA256:{v}")),
        _ => None,
    }
}

/// How OpenSSH names a server in known_hosts: `host` on port 22, `[host]:port` elsewhere.
pub(crate) fn known_hosts_name(host: &str, port: u16) -> String {
    if port == 22 {
        host.to_string()
    } else {
        format!("[{host}]:{port}")
    }
}

/// `host:port`, with brackets around an IPv6 address.
pub(crate) fn endpoint(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// One usable line of a known_hosts file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KnownEntry {
    /// The file it was read from.
    pub path: PathBuf,
    /// 1-based line number.
    pub line: usize,
    pub revoked: bool,
    /// The host field as written: comma-separated patterns, or one `|1|salt|hash`.
    pub hosts: String,
    pub key_type: String,
    pub key_b64: String,
}

impl KnownEntry {
    pub fn key_blob(&self) -> Option<Vec<u8>> {
        STANDARD.decode(&self.key_b64).ok()
    }

    pub fn fingerprint(&self) -> Option<String> {
        self.key_blob().map(|b| fingerprint(&b))
    }

    pub fn is_hashed(&self) -> bool {
        self.hosts.starts_with("|1|")
    }
}

/// Parses known_hosts text. Comments, blank lines, `@cert-authority` lines and lines too short
/// to hold a key are skipped.
pub(crate) fn parse_known_hosts(text: &str, path: &Path) -> Vec<KnownEntry> {
    let mut entries = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let mut first = fields.next().unwrap_or_default();
        let mut revoked = false;
        if first.starts_with('@') {
            match first {
                "@revoked" => revoked = true,
                _ => continue, // @cert-authority: Ferry does not do host certificates
            }
            first = match fields.next() {
                Some(f) => f,
                None => continue,
            };
        }
        let (Some(key_type), Some(key_b64)) = (fields.next(), fields.next()) else {
            continue;
        };
        entries.push(KnownEntry {
            path: path.to_path_buf(),
            line: i + 1,
            revoked,
            hosts: first.to_string(),
            key_type: key_type.to_string(),
            key_b64: key_b64.to_string(),
        });
    }
    entries
}

/// Whether a plain (not hashed) host field matches `name`, with OpenSSH's rules: comma-separated
/// patterns, `*` and `?` wildcards, `!` negation; names compare case-insensitively.
pub(crate) fn plain_hosts_match(hosts: &str, name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let mut matched = false;
    for pattern in hosts.split(',') {
        let (negated, pattern) = match pattern.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, pattern),
        };
        if glob(pattern.to_ascii_lowercase().as_bytes(), name.as_bytes()) {
            if negated {
                return false;
            }
            matched = true;
        }
    }
    matched
}

fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|i| glob(rest, &text[i..])),
        Some((b'?', rest)) => !text.is_empty() && glob(rest, &text[1..]),
        Some((c, rest)) => text.first() == Some(c) && glob(rest, &text[1..]),
    }
}

/// Whether an entry names the server. Hashed entries are checked by libssh2 (HMAC-SHA1 of the
/// name with the entry's salt); everything else here.
pub(crate) fn entry_matches(sess: &ssh2::Session, entry: &KnownEntry, name: &str) -> bool {
    if !entry.is_hashed() {
        return plain_hosts_match(&entry.hosts, name);
    }
    let Ok(mut kh) = sess.known_hosts() else {
        return false;
    };
    let line = format!("{} {} {}", entry.hosts, entry.key_type, entry.key_b64);
    if kh
        .read_str(&line, ssh2::KnownHostFileKind::OpenSSH)
        .is_err()
    {
        return false;
    }
    // Any key that is not the entry's: the answer is Mismatch when the name matches.
    !matches!(
        kh.check(name, b"\0ferry-probe"),
        ssh2::CheckResult::NotFound | ssh2::CheckResult::Failure
    )
}

/// What known_hosts says about the key a server presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    Match,
    /// An entry for this server and key type holds another key.
    Mismatch {
        expected: String,
        path: PathBuf,
        line: usize,
    },
    Revoked {
        path: PathBuf,
        line: usize,
    },
    NotFound,
}

/// Judges the server's key against the entries that name the server. Only entries of the same
/// key type count, as in OpenSSH: a server known by its RSA key that shows an Ed25519 key is
/// "not known" for that type, not "changed".
pub(crate) fn verdict(matching: &[&KnownEntry], actual_blob: &[u8], actual_type: &str) -> Verdict {
    for e in matching.iter().filter(|e| e.revoked) {
        if e.key_blob().as_deref() == Some(actual_blob) {
            return Verdict::Revoked {
                path: e.path.clone(),
                line: e.line,
            };
        }
    }
    let same_type: Vec<&&KnownEntry> = matching
        .iter()
        .filter(|e| !e.revoked && e.key_type == actual_type)
        .collect();
    if same_type
        .iter()
        .any(|e| e.key_blob().as_deref() == Some(actual_blob))
    {
        return Verdict::Match;
    }
    match same_type.first() {
        Some(e) => Verdict::Mismatch {
            expected: e.fingerprint().unwrap_or_else(|| "(unreadable key)".into()),
            path: e.path.clone(),
            line: e.line,
        },
        None => Verdict::NotFound,
    }
}

/// OpenSSH client's order of host key algorithms.
const DEFAULT_HOST_KEY_ORDER: &[&str] = &[
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "rsa-sha2-512",
    "rsa-sha2-256",
    "ssh-rsa",
];

/// The host key algorithms to offer, as OpenSSH does: the types known_hosts already holds for
/// this server first (so a known server is checked against the key we know), then the usual
/// order; only what libssh2 supports.
pub(crate) fn host_key_prefs(known_types: &[&str], supported: &[&str]) -> String {
    let mut order: Vec<&str> = Vec::new();
    for &t in known_types {
        if t == "ssh-rsa" {
            order.extend_from_slice(&["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]);
        } else {
            order.push(t);
        }
    }
    order.extend_from_slice(DEFAULT_HOST_KEY_ORDER);
    let mut out: Vec<&str> = Vec::new();
    for a in order {
        if supported.contains(&a) && !out.contains(&a) {
            out.push(a);
        }
    }
    out.join(",")
}

/// Reads known_hosts files; a missing or unreadable file holds no entries.
pub(crate) fn read_known_hosts(paths: &[PathBuf]) -> Vec<KnownEntry> {
    paths
        .iter()
        .flat_map(|p| {
            std::fs::read_to_string(p)
                .map(|t| parse_known_hosts(&t, p))
                .unwrap_or_default()
        })
        .collect()
}

/// The files to read: the one given, or the user's and the system's, as `ssh` reads them.
pub(crate) fn known_hosts_files(given: Option<&Path>) -> Vec<PathBuf> {
    match given {
        Some(p) => vec![p.to_path_buf()],
        None => dirs::home_dir()
            .map(|h| h.join(".ssh").join("known_hosts"))
            .into_iter()
            .chain(cfg!(unix).then(|| PathBuf::from("/etc/ssh/ssh_known_hosts")))
            .collect(),
    }
}
