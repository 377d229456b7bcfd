//! Helpers for the end-to-end suite: the testbed's addresses and credentials, a throwaway copy
//! of the example project with its own `ferry.toml`, and the real `ferry` binary to run on it.
//!
//! The testbed comes from `scripts/testbed up`; its details are read from
//! `/tmp/ferry-testbed/env`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

pub mod app;

pub use ferry_core::testbed::ENV_FILE;

/// The testbed's addresses and fixture credentials (read as core's own tests read them).
pub struct Testbed {
    env: ferry_core::testbed::Testbed,
}

impl Testbed {
    pub fn load() -> Testbed {
        let text = std::fs::read_to_string(ENV_FILE).unwrap_or_else(|e| {
            panic!("{ENV_FILE}: {e}. Bring the testbed up first: scripts/testbed up")
        });
        Testbed {
            env: ferry_core::testbed::Testbed::parse(&text),
        }
    }

    pub fn get(&self, key: &str) -> &str {
        self.env.get(key)
    }

    pub fn server_host(&self) -> &str {
        self.get("FERRY_TB_SERVER_HOST")
    }

    /// Runs `docker` against the server's own engine (to check what a deploy really did).
    pub fn server_docker(&self, args: &[&str]) -> Output {
        Command::new("docker")
            .args(args)
            .env("DOCKER_HOST", self.get("FERRY_TB_SERVER_DOCKER_HOST"))
            .output()
            .expect("docker CLI")
    }

    /// The example project with the common `ferry.toml` (see [`ferry_toml`]), on a server
    /// with no containers of `app` left from an earlier run.
    pub fn project(&self, app: &str, port: u16, app_extra: &str) -> Project {
        self.clean_server(app);
        Project::new(app, &ferry_toml(self, app, port, app_extra, ""))
    }

    /// A `[registry]` section for the testbed registry (its password comes from elsewhere).
    pub fn registry_section(&self, repo: &str) -> String {
        format!(
            "[registry]\nserver = \"{}\"\nusername = \"{}\"\nrepository = \"{repo}\"\n",
            self.get("FERRY_TB_REGISTRY"),
            self.get("FERRY_TB_REGISTRY_USER"),
        )
    }

    /// Whether the CentOS server's stand-in firewalld has `port/tcp` open in `file`
    /// (`runtime` or `permanent`).
    pub fn standin_firewall_opens(&self, file: &str, port: u16) -> bool {
        let path = format!("{}/{file}", self.get("FERRY_TB_CENTOS_STATE"));
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .any(|l| l == format!("{port}/tcp"))
    }

    /// Closes `port/tcp` in the stand-in firewalld, runtime and permanent.
    pub fn close_in_standin_firewall(&self, port: u16) {
        let entry = format!("{port}/tcp");
        for file in ["runtime", "permanent"] {
            let path = format!("{}/{file}", self.get("FERRY_TB_CENTOS_STATE"));
            let kept: String = std::fs::read_to_string(&path)
                .unwrap_or_default()
                .lines()
                .filter(|l| *l != entry)
                .map(|l| format!("{l}\n"))
                .collect();
            std::fs::write(&path, kept).unwrap();
        }
    }

    /// Removes every container of `app` on the server, so a test starts from nothing.
    pub fn clean_server(&self, app: &str) {
        let out = self.server_docker(&["ps", "-aq", "--filter", &format!("label=ferry.app={app}")]);
        for id in String::from_utf8_lossy(&out.stdout).split_whitespace() {
            self.server_docker(&["rm", "-f", id]);
        }
    }
}

/// A copy of `examples/hello-go` in a temporary folder, with a `ferry.toml`, and a temporary
/// HOME (empty `~/.ssh/known_hosts`) for the runs of `ferry` on it.
pub struct Project {
    pub dir: tempfile::TempDir,
    pub home: tempfile::TempDir,
    pub app: String,
    env: Vec<(String, String)>,
}

impl Project {
    pub fn new(app: &str, ferry_toml: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&workspace().join("examples/hello-go"), dir.path());
        std::fs::write(dir.path().join("ferry.toml"), ferry_toml).unwrap();
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".ssh")).unwrap();
        Project {
            dir,
            home,
            app: app.to_string(),
            env: Vec::new(),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Writes a file under the temporary HOME (e.g. `.ssh/known_hosts`).
    /// Replaces the first `from` in `ferry.toml` with `to`; `from` must be there.
    pub fn edit(&self, from: &str, to: &str) {
        let toml = std::fs::read_to_string(self.path("ferry.toml")).unwrap();
        assert!(toml.contains(from), "{from} not in ferry.toml:\n{toml}");
        self.write("ferry.toml", &toml.replacen(from, to, 1));
    }

    pub fn write_home(&self, rel: &str, text: &str) {
        let p = self.home.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Sets an environment variable for every later run.
    pub fn env(&mut self, key: &str, value: &str) {
        self.env.push((key.to_string(), value.to_string()));
    }

    /// Runs `ferry ARGS` in the project folder.
    pub fn ferry(&self, args: &[&str]) -> Run {
        self.ferry_with_stdin(args, None)
    }

    /// Starts `ferry ARGS` and hands back its standard output line by line, for commands that
    /// keep running (`logs --follow`). The process is killed when the returned value drops.
    pub fn ferry_spawn(&self, args: &[&str]) -> Spawned {
        let mut child = self
            .command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("run ferry");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Spawned { child, lines }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(ferry_bin());
        if chinese_run() {
            cmd.env("LC_ALL", "zh_CN.UTF-8").env("LANG", "zh_CN.UTF-8");
        }
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("HOME", self.home.path())
            .env_remove("FERRY_REGISTRY_PASSWORD")
            .env_remove("FERRY_SSH_PASSWORD")
            .env_remove("FERRY_SSH_KEY_PASSPHRASE")
            .env_remove("SSH_AUTH_SOCK");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn ferry_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Run {
        let mut run = self.run_once(args, stdin);
        if chinese_run() && !run.succeeded() {
            run.assert_error_is_chinese();
            let mut english = vec!["--lang", "en"];
            english.extend_from_slice(args);
            run.english_error = Some(self.run_once(&english, stdin).error_line());
        }
        run
    }

    fn run_once(&self, args: &[&str], stdin: Option<&str>) -> Run {
        let mut cmd = self.command(args);
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("run ferry");
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        }
        let out = child.wait_with_output().unwrap();
        let run = Run {
            args: args.iter().map(|s| s.to_string()).collect(),
            status: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            english_error: None,
        };
        eprintln!(
            "$ ferry {}\n{}{}",
            run.args.join(" "),
            run.stdout,
            run.stderr
        );
        run
    }
}

/// A running `ferry` and its output lines.
pub struct Spawned {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Spawned {
    /// Waits up to `timeout` for a line containing `needle`; the lines seen until then.
    pub fn wait_for(&self, needle: &str, timeout: Duration) -> Result<String, String> {
        let deadline = std::time::Instant::now() + timeout;
        let mut seen = String::new();
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return Ok(line),
                Ok(line) => {
                    seen.push_str(&line);
                    seen.push('\n');
                }
                Err(_) => break,
            }
        }
        Err(format!(
            "no line with `{needle}` within {timeout:?}; saw:\n{seen}"
        ))
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One run of `ferry`.
pub struct Run {
    pub args: Vec<String>,
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// Under `FERRY_E2E_LANG=zh`, the error line of the same command run again with
    /// `--lang en`, which the English assertions read.
    pub english_error: Option<String>,
}

/// Whether the suite runs under a Chinese locale (`FERRY_E2E_LANG=zh`): every `ferry` gets
/// `LC_ALL=zh_CN.UTF-8`, and every failure must end with a Chinese error line.
pub fn chinese_run() -> bool {
    std::env::var("FERRY_E2E_LANG").is_ok_and(|l| l == "zh")
}

/// Whether `text` holds Chinese (CJK ideographs).
pub fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// `en` or `zh`, whichever language the suite runs in, is in the core message `m`'s text.
#[track_caller]
pub fn assert_says(m: &serde_json::Value, en: &str, zh: &str) {
    let text = m["text"].as_str().unwrap_or_default();
    let want = if chinese_run() { zh } else { en };
    assert!(text.contains(want), "`{want}` not in {m}");
}

impl Run {
    pub fn succeeded(&self) -> bool {
        self.status == Some(0)
    }

    #[track_caller]
    pub fn assert_ok(&self) -> &Run {
        assert!(
            self.succeeded(),
            "ferry {} failed ({:?}):\n{}\n{}",
            self.args.join(" "),
            self.status,
            self.stdout,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn assert_fails_with(&self, needle: &str) -> &Run {
        assert!(
            !self.succeeded(),
            "ferry {} should have failed but succeeded:\n{}\n{}",
            self.args.join(" "),
            self.stdout,
            self.stderr
        );
        let reason = self.error_line();
        assert!(
            reason.contains(needle),
            "the error line should mention `{needle}`, it was: {reason}\nstderr:\n{}",
            self.stderr
        );
        self
    }

    /// The steps a `--json` run started, in order.
    pub fn steps(&self) -> Vec<String> {
        self.events()
            .iter()
            .filter(|e| e["event"] == "step_started")
            .filter_map(|e| e["step"].as_str().map(str::to_string))
            .collect()
    }

    /// The one-line reason printed last on a failure: `error: ...`.
    pub fn error_line(&self) -> String {
        if let Some(line) = &self.english_error {
            return line.clone();
        }
        self.stderr
            .lines()
            .rev()
            .find(|l| l.starts_with("error: "))
            .unwrap_or_default()
            .to_string()
    }

    /// Under a Chinese locale: the failure's last word is a Chinese `错误：` line.
    #[track_caller]
    fn assert_error_is_chinese(&self) {
        let line = self
            .stderr
            .lines()
            .rev()
            .find(|l| l.starts_with("错误："))
            .unwrap_or_default();
        assert!(
            has_chinese(line.trim_start_matches("错误：")),
            "under LC_ALL=zh_CN.UTF-8, ferry {} should end with a Chinese error line:\n{}",
            self.args.join(" "),
            self.stderr
        );
    }

    /// The JSON events of a `--json` run, checking that every line is one and that exactly
    /// one final event ends the stream.
    #[track_caller]
    /// The findings of a `--json doctor` (or preflight) run, whose stream ended with
    /// `finished` or `failed`.
    pub fn findings(&self) -> Vec<serde_json::Value> {
        let events = self.events();
        let last = events.last().expect("events");
        assert!(
            last["event"] == "finished" || last["event"] == "failed",
            "{last}"
        );
        events
            .iter()
            .filter(|e| e["event"] == "data" && e["kind"] == "finding")
            .map(|e| e["data"].clone())
            .collect()
    }

    pub fn events(&self) -> Vec<serde_json::Value> {
        let events: Vec<serde_json::Value> = self
            .stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON event ({e}): {l}"))
            })
            .collect();
        let finals: Vec<usize> = events
            .iter()
            .enumerate()
            .filter(|(_, e)| e["event"] == "finished" || e["event"] == "failed")
            .map(|(i, _)| i)
            .collect();
        assert_eq!(
            finals,
            vec![events.len() - 1],
            "exactly one final event, last: {events:#?}"
        );
        events
    }
}

/// The repository root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Cargo's target folder.
pub fn target_dir() -> PathBuf {
    std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace().join("target"))
}

/// The `ferry` binary under test: `$FERRY_BIN`, or the workspace's debug build.
pub fn ferry_bin() -> PathBuf {
    if let Ok(p) = std::env::var("FERRY_BIN") {
        return PathBuf::from(p);
    }
    let bin = target_dir().join("debug/ferry");
    assert!(
        bin.exists(),
        "{} does not exist: run `cargo build -p ferry-cli` first",
        bin.display()
    );
    bin
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The finding `id` among `all`, if reported.
pub fn finding<'a>(all: &'a [serde_json::Value], id: &str) -> Option<&'a serde_json::Value> {
    all.iter().find(|f| f["id"] == id)
}

/// The finding `id` among `all`; panics listing what was reported instead.
pub fn the_finding<'a>(all: &'a [serde_json::Value], id: &str) -> &'a serde_json::Value {
    finding(all, id).unwrap_or_else(|| panic!("no {id} in {:?}", finding_ids(all)))
}

pub fn finding_ids(all: &[serde_json::Value]) -> Vec<String> {
    all.iter()
        .filter_map(|f| f["id"].as_str().map(str::to_string))
        .collect()
}

/// An HTTP GET from this machine; the status and body, or the connection error.
pub fn http_get(host: &str, port: u16, path: &str) -> Result<(u16, String), String> {
    http_get_within(host, port, path, Duration::from_secs(5))
}

/// The common `ferry.toml` for the testbed: SSH with the key, pinned host key, the local
/// builder and runtime images. `extra` is appended (more sections or keys).
pub fn ferry_toml(tb: &Testbed, app: &str, port: u16, app_extra: &str, extra: &str) -> String {
    format!(
        r#"[app]
name = "{app}"
builder_image = "{go}"
runtime_image = "{runtime}"
{app_extra}

[server]
host = "{host}"
port = {ssh_port}
user = "{user}"
identity_file = "{key}"
host_key = "{host_key}"

[container]
ports = ["{port}:8080"]
env = {{ GREETING = "hello from {app}" }}
memory = "128m"

[health]
path = "/healthz"
timeout_secs = 20
{extra}
"#,
        go = tb.get("FERRY_TB_GO_IMAGE"),
        runtime = tb.get("FERRY_TB_RUNTIME_IMAGE"),
        host = tb.server_host(),
        ssh_port = tb.get("FERRY_TB_SERVER_PORT"),
        user = tb.get("FERRY_TB_SERVER_USER"),
        key = tb.get("FERRY_TB_KEY"),
        host_key = tb.get("FERRY_TB_HOST_KEY"),
    )
}

/// Asks the app for `/` every 100 ms from this machine, as its users would, and keeps every
/// answer (the body) or failure, in order.
pub struct Poller {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<Vec<Result<String, String>>>>,
}

impl Poller {
    pub fn start(host: &str, port: u16) -> Poller {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let host = host.to_string();
        let thread = std::thread::spawn(move || {
            let mut answers = Vec::new();
            while !flag.load(std::sync::atomic::Ordering::SeqCst) {
                let started = std::time::Instant::now();
                answers.push(
                    match http_get_within(&host, port, "/", Duration::from_secs(1)) {
                        Ok((200, body)) => Ok(body.trim_end().to_string()),
                        Ok((status, _)) => Err(format!("HTTP {status}")),
                        Err(e) => Err(e),
                    },
                );
                if let Some(rest) = Duration::from_millis(100).checked_sub(started.elapsed()) {
                    std::thread::sleep(rest);
                }
            }
            answers
        });
        Poller {
            stop,
            thread: Some(thread),
        }
    }

    /// Stops polling; every answer, in order.
    pub fn stop(mut self) -> Polled {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        Polled(self.thread.take().unwrap().join().unwrap())
    }
}

/// What a [`Poller`] saw.
pub struct Polled(pub Vec<Result<String, String>>);

impl Polled {
    pub fn failed(&self) -> usize {
        self.0.iter().filter(|a| a.is_err()).count()
    }

    /// Every distinct answer body, in the order first seen.
    pub fn bodies(&self) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for b in self.0.iter().flatten() {
            if !seen.contains(b) {
                seen.push(b.clone());
            }
        }
        seen
    }

    pub fn summary(&self) -> String {
        format!("{} of {} requests failed", self.failed(), self.0.len())
    }
}

/// An HTTP GET with a deadline for the whole exchange.
pub fn http_get_within(
    host: &str,
    port: u16,
    path: &str,
    timeout: Duration,
) -> Result<(u16, String), String> {
    let addr: std::net::SocketAddr = format!("{host}:{port}")
        .parse()
        .map_err(|e| format!("{e}"))?;
    let mut s = TcpStream::connect_timeout(&addr, timeout).map_err(|e| format!("{addr}: {e}"))?;
    s.set_read_timeout(Some(timeout)).unwrap();
    s.set_write_timeout(Some(timeout)).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("not HTTP: {text}"))?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

/// Waits until `f` is true, up to `timeout`; whether it became true.
pub fn eventually(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + timeout;
    while std::time::Instant::now() < deadline {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    f()
}

/// A `ferry` started in the background with both outputs captured, to be signalled or killed
/// at a chosen moment.
pub struct Background {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Project {
    pub fn ferry_background(&self, args: &[&str]) -> Background {
        self.ferry_background_env(args, &[])
    }

    /// [`Project::ferry_background`] with more environment variables for this run only.
    pub fn ferry_background_env(&self, args: &[&str], env: &[(&str, &str)]) -> Background {
        let mut cmd = self.command(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run ferry");
        let (tx, lines) = std::sync::mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                use std::io::BufRead;
                for line in std::io::BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        Background {
            child,
            lines,
            seen: Vec::new(),
        }
    }
}

impl Background {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `timeout` for an output line containing `needle`.
    pub fn wait_for(&mut self, needle: &str, timeout: Duration) -> String {
        let deadline = std::time::Instant::now() + timeout;
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    eprintln!("  | {line}");
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => break,
            }
        }
        panic!(
            "no line with `{needle}` within {timeout:?}; saw:\n{}",
            self.seen.join("\n")
        )
    }

    pub fn signal(&self, name: &str) {
        let ok = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{name}");
    }

    /// Waits for the process to end; its exit code (None: killed by a signal) and every line
    /// it printed.
    pub fn wait(mut self, timeout: Duration) -> (Option<i32>, String) {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Whatever is still in the pipes.
                std::thread::sleep(Duration::from_millis(100));
                while let Ok(line) = self.lines.try_recv() {
                    eprintln!("  | {line}");
                    self.seen.push(line);
                }
                return (status.code(), self.seen.join("\n"));
            }
            assert!(
                std::time::Instant::now() < deadline,
                "ferry still runs after {timeout:?}; saw:\n{}",
                self.seen.join("\n")
            );
            while let Ok(line) = self.lines.try_recv() {
                eprintln!("  | {line}");
                self.seen.push(line);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Testbed {
    /// The deploy user's home on the server (the server shares this machine's filesystem).
    pub fn server_home(&self, user: &str) -> PathBuf {
        PathBuf::from(format!("/home/{user}"))
    }

    /// Runs a command as root inside the server's network namespace.
    pub fn in_server_ns(&self, args: &[&str]) -> Output {
        Command::new("ip")
            .args(["netns", "exec", "ferrysrv"])
            .args(args)
            .output()
            .expect("ip netns exec")
    }
}

impl Testbed {
    /// What lies in `app`'s piece directory on the server (`~/.ferry/cache/<app>`, where an
    /// image sent over SSH arrives in pieces): file names, sorted; empty when it is gone.
    pub fn pieces_on_server(&self, app: &str) -> Vec<String> {
        let dir = self.piece_dir(app);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// `app`'s piece directory on the server.
    pub fn piece_dir(&self, app: &str) -> PathBuf {
        self.server_home(self.get("FERRY_TB_SERVER_USER"))
            .join(".ferry/cache")
            .join(app)
    }

    /// Writes `bytes` as the file `name` in `app`'s piece directory on the server, as the
    /// deploy user (who owns that directory), the way an earlier transfer would have left it.
    pub fn plant_piece(&self, app: &str, name: &str, bytes: &[u8]) {
        let mut child = Command::new("runuser")
            .args(["-u", self.get("FERRY_TB_SERVER_USER"), "--"])
            .args([
                "sh",
                "-c",
                "umask 077; mkdir -p \"$1\" && cat >\"$1/$2\"",
                "sh",
            ])
            .arg(self.piece_dir(app))
            .arg(name)
            .stdin(Stdio::piped())
            .spawn()
            .expect("runuser");
        child.stdin.take().unwrap().write_all(bytes).unwrap();
        assert!(child.wait().unwrap().success(), "could not plant {name}");
    }

    /// The id of `image` in the server's engine, if it has it.
    pub fn server_image_id(&self, image: &str) -> Option<String> {
        let out = self.server_docker(&["image", "inspect", "--format", "{{.Id}}", image]);
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    }
}

/// The id of `image` in the local engine.
pub fn local_image_id(image: &str) -> String {
    let out = Command::new("docker")
        .args(["image", "inspect", "--format", "{{.Id}}", image])
        .output()
        .expect("docker CLI");
    assert!(out.status.success(), "no local image {image}");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

impl Project {
    /// Writes `blob.go`: a string constant of `bytes` random bytes (as hex) that the program
    /// keeps, so that its next release differs from the last by about that much, and nothing
    /// compresses the difference away (a new embedded asset, a big dependency).
    pub fn write_random_blob(&self, bytes: usize) {
        let mut random = vec![0u8; bytes];
        std::fs::File::open("/dev/urandom")
            .unwrap()
            .read_exact(&mut random)
            .unwrap();
        let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
        self.write(
            "blob.go",
            &format!(
                "package main\n\nimport \"os\"\n\nconst blob = \"{hex}\"\n\n\
                 func init() {{\n\tif os.Getenv(\"PRINT_BLOB\") != \"\" {{\n\t\t\
                 os.Stdout.WriteString(blob)\n\t}}\n}}\n"
            ),
        );
    }
}

impl Run {
    /// The `transfer` report (`data` event) of a `--json` deploy that sent its image over SSH.
    #[track_caller]
    pub fn transfer(&self) -> serde_json::Value {
        self.data("transfer")
            .unwrap_or_else(|| panic!("no transfer report in:\n{}", self.stdout))
    }

    /// The first `data` event of `kind` of a `--json` run.
    pub fn data(&self, kind: &str) -> Option<serde_json::Value> {
        self.events()
            .into_iter()
            .find(|e| e["event"] == "data" && e["kind"] == kind)
            .map(|e| e["data"].clone())
    }

    /// The catalog ids of the notices (notes and warnings) of a `--json` run.
    pub fn notice_ids(&self) -> Vec<String> {
        self.events()
            .iter()
            .filter(|e| e["event"] == "notice")
            .filter_map(|e| e["message_id"].as_str().map(str::to_string))
            .collect()
    }
}
