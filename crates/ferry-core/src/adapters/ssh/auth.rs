//! Logging in: the configured key file, then the SSH agent, then the usual key files in
//! ~/.ssh (when no key file is configured), then the password.

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::{Credentials, SshError, Target};

const LIBSSH2_ERROR_FILE: i32 = -16;
const LIBSSH2_ERROR_AUTHENTICATION_FAILED: i32 = -18;
const LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED: i32 = -19;

/// `~` and `~/...` relative to the home directory; anything else unchanged.
pub(crate) fn expand_tilde(path: &Path) -> PathBuf {
    let Some(s) = path.to_str() else {
        return path.to_path_buf();
    };
    let rest = if s == "~" {
        Some("")
    } else {
        s.strip_prefix("~/").or_else(|| s.strip_prefix("~\\"))
    };
    match (rest, dirs::home_dir()) {
        (Some(""), Some(home)) => home,
        (Some(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

/// Whether a private key file is protected by a passphrase: OpenSSH's own format (cipher name
/// other than `none`), legacy PEM (`Proc-Type: 4,ENCRYPTED`) or encrypted PKCS#8.
pub(crate) fn key_is_encrypted(text: &str) -> bool {
    if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("4,ENCRYPTED") {
        return true;
    }
    const BEGIN: &str = "-----BEGIN OPENSSH PRIVATE KEY-----";
    const END: &str = "-----END OPENSSH PRIVATE KEY-----";
    let Some(start) = text.find(BEGIN) else {
        return false;
    };
    let body = &text[start + BEGIN.len()..];
    let body = &body[..body.find(END).unwrap_or(body.len())];
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let Ok(bytes) = STANDARD.decode(b64) else {
        return false;
    };
    const MAGIC: &[u8] = b"openssh-key-v1\0";
    let Some(rest) = bytes.strip_prefix(MAGIC) else {
        return false;
    };
    let Some(len) = rest
        .get(..4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
    else {
        return false;
    };
    rest.get(4..4 + len).is_some_and(|cipher| cipher != b"none")
}

/// Whether an error means "the server said no" (go on to the next method) rather than "the
/// connection is broken".
fn is_rejection(e: &ssh2::Error) -> bool {
    matches!(
        e.code(),
        ssh2::ErrorCode::Session(LIBSSH2_ERROR_AUTHENTICATION_FAILED)
            | ssh2::ErrorCode::Session(LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED)
    )
}

enum Attempt {
    LoggedIn,
    Refused,
    /// The connection broke: stop trying.
    Broken,
}

fn attempt(sess: &ssh2::Session, result: Result<(), ssh2::Error>) -> Attempt {
    match result {
        Ok(()) if sess.authenticated() => Attempt::LoggedIn,
        Ok(()) => Attempt::Refused,
        Err(e) if is_rejection(&e) => Attempt::Refused,
        Err(_) => Attempt::Broken,
    }
}

/// Answers the password to hidden prompts that ask for one (keyboard-interactive, as servers
/// with `PasswordAuthentication no` but PAM often ask).
struct PasswordPrompt<'a>(&'a str);

impl ssh2::KeyboardInteractivePrompt for PasswordPrompt<'_> {
    fn prompt<'b>(
        &mut self,
        _username: &str,
        _instructions: &str,
        prompts: &[ssh2::Prompt<'b>],
    ) -> Vec<String> {
        prompts
            .iter()
            .map(|p| {
                if !p.echo && p.text.to_ascii_lowercase().contains("password") {
                    self.0.to_string()
                } else {
                    String::new()
                }
            })
            .collect()
    }
}

fn agent_available() -> bool {
    cfg!(windows) || std::env::var_os("SSH_AUTH_SOCK").is_some_and(|s| !s.is_empty())
}

/// Tries each identity the agent holds. `None` when there is no agent or it holds no key.
fn try_agent(sess: &ssh2::Session, user: &str) -> Option<Attempt> {
    let mut agent = sess.agent().ok()?;
    agent.connect().ok()?;
    agent.list_identities().ok()?;
    let identities = agent.identities().ok()?;
    if identities.is_empty() {
        let _ = agent.disconnect();
        return None;
    }
    let mut outcome = Attempt::Refused;
    for id in &identities {
        match attempt(sess, agent.userauth(user, id)) {
            Attempt::Refused => continue,
            other => {
                outcome = other;
                break;
            }
        }
    }
    let _ = agent.disconnect();
    Some(outcome)
}

pub(crate) fn authenticate(
    sess: &ssh2::Session,
    target: &Target,
    creds: &Credentials,
    host: &str,
) -> Result<(), SshError> {
    let user = target.user.as_str();
    // Asking for the methods sends a "none" request, which a server may simply accept.
    let accepted = match sess.auth_methods(user) {
        Ok(m) => m.to_string(),
        Err(_) if sess.authenticated() => return Ok(()),
        Err(_) => String::new(),
    };
    if sess.authenticated() {
        return Ok(());
    }
    let allows = |m: &str| accepted.is_empty() || accepted.split(',').any(|a| a == m);
    let passphrase = creds.key_passphrase.as_ref().map(|s| s.expose());
    let mut tried: Vec<&'static str> = Vec::new();
    let mut needs_passphrase: Option<PathBuf> = None;
    let mut broken = false;
    let failed = |tried: Vec<&'static str>, server_closed: bool| SshError::AuthFailed {
        user: user.to_string(),
        host: host.to_string(),
        tried,
        accepted: accepted.clone(),
        server_closed,
    };

    // 1. The configured key file.
    if let Some(configured) = &target.identity_file {
        let path = expand_tilde(configured);
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(SshError::KeyFileMissing { path })
            }
            Err(e) => {
                return Err(SshError::KeyUnreadable {
                    path,
                    passphrase_given: passphrase.is_some(),
                    detail: e.to_string(),
                })
            }
        };
        let encrypted = key_is_encrypted(&text);
        if encrypted && passphrase.is_none() {
            // The agent may hold it unlocked; say so only if nothing else works.
            needs_passphrase = Some(path);
        } else if allows("publickey") {
            tried.push("identity file");
            match sess.userauth_pubkey_file(user, None, &path, passphrase) {
                Ok(()) if sess.authenticated() => return Ok(()),
                Ok(()) => {}
                Err(e) if e.code() == ssh2::ErrorCode::Session(LIBSSH2_ERROR_FILE) => {
                    let detail = if encrypted {
                        format!("the passphrase is probably wrong ({})", e.message())
                    } else {
                        e.message().to_string()
                    };
                    return Err(SshError::KeyUnreadable {
                        path,
                        passphrase_given: passphrase.is_some(),
                        detail,
                    });
                }
                Err(e) if is_rejection(&e) => {}
                Err(_) => broken = true,
            }
        }
    }

    // 2. The SSH agent.
    if !broken && allows("publickey") && agent_available() {
        match try_agent(sess, user) {
            Some(Attempt::LoggedIn) => return Ok(()),
            Some(Attempt::Refused) => tried.push("ssh agent"),
            Some(Attempt::Broken) => {
                tried.push("ssh agent");
                broken = true;
            }
            None => {}
        }
    }

    // 3. The usual key files, as `ssh` would try them, when none is configured.
    if !broken && target.identity_file.is_none() && allows("publickey") {
        if let Some(home) = dirs::home_dir() {
            let mut any = false;
            for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
                let path = home.join(".ssh").join(name);
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let encrypted = key_is_encrypted(&text);
                if encrypted && passphrase.is_none() {
                    continue;
                }
                any = true;
                match attempt(
                    sess,
                    sess.userauth_pubkey_file(user, None, &path, passphrase),
                ) {
                    Attempt::LoggedIn => return Ok(()),
                    Attempt::Refused => {}
                    Attempt::Broken => {
                        broken = true;
                        break;
                    }
                }
            }
            if any {
                tried.push("default keys (~/.ssh/id_*)");
            }
        }
    }

    // 4. The password, as `password` or through keyboard-interactive.
    if let Some(password) = &creds.password {
        if !broken && allows("password") {
            tried.push("password");
            match attempt(sess, sess.userauth_password(user, password.expose())) {
                Attempt::LoggedIn => return Ok(()),
                Attempt::Refused => {}
                Attempt::Broken => broken = true,
            }
        }
        if !broken && !accepted.is_empty() && allows("keyboard-interactive") {
            tried.push("keyboard-interactive");
            let mut prompt = PasswordPrompt(password.expose());
            match attempt(sess, sess.userauth_keyboard_interactive(user, &mut prompt)) {
                Attempt::LoggedIn => return Ok(()),
                Attempt::Refused => {}
                Attempt::Broken => broken = true,
            }
        }
    }

    if let Some(path) = needs_passphrase {
        return Err(SshError::KeyNeedsPassphrase { path });
    }
    Err(failed(tried, broken))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilde_expands_to_home_only_at_the_start() {
        let home = dirs::home_dir().unwrap();
        assert_eq!(expand_tilde(Path::new("~/.ssh/id")), home.join(".ssh/id"));
        assert_eq!(expand_tilde(Path::new("~")), home);
        assert_eq!(expand_tilde(Path::new("/k/~/x")), PathBuf::from("/k/~/x"));
        assert_eq!(expand_tilde(Path::new("~bob/id")), PathBuf::from("~bob/id"));
    }

    fn openssh_key(cipher: &str) -> String {
        let mut blob = b"openssh-key-v1\0".to_vec();
        blob.extend_from_slice(&(cipher.len() as u32).to_be_bytes());
        blob.extend_from_slice(cipher.as_bytes());
        blob.extend_from_slice(&[0; 40]);
        let b64 = STANDARD.encode(blob);
        format!(
            "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n{}\n-----END OPENSSH PRIVATE KEY-----\n",
            &b64[..40],
            &b64[40..]
        )
    }

    #[test]
    fn encrypted_keys_are_recognised() {
        assert!(!key_is_encrypted(&openssh_key("none")));
        assert!(key_is_encrypted(&openssh_key("aes256-ctr")));
        assert!(key_is_encrypted(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n"
        ));
        assert!(key_is_encrypted(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMII\n"
        ));
        assert!(!key_is_encrypted("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n"));
        assert!(!key_is_encrypted("garbage"));
    }
}
