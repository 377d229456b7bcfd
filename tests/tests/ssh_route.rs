//! Deploying without a registry: the image travels over the SSH connection into the server's
//! own Docker engine.

use ferry_e2e::{ferry_toml, http_get, Project, Testbed};

fn greeting(tb: &Testbed, port: u16) -> String {
    let (status, body) = http_get(tb.server_host(), port, "/").expect("the app answers");
    assert_eq!(status, 200);
    body.trim_end().to_string()
}

#[test]
fn first_deploy_over_ssh_answers_with_literal_env() {
    let tb = Testbed::load();
    let app = "e2e-first";
    let port = 18101;
    let tricky = r#"你好 "world" 'it''s' $(id) `id`; echo pwned & $HOME"#;
    let toml = ferry_toml(&tb, app, port, "", "").replace(
        &format!("GREETING = \"hello from {app}\""),
        &format!("GREETING = '''{tricky}'''"),
    );
    tb.clean_server(app);
    let p = Project::new(app, &toml);

    let run = p.ferry(&["deploy", "--json"]);
    run.assert_ok();
    let events = run.events();
    assert_eq!(events.last().unwrap()["event"], "finished");
    assert_eq!(
        run.steps(),
        ["connect", "probe", "check", "build", "transfer", "start"],
        "the SSH route transfers instead of pushing"
    );
    let release = events
        .iter()
        .find(|e| e["event"] == "data" && e["kind"] == "release")
        .expect("a release data event");
    assert_eq!(release["data"]["app"], app);
    assert_eq!(
        release["data"]["url"],
        format!("http://{}:{port}/", tb.server_host())
    );

    assert_eq!(greeting(&tb, port), tricky);
    let (status, health) = http_get(tb.server_host(), port, "/healthz").unwrap();
    assert_eq!(status, 200);
    assert!(health.starts_with("ok linux/amd64"), "{health}");

    // The server's own engine holds the image and runs the container with Ferry's labels.
    let out = tb.server_docker(&[
        "inspect",
        "--format",
        "{{index .Config.Labels \"ferry.app\"}} {{.State.Running}} {{.HostConfig.Memory}}",
        app,
    ]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("{app} true {}", 128 << 20)
    );
}

#[test]
fn second_deploy_replaces_the_first_and_keeps_it_for_rollback() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-replace", 18102);
    let p = tb.project(app, port, "");
    p.ferry(&["deploy"]).assert_ok();
    let first = status_json(&p)["version"].as_str().unwrap().to_string();
    assert_eq!(greeting(&tb, port), format!("hello from {app}"));

    let toml = std::fs::read_to_string(p.path("ferry.toml")).unwrap();
    p.write(
        "ferry.toml",
        &toml.replace("hello from", "second release of"),
    );
    // Releases are named by the second they were made in.
    std::thread::sleep(std::time::Duration::from_secs(1));
    p.ferry(&["deploy"]).assert_ok();
    assert_eq!(greeting(&tb, port), format!("second release of {app}"));

    let status = status_json(&p);
    assert_eq!(status["state"], "running");
    assert_ne!(status["version"].as_str().unwrap(), first);
    assert_eq!(status["previous"], serde_json::json!([first]));
}

#[test]
fn crashing_release_keeps_previous_serving() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-crash", 18103);
    let p = tb.project(app, port, "");
    p.ferry(&["deploy"]).assert_ok();
    let good = status_json(&p)["version"].as_str().unwrap().to_string();

    // A new version that dies at start-up.
    p.write(
        "crash.go",
        "package main\n\nfunc init() { panic(\"boom: config file missing\") }\n",
    );
    std::thread::sleep(std::time::Duration::from_secs(1));
    let run = p.ferry(&["deploy", "--json"]);
    let events = run.events();
    run.assert_fails_with("the new container");
    let failed = events.last().unwrap();
    assert_eq!(failed["event"], "failed");
    let diagnosis = &failed["diagnosis"];
    assert_eq!(diagnosis["restored_previous"], good.as_str());
    // A panic at start-up under `restart = unless-stopped`: Docker restarts it again and again.
    assert_eq!(diagnosis["cause"], "restart_loop", "{diagnosis}");
    let tail = diagnosis["log_tail"].to_string();
    assert!(tail.contains("boom: config file missing"), "{tail}");

    // The previous release still answers, and is the one running.
    assert_eq!(greeting(&tb, port), format!("hello from {app}"));
    assert_eq!(status_json(&p)["version"], good.as_str());
}

#[test]
fn rollback_returns_to_the_previous_release() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-rollback", 18104);
    let p = tb.project(app, port, "");
    p.ferry(&["rollback"])
        .assert_fails_with("no previous release");
    p.ferry(&["deploy"]).assert_ok();
    let first = status_json(&p)["version"].as_str().unwrap().to_string();
    let toml = std::fs::read_to_string(p.path("ferry.toml")).unwrap();
    p.write("ferry.toml", &toml.replace("hello from", "v2 of"));
    std::thread::sleep(std::time::Duration::from_secs(1));
    p.ferry(&["deploy"]).assert_ok();
    assert_eq!(greeting(&tb, port), format!("v2 of {app}"));

    let run = p.ferry(&["rollback", "--json"]);
    run.assert_ok();
    assert_eq!(run.events().last().unwrap()["event"], "finished");
    assert_eq!(greeting(&tb, port), format!("hello from {app}"));
    let status = status_json(&p);
    assert_eq!(status["version"], first.as_str());
    assert_eq!(status["previous"], serde_json::json!([]));
}

#[test]
fn status_and_logs_show_the_running_app() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-logs", 18105);
    let p = tb.project(app, port, "");
    let run = p.ferry(&["status"]);
    run.assert_ok();
    assert!(run.stdout.contains("state:      missing"), "{}", run.stdout);

    p.ferry(&["deploy"]).assert_ok();
    let run = p.ferry(&["status"]);
    run.assert_ok();
    assert!(run.stdout.contains("state:      running"), "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!("{port}->8080/tcp")),
        "{}",
        run.stdout
    );
    let status = status_json(&p);
    assert_eq!(status["restart_count"], 0);
    assert_eq!(status["http_check"], "HTTP 200");
    assert!(
        status["memory"]
            .as_str()
            .unwrap_or_default()
            .contains("128MiB"),
        "{status}"
    );

    let run = p.ferry(&["logs", "-n", "5"]);
    run.assert_ok();
    assert!(
        run.stdout
            .contains("hello listening on :8080 (linux/amd64)"),
        "{}",
        run.stdout
    );
}

fn status_json(p: &Project) -> serde_json::Value {
    let run = p.ferry(&["status", "--json"]);
    run.assert_ok();
    run.events()
        .into_iter()
        .find(|e| e["event"] == "data" && e["kind"] == "status")
        .expect("a status data event")["data"]
        .clone()
}
