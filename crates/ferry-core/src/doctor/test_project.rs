//! Test projects for the doctor's checks: a fixture folder copied into a temporary folder with
//! a `ferry.toml`, so auto-fixes can be applied to it.

use super::finding::{Finding, FixAction, Severity};
use crate::catalog::Lang;
use crate::formats::config::Project;
use std::path::{Path, PathBuf};

pub fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/doctor")
        .join(name)
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub struct TestProject {
    pub dir: tempfile::TempDir,
    pub project: Project,
}

impl TestProject {
    /// An empty project with `app` lines under `[app]` and `container` under `[container]`.
    pub fn empty(app: &str, container: &str) -> TestProject {
        let dir = tempfile::tempdir().unwrap();
        let project = write_config(dir.path(), app, container);
        TestProject { dir, project }
    }

    /// The fixture `name` with a ferry.toml.
    pub fn fixture(name: &str, app: &str, container: &str) -> TestProject {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture_dir(name), dir.path());
        let project = write_config(dir.path(), app, container);
        TestProject { dir, project }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, bytes: impl AsRef<[u8]>) {
        let path = self.root().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root().join(path)).unwrap()
    }

    /// Loads ferry.toml again (after a fix changed it).
    pub fn reload(&mut self) {
        self.project = Project::load(&self.root().join("ferry.toml")).unwrap();
    }

    /// Applies the finding's file edits.
    pub fn apply(&mut self, finding: &Finding) {
        let auto = finding
            .auto_fix
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no auto-fix", finding.id));
        let FixAction::EditFiles { files } = &auto.action else {
            panic!("{}: not a file edit", finding.id);
        };
        super::apply::edit_files(self.root(), files).unwrap();
        self.reload();
    }
}

pub fn write_config(root: &Path, app: &str, container: &str) -> Project {
    let text = format!(
        "[app]\nname = \"t\"\n{app}\n\n[server]\nhost = \"203.0.113.10\"\nuser = \"deployer\"\n\n\
         [container]\n{container}\n"
    );
    std::fs::write(root.join("ferry.toml"), text).unwrap();
    Project::load(&root.join("ferry.toml")).unwrap()
}

/// The finding `id`, which must be there once.
pub fn only<'a>(findings: &'a [Finding], id: &str) -> &'a Finding {
    let hits: Vec<&Finding> = findings.iter().filter(|f| f.id == id).collect();
    assert_eq!(hits.len(), 1, "{id} in {findings:#?}");
    hits[0]
}

pub fn ids(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.id.as_str()).collect()
}

pub fn assert_finding(f: &Finding, severity: Severity, evidence: &[&str], fix: &[&str]) {
    assert_eq!(f.severity, severity, "{f:#?}");
    let ev = f.evidence.as_deref().unwrap_or("");
    for part in evidence {
        assert!(
            ev.contains(part),
            "evidence of {} lacks {part:?}:\n{ev}",
            f.id
        );
    }
    let fix_en = f
        .fix
        .as_ref()
        .map(|t| t.render(Lang::En))
        .unwrap_or_default();
    for part in fix {
        assert!(
            fix_en.contains(part),
            "fix of {} lacks {part:?}:\n{fix_en}",
            f.id
        );
    }
    let (en, zh) = (f.message.render(Lang::En), f.message.render(Lang::Zh));
    assert!(!zh.is_empty() && zh != en && en != f.message.id(), "{en}");
}
