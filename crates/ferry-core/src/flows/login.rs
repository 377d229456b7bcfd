//! Trying a server login and a registry login before they are written into `ferry.toml` (the
//! app's setup wizard), and saving the passwords that worked in the keyring.

use crate::adapters::docker::{Engine, RegistryAuth};
use crate::adapters::secret::Secret;
use crate::adapters::secrets::{self, Keyring};
use crate::adapters::server::{probe, ServerInfo};
use crate::adapters::ssh::{Credentials, Session, Target};
use crate::flows::connect::blocking;
use crate::formats::config::{Registry, Server};
use crate::Error;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

/// A server that let Ferry in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerCheck {
    /// The server's host key, to pin as `host_key` in ferry.toml.
    pub fingerprint: String,
    pub server: ServerInfo,
}

/// How to log in to a server being set up.
#[derive(Debug, Clone)]
pub enum SshLogin {
    /// This private key. Its passphrase: the one given (kept in the keyring once it worked
    /// when `save`), else from the environment or the keyring.
    Key {
        identity_file: String,
        passphrase: Option<Secret>,
        save: bool,
    },
    /// The SSH agent (or the usual keys in ~/.ssh).
    Agent,
    /// A password; `save` keeps it in the keyring once it worked.
    Password { password: Secret, save: bool },
}

/// Connects to `server` (`host`, `port`, `user`; its `host_key` when pinned), logs in, and
/// probes what it is. A first-seen host key fails with `SshError::UnknownHostKey` and its
/// fingerprint, until it comes back as `trust_host_key`.
pub async fn test_server(
    server: &Server,
    login: SshLogin,
    trust_host_key: Option<String>,
    keyring: &Keyring,
) -> Result<ServerCheck, Error> {
    let identity_file = match &login {
        SshLogin::Key { identity_file, .. } => Some(identity_file.clone()),
        _ => None,
    };
    let target = Target {
        host: server.host.clone(),
        port: server.port,
        user: server.user.clone(),
        identity_file: identity_file.as_ref().map(PathBuf::from),
        pinned_host_key: server.host_key.clone(),
        trust_host_key,
        known_hosts: None,
        connect_timeout: Duration::from_secs(10),
    };
    let given_passphrase = match &login {
        SshLogin::Key {
            passphrase: Some(p),
            save,
            ..
        } => Some((p.clone(), *save)),
        _ => None,
    };
    let (password, save) = match login {
        SshLogin::Password { password, save } => (Some(password), save),
        _ => (None, false),
    };
    let creds = Credentials {
        password: password.clone(),
        key_passphrase: match &given_passphrase {
            Some((p, _)) => Some(p.clone()),
            None => identity_file.as_deref().and_then(|key| {
                keyring
                    .resolve(
                        secrets::ENV_KEY_PASSPHRASE,
                        &secrets::key_passphrase_entry(key),
                    )
                    .ok()
                    .flatten()
            }),
        },
    };
    let passphrase_entry = identity_file.as_deref().map(secrets::key_passphrase_entry);
    let (host, user) = (server.host.clone(), server.user.clone());
    let entry = secrets::ssh_password_entry(server);
    let keyring = keyring.clone();
    blocking(move || -> Result<ServerCheck, Error> {
        let session = Session::connect(&target, &creds)?;
        let info = probe(&session, &host, &user)?;
        if let (Some(password), true) = (password, save) {
            keyring.set(&entry, &password)?;
        }
        if let (Some((passphrase, true)), Some(entry)) = (given_passphrase, passphrase_entry) {
            keyring.set(&entry, &passphrase)?;
        }
        Ok(ServerCheck {
            fingerprint: session.host_key_fingerprint().to_string(),
            server: info,
        })
    })
    .await
}

/// Checks the registry login through the local Docker engine (its TLS settings, as a push
/// will use them), or straight with the registry API when no engine answers (the Go builder
/// pushes that way); with `save`, keeps the password in the keyring once it worked.
pub async fn test_registry(
    registry: &Registry,
    password: Secret,
    save: bool,
    keyring: &Keyring,
) -> Result<(), Error> {
    let auth = RegistryAuth {
        server: registry.server.clone(),
        username: registry.username.clone(),
        password,
    };
    match Engine::connect().await {
        Ok(engine) => engine.check_login(&auth).await?,
        Err(_) => {
            let reference = format!("{}:latest", registry.image());
            crate::adapters::registry::push::check_login(&auth, &reference).await?
        }
    }
    if save {
        let entry = secrets::registry_entry(registry);
        let keyring = keyring.clone();
        blocking(move || keyring.set(&entry, &auth.password)).await?;
    }
    Ok(())
}
