//! Input a deploy must survive or refuse: ferry.toml values no command can carry, deploy users
//! whose login shell is fish or tcsh, secret values that must never show, and a server whose
//! docker CLI would hand a registry password to a credential helper.

use ferry_e2e::{eventually, ferry_toml, http_get, Project, Testbed};
use std::path::Path;
use std::time::Duration;

/// A handler that tells the value of an environment variable: GET /env?name=NAME.
const ENV_HANDLER: &str = r#"package main

import (
	"fmt"
	"net/http"
	"os"
)

func init() {
	http.HandleFunc("/env", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, os.Getenv(r.URL.Query().Get("name")))
	})
}
"#;

/// The container's environment as the server's engine keeps it, NAME=VALUE.
fn container_env(tb: &Testbed, app: &str) -> Vec<String> {
    let out = tb.server_docker(&["inspect", "--format", "{{json .Config.Env}}", app]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn values_no_command_can_carry_are_refused_at_their_line_before_any_connection() {
    let tb = Testbed::load();
    let p = tb.project("e2e-h-refused", 18901, "");
    let good = std::fs::read_to_string(p.path("ferry.toml")).unwrap();
    let env_line = good.lines().find(|l| l.starts_with("env = ")).unwrap();
    let cases = [
        (env_line, r#"env = { GREETING = "a\u0000b" }"#, "NUL"),
        (
            env_line,
            r#"env = { "A=B" = "x" }"#,
            "not an environment variable name",
        ),
        (
            env_line,
            r#"env = { "MY VAR" = "x" }"#,
            "not an environment variable name",
        ),
        (
            env_line,
            r#"env = { "A\nB" = "x" }"#,
            "not an environment variable name",
        ),
        (
            "memory = \"128m\"",
            "memory = \"128m\"\nvolumes = [\"data:/data\", \"./logs:/logs\"]",
            "neither an absolute path",
        ),
        ("timeout_secs = 20", "timeout_secs = 0", "out of range"),
        ("timeout_secs = 20", "timeout_secs = 100000", "out of range"),
        (
            "path = \"/healthz\"",
            "path = \"/healthz\\nX: y\"",
            "control character",
        ),
        (
            "memory = \"128m\"",
            "memory = \"0m\"",
            "smallest memory limit",
        ),
    ];
    for (from, to, words) in cases {
        p.write("ferry.toml", &good.replacen(from, to, 1));
        let line = good
            .lines()
            .position(|l| l == from.lines().next().unwrap())
            .unwrap()
            + 1
            + usize::from(to.starts_with("memory = \"128m\"\n"));
        let run = p.ferry(&["deploy", "--json"]);
        run.assert_fails_with(&format!("ferry.toml:{line}:"));
        run.assert_fails_with(words);
        let events = run.events();
        let kinds: Vec<(&str, &str)> = events
            .iter()
            .map(|e| {
                let kind = e["kind"].as_str().unwrap_or("");
                (e["event"].as_str().unwrap_or(""), kind)
            })
            .collect();
        assert_eq!(
            kinds,
            [("data", "error"), ("failed", "")],
            "{to}: nothing but the failure (its report, then `failed`): {events:?}"
        );
        assert_eq!(events[0]["data"]["kind"], "config", "{events:?}");
        assert_eq!(run.status, Some(1));
    }
    // A value may hold newlines and quotes: accepted, and the file is left as it was written.
    let pem = "env = { KEY = \"\"\"-----BEGIN KEY-----\nAAAA\n-----END KEY-----\n\"\"\" }";
    p.write("ferry.toml", &good.replacen(env_line, pem, 1));
    let run = p.ferry(&["doctor", "--json"]);
    assert!(
        !run.error_line().contains("ferry.toml:"),
        "{}",
        run.error_line()
    );
}

#[test]
fn fish_and_tcsh_deploy_users_get_every_value_verbatim() {
    let tb = Testbed::load();
    let hostile = [
        ("QUOTE", r"a\'b"),
        ("FISH", r"\';touch pwned-fish;#"),
        ("DOLLAR", "$(touch pwned-dollar) `touch pwned-tick`"),
        ("BANG", "!! !$ %s %d"),
        ("MULTI", "line one\nline two\n"),
        ("CHINESE", "你好，世界"),
    ];
    for (user_var, port) in [("FERRY_TB_FISH_USER", 18902), ("FERRY_TB_TCSH_USER", 18903)] {
        let user = tb.get(user_var).to_string();
        let app = format!("e2e-h-{user}");
        let p = tb.project(&app, port, "");
        let home = tb.server_home(&user);
        for pwned in ["pwned-fish", "pwned-dollar", "pwned-tick"] {
            let _ = std::fs::remove_file(home.join(pwned));
        }
        p.edit(
            &format!("user = \"{}\"", tb.get("FERRY_TB_SERVER_USER")),
            &format!("user = \"{user}\""),
        );
        let env: Vec<String> = hostile
            .iter()
            .map(|(k, v)| format!("{k} = '''{v}'''"))
            .collect();
        // As a table of its own at the end, each value a literal string (newlines included).
        let toml = std::fs::read_to_string(p.path("ferry.toml")).unwrap();
        let line = toml.lines().find(|l| l.starts_with("env = ")).unwrap();
        let toml = toml.replace(line, "");
        p.write(
            "ferry.toml",
            &format!("{toml}\n[container.env]\n{}\n", env.join("\n")),
        );
        p.write("env.go", ENV_HANDLER);
        p.ferry(&["deploy"]).assert_ok();

        let got = container_env(&tb, &app);
        for (k, v) in hostile {
            assert!(
                got.contains(&format!("{k}={v}")),
                "{user}: {k} arrived as {got:?}"
            );
        }
        let (_, body) = http_get(tb.server_host(), port, "/env?name=MULTI").unwrap();
        assert_eq!(body, "line one\nline two\n", "{user}");
        for pwned in ["pwned-fish", "pwned-dollar", "pwned-tick"] {
            assert!(
                !home.join(pwned).exists(),
                "{user}'s login shell ran a value: {pwned}"
            );
        }
        // Status, logs and a rollback go through the same shell.
        p.ferry(&["status"]).assert_ok();
        p.ferry(&["logs", "-n", "5"]).assert_ok();
        std::thread::sleep(Duration::from_millis(1100));
        p.ferry(&["deploy"]).assert_ok();
        p.ferry(&["rollback"]).assert_ok();
    }
}

/// Every file under `dir` whose bytes contain `needle` (unreadable ones are skipped).
fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                stack.push(e.path());
            } else if kind.is_file() {
                if let Ok(bytes) = std::fs::read(e.path()) {
                    if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                        found.push(e.path().display().to_string());
                    }
                }
            }
        }
    }
    found
}

#[test]
fn a_secret_env_value_reaches_the_app_and_nothing_else() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-h-secret", 18904);
    let mut p = tb.project(app, port, "");
    p.edit(
        "memory = \"128m\"",
        "memory = \"128m\"\nsecret_env = [\"DB_PASSWORD\"]",
    );
    p.write("env.go", ENV_HANDLER);
    let secret = format!(
        "s3cr3t-{}-'it''s' $(id) \\\" ;",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    let entry = format!("env/{app}/DB_PASSWORD");

    // Without a value, nothing is built or changed, and the error says how to give one.
    p.ferry(&["secret", "delete", &entry]).assert_ok();
    let run = p.ferry(&["deploy", "--json"]);
    run.assert_fails_with(&format!("ferry secret set {entry}"));
    assert!(
        !run.steps().contains(&"build".to_string()),
        "{:?}",
        run.steps()
    );

    let saved = p.ferry_with_stdin(&["secret", "set", &entry], Some(&secret));
    saved.assert_ok();
    let run = p.ferry(&["deploy", "--json"]);
    run.assert_ok();
    let (_, body) = http_get(tb.server_host(), port, "/env?name=DB_PASSWORD").unwrap();
    assert_eq!(body, secret, "the app gets the value verbatim");

    // The logged docker run line names it without its value.
    assert!(run.stdout.contains("--env DB_PASSWORD=…"), "{}", run.stdout);
    let runs = [
        run,
        p.ferry(&["status", "--json"]),
        p.ferry(&["logs", "-n", "20"]),
        p.ferry(&["doctor", "--json"]),
    ];
    for r in &runs {
        assert!(
            !r.stdout.contains(&secret) && !r.stderr.contains(&secret),
            "{:?}",
            r.args
        );
    }
    let mut leaks = Vec::new();
    for dir in [
        p.dir.path().to_path_buf(),
        p.home.path().to_path_buf(),
        tb.server_home(tb.get("FERRY_TB_SERVER_USER")),
        "/dev/shm".into(),
        "/tmp/ferry-testbed/srv".into(),
    ] {
        // The engine's own state is where Docker keeps a container's environment (documented);
        // everything else must not hold it.
        let found = files_containing(&dir, &secret);
        leaks.extend(found.into_iter().filter(|f| {
            !f.starts_with("/tmp/ferry-testbed/srv/data/containers/")
                && !f.starts_with("/tmp/ferry-testbed/srv/exec/")
        }));
    }
    assert!(leaks.is_empty(), "the secret is in {leaks:?}");
    assert!(
        container_env(&tb, app).contains(&format!("DB_PASSWORD={secret}")),
        "docker inspect shows it (Docker keeps container env in its own state)"
    );

    // In CI, FERRY_SECRET_<NAME> takes precedence over the keyring.
    std::thread::sleep(Duration::from_millis(1100));
    p.env("FERRY_SECRET_DB_PASSWORD", "from-ci");
    p.ferry(&["deploy"]).assert_ok();
    let (_, body) = http_get(tb.server_host(), port, "/env?name=DB_PASSWORD").unwrap();
    assert_eq!(body, "from-ci");
}

/// The server's private login directories of the deploy user.
fn login_dirs() -> Vec<String> {
    std::fs::read_dir("/dev/shm")
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("ferry."))
        .collect()
}

#[test]
fn the_servers_credential_helper_never_gets_the_registry_password_and_no_login_stays() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-h-helper", 18905);
    tb.clean_server(app);
    let mut p = Project::new(
        app,
        &ferry_toml(&tb, app, port, "", &tb.registry_section("e2e/helper")),
    );
    p.env(
        "FERRY_REGISTRY_PASSWORD",
        tb.get("FERRY_TB_REGISTRY_PASSWORD"),
    );
    let helper_log = tb.get("FERRY_TB_CREDHELPER_LOG");
    std::fs::write(helper_log, "").unwrap();

    p.ferry(&["deploy"]).assert_ok();
    let asked = std::fs::read_to_string(helper_log).unwrap();
    assert!(
        !asked.contains(tb.get("FERRY_TB_REGISTRY_PASSWORD")),
        "the server's credential helper was handed the password: {asked}"
    );
    assert_eq!(asked, "", "the helper was not asked to store anything");
    assert!(login_dirs().is_empty(), "{:?}", login_dirs());

    // Killed while the server pulls: the login directory goes with the pull.
    p.write(
        "build_id.go",
        &format!(
            "package main\n\nconst buildID = \"{:?}\"\n",
            std::time::SystemTime::now()
        ),
    );
    std::thread::sleep(Duration::from_millis(1100));
    let mut deploy = p.ferry_background(&["deploy", "--json"]);
    deploy.wait_for(r#""step":"pull""#, Duration::from_secs(180));
    deploy.signal("KILL");
    drop(deploy);
    assert!(
        eventually(Duration::from_secs(20), || login_dirs().is_empty()),
        "left behind: {:?}",
        login_dirs()
    );
    p.ferry(&["deploy"]).assert_ok();
    assert!(login_dirs().is_empty());
}
