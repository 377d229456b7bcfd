//! The switch against a small in-memory imitation of a server's docker; its journal and lock
//! scripts run for real in a local `sh` (see `testing::LocalShell`).
use super::*;
use crate::adapters::remote::Cmd;
use crate::adapters::server::Remote;
use crate::adapters::ssh::{Output, SshError};
use crate::flows::lock;
use crate::testing::{FakeServer, LocalShell, Reply};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Debug)]
struct FakeContainer {
    name: String,
    image: String,
    version: String,
    running: bool,
    /// Published ports, as `docker run --publish` took them.
    ports: Vec<String>,
    restart: String,
}

/// How an image's containers behave.
#[derive(Clone, Copy, PartialEq)]
enum Behaviour {
    Healthy,
    Crashes,
    /// Runs but never answers HTTP.
    Hangs,
}

#[derive(Default)]
struct FakeDocker {
    containers: Vec<FakeContainer>,
    behaviour: Vec<(String, Behaviour)>,
    /// Every docker command, in order (without the `docker`).
    log: Vec<String>,
}

/// The scripted server, whose docker commands go to the imitation and the rest to a local
/// shell.
struct Fake {
    server: FakeServer,
    docker: Arc<Mutex<FakeDocker>>,
    shell: Arc<LocalShell>,
}

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

fn ip_of(name: &str) -> String {
    format!("172.17.0.{}", name.len())
}

impl FakeDocker {
    fn find(&mut self, name: &str) -> Option<&mut FakeContainer> {
        self.containers.iter_mut().find(|c| c.name == name)
    }

    fn behaviour(&self, image: &str) -> Behaviour {
        self.behaviour
            .iter()
            .find(|(i, _)| i == image)
            .map_or(Behaviour::Healthy, |(_, b)| *b)
    }

    fn start(&mut self, name: &str) -> Output {
        let others_ports: Vec<String> = self
            .containers
            .iter()
            .filter(|c| c.running && c.name != name)
            .flat_map(|c| c.ports.clone())
            .collect();
        let behaviour = {
            let image = self.find(name).unwrap().image.clone();
            self.behaviour(&image)
        };
        let c = self.find(name).unwrap();
        if c.ports.iter().any(|p| others_ports.contains(p)) {
            return fail("Bind for 0.0.0.0:8080 failed: port is already allocated");
        }
        c.running = behaviour != Behaviour::Crashes;
        ok("")
    }

    fn create(&mut self, rest: &[&str], running: bool) -> Output {
        let mut ports = Vec::new();
        let mut name = String::new();
        let mut version = String::new();
        let mut restart = "no".to_string();
        let mut i = 0;
        while i < rest.len() {
            match rest[i] {
                "--name" => name = rest[i + 1].to_string(),
                "--publish" => ports.push(rest[i + 1].to_string()),
                "--restart" => restart = rest[i + 1].to_string(),
                "--label" => {
                    if let Some(v) = rest[i + 1].strip_prefix("ferry.version=") {
                        version = v.to_string();
                    }
                }
                "--detach" => {
                    i += 1;
                    continue;
                }
                _ => {
                    i += 1;
                    continue;
                }
            }
            i += 2;
        }
        let image = rest.last().unwrap().to_string();
        assert!(
            self.find(&name).is_none(),
            "a container named {name} exists"
        );
        self.containers.push(FakeContainer {
            name: name.clone(),
            image,
            version,
            running: false,
            ports,
            restart,
        });
        if running {
            return self.start(&name);
        }
        ok("")
    }

    fn exec(&mut self, argv: &[String]) -> Output {
        let a: Vec<&str> = argv.iter().map(String::as_str).collect();
        match a.as_slice() {
            ["container", "inspect", name] => match self.find(name) {
                Some(c) => ok(&format!(
                    r#"[{{"Name":"/{}","Config":{{"Image":"{}","Labels":{}}},"State":{{"Running":{},"ExitCode":{}}},"NetworkSettings":{{"IPAddress":"{}"}}}}]"#,
                    c.name,
                    c.image,
                    if c.version.is_empty() {
                        "{}".to_string()
                    } else {
                        format!(r#"{{"ferry.app":"app","ferry.version":"{}"}}"#, c.version)
                    },
                    c.running,
                    if c.running { 0 } else { 2 },
                    ip_of(&c.name),
                )),
                None => fail("Error: No such container: x"),
            },
            ["ps", ..] => {
                let mut rows = String::new();
                for c in &self.containers {
                    rows.push_str(&format!(
                        r#"{{"ID":"id-{}","Names":"{}","Image":"{}","State":"{}","Status":"x","CreatedAt":"2026","Labels":"ferry.app=app,ferry.version={}"}}"#,
                        c.name,
                        c.name,
                        c.image,
                        if c.running { "running" } else { "exited" },
                        c.version
                    ));
                    rows.push('\n');
                }
                ok(&rows)
            }
            ["stop", "--time", "10", name] => {
                self.find(name).unwrap().running = false;
                ok("")
            }
            ["start", name] => self.start(name),
            ["rename", from, to] => {
                assert!(self.find(to).is_none(), "rename onto an existing name {to}");
                self.find(from).unwrap().name = to.to_string();
                ok("")
            }
            ["rm", "--force", name] => {
                self.containers.retain(|c| c.name != *name);
                ok("")
            }
            ["update", "--restart", policy, name] => {
                self.find(name).unwrap().restart = policy.to_string();
                ok("")
            }
            ["image", "rm", _] => ok(""),
            ["logs", ..] => ok("panic: boom\n"),
            ["run", rest @ ..] => self.create(rest, true),
            ["create", rest @ ..] => self.create(rest, false),
            other => panic!("unexpected command {other:?}"),
        }
    }
}

impl FakeDocker {
    /// Whether a running container at `addr:port` (published, or its own address) answers.
    fn http_get(&self, addr: &str, port: u16) -> Result<u16, SshError> {
        let answering = self.containers.iter().find(|c| {
            c.running
                && if addr == "127.0.0.1" {
                    c.ports.iter().any(|p| p.starts_with(&format!("{port}:")))
                } else {
                    ip_of(&c.name) == addr
                }
        });
        match answering.map(|c| c.image.clone()) {
            Some(image) if self.behaviour(&image) == Behaviour::Healthy => Ok(200),
            _ => Err(SshError::PortClosed {
                host: "srv".into(),
                addr: addr.into(),
                port,
            }),
        }
    }
}

fn fake() -> Fake {
    let docker = Arc::new(Mutex::new(FakeDocker::default()));
    let shell = Arc::new(LocalShell::new());
    let (d, sh) = (docker.clone(), shell.clone());
    let answer = move |cmd: &Cmd| {
        if cmd.argv[0] != "docker" {
            return sh.run(cmd);
        }
        let mut d = d.lock().unwrap();
        d.log.push(cmd.argv[1..].join(" "));
        Ok(d.exec(&cmd.argv[1..]))
    };
    let d = docker.clone();
    let server = FakeServer::new()
        .otherwise(answer)
        .http(move |addr, port, _| d.lock().unwrap().http_get(addr, port));
    Fake {
        server,
        docker,
        shell,
    }
}

/// Commands containing `needle` fail as a server error once `passes` more went through.
fn fail_after(fake: &Fake, needle: &str, passes: usize) {
    let needle = needle.to_string();
    let replies = std::iter::repeat_with(|| Reply::Pass)
        .take(passes)
        .chain([Reply::fail(
            1,
            "Cannot connect to the Docker daemon. Is the docker daemon running?",
        )]);
    fake.server
        .script(move |c| c.shell().contains(needle.as_str()), replies);
}

/// The connection goes for good at the first command containing `needle`.
fn disconnect_on(fake: &Fake, needle: &str) {
    let needle = needle.to_string();
    fake.server
        .script(move |c| c.shell().contains(needle.as_str()), [Reply::Lost]);
}

fn spec(version: &str) -> RunSpec {
    RunSpec {
        name: "app".into(),
        image: format!("app:{version}"),
        labels: vec![
            ("ferry.app".into(), "app".into()),
            ("ferry.version".into(), version.into()),
        ],
        ports: vec!["18080:8080".into()],
        restart: Some("unless-stopped".into()),
        ..Default::default()
    }
}

fn gate() -> Gate {
    Gate {
        path: Some("/healthz".into()),
        port: Some(18080),
        host_ip: None,
        container_port: Some(8080),
        timeout: Duration::from_millis(60),
        settle: Duration::ZERO,
        poll: Duration::from_millis(1),
    }
}

fn switch_to(
    fake: &Fake,
    incoming: Incoming,
    strategy: Strategy,
    cancel: &CancellationToken,
) -> Result<Option<String>, ReleaseError> {
    switch_with(fake, incoming, strategy, cancel, &gate())
}

fn switch_with(
    fake: &Fake,
    incoming: Incoming,
    strategy: Strategy,
    cancel: &CancellationToken,
    gate: &Gate,
) -> Result<Option<String>, ReleaseError> {
    let events = Events::discard();
    let held = lock::acquire(&fake.server, "app", "deploy:test", &events).unwrap();
    let switcher = Switcher {
        remote: &fake.server,
        docker: DockerCli::default(),
        app: "app",
        events: &events,
        cancel,
        lock: &held,
        // The tests do not wait for an engine to come back.
        restore_for: Duration::ZERO,
    };
    let out = switcher.switch(incoming, strategy, gate);
    if fake.server.is_lost() {
        held.abandon();
    }
    out
}

fn deploy_with(
    fake: &Fake,
    version: &str,
    strategy: Strategy,
) -> Result<Option<String>, ReleaseError> {
    let out = switch_to(
        fake,
        Incoming::New(spec(version)),
        strategy,
        &CancellationToken::new(),
    );
    if let Ok(previous) = &out {
        let spare = previous.as_deref().map(|v| kept_name("app", v));
        let retain = Retain {
            keep: KEEP_RELEASES,
            discard: None,
            spare: spare.as_deref(),
        };
        prune(
            &fake.server,
            DockerCli::default(),
            "app",
            &retain,
            &Events::discard(),
        )
        .unwrap();
    }
    out
}

fn deploy(fake: &Fake, version: &str) -> Result<Option<String>, ReleaseError> {
    deploy_with(fake, version, Strategy::StartFirst)
}

fn set(fake: &Fake, image: &str, b: Behaviour) {
    fake.docker
        .lock()
        .unwrap()
        .behaviour
        .push((image.into(), b));
}

/// (name, version, running), sorted.
fn state(fake: &Fake) -> Vec<(String, String, bool)> {
    let d = fake.docker.lock().unwrap();
    let mut v: Vec<_> = d
        .containers
        .iter()
        .map(|c| (c.name.clone(), c.version.clone(), c.running))
        .collect();
    v.sort();
    v
}

fn serving(_: &Fake) -> Vec<(String, String, bool)> {
    vec![("app".into(), "1".into(), true)]
}

fn log(fake: &Fake) -> Vec<String> {
    fake.docker.lock().unwrap().log.clone()
}

fn journal_exists(fake: &Fake) -> bool {
    fake.shell
        .home
        .path()
        .join(".ferry/switch/app.json")
        .exists()
}

fn clear_log(fake: &Fake) {
    fake.docker.lock().unwrap().log.clear();
}

#[test]
fn a_new_release_is_checked_beside_the_running_one_before_it_takes_over() {
    let fake = fake();
    assert_eq!(deploy(&fake, "1").unwrap(), None);
    clear_log(&fake);
    assert_eq!(deploy(&fake, "2").unwrap(), Some("1".into()));
    assert_eq!(
        state(&fake),
        vec![
            ("app".into(), "2".into(), true),
            ("app-1".into(), "1".into(), false)
        ]
    );
    let log = log(&fake);
    let pos = |needle: &str| {
        log.iter()
            .position(|l| l.starts_with(needle))
            .unwrap_or_else(|| panic!("no `{needle}` in {log:#?}"))
    };
    // The candidate runs without published ports, and is gone before the old one stops.
    let candidate = &log[pos("run --detach --name app-2-candidate")];
    assert!(!candidate.contains("--publish"), "{candidate}");
    assert!(pos("rm --force app-2-candidate") < pos("stop --time 10 app"));
    assert!(pos("create --name app-2-next") < pos("stop --time 10 app"));
    assert!(pos("stop --time 10 app") < pos("start app-2-next"));
    assert!(pos("start app-2-next") < pos("rename app app-1"));
    assert!(pos("rename app app-1") < pos("rename app-2-next app"));
    // Health: the candidate at its own address, the new release at its published port.
    let http = fake.server.http_asked();
    assert_eq!(
        http[http.len() - 2..],
        [
            format!("{}:8080/healthz", ip_of("app-2-candidate")),
            "127.0.0.1:18080/healthz".into()
        ]
    );
    // A kept release does not restart by itself with the engine.
    assert!(log.contains(&"update --restart no app-1".to_string()));
    assert!(!journal_exists(&fake));
}

#[test]
fn with_nothing_running_the_new_release_starts_at_once_without_a_candidate() {
    let fake = fake();
    assert_eq!(deploy(&fake, "1").unwrap(), None);
    let log = log(&fake);
    assert!(
        !log.iter()
            .any(|l| l.starts_with("run") && l.contains("candidate")),
        "nothing to keep serving: {log:#?}"
    );
    assert!(
        log.iter()
            .any(|l| l.starts_with("create --name app-1-next")),
        "{log:#?}"
    );
    assert_eq!(
        fake.server.http_asked(),
        vec!["127.0.0.1:18080/healthz".to_string()]
    );
    assert_eq!(state(&fake), vec![("app".into(), "1".into(), true)]);
}

#[test]
fn a_crashing_or_hanging_release_never_stops_the_running_one() {
    for (b, cause) in [
        (Behaviour::Crashes, "stopped"),
        (Behaviour::Hangs, "did not pass"),
    ] {
        let fake = fake();
        deploy(&fake, "1").unwrap();
        set(&fake, "app:2", b);
        clear_log(&fake);
        let err = deploy(&fake, "2").unwrap_err();
        let ReleaseError::Unhealthy(d) = &err else {
            panic!("{err}")
        };
        assert_eq!(d.restored_previous.as_deref(), Some("1"));
        assert!(d.previous_untouched);
        assert!(
            err.to_string().contains("release 1 was never stopped"),
            "{err}"
        );
        assert!(d.summary.to_string().contains(cause), "{}", d.summary);
        assert_eq!(state(&fake), serving(&fake));
        assert!(
            !log(&fake).iter().any(|l| l.starts_with("stop")),
            "{:#?}",
            log(&fake)
        );
        assert!(!journal_exists(&fake));
    }
}

#[test]
fn stop_first_stops_the_old_release_first_and_restarts_it_when_the_new_one_fails() {
    let fake = fake();
    deploy_with(&fake, "1", Strategy::StopFirst).unwrap();
    clear_log(&fake);
    deploy_with(&fake, "2", Strategy::StopFirst).unwrap();
    let log2 = log(&fake);
    assert!(
        !log2
            .iter()
            .any(|l| l.starts_with("run --detach --name app-2-candidate")),
        "{log2:#?}"
    );
    set(&fake, "app:3", Behaviour::Crashes);
    let err = deploy_with(&fake, "3", Strategy::StopFirst).unwrap_err();
    let ReleaseError::Unhealthy(d) = &err else {
        panic!("{err}")
    };
    assert_eq!(d.restored_previous.as_deref(), Some("2"));
    assert!(!d.previous_untouched);
    assert_eq!(d.log_tail, vec!["panic: boom".to_string()]);
    assert_eq!(
        state(&fake),
        vec![
            ("app".into(), "2".into(), true),
            ("app-1".into(), "1".into(), false)
        ]
    );
}

#[test]
fn a_server_error_during_the_health_wait_puts_the_previous_release_back() {
    for strategy in [Strategy::StartFirst, Strategy::StopFirst] {
        let fake = fake();
        deploy(&fake, "1").unwrap();
        set(&fake, "app:2", Behaviour::Hangs);
        // The engine goes away while the new release is being inspected, then comes back.
        fail_after(&fake, "inspect app-2", 1);
        let err = deploy_with(&fake, "2", strategy).unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(
                &err,
                ReleaseError::Interrupted {
                    cause: Cause::Failed(_),
                    outcome: Outcome::Restored(Some(v)),
                    ..
                } if v == "1"
            ),
            "{strategy:?}: {msg}"
        );
        assert!(msg.contains("release 1 serves again"), "{msg}");
        assert_eq!(state(&fake), serving(&fake), "{strategy:?}");
        assert!(!journal_exists(&fake));
    }
}

#[test]
fn a_failure_of_any_step_after_the_stop_restores_the_previous_release() {
    for step in [
        "create --name app-2-next",
        "stop --time 10 app",
        "start app-2-next",
    ] {
        let fake = fake();
        deploy(&fake, "1").unwrap();
        fail_after(&fake, step, 0);
        let err = deploy(&fake, "2").unwrap_err();
        assert_eq!(state(&fake), serving(&fake), "{step}: {err}");
        assert!(!journal_exists(&fake), "{step}");
    }
}

#[test]
fn a_switch_that_fails_after_its_health_check_is_completed_once_the_server_answers() {
    for step in ["rename app app-1", "rename app-2-next app"] {
        let fake = fake();
        deploy(&fake, "1").unwrap();
        fail_after(&fake, step, 0);
        let err = deploy(&fake, "2").unwrap_err();
        assert!(
            matches!(
                &err,
                ReleaseError::Interrupted {
                    outcome: Outcome::Pending { .. },
                    ..
                }
            ),
            "{step}: {err}"
        );
        assert!(journal_exists(&fake), "{step}");
        fake.server.forget_rules();
        let outcome = finish_interrupted(
            &fake.server,
            DockerCli::default(),
            "app",
            &Events::discard(),
        )
        .unwrap();
        assert_eq!(
            outcome.map(|r| r.outcome),
            Some(Outcome::Completed("2".into())),
            "{step}"
        );
        assert_eq!(
            state(&fake),
            vec![
                ("app".into(), "2".into(), true),
                ("app-1".into(), "1".into(), false)
            ],
            "{step}"
        );
    }
}

#[test]
fn a_cancel_during_the_switch_abandons_the_new_release() {
    let fake = fake();
    deploy(&fake, "1").unwrap();
    set(&fake, "app:2", Behaviour::Hangs);
    let cancel = CancellationToken::new();
    let c = cancel.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        c.cancel();
    });
    let mut g = gate();
    g.timeout = Duration::from_secs(30);
    let err = switch_with(
        &fake,
        Incoming::New(spec("2")),
        Strategy::StopFirst,
        &cancel,
        &g,
    )
    .unwrap_err();
    canceller.join().unwrap();
    assert!(
        matches!(
            &err,
            ReleaseError::Interrupted {
                cause: Cause::Cancelled,
                outcome: Outcome::Restored(Some(_)),
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("cancelled: the new release was abandoned; release 1 serves again"),
        "{err}"
    );
    assert_eq!(state(&fake), serving(&fake));
}

#[test]
fn a_switch_whose_connection_never_came_back_is_finished_by_the_next_command() {
    let fake = fake();
    deploy(&fake, "1").unwrap();
    set(&fake, "app:2", Behaviour::Hangs);
    // The connection drops for good once the old release was stopped.
    disconnect_on(&fake, "start app-2-next");
    let err = deploy_with(&fake, "2", Strategy::StopFirst).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(
            &err,
            ReleaseError::Interrupted {
                outcome: Outcome::Pending { .. },
                ..
            }
        ),
        "{msg}"
    );
    assert!(msg.contains("the next `ferry` command for `app`"), "{msg}");
    assert!(journal_exists(&fake), "the server keeps the record");
    assert_eq!(
        state(&fake)[0],
        ("app".into(), "1".into(), false),
        "the old release is down"
    );

    // The next command (here: from a process that sees the old lock as its own machine's,
    // dead Ferry) finds the record and puts release 1 back before anything else.
    fake.server.restore_connection();
    fake.server.forget_rules();
    let collector = std::sync::Arc::new(crate::events::Collector::default());
    let outcome = finish_interrupted(
        &fake.server,
        DockerCli::default(),
        "app",
        &Events::new(collector.clone()),
    )
    .unwrap();
    assert_eq!(
        outcome.map(|r| r.outcome),
        Some(Outcome::Restored(Some("1".into())))
    );
    assert_eq!(state(&fake), serving(&fake));
    assert!(!journal_exists(&fake));
    let said = format!("{:?}", collector.events());
    assert!(said.contains("putting release 1 back"), "{said}");
    // And nothing to do the next time.
    assert_eq!(
        finish_interrupted(
            &fake.server,
            DockerCli::default(),
            "app",
            &Events::discard()
        )
        .unwrap(),
        None
    );
}

#[test]
fn only_three_releases_are_kept_and_leftovers_of_a_switch_are_removed() {
    let fake = fake();
    for v in ["1", "2", "3", "4"] {
        deploy(&fake, v).unwrap();
    }
    // A candidate some killed Ferry left without a record.
    fake.docker.lock().unwrap().exec(
        &[
            "create",
            "--name",
            "app-9-candidate",
            "--label",
            "ferry.version=9",
            "app:9",
        ]
        .map(String::from),
    );
    deploy(&fake, "5").unwrap();
    assert_eq!(
        state(&fake),
        vec![
            ("app".into(), "5".into(), true),
            ("app-3".into(), "3".into(), false),
            ("app-4".into(), "4".into(), false)
        ]
    );
}

#[test]
fn rollback_picks_the_newest_version_and_a_failed_one_puts_the_current_back() {
    let fake = fake();
    for v in ["20261201-100000", "20261201-110000", "20261201-120000"] {
        deploy(&fake, v).unwrap();
    }
    let docker = DockerCli::default();
    let (name, version) = rollback_target(&fake.server, docker, "app", None).unwrap();
    assert_eq!(version, "20261201-110000");
    let incoming = Incoming::Kept {
        name,
        version,
        restart: Some("unless-stopped".into()),
    };
    let from = switch_to(
        &fake,
        incoming,
        Strategy::StartFirst,
        &CancellationToken::new(),
    )
    .unwrap();
    assert_eq!(from.as_deref(), Some("20261201-120000"));
    let retain = Retain {
        keep: KEEP_RELEASES,
        discard: Some("app-20261201-120000"),
        spare: None,
    };
    prune(&fake.server, docker, "app", &retain, &Events::discard()).unwrap();
    assert_eq!(
        state(&fake),
        vec![
            ("app".into(), "20261201-110000".into(), true),
            (
                "app-20261201-100000".into(),
                "20261201-100000".into(),
                false
            )
        ]
    );
    // The kept one runs with the configured restart policy again.
    assert_eq!(
        fake.docker.lock().unwrap().find("app").unwrap().restart,
        "unless-stopped"
    );

    set(&fake, "app:20261201-100000", Behaviour::Crashes);
    let (name, version) = rollback_target(&fake.server, docker, "app", None).unwrap();
    let incoming = Incoming::Kept {
        name,
        version,
        restart: None,
    };
    let err = switch_to(
        &fake,
        incoming,
        Strategy::StartFirst,
        &CancellationToken::new(),
    );
    assert!(matches!(err, Err(ReleaseError::Unhealthy(_))), "{err:?}");
    assert_eq!(
        state(&fake),
        vec![
            ("app".into(), "20261201-110000".into(), true),
            (
                "app-20261201-100000".into(),
                "20261201-100000".into(),
                false
            )
        ]
    );
}

#[test]
fn a_container_ferry_did_not_start_is_left_alone() {
    let fake = fake();
    fake.docker.lock().unwrap().containers.push(FakeContainer {
        name: "app".into(),
        image: "nginx".into(),
        version: String::new(),
        running: true,
        ports: vec![],
        restart: "no".into(),
    });
    // The fake labels every container; an empty version stands for "no ferry.version".
    let err = deploy(&fake, "1");
    assert!(err.is_err());
    assert!(log(&fake).iter().all(|l| !l.starts_with("stop")));
}

#[test]
fn rollback_to_a_version_finds_exactly_it_and_names_the_kept_ones_otherwise() {
    let fake = fake();
    for v in ["20261201-100000", "20261201-110000", "20261201-120000"] {
        deploy(&fake, v).unwrap();
    }
    let docker = DockerCli::default();
    let target = |to| rollback_target(&fake.server, docker, "app", Some(to));
    assert_eq!(
        target("20261201-100000").unwrap(),
        ("app-20261201-100000".into(), "20261201-100000".into())
    );
    assert!(matches!(
        target("20261201-120000"),
        Err(ReleaseError::AlreadyRunning { .. })
    ));
    match target("20250101-000000") {
        Err(ReleaseError::NoSuchRelease { kept, .. }) => {
            assert_eq!(kept, ["20261201-110000", "20261201-100000"])
        }
        other => panic!("{other:?}"),
    }
}

fn summary(name: &str, version: &str) -> ContainerSummary {
    ContainerSummary {
        id: format!("id-{name}"),
        name: name.into(),
        image: format!("app:{version}"),
        state: "exited".into(),
        status: String::new(),
        created_at: String::new(),
        version: Some(version.into()),
        deployed_by: None,
    }
}

#[test]
fn a_prune_keeps_the_newest_and_the_spared_release_and_removes_strays() {
    // Running 1 (switched to it), kept 5, 4, 3, 2 (newest first), and a stray candidate.
    let releases = vec![
        summary("app-5", "5"),
        summary("app-4", "4"),
        summary("app-3", "3"),
        summary("app-2", "2"),
        summary("app", "1"),
    ];
    let mut all = releases.clone();
    all.push(summary("app-6-candidate", "6"));
    // Someone's own container from the app's image: it has the image's labels, no version.
    all.push(ContainerSummary {
        version: None,
        ..summary("debug-shell", "")
    });
    let names = |retain: Retain| -> Vec<String> {
        doomed(&all, &releases, "app", &retain)
            .into_iter()
            .map(|c| c.name)
            .collect()
    };
    let keep = |keep, discard, spare| Retain {
        keep,
        discard,
        spare,
    };
    assert_eq!(
        names(keep(3, None, None)),
        ["app-3", "app-2", "app-6-candidate"]
    );
    // The release that ran until the switch stays, in one of the places.
    assert_eq!(
        names(keep(3, None, Some("app-2"))),
        ["app-4", "app-3", "app-6-candidate"]
    );
    assert_eq!(
        names(keep(3, Some("app-5"), None)),
        ["app-5", "app-2", "app-6-candidate"]
    );
    assert_eq!(
        names(keep(1, None, None)),
        ["app-5", "app-4", "app-3", "app-2", "app-6-candidate"]
    );
    assert_eq!(
        names(keep(1, None, Some("app-2"))),
        ["app-5", "app-4", "app-3", "app-2", "app-6-candidate"],
        "no room to spare one"
    );
    assert_eq!(names(keep(10, None, None)), ["app-6-candidate"]);
}
