//! Putting the previous release back after a switch stopped midway, from the record the
//! switch keeps on the server. The same steps serve a switch that fails while Ferry still runs
//! and one whose Ferry died (finished by the next `ferry` command): they look only at the
//! record and at what the server holds, and may run any number of times.

use super::{keep, kept_name, Events, Step};
use crate::adapters::remote::{journal, DockerCli};
use crate::adapters::server::{app_containers, run_ok, ContainerSummary, Remote, ServerError};
use crate::flows::lock::{self, LockError};
use crate::msg;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// How long Ferry keeps trying to put the previous release back (the engine restarting, the
/// connection coming back) before it leaves that to the next command.
pub const RESTORE_FOR: Duration = Duration::from_secs(90);

/// [`RESTORE_FOR`], or `FERRY_RESTORE_SECS` (0 to 600) where set: a CI job that would
/// rather leave the restore to its next step than wait.
pub fn restore_for() -> Duration {
    std::env::var("FERRY_RESTORE_SECS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| Duration::from_secs(s.min(600)))
        .unwrap_or(RESTORE_FOR)
}

/// How far a switch got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The new release runs beside the untouched previous one.
    Verify,
    /// The previous release may be stopped; the new one starts with its ports.
    Swap,
    /// The new release passed its health check; only renames are left.
    Commit,
}

/// The record of a switch in progress, as kept on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub app: String,
    /// The release that served when the switch began.
    pub previous: Option<String>,
    pub previous_running: bool,
    /// The version switched to.
    pub incoming: String,
    /// For a rollback: the kept container switched to.
    pub kept: Option<String>,
    /// For a deploy: the new image, removed with a failed release.
    pub image: Option<String>,
    pub phase: Phase,
    /// The lock holder that ran it.
    pub holder: String,
}

/// What serves after a switch that stopped midway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The previous release serves again (`None`: there was none; the new one is gone).
    Restored(Option<String>),
    /// The new release had passed its health check; the switch was finished.
    Completed(String),
    /// Nothing could be done now; the server's record makes the next command do it.
    Pending { previous: Option<String> },
}

/// Makes the server what `record` says it should be after a stopped switch, and removes the
/// record.
pub fn restore(
    remote: &dyn Remote,
    docker: DockerCli,
    record: &Record,
) -> Result<Outcome, ServerError> {
    let app = record.app.as_str();
    let containers = app_containers(remote, docker, app)?;
    let of = |version: &str| -> Vec<&ContainerSummary> {
        containers
            .iter()
            .filter(|c| c.version.as_deref() == Some(version))
            .collect()
    };
    let outcome = if record.phase == Phase::Commit {
        roll_forward(remote, docker, record, &of)?
    } else {
        roll_back(remote, docker, record, &of)?
    };
    run_ok(remote, &journal::clear(app))?;
    Ok(outcome)
}

fn roll_forward<'c>(
    remote: &dyn Remote,
    docker: DockerCli,
    record: &Record,
    of: &dyn Fn(&str) -> Vec<&'c ContainerSummary>,
) -> Result<Outcome, ServerError> {
    let app = record.app.as_str();
    if let Some(p) = &record.previous {
        for c in of(p) {
            if c.name == app {
                keep(remote, docker, app, &kept_name(app, p))?;
            }
        }
    }
    let incoming = of(&record.incoming);
    if let Some(c) = incoming.iter().find(|c| c.name != app) {
        if !incoming.iter().any(|c| c.name == app) {
            run_ok(remote, &docker.rename(&c.name, app))?;
        }
    }
    Ok(Outcome::Completed(record.incoming.clone()))
}

fn roll_back<'c>(
    remote: &dyn Remote,
    docker: DockerCli,
    record: &Record,
    of: &dyn Fn(&str) -> Vec<&'c ContainerSummary>,
) -> Result<Outcome, ServerError> {
    let app = record.app.as_str();
    for c in of(&record.incoming) {
        match &record.kept {
            // A rollback's target goes back to being a stopped, kept release.
            Some(kept) => {
                if c.is_up() {
                    run_ok(remote, &docker.stop(&c.name))?;
                }
                keep(remote, docker, &c.name, kept)?;
            }
            None => {
                run_ok(remote, &docker.remove(&c.name))?;
            }
        }
    }
    if let (None, Some(image)) = (&record.kept, &record.image) {
        let _ = remote.run(&docker.remove_image(image));
    }
    let Some(p) = &record.previous else {
        return Ok(Outcome::Restored(None));
    };
    if let Some(c) = of(p).first() {
        if c.name != app {
            run_ok(remote, &docker.rename(&c.name, app))?;
        }
        if record.previous_running && !c.is_up() {
            run_ok(remote, &docker.start(app))?;
        }
    }
    Ok(Outcome::Restored(Some(p.clone())))
}

/// [`restore`], tried again for up to `restore_for` while the server or the connection
/// is away (reconnecting where the connection can).
pub fn restore_with_retries(
    remote: &dyn Remote,
    docker: DockerCli,
    record: &Record,
    events: &Events,
    restore_for: Duration,
) -> Outcome {
    let deadline = Instant::now() + restore_for;
    let mut pause = Duration::from_secs(1);
    loop {
        match restore(remote, docker, record) {
            Ok(outcome) => return outcome,
            Err(e) => {
                if Instant::now() + pause > deadline {
                    events.warn(Step::Rollback, msg!("restore-gave-up", error = e.message()));
                    return Outcome::Pending {
                        previous: record.previous.clone(),
                    };
                }
                events.warn(
                    Step::Rollback,
                    msg!(
                        "restore-retrying",
                        error = e.message(),
                        secs = pause.as_secs()
                    ),
                );
                std::thread::sleep(pause);
                if lost_connection(&e) {
                    let _ = remote.reconnect();
                }
                pause = (pause * 2).min(Duration::from_secs(10));
            }
        }
    }
}

fn lost_connection(e: &ServerError) -> bool {
    matches!(e, ServerError::Ssh(s) if s.is_connection_lost())
}

/// A switch an earlier Ferry left midway, and how it was finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovered {
    pub record: Record,
    pub outcome: Outcome,
}

/// Finishes a switch of `app` that stopped midway and whose Ferry could not finish it (it
/// was killed, or its connection never came back), before anything else is done with the
/// app. Leaves a switch alone that a running deploy holds the lock for. Returns what it did.
pub fn finish_interrupted(
    remote: &dyn Remote,
    docker: DockerCli,
    app: &str,
    events: &Events,
) -> Result<Option<Recovered>, ServerError> {
    let Some(_) = read(remote, app)? else {
        return Ok(None);
    };
    let held = match lock::acquire(remote, app, "restore", events) {
        Ok(held) => held,
        Err(e @ LockError::Held { .. }) | Err(e @ LockError::Lost { .. }) => {
            events.warn(
                Step::Rollback,
                msg!("restore-left-alone", app = app, error = e.message()),
            );
            return Ok(None);
        }
        Err(LockError::Server(e)) => return Err(e),
    };
    // Under the lock: the switch that wrote the record may have ended meanwhile.
    let Some(record) = read(remote, app)? else {
        return Ok(None);
    };
    events.warn(
        Step::Rollback,
        match (&record.phase, &record.previous) {
            (Phase::Commit, _) => msg!(
                "restore-finishing-committed",
                app = app,
                version = &record.incoming
            ),
            (_, Some(v)) => msg!(
                "restore-putting-back",
                app = app,
                version = &record.incoming,
                holder = lock::Holder::describe(&record.holder),
                previous = v,
            ),
            (_, None) => msg!(
                "restore-removing-first",
                app = app,
                version = &record.incoming
            ),
        },
    );
    let outcome = restore(remote, docker, &record)?;
    drop(held);
    let said = match &outcome {
        Outcome::Restored(Some(v)) => Some(msg!("release-serves-again", version = v)),
        Outcome::Restored(None) => Some(msg!("restore-removed-interrupted")),
        Outcome::Completed(v) => Some(msg!("restore-serves", version = v)),
        Outcome::Pending { .. } => None,
    };
    if let Some(said) = said {
        events.warn(Step::Rollback, said);
    }
    Ok(Some(Recovered { record, outcome }))
}

fn read(remote: &dyn Remote, app: &str) -> Result<Option<Record>, ServerError> {
    let cmd = journal::read(app);
    let out = run_ok(remote, &cmd)?;
    let text = out.stdout.trim();
    if text.is_empty() {
        return Ok(None);
    }
    serde_json::from_str(text)
        .map(Some)
        .map_err(|e| ServerError::Parse {
            command: format!("{} (~/{}/{app}.json)", cmd.shell(), journal::DIR),
            detail: format!("{e}: {text}"),
        })
}
