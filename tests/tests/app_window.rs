//! The desktop app in its real window (WebKitGTK under Xvfb), driven over WebDriver against the
//! testbed: the whole wizard for examples/hello-go, a deploy, the dashboard, logs, a rollback,
//! and the errors a user meets. Screenshots of every screen go to target/artifacts/.
//!
//! Needs the UI built into ui/dist, `cargo build -p ferry-app`, tauri-driver and a display
//! (scripts/test runs this under xvfb-run and a D-Bus session with a keyring).

use fantoccini::key::Key;
use ferry_e2e::app::App;
use ferry_e2e::{http_get, workspace, Testbed};
use std::path::Path;
use std::time::Duration;

const SHORT: Duration = Duration::from_secs(20);
const DEPLOY: Duration = Duration::from_secs(180);
/// The doctor: this machine, the project, and the server over SSH.
const CHECK: Duration = Duration::from_secs(90);

/// A copy of examples/hello-go with no ferry.toml: the wizard writes it.
fn fresh_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(workspace().join("examples/hello-go")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    dir
}

/// A shell script saved on Windows: CRLF line endings and no shebang line, so the server's `sh`
/// would trip over the `\r`. The doctor reports it as `context.crlf_scripts`.
const CRLF_SCRIPT: &str = "set -e\r\necho setting up\r\nmkdir -p /data\r\n";

fn add_crlf_script(project: &Path) -> std::path::PathBuf {
    let script = project.join("scripts/setup.sh");
    std::fs::create_dir_all(script.parent().unwrap()).unwrap();
    std::fs::write(&script, CRLF_SCRIPT).unwrap();
    script
}

async fn state(app: &App, testid: &str, attr: &str) -> String {
    // The element may be re-rendered between finding it and reading it: read it afresh.
    match app.find(testid).await.attr(attr).await {
        Ok(value) => value.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

async fn wait_state(app: &App, testid: &str, attr: &str, want: &str, timeout: Duration) {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        let now = state(app, testid, attr).await;
        if now == want {
            return;
        }
        if std::time::Instant::now() > deadline {
            let shot = app.screenshot(&format!("timeout-{testid}")).await;
            panic!(
                "{testid} {attr}={now:?}, wanted {want:?}; see {}",
                shot.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// Steps 1–3 of the wizard up to a tested server connection, with screenshots named `{lang}-…`.
async fn wizard_to_server(app: &App, tb: &Testbed, project: &Path, lang: &str) {
    wait_state(app, "docker-status", "data-state", "ok", SHORT).await;
    // The first frame WebKit hands out can still be the loading screen: let it paint.
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.screenshot(&format!("{lang}-wizard-1-docker")).await;
    app.click("wizard-next").await;

    app.fill("project-dir", project.to_str().unwrap()).await;
    app.wait_text("project-module", SHORT, |t| t == "example.com/hello")
        .await;
    app.fill("project-builder-image", tb.get("FERRY_TB_GO_IMAGE"))
        .await;
    app.fill("project-runtime-image", tb.get("FERRY_TB_RUNTIME_IMAGE"))
        .await;
    app.screenshot(&format!("{lang}-wizard-2-project")).await;
    app.click("wizard-next").await;

    app.fill("server-host", tb.server_host()).await;
    app.fill("server-port", tb.get("FERRY_TB_SERVER_PORT"))
        .await;
    app.fill("server-user", tb.get("FERRY_TB_SERVER_USER"))
        .await;
    app.click("server-auth-key").await;
    app.fill("server-key-file", tb.get("FERRY_TB_KEY")).await;
    app.click("test-connection").await;
    // The host key is shown for the user to confirm before anything else happens.
    let shown = app
        .wait_text("fingerprint", SHORT, |t| t.starts_with("SHA256:"))
        .await;
    assert_eq!(shown, tb.get("FERRY_TB_HOST_KEY"));
    app.screenshot(&format!("{lang}-wizard-3-server-hostkey"))
        .await;
    app.click("trust-host-key").await;
    app.wait_text("server-arch", SHORT, |t| t.contains("x86_64"))
        .await;
    app.screenshot(&format!("{lang}-wizard-3-server")).await;
}

/// The window tests share one X display and its keyboard focus: run them one at a time
/// (`--test-threads=1`); everything else skips them with `--skip window::`.
mod window {
    use super::*;

    #[tokio::test(flavor = "multi_thread")]
    async fn the_wizard_deploys_hello_go_and_the_dashboard_follows_it() {
        let tb = Testbed::load();
        let app_name = "e2e-window";
        let port = 18601u16;
        tb.clean_server(app_name);
        let project = fresh_project();
        let script = add_crlf_script(project.path());
        let app = App::start("en_US.UTF-8", &[]).await;

        wizard_to_server(&app, &tb, project.path(), "en").await;
        app.click("wizard-next").await;

        // Architecture: preselected from the server.
        let amd64 = app.find("arch-amd64").await;
        assert_eq!(
            amd64.prop("checked").await.unwrap().as_deref(),
            Some("true")
        );
        app.screenshot("en-wizard-4-arch").await;
        app.click("wizard-next").await;

        // Registry: none, the image goes over SSH.
        app.click("registry-none").await;
        app.screenshot("en-wizard-5-registry").await;
        app.click("wizard-next").await;

        app.fill("container-name", app_name).await;
        app.fill("container-port-0", &format!("{port}:8080")).await;
        app.fill("container-memory", "12x").await;
        app.wait_text("container-memory-error", SHORT, |t| !t.is_empty())
            .await;
        app.fill("container-memory", "128m").await;
        app.fill("container-health-path", "/healthz").await;
        app.click("container-env-add").await;
        app.fill("container-env-key-0", "GREETING").await;
        app.fill("container-env-value-0", "你好 from the window")
            .await;
        app.screenshot("en-wizard-6-container").await;
        app.click("wizard-next").await;

        let toml = app
            .wait_text("review-toml", SHORT, |t| t.contains("[server]"))
            .await;
        assert!(toml.contains(&format!("name = \"{app_name}\"")), "{toml}");
        assert!(toml.contains(tb.get("FERRY_TB_HOST_KEY")), "{toml}");
        app.screenshot("en-wizard-7-review").await;

        // Check: saves ferry.toml and runs the doctor. The CRLF script is a warning with a fix.
        app.click("preflight-check").await;
        wait_state(
            &app,
            "finding-context.crlf_scripts",
            "data-severity",
            "warning",
            CHECK,
        )
        .await;
        wait_state(&app, "preflight-summary", "data-state", "done", CHECK).await;
        assert!(project.path().join("ferry.toml").exists());
        let summary = app.text("preflight-summary").await;
        assert!(summary.contains("warning"), "{summary}");
        app.scroll_to("preflight").await;
        app.screenshot("en-preflight").await;
        app.select("theme-select", "dark").await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        app.screenshot("en-preflight-dark").await;

        // The fix shows the file's new content before anything is written.
        app.click("finding-apply-context.crlf_scripts").await;
        app.wait_text("finding-preview-file", SHORT, |t| {
            t.contains("echo setting up")
        })
        .await;
        assert!(std::fs::read(&script).unwrap().contains(&b'\r'));
        // By keyboard: Tab from the fix's button reaches Apply, Enter applies it.
        app.focus("finding-apply-context.crlf_scripts").await;
        app.press(Key::Tab).await;
        assert_eq!(app.focused().await, "finding-apply-confirm");
        app.scroll_to("finding-preview").await;
        app.screenshot("en-preflight-fix-dark").await;
        app.select("theme-select", "light").await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        app.focus("finding-apply-confirm").await;
        app.screenshot("en-preflight-fix").await;
        app.press(Key::Enter).await;

        // Applied, checked again: the file has LF endings and the finding is gone.
        app.find("preflight-applied").await;
        wait_state(&app, "preflight-applied", "data-state", "done", CHECK).await;
        let fixed = std::fs::read_to_string(&script).unwrap();
        assert!(!fixed.contains('\r'), "{fixed:?}");
        assert_eq!(fixed, CRLF_SCRIPT.replace("\r\n", "\n"));
        app.wait_gone("finding-context.crlf_scripts", SHORT).await;
        app.scroll_to("preflight").await;
        app.screenshot("en-preflight-fixed").await;
        app.select("theme-select", "system").await;

        app.click("wizard-save-deploy").await;

        // The deploy screen follows the release to healthy.
        wait_state(&app, "deploy-status", "data-phase", "finished", DEPLOY).await;
        app.screenshot("en-deploy-finished").await;
        // The screen is titled with the app's name, not the (temporary) folder's.
        app.wait_text("deploy-title", SHORT, |t| t == format!("Deploy {app_name}"))
            .await;
        let (code, body) = http_get(tb.server_host(), port, "/").unwrap();
        assert_eq!((code, body.trim()), (200, "你好 from the window"));
        assert!(project.path().join("ferry.toml").exists());

        // The dashboard shows it running, refreshing over SSH.
        app.click("nav-dashboard").await;
        wait_state(
            &app,
            &format!("status-state-{app_name}"),
            "data-state",
            "running",
            SHORT,
        )
        .await;
        let first = app
            .wait_text(&format!("status-version-{app_name}"), SHORT, |t| {
                t.len() == 15
            })
            .await;
        app.wait_text(&format!("status-http-{app_name}"), SHORT, |t| {
            t == "HTTP 200"
        })
        .await;
        app.screenshot("en-dashboard").await;

        // Logs, following a request made now.
        app.click(&format!("action-logs-{app_name}")).await;
        let follow = app.find("logs-follow").await;
        if follow.prop("checked").await.unwrap().as_deref() != Some("true") {
            follow.click().await.unwrap();
        }
        app.click("logs-start").await;
        app.wait_text("logs-output", SHORT, |t| t.contains("hello listening"))
            .await;
        http_get(tb.server_host(), port, "/from-the-window").unwrap();
        app.wait_text("logs-output", SHORT, |t| t.contains("GET /from-the-window"))
            .await;
        app.screenshot("en-dashboard-logs").await;
        app.click("logs-close").await;

        // A second release, then roll back to the first.
        tokio::time::sleep(Duration::from_secs(1)).await;
        app.click(&format!("action-redeploy-{app_name}")).await;
        wait_state(&app, "deploy-status", "data-phase", "finished", DEPLOY).await;
        app.click("nav-dashboard").await;
        app.wait_text(&format!("status-version-{app_name}"), SHORT, |t| {
            t.len() == 15 && t != first
        })
        .await;
        app.click(&format!("action-rollback-{app_name}")).await;
        wait_state(&app, "deploy-status", "data-phase", "finished", DEPLOY).await;
        app.screenshot("en-rollback-finished").await;
        app.click("nav-dashboard").await;
        app.wait_text(&format!("status-version-{app_name}"), SHORT, |t| t == first)
            .await;
        app.screenshot("en-dashboard-rolled-back").await;

        // The server page: the host's bars and every container, one of them not Ferry's.
        let foreign = "e2e-window-foreign";
        tb.server_docker(&["rm", "-f", foreign]);
        let image = tb.server_docker(&["inspect", "--format", "{{.Config.Image}}", app_name]);
        let image = String::from_utf8_lossy(&image.stdout).trim().to_string();
        let made = tb.server_docker(&["run", "-d", "--name", foreign, &image]);
        assert!(made.status.success(), "{made:?}");
        app.click(&format!("open-server-{app_name}")).await;
        app.wait_for("server-page", SHORT).await;
        let row = |name: &str| format!("server-container-{name}");
        wait_state(&app, &row(foreign), "data-ferry", "false", SHORT).await;
        wait_state(&app, &row(app_name), "data-ferry", "true", SHORT).await;
        app.wait_text("server-memory-bar-text", SHORT, |t| t.contains("GiB"))
            .await;
        app.screenshot("en-server").await;
        app.select("theme-select", "dark").await;
        app.screenshot("en-server-dark").await;
        app.select("theme-select", "light").await;
        tb.server_docker(&["rm", "-f", foreign]);

        // The app's page: charts filled by the dashboard's samples and the kept releases
        // (the rollback removed the one it left: only the first is there).
        app.click("back").await;
        app.click(&format!("open-app-{app_name}")).await;
        wait_state(
            &app,
            &format!("release-{first}"),
            "data-running",
            "true",
            SHORT,
        )
        .await;
        let enough = |t: &str| t.parse::<u32>().is_ok_and(|n| n >= 2);
        for chart in ["chart-cpu", "chart-memory"] {
            let deadline = tokio::time::Instant::now() + SHORT;
            while !enough(&state(&app, chart, "data-points").await) {
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "{chart} has no samples"
                );
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
        assert_eq!(
            state(&app, "chart-memory", "data-limit").await,
            (128u64 << 20).to_string()
        );
        app.screenshot("en-app").await;
        app.select("theme-select", "dark").await;
        app.screenshot("en-app-dark").await;
        app.select("theme-select", "light").await;
        app.click("nav-dashboard").await;

        // The same screens in Chinese, switched at run time.
        app.click("lang-zh").await;
        wait_state(&app, "lang-zh", "aria-pressed", "true", SHORT).await;
        app.screenshot("zh-dashboard").await;
        app.click(&format!("action-redeploy-{app_name}")).await;
        wait_state(&app, "deploy-status", "data-phase", "finished", DEPLOY).await;
        app.screenshot("zh-deploy-finished").await;

        // "Switch to" the first release from the app's page, in Chinese; then the server page.
        app.click("nav-dashboard").await;
        app.click(&format!("open-app-{app_name}")).await;
        wait_state(
            &app,
            &format!("release-{first}"),
            "data-running",
            "false",
            SHORT,
        )
        .await;
        app.screenshot("zh-app").await;
        app.select("theme-select", "dark").await;
        app.screenshot("zh-app-dark").await;
        app.select("theme-select", "light").await;
        app.click(&format!("release-switch-{first}")).await;
        wait_state(&app, "deploy-status", "data-phase", "finished", DEPLOY).await;
        app.screenshot("zh-switch-finished").await;
        app.click("nav-dashboard").await;
        app.wait_text(&format!("status-version-{app_name}"), SHORT, |t| t == first)
            .await;
        assert!(
            http_get(tb.server_host(), port, "/").is_ok(),
            "the first release answers again"
        );
        app.click(&format!("open-server-{app_name}")).await;
        wait_state(
            &app,
            &format!("server-container-{app_name}"),
            "data-ferry",
            "true",
            SHORT,
        )
        .await;
        app.screenshot("zh-server").await;
        app.select("theme-select", "dark").await;
        app.screenshot("zh-server-dark").await;
        app.select("theme-select", "light").await;

        app.close().await;
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_wizard_speaks_chinese_and_shows_connection_errors() {
        let tb = Testbed::load();
        let project = fresh_project();
        add_crlf_script(project.path());
        let app = App::start("zh_CN.UTF-8", &[]).await;
        // The language comes from the OS locale.
        wait_state(&app, "lang-zh", "aria-pressed", "true", SHORT).await;
        wizard_to_server(&app, &tb, project.path(), "zh").await;
        app.click("wizard-next").await;
        app.screenshot("zh-wizard-4-arch").await;
        app.click("wizard-next").await;
        app.screenshot("zh-wizard-5-registry").await;
        app.click("registry-none").await;
        app.click("wizard-next").await;
        app.fill("container-name", "e2e-zh").await;
        app.fill("container-health-path", "/healthz").await;
        app.screenshot("zh-wizard-6-container").await;
        app.click("wizard-next").await;
        app.wait_text("review-toml", SHORT, |t| t.contains("name = \"e2e-zh\""))
            .await;
        app.screenshot("zh-wizard-7-review").await;
        // The doctor's findings in Chinese.
        app.click("preflight-check").await;
        wait_state(
            &app,
            "finding-context.crlf_scripts",
            "data-severity",
            "warning",
            CHECK,
        )
        .await;
        wait_state(&app, "preflight-summary", "data-state", "done", CHECK).await;
        let summary = app.text("preflight-summary").await;
        assert!(summary.contains("个警告"), "{summary}");
        app.scroll_to("preflight").await;
        app.screenshot("zh-preflight").await;
        for _ in 0..4 {
            app.click("wizard-back").await;
        }

        // A wrong password is refused, and says so.
        app.click("server-auth-password").await;
        app.fill("server-password", "not-the-password").await;
        app.click("test-connection").await;
        wait_state(&app, "server-error", "data-kind", "auth_failed", SHORT).await;
        let message = app.text("server-error").await;
        assert!(message.contains("拒绝了以"), "{message}");
        app.screenshot("zh-wizard-3-server-wrong-password").await;

        // An address where no server answers.
        app.fill("server-host", "10.250.0.3").await;
        app.click("test-connection").await;
        wait_state(&app, "server-error", "data-kind", "unreachable", SHORT).await;
        let message = app.text("server-error").await;
        assert!(message.contains("10.250.0.3:22"), "{message}");
        app.screenshot("zh-wizard-3-server-unreachable").await;

        // Switching the language keeps what was typed, and the core's error follows it: the app
        // runs in a Chinese locale, so only the message's catalog id can make it English.
        app.click("lang-en").await;
        // (The OS's own error text inside it stays in the locale's language.)
        let message = app.text("server-error").await;
        assert!(
            message.contains("10.250.0.3:22") && message.contains("Check the"),
            "{message}"
        );
        let host = app.find("server-host").await.prop("value").await.unwrap();
        assert_eq!(host.as_deref(), Some("10.250.0.3"));
        app.close().await;
    }

    /// A variable switched to "Secret" in the wizard: its value goes to the real OS keyring
    /// (Secret Service), never into ferry.toml, and reaches the container at deploy; reopening
    /// the project shows it as saved. Screenshots of the container step: English and Chinese,
    /// light and dark.
    #[tokio::test(flavor = "multi_thread")]
    async fn a_secret_variable_typed_in_the_wizard_reaches_the_container_but_never_ferry_toml() {
        let tb = Testbed::load();
        let app_name = "e2e-secret";
        let port = 18602u16;
        // Quotes, `$` and a newline-free multibyte tail: what a shell would mangle.
        let secret = "s3cret 'greeting' $HOME \"密码\"";
        tb.clean_server(app_name);
        let project = fresh_project();
        let app = App::start("en_US.UTF-8", &[]).await;

        wizard_to_server(&app, &tb, project.path(), "secret-en").await;
        app.click("wizard-next").await;
        app.click("wizard-next").await;
        app.click("registry-none").await;
        app.click("wizard-next").await;

        app.fill("container-name", app_name).await;
        app.fill("container-port-0", &format!("{port}:8080")).await;
        app.fill("container-health-path", "/healthz").await;
        app.click("container-env-add").await;
        app.fill("container-env-key-0", "APP_ENV").await;
        app.fill("container-env-value-0", "production").await;
        app.click("container-env-add").await;
        app.fill("container-env-key-1", "GREETING").await;
        app.fill("container-env-value-1", secret).await;
        // The switch is the next stop after the value, and Space turns it on.
        app.focus("container-env-value-1").await;
        app.press(Key::Tab).await;
        assert_eq!(app.focused().await, "container-env-secret-1");
        app.press(Key::Space).await;
        wait_state(&app, "container-env-value-1", "type", "password", SHORT).await;
        let switch = app.find("container-env-secret-1").await;
        assert_eq!(
            switch.prop("checked").await.unwrap().as_deref(),
            Some("true")
        );
        let entry = format!("env/{app_name}/GREETING");
        let note = app
            .wait_text("container-env-secret-note-1", SHORT, |t| t.contains(&entry))
            .await;
        assert!(note.contains("OS keyring"), "{note}");
        assert_eq!(
            state(&app, "container-env-secret-note-1", "data-state").await,
            "new"
        );
        app.scroll_to("container-env-add").await;
        app.screenshot("en-wizard-6-container-secret").await;
        app.select("theme-select", "dark").await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        app.screenshot("en-wizard-6-container-secret-dark").await;
        app.click("lang-zh").await;
        wait_state(&app, "lang-zh", "aria-pressed", "true", SHORT).await;
        app.wait_text("container-env-secret-note-1", SHORT, |t| {
            t.contains("系统钥匙串")
        })
        .await;
        app.screenshot("zh-wizard-6-container-secret-dark").await;
        app.select("theme-select", "light").await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        app.screenshot("zh-wizard-6-container-secret").await;
        app.click("lang-en").await;
        app.select("theme-select", "system").await;
        app.click("wizard-next").await;

        // The preview lists the name in secret_env, never the value.
        let toml = app
            .wait_text("review-toml", SHORT, |t| t.contains("[server]"))
            .await;
        assert!(toml.contains("secret_env = [\"GREETING\"]"), "{toml}");
        assert!(toml.contains("APP_ENV = \"production\""), "{toml}");
        assert!(!toml.contains("s3cret"), "{toml}");
        let summary = app.text("review-summary-secrets").await;
        assert!(summary.contains("GREETING"), "{summary}");
        app.scroll_to("review-toml").await;
        app.screenshot("en-wizard-7-review-secret").await;

        // Save & Deploy: the keyring first, then ferry.toml, then the deploy reads the keyring.
        app.click("wizard-save-deploy").await;
        wait_state(&app, "deploy-status", "data-phase", "finished", DEPLOY).await;
        let written = std::fs::read_to_string(project.path().join("ferry.toml")).unwrap();
        assert!(written.contains("secret_env = [\"GREETING\"]"), "{written}");
        assert!(!written.contains("s3cret"), "{written}");
        let (code, body) = http_get(tb.server_host(), port, "/").unwrap();
        assert_eq!((code, body.trim()), (200, secret));
        let log = app.text("deploy-log").await;
        assert!(
            !log.contains("s3cret"),
            "the value is in the deploy log:\n{log}"
        );
        for file in walk(project.path()) {
            let text = std::fs::read(&file).unwrap();
            assert!(
                !String::from_utf8_lossy(&text).contains("s3cret"),
                "{} holds the secret",
                file.display()
            );
        }

        // Reopened, the row is still secret, empty, and known to be saved.
        app.click("nav-new").await;
        wait_state(&app, "docker-status", "data-state", "ok", SHORT).await;
        app.click("wizard-next").await;
        app.fill("project-dir", project.path().to_str().unwrap())
            .await;
        app.find("project-config-found").await;
        app.click("wizard-next").await;
        app.click("test-connection").await;
        app.wait_text("server-arch", SHORT, |t| t.contains("x86_64"))
            .await;
        for _ in 0..3 {
            app.click("wizard-next").await;
        }
        wait_state(
            &app,
            "container-env-secret-note-1",
            "data-state",
            "saved",
            SHORT,
        )
        .await;
        let switch = app.find("container-env-secret-1").await;
        assert_eq!(
            switch.prop("checked").await.unwrap().as_deref(),
            Some("true")
        );
        let value = app.find("container-env-value-1").await;
        assert_eq!(value.prop("value").await.unwrap().as_deref(), Some(""));
        assert_eq!(
            state(&app, "container-env-value-1", "type").await,
            "password"
        );
        app.scroll_to("container-env-add").await;
        app.screenshot("en-wizard-6-container-secret-saved").await;
        app.click("lang-zh").await;
        app.select("theme-select", "dark").await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        app.screenshot("zh-wizard-6-container-secret-saved-dark")
            .await;
        app.close().await;
        tb.clean_server(app_name);
    }
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
