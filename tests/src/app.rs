//! Driving the real Ferry window: `tauri-driver` (WebDriver, on top of WebKitWebDriver) starts
//! the debug build of the app under the X display the suite runs in (Xvfb), and `fantoccini`
//! talks to it. Elements are found by their `data-testid` (see ui/TESTIDS.md).

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The app's debug binary: `$FERRY_APP_BIN`, or the workspace's build.
pub fn app_bin() -> PathBuf {
    if let Ok(p) = std::env::var("FERRY_APP_BIN") {
        return PathBuf::from(p);
    }
    let bin = super::target_dir().join("debug/ferry-app");
    assert!(
        bin.exists(),
        "{} does not exist: build the UI (npm run build in ui/) and `cargo build -p ferry-app`",
        bin.display()
    );
    bin
}

/// Where screenshots go, to be looked at by a person.
pub fn artifacts() -> PathBuf {
    let dir = super::target_dir().join("artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A running app window under WebDriver, with its own HOME and data folders.
pub struct App {
    pub client: Client,
    driver: Child,
    pub home: tempfile::TempDir,
}

impl App {
    /// Starts the app with a fresh HOME (no stored settings), in `lang` (e.g. "zh_CN.UTF-8").
    pub async fn start(lang: &str, env: &[(&str, &str)]) -> App {
        let home = tempfile::tempdir().unwrap();
        let port = free_port();
        let native = free_port();
        let mut cmd = Command::new(tauri_driver());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join(".local/share"))
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .env("LANG", lang)
        .env("LC_ALL", lang)
        .env("NO_AT_BRIDGE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        // Its own process group, so that WebKitWebDriver (its child) goes with it.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let driver = cmd
            .spawn()
            .expect("tauri-driver (cargo install tauri-driver --locked)");
        wait_port(port);
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app_bin() }),
        );
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session with the app");
        App {
            client,
            driver,
            home,
        }
    }

    pub async fn find(&self, testid: &str) -> Element {
        self.wait_for(testid, Duration::from_secs(20)).await
    }

    /// Waits until an element with `testid` is present.
    pub async fn wait_for(&self, testid: &str, timeout: Duration) -> Element {
        let css = format!("[data-testid=\"{testid}\"]");
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(e) = self.client.find(Locator::Css(&css)).await {
                return e;
            }
            if Instant::now() > deadline {
                let shot = self.screenshot(&format!("missing-{testid}")).await;
                panic!(
                    "no element [data-testid={testid}] within {timeout:?}; see {}",
                    shot.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Waits until the text of `testid` satisfies `check`; returns it.
    pub async fn wait_text(
        &self,
        testid: &str,
        timeout: Duration,
        check: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + timeout;
        let mut last = String::new();
        loop {
            if let Ok(e) = self
                .client
                .find(Locator::Css(&format!("[data-testid=\"{testid}\"]")))
                .await
            {
                last = e.text().await.unwrap_or_default();
                if check(&last) {
                    return last;
                }
            }
            if Instant::now() > deadline {
                let shot = self.screenshot(&format!("timeout-{testid}")).await;
                panic!(
                    "[data-testid={testid}] never matched within {timeout:?}; last text: {last:?}; see {}",
                    shot.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    pub async fn click(&self, testid: &str) {
        self.find(testid).await.click().await.unwrap();
    }

    /// Replaces the value of a text field by typing. Under a Chinese locale WebKitWebDriver's
    /// typing loses Shift (capitals, `_`) on Xvfb; what it mistyped is then set directly, with
    /// the `input` event the UI listens to.
    pub async fn fill(&self, testid: &str, text: &str) {
        let e = self.find(testid).await;
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
        if e.prop("value").await.unwrap().as_deref() == Some(text) {
            return;
        }
        let script = "const [el, value] = arguments; \
            Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, value); \
            el.dispatchEvent(new Event('input', { bubbles: true }));";
        let el = serde_json::to_value(&e).unwrap();
        self.client
            .execute(script, vec![el, serde_json::json!(text)])
            .await
            .unwrap();
    }

    /// Waits until no element with `testid` is present.
    pub async fn wait_gone(&self, testid: &str, timeout: Duration) {
        let css = format!("[data-testid=\"{testid}\"]");
        let deadline = Instant::now() + timeout;
        while self.client.find(Locator::Css(&css)).await.is_ok() {
            if Instant::now() > deadline {
                let shot = self.screenshot(&format!("still-{testid}")).await;
                panic!(
                    "[data-testid={testid}] still there after {timeout:?}; see {}",
                    shot.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    /// Scrolls `testid` into the middle of the window (for a screenshot of it).
    pub async fn scroll_to(&self, testid: &str) {
        let el = serde_json::to_value(self.find(testid).await).unwrap();
        self.client
            .execute(
                "arguments[0].scrollIntoView({ block: 'center' });",
                vec![el],
            )
            .await
            .unwrap();
    }

    /// Moves the keyboard focus to `testid` (as Tab would).
    pub async fn focus(&self, testid: &str) {
        let el = serde_json::to_value(self.find(testid).await).unwrap();
        let focused = self
            .client
            .execute(
                "arguments[0].focus(); return document.activeElement === arguments[0];",
                vec![el],
            )
            .await
            .unwrap();
        assert_eq!(
            focused,
            serde_json::json!(true),
            "{testid} cannot take the focus"
        );
    }

    /// The `data-testid` of the element with the keyboard focus ("" for none).
    pub async fn focused(&self) -> String {
        let id = self
            .client
            .execute(
                "const e = document.activeElement; return e && e.dataset ? (e.dataset.testid || '') : '';",
                vec![],
            )
            .await
            .unwrap();
        id.as_str().unwrap_or_default().to_string()
    }

    /// Presses and releases `key` on the keyboard (it goes to the focused element).
    pub async fn press(&self, key: Key) {
        let value: char = key.into();
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
        self.client.perform_actions(keys).await.unwrap();
        self.client.release_actions().await.unwrap();
    }

    /// Chooses `value` in the `<select>` `testid`, with the `change` event the UI listens to.
    pub async fn select(&self, testid: &str, value: &str) {
        let el = serde_json::to_value(self.find(testid).await).unwrap();
        let script = "const [el, value] = arguments; el.value = value; \
            el.dispatchEvent(new Event('change', { bubbles: true }));";
        self.client
            .execute(script, vec![el, serde_json::json!(value)])
            .await
            .unwrap();
    }

    pub async fn text(&self, testid: &str) -> String {
        self.find(testid).await.text().await.unwrap()
    }

    /// Saves a screenshot of the window as `target/artifacts/NAME.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let path = artifacts().join(format!("{name}.png"));
        if let Ok(png) = self.client.screenshot().await {
            std::fs::write(&path, png).unwrap();
        }
        path
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        self.stop_driver();
    }

    /// Stops tauri-driver and everything it started (the group it leads).
    fn stop_driver(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.stop_driver();
    }
}

fn tauri_driver() -> PathBuf {
    let cargo_bin = dirs_home().join(".cargo/bin/tauri-driver");
    if cargo_bin.exists() {
        cargo_bin
    } else {
        PathBuf::from("tauri-driver")
    }
}

fn dirs_home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new("/root").to_path_buf())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "tauri-driver did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
