//! What a user sees when something is wrong: each error names what happened and what to do,
//! exits non-zero, and ends a `--json` stream with one `failed` event.

use ferry_e2e::{ferry_toml, Project, Testbed};

/// The published port of every app here (none of them gets that far).
const PORT: u16 = 18300;

#[test]
fn an_invalid_ferry_toml_names_the_line_and_column() {
    let tb = Testbed::load();
    let p = tb.project("e2e-badtoml", PORT, "");
    p.edit("memory = \"128m\"", "memroy = \"128m\"");
    let run = p.ferry(&["deploy", "--json"]);
    run.assert_fails_with("ferry.toml:17:1: unknown field `memroy`");
    assert_eq!(run.events().last().unwrap()["event"], "failed");

    p.edit("memroy = \"128m\"", "memory = \"lots\"");
    p.ferry(&["status"]).assert_fails_with("ferry.toml:17:10:");
}

#[test]
fn a_wrong_ssh_password_is_refused_with_what_was_tried() {
    let tb = Testbed::load();
    let mut p = tb.project("e2e-badpass", PORT, "");
    p.edit(
        &format!("identity_file = \"{}\"\n", tb.get("FERRY_TB_KEY")),
        "",
    );
    p.env("FERRY_SSH_PASSWORD", "wrong-password");
    let run = p.ferry(&["status"]);
    run.assert_fails_with("password");
    assert!(run.error_line().contains(tb.get("FERRY_TB_SERVER_USER")));
    assert!(!run.stderr.contains("wrong-password"));

    // The right password works.
    let mut p = tb.project("e2e-goodpass", PORT, "");
    p.edit(
        &format!("identity_file = \"{}\"\n", tb.get("FERRY_TB_KEY")),
        "",
    );
    p.env("FERRY_SSH_PASSWORD", tb.get("FERRY_TB_SERVER_PASSWORD"));
    p.ferry(&["status"]).assert_ok();
}

#[test]
fn a_passphrase_protected_key_needs_its_passphrase() {
    let tb = Testbed::load();
    let mut p = tb.project("e2e-passkey", PORT, "");
    p.edit(tb.get("FERRY_TB_KEY"), tb.get("FERRY_TB_KEY_PASS"));
    p.ferry(&["status"]).assert_fails_with("passphrase");
    p.env(
        "FERRY_SSH_KEY_PASSPHRASE",
        tb.get("FERRY_TB_KEY_PASSPHRASE"),
    );
    p.ferry(&["status"]).assert_ok();
}

#[test]
fn a_changed_host_key_stops_everything_and_shows_both_fingerprints() {
    let tb = Testbed::load();
    let real = tb.get("FERRY_TB_HOST_KEY");
    let pinned = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let p = tb.project("e2e-hostkey", PORT, "");
    p.edit(real, pinned);
    let run = p.ferry(&["deploy"]);
    run.assert_fails_with(pinned);
    assert!(run.error_line().contains(real), "{}", run.error_line());

    // The same when the pin comes from ~/.ssh/known_hosts instead of ferry.toml.
    let p = tb.project("e2e-knownhosts", PORT, "");
    p.edit(&format!("host_key = \"{real}\"\n"), "");
    let other_key = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
    p.write_home(
        ".ssh/known_hosts",
        &format!("{} ssh-ed25519 {other_key}\n", tb.server_host()),
    );
    let run = p.ferry(&["status"]);
    run.assert_fails_with(real);
    assert!(run.error_line().contains("SHA256:"), "{}", run.error_line());
}

#[test]
fn an_unknown_host_key_is_shown_and_can_be_trusted() {
    let tb = Testbed::load();
    let real = tb.get("FERRY_TB_HOST_KEY");
    let p = tb.project("e2e-newhost", PORT, "");
    p.edit(&format!("host_key = \"{real}\"\n"), "");
    let run = p.ferry(&["status"]);
    run.assert_fails_with(real);
    assert!(
        run.error_line().contains("--trust-host-key"),
        "{}",
        run.error_line()
    );
    p.ferry(&["status", "--trust-host-key", real]).assert_ok();
    p.ferry(&[
        "status",
        "--trust-host-key",
        "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ])
    .assert_fails_with(real);
}

#[test]
fn an_unreachable_server_says_which_address() {
    let tb = Testbed::load();
    let p = tb.project("e2e-unreachable", PORT, "");
    // A port nothing listens on, on the testbed server.
    p.edit("port = 22", "port = 2");
    let run = p.ferry(&["deploy", "--json"]);
    run.assert_fails_with(&format!("{}:2", tb.server_host()));
    assert_ends_failed_with_kind(&run.events(), "connect", "unreachable");

    // An address in the testbed's network where no host answers.
    let p = tb.project("e2e-nohost", PORT, "");
    p.edit(tb.server_host(), "10.250.0.3");
    p.ferry(&["status"]).assert_fails_with("10.250.0.3:22");
}

#[test]
fn a_stopped_docker_engine_is_named_before_anything_is_built() {
    let tb = Testbed::load();
    // builder = "docker": with the default "auto" and Go here, Ferry would build with Go.
    let mut p = tb.project("e2e-nodocker", PORT, "builder = \"docker\"");
    // What a stopped engine looks like to a client: nothing listens on its socket.
    p.env("DOCKER_HOST", "unix:///tmp/ferry-no-engine.sock");
    p.ferry(&["deploy"])
        .assert_fails_with("Docker is not running");
    p.ferry(&["build"])
        .assert_fails_with("Docker is not running");
}

#[test]
fn a_deploy_under_way_holds_off_a_second_one() {
    let tb = Testbed::load();
    let app = "e2e-lock";
    tb.clean_server(app);
    let p = Project::new(app, &ferry_toml(&tb, app, 18301, "", ""));
    // What another machine's deploy in progress leaves on the server: its lock.
    let user = tb.get("FERRY_TB_SERVER_USER");
    let home = String::from_utf8(
        std::process::Command::new("sh")
            .args(["-c", &format!("getent passwd {user} | cut -d: -f6")])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let locks = std::path::Path::new(home.trim()).join(".ferry/locks");
    let lock = locks.join(format!("{app}.lock"));
    std::fs::create_dir_all(&locks).unwrap();
    std::fs::write(&lock, "v2;OTHER-PC;0123abcd;deploy:20261125-090000\n").unwrap();
    let chown = std::process::Command::new("chown")
        .args(["-R", &format!("{user}:")])
        .arg(locks.parent().unwrap())
        .status()
        .unwrap();
    assert!(chown.success());

    let held = p.ferry(&["deploy", "--json"]);
    held.assert_fails_with("another deploy or rollback of `e2e-lock` is under way")
        .assert_fails_with("deploy 20261125-090000 from OTHER-PC");
    assert_ends_failed_with_kind(&held.events(), "start", "lock");
    let out = tb.server_docker(&["ps", "-aq", "--filter", &format!("label=ferry.app={app}")]);
    assert!(
        out.stdout.is_empty(),
        "nothing may start while the lock is held"
    );

    // Once the other deploy is done (its lock gone), this one goes through and leaves none.
    std::fs::remove_file(&lock).unwrap();
    p.ferry(&["deploy"]).assert_ok();
    assert!(!lock.exists(), "the lock must be released");
}

/// The stream's end as a UI reads it: the step that stopped as `step_failed`, then one `data`
/// event of kind `error` with the failure's kind, then `failed`, the only final event.
fn assert_ends_failed_with_kind(events: &[serde_json::Value], step: &str, kind: &str) {
    let finals = events
        .iter()
        .filter(|e| e["event"] == "finished" || e["event"] == "failed")
        .count();
    assert_eq!(finals, 1, "{events:#?}");
    let n = events.len();
    assert_eq!(events[n - 1]["event"], "failed", "{events:#?}");
    let error = &events[n - 2];
    assert_eq!(
        (&error["event"], &error["kind"], &error["data"]["kind"]),
        (&"data".into(), &"error".into(), &kind.into()),
        "{events:#?}"
    );
    assert_eq!(error["data"]["message"], events[n - 1]["message"]);
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "step_failed" && e["step"] == step),
        "the {step} step must be reported failed: {events:#?}"
    );
}
