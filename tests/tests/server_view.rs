//! Seeing the whole server: the host and every container (`ferry server`), the kept releases
//! (`ferry releases`), switching to exactly one of them (`ferry rollback --to`), and the log
//! from a time on (`ferry logs --since`). Ports 18741–18743.

use ferry_e2e::{http_get, Project, Testbed};

fn data(p: &Project, args: &[&str], kind: &str) -> serde_json::Value {
    let run = p.ferry(args);
    run.assert_ok();
    run.events()
        .into_iter()
        .find(|e| e["event"] == "data" && e["kind"] == kind)
        .unwrap_or_else(|| panic!("a {kind} data event from {args:?}"))["data"]
        .clone()
}

fn greeting(tb: &Testbed, port: u16) -> String {
    let (status, body) = http_get(tb.server_host(), port, "/").expect("the app answers");
    assert_eq!(status, 200);
    body.trim_end().to_string()
}

/// `MemTotal` and `MemAvailable` of `/proc/meminfo`, in bytes.
fn meminfo(text: &str) -> (u64, u64) {
    let field = |name: &str| -> u64 {
        let line = text.lines().find(|l| l.starts_with(name)).unwrap();
        line.split_whitespace()
            .nth(1)
            .unwrap()
            .parse::<u64>()
            .unwrap()
            * 1024
    };
    (field("MemTotal:"), field("MemAvailable:"))
}

#[test]
fn the_overview_shows_every_container_and_the_hosts_own_memory() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-overview", 18741);
    let p = tb.project(app, port, "");
    p.ferry(&["deploy"]).assert_ok();
    let image = String::from_utf8(
        tb.server_docker(&["inspect", "--format", "{{.Config.Image}}", app])
            .stdout,
    )
    .unwrap();
    let image = image.trim();
    // Two containers Ferry did not make: one running, one never started.
    let (running, created) = ("e2e-foreign-running", "e2e-foreign-created");
    for name in [running, created] {
        tb.server_docker(&["rm", "-f", name]);
    }
    let out = tb.server_docker(&["run", "-d", "--name", running, image]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = tb.server_docker(&["create", "--name", created, "--memory", "32m", image]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let o = data(&p, &["server", "--json"], "overview");
    let containers = o["containers"].as_array().unwrap();
    let find = |name: &str| {
        containers
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {containers:?}"))
    };
    let ours = find(app);
    assert_eq!(ours["state"], "running");
    assert_eq!(ours["app"], app);
    assert!(
        ours["release"].as_str().unwrap().starts_with("20"),
        "{ours}"
    );
    assert_eq!(ours["memory_limit_bytes"], 128u64 << 20);
    assert!(ours["memory_bytes"].as_u64().unwrap() > 0, "{ours}");
    assert!(ours["cpu_percent"].is_number(), "{ours}");
    let ports = ours["ports"].to_string();
    assert!(ports.contains(&format!(":{port}->8080/tcp")), "{ports}");
    let started = ours["started_at"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(started).is_ok(),
        "{started}"
    );
    // Made from the app's image (so with its `ferry.app` label), but not by Ferry.
    let theirs = find(running);
    assert_eq!(theirs["state"], "running");
    assert!(
        theirs["app"].is_null() && theirs["release"].is_null(),
        "{theirs}"
    );
    let never = find(created);
    assert_eq!(never["state"], "created");
    assert!(never["started_at"].is_null(), "{never}");
    assert_eq!(never["memory_limit_bytes"], 32u64 << 20);

    // The host's memory is the server's own /proc/meminfo (the testbed server shares this
    // kernel): the total exactly, what is available within what a second can change.
    let server = tb.in_server_ns(&["cat", "/proc/meminfo"]);
    let (total, available) = meminfo(&String::from_utf8_lossy(&server.stdout));
    let memory = &o["system"]["memory"];
    assert_eq!(memory["total"], total);
    let seen = memory["available"].as_u64().unwrap();
    assert!(
        seen.abs_diff(available) < total / 20,
        "{seen} vs {available}"
    );
    assert_eq!(
        memory["used"].as_u64().unwrap(),
        total - seen,
        "used is total − available"
    );
    let disks: Vec<&str> = o["system"]["disks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["label"].as_str().unwrap())
        .collect();
    assert_eq!(disks, ["root", "docker"]);
    assert_eq!(
        o["system"]["docker"]["root_dir"],
        tb.get("FERRY_TB_SERVER_DATA")
    );
    assert!(o["took_ms"].as_u64().unwrap() > 0 && o["bytes"].as_u64().unwrap() > 500);

    // As text, in the user's language, with the foreign container's state.
    let run = p.ferry(&["server"]);
    run.assert_ok();
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with(created))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        line.contains("created") || line.contains("已创建"),
        "{line}"
    );
    for name in [running, created] {
        tb.server_docker(&["rm", "-f", name]);
    }
}

#[test]
fn three_deploys_then_rollback_to_the_first_answers_as_the_first() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-pick", 18742);
    let p = tb.project(app, port, "");
    let mut versions = Vec::new();
    for n in 1..=3 {
        p.edit("GREETING = \"", &format!("GREETING = \"{n}:"));
        // Releases are named by the second they were made in.
        std::thread::sleep(std::time::Duration::from_secs(1));
        p.ferry(&["deploy"]).assert_ok();
        let status = data(&p, &["status", "--json"], "status");
        versions.push(status["version"].as_str().unwrap().to_string());
    }
    let third = greeting(&tb, port);
    assert!(third.starts_with("3:2:1:"), "{third}");

    let list = data(&p, &["releases", "--json"], "releases");
    assert_eq!(list["keep"], 3);
    let rows = list["releases"].as_array().unwrap();
    let listed: Vec<&str> = rows
        .iter()
        .map(|r| r["version"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [&versions[2], &versions[1], &versions[0]]);
    assert_eq!(rows[0]["running"], true);
    assert_eq!(rows[1]["running"], false);
    let machine = gethostname::gethostname().to_string_lossy().to_string();
    for r in rows {
        assert_eq!(r["deployed_by"], machine.as_str(), "{r}");
        assert!(r["size_bytes"].as_u64().unwrap() > 1_000_000, "{r}");
        let at = r["deployed_at"].as_str().unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(at).is_ok(), "{at}");
    }

    let run = p.ferry(&["rollback", "--to", &versions[0], "--json"]);
    run.assert_ok();
    let first = greeting(&tb, port);
    assert!(
        first.starts_with("1:") && !first.starts_with("1:2:"),
        "{first}"
    );
    assert_eq!(
        data(&p, &["status", "--json"], "status")["version"],
        versions[0].as_str()
    );
    // Switching to a version keeps the one it came from: all three are still there.
    let list = data(&p, &["releases", "--json"], "releases");
    let running: Vec<(&str, bool)> = list["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["version"].as_str().unwrap(),
                r["running"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        running,
        [
            (versions[2].as_str(), false),
            (versions[1].as_str(), false),
            (versions[0].as_str(), true)
        ]
    );

    // What cannot be switched to says why, and changes nothing.
    p.ferry(&["rollback", "--to", &versions[0]])
        .assert_fails_with("is the one running now");
    p.ferry(&["rollback", "--to", "20200101-000000"])
        .assert_fails_with(&versions[1]);
    assert!(greeting(&tb, port).starts_with("1:"));

    // A plain rollback from there goes forward to the newest kept one, and keeps the first
    // (only a rollback away from a newer release discards it).
    p.ferry(&["rollback"]).assert_ok();
    assert!(greeting(&tb, port).starts_with("3:2:1:"));
    let list = data(&p, &["releases", "--json"], "releases");
    assert_eq!(list["releases"].as_array().unwrap().len(), 3, "{list}");
    p.ferry(&["rollback", "--to", &versions[0]]).assert_ok();
    assert!(greeting(&tb, port).starts_with("1:"));

    // The next deploy keeps the release it replaced (the first), however old, within three.
    p.edit("GREETING = \"", "GREETING = \"4:");
    std::thread::sleep(std::time::Duration::from_secs(1));
    p.ferry(&["deploy"]).assert_ok();
    let list = data(&p, &["releases", "--json"], "releases");
    let kept: Vec<&str> = list["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["version"].as_str().unwrap())
        .collect();
    assert_eq!(kept.len(), 3, "{kept:?}");
    assert!(kept.contains(&versions[0].as_str()), "{kept:?}");
    assert!(!kept.contains(&versions[1].as_str()), "{kept:?}");

    // keep_releases = 1: only the running one stays.
    p.edit("[container]", "[container]\nkeep_releases = 1");
    std::thread::sleep(std::time::Duration::from_secs(1));
    p.ferry(&["deploy"]).assert_ok();
    let list = data(&p, &["releases", "--json"], "releases");
    assert_eq!(list["releases"].as_array().unwrap().len(), 1, "{list}");
    p.ferry(&["rollback"])
        .assert_fails_with("no previous release");
}

#[test]
fn the_log_since_a_time_carries_each_lines_time_and_saves_to_a_file() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-since", 18743);
    let p = tb.project(app, port, "");
    p.ferry(&["deploy"]).assert_ok();
    greeting(&tb, port);

    let run = p.ferry(&["logs", "--since", "1h", "--timestamps", "--json"]);
    run.assert_ok();
    let lines: Vec<serde_json::Value> = run
        .events()
        .into_iter()
        .filter(|e| e["event"] == "log" && e["step"] == "logs")
        .collect();
    assert!(!lines.is_empty(), "{}", run.stdout);
    let now = chrono::Utc::now();
    for l in &lines {
        let at = chrono::DateTime::parse_from_rfc3339(l["at"].as_str().unwrap()).unwrap();
        let age = now.signed_duration_since(at);
        assert!(age.num_seconds() >= -5 && age.num_seconds() < 3600, "{l}");
        let line = l["line"].as_str().unwrap();
        assert!(
            !line.starts_with(l["at"].as_str().unwrap()),
            "the time is apart: {l}"
        );
    }
    // Nothing was logged before the container existed.
    let run = p.ferry(&[
        "logs",
        "--since",
        &(now + chrono::Duration::hours(1)).to_rfc3339(),
        "--json",
    ]);
    run.assert_ok();
    assert!(!run
        .events()
        .iter()
        .any(|e| e["event"] == "log" && e["step"] == "logs"));

    let file = p.path("saved.log");
    p.ferry(&["logs", "--since", "2h", "--output", file.to_str().unwrap()])
        .assert_ok();
    let saved = std::fs::read_to_string(&file).unwrap();
    assert_eq!(saved.lines().count(), lines.len(), "{saved}");
    let first = saved.lines().next().unwrap();
    let (time, _) = first.split_at(26);
    assert!(
        chrono::DateTime::parse_from_str(time, "%Y-%m-%d %H:%M:%S %:z").is_ok(),
        "{first}"
    );

    p.ferry(&["logs", "--since", "yesterday"])
        .assert_fails_with("yesterday");
}
