//! `ferry doctor` on this machine and the project, with the real engine, the real server and
//! the real binary: what it finds, and the fixes `--fix` applies (and only then).

use ferry_e2e::{ferry_toml, finding, finding_ids, Project, Testbed};

#[test]
fn a_stopped_engine_is_a_finding_not_a_crash() {
    let tb = Testbed::load();
    let app = "e2e-doc-noengine";
    let mut p = Project::new(
        app,
        &ferry_toml(&tb, app, 18501, "builder = \"docker\"", ""),
    );
    p.env("DOCKER_HOST", "unix:///tmp/ferry-no-engine.sock");
    let run = p.ferry(&["--json", "doctor"]);
    let all = run.findings();
    let f = finding(&all, "local.docker_unreachable").expect("local.docker_unreachable");
    assert_eq!(f["severity"], "error");
    assert!(
        f["fix"]["text"].as_str().unwrap().contains("Start Docker"),
        "{f}"
    );
    assert!(!f["message"]["text"].as_str().unwrap().is_empty());
    // An error finding makes doctor exit non-zero; the server was still checked.
    run.assert_fails_with("1 error, 0 warnings");
    assert!(
        finding(&all, "server.unreachable").is_none(),
        "{:?}",
        finding_ids(&all)
    );

    // builder = "auto" (the default) with Go here: no Docker needed, not an error.
    p.edit("builder = \"docker\"", "builder = \"auto\"");
    let run = p.ferry(&["--json", "doctor"]);
    let all = run.findings();
    assert!(
        finding(&all, "local.docker_unreachable").is_none(),
        "{:?}",
        finding_ids(&all)
    );
    let f = finding(&all, "local.builds_with_go").expect("local.builds_with_go");
    assert_eq!(f["severity"], "info");
    assert!(
        f["message"]["text"].as_str().unwrap().contains("go1."),
        "{f}"
    );
}

#[test]
fn a_platform_the_server_cannot_run_is_fixed_only_when_asked() {
    let tb = Testbed::load();
    let app = "e2e-doc-arch";
    let p = Project::new(
        app,
        &ferry_toml(
            &tb,
            app,
            18502,
            "platform = \"linux/arm64\" # my laptop",
            "",
        ),
    );
    let all = p.ferry(&["--json", "doctor"]).findings();
    let f = finding(&all, "server.arch_mismatch").expect("server.arch_mismatch");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["evidence"], "uname -m: x86_64");
    assert_eq!(f["auto_fix"]["action"]["kind"], "edit_files");
    // Doctor itself changed nothing.
    let toml = std::fs::read_to_string(p.path("ferry.toml")).unwrap();
    assert!(toml.contains("platform = \"linux/arm64\" # my laptop"));
    // A deploy stops before building.
    p.ferry(&["deploy"])
        .assert_fails_with("the server 10.250.0.2 is x86_64");

    p.ferry(&["doctor", "--fix", "server.arch_mismatch"])
        .assert_ok();
    let toml = std::fs::read_to_string(p.path("ferry.toml")).unwrap();
    assert!(toml.contains("platform = \"auto\" # my laptop"), "{toml}");
    let all = p.ferry(&["--json", "doctor"]).findings();
    assert!(
        finding(&all, "server.arch_mismatch").is_none(),
        "{:?}",
        finding_ids(&all)
    );
}

#[test]
fn an_image_built_for_another_cpu_is_named_before_it_is_shipped() {
    let tb = Testbed::load();
    let app = "e2e-doc-image";
    // scratch: the testbed's runtime image exists for amd64 only.
    let toml =
        ferry_toml(&tb, app, 18503, "", "").replace(tb.get("FERRY_TB_RUNTIME_IMAGE"), "scratch");
    let p = Project::new(app, &toml);
    p.ferry(&["build", "--platform", "linux/arm64"]).assert_ok();
    let all = p.ferry(&["--json", "doctor"]).findings();
    let f = finding(&all, "image.arch_mismatch").expect("image.arch_mismatch");
    assert_eq!(f["severity"], "warning");
    assert!(
        f["evidence"].as_str().unwrap().contains("linux/arm64"),
        "{f}"
    );
    assert!(f["message"]["text"]
        .as_str()
        .unwrap()
        .contains("exec format error"));

    // Built again for the server's CPU, the newest image is fine.
    std::thread::sleep(std::time::Duration::from_secs(1));
    p.ferry(&["build", "--platform", "linux/amd64"]).assert_ok();
    let all = p.ferry(&["--json", "doctor"]).findings();
    assert!(
        finding(&all, "image.arch_mismatch").is_none(),
        "{:?}",
        finding_ids(&all)
    );
}

#[test]
fn a_crlf_script_is_found_and_fixed_on_request() {
    let tb = Testbed::load();
    let app = "e2e-doc-crlf";
    let p = Project::new(app, &ferry_toml(&tb, app, 18504, "", ""));
    // Saved by a Windows editor, and run as `sh scripts/migrate.sh`: no shebang line.
    p.write("scripts/migrate.sh", "set -e\r\necho migrating\r\n");
    let run = p.ferry(&["--json", "doctor"]);
    let all = run.findings();
    let f = finding(&all, "context.crlf_scripts").expect("context.crlf_scripts");
    assert_eq!(f["severity"], "warning");
    assert!(
        f["evidence"]
            .as_str()
            .unwrap()
            .contains("scripts/migrate.sh"),
        "{f}"
    );
    assert_eq!(
        std::fs::read(p.path("scripts/migrate.sh")).unwrap(),
        b"set -e\r\necho migrating\r\n",
        "doctor must not touch the file"
    );
    // Warnings only: doctor succeeds, and so would a deploy.
    run.assert_ok();

    let fix = p.ferry(&["doctor", "--fix", "context.crlf_scripts"]);
    fix.assert_ok();
    assert!(fix.stderr.contains("scripts/migrate.sh"), "{}", fix.stderr);
    assert_eq!(
        std::fs::read(p.path("scripts/migrate.sh")).unwrap(),
        b"set -e\necho migrating\n"
    );
    let all = p.ferry(&["--json", "doctor"]).findings();
    assert!(
        finding(&all, "context.crlf_scripts").is_none(),
        "{:?}",
        finding_ids(&all)
    );
}

#[test]
fn the_example_project_is_clean() {
    let tb = Testbed::load();
    let app = "e2e-doc-clean";
    let p = Project::new(app, &ferry_toml(&tb, app, 18505, "", ""));
    let run = p.ferry(&["--json", "doctor"]);
    run.assert_ok();
    let all = run.findings();
    let problems: Vec<&serde_json::Value> =
        all.iter().filter(|f| f["severity"] != "info").collect();
    assert!(problems.is_empty(), "{problems:#?}");
}
