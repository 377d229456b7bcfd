//! Opening the SSH session to a project's server and learning what the server is. Shared by
//! deploy, status, logs, rollback and doctor.

use crate::adapters::remote::Cmd;
use crate::adapters::secrets::{self, Keyring};
use crate::adapters::server::Remote;
use crate::adapters::server::{probe, ServerInfo};
use crate::adapters::ssh::{Credentials, Output, Session, SshError, Target};
use crate::events::{Events, Step};
use crate::formats::config::Project;
use crate::msg;
use crate::Error;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How to reach the server, beyond what `ferry.toml` says.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// A first-seen host key fingerprint the user accepted (`--trust-host-key`).
    pub trust_host_key: Option<String>,
}

/// An open session and what the server turned out to be.
pub struct Connection {
    pub session: Arc<Session>,
    pub server: ServerInfo,
    /// The same session as a [`Remote`] that can reconnect (for a release switch, which must
    /// be able to put things back after the connection broke).
    pub link: Arc<Link>,
    /// A release switch an earlier Ferry left midway, finished when this connection opened
    /// ([`open_app`]).
    pub recovered: Option<crate::flows::release::Recovered>,
}

/// A session that is replaced by a new one when it breaks, on request.
pub struct Link {
    current: Mutex<Arc<Session>>,
    target: Target,
    creds: Credentials,
}

impl Link {
    pub fn session(&self) -> Arc<Session> {
        self.current.lock().unwrap().clone()
    }
}

impl Remote for Link {
    fn run(&self, cmd: &Cmd) -> Result<Output, SshError> {
        self.session().run(cmd)
    }

    fn http_get(
        &self,
        addr: &str,
        port: u16,
        path: &str,
        timeout: Duration,
    ) -> Result<u16, SshError> {
        self.session().http_get(addr, port, path, timeout)
    }

    fn reconnect(&self) -> Result<bool, SshError> {
        let fresh = Session::connect(&self.target, &self.creds)?;
        *self.current.lock().unwrap() = Arc::new(fresh);
        Ok(true)
    }
}

/// Runs blocking work (SSH) on its own thread.
pub async fn blocking<T, F>(f: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .expect("a blocking task panicked")
}

/// Runs `work` until it ends or `cancel` fires, whichever is first; a cancel drops `work` where
/// it waits and returns [`Error::Cancelled`]. Blocking work it started on other threads (an SSH
/// connect, a command) runs to its own end there, its result unused.
pub async fn until_cancelled<T>(
    cancel: &crate::CancellationToken,
    work: impl std::future::Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(Error::Cancelled),
        result = work => result,
    }
}

/// The SSH target for a project.
pub fn target(project: &Project, opts: &ConnectOptions) -> Target {
    let s = &project.config.server;
    Target {
        host: s.host.clone(),
        port: s.port,
        user: s.user.clone(),
        identity_file: s.identity_file.as_ref().map(PathBuf::from),
        pinned_host_key: s.host_key.clone(),
        trust_host_key: opts.trust_host_key.clone(),
        known_hosts: None,
        connect_timeout: Duration::from_secs(10),
    }
}

/// Passwords for the SSH login: environment first, then the keyring. A keyring that cannot be
/// opened counts as "no password saved": key and agent logins need none.
pub fn credentials(project: &Project, keyring: &Keyring) -> Credentials {
    let s = &project.config.server;
    let lookup = |env: &str, name: String| keyring.resolve(env, &name).ok().flatten();
    Credentials {
        password: lookup(secrets::ENV_SSH_PASSWORD, secrets::ssh_password_entry(s)),
        key_passphrase: s.identity_file.as_ref().and_then(|key| {
            lookup(
                secrets::ENV_KEY_PASSPHRASE,
                secrets::key_passphrase_entry(key),
            )
        }),
    }
}

/// Connects, checks the host key, logs in, and probes the server.
pub async fn open(
    project: &Project,
    opts: &ConnectOptions,
    keyring: &Keyring,
    events: &Events,
) -> Result<Connection, Error> {
    let target = target(project, opts);
    let creds = credentials(project, keyring);
    let timer = events.started(
        Step::Connect,
        msg!(
            "step-connect",
            user = &target.user,
            host = &target.host,
            port = target.port
        ),
    );
    let (t, c) = (target.clone(), creds.clone());
    let session = blocking(move || Session::connect(&t, &c)).await?;
    events.finished_step(
        timer,
        msg!(
            "step-connect-done",
            fingerprint = session.host_key_fingerprint()
        ),
    );
    let session = Arc::new(session);

    let timer = events.started(Step::Probe, msg!("step-probe"));
    let (host, user) = (
        project.config.server.host.clone(),
        project.config.server.user.clone(),
    );
    let s = session.clone();
    let server = blocking(move || probe(&*s, &host, &user)).await?;
    events.data(Step::Probe, "server", &server);
    events.finished_step(
        timer,
        msg!(
            "step-probe-done",
            os = if server.os_name.is_empty() {
                "Linux"
            } else {
                &server.os_name
            },
            machine = &server.machine,
            docker = &server.docker_version,
            sudo = if server.sudo { "yes" } else { "no" }
        ),
    );
    let link = Arc::new(Link {
        current: Mutex::new(session.clone()),
        target,
        creds,
    });
    Ok(Connection {
        session,
        server,
        link,
        recovered: None,
    })
}

/// [`open`], then, before anything else is done with the app, finishes a release switch of it
/// that an earlier Ferry left midway (it was killed, or lost the server for good), and says so.
pub async fn open_app(
    project: &Project,
    opts: &ConnectOptions,
    keyring: &Keyring,
    events: &Events,
) -> Result<Connection, Error> {
    let mut conn = open(project, opts, keyring, events).await?;
    let (link, docker) = (conn.link.clone(), conn.server.docker());
    let app = project.config.app.name.to_string();
    let ev = events.clone();
    conn.recovered =
        blocking(move || crate::flows::release::finish_interrupted(&*link, docker, &app, &ev))
            .await?;
    Ok(conn)
}
