//! One release switch (deploy, rollback, or the restore of an interrupted one) of an app at a
//! time on a server: a lock file on the server, taken before the running release is touched,
//! kept fresh while the switch runs, and released on every way out.
//!
//! A lock nobody refreshed for [`STALE_AFTER`] is taken over (atomically on the server: of two
//! takers exactly one wins). A lock held by a Ferry on *this* machine that is no longer running
//! is taken over at once: each holder keeps a file locked on this machine while it runs
//! (`<temp>/ferry-locks/<id>`), which the OS unlocks when the process dies, even by SIGKILL.

use crate::adapters::remote::lock;
use crate::adapters::server::{Remote, ServerError};
use crate::catalog::Msg;
use crate::events::{Events, Step};
use crate::msg;
use std::fs::File;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A lock whose holder stopped refreshing it this long ago is abandoned.
pub const STALE_AFTER: Duration = Duration::from_secs(60);
/// How often a running switch refreshes its lock.
pub const REFRESH_EVERY: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("{}", self.message())]
    Held {
        app: String,
        holder: Msg,
        /// Seconds since the holder last refreshed it.
        age: u64,
    },
    #[error("{}", self.message())]
    Lost { app: String, holder: Msg },
    #[error(transparent)]
    Server(#[from] ServerError),
}

impl LockError {
    /// What went wrong and what to do, from the catalog.
    pub fn message(&self) -> Msg {
        match self {
            LockError::Held { app, holder, age } => msg!(
                "lock-held",
                app = app,
                holder = holder.clone(),
                age = *age,
                stale = STALE_AFTER.as_secs(),
            ),
            LockError::Lost { app, holder } => msg!(
                "lock-lost",
                app = app,
                holder = holder.clone(),
                stale = STALE_AFTER.as_secs(),
            ),
            LockError::Server(e) => e.message(),
        }
    }
}

/// Who holds a lock, as written in the lock file: `v2;MACHINE;ID;WHAT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub machine: String,
    pub id: String,
    pub what: String,
}

impl Holder {
    pub fn token(&self) -> String {
        format!("v2;{};{};{}", self.machine, self.id, self.what)
    }

    pub fn parse(token: &str) -> Option<Holder> {
        let mut parts = token.trim().splitn(4, ';');
        if parts.next()? != "v2" {
            return None;
        }
        Some(Holder {
            machine: parts.next()?.to_string(),
            id: parts.next()?.to_string(),
            what: parts.next().unwrap_or_default().to_string(),
        })
    }

    /// "deploy 20261201-101500 from LAPTOP-7".
    pub fn describe(token: &str) -> Msg {
        match Holder::parse(token) {
            Some(h) => msg!(
                "lock-holder",
                what = h.what.replace(':', " "),
                machine = h.machine
            ),
            None if token.trim().is_empty() => msg!("lock-holder-unknown"),
            None => msg!("as-is", text = token.trim()),
        }
    }
}

/// A held lock; dropping it releases it (on the server, and the liveness file here).
pub struct Held<'a> {
    remote: &'a dyn Remote,
    app: String,
    token: String,
    last_refresh: Mutex<Instant>,
    alive: Alive,
}

impl Held<'_> {
    pub fn holder(&self) -> &str {
        &self.token
    }

    /// Refreshes the lock when [`REFRESH_EVERY`] has passed since the last time. A lock that
    /// someone else took over is an error; a failed refresh (a broken connection) is not:
    /// whatever runs the next command will notice.
    pub fn keep_alive(&self) -> Result<(), LockError> {
        let mut last = self.last_refresh.lock().unwrap();
        if last.elapsed() < REFRESH_EVERY {
            return Ok(());
        }
        let Ok(out) = self.remote.run(&lock::refresh(&self.app, &self.token)) else {
            return Ok(());
        };
        *last = Instant::now();
        if out.status == lock::LOST {
            let holder = self.current_holder();
            return Err(LockError::Lost {
                app: self.app.clone(),
                holder,
            });
        }
        Ok(())
    }

    /// What a Ferry killed while holding the lock leaves: the lock on the server, and its
    /// liveness file here no longer locked.
    #[cfg(test)]
    pub(crate) fn abandon(mut self) {
        if let Some((file, _)) = self.alive.file.take() {
            let _ = file.unlock();
        }
        std::mem::forget(self);
    }

    fn current_holder(&self) -> Msg {
        match self.remote.run(&lock::read(&self.app)) {
            Ok(o) if o.status == 0 && !o.stdout.trim().is_empty() => Holder::describe(&o.stdout),
            _ => msg!("lock-holder-another"),
        }
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        match self.remote.run(&lock::release(&self.app, &self.token)) {
            Ok(out) if out.status == 0 => self.alive.remove(),
            // The server did not hear it (the connection is gone): the lock stays there, and
            // the liveness file stays here, unlocked, so that the next Ferry on this machine
            // knows at once that this holder is gone.
            _ => self.alive.unlock(),
        }
    }
}

/// Takes the lock of `app` for `what` (`deploy:VERSION`, `rollback`, `restore`).
pub fn acquire<'a>(
    remote: &'a dyn Remote,
    app: &str,
    what: &str,
    events: &Events,
) -> Result<Held<'a>, LockError> {
    let alive = Alive::create();
    let me = Holder {
        machine: safe_name(&this_machine()),
        id: alive.id.clone(),
        what: safe_name(what),
    };
    let token = me.token();
    let mut gone: Option<String> = None;
    for _ in 0..2 {
        let cmd = lock::take(app, &token, STALE_AFTER.as_secs(), gone.as_deref());
        let out = remote.run(&cmd).map_err(ServerError::from)?;
        match out.status {
            0 => {
                if let Some((age, holder)) = parse_took_over(&out.stdout) {
                    events.warn(
                        Step::Start,
                        if gone.is_some() {
                            msg!("lock-took-over-gone", holder = Holder::describe(&holder))
                        } else {
                            msg!(
                                "lock-took-over-stale",
                                age = age,
                                holder = Holder::describe(&holder)
                            )
                        },
                    );
                }
                return Ok(Held {
                    remote,
                    app: app.to_string(),
                    token,
                    last_refresh: Mutex::new(Instant::now()),
                    alive,
                });
            }
            lock::HELD => {
                let (age, holder) = parse_held(&out.stdout).unwrap_or((0, String::new()));
                if gone.is_none() && holder_is_gone(&holder) {
                    gone = Some(holder);
                    continue;
                }
                return Err(LockError::Held {
                    app: app.to_string(),
                    holder: Holder::describe(&holder),
                    age,
                });
            }
            status => {
                return Err(ServerError::Command {
                    command: cmd.shell(),
                    status,
                    stderr: out.stderr.trim().to_string(),
                }
                .into())
            }
        }
    }
    Err(LockError::Held {
        app: app.to_string(),
        holder: gone
            .as_deref()
            .map(Holder::describe)
            .unwrap_or_else(|| msg!("lock-holder-another")),
        age: 0,
    })
}

fn parse_held(stdout: &str) -> Option<(u64, String)> {
    parse_line(stdout, "held ")
}

fn parse_took_over(stdout: &str) -> Option<(u64, String)> {
    parse_line(stdout, "took-over ")
}

fn parse_line(stdout: &str, prefix: &str) -> Option<(u64, String)> {
    let line = stdout.lines().find_map(|l| l.strip_prefix(prefix))?;
    let (age, holder) = line.split_once(' ').unwrap_or((line, ""));
    Some((age.parse().ok()?, holder.to_string()))
}

/// Whether `token` names a Ferry on this machine that is provably no longer running: its
/// liveness file exists and nobody holds it locked.
fn holder_is_gone(token: &str) -> bool {
    let Some(h) = Holder::parse(token) else {
        return false;
    };
    if h.machine != safe_name(&this_machine()) || !is_id(&h.id) {
        return false;
    }
    let path = Alive::dir().join(&h.id);
    let Ok(file) = File::options().read(true).write(true).open(&path) else {
        return false;
    };
    match file.try_lock() {
        Ok(()) => {
            let _ = std::fs::remove_file(&path);
            true
        }
        Err(_) => false,
    }
}

fn is_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// This process's liveness file, locked while it holds a deploy lock.
struct Alive {
    id: String,
    file: Option<(File, PathBuf)>,
}

impl Alive {
    fn dir() -> PathBuf {
        std::env::temp_dir().join("ferry-locks")
    }

    fn create() -> Alive {
        let id = random_id();
        let path = Alive::dir().join(&id);
        let file = std::fs::create_dir_all(Alive::dir())
            .and_then(|()| File::create(&path))
            .and_then(|f| f.try_lock().map(|()| f).map_err(std::io::Error::other))
            .ok()
            .map(|f| (f, path));
        Alive { id, file }
    }

    fn remove(&mut self) {
        if let Some((file, path)) = self.file.take() {
            drop(file);
            let _ = std::fs::remove_file(path);
        }
    }

    fn unlock(&mut self) {
        if let Some((file, _)) = self.file.take() {
            let _ = file.unlock();
        }
    }
}

/// A liveness file whose lock was never taken (or was released) goes with its holder.
impl Drop for Alive {
    fn drop(&mut self) {
        self.remove();
    }
}

fn random_id() -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(std::process::id().to_le_bytes());
    h.update(format!("{:?}", std::time::SystemTime::now()).as_bytes());
    h.update(format!("{:?}", Instant::now()).as_bytes());
    h.update(format!("{:p}", &h).as_bytes());
    let digest = h.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// A name that is one plain token: no `;`, spaces or path separators.
fn safe_name(name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._@:-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    name.trim_start_matches('.').to_string()
}

/// This machine's name, for the lock's holder.
pub fn this_machine() -> String {
    ["COMPUTERNAME", "HOSTNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|s| s.trim().to_string())
        })
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests;
