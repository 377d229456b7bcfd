//! The commands of docs/app-api.md. Each parses its arguments, calls one ferry-core function
//! and maps the error; long operations report through their channel (see `operations`).
//! Argument names reach the UI in camelCase (`config_path` → `configPath`), Tauri's default.

use crate::error::AppError;
use crate::history::{self, HistoryEntry};
use crate::operations::{self, Done, Record};
use crate::state::AppState;
use ferry_core::adapters::docker::{Engine, EngineInfo};
use ferry_core::adapters::secret::Secret;
use ferry_core::adapters::secrets::{self, SecretStatus};
use ferry_core::catalog::Msg;
use ferry_core::doctor;
use ferry_core::events::{Event, Events};
use ferry_core::flows::connect::{blocking, ConnectOptions};
use ferry_core::flows::deploy::{self, DeployOptions};
use ferry_core::flows::inspect::{self, ProjectInfo};
use ferry_core::flows::login::{self, ServerCheck, SshLogin};
use ferry_core::flows::ops::{self, ContainerAction, Releases, Status};
use ferry_core::flows::overview::ServerOverview;
use ferry_core::formats::config::{self, Config, Project, Registry, Server};
use ferry_core::plan::Plan;
use serde::Deserialize;
use std::path::Path;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};

#[tauri::command]
pub async fn docker_info() -> Result<EngineInfo, AppError> {
    Ok(Engine::local_info().await?)
}

#[tauri::command]
pub async fn inspect_project(dir: String) -> Result<ProjectInfo, AppError> {
    Ok(blocking(move || inspect::project(Path::new(&dir))).await)
}

/// The Go toolchain and whether Docker is installed (the wizard's first step).
#[tauri::command]
pub async fn build_tools() -> Result<inspect::BuildTools, AppError> {
    Ok(blocking(inspect::build_tools).await)
}

/// `test_connection`'s `server`.
#[derive(Debug, Deserialize)]
pub struct ServerAddress {
    pub host: String,
    pub port: u16,
    pub user: String,
}

/// How the wizard logs in to the server.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SshAuth {
    Key {
        identity_file: String,
        /// The key's passphrase, when it has one and the keyring does not know it yet.
        #[serde(default)]
        passphrase: Option<String>,
        #[serde(default)]
        save: bool,
    },
    Agent,
    Password {
        password: String,
        save: bool,
    },
}

#[tauri::command]
pub async fn test_connection(
    state: State<'_, AppState>,
    server: ServerAddress,
    auth: SshAuth,
    trust_host_key: Option<String>,
) -> Result<ServerCheck, AppError> {
    let server = Server {
        host: server.host,
        port: server.port,
        user: server.user,
        identity_file: None,
        host_key: None,
    };
    let login = match auth {
        SshAuth::Key {
            identity_file,
            passphrase,
            save,
        } => SshLogin::Key {
            identity_file,
            passphrase: passphrase.filter(|p| !p.is_empty()).map(Secret::new),
            save,
        },
        SshAuth::Agent => SshLogin::Agent,
        SshAuth::Password { password, save } => SshLogin::Password {
            password: Secret::new(password),
            save,
        },
    };
    Ok(login::test_server(&server, login, trust_host_key, &state.keyring).await?)
}

#[tauri::command]
pub async fn test_registry(
    state: State<'_, AppState>,
    registry: Registry,
    password: String,
    save: bool,
) -> Result<(), AppError> {
    let password = Secret::new(password);
    Ok(login::test_registry(&registry, password, save, &state.keyring).await?)
}

/// The config arrives as JSON and goes through the core's checks, so that a wrong value is an
/// `AppError` of kind `config` naming its key (not a deserialization failure of the command).
#[tauri::command]
pub async fn config_toml(config: serde_json::Value) -> Result<String, AppError> {
    Ok(Config::from_json(config)?.to_toml())
}

#[tauri::command]
pub async fn save_config(dir: String, config: serde_json::Value) -> Result<String, AppError> {
    let config = Config::from_json(config)?;
    let path = blocking(move || config::save(Path::new(&dir), &config)).await?;
    Ok(path.display().to_string())
}

#[tauri::command]
pub async fn deploy<R: Runtime>(
    app: AppHandle<R>,
    config_path: String,
    trust_host_key: Option<String>,
    on_event: Channel<Event>,
) -> Result<u32, AppError> {
    let id = operations::start(
        &app,
        config_path,
        on_event,
        Record::History,
        |job| async move {
            let opts = DeployOptions {
                connect: ConnectOptions { trust_host_key },
                cancel: job.cancel,
            };
            let release = deploy::deploy(&job.project, &opts, &job.keyring, &job.events).await?;
            Ok(Done {
                message: release.summary(),
                version: Some(release.version),
            })
        },
    );
    Ok(id)
}

/// Runs every check; each finding arrives as a `data` event of kind `finding`.
#[tauri::command]
pub async fn doctor<R: Runtime>(
    app: AppHandle<R>,
    config_path: String,
    trust_host_key: Option<String>,
    on_event: Channel<Event>,
) -> Result<u32, AppError> {
    let id = operations::start(
        &app,
        config_path,
        on_event,
        Record::Nothing,
        |job| async move {
            let opts = ConnectOptions { trust_host_key };
            let report = doctor::run(&job.project, &opts, &job.keyring, &job.events).await?;
            Ok(Done {
                message: report.summary(),
                version: None,
            })
        },
    );
    Ok(id)
}

/// What a deploy would do now (`ferry deploy --plan`): connects and probes the server and asks
/// the local engine; builds nothing and changes nothing on the server.
#[tauri::command]
pub async fn plan<R: Runtime>(
    app: AppHandle<R>,
    config_path: String,
    trust_host_key: Option<String>,
) -> Result<Plan, AppError> {
    let project = Project::load(Path::new(&config_path))?;
    let opts = ConnectOptions { trust_host_key };
    let keyring = &app.state::<AppState>().keyring;
    Ok(deploy::plan_only(&project, &opts, keyring, &Events::discard()).await?)
}

/// Applies the automatic fix of the finding `id` the user accepted, if it is still the one they
/// were shown (`digest`, the finding's `auto_fix.digest`). The core runs the checks again and
/// applies the fix they derive: the webview names a finding, never commands or file contents.
/// Returns the fix's label.
#[tauri::command]
pub async fn apply_fix(
    state: State<'_, AppState>,
    config_path: String,
    id: String,
    digest: String,
    trust_host_key: Option<String>,
) -> Result<Msg, AppError> {
    let project = Project::load(Path::new(&config_path))?;
    let opts = ConnectOptions { trust_host_key };
    let events = Events::discard();
    let keyring = &state.keyring;
    Ok(doctor::fix_by_id(&project, &id, Some(&digest), &opts, keyring, &events).await?)
}

/// The language the core renders its texts in (errors, steps, findings), so that what it
/// sends is in the UI's language: `en` or `zh`.
#[tauri::command]
pub fn set_language(lang: String) {
    if let Some(lang) = ferry_core::catalog::Lang::from_tag(&lang) {
        ferry_core::catalog::set_lang(lang);
    }
}

#[tauri::command]
pub fn cancel(state: State<'_, AppState>, op: u32) {
    state.operations.cancel(op);
}

#[tauri::command]
pub async fn rollback<R: Runtime>(
    app: AppHandle<R>,
    config_path: String,
    to: Option<String>,
    on_event: Channel<Event>,
) -> Result<u32, AppError> {
    let id = operations::start(
        &app,
        config_path,
        on_event,
        Record::History,
        |job| async move {
            let opts = ConnectOptions::default();
            let (p, k, c, e) = (&job.project, &job.keyring, &job.cancel, &job.events);
            let back = ops::rollback(p, &opts, k, to.as_deref(), c, e);
            let back = back.await?;
            Ok(Done {
                message: back.summary(),
                version: Some(back.to),
            })
        },
    );
    Ok(id)
}

#[tauri::command]
pub async fn status(state: State<'_, AppState>, config_path: String) -> Result<Status, AppError> {
    let project = Project::load(Path::new(&config_path))?;
    Ok(state.connections.status(&project, &state.keyring).await?)
}

/// The host and every container on the app's server, over the server's open connection.
#[tauri::command]
pub async fn server_overview(
    state: State<'_, AppState>,
    config_path: String,
) -> Result<ServerOverview, AppError> {
    let project = Project::load(Path::new(&config_path))?;
    Ok(state.connections.overview(&project, &state.keyring).await?)
}

/// The app's kept releases, newest first.
#[tauri::command]
pub async fn releases(
    state: State<'_, AppState>,
    config_path: String,
) -> Result<Releases, AppError> {
    let project = Project::load(Path::new(&config_path))?;
    Ok(state.connections.releases(&project, &state.keyring).await?)
}

/// Writes the log the user sees to `path`, a file they picked in the save dialog.
#[tauri::command]
pub async fn save_log(path: String, text: String) -> Result<(), AppError> {
    let written = blocking(move || std::fs::write(&path, text).map_err(|e| (path, e))).await;
    written.map_err(|(path, e)| {
        let said = ferry_core::msg!("cli-log-file", path = path, detail = e.to_string());
        AppError::from(&ferry_core::Error::Said(said))
    })
}

#[tauri::command]
pub async fn container_action(
    state: State<'_, AppState>,
    config_path: String,
    action: ContainerAction,
) -> Result<(), AppError> {
    let project = Project::load(Path::new(&config_path))?;
    let opts = ConnectOptions::default();
    Ok(ops::container_action(&project, &opts, &state.keyring, action).await?)
}

#[tauri::command]
pub async fn logs<R: Runtime>(
    app: AppHandle<R>,
    config_path: String,
    lines: Option<usize>,
    follow: bool,
    since: Option<String>,
    on_event: Channel<Event>,
) -> Result<u32, AppError> {
    // The app shows every line's time in the user's time zone.
    let query = ops::LogQuery {
        lines,
        since: since.filter(|s| !s.trim().is_empty()),
        follow,
        timestamps: true,
    };
    let id = operations::start(
        &app,
        config_path,
        on_event,
        Record::Nothing,
        move |job| async move {
            let opts = ConnectOptions::default();
            let (p, k, c, e) = (&job.project, &job.keyring, &job.cancel, &job.events);
            ops::logs(p, &opts, k, &query, c, e).await?;
            Ok(Done {
                message: ferry_core::msg!("cli-end-of-log"),
                version: None,
            })
        },
    );
    Ok(id)
}

#[tauri::command]
pub async fn history<R: Runtime>(
    app: AppHandle<R>,
    config_path: String,
) -> Result<Vec<HistoryEntry>, AppError> {
    history::read(&app, &config_path)
}

#[tauri::command]
pub async fn secret_status(
    state: State<'_, AppState>,
    config_path: String,
) -> Result<Vec<SecretStatus>, AppError> {
    let project = Project::load(Path::new(&config_path))?;
    let keyring = state.keyring.clone();
    Ok(blocking(move || secrets::status(&project.config, &keyring)).await?)
}

/// Saves the value of the container's secret variable `name` in the keyring entry
/// `env/<app>/<name>` (the one a deploy reads); returns the entry's name. The value is never
/// logged nor echoed: a refusal names the app and the variable only.
#[tauri::command]
pub async fn save_env_secret(
    state: State<'_, AppState>,
    app: String,
    name: String,
    value: String,
) -> Result<String, AppError> {
    let (keyring, value) = (state.keyring.clone(), Secret::new(value));
    Ok(blocking(move || secrets::save_env_secret(&keyring, &app, &name, &value)).await?)
}
