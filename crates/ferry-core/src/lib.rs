//! Ferry's core: everything the desktop app and the `ferry` CLI do, with no Tauri in it.

pub mod catalog;
pub mod config;
pub mod connect;
pub mod context;
pub mod deploy;
pub mod diagnose;
pub mod docker;
pub mod dockerfile;
pub mod dockerignore;
pub mod doctor;
pub mod error;
pub mod events;
pub mod gomod;
pub mod inspect;
pub mod lock;
pub mod login;
pub mod ops;
pub mod plan;
pub mod release;
pub mod remote;
pub mod run;
pub mod secret;
pub mod secrets;
pub mod server;
pub mod ssh;
#[cfg(any(test, feature = "testbed"))]
pub mod testbed;
#[cfg(test)]
mod testing;

pub use error::Error;
/// Stops a deploy, rollback or log stream from another task (the app's Cancel button).
pub use tokio_util::sync::CancellationToken;
