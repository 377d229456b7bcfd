//! Passwords in the OS keyring (Windows Credential Manager, macOS Keychain, Secret Service on
//! Linux), with environment variables taking precedence for CI. Entries are named after what
//! they unlock, e.g. `registry/10.0.0.5:5000/deploy` or `ssh/deployer@203.0.113.10:22`.

use crate::adapters::secret::Secret;
use crate::catalog::Msg;
use crate::formats::config::{Config, Registry, Server};
use crate::msg;
use keyring_core::{CredentialStore, Entry};
use std::sync::Arc;

/// The keyring service all of Ferry's entries live under.
pub const SERVICE: &str = "ferry";

pub const ENV_REGISTRY_PASSWORD: &str = "FERRY_REGISTRY_PASSWORD";
pub const ENV_SSH_PASSWORD: &str = "FERRY_SSH_PASSWORD";
pub const ENV_KEY_PASSPHRASE: &str = "FERRY_SSH_KEY_PASSPHRASE";

#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("{}", self.message())]
    Unavailable(String),
    #[error("{}", self.message())]
    Entry { name: String, message: String },
    #[error("{}", self.message())]
    BadName(String),
    #[error("{}", self.message())]
    Empty(String),
    /// A secret environment variable the app was asked to save is not one a deploy can use.
    #[error("{}", self.message())]
    BadEnvSecret(Msg),
}

impl SecretsError {
    /// What went wrong and what to do, from the catalog.
    pub fn message(&self) -> Msg {
        match self {
            SecretsError::Unavailable(detail) => msg!("secrets-unavailable", detail = detail),
            SecretsError::Entry { name, message } => {
                msg!("secrets-entry", name = name, detail = message)
            }
            SecretsError::BadName(name) => msg!("secrets-bad-name", name = name),
            SecretsError::Empty(name) => msg!("secrets-empty", name = name),
            SecretsError::BadEnvSecret(m) => m.clone(),
        }
    }
}

/// The keyring entry name of a registry password.
pub fn registry_entry(registry: &Registry) -> String {
    format!("registry/{}/{}", registry.server, registry.username)
}

/// The keyring entry name of an SSH login password.
pub fn ssh_password_entry(server: &Server) -> String {
    format!("ssh/{}@{}:{}", server.user, server.host, server.port)
}

/// The keyring entry name of an SSH key's passphrase.
pub fn key_passphrase_entry(identity_file: &str) -> String {
    format!("ssh-key/{identity_file}")
}

/// The keyring entry name of a secret environment variable of the app's container.
pub fn env_entry(app: &str, name: &str) -> String {
    format!("env/{app}/{name}")
}

/// The environment variable that gives a secret container variable in CI.
pub fn env_override(name: &str) -> String {
    format!("FERRY_SECRET_{name}")
}

/// Every secret name a project can use, for listing what to set.
pub fn entries_for(config: &Config) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(r) = &config.registry {
        names.push(registry_entry(r));
    }
    match &config.server.identity_file {
        Some(key) => names.push(key_passphrase_entry(key)),
        None => names.push(ssh_password_entry(&config.server)),
    }
    for name in &config.container.secret_env {
        names.push(env_entry(config.app.name.as_str(), name));
    }
    names
}

/// Saves the value of the secret environment variable `name` of the container `app` in the
/// keyring entry `env/<app>/<name>` and returns that entry's name. Only a Docker container name
/// and an environment variable name are accepted, so the entry is exactly the one a deploy
/// reads. The value is never part of an error or a log.
pub fn save_env_secret(
    keyring: &Keyring,
    app: &str,
    name: &str,
    value: &Secret,
) -> Result<String, SecretsError> {
    crate::formats::config::ContainerName::try_from(app.to_string()).map_err(|m| {
        SecretsError::BadEnvSecret(msg!(
            "secrets-env-bad-app",
            name = name.escape_debug().to_string(),
            detail = m
        ))
    })?;
    if !crate::adapters::remote::is_env_name(name) {
        return Err(SecretsError::BadEnvSecret(msg!(
            "secrets-env-bad-name",
            name = name.escape_debug().to_string()
        )));
    }
    let entry = env_entry(app, name);
    if value.expose().is_empty() {
        return Err(SecretsError::BadEnvSecret(msg!(
            "secrets-env-empty",
            name = name,
            entry = &entry
        )));
    }
    if value.expose().contains('\0') {
        return Err(SecretsError::BadEnvSecret(msg!(
            "secrets-env-nul",
            name = name
        )));
    }
    keyring.set(&entry, value)?;
    Ok(entry)
}

/// Whether a keyring entry the project uses holds a value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SecretStatus {
    pub name: String,
    pub saved: bool,
}

/// Every entry the project can use, and whether the keyring holds it.
pub fn status(config: &Config, keyring: &Keyring) -> Result<Vec<SecretStatus>, SecretsError> {
    entries_for(config)
        .into_iter()
        .map(|name| {
            let saved = keyring.get(&name)?.is_some();
            Ok(SecretStatus { name, saved })
        })
        .collect()
}

fn check_name(name: &str) -> Result<(), SecretsError> {
    let known = ["registry/", "ssh/", "ssh-key/", "env/"]
        .iter()
        .any(|p| name.strip_prefix(p).is_some_and(|rest| !rest.is_empty()));
    if known {
        Ok(())
    } else {
        Err(SecretsError::BadName(name.to_string()))
    }
}

/// A handle on the keyring. The OS store is opened on first use, so runs that take every
/// password from the environment never need one.
#[derive(Clone, Default)]
pub struct Keyring {
    store: Option<Arc<CredentialStore>>,
}

impl Keyring {
    /// The operating system's keyring.
    pub fn os() -> Self {
        Keyring { store: None }
    }

    /// A specific store (tests use `keyring_core::mock`).
    pub fn with_store(store: Arc<CredentialStore>) -> Self {
        Keyring { store: Some(store) }
    }

    fn entry(&self, name: &str) -> Result<Entry, SecretsError> {
        check_name(name)?;
        let store = match &self.store {
            Some(store) => store.clone(),
            None => os_store()?,
        };
        Entry::new_in_store(&store, SERVICE, name).map_err(|e| entry_error(name, e))
    }

    pub fn set(&self, name: &str, value: &Secret) -> Result<(), SecretsError> {
        if value.expose().is_empty() {
            return Err(SecretsError::Empty(name.to_string()));
        }
        self.entry(name)?
            .set_password(value.expose())
            .map_err(|e| entry_error(name, e))
    }

    pub fn get(&self, name: &str) -> Result<Option<Secret>, SecretsError> {
        match self.entry(name)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(entry_error(name, e)),
        }
    }

    /// Removes an entry; `false` when there was none.
    pub fn delete(&self, name: &str) -> Result<bool, SecretsError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(false),
            Err(e) => Err(entry_error(name, e)),
        }
    }

    /// The value of `env_var` when set, else the keyring entry `name`, else `None`.
    pub fn resolve(&self, env_var: &str, name: &str) -> Result<Option<Secret>, SecretsError> {
        match std::env::var(env_var) {
            Ok(v) if !v.is_empty() => Ok(Some(Secret::new(v))),
            _ => self.get(name),
        }
    }
}

fn entry_error(name: &str, e: keyring_core::Error) -> SecretsError {
    match e {
        keyring_core::Error::NoStorageAccess(err) | keyring_core::Error::PlatformFailure(err) => {
            SecretsError::Unavailable(err.to_string())
        }
        other => SecretsError::Entry {
            name: name.to_string(),
            message: other.to_string(),
        },
    }
}

fn os_store() -> Result<Arc<CredentialStore>, SecretsError> {
    static STORE: std::sync::OnceLock<Result<Arc<CredentialStore>, String>> =
        std::sync::OnceLock::new();
    STORE
        .get_or_init(|| platform_store().map_err(|e| e.to_string()))
        .clone()
        .map_err(SecretsError::Unavailable)
}

#[cfg(all(unix, not(target_os = "macos")))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(windows)]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mock() -> Keyring {
        Keyring::with_store(keyring_core::mock::Store::new().unwrap())
    }

    #[test]
    fn set_get_delete_round_trip() {
        let k = mock();
        let name = "registry/reg:5000/deploy";
        assert!(k.get(name).unwrap().is_none());
        k.set(name, &Secret::new("pw")).unwrap();
        assert_eq!(k.get(name).unwrap().unwrap().expose(), "pw");
        assert!(k.delete(name).unwrap());
        assert!(!k.delete(name).unwrap());
    }

    #[test]
    fn names_must_be_ferry_names() {
        let err = mock().set("github-token", &Secret::new("x")).unwrap_err();
        assert!(err.to_string().contains("registry/SERVER/USER"), "{err}");
    }

    #[test]
    fn empty_values_are_refused() {
        let err = mock().set("ssh/u@h:22", &Secret::new("")).unwrap_err();
        assert!(err.to_string().contains("standard input"), "{err}");
    }

    #[test]
    fn an_env_secret_is_saved_under_its_app_and_name() {
        let k = mock();
        let entry = save_env_secret(&k, "hello", "DB_PASSWORD", &Secret::new("p'a\"s\nw")).unwrap();
        assert_eq!(entry, "env/hello/DB_PASSWORD");
        assert_eq!(k.get(&entry).unwrap().unwrap().expose(), "p'a\"s\nw");
    }

    #[test]
    fn an_env_secret_needs_a_container_name_and_a_variable_name() {
        let k = mock();
        let value = Secret::new("hunter2");
        for (app, name, says) in [
            ("hello", "DB-PASSWORD", "not an environment variable name"),
            ("hello", "1TOKEN", "not an environment variable name"),
            ("hello", "", "not an environment variable name"),
            ("hello", "A/B", "not an environment variable name"),
            ("../x", "DB_PASSWORD", "not a valid container name"),
            ("hello/DB", "PASSWORD", "not a valid container name"),
            ("", "DB_PASSWORD", "not a valid container name"),
        ] {
            let err = save_env_secret(&k, app, name, &value)
                .unwrap_err()
                .to_string();
            assert!(err.contains(says), "{app} {name}: {err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
        for bad in ["", "a\0b"] {
            let err = save_env_secret(&k, "hello", "DB_PASSWORD", &Secret::new(bad)).unwrap_err();
            assert!(err.to_string().contains("DB_PASSWORD"), "{err}");
        }
        assert!(k.get("env/hello/DB_PASSWORD").unwrap().is_none());
    }

    #[test]
    fn entry_names_follow_the_config() {
        let config = crate::formats::config::Config::parse(
            "[app]\nname='a'\n[registry]\nserver='r:5000'\nusername='d'\nrepository='t/a'\n\
             [server]\nhost='h'\nuser='u'\n",
            std::path::Path::new("ferry.toml"),
        )
        .unwrap();
        assert_eq!(
            entries_for(&config),
            vec!["registry/r:5000/d".to_string(), "ssh/u@h:22".to_string()]
        );
        let k = mock();
        k.set("ssh/u@h:22", &Secret::new("pw")).unwrap();
        let saved: Vec<(String, bool)> = status(&config, &k)
            .unwrap()
            .into_iter()
            .map(|s| (s.name, s.saved))
            .collect();
        assert_eq!(
            saved,
            vec![
                ("registry/r:5000/d".to_string(), false),
                ("ssh/u@h:22".to_string(), true)
            ]
        );
    }
}
