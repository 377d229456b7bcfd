//! What the unit tests share: the rule for tests that need the real local engine or the
//! testbed (`crate::testbed`), the lock that makes engine tests take turns, a local shell that
//! plays a server, and one scripted fake server.

use crate::adapters::docker::Engine;
pub use crate::testbed::skip;

mod fake;
pub use fake::{FakeServer, Reply};

/// The tests share one engine, and its image store is not safe to build into and remove from
/// at once (an intermediate image one build needs can vanish under another test): one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The local engine, held for this test alone; `None` (after `skip`) when none answers.
pub async fn engine() -> Option<(Engine, tokio::sync::MutexGuard<'static, ()>)> {
    let serial = SERIAL.lock().await;
    match Engine::connect().await {
        Ok(e) => Some((e, serial)),
        Err(e) => {
            skip(&format!("no Docker engine reachable ({e})"));
            None
        }
    }
}

/// A "server" that is this machine: runs each command's real wire form through a login shell
/// (`sh`, or `fish`/`tcsh`/`zsh` where installed), in a folder that plays the deploy user's
/// home, with its secret stdin. Tests the scripts and the quoting for real, without SSH.
pub struct LocalShell {
    pub home: tempfile::TempDir,
    pub shell: String,
    /// Every command's display form, in order.
    pub log: std::sync::Mutex<Vec<String>>,
}

impl LocalShell {
    pub fn new() -> LocalShell {
        LocalShell::with_shell("sh")
    }

    pub fn with_shell(shell: &str) -> LocalShell {
        LocalShell {
            home: tempfile::tempdir().unwrap(),
            shell: shell.to_string(),
            log: Default::default(),
        }
    }

    /// Whether `shell` is installed (tests of other login shells skip without it).
    pub fn has(shell: &str) -> bool {
        std::process::Command::new("sh")
            .args(["-c", &format!("command -v {shell}")])
            .output()
            .is_ok_and(|o| o.status.success())
    }
}

impl crate::adapters::server::Remote for LocalShell {
    fn run(
        &self,
        cmd: &crate::adapters::remote::Cmd,
    ) -> Result<crate::adapters::ssh::Output, crate::adapters::ssh::SshError> {
        use std::io::Write;
        self.log.lock().unwrap().push(cmd.shell());
        let mut child = std::process::Command::new(&self.shell)
            .arg("-c")
            .arg(cmd.wire())
            .current_dir(self.home.path())
            .env("HOME", self.home.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("a local shell");
        let input = cmd.stdin_prelude();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        Ok(crate::adapters::ssh::Output {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }

    fn http_get(
        &self,
        _: &str,
        _: u16,
        _: &str,
        _: std::time::Duration,
    ) -> Result<u16, crate::adapters::ssh::SshError> {
        unreachable!("no HTTP on the local shell")
    }
}
