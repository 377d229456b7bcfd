//! Ferry's core: everything the desktop app and the `ferry` CLI do, with no Tauri in it.

pub mod config;
pub mod context;
pub mod docker;
pub mod dockerfile;
pub mod events;
pub mod remote;
pub mod secret;
pub mod secrets;
pub mod ssh;
