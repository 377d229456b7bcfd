//! `ferry deploy --plan`: what a deploy would do, from the real server and engine, with
//! nothing built and nothing changed.

use ferry_e2e::{ferry_toml, Project, Testbed};
use std::process::Command;

/// What a plan must leave as it was: the app's containers and images on the server, its
/// lock and switch files there, and its images in the local engine. (Only the app's own: other
/// tests use the same engines at the same time.)
fn snapshot(tb: &Testbed, app: &str) -> Vec<String> {
    let text = |out: std::process::Output| String::from_utf8_lossy(&out.stdout).into_owned();
    let label = format!("label=ferry.app={app}");
    let images = [
        "image",
        "ls",
        "--no-trunc",
        "--format",
        "{{.ID}} {{.Tag}}",
        app,
    ];
    let ferry_files = Command::new("find")
        .arg(
            tb.server_home(tb.get("FERRY_TB_SERVER_USER"))
                .join(".ferry"),
        )
        .args(["-name", &format!("*{app}*")])
        .output()
        .unwrap();
    vec![
        text(tb.server_docker(&[
            "ps",
            "-a",
            "--no-trunc",
            "--filter",
            &label,
            "--format",
            "{{.ID}} {{.Names}} {{.State}} {{.Image}}",
        ])),
        text(tb.server_docker(&images)),
        text(ferry_files),
        text(Command::new("docker").args(images).output().unwrap()),
    ]
}

#[test]
fn deploy_plan_shows_the_servers_platform_and_changes_nothing() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-plan", 19001);
    let toml = ferry_toml(&tb, app, port, "", "").replace(
        "memory = \"128m\"",
        "memory = \"128m\"\nsecret_env = [\"DB_PASSWORD\"]",
    );
    tb.clean_server(app);
    let mut p = Project::new(app, &toml);
    // A release already serving, which the plan must leave alone.
    p.env("FERRY_SECRET_DB_PASSWORD", "s3cr3t-value");
    p.ferry(&["deploy"]).assert_ok();
    let before = snapshot(&tb, app);
    assert!(before[0].contains(" running "), "{before:?}");

    let run = p.ferry(&["deploy", "--plan", "--json"]);
    run.assert_ok();
    assert_eq!(
        run.steps(),
        ["connect", "probe"],
        "no check, build or start"
    );
    let events = run.events();
    let plan = &events
        .iter()
        .find(|e| e["event"] == "data" && e["kind"] == "plan")
        .expect("a plan data event")["data"];
    assert_eq!(plan["platform"]["platform"], "linux/amd64");
    assert_eq!(plan["platform"]["reason"], "server_arch");
    assert_eq!(plan["platform"]["server_machine"], "x86_64");
    assert_eq!(plan["builder"]["kind"], "docker");
    assert_eq!(plan["builder"]["reason"], "engine_answers");
    let dockerfile = &plan["builder"]["dockerfile"];
    assert_eq!(dockerfile["source"], "generated");
    assert_eq!(dockerfile["builder_image"], tb.get("FERRY_TB_GO_IMAGE"));
    assert!(dockerfile["text"].as_str().unwrap().contains("EXPOSE 8080"));
    assert_eq!(plan["transport"]["via"], "ssh");
    assert_eq!(plan["container"]["name"], app);
    assert_eq!(plan["container"]["ports"][0], format!("{port}:8080"));
    assert_eq!(plan["container"]["secret_env"][0], "DB_PASSWORD");
    assert_eq!(plan["health"]["path"], "/healthz");
    assert_eq!(plan["health"]["timeout_secs"], 20);
    assert_eq!(plan["url"], format!("http://{}:{port}/", tb.server_host()));
    let last = events.last().unwrap();
    assert_eq!(last["event"], "finished");
    assert_eq!(last["message_id"], "plan-ready");

    // As text, in Chinese: aligned rows of the same plan.
    let text = p.ferry(&["deploy", "--plan", "--lang", "zh"]);
    text.assert_ok();
    let out = &text.stdout;
    assert!(out.contains("目标平台"), "{out}");
    assert!(
        out.contains("linux/amd64，即服务器的架构（x86_64）"),
        "{out}"
    );
    assert!(
        out.contains("DB_PASSWORD（值来自系统钥匙串，从不显示）"),
        "{out}"
    );

    assert_eq!(snapshot(&tb, app), before, "a plan changes nothing");
}

#[test]
fn deploy_plan_through_a_registry_names_the_image_it_would_push() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-plan-registry", 19002);
    let registry = format!(
        "[registry]\nserver = \"{}\"\nusername = \"{}\"\nrepository = \"e2e/plan\"\n",
        tb.get("FERRY_TB_REGISTRY"),
        tb.get("FERRY_TB_REGISTRY_USER"),
    );
    let p = Project::new(app, &ferry_toml(&tb, app, port, "", &registry));
    // No registry password is needed to plan: nothing is pushed.
    let run = p.ferry(&["deploy", "--plan", "--json"]);
    run.assert_ok();
    let events = run.events();
    let plan = &events
        .iter()
        .find(|e| e["event"] == "data" && e["kind"] == "plan")
        .expect("a plan data event")["data"];
    let image = format!(
        "{}/e2e/plan:{}",
        tb.get("FERRY_TB_REGISTRY"),
        plan["version"].as_str().unwrap()
    );
    assert_eq!(plan["transport"]["via"], "registry");
    assert_eq!(plan["transport"]["image"], image.as_str());
    assert_eq!(plan["container"]["image"], image.as_str());
}
