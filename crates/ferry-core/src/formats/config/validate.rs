//! The rules a parsed `ferry.toml` must also pass: values that would reach a command on the
//! server (NUL, control characters, names Docker or a shell cannot take, relative paths),
//! numbers out of range, and rules spanning several keys. Each problem names the key it is
//! about, so that it can be reported at the key's line and column.

use super::{no_control, Config, MAX_HEALTH_TIMEOUT_SECS};
use crate::catalog::Msg;
use crate::msg;

/// One step of a key path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Where a problem is: the value at `path`, or (for a bad table key) the key itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: Vec<Seg>,
    pub at_key: bool,
    pub message: Msg,
}

impl Problem {
    fn value(path: &[&str], message: Msg) -> Problem {
        Problem {
            path: path.iter().map(|k| Seg::Key(k.to_string())).collect(),
            at_key: false,
            message,
        }
    }

    fn item(path: &[&str], index: usize, message: Msg) -> Problem {
        let mut p = Problem::value(path, message);
        p.path.push(Seg::Index(index));
        p
    }

    fn key(path: &[&str], key: &str, message: Msg) -> Problem {
        let mut p = Problem::value(path, message);
        p.path.push(Seg::Key(key.to_string()));
        p.at_key = true;
        p
    }

    /// `container.env.DB_HOST`, `container.ports[0]`.
    pub fn dotted(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key(k) if out.is_empty() => out.push_str(k),
                Seg::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Seg::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

/// The first problem of `config`, in file order as far as practical.
pub fn check(config: &Config) -> Result<(), Problem> {
    app(config)?;
    registry(config)?;
    server(config)?;
    container(config)?;
    keep(config)?;
    health(config)?;
    Ok(())
}

fn word(path: &[&str], value: &str) -> Result<(), Problem> {
    super::one_word(value).map_err(|m| Problem::value(path, m))
}

fn plain(path: &[&str], value: &str) -> Result<(), Problem> {
    no_control("value", value, false).map_err(|m| Problem::value(path, m))
}

fn app(c: &Config) -> Result<(), Problem> {
    let a = &c.app;
    plain(&["app", "context"], &a.context)?;
    if let Some(df) = &a.dockerfile {
        plain(&["app", "dockerfile"], df)?;
    }
    if let Some(main) = &a.main {
        word(&["app", "main"], main)?;
    }
    if let Some(image) = &a.builder_image {
        word(&["app", "builder_image"], image)?;
    }
    if let Some(image) = &a.runtime_image {
        word(&["app", "runtime_image"], image)?;
    }
    for (name, value) in &a.build_args {
        super::env_name(name).map_err(|m| Problem::key(&["app", "build_args"], name, m))?;
        no_control("value", value, true)
            .map_err(|m| Problem::value(&["app", "build_args", name], m))?;
    }
    Ok(())
}

fn registry(c: &Config) -> Result<(), Problem> {
    let Some(r) = &c.registry else {
        return Ok(());
    };
    if r.server.contains("://") {
        return Err(Problem::value(
            &["registry", "server"],
            msg!("config-registry-scheme", server = &r.server),
        ));
    }
    word(&["registry", "server"], &r.server)?;
    if r.server.contains(['"', '\'', '\\', '/']) {
        return Err(Problem::value(
            &["registry", "server"],
            msg!("config-registry-host", server = &r.server),
        ));
    }
    word(&["registry", "username"], &r.username)?;
    word(&["registry", "repository"], &r.repository)?;
    Ok(())
}

fn server(c: &Config) -> Result<(), Problem> {
    let s = &c.server;
    word(&["server", "host"], &s.host)?;
    word(&["server", "user"], &s.user)?;
    if let Some(key) = &s.identity_file {
        plain(&["server", "identity_file"], key)?;
    }
    if let Some(fp) = &s.host_key {
        word(&["server", "host_key"], fp)?;
    }
    Ok(())
}

fn container(c: &Config) -> Result<(), Problem> {
    let k = &c.container;
    for (name, value) in &k.env {
        super::env_name(name).map_err(|m| Problem::key(&["container", "env"], name, m))?;
        no_control("value", value, true)
            .map_err(|m| Problem::value(&["container", "env", name], m))?;
    }
    for (i, name) in k.secret_env.iter().enumerate() {
        super::env_name(name).map_err(|m| Problem::item(&["container", "secret_env"], i, m))?;
        if k.env.contains_key(name) {
            return Err(Problem::item(
                &["container", "secret_env"],
                i,
                msg!(
                    "config-secret-env-in-env",
                    name = name,
                    app = c.app.name.as_str()
                ),
            ));
        }
        if k.secret_env[..i].contains(name) {
            return Err(Problem::item(
                &["container", "secret_env"],
                i,
                msg!("config-secret-env-twice", name = name),
            ));
        }
    }
    Ok(())
}

fn keep(c: &Config) -> Result<(), Problem> {
    let n = c.container.keep_releases;
    if (1..=super::MAX_KEEP_RELEASES).contains(&n) {
        Ok(())
    } else {
        Err(Problem::value(
            &["container", "keep_releases"],
            super::keep_out_of_range(n as i64),
        ))
    }
}

fn health(c: &Config) -> Result<(), Problem> {
    let Some(h) = &c.health else {
        return Ok(());
    };
    if let Some(p) = &h.path {
        super::health_path(p).map_err(|m| Problem::value(&["health", "path"], m))?;
        if h.port.is_none() && c.container.ports.is_empty() {
            return Err(Problem::value(
                &["health", "path"],
                msg!("config-health-no-port"),
            ));
        }
    }
    if h.port == Some(0) {
        return Err(Problem::value(
            &["health", "port"],
            msg!("config-health-port-zero"),
        ));
    }
    if !(1..=MAX_HEALTH_TIMEOUT_SECS).contains(&h.timeout_secs) {
        return Err(Problem::value(
            &["health", "timeout_secs"],
            super::timeout_out_of_range(h.timeout_secs as i64),
        ));
    }
    Ok(())
}

/// The 0-based byte offset of what `problem` is about in `text`, found with toml_edit's spans.
pub fn locate(text: &str, problem: &Problem) -> Option<usize> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let mut table: &dyn toml_edit::TableLike = doc.as_table();
    let mut item: Option<&toml_edit::Item> = None;
    let mut value: Option<&toml_edit::Value> = None;
    let last = problem.path.len().checked_sub(1)?;
    for (n, seg) in problem.path.iter().enumerate() {
        match seg {
            Seg::Key(k) => {
                if n == last && problem.at_key {
                    let (key, _) = table.get_key_value(k)?;
                    return key.span().map(|s| s.start);
                }
                let next = table.get(k)?;
                item = Some(next);
                value = next.as_value();
                if let Some(t) = next.as_table_like() {
                    table = t;
                }
            }
            Seg::Index(i) => {
                let v = value
                    .and_then(|v| v.as_array())
                    .or_else(|| item.and_then(|it| it.as_array()))?
                    .get(*i)?;
                value = Some(v);
                item = None;
            }
        }
    }
    match (value, item) {
        (Some(v), _) => v.span().map(|s| s.start),
        (None, Some(it)) => it.span().map(|s| s.start),
        _ => None,
    }
}
