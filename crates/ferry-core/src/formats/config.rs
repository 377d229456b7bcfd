//! `ferry.toml`: the project's deployment settings (never a secret). Values are checked while
//! parsing, so every mistake is reported with the file, line and column it is on.

use crate::catalog::Msg;
use crate::msg;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

mod validate;
pub use validate::{Problem, Seg};

pub const FILE_NAME: &str = "ferry.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}", self.message())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", self.message())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}", self.message())]
    Inconsistent { path: PathBuf, message: Msg },
    /// A wrong value in a config given as data (the app's form), by its key path.
    #[error("{}", self.message())]
    Field { key: String, message: Msg },
    #[error("{}", self.message())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ConfigError {
    /// What went wrong and what to do, from the catalog.
    pub fn message(&self) -> Msg {
        match self {
            ConfigError::Read { path, source } => {
                msg!("config-read", path = path, detail = source.to_string())
            }
            ConfigError::Invalid {
                path,
                line,
                column,
                message,
            } => msg!(
                "config-at",
                path = path,
                line = *line,
                column = *column,
                message = message.clone()
            ),
            ConfigError::Inconsistent { path, message } => {
                msg!("config-in-file", path = path, message = message.clone())
            }
            ConfigError::Field { key, message } => {
                msg!("config-field", key = key, message = message.clone())
            }
            ConfigError::Write { path, source } => {
                msg!("config-write", path = path, detail = source.to_string())
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub app: App,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<Registry>,
    pub server: Server,
    #[serde(default)]
    pub container: Container,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health: Option<Health>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct App {
    /// The container's name on the server.
    pub name: ContainerName,
    /// Build context, relative to `ferry.toml`.
    #[serde(default = "default_context")]
    pub context: String,
    /// Without one, Ferry generates a Dockerfile for the Go module.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dockerfile: Option<String>,
    #[serde(default)]
    pub platform: Platform,
    /// What builds the image: the local Docker engine, or the Go toolchain alone.
    #[serde(default, skip_serializing_if = "Builder::is_auto")]
    pub builder: Builder,
    /// The Go main package for the generated Dockerfile (default: detected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub builder_image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_image: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub build_args: BTreeMap<String, String>,
}

fn default_context() -> String {
    ".".to_string()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    /// `host[:port]`, e.g. `registry.cn-hangzhou.aliyuncs.com`.
    pub server: String,
    pub username: String,
    /// The image is `server/repository:tag`.
    pub repository: String,
}

impl Registry {
    pub fn image(&self) -> String {
        format!("{}/{}", self.server, self.repository)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    pub host: String,
    #[serde(default = "default_ssh_port")]
    pub port: u16,
    pub user: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_file: Option<String>,
    /// Pinned host key fingerprint, `SHA256:...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_key: Option<String>,
}

fn default_ssh_port() -> u16 {
    22
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Container {
    #[serde(default)]
    pub ports: Vec<PortMapping>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Variables whose values are secrets: each comes from the OS keyring entry
    /// `env/<app>/<NAME>` (or `FERRY_SECRET_<NAME>`), never from this file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secret_env: Vec<String>,
    #[serde(default)]
    pub volumes: Vec<Volume>,
    #[serde(default)]
    pub restart: RestartPolicy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<Memory>,
    /// How a new release replaces the running one.
    #[serde(default, skip_serializing_if = "Strategy::is_default")]
    pub strategy: Strategy,
    /// How many releases stay on the server: the running one and the ones `rollback` can go
    /// back to.
    #[serde(
        default = "default_keep_releases",
        deserialize_with = "keep_releases",
        skip_serializing_if = "is_default_keep"
    )]
    pub keep_releases: usize,
}

impl Default for Container {
    fn default() -> Self {
        Container {
            ports: Vec::new(),
            env: BTreeMap::new(),
            secret_env: Vec::new(),
            volumes: Vec::new(),
            restart: RestartPolicy::default(),
            memory: None,
            strategy: Strategy::default(),
            keep_releases: KEEP_RELEASES,
        }
    }
}

/// The default of `[container] keep_releases`.
pub const KEEP_RELEASES: usize = 3;
/// The most releases Ferry keeps (each is a stopped container and its image).
pub const MAX_KEEP_RELEASES: usize = 20;

fn default_keep_releases() -> usize {
    KEEP_RELEASES
}

fn is_default_keep(n: &usize) -> bool {
    *n == KEEP_RELEASES
}

/// `keep_releases`, read as any integer so that a negative one gets the same clear message.
fn keep_releases<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let n = i64::deserialize(d)?;
    match usize::try_from(n) {
        Ok(n) if (1..=MAX_KEEP_RELEASES).contains(&n) => Ok(n),
        _ => Err(serde::de::Error::custom(keep_out_of_range(n))),
    }
}

fn keep_out_of_range(n: i64) -> Msg {
    msg!("config-keep-range", value = n, max = MAX_KEEP_RELEASES)
}

/// How a new release replaces the running one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// The new release starts beside the running one and must pass the health check before
    /// the running one is stopped: a release that fails never interrupts the service.
    #[default]
    StartFirst,
    /// The running release stops first (for apps that cannot run twice at once, e.g. one
    /// holding a lock on a SQLite or bbolt file in a shared volume).
    StopFirst,
}

impl Strategy {
    fn is_default(&self) -> bool {
        *self == Strategy::default()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::StartFirst => "start-first",
            Strategy::StopFirst => "stop-first",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Health {
    /// HTTP path to GET; without one, a container that stays up counts as healthy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The published (host) port to check; default: the first published port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(
        default = "default_health_timeout",
        deserialize_with = "health_timeout"
    )]
    pub timeout_secs: u64,
}

/// `timeout_secs`, read as any integer so that a negative one gets the same clear message.
fn health_timeout<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let n = i64::deserialize(d)?;
    match u64::try_from(n) {
        Ok(n) if (1..=MAX_HEALTH_TIMEOUT_SECS).contains(&n) => Ok(n),
        _ => Err(serde::de::Error::custom(timeout_out_of_range(n))),
    }
}

fn timeout_out_of_range(n: i64) -> Msg {
    msg!(
        "config-timeout-range",
        value = n,
        max = MAX_HEALTH_TIMEOUT_SECS
    )
}

fn default_health_timeout() -> u64 {
    30
}

/// The longest a release may take to pass its health check.
pub const MAX_HEALTH_TIMEOUT_SECS: u64 = 600;

/// Defines a string newtype whose values are checked by `check` while parsing.
macro_rules! checked_string {
    ($(#[$doc:meta])* $name:ident, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl TryFrom<String> for $name {
            type Error = Msg;
            fn try_from(value: String) -> Result<Self, Msg> {
                let check: fn(&str) -> Result<(), Msg> = $check;
                check(&value).map(|()| $name(value))
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

checked_string!(
    /// A Docker container name: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
    ContainerName,
    |s| {
        let mut chars = s.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
        let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if first_ok && rest_ok && s.len() <= 64 {
            Ok(())
        } else {
            Err(msg!("config-container-name", value = s))
        }
    }
);

/// Refuses the characters no command or request line may carry: NUL always, other control
/// characters (newlines included) unless `newlines` allows `\n`, `\r` and `\t`.
/// `what` names the value: `value`, `health-path` or `volume`.
fn no_control(what: &str, s: &str, newlines: bool) -> Result<(), Msg> {
    match s
        .chars()
        .find(|c| c.is_control() && !(newlines && matches!(c, '\n' | '\r' | '\t')))
    {
        None => Ok(()),
        Some('\0') => Err(msg!("config-nul", what = what)),
        Some(c) => Err(msg!(
            "config-control-char",
            what = what,
            code = format!("{:04X}", c as u32)
        )),
    }
}

/// A value that reaches a command as one word (a host, a user, an image): no spaces, no
/// control characters.
fn one_word(s: &str) -> Result<(), Msg> {
    no_control("value", s, false)?;
    if s.is_empty() || s.chars().any(char::is_whitespace) {
        return Err(msg!("config-one-word", value = s));
    }
    Ok(())
}

fn env_name(s: &str) -> Result<(), Msg> {
    if crate::adapters::remote::is_env_name(s) {
        Ok(())
    } else {
        Err(msg!(
            "config-env-name",
            value = s.escape_debug().to_string()
        ))
    }
}

fn health_path(s: &str) -> Result<(), Msg> {
    no_control("health-path", s, false)?;
    if !s.starts_with('/') {
        return Err(msg!("config-health-path-slash", value = s));
    }
    if s.chars().any(char::is_whitespace) {
        return Err(msg!("config-health-path-space", value = s));
    }
    Ok(())
}

checked_string!(
    /// A published port: `HOST:CONTAINER`, `IP:HOST:CONTAINER`, optionally `/tcp` or `/udp`.
    PortMapping,
    |s| parse_port_mapping(s).map(|_| ())
);

checked_string!(
    /// A volume: `/absolute/host/path:/container/path[:options]` or `named-volume:/path`.
    Volume,
    |s| check_volume(s)
);

fn check_volume(s: &str) -> Result<(), Msg> {
    no_control("volume", s, false)?;
    if s.contains('\\') || s.chars().nth(1) == Some(':') {
        return Err(msg!("config-volume-windows", value = s));
    }
    let usage = || msg!("config-volume-usage", value = s);
    let parts: Vec<&str> = s.split(':').collect();
    if !(parts.len() == 2 || parts.len() == 3) || parts[0].is_empty() {
        return Err(usage());
    }
    let (host, inside) = (parts[0], parts[1]);
    let named = host.starts_with(|c: char| c.is_ascii_alphanumeric())
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    if !host.starts_with('/') && !named {
        return Err(msg!(
            "config-volume-relative",
            host = host,
            value = s,
            inside = inside
        ));
    }
    if !inside.starts_with('/') {
        return Err(usage());
    }
    if let Some(options) = parts.get(2) {
        let known = [
            "ro",
            "rw",
            "z",
            "Z",
            "cached",
            "delegated",
            "consistent",
            "nocopy",
        ];
        if let Some(bad) = options.split(',').find(|o| !known.contains(o)) {
            return Err(msg!("config-volume-option", option = bad, value = s));
        }
    }
    if s.chars().any(char::is_whitespace) {
        return Err(msg!("config-volume-space", value = s));
    }
    Ok(())
}

checked_string!(
    /// A memory limit as Docker takes it: a number with b, k, m or g (`256m`, `1g`).
    Memory,
    |s| {
        let lower = s.to_ascii_lowercase();
        let digits = lower.trim_end_matches(['b', 'k', 'm', 'g']);
        let suffix_len = lower.len() - digits.len();
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) && suffix_len <= 1 {
            let m = Memory(s.to_string());
            if m.bytes() < 6 << 20 {
                return Err(msg!("config-memory-small", value = s));
            }
            Ok(())
        } else {
            Err(msg!("config-memory", value = s))
        }
    }
);

impl Memory {
    pub fn bytes(&self) -> u64 {
        let lower = self.0.to_ascii_lowercase();
        let digits = lower.trim_end_matches(['b', 'k', 'm', 'g']);
        let n: u64 = digits.parse().unwrap_or(0);
        match lower.chars().last() {
            Some('k') => n << 10,
            Some('m') => n << 20,
            Some('g') => n << 30,
            _ => n,
        }
    }
}

/// Published port parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortParts {
    pub host_ip: Option<String>,
    pub host: u16,
    pub container: u16,
    pub protocol: String,
}

pub fn parse_port_mapping(s: &str) -> Result<PortParts, Msg> {
    let bad = || msg!("config-port", value = s);
    let (addr, protocol) = match s.split_once('/') {
        Some((a, p)) if p == "tcp" || p == "udp" => (a, p.to_string()),
        Some(_) => return Err(bad()),
        None => (s, "tcp".to_string()),
    };
    let parts: Vec<&str> = addr.split(':').collect();
    let port = |p: &str| p.parse::<u16>().ok().filter(|n| *n > 0);
    match parts.as_slice() {
        [host, container] => Ok(PortParts {
            host_ip: None,
            host: port(host).ok_or_else(bad)?,
            container: port(container).ok_or_else(bad)?,
            protocol,
        }),
        [ip, host, container] => Ok(PortParts {
            host_ip: Some(ip.to_string()),
            host: port(host).ok_or_else(bad)?,
            container: port(container).ok_or_else(bad)?,
            protocol,
        }),
        _ => Err(bad()),
    }
}

impl PortMapping {
    pub fn parts(&self) -> PortParts {
        parse_port_mapping(&self.0).expect("checked when parsed")
    }
}

impl Volume {
    /// The path on the server, when this is a bind mount (not a named volume).
    pub fn host_path(&self) -> Option<&str> {
        let first = self.0.split(':').next().unwrap_or_default();
        first.starts_with('/').then_some(first)
    }
}

/// What builds the image (`[app] builder`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Builder {
    /// Docker when a local engine answers, else Go when a Go toolchain is found.
    #[default]
    Auto,
    /// The local Docker engine, with the project's Dockerfile or a generated one.
    Docker,
    /// The local Go toolchain cross-compiles; Ferry assembles the image itself (no Docker).
    Go,
}

impl Builder {
    pub fn is_auto(&self) -> bool {
        *self == Builder::Auto
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Builder::Auto => "auto",
            Builder::Docker => "docker",
            Builder::Go => "go",
        }
    }
}

/// The CPU architecture to build for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Platform {
    #[serde(rename = "linux/amd64")]
    Amd64,
    #[serde(rename = "linux/arm64")]
    Arm64,
    /// The server's `uname -m`.
    #[default]
    #[serde(rename = "auto")]
    Auto,
}

impl Platform {
    /// The platform for a server's `uname -m`.
    pub fn from_uname(machine: &str) -> Option<Platform> {
        match machine.trim() {
            "x86_64" | "amd64" => Some(Platform::Amd64),
            "aarch64" | "arm64" | "armv8l" => Some(Platform::Arm64),
            _ => None,
        }
    }

    /// Docker's architecture name (`amd64`, `arm64`).
    pub fn arch(self) -> Option<&'static str> {
        match self {
            Platform::Amd64 => Some("amd64"),
            Platform::Arm64 => Some("arm64"),
            Platform::Auto => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Amd64 => "linux/amd64",
            Platform::Arm64 => "linux/arm64",
            Platform::Auto => "auto",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RestartPolicy {
    No,
    Always,
    OnFailure,
    #[default]
    UnlessStopped,
}

impl RestartPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            RestartPolicy::No => "no",
            RestartPolicy::Always => "always",
            RestartPolicy::OnFailure => "on-failure",
            RestartPolicy::UnlessStopped => "unless-stopped",
        }
    }
}

/// A loaded `ferry.toml` and where it lives.
#[derive(Debug, Clone)]
pub struct Project {
    pub path: PathBuf,
    pub config: Config,
}

impl Project {
    pub fn load(path: &Path) -> Result<Project, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let config = Config::parse(&text, path)?;
        Ok(Project {
            path: path.to_path_buf(),
            config,
        })
    }

    /// The folder that holds `ferry.toml`.
    pub fn root(&self) -> PathBuf {
        self.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// The build context folder.
    pub fn context_dir(&self) -> PathBuf {
        self.root().join(&self.config.app.context)
    }
}

impl Config {
    /// Parses and checks `ferry.toml` text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|span| line_column(text, span.start))
                .unwrap_or((1, 1));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: toml_message(e.message().trim()).to_string(),
            }
        })?;
        validate::check(&config).map_err(|problem| {
            let offset = validate::locate(text, &problem).unwrap_or(0);
            let (line, column) = line_column(text, offset);
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: problem.message.to_string(),
            }
        })?;
        Ok(config)
    }

    /// The published port the health check talks to.
    pub fn health_port(&self) -> Option<u16> {
        let health = self.health.as_ref()?;
        health
            .port
            .or_else(|| self.container.ports.first().map(|p| p.parts().host))
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a Config always serializes")
    }

    /// A config given as JSON (the app's form), checked like `ferry.toml`; a wrong value is
    /// named by its key path, e.g. `container.ports[0]: ...`.
    pub fn from_json(value: serde_json::Value) -> Result<Config, ConfigError> {
        let config: Config = serde_path_to_error::deserialize(value).map_err(|e| {
            let key = e.path().to_string();
            let message = msg!("as-is", text = e.inner().to_string());
            ConfigError::Field {
                key: if key == "." {
                    "config".to_string()
                } else {
                    key
                },
                message,
            }
        })?;
        validate::check(&config).map_err(|problem| ConfigError::Field {
            key: problem.dotted(),
            message: problem.message,
        })?;
        Ok(config)
    }
}

/// A TOML or serde message in the user's language: the usual shapes (an unknown or missing
/// key, a wrong type or choice) from the catalog; Ferry's own checks already are; anything else
/// (a TOML syntax error) inside a sentence of the user's language.
fn toml_message(text: &str) -> Msg {
    let quoted = |s: &str| -> Option<String> {
        let start = s.find('`')? + 1;
        let end = start + s[start..].find('`')?;
        Some(s[start..end].to_string())
    };
    let expected = |s: &str| -> String {
        s.split_once(", expected ")
            .map(|(_, e)| e.trim_start_matches("one of ").to_string())
            .unwrap_or_default()
    };
    if let Some(rest) = text.strip_prefix("unknown field ") {
        if let Some(field) = quoted(rest) {
            return msg!(
                "config-unknown-field",
                field = field,
                expected = expected(rest)
            );
        }
    }
    if let Some(rest) = text.strip_prefix("unknown variant ") {
        if let Some(value) = quoted(rest) {
            return msg!(
                "config-unknown-variant",
                value = value,
                expected = expected(rest)
            );
        }
    }
    if let Some(rest) = text.strip_prefix("missing field ") {
        if let Some(field) = quoted(rest) {
            return msg!("config-missing-field", field = field);
        }
    }
    if let Some(rest) = text.strip_prefix("invalid type: ") {
        if let Some((got, want)) = rest.split_once(", expected ") {
            return msg!("config-invalid-type", got = got, expected = want);
        }
    }
    let chinese = text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    if crate::catalog::lang() == crate::catalog::Lang::Zh && !chinese {
        return msg!("config-toml-syntax", detail = text);
    }
    msg!("as-is", text = text)
}

/// Writes `config` as `dir/ferry.toml`, after reading the text back through the parser (so a
/// file Ferry writes always loads), and returns the file's path. Replaces the file at once
/// (written beside it, then renamed).
pub fn save(dir: &Path, config: &Config) -> Result<PathBuf, ConfigError> {
    let path = dir.join(FILE_NAME);
    let text = config.to_toml();
    let reread = Config::parse(&text, &path)?;
    if &reread != config {
        return Err(ConfigError::Inconsistent {
            path,
            message: msg!("config-not-round-trip"),
        });
    }
    let write_error = |source| ConfigError::Write {
        path: path.clone(),
        source,
    };
    let temp = dir.join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
    std::fs::write(&temp, text.as_bytes()).map_err(write_error)?;
    std::fs::rename(&temp, &path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        write_error(e)
    })?;
    Ok(path)
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Finds `ferry.toml` in `dir` or its parents.
pub fn find(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"
[app]
name = "hello"
context = "."
dockerfile = "Dockerfile"
platform = "linux/amd64"
builder_image = "golang:1.22"
runtime_image = "gcr.io/distroless/static-debian12"
build_args = { APP_ENV = "prod" }

[registry]
server = "registry.example.com:5000"
username = "deploy"
repository = "team/hello"

[server]
host = "203.0.113.10"
port = 22
user = "deployer"
identity_file = "~/.ssh/id_ed25519"
host_key = "SHA256:abc"

[container]
ports = ["8080:8080"]
env = { GREETING = "hello" }
volumes = ["/srv/hello/data:/data"]
restart = "unless-stopped"
memory = "256m"

[health]
path = "/healthz"
port = 8080
timeout_secs = 30
"#;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("ferry.toml"))
    }

    fn error_of(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn the_documented_example_parses() {
        let c = parse(FULL).unwrap();
        assert_eq!(c.app.name.as_str(), "hello");
        assert_eq!(c.app.platform, Platform::Amd64);
        assert_eq!(
            c.registry.unwrap().image(),
            "registry.example.com:5000/team/hello"
        );
        assert_eq!(c.container.memory.unwrap().bytes(), 256 << 20);
        assert_eq!(c.container.restart, RestartPolicy::UnlessStopped);
        assert_eq!(c.health.unwrap().timeout_secs, 30);
    }

    #[test]
    fn a_minimal_file_gets_defaults() {
        let c = parse("[app]\nname = \"a\"\n[server]\nhost = \"h\"\nuser = \"u\"\n").unwrap();
        assert_eq!(c.app.context, ".");
        assert_eq!(c.app.platform, Platform::Auto);
        assert_eq!(c.server.port, 22);
        assert!(c.registry.is_none());
        assert!(c.health.is_none());
    }

    #[test]
    fn an_unknown_key_names_file_line_and_column() {
        let text = FULL.replace("memory = \"256m\"", "memroy = \"256m\"");
        let err = error_of(&text);
        assert!(
            err.starts_with("ferry.toml:28:1: unknown field `memroy`"),
            "{err}"
        );
    }

    #[test]
    fn a_wrong_type_names_its_position() {
        let text = FULL.replace("port = 22", "port = \"twenty-two\"");
        let err = error_of(&text);
        assert!(err.starts_with("ferry.toml:18:8:"), "{err}");
        assert!(err.contains("u16") || err.contains("integer"), "{err}");
    }

    #[test]
    fn bad_values_say_what_to_write() {
        let err = error_of(&FULL.replace("\"8080:8080\"]", "\"8080-8080\"]"));
        assert!(err.starts_with("ferry.toml:24:"), "{err}");
        assert!(err.contains("SERVER_PORT:CONTAINER_PORT"), "{err}");

        let err = error_of(&FULL.replace("linux/amd64", "linux/386"));
        assert!(err.contains("ferry.toml:6:"), "{err}");

        let err = error_of(&FULL.replace("\"/srv/hello/data:/data\"", r#"'C:\data:/data'"#));
        assert!(err.contains("Windows path"), "{err}");

        let err = error_of(&FULL.replace("256m", "lots"));
        assert!(err.contains("\"256m\""), "{err}");

        let err = error_of(&FULL.replace("name = \"hello\"", "name = \"hello world\""));
        assert!(err.contains("not a valid container name"), "{err}");
    }

    /// Values Docker or a shell cannot take are refused while the file is read, at their
    /// line and column, before anything connects anywhere.
    #[test]
    fn hostile_values_are_refused_where_they_are() {
        let cases: &[(&str, &str, &str, &str)] = &[
            // (what to replace, with what, expected position, words of the message)
            (
                "env = { GREETING = \"hello\" }",
                "env = { GREETING = \"a\\u0000b\" }",
                "25:20",
                "NUL",
            ),
            (
                "env = { GREETING = \"hello\" }",
                "env = { \"A=B\" = \"x\" }",
                "25:9",
                "not an environment variable name",
            ),
            (
                "env = { GREETING = \"hello\" }",
                "env = { \"MY VAR\" = \"x\" }",
                "25:9",
                "not an environment variable name",
            ),
            (
                "env = { GREETING = \"hello\" }",
                "env = { \"A\\nB\" = \"x\" }",
                "25:9",
                "not an environment variable name",
            ),
            (
                "env = { GREETING = \"hello\" }",
                "env = { \"1ST\" = \"x\" }",
                "25:9",
                "not starting with a digit",
            ),
            (
                "\"/srv/hello/data:/data\"",
                "\"data/app:/data\"",
                "26:11",
                "neither an absolute path",
            ),
            (
                "\"/srv/hello/data:/data\"",
                "\"~/data:/data\"",
                "26:11",
                "neither an absolute path",
            ),
            (
                "\"/srv/hello/data:/data\"",
                "\"/srv/data:/data:rx\"",
                "26:11",
                "not a volume option",
            ),
            (
                "timeout_secs = 30",
                "timeout_secs = 0",
                "33:16",
                "out of range",
            ),
            (
                "timeout_secs = 30",
                "timeout_secs = 86400",
                "33:16",
                "out of range",
            ),
            (
                "timeout_secs = 30",
                "timeout_secs = -5",
                "33:16",
                "out of range",
            ),
            (
                "memory = \"256m\"",
                "memory = \"1k\"",
                "28:10",
                "smallest memory limit",
            ),
            (
                "path = \"/healthz\"",
                "path = \"/health z\"",
                "31:8",
                "contains a space",
            ),
            (
                "path = \"/healthz\"",
                "path = \"/a\\nHost: evil\"",
                "31:8",
                "control character",
            ),
            (
                "user = \"deployer\"",
                "user = \"deployer root\"",
                "19:8",
                "one word",
            ),
            (
                "host = \"203.0.113.10\"",
                "host = \"203.0.113.10\\n\"",
                "17:8",
                "control character",
            ),
            (
                "build_args = { APP_ENV = \"prod\" }",
                "build_args = { \"APP-ENV\" = \"prod\" }",
                "9:16",
                "not an environment variable name",
            ),
            (
                "restart = \"unless-stopped\"",
                "restart = \"unless-stopped\"\nsecret_env = [\"GREETING\"]",
                "28:15",
                "both in env and in secret_env",
            ),
            (
                "restart = \"unless-stopped\"",
                "restart = \"unless-stopped\"\nsecret_env = [\"DB-PASS\"]",
                "28:15",
                "not an environment variable name",
            ),
            (
                "restart = \"unless-stopped\"",
                "restart = \"unless-stopped\"\nstrategy = \"rolling\"",
                "28:12",
                "start-first",
            ),
            (
                "restart = \"unless-stopped\"",
                "restart = \"unless-stopped\"\nkeep_releases = 0",
                "28:17",
                "keep_releases = 0",
            ),
            (
                "restart = \"unless-stopped\"",
                "restart = \"unless-stopped\"\nkeep_releases = 99",
                "28:17",
                "1 to 20",
            ),
        ];
        let mut wrong = Vec::new();
        for (from, to, at, words) in cases {
            assert!(FULL.contains(from), "{from}");
            let err = error_of(&FULL.replacen(from, to, 1));
            if !err.starts_with(&format!("ferry.toml:{at}: ")) || !err.contains(words) {
                wrong.push(format!("{to}: expected at {at} `{words}`: {err}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // A value may hold newlines (a PEM key), and arrives verbatim.
        let pem = FULL.replace(
            "env = { GREETING = \"hello\" }",
            "env = { KEY = \"-----BEGIN-----\\nAAAA\\n-----END-----\\n\" }",
        );
        let c = parse(&pem).unwrap();
        assert_eq!(
            c.container.env["KEY"],
            "-----BEGIN-----\nAAAA\n-----END-----\n"
        );
        assert_eq!(
            parse(&FULL.replace("restart = \"unless-stopped\"", "strategy = \"stop-first\""))
                .unwrap()
                .container
                .strategy,
            Strategy::StopFirst
        );
        assert_eq!(
            parse(FULL).unwrap().container.strategy,
            Strategy::StartFirst
        );
        assert_eq!(parse(FULL).unwrap().container.keep_releases, 3);
        let five = FULL.replace("restart = \"unless-stopped\"", "keep_releases = 5");
        assert_eq!(parse(&five).unwrap().container.keep_releases, 5);
    }

    #[test]
    fn the_app_form_names_the_key_of_a_hostile_value() {
        let c = parse(FULL).unwrap();
        let mut json = serde_json::to_value(&c).unwrap();
        json["container"]["env"]["A B"] = "x".into();
        let err = Config::from_json(json).unwrap_err().to_string();
        assert!(err.starts_with("container.env.A B: "), "{err}");
        let mut json = serde_json::to_value(&c).unwrap();
        json["health"]["timeout_secs"] = 0.into();
        let err = Config::from_json(json).unwrap_err().to_string();
        assert!(err.starts_with("health.timeout_secs: "), "{err}");
    }

    #[test]
    fn cross_key_rules_are_checked() {
        let err = error_of(&FULL.replace("path = \"/healthz\"", "path = \"healthz\""));
        assert!(err.contains("must start with `/`"), "{err}");
    }

    #[test]
    fn port_mappings_parse_into_parts() {
        let p = parse_port_mapping("127.0.0.1:80:8080/udp").unwrap();
        assert_eq!(p.host_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!((p.host, p.container), (80, 8080));
        assert_eq!(p.protocol, "udp");
        assert!(parse_port_mapping("0:80").is_err());
        assert!(parse_port_mapping("80").is_err());
    }

    #[test]
    fn uname_maps_to_platforms() {
        assert_eq!(Platform::from_uname("x86_64\n"), Some(Platform::Amd64));
        assert_eq!(Platform::from_uname("aarch64"), Some(Platform::Arm64));
        assert_eq!(Platform::from_uname("ppc64le"), None);
    }

    #[test]
    fn a_config_round_trips_through_toml() {
        let c = parse(FULL).unwrap();
        assert_eq!(parse(&c.to_toml()).unwrap(), c);
    }

    #[test]
    fn json_from_the_app_is_checked_and_names_the_key() {
        let c = parse(FULL).unwrap();
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(Config::from_json(json.clone()).unwrap(), c);

        let mut bad = json.clone();
        bad["container"]["ports"][0] = "8080-8080".into();
        let err = Config::from_json(bad).unwrap_err().to_string();
        assert!(err.starts_with("container.ports[0]: "), "{err}");
        assert!(err.contains("SERVER_PORT:CONTAINER_PORT"), "{err}");

        let mut bad = json.clone();
        bad["server"]["port"] = "twenty-two".into();
        let err = Config::from_json(bad).unwrap_err().to_string();
        assert!(err.starts_with("server.port: "), "{err}");

        let mut bad = json;
        bad["health"]["path"] = "healthz".into();
        let err = Config::from_json(bad).unwrap_err().to_string();
        assert!(err.contains("must start with `/`"), "{err}");

        // Optional keys may come as null.
        let minimal = serde_json::json!({
            "app": {"name": "a", "context": ".", "platform": "auto", "dockerfile": null},
            "registry": null,
            "server": {"host": "h", "port": 22, "user": "u"},
            "container": {"ports": [], "env": {}, "volumes": [], "restart": "no"},
            "health": null,
        });
        assert!(Config::from_json(minimal).is_ok());
    }

    #[test]
    fn save_writes_a_file_that_loads() {
        let dir = tempfile::tempdir().unwrap();
        let c = parse(FULL).unwrap();
        let path = save(dir.path(), &c).unwrap();
        assert_eq!(path, dir.path().join(FILE_NAME));
        assert_eq!(Project::load(&path).unwrap().config, c);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let err = save(&dir.path().join("missing"), &c).unwrap_err();
        assert!(err.to_string().starts_with("cannot write"), "{err}");
    }
}
