//! What a check reports: a stable id, a severity, the message (a catalog [`Msg`]), the
//! evidence, and what to do — a suggestion, and where it is safe an automatic fix the user
//! accepts (Ferry never applies one on its own).

use crate::catalog::Msg;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id, e.g. `dockerfile.cgo_on_musl`; tests and the UI key on it.
    pub id: String,
    pub severity: Severity,
    /// One line: what is wrong.
    pub message: Msg,
    /// What was seen: `Dockerfile:12: FROM alpine`, or a command and its output.
    pub evidence: Option<String>,
    /// What to do about it, as exact as possible.
    pub fix: Option<Msg>,
    /// A change Ferry can make for the user, once they accept it.
    pub auto_fix: Option<AutoFix>,
}

impl Finding {
    pub fn new(id: &str, severity: Severity, message: Msg) -> Finding {
        Finding {
            id: id.to_string(),
            severity,
            message,
            evidence: None,
            fix: None,
            auto_fix: None,
        }
    }

    pub fn error(id: &str, message: Msg) -> Finding {
        Finding::new(id, Severity::Error, message)
    }

    pub fn warning(id: &str, message: Msg) -> Finding {
        Finding::new(id, Severity::Warning, message)
    }

    pub fn info(id: &str, message: Msg) -> Finding {
        Finding::new(id, Severity::Info, message)
    }

    pub fn evidence(mut self, evidence: impl Into<String>) -> Finding {
        self.evidence = Some(evidence.into());
        self
    }

    pub fn fix(mut self, fix: Msg) -> Finding {
        self.fix = Some(fix);
        self
    }

    pub fn auto_fix(mut self, auto: AutoFix) -> Finding {
        self.auto_fix = Some(auto);
        self
    }

    /// The fix, when the check could make one.
    pub fn with_auto_fix(mut self, auto: Option<AutoFix>) -> Finding {
        self.auto_fix = auto;
        self
    }
}

/// A fix Ferry can apply when the user says so. It serializes with its `digest` too.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AutoFix {
    /// The button's words, e.g. "Add :Z to the volume".
    pub label: Msg,
    pub action: FixAction,
}

impl AutoFix {
    pub fn new(label: Msg, action: FixAction) -> AutoFix {
        AutoFix { label, action }
    }

    /// SHA-256 (hex) of exactly what the fix changes (its action as JSON). The app shows a
    /// fix, then asks for it back by finding id and this digest: the checks run again, and the
    /// fix they derive is applied only if it is still the one the user was shown.
    pub fn digest(&self) -> String {
        let json = serde_json::to_vec(&self.action).expect("a fix action serializes");
        sha256_hex(&json)
    }
}

impl Serialize for AutoFix {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown<'a> {
            label: &'a Msg,
            action: &'a FixAction,
            digest: String,
        }
        Shown {
            label: &self.label,
            action: &self.action,
            digest: self.digest(),
        }
        .serialize(serializer)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FixAction {
    /// Rewrite (or create) files in the project.
    EditFiles { files: Vec<FileEdit> },
    /// Run commands on the server, shown to the user exactly as they will run.
    RunOnServer { commands: Vec<ServerCommand> },
}

/// A file's new content. Applying it fails if the file changed since the check read it, so an
/// edit made in between is never lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEdit {
    /// Relative to the project folder (the one holding `ferry.toml`), with `/` separators.
    pub path: String,
    /// SHA-256 (hex) of the content the check read; `None` creates a new file.
    pub base_sha256: Option<String>,
    pub content: String,
}

impl FileEdit {
    /// An edit of a file whose current content is `before`.
    pub fn replace(path: impl Into<String>, before: &[u8], content: impl Into<String>) -> FileEdit {
        FileEdit {
            path: path.into(),
            base_sha256: Some(sha256_hex(before)),
            content: content.into(),
        }
    }

    /// A new file.
    pub fn create(path: impl Into<String>, content: impl Into<String>) -> FileEdit {
        FileEdit {
            path: path.into(),
            base_sha256: None,
            content: content.into(),
        }
    }
}

/// One command for the server: its arguments (quoted by `remote`, like every command Ferry
/// runs) and the same as the shell line the user is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerCommand {
    pub argv: Vec<String>,
    pub shell: String,
}

impl From<crate::adapters::remote::Cmd> for ServerCommand {
    fn from(cmd: crate::adapters::remote::Cmd) -> ServerCommand {
        ServerCommand {
            shell: cmd.shell(),
            argv: cmd.argv,
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg;

    #[test]
    fn a_finding_serializes_its_texts_as_messages_and_its_fix() {
        let f = Finding::warning("x.y", msg!("check-context-crlf_scripts"))
            .evidence("Dockerfile:1: FROM a")
            .fix(msg!("check-context-crlf_scripts-fix"))
            .auto_fix(AutoFix::new(
                msg!("check-context-crlf_scripts-autofix"),
                FixAction::EditFiles {
                    files: vec![FileEdit::create(".dockerignore", ".git\n")],
                },
            ));
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["id"], "x.y");
        assert_eq!(json["severity"], "warning");
        assert_eq!(json["message"]["id"], "check-context-crlf_scripts");
        assert_eq!(json["message"]["text"], f.message.text());
        assert_eq!(json["fix"]["id"], "check-context-crlf_scripts-fix");
        assert_eq!(
            json["auto_fix"]["label"]["id"],
            "check-context-crlf_scripts-autofix"
        );
        assert_eq!(json["evidence"], "Dockerfile:1: FROM a");
        assert_eq!(json["auto_fix"]["action"]["kind"], "edit_files");
        assert_eq!(
            json["auto_fix"]["action"]["files"][0]["path"],
            ".dockerignore"
        );
        let digest = json["auto_fix"]["digest"].as_str().unwrap().to_string();
        assert_eq!(digest, f.auto_fix.as_ref().unwrap().digest());
        let back: Finding = serde_json::from_value(json).unwrap();
        assert_eq!(back, f);
    }

    #[test]
    fn a_fix_that_changes_anything_else_has_another_digest() {
        let fix = |content: &str| {
            AutoFix::new(
                msg!("check-context-crlf_scripts-autofix"),
                FixAction::EditFiles {
                    files: vec![FileEdit::replace("run.sh", b"echo\r\n", content)],
                },
            )
        };
        assert_eq!(fix("echo\n").digest(), fix("echo\n").digest());
        assert_ne!(fix("echo\n").digest(), fix("rm -rf /\n").digest());
        let command = |argv: &[&str]| {
            AutoFix::new(
                msg!(
                    "check-server-firewalld_port_closed-autofix",
                    list = "8080/tcp"
                ),
                FixAction::RunOnServer {
                    commands: vec![crate::adapters::remote::Cmd::new(argv.iter().copied()).into()],
                },
            )
        };
        assert_ne!(
            command(&["firewall-cmd", "--add-port=8080/tcp"]).digest(),
            command(&["firewall-cmd", "--add-port=22/tcp"]).digest()
        );
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
