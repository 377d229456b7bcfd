//! Deploying through a registry with TLS (own CA) and basic auth; the password comes from the
//! real OS keyring (Secret Service) or the environment, and never stays on the server.

use ferry_e2e::{ferry_toml, http_get, Project, Testbed};

fn entry(tb: &Testbed) -> String {
    format!(
        "registry/{}/{}",
        tb.get("FERRY_TB_REGISTRY"),
        tb.get("FERRY_TB_REGISTRY_USER")
    )
}

#[test]
fn deploy_via_registry_with_the_password_from_the_os_keyring() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-registry", 18201);
    tb.clean_server(app);
    let p = Project::new(
        app,
        &ferry_toml(&tb, app, port, "", &tb.registry_section("e2e/registry")),
    );

    // A binary no earlier run pushed, so the push has bytes to send.
    p.write(
        "build_id.go",
        &format!(
            "package main\n\nconst buildID = \"{:?}\"\n",
            std::time::SystemTime::now()
        ),
    );

    // Saved through the CLI into the Secret Service, not passed in the environment.
    let run = p.ferry_with_stdin(
        &["secret", "set", &entry(&tb)],
        Some(&format!("{}\n", tb.get("FERRY_TB_REGISTRY_PASSWORD"))),
    );
    run.assert_ok();
    assert_eq!(run.stdout.trim(), entry(&tb));

    let run = p.ferry(&["deploy", "--json"]);
    run.assert_ok();
    let events = run.events();
    assert_eq!(
        run.steps(),
        ["connect", "probe", "check", "build", "push", "pull", "start"]
    );
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "progress" && e["step"] == "push"),
        "push reports byte progress"
    );
    let (status, body) = http_get(tb.server_host(), port, "/").unwrap();
    assert_eq!(
        (status, body.trim()),
        (200, format!("hello from {app}").as_str())
    );

    // The running image came from the registry.
    let out = tb.server_docker(&["inspect", "--format", "{{.Config.Image}}", app]);
    let image = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        image.starts_with(&format!("{}/e2e/registry:", tb.get("FERRY_TB_REGISTRY"))),
        "{image}"
    );

    // No secret left behind: no private login dirs in /dev/shm, nothing in the user's docker
    // config, and nothing in what ferry printed.
    let leftovers: Vec<_> = std::fs::read_dir("/dev/shm")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("ferry."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let password = tb.get("FERRY_TB_REGISTRY_PASSWORD");
    assert!(!run.stdout.contains(password) && !run.stderr.contains(password));
    let user_config = format!(
        "/home/{}/.docker/config.json",
        tb.get("FERRY_TB_SERVER_USER")
    );
    if let Ok(text) = std::fs::read_to_string(&user_config) {
        assert!(
            !text.contains(tb.get("FERRY_TB_REGISTRY")),
            "{user_config}: {text}"
        );
    }

    let run = p.ferry(&["secret", "delete", &entry(&tb)]);
    run.assert_ok();
    p.ferry(&["deploy"])
        .assert_fails_with("ferry secret set registry/");
}

#[test]
fn a_wrong_registry_password_stops_the_deploy_and_says_so() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-badreg", 18202);
    tb.clean_server(app);
    let mut p = Project::new(
        app,
        &ferry_toml(&tb, app, port, "", &tb.registry_section("e2e/badreg")),
    );
    p.env("FERRY_REGISTRY_PASSWORD", "not-the-password");
    let run = p.ferry(&["deploy"]);
    run.assert_fails_with(&format!(
        "registry {} rejected user `{}`",
        tb.get("FERRY_TB_REGISTRY"),
        tb.get("FERRY_TB_REGISTRY_USER")
    ));
    assert!(!run.stderr.contains("not-the-password"));
    let run = p.ferry(&["--json", "deploy"]);
    let last = run.events().last().unwrap().clone();
    assert_eq!(
        last["diagnosis"]["cause"], "registry_unauthorized",
        "{last}"
    );
    assert!(!run.stdout.contains("not-the-password"));
    // Nothing was started on the server.
    let out = tb.server_docker(&["ps", "-aq", "--filter", &format!("label=ferry.app={app}")]);
    assert!(out.stdout.is_empty());
}
