//! What a check reports: a stable id, a severity, the message in English and Chinese, the
//! evidence, and what to do — a suggestion, and where it is safe an automatic fix the user
//! accepts (Ferry never applies one on its own).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A text in both of Ferry's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id, e.g. `dockerfile.cgo_on_musl`; tests and the UI key on it.
    pub id: String,
    pub severity: Severity,
    /// One line: what is wrong.
    pub message: Text,
    /// What was seen: `Dockerfile:12: FROM alpine`, or a command and its output.
    pub evidence: Option<String>,
    /// What to do about it, as exact as possible.
    pub fix: Option<Text>,
    /// A change Ferry can make for the user, once they accept it.
    pub auto_fix: Option<AutoFix>,
}

impl Finding {
    pub fn new(id: &str, severity: Severity, message: Text) -> Finding {
        Finding {
            id: id.to_string(),
            severity,
            message,
            evidence: None,
            fix: None,
            auto_fix: None,
        }
    }

    pub fn error(id: &str, en: impl Into<String>, zh: impl Into<String>) -> Finding {
        Finding::new(id, Severity::Error, Text::new(en, zh))
    }

    pub fn warning(id: &str, en: impl Into<String>, zh: impl Into<String>) -> Finding {
        Finding::new(id, Severity::Warning, Text::new(en, zh))
    }

    pub fn info(id: &str, en: impl Into<String>, zh: impl Into<String>) -> Finding {
        Finding::new(id, Severity::Info, Text::new(en, zh))
    }

    pub fn evidence(mut self, evidence: impl Into<String>) -> Finding {
        self.evidence = Some(evidence.into());
        self
    }

    pub fn fix(mut self, en: impl Into<String>, zh: impl Into<String>) -> Finding {
        self.fix = Some(Text::new(en, zh));
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
    pub label: Text,
    pub action: FixAction,
}

impl AutoFix {
    pub fn new(label: Text, action: FixAction) -> AutoFix {
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
            label: &'a Text,
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

impl From<crate::remote::Cmd> for ServerCommand {
    fn from(cmd: crate::remote::Cmd) -> ServerCommand {
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

    #[test]
    fn a_finding_serializes_with_both_languages_and_its_fix() {
        let f = Finding::warning("x.y", "it is wrong", "它错了")
            .evidence("Dockerfile:1: FROM a")
            .fix("do this", "这样做")
            .auto_fix(AutoFix::new(
                Text::new("Fix", "修复"),
                FixAction::EditFiles {
                    files: vec![FileEdit::create(".dockerignore", ".git\n")],
                },
            ));
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["id"], "x.y");
        assert_eq!(json["severity"], "warning");
        assert_eq!(json["message"]["zh"], "它错了");
        assert_eq!(json["fix"]["en"], "do this");
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
                Text::new("Convert to LF", "转换为 LF 换行"),
                FixAction::EditFiles {
                    files: vec![FileEdit::replace("run.sh", b"echo\r\n", content)],
                },
            )
        };
        assert_eq!(fix("echo\n").digest(), fix("echo\n").digest());
        assert_ne!(fix("echo\n").digest(), fix("rm -rf /\n").digest());
        let command = |argv: &[&str]| {
            AutoFix::new(
                Text::new("Open 8080/tcp", "放行 8080/tcp"),
                FixAction::RunOnServer {
                    commands: vec![crate::remote::Cmd::new(argv.iter().copied()).into()],
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
