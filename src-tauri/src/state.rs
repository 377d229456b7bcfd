//! What the app keeps between commands: the keyring, the running operations, one SSH
//! connection per server for `status`.

use crate::operations::Operations;
use ferry_core::adapters::secrets::Keyring;
use ferry_core::adapters::ssh::SshError;
use ferry_core::events::Events;
use ferry_core::flows::connect::{self, ConnectOptions, Connection};
use ferry_core::flows::ops::{self, Releases, Status};
use ferry_core::flows::overview::{self, ServerOverview};
use ferry_core::formats::config::Project;
use ferry_core::Error;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub struct AppState {
    pub keyring: Keyring,
    pub operations: Operations,
    pub connections: Connections,
    /// Held while the history is read, changed and written back.
    pub history_lock: Mutex<()>,
}

impl AppState {
    pub fn new(keyring: Keyring) -> Self {
        AppState {
            keyring,
            operations: Operations::default(),
            connections: Connections::default(),
            history_lock: Mutex::new(()),
        }
    }
}

type Slot = Arc<tokio::sync::Mutex<Option<Arc<Connection>>>>;

/// Open SSH connections by `user@host:port`. A server's slot is locked only by calls for that
/// server, so an unreachable one (up to its connect timeout) holds up no other.
#[derive(Default)]
pub struct Connections {
    slots: Mutex<HashMap<String, Slot>>,
}

impl Connections {
    fn slot(&self, key: String) -> Slot {
        self.slots.lock().unwrap().entry(key).or_default().clone()
    }

    /// The project's status over its server's open connection.
    pub async fn status(&self, project: &Project, keyring: &Keyring) -> Result<Status, Error> {
        let quiet = &Events::discard();
        self.on(project, keyring, |conn| async move {
            ops::status_on(&conn, project, quiet).await
        })
        .await
    }

    /// The server's overview over its open connection.
    pub async fn overview(
        &self,
        project: &Project,
        keyring: &Keyring,
    ) -> Result<ServerOverview, Error> {
        let quiet = &Events::discard();
        self.on(project, keyring, |conn| async move {
            overview::overview_on(&conn, project, quiet).await
        })
        .await
    }

    /// The app's releases over its server's open connection.
    pub async fn releases(&self, project: &Project, keyring: &Keyring) -> Result<Releases, Error> {
        let quiet = &Events::discard();
        self.on(project, keyring, |conn| async move {
            ops::releases_on(&conn, project, quiet).await
        })
        .await
    }

    /// Runs `read` over the server's open connection; connects when there is none, and once
    /// more when the open one turns out to be broken.
    async fn on<T, F>(
        &self,
        project: &Project,
        keyring: &Keyring,
        read: impl Fn(Arc<Connection>) -> F,
    ) -> Result<T, Error>
    where
        F: std::future::Future<Output = Result<T, Error>> + Send,
    {
        let server = &project.config.server;
        let slot = self.slot(format!("{}@{}:{}", server.user, server.host, server.port));
        let mut cached = slot.lock().await;
        if let Some(conn) = cached.clone() {
            match read(conn).await {
                Err(e) if connection_lost(&e) => *cached = None,
                done => return done,
            }
        }
        let quiet = Events::discard();
        let conn = connect::open_app(project, &ConnectOptions::default(), keyring, &quiet).await?;
        let conn = Arc::new(conn);
        *cached = Some(conn.clone());
        read(conn).await
    }
}

/// Whether an error means the SSH connection itself is gone.
fn connection_lost(e: &Error) -> bool {
    matches!(
        e.ssh(),
        Some(SshError::Disconnected { .. } | SshError::Channel { .. })
    )
}
