//! What the checks' tests share: a project, servers, and the scripted fake answering by the
//! exact command line.

use crate::adapters::server::ServerInfo;
use crate::doctor::apply::edit_files;
use crate::doctor::finding::{AutoFix, Finding, FixAction};
use crate::formats::config::Project;
pub use crate::testing::{FakeServer, Reply};

/// Answers by exact shell line; any other command "is not installed" (exit 127).
pub fn answering(answers: &[(&str, i32, &str)]) -> FakeServer {
    answers
        .iter()
        .fold(FakeServer::new(), |fake, (shell, status, stdout)| {
            fake.on_shell(shell, [Reply::exit(*status, stdout, "")])
        })
}

pub const TOML: &str = r#"# the hello service
[app]
name = "hello"

[server]
host = "203.0.113.10"
user = "deployer"

[container]
ports = ["8080:8080"]
env = { GREETING = "你好" } # shown on /
volumes = ["/srv/hello/data:/data", "/srv/hello/conf:/conf:ro", "logs:/logs"]
memory = "256m"
"#;

/// A project whose ferry.toml is `text`, in a folder of its own.
pub fn project(text: &str) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ferry.toml");
    std::fs::write(&path, text).unwrap();
    let project = Project::load(&path).unwrap();
    (dir, project)
}

pub fn centos7() -> ServerInfo {
    ServerInfo::centos7("x86_64")
}

pub fn rocky9() -> ServerInfo {
    ServerInfo {
        os_id: "rocky".into(),
        os_version: "9.3".into(),
        os_name: "Rocky Linux 9.3 (Blue Onyx)".into(),
        ..centos7()
    }
}

pub fn ids(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.id.as_str()).collect()
}

pub fn only<'a>(findings: &'a [Finding], id: &str) -> &'a Finding {
    let hits: Vec<&Finding> = findings.iter().filter(|f| f.id == id).collect();
    assert_eq!(hits.len(), 1, "one {id} in {:?}", ids(findings));
    hits[0]
}

/// Applies a finding's file edit in the project folder and loads the result.
pub fn apply_edit(dir: &tempfile::TempDir, finding: &Finding) -> (String, Project) {
    let Some(AutoFix {
        action: FixAction::EditFiles { files },
        ..
    }) = &finding.auto_fix
    else {
        panic!("{} has no file edit: {:?}", finding.id, finding.auto_fix);
    };
    assert_eq!(edit_files(dir.path(), files).unwrap(), ["ferry.toml"]);
    let path = dir.path().join("ferry.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    (text, Project::load(&path).unwrap())
}

pub fn server_commands(finding: &Finding) -> Vec<String> {
    match &finding.auto_fix {
        Some(AutoFix {
            action: FixAction::RunOnServer { commands },
            ..
        }) => commands.iter().map(|c| c.shell.clone()).collect(),
        other => panic!("{} has no server commands: {other:?}", finding.id),
    }
}

pub const PS: &str = "docker ps --format '{{.Names}}|{{.Label \"ferry.app\"}}|{{.Ports}}'";
