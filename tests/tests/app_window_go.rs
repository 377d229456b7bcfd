//! The desktop app in its real window on a computer whose Docker engine does not answer: step 1
//! of the wizard offers "Build with Go, no Docker needed" with this machine's Go version, and
//! choosing it lets the user go on. Screenshots go to target/artifacts/ (`*-wizard-1-go*`).
//!
//! Needs the UI built into ui/dist, `cargo build -p ferry-app`, tauri-driver, a display and a Go
//! toolchain on PATH (as app_window.rs; no testbed: nothing here reaches a server).

use ferry_e2e::app::App;
use std::process::Command;
use std::time::Duration;

const SHORT: Duration = Duration::from_secs(20);

/// An engine address nothing listens on: `docker_info` fails as with Docker Desktop stopped.
const NO_ENGINE: &str = "unix:///nonexistent/docker.sock";

/// `go1.19.8`: what `go env GOVERSION` says on this machine (the app asks the same `go`).
fn local_go_version() -> String {
    let out = Command::new("go")
        .args(["env", "GOVERSION"])
        .output()
        .expect("a Go toolchain on PATH (`go`)");
    assert!(out.status.success(), "go env GOVERSION failed");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Whether the docker CLI is on PATH (the app then says Docker Desktop is not running).
fn docker_installed() -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("docker").is_file()))
}

async fn attr(app: &App, testid: &str, name: &str) -> Option<String> {
    app.find(testid).await.attr(name).await.unwrap_or(None)
}

async fn wait_attr(app: &App, testid: &str, name: &str, want: Option<&str>) {
    let deadline = std::time::Instant::now() + SHORT;
    loop {
        let now = attr(app, testid, name).await;
        if now.as_deref() == want {
            return;
        }
        if std::time::Instant::now() > deadline {
            let shot = app.screenshot(&format!("timeout-{testid}")).await;
            panic!(
                "{testid} {name}={now:?}, wanted {want:?}; see {}",
                shot.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The window tests share one X display and its keyboard focus: run them one at a time
/// (`--test-threads=1`); everything else skips them with `--skip window::`.
mod window {
    use super::*;

    #[tokio::test(flavor = "multi_thread")]
    async fn without_a_docker_engine_the_wizard_offers_go_and_choosing_it_goes_on() {
        let version = local_go_version();
        let app = App::start("en_US.UTF-8", &[("DOCKER_HOST", NO_ENGINE)]).await;

        let card = app.find("go-builder").await;
        assert_eq!(
            card.attr("data-state").await.unwrap().as_deref(),
            Some("offered")
        );
        assert!(
            app.text("go-builder")
                .await
                .contains("Build with Go, no Docker needed"),
            "{}",
            app.text("go-builder").await
        );
        assert_eq!(app.text("go-version").await, version);
        // Nothing answers at NO_ENGINE: "not running" only where Docker is installed.
        if docker_installed() {
            wait_attr(&app, "docker-status", "data-state", Some("unreachable")).await;
            assert!(app
                .text("docker-status")
                .await
                .contains("Docker Desktop is not running"));
        }
        // Next waits for the choice, and says so.
        assert!(attr(&app, "wizard-next", "disabled").await.is_some());
        assert_eq!(
            app.text("wizard-why").await,
            "Choose “Build with Go” to go on."
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        app.screenshot("en-wizard-1-go").await;

        app.click("go-use").await;
        wait_attr(&app, "go-builder", "data-state", Some("chosen")).await;
        wait_attr(&app, "wizard-next", "disabled", None).await;
        assert_eq!(
            attr(&app, "go-use", "aria-pressed").await.as_deref(),
            Some("true")
        );
        app.screenshot("en-wizard-1-go-chosen").await;

        // The same in Chinese, dark.
        app.click("lang-zh").await;
        app.select("theme-select", "dark").await;
        app.wait_text("go-builder", SHORT, |t| {
            t.contains("使用 Go 构建，无需 Docker")
        })
        .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.screenshot("zh-wizard-1-go-chosen-dark").await;
        app.select("theme-select", "light").await;
        app.click("lang-en").await;

        // Next goes on to the project, and the choice stays when coming back.
        app.click("wizard-next").await;
        wait_attr(&app, "wizard-step-project", "aria-current", Some("step")).await;
        app.find("project-dir").await;
        app.click("wizard-back").await;
        wait_attr(&app, "go-builder", "data-state", Some("chosen")).await;
        wait_attr(&app, "wizard-next", "disabled", None).await;

        app.close().await;
    }
}
