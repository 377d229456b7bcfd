//! Ferry's desktop app: a Tauri shell over ferry-core. The commands (docs/app-api.md) live in
//! `commands`; each calls one core function. Nothing here knows how to deploy.

pub mod commands;
pub mod error;
pub mod history;
pub mod operations;
mod sink;
pub mod state;
mod window;

pub use error::AppError;
pub use state::AppState;

use ferry_core::adapters::secrets::Keyring;
use tauri::{Builder, Runtime};

/// The app on `builder`: its plugins, its state and its commands. `run` passes the real
/// runtime and the OS keyring; the tests a mock runtime and a mock keyring.
pub fn app<R: Runtime>(builder: Builder<R>, keyring: Keyring) -> Builder<R> {
    builder
        .plugin(tauri_plugin_store::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::new(keyring))
        .setup(|app| {
            window::restore(app);
            Ok(())
        })
        .on_window_event(window::on_event)
        .invoke_handler(tauri::generate_handler![
            commands::docker_info,
            commands::inspect_project,
            commands::build_tools,
            commands::test_connection,
            commands::test_registry,
            commands::config_toml,
            commands::save_config,
            commands::deploy,
            commands::doctor,
            commands::plan,
            commands::apply_fix,
            commands::cancel,
            commands::set_language,
            commands::rollback,
            commands::status,
            commands::container_action,
            commands::logs,
            commands::server_overview,
            commands::releases,
            commands::save_log,
            commands::history,
            commands::secret_status,
            commands::save_env_secret,
        ])
}

pub fn run() {
    ferry_core::catalog::set_lang(ferry_core::catalog::Lang::detect());
    app(tauri::Builder::default(), Keyring::os())
        .run(tauri::generate_context!())
        .expect("Ferry's window could not be started");
}
