//! Switching the app's container on the server from one release to another, behind a health
//! gate, and putting the previous release back when the new one fails.
//!
//! The running release is the container named after the app. Previous releases are kept as
//! stopped containers named `<app>-<version>`, newest first; `rollback` starts the newest of them.

use crate::diagnose::{diagnose, GateFailure};
use crate::events::{Diagnosis, Events, Step};
use crate::remote::{system, DockerCli, RunSpec};
use crate::server::{app_containers, inspect, run_ok, ContainerState, Remote, ServerError};
use std::time::{Duration, Instant};

/// How many releases stay on the server (the running one and the previous ones).
pub const KEEP_RELEASES: usize = 3;

#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error(transparent)]
    Server(#[from] ServerError),
    #[error("{}", unhealthy_message(.0))]
    Unhealthy(Box<Diagnosis>),
    #[error(
        "a container named `{0}` already runs on the server and Ferry did not start it. Rename or \
         remove it (`docker rename {0} {0}-old`), or choose another `name` under [app]."
    )]
    ForeignContainer(String),
    #[error("there is no previous release of `{0}` on the server to roll back to")]
    NothingToRollBack(String),
}

fn unhealthy_message(d: &Diagnosis) -> String {
    let mut msg = d.summary.clone();
    if let Some(v) = &d.restored_previous {
        msg.push_str(&format!("; the previous release {v} is running again"));
    }
    if let Some(h) = &d.hint {
        msg.push_str(&format!(". {h}"));
    }
    msg
}

/// When a release counts as healthy.
#[derive(Debug, Clone)]
pub struct Gate {
    /// HTTP path to GET on the server at `port`; `None` means "stays up for `settle`".
    pub path: Option<String>,
    pub port: Option<u16>,
    pub timeout: Duration,
    pub settle: Duration,
    pub poll: Duration,
}

impl Gate {
    pub fn new(path: Option<String>, port: Option<u16>, timeout: Duration) -> Gate {
        Gate {
            path,
            port,
            timeout,
            settle: timeout.min(Duration::from_secs(5)),
            poll: Duration::from_millis(500),
        }
    }
}

/// What takes over the app's name.
#[derive(Debug, Clone)]
pub enum Incoming {
    /// A new container from this spec (a deploy).
    New(RunSpec),
    /// A kept, stopped container (a rollback).
    Kept(String),
}

/// The names a swap moved, so that it can be undone.
struct Swap<'a> {
    remote: &'a dyn Remote,
    docker: DockerCli,
    app: &'a str,
    events: &'a Events,
}

/// Replaces the running release with `incoming` behind the health gate. On failure the new
/// container is taken away, the previous release is started again, and the diagnosis returned.
/// On success, returns the version that was running before (now kept stopped).
pub fn switch(
    remote: &dyn Remote,
    docker: DockerCli,
    app: &str,
    incoming: Incoming,
    gate: &Gate,
    events: &Events,
) -> Result<Option<String>, ReleaseError> {
    let s = Swap {
        remote,
        docker,
        app,
        events,
    };
    let previous = s.retire_current()?;
    let started = s.start(&incoming);
    let failure = match started {
        Ok(()) => match wait_healthy(remote, docker, app, gate, events)? {
            Ok(()) => return Ok(previous.map(|(_, v)| v)),
            Err(f) => f,
        },
        Err(f) => f,
    };
    let mut diagnosis = s.diagnose(&failure);
    s.withdraw(&incoming)?;
    if let Some((name, version)) = &previous {
        s.reinstate(name)?;
        diagnosis.restored_previous = Some(version.clone());
        events.warn(
            Step::Rollback,
            format!("the previous release {version} is running again"),
        );
    }
    Err(ReleaseError::Unhealthy(Box::new(diagnosis)))
}

impl Swap<'_> {
    /// Stops the running release and renames it `<app>-<version>`.
    fn retire_current(&self) -> Result<Option<(String, String)>, ReleaseError> {
        let Some(current) = inspect(self.remote, self.docker, self.app)? else {
            return Ok(None);
        };
        let Some(version) = current.version.clone().filter(|_| current.app.is_some()) else {
            return Err(ReleaseError::ForeignContainer(self.app.to_string()));
        };
        let kept = kept_name(self.app, &version);
        if current.running || current.restarting {
            self.events
                .log(Step::Start, format!("stopping release {version}"));
            run_ok(self.remote, &self.docker.stop(self.app))?;
        }
        if inspect(self.remote, self.docker, &kept)?.is_some() {
            run_ok(self.remote, &self.docker.remove(&kept))?;
        }
        run_ok(self.remote, &self.docker.rename(self.app, &kept))?;
        Ok(Some((kept, version)))
    }

    fn start(&self, incoming: &Incoming) -> Result<(), GateFailure> {
        let cmd = match incoming {
            Incoming::New(spec) => self.docker.run(spec),
            Incoming::Kept(name) => {
                let rename = self.docker.rename(name, self.app);
                self.run_or_fail(&rename)?;
                self.docker.start(self.app)
            }
        };
        self.events.log(Step::Start, cmd.shell());
        self.run_or_fail(&cmd)
    }

    fn run_or_fail(&self, cmd: &crate::remote::Cmd) -> Result<(), GateFailure> {
        match self.remote.run(cmd) {
            Ok(out) if out.status == 0 => Ok(()),
            Ok(out) => Err(GateFailure::StartFailed {
                stderr: out.stderr.trim().to_string(),
            }),
            Err(e) => Err(GateFailure::StartFailed {
                stderr: e.to_string(),
            }),
        }
    }

    fn diagnose(&self, failure: &GateFailure) -> Diagnosis {
        let state = inspect(self.remote, self.docker, self.app).ok().flatten();
        let logs = match &state {
            Some(_) => self
                .remote
                .run(&self.docker.logs(self.app, 50, false))
                .map(|o| {
                    format!("{}{}", o.stdout, o.stderr)
                        .lines()
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let tail = logs.len().saturating_sub(50);
        diagnose(failure, state.as_ref(), logs[tail..].to_vec())
    }

    /// Takes the failed release away: a new container is removed, a kept one stopped and
    /// given its kept name back.
    fn withdraw(&self, incoming: &Incoming) -> Result<(), ReleaseError> {
        match incoming {
            Incoming::New(spec) => {
                let _ = self.remote.run(&self.docker.remove(self.app));
                let _ = self.remote.run(&self.docker.remove_image(&spec.image));
            }
            Incoming::Kept(name) => {
                if inspect(self.remote, self.docker, self.app)?.is_some() {
                    let _ = self.remote.run(&self.docker.stop(self.app));
                    run_ok(self.remote, &self.docker.rename(self.app, name))?;
                }
            }
        }
        Ok(())
    }

    fn reinstate(&self, kept: &str) -> Result<(), ReleaseError> {
        run_ok(self.remote, &self.docker.rename(kept, self.app))?;
        run_ok(self.remote, &self.docker.start(self.app))?;
        Ok(())
    }
}

pub fn kept_name(app: &str, version: &str) -> String {
    format!("{app}-{version}")
}

/// Waits until the app's container passes the gate. The outer error is a server problem;
/// the inner one is the release failing.
pub fn wait_healthy(
    remote: &dyn Remote,
    docker: DockerCli,
    app: &str,
    gate: &Gate,
    events: &Events,
) -> Result<Result<(), GateFailure>, ServerError> {
    let start = Instant::now();
    let mut last_answer = String::from("no answer yet");
    let target = match (&gate.path, gate.port) {
        (Some(path), Some(port)) => format!("GET http://127.0.0.1:{port}{path} on the server"),
        _ => format!("the container to stay up for {} s", gate.settle.as_secs()),
    };
    events.log(Step::Health, format!("waiting for {target}"));
    loop {
        let Some(state) = inspect(remote, docker, app)? else {
            return Ok(Err(GateFailure::Exited));
        };
        if state.restart_count > 0 || state.restarting {
            return Ok(Err(GateFailure::RestartLoop));
        }
        if !state.running {
            return Ok(Err(GateFailure::Exited));
        }
        match (&gate.path, gate.port) {
            (Some(path), Some(port)) => match http_check(remote, port, path) {
                Ok(code) if (200..400).contains(&code) => {
                    events.log(Step::Health, format!("HTTP {code} from {path}"));
                    return Ok(Ok(()));
                }
                Ok(code) => last_answer = format!("HTTP {code}"),
                Err(e) => last_answer = e,
            },
            _ if start.elapsed() >= gate.settle => return Ok(Ok(())),
            _ => {}
        }
        if start.elapsed() >= gate.timeout {
            return Ok(Err(GateFailure::Timeout {
                last_answer,
                timeout_secs: gate.timeout.as_secs(),
            }));
        }
        std::thread::sleep(gate.poll);
    }
}

/// An HTTP GET through the SSH connection; where the server forbids port forwarding, through
/// `curl` on the server.
pub(crate) fn http_check(remote: &dyn Remote, port: u16, path: &str) -> Result<u16, String> {
    match remote.http_get(port, path, Duration::from_secs(5)) {
        Ok(code) => Ok(code),
        Err(crate::ssh::SshError::ForwardingRefused { .. }) => {
            let out = remote
                .run(&system::http_status(port, path))
                .map_err(|e| e.to_string())?;
            out.stdout
                .trim()
                .parse::<u16>()
                .ok()
                .filter(|c| *c != 0)
                .ok_or_else(|| "no answer (connection refused)".to_string())
        }
        Err(e) => Err(e.to_string()),
    }
}

/// The kept release to go back to: the newest stopped one.
pub fn rollback_target(
    remote: &dyn Remote,
    docker: DockerCli,
    app: &str,
) -> Result<(String, String), ReleaseError> {
    app_containers(remote, docker, app)?
        .into_iter()
        .find(|c| c.name != app && c.version.is_some())
        .map(|c| (c.name, c.version.unwrap_or_default()))
        .ok_or_else(|| ReleaseError::NothingToRollBack(app.to_string()))
}

/// Removes releases beyond the newest `KEEP_RELEASES` (containers and their images), and the
/// container named `discard` (a release the user rolled back from).
pub fn prune(
    remote: &dyn Remote,
    docker: DockerCli,
    app: &str,
    discard: Option<&str>,
    events: &Events,
) -> Result<(), ServerError> {
    let containers = app_containers(remote, docker, app)?;
    let (discarded, previous): (Vec<_>, Vec<_>) = containers
        .iter()
        .filter(|c| c.name != app)
        .partition(|c| discard == Some(c.name.as_str()));
    let doomed: Vec<_> = discarded
        .into_iter()
        .chain(previous.into_iter().skip(KEEP_RELEASES - 1))
        .cloned()
        .collect();
    let kept_images: Vec<&String> = containers
        .iter()
        .filter(|c| !doomed.iter().any(|d| d.id == c.id))
        .map(|c| &c.image)
        .collect();
    for c in doomed {
        events.log(
            Step::Cleanup,
            format!(
                "removing old release {}",
                c.version.clone().unwrap_or(c.name.clone())
            ),
        );
        run_ok(remote, &docker.remove(&c.name))?;
        if !kept_images.contains(&&c.image) {
            let _ = remote.run(&docker.remove_image(&c.image));
        }
    }
    Ok(())
}

/// The state of the app's running container, if any.
pub fn current(
    remote: &dyn Remote,
    docker: DockerCli,
    app: &str,
) -> Result<Option<ContainerState>, ServerError> {
    inspect(remote, docker, app)
}

#[cfg(test)]
mod tests {
    //! The swap logic against a small in-memory imitation of a server's docker.
    use super::*;
    use crate::remote::Cmd;
    use crate::ssh::{Output, SshError};
    use std::sync::Mutex;

    #[derive(Clone, Debug)]
    struct FakeContainer {
        name: String,
        image: String,
        version: String,
        running: bool,
        created: u32,
    }

    #[derive(Default)]
    struct FakeDocker {
        containers: Vec<FakeContainer>,
        /// Images whose containers crash at once.
        broken_images: Vec<String>,
        clock: u32,
        log: Vec<String>,
    }

    struct Fake(Mutex<FakeDocker>);

    fn ok(stdout: &str) -> Output {
        Output {
            status: 0,
            stdout: stdout.to_string(),
            stderr: String::new(),
        }
    }

    fn fail(stderr: &str) -> Output {
        Output {
            status: 1,
            stdout: String::new(),
            stderr: stderr.to_string(),
        }
    }

    impl FakeDocker {
        fn find(&mut self, name: &str) -> Option<&mut FakeContainer> {
            self.containers.iter_mut().find(|c| c.name == name)
        }

        fn exec(&mut self, argv: &[String]) -> Output {
            let a: Vec<&str> = argv.iter().map(String::as_str).collect();
            match a.as_slice() {
                ["docker", "container", "inspect", name] => match self.find(name) {
                    Some(c) => {
                        let crashed = !c.running;
                        ok(&format!(
                            r#"[{{"Name":"/{}","Config":{{"Image":"{}","Labels":{{"ferry.app":"app","ferry.version":"{}"}}}},"State":{{"Running":{},"ExitCode":{}}}}}]"#,
                            c.name,
                            c.image,
                            c.version,
                            c.running,
                            if crashed { 2 } else { 0 }
                        ))
                    }
                    None => fail("Error: No such container: x"),
                },
                ["docker", "ps", ..] => {
                    let mut rows = String::new();
                    for c in &self.containers {
                        rows.push_str(&format!(
                            r#"{{"ID":"{}","Names":"{}","Image":"{}","State":"x","Status":"x","CreatedAt":"{:05}","Labels":"ferry.app=app,ferry.version={}"}}"#,
                            c.created, c.name, c.image, c.created, c.version
                        ));
                        rows.push('\n');
                    }
                    ok(&rows)
                }
                ["docker", "stop", "--time", "10", name] => {
                    self.find(name).unwrap().running = false;
                    ok("")
                }
                ["docker", "start", name] => {
                    let broken = self.broken_images.clone();
                    let c = self.find(name).unwrap();
                    c.running = !broken.contains(&c.image);
                    ok("")
                }
                ["docker", "rename", from, to] => {
                    assert!(self.find(to).is_none(), "rename onto an existing name {to}");
                    self.find(from).unwrap().name = to.to_string();
                    ok("")
                }
                ["docker", "rm", "--force", name] => {
                    self.containers.retain(|c| c.name != *name);
                    ok("")
                }
                ["docker", "image", "rm", _] => ok(""),
                ["docker", "logs", ..] => ok("panic: boom\n"),
                ["docker", "run", "--detach", "--name", name, rest @ ..] => {
                    let image = rest.last().unwrap().to_string();
                    let version = rest
                        .iter()
                        .find_map(|x| x.strip_prefix("ferry.version="))
                        .unwrap()
                        .to_string();
                    self.clock += 1;
                    self.containers.push(FakeContainer {
                        name: name.to_string(),
                        running: !self.broken_images.contains(&image),
                        image,
                        version,
                        created: self.clock,
                    });
                    ok("")
                }
                other => panic!("unexpected command {other:?}"),
            }
        }
    }

    impl Remote for Fake {
        fn run(&self, cmd: &Cmd) -> Result<Output, SshError> {
            let mut d = self.0.lock().unwrap();
            d.log.push(cmd.shell());
            Ok(d.exec(&cmd.argv))
        }
        fn http_get(&self, _: u16, _: &str, _: Duration) -> Result<u16, SshError> {
            Ok(200)
        }
    }

    fn spec(version: &str) -> RunSpec {
        RunSpec {
            name: "app".into(),
            image: format!("app:{version}"),
            labels: vec![
                ("ferry.app".into(), "app".into()),
                ("ferry.version".into(), version.into()),
            ],
            ..Default::default()
        }
    }

    fn gate() -> Gate {
        Gate {
            path: None,
            port: None,
            timeout: Duration::from_millis(50),
            settle: Duration::ZERO,
            poll: Duration::from_millis(1),
        }
    }

    fn deploy(fake: &Fake, version: &str) -> Result<Option<String>, ReleaseError> {
        let events = Events::discard();
        let out = switch(
            fake,
            DockerCli::default(),
            "app",
            Incoming::New(spec(version)),
            &gate(),
            &events,
        );
        if out.is_ok() {
            prune(fake, DockerCli::default(), "app", None, &events).unwrap();
        }
        out
    }

    fn names(fake: &Fake) -> Vec<(String, bool)> {
        let d = fake.0.lock().unwrap();
        let mut v: Vec<_> = d
            .containers
            .iter()
            .map(|c| (c.name.clone(), c.running))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_new_release_replaces_the_running_one_and_keeps_it_stopped() {
        let fake = Fake(Mutex::new(FakeDocker::default()));
        assert_eq!(deploy(&fake, "1").unwrap(), None);
        assert_eq!(deploy(&fake, "2").unwrap(), Some("1".into()));
        assert_eq!(
            names(&fake),
            vec![("app".into(), true), ("app-1".into(), false)]
        );
    }

    #[test]
    fn a_crashing_release_is_removed_and_the_previous_one_restarted() {
        let fake = Fake(Mutex::new(FakeDocker::default()));
        deploy(&fake, "1").unwrap();
        fake.0.lock().unwrap().broken_images.push("app:2".into());
        let err = deploy(&fake, "2").unwrap_err();
        let ReleaseError::Unhealthy(d) = &err else {
            panic!("{err}")
        };
        assert_eq!(d.restored_previous.as_deref(), Some("1"));
        assert_eq!(d.log_tail, vec!["panic: boom".to_string()]);
        assert_eq!(names(&fake), vec![("app".into(), true)]);
        let d = fake.0.lock().unwrap();
        assert_eq!(d.containers[0].version, "1");
    }

    #[test]
    fn only_three_releases_are_kept() {
        let fake = Fake(Mutex::new(FakeDocker::default()));
        for v in ["1", "2", "3", "4", "5"] {
            deploy(&fake, v).unwrap();
        }
        assert_eq!(
            names(&fake),
            vec![
                ("app".into(), true),
                ("app-3".into(), false),
                ("app-4".into(), false)
            ]
        );
    }

    #[test]
    fn rollback_starts_the_newest_kept_release_and_discards_the_current() {
        let fake = Fake(Mutex::new(FakeDocker::default()));
        for v in ["1", "2", "3"] {
            deploy(&fake, v).unwrap();
        }
        let docker = DockerCli::default();
        let events = Events::discard();
        let (name, version) = rollback_target(&fake, docker, "app").unwrap();
        assert_eq!((name.as_str(), version.as_str()), ("app-2", "2"));
        let from = switch(&fake, docker, "app", Incoming::Kept(name), &gate(), &events).unwrap();
        assert_eq!(from.as_deref(), Some("3"));
        prune(&fake, docker, "app", Some("app-3"), &events).unwrap();
        assert_eq!(
            names(&fake),
            vec![("app".into(), true), ("app-1".into(), false)]
        );
        // And once more, to the first release; then there is nothing left.
        let (name, _) = rollback_target(&fake, docker, "app").unwrap();
        switch(&fake, docker, "app", Incoming::Kept(name), &gate(), &events).unwrap();
        prune(&fake, docker, "app", Some("app-2"), &events).unwrap();
        assert!(matches!(
            rollback_target(&fake, docker, "app"),
            Err(ReleaseError::NothingToRollBack(_))
        ));
    }

    #[test]
    fn a_failed_rollback_puts_the_current_release_back() {
        let fake = Fake(Mutex::new(FakeDocker::default()));
        deploy(&fake, "1").unwrap();
        deploy(&fake, "2").unwrap();
        fake.0.lock().unwrap().broken_images.push("app:1".into());
        let docker = DockerCli::default();
        let (name, _) = rollback_target(&fake, docker, "app").unwrap();
        let err = switch(
            &fake,
            docker,
            "app",
            Incoming::Kept(name),
            &gate(),
            &Events::discard(),
        );
        assert!(matches!(err, Err(ReleaseError::Unhealthy(_))));
        assert_eq!(
            names(&fake),
            vec![("app".into(), true), ("app-1".into(), false)]
        );
        assert_eq!(fake.0.lock().unwrap().find("app").unwrap().version, "2");
    }
}
