//! What a user sees when a deploy meets the ordinary faults of real servers and real people:
//! releases that crash or hang, Ctrl-C, a killed `ferry`, a cut connection, an engine that
//! restarts, two deploys at once. In every case the previous release keeps (or is soon back
//! to) serving, nothing stays stuck, and Ferry says what happened.
//!
//! These tests cut links and restart the server's engine, so they take turns (one lock), and
//! lines starting with `MEASURED` are what the closing notes report.

use ferry_e2e::{eventually, ferry_toml, http_get, Poller, Project, Testbed};
use std::sync::Mutex;
use std::time::{Duration, Instant};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

/// The testbed project, with `extra` in its `[container]` section.
fn project(tb: &Testbed, app: &str, port: u16, extra: &str) -> Project {
    let p = tb.project(app, port, "");
    if !extra.is_empty() {
        p.edit("memory = \"128m\"", &format!("memory = \"128m\"\n{extra}"));
    }
    p
}

/// An app whose first release runs; later releases get two minutes to pass their health check
/// (a hanging one is still being checked when the test acts). The project, the first
/// release's answer and its version.
fn deployed(tb: &Testbed, app: &str, port: u16, extra: &str) -> (Project, String, String) {
    let p = project(tb, app, port, extra);
    p.edit("timeout_secs = 20", "timeout_secs = 120");
    p.ferry(&["deploy"]).assert_ok();
    let first = version(&p);
    (p, format!("hello from {app}"), first)
}

/// The next release greets with `greeting` (and a new version: versions are seconds).
fn next_greeting(p: &Project, greeting: &str) {
    let toml = std::fs::read_to_string(p.path("ferry.toml")).unwrap();
    let line = toml
        .lines()
        .find(|l| l.starts_with("env = "))
        .unwrap()
        .to_string();
    p.write(
        "ferry.toml",
        &toml.replace(&line, &format!("env = {{ GREETING = \"{greeting}\" }}")),
    );
    std::thread::sleep(Duration::from_millis(1100));
}

/// The next release runs but never answers its health check (it listens on another port).
fn next_hangs(p: &Project) {
    let toml = std::fs::read_to_string(p.path("ferry.toml")).unwrap();
    let line = toml
        .lines()
        .find(|l| l.starts_with("env = "))
        .unwrap()
        .to_string();
    p.write(
        "ferry.toml",
        &toml.replace(&line, "env = { GREETING = \"hung\", PORT = \"9999\" }"),
    );
    std::thread::sleep(Duration::from_millis(1100));
}

/// Starts a deploy of a release that never answers, and returns once it is being checked.
fn hanging_deploy(p: &Project, env: &[(&str, &str)]) -> ferry_e2e::Background {
    next_hangs(p);
    let mut deploy = p.ferry_background_env(&["deploy", "--json"], env);
    deploy.wait_for("waiting for GET", Duration::from_secs(180));
    deploy
}

fn answer(tb: &Testbed, port: u16) -> Option<String> {
    match http_get(tb.server_host(), port, "/") {
        Ok((200, body)) => Some(body.trim_end().to_string()),
        _ => None,
    }
}

fn version(p: &Project) -> String {
    let run = p.ferry(&["status", "--json"]);
    run.assert_ok();
    let events = run.events();
    let status = events
        .iter()
        .find(|e| e["event"] == "data" && e["kind"] == "status")
        .expect("a status event");
    status["data"]["version"]
        .as_str()
        .unwrap_or("-")
        .to_string()
}

/// Nothing of the app is stuck on the server: no switch record, no lock.
fn nothing_stuck(tb: &Testbed, app: &str) {
    let home = tb.server_home(tb.get("FERRY_TB_SERVER_USER"));
    let record = home.join(format!(".ferry/switch/{app}.json"));
    let lock = home.join(format!(".ferry/locks/{app}.lock"));
    assert!(!record.exists(), "{} is left", record.display());
    assert!(!lock.exists(), "{} is left", lock.display());
}

#[test]
fn a_crashing_and_a_hanging_release_never_interrupt_the_running_one() {
    let _one = serial();
    let tb = Testbed::load();
    let (app, port) = ("e2e-f-nodown", 18801);
    let p = project(&tb, app, port, "");
    p.edit("timeout_secs = 20", "timeout_secs = 8");
    p.ferry(&["deploy"]).assert_ok();
    let serving = format!("hello from {app}");
    let poll = Poller::start(tb.server_host(), port);

    // A release that dies at start-up.
    p.write(
        "crash.go",
        "package main\n\nfunc init() { panic(\"boom: config file missing\") }\n",
    );
    std::thread::sleep(Duration::from_millis(1100));
    let run = p.ferry(&["deploy"]);
    run.assert_fails_with("was never stopped and still serves");
    std::fs::remove_file(p.path("crash.go")).unwrap();

    // A release that runs but never answers.
    next_hangs(&p);
    let run = p.ferry(&["deploy"]);
    run.assert_fails_with("was never stopped and still serves");
    assert!(run.error_line().contains("8 s"), "{}", run.error_line());

    let polled = poll.stop();
    eprintln!("MEASURED crashing + hanging release: {}", polled.summary());
    assert_eq!(polled.failed(), 0, "{:?}", polled.0);
    assert_eq!(polled.bodies(), vec![serving]);
    nothing_stuck(&tb, app);
}

#[test]
fn a_good_switch_is_seen_by_users_as_one_change_of_answer() {
    let _one = serial();
    let tb = Testbed::load();
    let (app, port) = ("e2e-f-gap", 18802);
    let p = project(&tb, app, port, "");
    p.ferry(&["deploy"]).assert_ok();
    for round in 1..=3 {
        next_greeting(&p, &format!("v{round}"));
        let before = answer(&tb, port).unwrap();
        let poll = Poller::start(tb.server_host(), port);
        p.ferry(&["deploy"]).assert_ok();
        std::thread::sleep(Duration::from_millis(1500));
        let polled = poll.stop();
        eprintln!(
            "MEASURED good switch (start-first), round {round}: {}",
            polled.summary()
        );
        // The old answer until the switch, then the new one: never back and forth.
        assert_eq!(polled.bodies(), vec![before, format!("v{round}")]);
    }
    // The same with stop-first, for comparison.
    p.edit(
        "memory = \"128m\"",
        "memory = \"128m\"\nstrategy = \"stop-first\"",
    );
    next_greeting(&p, "stop-first");
    let poll = Poller::start(tb.server_host(), port);
    p.ferry(&["deploy"]).assert_ok();
    std::thread::sleep(Duration::from_millis(1500));
    let polled = poll.stop();
    eprintln!("MEASURED good switch (stop-first): {}", polled.summary());
    assert_eq!(polled.bodies().last().unwrap(), "stop-first");
    nothing_stuck(&tb, app);
}

#[test]
fn ctrl_c_during_the_health_check_brings_the_previous_release_back_and_frees_the_lock() {
    let _one = serial();
    let tb = Testbed::load();
    for (strategy, port) in [("start-first", 18803), ("stop-first", 18804)] {
        let app = format!("e2e-f-ctrlc-{strategy}");
        let (p, serving, first) = deployed(&tb, &app, port, &format!("strategy = \"{strategy}\""));
        let deploy = hanging_deploy(&p, &[]);
        std::thread::sleep(Duration::from_secs(1));
        let interrupted = Instant::now();
        deploy.signal("INT");
        let back = eventually(Duration::from_secs(30), || {
            answer(&tb, port).as_deref() == Some(&serving)
        });
        let answering_after = interrupted.elapsed();
        let (code, out) = deploy.wait(Duration::from_secs(60));
        eprintln!(
            "MEASURED Ctrl-C to the previous release answering ({strategy}): {:.1} s, ferry \
             exited after {:.1} s",
            answering_after.as_secs_f32(),
            interrupted.elapsed().as_secs_f32()
        );
        assert!(back, "{strategy}: the previous release does not answer");
        assert_eq!(code, Some(130), "{strategy}: {out}");
        assert!(
            out.contains("stopping: a release switch under way"),
            "{out}"
        );
        assert!(
            out.contains(&format!(
                "cancelled: the new release was abandoned; release {first} serves again"
            )),
            "{strategy}: {out}"
        );
        nothing_stuck(&tb, &app);
        // Nothing blocks the next command.
        assert_eq!(version(&p), first);
        let run = p.ferry(&["rollback"]);
        run.assert_fails_with("no previous release");
    }
}

#[test]
fn a_killed_ferry_at_any_step_leaves_the_app_answering_and_nothing_stuck() {
    let _one = serial();
    let tb = Testbed::load();
    let (app, port) = ("e2e-f-kill", 18805);
    let (p, serving, first) = deployed(&tb, app, port, "");
    for (strategy, marker) in [
        ("start-first", r#""step":"build""#),
        ("start-first", r#""step":"transfer""#),
        ("start-first", "waiting for GET"),
        ("stop-first", "waiting for GET"),
    ] {
        let toml = std::fs::read_to_string(p.path("ferry.toml")).unwrap();
        let toml = toml
            .lines()
            .filter(|l| !l.starts_with("strategy ="))
            .collect::<Vec<_>>()
            .join("\n");
        p.write(
            "ferry.toml",
            &toml.replace(
                "memory = \"128m\"",
                &format!("memory = \"128m\"\nstrategy = \"{strategy}\""),
            ),
        );
        next_hangs(&p);
        let mut deploy = p.ferry_background(&["deploy", "--json"]);
        deploy.wait_for(marker, Duration::from_secs(180));
        deploy.signal("KILL");
        let (code, _) = deploy.wait(Duration::from_secs(10));
        assert_eq!(code, None, "killed");

        // The next command of any kind finishes what the killed one left, first.
        let status = p.ferry(&["status"]);
        status.assert_ok();
        if strategy == "stop-first" {
            assert!(
                status
                    .stderr
                    .contains(&format!("putting release {first} back")),
                "{}",
                status.stderr
            );
        }
        assert_eq!(
            answer(&tb, port).as_deref(),
            Some(serving.as_str()),
            "after a kill at {marker} ({strategy})"
        );
        assert_eq!(version(&p), first, "after a kill at {marker}");
        nothing_stuck(&tb, app);
    }
    // And a good deploy goes through at once: the dead deploy's lock was this machine's.
    next_greeting(&p, "after the kills");
    p.ferry(&["deploy"]).assert_ok();
    assert_eq!(answer(&tb, port).as_deref(), Some("after the kills"));
}

/// Kills the sshd processes serving `ferry`'s connections: its connection breaks.
fn cut_connections_of(tb: &Testbed, ferry_pid: u32) {
    let pids = sshd_sessions_of(tb, ferry_pid);
    assert!(!pids.is_empty(), "no sshd session found for ferry");
    for pid in &pids {
        // A session's processes may go together: one already gone is fine.
        let _ = std::process::Command::new("kill")
            .args(["-KILL", pid])
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// The ssh session processes (sshd's, on the server) serving `ferry`'s connections.
fn sshd_sessions_of(tb: &Testbed, ferry_pid: u32) -> Vec<String> {
    let host = std::process::Command::new("ss")
        .args(["-tnpH", "state", "established"])
        .output()
        .unwrap();
    let ports: Vec<String> = String::from_utf8_lossy(&host.stdout)
        .lines()
        .filter(|l| l.contains(&format!("pid={ferry_pid},")) && l.contains(":22 "))
        .filter_map(|l| l.split_whitespace().nth(2))
        .filter_map(|local| local.rsplit(':').next().map(str::to_string))
        .collect();
    let srv = tb.in_server_ns(&["ss", "-tnpH", "state", "established"]);
    let mut pids = Vec::new();
    for line in String::from_utf8_lossy(&srv.stdout).lines() {
        if ports.iter().any(|p| line.contains(&format!(":{p} "))) {
            for part in line.split("pid=").skip(1) {
                pids.push(part.split(',').next().unwrap().to_string());
            }
        }
    }
    pids
}

#[test]
fn a_connection_cut_during_the_switch_is_reopened_and_the_previous_release_put_back() {
    let _one = serial();
    let tb = Testbed::load();
    let (app, port) = ("e2e-f-cut", 18806);
    let (p, serving, first) = deployed(&tb, app, port, "strategy = \"stop-first\"");

    // The connection breaks (its sshd dies) while the new release is being checked.
    let deploy = hanging_deploy(&p, &[]);
    cut_connections_of(&tb, deploy.pid());
    let (code, out) = deploy.wait(Duration::from_secs(120));
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!("release {first} serves again")),
        "{out}"
    );
    assert_eq!(answer(&tb, port).as_deref(), Some(serving.as_str()));
    nothing_stuck(&tb, app);

    // The server stops answering for good (every packet to its sshd dropped) while the
    // previous release is stopped: Ferry gives up after its retries, and says what the next
    // command will do; that command, once the server is back, does it.
    let deploy = hanging_deploy(&p, &[("FERRY_RESTORE_SECS", "5")]);
    let block = [
        "iptables", "-I", "INPUT", "-p", "tcp", "--dport", "22", "-j", "DROP",
    ];
    assert!(tb.in_server_ns(&block).status.success());
    let cut_at = Instant::now();
    let unblock = [
        "iptables", "-D", "INPUT", "-p", "tcp", "--dport", "22", "-j", "DROP",
    ];
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        deploy.wait(Duration::from_secs(180))
    }));
    let gave_up_after = cut_at.elapsed();
    assert!(tb.in_server_ns(&unblock).status.success());
    let (code, out) = result.unwrap();
    eprintln!(
        "MEASURED a dead connection noticed and given up (FERRY_RESTORE_SECS=5): exit {code:?} \
         {:.0} s after the cut",
        gave_up_after.as_secs_f32()
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("the next `ferry` command for `e2e-f-cut`"),
        "{out}"
    );
    assert_eq!(
        answer(&tb, port),
        None,
        "the previous release is still stopped"
    );
    let status = p.ferry(&["status"]);
    status.assert_ok();
    assert!(
        status
            .stderr
            .contains(&format!("putting release {first} back")),
        "{}",
        status.stderr
    );
    assert_eq!(answer(&tb, port).as_deref(), Some(serving.as_str()));
    nothing_stuck(&tb, app);
}

#[test]
fn the_servers_engine_restarting_during_the_switch_leaves_the_previous_release_serving() {
    let _one = serial();
    let tb = Testbed::load();
    for (strategy, port) in [("start-first", 18807), ("stop-first", 18808)] {
        let app = format!("e2e-f-engine-{strategy}");
        let (p, serving, first) = deployed(&tb, &app, port, &format!("strategy = \"{strategy}\""));
        let deploy = hanging_deploy(&p, &[]);
        testbed(&["restart-engine"]);
        let (code, out) = deploy.wait(Duration::from_secs(180));
        assert_eq!(code, Some(1), "{strategy}: {out}");
        assert!(
            out.contains(&format!("release {first} serves again")),
            "{strategy}: {out}"
        );
        assert!(
            eventually(Duration::from_secs(20), || answer(&tb, port).as_deref()
                == Some(serving.as_str())),
            "{strategy}: the previous release does not answer"
        );
        assert_eq!(version(&p), first);
        nothing_stuck(&tb, &app);
    }
}

#[test]
fn two_deploys_of_one_app_at_once_from_two_machines_take_turns() {
    let _one = serial();
    let tb = Testbed::load();
    let (app, port) = ("e2e-f-two", 18809);
    let mut a = project(&tb, app, port, "");
    a.edit("timeout_secs = 20", "timeout_secs = 120");
    a.env("HOSTNAME", "laptop-a");
    a.ferry(&["deploy"]).assert_ok();
    let mut b = Project::new(app, &std::fs::read_to_string(a.path("ferry.toml")).unwrap());
    b.env("HOSTNAME", "desktop-b");

    // A's release takes a few seconds to start answering; B deploys meanwhile.
    a.write(
        "slow.go",
        "package main\n\nimport \"time\"\n\nfunc init() { time.Sleep(8 * time.Second) }\n",
    );
    next_greeting(&a, "from a");
    next_greeting(&b, "from b");
    let mut deploy_a = a.ferry_background(&["deploy", "--json"]);
    deploy_a.wait_for("waiting for GET", Duration::from_secs(180));
    let run_b = b.ferry(&["deploy"]);
    run_b.assert_fails_with("another deploy or rollback of `e2e-f-two` is under way");
    assert!(
        run_b.error_line().contains("from laptop-a"),
        "{}",
        run_b.error_line()
    );
    let (code, out) = deploy_a.wait(Duration::from_secs(180));
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(answer(&tb, port).as_deref(), Some("from a"));
    b.ferry(&["deploy"]).assert_ok();
    assert_eq!(answer(&tb, port).as_deref(), Some("from b"));

    // A is killed midway: B (another machine) cannot tell A is gone, so A's lock holds until
    // it is a minute old (here aged on the server's clock), then B takes over and first puts
    // the release A interrupted back.
    std::fs::remove_file(a.path("slow.go")).unwrap();
    let deploy_a = hanging_deploy(&a, &[]);
    deploy_a.signal("KILL");
    drop(deploy_a);
    next_greeting(&b, "b again");
    let refused = b.ferry(&["deploy"]);
    refused.assert_fails_with("last active");
    let lock = tb
        .server_home(tb.get("FERRY_TB_SERVER_USER"))
        .join(format!(".ferry/locks/{app}.lock"));
    let aged = std::process::Command::new("touch")
        .args(["-d", "-61 seconds"])
        .arg(&lock)
        .status()
        .unwrap();
    assert!(aged.success());
    let run = b.ferry(&["deploy"]);
    run.assert_ok();
    assert!(
        run.stderr.contains("took over a deploy lock"),
        "{}",
        run.stderr
    );
    assert_eq!(answer(&tb, port).as_deref(), Some("b again"));
    nothing_stuck(&tb, app);
}

#[test]
fn rollback_after_an_interrupted_deploy_returns_to_the_release_that_served_before_it() {
    let _one = serial();
    let tb = Testbed::load();
    let (app, port) = ("e2e-f-rollback", 18810);
    let p = project(&tb, app, port, "strategy = \"stop-first\"");
    p.edit("timeout_secs = 20", "timeout_secs = 120");
    p.ferry(&["deploy"]).assert_ok();
    next_greeting(&p, "second");
    p.ferry(&["deploy"]).assert_ok();
    let second = version(&p);
    let deploy = hanging_deploy(&p, &[]);
    deploy.signal("KILL");
    drop(deploy);
    assert_eq!(
        answer(&tb, port),
        None,
        "stop-first: the second release is stopped"
    );

    let run = p.ferry(&["rollback"]);
    run.assert_ok();
    assert!(
        run.stderr.contains("nothing more to roll back"),
        "{}",
        run.stderr
    );
    assert_eq!(answer(&tb, port).as_deref(), Some("second"));
    assert_eq!(version(&p), second);
    nothing_stuck(&tb, app);
}

/// Slows the link to the server for as long as it lives. Whoever shapes the link (these
/// tests, a benchmark) holds `/tmp/ferry-shape.lock` meanwhile, so that nobody else's shaping
/// or unshaping lands in the middle: this waits for it, and releases it after unshaping.
struct Shaped {
    _lock: std::fs::File,
}

const SHAPE_LOCK: &str = "/tmp/ferry-shape.lock";

impl Shaped {
    fn to(rate: &str) -> Shaped {
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(SHAPE_LOCK)
            .unwrap_or_else(|e| panic!("{SHAPE_LOCK}: {e}"));
        // flock(2), as `flock /tmp/ferry-shape.lock CMD` takes it; the kernel lets go of it
        // when this process ends, however it ends.
        lock.lock()
            .unwrap_or_else(|e| panic!("lock {SHAPE_LOCK}: {e}"));
        testbed(&["shape", rate]);
        Shaped { _lock: lock }
    }
}

impl Drop for Shaped {
    fn drop(&mut self) {
        // Unshaped before the lock goes (the fields drop after this).
        testbed(&["unshape"]);
    }
}

fn testbed(args: &[&str]) {
    let out = std::process::Command::new(ferry_e2e::workspace().join("scripts/testbed"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "scripts/testbed {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A progress event's `current` and `total`, from its JSON line.
fn progress_of(line: &str) -> (u64, u64) {
    let e: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|_| panic!("{line}"));
    (
        e["current"].as_u64().unwrap_or(0),
        e["total"].as_u64().unwrap_or(0),
    )
}

#[test]
fn a_connection_cut_while_the_image_travels_changes_nothing_and_the_retry_resumes_it() {
    let _one = serial();
    let tb = Testbed::load();
    let (app, port) = ("e2e-f-transfer", 18811);
    let p = project(&tb, app, port, "");
    p.ferry(&["deploy"]).assert_ok();
    let serving = format!("hello from {app}");
    let first = version(&p);
    let tags = || {
        let out = tb.server_docker(&["images", app, "--format", "{{.Tag}}"]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let tags_before = tags();

    // A new release with 3 MB more of random data in its binary (its delta is MBs, not the
    // few hundred bytes of a one-line change), over a slow link: it travels for seconds.
    p.write_random_blob(1_500_000);
    next_greeting(&p, "second");
    let shaped = Shaped::to("2mbit");
    let mut deploy = p.ferry_background(&["deploy", "--json"]);
    let (_, total) =
        progress_of(&deploy.wait_for(r#""step":"transfer","current""#, Duration::from_secs(180)));
    assert!(total > 1 << 20, "{total} bytes to send: not a big change");
    std::thread::sleep(Duration::from_secs(2));
    cut_connections_of(&tb, deploy.pid());
    let (code, out) = deploy.wait(Duration::from_secs(120));
    drop(shaped);
    // Counted as bytes go into the SSH channel: more than has reached the server.
    let arrived = out
        .lines()
        .filter(|l| l.contains(r#""step":"transfer","current""#))
        .map(|l| progress_of(l).0)
        .max()
        .unwrap_or(0);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        !out.contains(r#""event":"step_finished","step":"transfer""#),
        "the cut came after the transfer: {out}"
    );
    assert!(out.contains("broke while"), "{out}");
    assert_eq!(answer(&tb, port).as_deref(), Some(serving.as_str()));
    assert_eq!(version(&p), first);
    assert_eq!(tags(), tags_before, "a cut transfer loads nothing");
    nothing_stuck(&tb, app);
    // What had arrived waits on the server for the next try.
    let left = tb.pieces_on_server(app);
    assert!(left.iter().any(|n| n.ends_with(".part")), "{left:?}");

    // The retry sends only the rest.
    let retry = p.ferry(&["deploy", "--json"]);
    retry.assert_ok();
    let t = retry.transfer();
    let sent = t["sent_bytes"].as_u64().unwrap();
    let resumed = t["resumed_bytes"].as_u64().unwrap();
    eprintln!(
        "MEASURED a cut transfer resumed: {total} bytes of pieces, {arrived} handed to SSH \
         before the cut, the retry found {resumed} on the server and sent {sent}"
    );
    assert!(resumed > 0, "{t}");
    assert!(sent < total, "the retry sent {sent} of {total}: {t}");
    assert_eq!(
        sent + resumed,
        total,
        "the retry's pieces are the cut transfer's: {t}"
    );
    assert!(
        retry.notice_ids().contains(&"ship-resume".to_string()),
        "{:?}",
        retry.notice_ids()
    );
    assert_eq!(answer(&tb, port).as_deref(), Some("second"));
    assert_eq!(
        tb.pieces_on_server(app),
        Vec::<String>::new(),
        "the pieces are removed once loaded"
    );
    nothing_stuck(&tb, app);
}

/// A TCP proxy in front of the testbed's registry that cuts every connection once `limit`
/// bytes in all have gone up to the registry: a registry (or a link to it) that fails midway.
struct CuttingProxy {
    port: u16,
    up: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl CuttingProxy {
    fn start(tb: &Testbed, limit: u64) -> CuttingProxy {
        use std::net::{TcpListener, TcpStream};
        use std::sync::atomic::Ordering;
        let registry = tb.get("FERRY_TB_REGISTRY").to_string();
        let host = registry.split(':').next().unwrap().to_string();
        let listener = TcpListener::bind(format!("{host}:0")).unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counter = up.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(&registry) else {
                    continue;
                };
                let pump = |mut from: TcpStream, mut to: TcpStream, count: Option<_>| {
                    std::thread::spawn(move || {
                        use std::io::{Read, Write};
                        let counter: Option<std::sync::Arc<std::sync::atomic::AtomicU64>> = count;
                        let mut buf = [0u8; 16 * 1024];
                        loop {
                            let n = match from.read(&mut buf) {
                                Ok(0) | Err(_) => break,
                                Ok(n) => n,
                            };
                            if let Some(c) = &counter {
                                if c.fetch_add(n as u64, Ordering::SeqCst) + n as u64 > limit {
                                    break;
                                }
                            }
                            if to.write_all(&buf[..n]).is_err() {
                                break;
                            }
                        }
                        let _ = from.shutdown(std::net::Shutdown::Both);
                        let _ = to.shutdown(std::net::Shutdown::Both);
                    });
                };
                pump(
                    client.try_clone().unwrap(),
                    server.try_clone().unwrap(),
                    Some(counter.clone()),
                );
                pump(server, client, None);
            }
        });
        CuttingProxy { port, up }
    }
}

#[test]
fn a_registry_that_fails_midway_through_the_push_changes_nothing_on_the_server() {
    let _one = serial();
    let tb = Testbed::load();
    let (app, port) = ("e2e-f-push", 18812);
    let registry = tb.get("FERRY_TB_REGISTRY");
    let host = registry.split(':').next().unwrap();
    let section = |server: &str| {
        format!(
            "[registry]\nserver = \"{server}\"\nusername = \"{}\"\nrepository = \"e2e/push\"\n",
            tb.get("FERRY_TB_REGISTRY_USER")
        )
    };
    tb.clean_server(app);
    let mut p = Project::new(app, &ferry_toml(&tb, app, port, "", &section(registry)));
    p.env(
        "FERRY_REGISTRY_PASSWORD",
        tb.get("FERRY_TB_REGISTRY_PASSWORD"),
    );
    p.ferry(&["deploy"]).assert_ok();
    let serving = format!("hello from {app}");
    let first = version(&p);

    // The same registry behind a proxy that gives up after 1 MB (the engine trusts it by the
    // registry's own CA, under the proxy's address).
    let proxy = CuttingProxy::start(&tb, 1 << 20);
    let proxied = format!("{host}:{}", proxy.port);
    let certs = std::path::Path::new("/etc/docker/certs.d").join(&proxied);
    std::fs::create_dir_all(&certs).unwrap();
    std::fs::copy(tb.get("FERRY_TB_REGISTRY_CA"), certs.join("ca.crt")).unwrap();
    let toml = std::fs::read_to_string(p.path("ferry.toml")).unwrap();
    p.write("ferry.toml", &toml.replace(registry, &proxied));
    p.write(
        "build_id.go",
        &format!(
            "package main\n\nconst buildID = \"{:?}\"\n",
            std::time::SystemTime::now()
        ),
    );
    next_greeting(&p, "second");
    let run = p.ferry(&["deploy", "--json"]);
    let _ = std::fs::remove_dir_all(&certs);
    eprintln!(
        "MEASURED push through a failing registry: {} bytes went up before it failed",
        proxy.up.load(std::sync::atomic::Ordering::SeqCst)
    );
    run.assert_fails_with("the connection broke midway");
    run.assert_fails_with("Nothing was changed on the server");
    assert!(
        !run.steps().contains(&"pull".to_string()),
        "the server was not asked to pull: {:?}",
        run.steps()
    );
    assert_eq!(answer(&tb, port).as_deref(), Some(serving.as_str()));
    assert_eq!(version(&p), first);
    nothing_stuck(&tb, app);

    // Through the registry itself, it goes through.
    let toml = std::fs::read_to_string(p.path("ferry.toml")).unwrap();
    p.write("ferry.toml", &toml.replace(&proxied, registry));
    p.ferry(&["deploy"]).assert_ok();
    assert_eq!(answer(&tb, port).as_deref(), Some("second"));
}

/// Fills the server engine's filesystem but for `leave` bytes, for as long as it lives.
struct DiskFull(std::path::PathBuf);

impl DiskFull {
    fn leaving(tb: &Testbed, leave: u64) -> DiskFull {
        let data = std::path::PathBuf::from(tb.get("FERRY_TB_SERVER_DATA"));
        let filler = data.join("ferry-test-filler");
        let avail = || -> u64 {
            let out = std::process::Command::new("df")
                .args(["--output=avail", "-B1"])
                .arg(&data)
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .nth(1)
                .unwrap()
                .trim()
                .parse()
                .unwrap()
        };
        // The engine writes meanwhile: grow the filler until only `leave` is left.
        for _ in 0..10 {
            let free = avail();
            if free <= leave {
                break;
            }
            let have = std::fs::metadata(&filler).map_or(0, |m| m.len());
            let _ = std::process::Command::new("fallocate")
                .args(["-l", &(have + free - leave).to_string()])
                .arg(&filler)
                .status();
        }
        assert!(
            avail() <= leave * 2,
            "the disk did not fill: {} free",
            avail()
        );
        DiskFull(filler)
    }
}

impl Drop for DiskFull {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn a_server_disk_that_fills_up_during_the_load_says_so_and_changes_nothing() {
    let _one = serial();
    let tb = Testbed::load();
    let (app, port) = ("e2e-f-disk", 18813);
    let p = project(&tb, app, port, "");
    p.ferry(&["deploy"]).assert_ok();
    let serving = format!("hello from {app}");
    let first = version(&p);
    // 3 MB more in the binary: MBs to send, and a layer the full disk cannot take.
    p.write_random_blob(1_500_000);
    next_greeting(&p, "second");

    // The disk fills up (another program's logs, say) after the checks, while the image is
    // on its way.
    let shaped = Shaped::to("2mbit");
    let mut deploy = p.ferry_background(&["deploy", "--json"]);
    deploy.wait_for(r#""step":"transfer","current""#, Duration::from_secs(180));
    let filling = Instant::now();
    let full = DiskFull::leaving(&tb, 512 << 10);
    let filled_in = filling.elapsed();
    let (code, out) = deploy.wait(Duration::from_secs(180));
    drop(shaped);
    eprintln!(
        "MEASURED the server's disk filled {:.1} s into a transfer that took {:.1} s in all",
        filled_in.as_secs_f32(),
        filling.elapsed().as_secs_f32()
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("the server ran out of disk space while it loaded the new image"),
        "{out}"
    );
    assert!(out.contains("docker image prune -a"), "{out}");
    drop(full);
    assert_eq!(answer(&tb, port).as_deref(), Some(serving.as_str()));
    assert_eq!(version(&p), first);
    nothing_stuck(&tb, app);

    // Once there is room again, the pieces that had all arrived are loaded without sending
    // them again.
    let retry = p.ferry(&["deploy", "--json"]);
    retry.assert_ok();
    let t = retry.transfer();
    eprintln!(
        "MEASURED after the full disk, the retry sent {} bytes and found {} on the server",
        t["sent_bytes"], t["resumed_bytes"]
    );
    assert_eq!(t["sent_bytes"], 0, "{t}");
    assert!(t["resumed_bytes"].as_u64().unwrap() > 1 << 20, "{t}");
    assert_eq!(answer(&tb, port).as_deref(), Some("second"));
    assert_eq!(tb.pieces_on_server(app), Vec::<String>::new());
}
