//! Applies an automatic fix the user accepted: file edits inside the project (all or none, and
//! only if no file changed since it was checked), or commands on the server.

use super::finding::{sha256_hex, AutoFix, FileEdit, FixAction};
use crate::adapters::remote::Cmd;
use crate::adapters::secrets::Keyring;
use crate::adapters::server::run_ok;
use crate::catalog::Msg;
use crate::events::{Events, Step};
use crate::flows::connect::{self, blocking, ConnectOptions};
use crate::formats::config::Project;
use crate::msg;
use crate::Error;
use std::path::{Component, Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum FixError {
    #[error("{}", self.message())]
    OutsideProject(String),
    #[error("{}", self.message())]
    Changed(String),
    #[error("{}", self.message())]
    Exists(String),
    #[error("{}", self.message())]
    NoFinding { id: String, fixable: String },
    #[error("{}", self.message())]
    NoAutoFix { id: String, fixable: String },
    #[error("{}", self.message())]
    NotAsShown { id: String, what: Msg },
    #[error("{}", self.message())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl FixError {
    /// Why the fix was not applied, from the catalog.
    pub fn message(&self) -> Msg {
        match self {
            FixError::OutsideProject(path) => msg!("fix-outside-project", path = path),
            FixError::Changed(path) => msg!("fix-changed", path = path),
            FixError::Exists(path) => msg!("fix-exists", path = path),
            FixError::NoFinding { id, fixable } => {
                msg!("fix-no-finding", id = id, fixable = fixable)
            }
            FixError::NoAutoFix { id, fixable } => {
                msg!("fix-no-autofix", id = id, fixable = fixable)
            }
            FixError::NotAsShown { id, what } => {
                msg!("fix-not-as-shown", id = id, what = what.clone())
            }
            FixError::Io { path, source } => {
                msg!("fix-io", path = path, detail = source.to_string())
            }
        }
    }
}

/// Applies `fix`. Server commands run over a new connection; file edits need none.
pub async fn apply(
    project: &Project,
    fix: &AutoFix,
    opts: &ConnectOptions,
    keyring: &Keyring,
    events: &Events,
) -> Result<(), Error> {
    match &fix.action {
        FixAction::EditFiles { files } => {
            let written = edit_files(&project.root(), files)?;
            for path in written {
                events.info(Step::Check, crate::msg!("fix-wrote", path = path));
            }
            Ok(())
        }
        FixAction::RunOnServer { commands } => {
            let conn = connect::open(project, opts, keyring, events).await?;
            let commands = commands.clone();
            let ev = events.clone();
            blocking(move || -> Result<(), Error> {
                for c in commands {
                    let cmd = Cmd::new(c.argv);
                    ev.log(Step::Check, format!("$ {}", cmd.shell()));
                    let out = run_ok(&*conn.session, &cmd)?;
                    for line in out.stdout.lines().chain(out.stderr.lines()) {
                        ev.log(Step::Check, line);
                    }
                }
                Ok(())
            })
            .await
        }
    }
}

/// Checks every edit first, then writes each file beside itself and renames it into place.
/// Returns the paths written.
pub fn edit_files(root: &Path, files: &[FileEdit]) -> Result<Vec<String>, FixError> {
    let mut targets = Vec::new();
    for edit in files {
        let target = inside(root, &edit.path)?;
        match (&edit.base_sha256, std::fs::read(&target)) {
            (Some(base), Ok(current)) if &sha256_hex(&current) == base => {}
            (Some(_), _) => return Err(FixError::Changed(edit.path.clone())),
            (None, Ok(_)) => return Err(FixError::Exists(edit.path.clone())),
            (None, Err(_)) => {}
        }
        targets.push((target, edit));
    }
    let mut written = Vec::new();
    for (target, edit) in targets {
        write_replacing(&target, edit.content.as_bytes())?;
        written.push(edit.path.clone());
    }
    Ok(written)
}

/// The real path of `relative` under `root`: refuses absolute paths, `..`, and any path that
/// leaves the project folder through a symlink (a symlinked file or folder pointing outside it).
/// Every component that exists is resolved, so a symlink that stays inside the project is
/// followed and the file it points to is the one written.
fn inside(root: &Path, relative: &str) -> Result<PathBuf, FixError> {
    let outside = || FixError::OutsideProject(relative.to_string());
    let path = Path::new(relative);
    let plain = path
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    let names: Vec<_> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name),
            _ => None,
        })
        .collect();
    if !plain || names.is_empty() {
        return Err(outside());
    }
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let root = root.canonicalize().map_err(|source| FixError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let mut real = root.clone();
    for name in names {
        let next = real.join(name);
        // A component that does not exist has nothing under it: the rest is created as named.
        if std::fs::symlink_metadata(&next).is_err() {
            real = next;
            continue;
        }
        // A dangling symlink cannot be resolved: refused, since where it leads is unknown.
        real = next.canonicalize().map_err(|_| outside())?;
        if !real.starts_with(&root) {
            return Err(outside());
        }
    }
    Ok(real)
}

fn write_replacing(target: &Path, content: &[u8]) -> Result<(), FixError> {
    let io = |source| FixError::Io {
        path: target.to_path_buf(),
        source,
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = target.with_file_name(format!(".{name}.ferry-fix.tmp"));
    std::fs::write(&temp, content).map_err(io)?;
    // Keep the file's permissions (a script stays executable).
    if let Ok(meta) = std::fs::metadata(target) {
        let _ = std::fs::set_permissions(&temp, meta.permissions());
    }
    std::fs::rename(&temp, target).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        io(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_when_nothing_changed_and_create_new_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("run.sh"), b"echo hi\r\n").unwrap();
        let edits = [
            FileEdit::replace("run.sh", b"echo hi\r\n", "echo hi\n"),
            FileEdit::create(".dockerignore", ".git\n"),
        ];
        let written = edit_files(dir.path(), &edits).unwrap();
        assert_eq!(written, ["run.sh", ".dockerignore"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("run.sh")).unwrap(),
            "echo hi\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".dockerignore")).unwrap(),
            ".git\n"
        );
    }

    #[test]
    fn a_file_changed_since_the_check_stops_every_edit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), b"edited by the user").unwrap();
        let edits = [
            FileEdit::create("new", "x"),
            FileEdit::replace("a", b"what the check saw", "fixed"),
        ];
        let err = edit_files(dir.path(), &edits).unwrap_err();
        assert!(matches!(err, FixError::Changed(ref p) if p == "a"), "{err}");
        assert!(!dir.path().join("new").exists());
        assert_eq!(
            std::fs::read(dir.path().join("a")).unwrap(),
            b"edited by the user"
        );
    }

    #[test]
    fn creating_a_file_that_appeared_meanwhile_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".dockerignore"), b"mine").unwrap();
        let err = edit_files(dir.path(), &[FileEdit::create(".dockerignore", "x")]).unwrap_err();
        assert!(matches!(err, FixError::Exists(_)));
        assert_eq!(
            std::fs::read(dir.path().join(".dockerignore")).unwrap(),
            b"mine"
        );
    }

    #[test]
    fn paths_outside_the_project_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x", "/etc/passwd", "a/../../x", "", "."] {
            let err = edit_files(dir.path(), &[FileEdit::create(bad, "x")]).unwrap_err();
            assert!(matches!(err, FixError::OutsideProject(_)), "{bad}: {err}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_leading_out_of_the_project_is_refused_and_nothing_is_written() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("authorized_keys");
        std::fs::write(&secret, b"ssh-ed25519 mine\r\n").unwrap();
        let project = dir.path();
        std::fs::write(project.join("run.sh"), b"echo hi\r\n").unwrap();
        // A symlinked file, a symlinked folder, and a dangling link, each pointing outside.
        symlink(&secret, project.join("deploy.sh")).unwrap();
        symlink(outside.path(), project.join("scripts")).unwrap();
        symlink(outside.path().join("new"), project.join("dangling")).unwrap();

        for edits in [
            vec![FileEdit::replace(
                "deploy.sh",
                b"ssh-ed25519 mine\r\n",
                "x\n",
            )],
            vec![FileEdit::replace(
                "scripts/authorized_keys",
                b"ssh-ed25519 mine\r\n",
                "x\n",
            )],
            vec![FileEdit::create("scripts/added", "x")],
            vec![FileEdit::create("dangling", "x")],
            // A good edit first: all or nothing, so it is not written either.
            vec![
                FileEdit::replace("run.sh", b"echo hi\r\n", "echo hi\n"),
                FileEdit::replace("./scripts/authorized_keys", b"ssh-ed25519 mine\r\n", "x"),
            ],
        ] {
            let err = edit_files(project, &edits).unwrap_err();
            assert!(
                matches!(err, FixError::OutsideProject(_)),
                "{:?}: {err}",
                edits.iter().map(|e| &e.path).collect::<Vec<_>>()
            );
            assert!(err.to_string().contains("nothing was changed"), "{err}");
        }
        assert_eq!(std::fs::read(&secret).unwrap(), b"ssh-ed25519 mine\r\n");
        assert_eq!(
            std::fs::read_dir(outside.path()).unwrap().count(),
            1,
            "nothing created outside the project"
        );
        assert_eq!(
            std::fs::read(project.join("run.sh")).unwrap(),
            b"echo hi\r\n"
        );
        assert!(std::fs::symlink_metadata(project.join("deploy.sh"))
            .unwrap()
            .file_type()
            .is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_that_stays_inside_the_project_is_followed() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("hello");
        std::fs::create_dir_all(project.join("scripts/real")).unwrap();
        std::fs::write(project.join("scripts/real/setup.sh"), b"set -e\r\n").unwrap();
        symlink("scripts/real/setup.sh", project.join("setup.sh")).unwrap();
        symlink("real", project.join("scripts/current")).unwrap();
        // The project folder itself reached through a symlink.
        let via_link = dir.path().join("hello-link");
        symlink(&project, &via_link).unwrap();

        let written = edit_files(
            &via_link,
            &[FileEdit::replace("setup.sh", b"set -e\r\n", "set -e\n")],
        )
        .unwrap();
        assert_eq!(written, ["setup.sh"]);
        assert_eq!(
            std::fs::read(project.join("scripts/real/setup.sh")).unwrap(),
            b"set -e\n"
        );
        // The link is still a link, to the file that was fixed.
        assert!(std::fs::symlink_metadata(project.join("setup.sh"))
            .unwrap()
            .file_type()
            .is_symlink());

        edit_files(
            &via_link,
            &[FileEdit::create("scripts/current/new.sh", "echo\n")],
        )
        .unwrap();
        assert_eq!(
            std::fs::read(project.join("scripts/real/new.sh")).unwrap(),
            b"echo\n"
        );
    }
}
