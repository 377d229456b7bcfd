//! Ferry's core: everything the desktop app and the `ferry` CLI do, with no Tauri in it.

pub mod adapters;
pub mod catalog;
pub mod diagnose;
pub mod doctor;
pub mod error;
pub mod events;
pub mod flows;
pub mod formats;
pub mod plan;
#[cfg(any(test, feature = "testbed"))]
pub mod testbed;
#[cfg(test)]
mod testing;

pub use error::Error;
/// Stops a deploy, rollback or log stream from another task (the app's Cancel button).
pub use tokio_util::sync::CancellationToken;
