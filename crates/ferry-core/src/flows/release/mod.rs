//! Switching the app's container on the server from one release to another behind a health
//! gate, so that a failed, hanging, cancelled or interrupted switch leaves the previous release
//! serving.
//!
//! The running release is the container named after the app; it keeps that name until the new
//! release has passed its health check. Previous releases are kept as stopped containers named
//! `<app>-<version>`; `rollback` starts one of them.
//!
//! With the default strategy (`start-first`), the new release first runs *beside* the running
//! one as a candidate without published ports and is health-checked at its own address on the
//! server; only a healthy candidate causes the switch (stop the old, start the new with its
//! ports, check again). With `stop-first` the old release stops first. Before anything is
//! touched, a record of the switch goes to the server (`~/.ferry/switch/<app>.json`); every
//! failure after that restores the previous release from it, and if Ferry cannot (the
//! connection is gone for good, Ferry was killed), the next `ferry` command does.

mod health;
mod restore;

pub use crate::formats::config::Strategy;
pub use health::{http_check, Gate};
pub use restore::restore_for;
pub use restore::{finish_interrupted, Outcome, Phase, Record, Recovered, RESTORE_FOR};

use crate::adapters::remote::{journal, DockerCli, RunSpec};
use crate::adapters::server::ServerError;
use crate::adapters::server::{
    app_containers, inspect, run_ok, ContainerState, ContainerSummary, Remote,
};
use crate::catalog::Msg;
use crate::diagnose::{diagnose, GateFailure, LastState};
use crate::events::{Diagnosis, Events, Step};
use crate::flows::lock::{Held, LockError};
use crate::msg;
use crate::CancellationToken;
use health::Probe;

pub use crate::formats::config::KEEP_RELEASES;

#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error(transparent)]
    Server(#[from] ServerError),
    #[error("{}", self.message())]
    Unhealthy(Box<Diagnosis>),
    #[error("{}", self.message())]
    ForeignContainer(String),
    #[error("{}", self.message())]
    NothingToRollBack(String),
    #[error("{}", self.message())]
    AlreadyRunning { app: String, version: String },
    #[error("{}", self.message())]
    NoSuchRelease {
        app: String,
        version: String,
        kept: Vec<String>,
    },
    #[error(transparent)]
    Lock(#[from] LockError),
    /// The switch stopped midway: cancelled, a server error, a lost connection.
    #[error("{}", self.message())]
    Interrupted {
        app: String,
        cause: Cause,
        outcome: Outcome,
    },
}

/// Why a switch stopped midway.
#[derive(Debug)]
pub enum Cause {
    Cancelled,
    /// The server, the connection or the lock failed (kept typed: a lost connection is still
    /// an SSH error to `Error::kind()`).
    Failed(Box<ReleaseError>),
    /// The new release failed, and putting the previous one back did not complete.
    Unhealthy(Box<Diagnosis>),
}

impl ReleaseError {
    /// The server-side error inside, however deep (a switch interrupted by it included).
    pub fn server(&self) -> Option<&ServerError> {
        match self {
            ReleaseError::Server(s) | ReleaseError::Lock(LockError::Server(s)) => Some(s),
            ReleaseError::Interrupted {
                cause: Cause::Failed(e),
                ..
            } => e.server(),
            _ => None,
        }
    }

    /// The lock error inside, however deep.
    pub fn lock(&self) -> Option<&LockError> {
        match self {
            ReleaseError::Lock(l) => Some(l),
            ReleaseError::Interrupted {
                cause: Cause::Failed(e),
                ..
            } => e.lock(),
            _ => None,
        }
    }
}

impl ReleaseError {
    /// What went wrong and what to do, from the catalog.
    pub fn message(&self) -> Msg {
        match self {
            ReleaseError::Server(e) => e.message(),
            ReleaseError::Lock(e) => e.message(),
            ReleaseError::Unhealthy(d) => unhealthy_message(d),
            ReleaseError::ForeignContainer(name) => msg!("release-foreign-container", name = name),
            ReleaseError::NothingToRollBack(app) => msg!("release-nothing-to-roll-back", app = app),
            ReleaseError::AlreadyRunning { app, version } => {
                msg!("release-already-running", app = app, version = version)
            }
            ReleaseError::NoSuchRelease { app, version, kept } => msg!(
                "release-not-kept",
                app = app,
                version = version,
                kept = if kept.is_empty() {
                    "-".to_string()
                } else {
                    kept.join(", ")
                },
            ),
            ReleaseError::Interrupted {
                app,
                cause,
                outcome,
            } => interrupted_message(app, cause, outcome),
        }
    }
}

fn unhealthy_message(d: &Diagnosis) -> Msg {
    let previous = match (&d.restored_previous, d.previous_untouched) {
        (Some(v), true) => Some(msg!("release-previous-untouched", version = v)),
        (Some(v), false) => Some(msg!("release-previous-restored", version = v)),
        (None, _) => None,
    };
    let part = |id: &'static str, text: Option<Msg>| match text {
        Some(text) => Msg::new(id).arg("text", text),
        None => msg!("empty"),
    };
    msg!(
        "release-unhealthy",
        summary = d.summary.clone(),
        previous = part("release-part-previous", previous),
        hint = part("release-part-hint", d.hint.clone()),
    )
}

fn interrupted_message(app: &str, cause: &Cause, outcome: &Outcome) -> Msg {
    let what = match cause {
        Cause::Cancelled => msg!("release-interrupted-cancelled"),
        Cause::Failed(e) => msg!("release-interrupted-failed", error = e.message()),
        Cause::Unhealthy(d) => msg!("release-interrupted-failed", error = d.summary.clone()),
    };
    let now = match outcome {
        Outcome::Restored(Some(v)) => msg!("release-serves-again", version = v),
        Outcome::Restored(None) => msg!("release-new-removed"),
        Outcome::Completed(v) => msg!("release-switch-completed", version = v),
        Outcome::Pending { previous } => msg!(
            "release-switch-pending",
            app = app,
            previous = previous.clone().unwrap_or_default(),
            has_previous = if previous.is_some() { "yes" } else { "no" },
        ),
    };
    msg!("release-interrupted", what = what, now = now)
}

/// What takes over the app's name.
#[derive(Debug, Clone)]
pub enum Incoming {
    /// A new container from this spec (a deploy).
    New(RunSpec),
    /// A kept, stopped container (a rollback), with the restart policy it should run with.
    Kept {
        name: String,
        version: String,
        restart: Option<String>,
    },
}

impl Incoming {
    pub fn version(&self) -> String {
        match self {
            Incoming::New(spec) => version_label(spec),
            Incoming::Kept { version, .. } => version.clone(),
        }
    }
}

/// A new release's `ferry.version` label.
fn version_label(spec: &RunSpec) -> String {
    spec.labels
        .iter()
        .find(|(k, _)| k == "ferry.version")
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// What a switch works with: the server, the app, and what may stop it.
pub struct Switcher<'a> {
    pub remote: &'a dyn Remote,
    pub docker: DockerCli,
    pub app: &'a str,
    pub events: &'a Events,
    /// A cancel abandons the new release and puts the previous one back.
    pub cancel: &'a CancellationToken,
    /// Kept fresh while the switch runs.
    pub lock: &'a Held<'a>,
    /// How long to keep trying to put things back when the server or the connection is away
    /// ([`RESTORE_FOR`]).
    pub restore_for: std::time::Duration,
}

/// How a switch stopped before its end.
enum Stop {
    /// The new release failed; why, with its evidence (gathered before it was removed).
    Unhealthy(Box<Diagnosis>),
    Failed(ReleaseError),
    Cancelled,
}

impl From<ServerError> for Stop {
    fn from(e: ServerError) -> Stop {
        Stop::Failed(e.into())
    }
}

impl From<LockError> for Stop {
    fn from(e: LockError) -> Stop {
        Stop::Failed(e.into())
    }
}

/// The names a switch gives its containers before the new release takes the app's name.
pub fn candidate_name(app: &str, version: &str) -> String {
    format!("{app}-{version}-candidate")
}

pub fn next_name(app: &str, version: &str) -> String {
    format!("{app}-{version}-next")
}

pub fn kept_name(app: &str, version: &str) -> String {
    format!("{app}-{version}")
}

/// Gives container `name` the kept name `kept` (when it has another) and the restart policy
/// `no`: a kept release must not come back by itself when the engine restarts.
pub(crate) fn keep(
    remote: &dyn Remote,
    docker: DockerCli,
    name: &str,
    kept: &str,
) -> Result<(), ServerError> {
    if name != kept {
        run_ok(remote, &docker.rename(name, kept))?;
    }
    let _ = remote.run(&docker.set_restart(kept, "no"));
    Ok(())
}

impl<'a> Switcher<'a> {
    /// A switcher that keeps trying to put things back for [`restore_for`].
    pub fn new(
        remote: &'a dyn Remote,
        docker: DockerCli,
        app: &'a str,
        events: &'a Events,
        cancel: &'a CancellationToken,
        lock: &'a Held<'a>,
    ) -> Switcher<'a> {
        Switcher {
            remote,
            docker,
            app,
            events,
            cancel,
            lock,
            restore_for: restore_for(),
        }
    }

    /// [`prune`] after a good switch: a failure is only a warning (the switch stands).
    pub fn prune(&self, retain: &Retain) {
        if let Err(e) = prune(self.remote, self.docker, self.app, retain, self.events) {
            self.events.warn(
                Step::Cleanup,
                msg!("release-prune-failed", error = e.message()),
            );
        }
    }
}

impl Switcher<'_> {
    /// Replaces the running release with `incoming` behind the health gate. On success,
    /// returns the version that was running before (now kept stopped).
    pub fn switch(
        &self,
        incoming: Incoming,
        strategy: Strategy,
        gate: &Gate,
    ) -> Result<Option<String>, ReleaseError> {
        let current = inspect(self.remote, self.docker, self.app)?;
        let previous = match &current {
            None => None,
            Some(c) => match (&c.app, &c.version) {
                (Some(_), Some(v)) => Some(v.clone()),
                _ => return Err(ReleaseError::ForeignContainer(self.app.to_string())),
            },
        };
        // A kept release carries its published ports: it cannot run beside the current one.
        let strategy = match incoming {
            Incoming::Kept { .. } => Strategy::StopFirst,
            Incoming::New(_) => strategy,
        };
        let mut record = Record {
            app: self.app.to_string(),
            previous: previous.clone(),
            previous_running: current.as_ref().is_some_and(|c| c.running || c.restarting),
            incoming: incoming.version(),
            kept: match &incoming {
                Incoming::Kept { name, .. } => Some(name.clone()),
                Incoming::New(_) => None,
            },
            image: match &incoming {
                Incoming::New(spec) => Some(spec.image.clone()),
                Incoming::Kept { .. } => None,
            },
            // Start-first keeps a running release serving while the new one proves itself;
            // with none running there is nothing to keep, so the new one starts at once.
            phase: match strategy {
                Strategy::StartFirst
                    if current.as_ref().is_some_and(|c| c.running || c.restarting) =>
                {
                    Phase::Verify
                }
                _ => Phase::Swap,
            },
            holder: self.lock.holder().to_string(),
        };
        self.write(&record)?;
        match self.forward(&incoming, gate, &mut record) {
            Ok(()) => {
                let _ = self.remote.run(&journal::clear(self.app));
                Ok(previous)
            }
            Err(stop) => Err(self.abandon(stop, &record)),
        }
    }

    fn write(&self, record: &Record) -> Result<(), ServerError> {
        let json = serde_json::to_string(record).expect("a record serializes");
        run_ok(self.remote, &journal::write(self.app, &json))?;
        Ok(())
    }

    fn forward(&self, incoming: &Incoming, gate: &Gate, record: &mut Record) -> Result<(), Stop> {
        let version = incoming.version();
        let name = match incoming {
            Incoming::New(spec) => {
                self.remove_strays(&version)?;
                if record.phase == Phase::Verify {
                    self.verify_candidate(spec, gate)?;
                    record.phase = Phase::Swap;
                    self.write(record)?;
                }
                let next = RunSpec {
                    name: next_name(self.app, &version),
                    ..spec.clone()
                };
                let create = self.docker.create(&next);
                self.events.log(Step::Start, create.shell());
                self.start_failed_is_unhealthy(create, &next.name)?;
                next.name
            }
            Incoming::Kept { name, restart, .. } => {
                if let Some(policy) = restart {
                    run_ok(self.remote, &self.docker.set_restart(name, policy))?;
                }
                name.clone()
            }
        };
        self.check_cancel()?;
        if record.previous_running {
            let v = record.previous.as_deref().unwrap_or_default();
            self.events
                .say(Step::Start, msg!("log-stopping-release", version = v));
            run_ok(self.remote, &self.docker.stop(self.app))?;
        }
        let start = self.docker.start(&name);
        self.events.log(Step::Start, start.shell());
        self.start_failed_is_unhealthy(start, &name)?;
        self.wait(&name, Probe::published(gate), gate)?;
        record.phase = Phase::Commit;
        self.write(record)?;
        self.commit(record, &name)?;
        Ok(())
    }

    /// Runs the new release beside the current one, without its published ports, and waits
    /// until it passes the gate at its own address; then removes it.
    fn verify_candidate(&self, spec: &RunSpec, gate: &Gate) -> Result<(), Stop> {
        let candidate = RunSpec {
            name: candidate_name(self.app, &version_label(spec)),
            ports: Vec::new(),
            ..spec.clone()
        };
        let run = self.docker.run(&candidate);
        self.events.log(Step::Start, run.shell());
        self.start_failed_is_unhealthy(run, &candidate.name)?;
        self.wait(&candidate.name, Probe::candidate(gate), gate)?;
        self.events.say(Step::Health, msg!("log-healthy-beside"));
        run_ok(self.remote, &self.docker.remove(&candidate.name))?;
        Ok(())
    }

    /// Removes what an earlier, unrecorded attempt at this same version left.
    fn remove_strays(&self, version: &str) -> Result<(), ServerError> {
        for name in [
            candidate_name(self.app, version),
            next_name(self.app, version),
        ] {
            if inspect(self.remote, self.docker, &name)?.is_some() {
                run_ok(self.remote, &self.docker.remove(&name))?;
            }
        }
        Ok(())
    }

    /// Runs a `docker run|create|start`; its failure is the release's (a bad port, a missing
    /// volume), diagnosed like a crash.
    fn start_failed_is_unhealthy(
        &self,
        cmd: crate::adapters::remote::Cmd,
        name: &str,
    ) -> Result<(), Stop> {
        let out = self
            .remote
            .run(&cmd)
            .map_err(|e| Stop::from(ServerError::Ssh(e)))?;
        if out.status == 0 {
            return Ok(());
        }
        let failure = GateFailure::StartFailed {
            stderr: out.stderr.trim().to_string(),
        };
        Err(Stop::Unhealthy(Box::new(self.diagnose(&failure, name))))
    }

    fn wait(&self, name: &str, probe: Probe, gate: &Gate) -> Result<(), Stop> {
        let watch = || -> Result<(), Stop> {
            self.check_cancel()?;
            self.lock.keep_alive()?;
            Ok(())
        };
        match health::wait_healthy(
            self.remote,
            self.docker,
            name,
            &probe,
            gate,
            self.events,
            &watch,
        )? {
            Ok(()) => Ok(()),
            Err(failure) => Err(Stop::Unhealthy(Box::new(self.diagnose(&failure, name)))),
        }
    }

    fn check_cancel(&self) -> Result<(), Stop> {
        if self.cancel.is_cancelled() {
            Err(Stop::Cancelled)
        } else {
            Ok(())
        }
    }

    /// The new release passed: the previous one takes its kept name, the new one the app's.
    fn commit(&self, record: &Record, incoming: &str) -> Result<(), ServerError> {
        if let Some(v) = &record.previous {
            let kept = kept_name(self.app, v);
            if inspect(self.remote, self.docker, &kept)?.is_some() {
                run_ok(self.remote, &self.docker.remove(&kept))?;
            }
            keep(self.remote, self.docker, self.app, &kept)?;
        }
        run_ok(self.remote, &self.docker.rename(incoming, self.app))?;
        Ok(())
    }

    fn diagnose(&self, failure: &GateFailure, name: &str) -> Diagnosis {
        let state = inspect(self.remote, self.docker, name).ok().flatten();
        let logs = match &state {
            Some(_) => self
                .remote
                .run(&self.docker.logs(name, 50, false))
                .map(|o| {
                    format!("{}{}", o.stdout, o.stderr)
                        .lines()
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let tail = logs.len().saturating_sub(50);
        let last = state.as_ref().map(|s| LastState {
            running: s.running,
            exit_code: s.exit_code,
            oom_killed: s.oom_killed,
            error: s.error.clone(),
        });
        diagnose(failure, last.as_ref(), logs[tail..].to_vec())
    }

    /// Puts the previous release back (or finishes a switch that had passed) and says how the
    /// switch ended.
    fn abandon(&self, stop: Stop, record: &Record) -> ReleaseError {
        match &stop {
            Stop::Cancelled => self.events.warn(
                Step::Rollback,
                match &record.previous {
                    Some(v) if record.phase != Phase::Commit => {
                        msg!("release-cancel-putting-back", version = v)
                    }
                    _ => msg!("release-cancel-abandoning"),
                },
            ),
            Stop::Failed(e) => self.events.warn(
                Step::Rollback,
                msg!("release-switch-stopped", error = e.message()),
            ),
            Stop::Unhealthy(_) => {}
        }
        let outcome = restore::restore_with_retries(
            self.remote,
            self.docker,
            record,
            self.events,
            self.restore_for,
        );
        match (stop, outcome) {
            (Stop::Unhealthy(mut d), Outcome::Restored(v)) => {
                d.previous_untouched = record.phase == Phase::Verify && v.is_some();
                d.restored_previous = v;
                if let Some(v) = &d.restored_previous {
                    self.events.warn(
                        Step::Rollback,
                        if d.previous_untouched {
                            msg!("release-previous-untouched", version = v)
                        } else {
                            msg!("release-previous-restored", version = v)
                        },
                    );
                }
                ReleaseError::Unhealthy(d)
            }
            (stop, outcome) => ReleaseError::Interrupted {
                app: self.app.to_string(),
                cause: match stop {
                    Stop::Cancelled => Cause::Cancelled,
                    Stop::Failed(e) => Cause::Failed(Box::new(e)),
                    Stop::Unhealthy(d) => Cause::Unhealthy(d),
                },
                outcome,
            },
        }
    }
}

/// The app's releases on the server: the running one (named after the app) and the kept
/// ones (`<app>-<version>`), newest version first. A switch's own containers are not releases.
pub fn releases(
    remote: &dyn Remote,
    docker: DockerCli,
    app: &str,
) -> Result<Vec<ContainerSummary>, ServerError> {
    Ok(releases_among(&app_containers(remote, docker, app)?, app))
}

/// The releases among the app's containers `all`, newest version first.
fn releases_among(all: &[ContainerSummary], app: &str) -> Vec<ContainerSummary> {
    let mut releases: Vec<ContainerSummary> = all
        .iter()
        .filter(|c| match &c.version {
            Some(v) => c.name == app || c.name == kept_name(app, v),
            None => false,
        })
        .cloned()
        .collect();
    releases.sort_by(|a, b| b.version.cmp(&a.version));
    releases
}

/// The kept release to go back to: exactly version `to`, else the newest stopped one by its
/// version. Its container's name and its version.
pub fn rollback_target(
    remote: &dyn Remote,
    docker: DockerCli,
    app: &str,
    to: Option<&str>,
) -> Result<(String, String), ReleaseError> {
    let releases = releases(remote, docker, app)?;
    let kept = releases.iter().filter(|c| c.name != app);
    let found = match to {
        None => kept.clone().next(),
        Some(v) => kept.clone().find(|c| c.version.as_deref() == Some(v)),
    };
    if let Some(c) = found {
        return Ok((c.name.clone(), c.version.clone().unwrap_or_default()));
    }
    match to {
        None => Err(ReleaseError::NothingToRollBack(app.to_string())),
        Some(v)
            if releases
                .iter()
                .any(|c| c.name == app && c.version.as_deref() == Some(v)) =>
        {
            Err(ReleaseError::AlreadyRunning {
                app: app.to_string(),
                version: v.to_string(),
            })
        }
        Some(v) => Err(ReleaseError::NoSuchRelease {
            app: app.to_string(),
            version: v.to_string(),
            kept: kept.filter_map(|c| c.version.clone()).collect(),
        }),
    }
}

/// Which releases a prune keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retain<'a> {
    /// How many releases stay, the running one included (`[container] keep_releases`).
    pub keep: usize,
    /// A kept container to remove anyway (the release a plain rollback went back from).
    pub discard: Option<&'a str>,
    /// A kept container never to remove (the release that ran until this switch), even when
    /// its version is older than `keep` others.
    pub spare: Option<&'a str>,
}

/// Removes the containers `retain` does not keep, and their images when no other container
/// uses them: releases beyond the newest `keep` (by version), the one to discard, and
/// containers a switch left behind that belong to no release.
pub fn prune(
    remote: &dyn Remote,
    docker: DockerCli,
    app: &str,
    retain: &Retain,
    events: &Events,
) -> Result<(), ServerError> {
    let all = app_containers(remote, docker, app)?;
    let releases = releases_among(&all, app);
    let doomed = doomed(&all, &releases, app, retain);
    let kept_images: Vec<&String> = all
        .iter()
        .filter(|c| !doomed.iter().any(|d| d.id == c.id))
        .map(|c| &c.image)
        .collect();
    for c in &doomed {
        events.say(
            Step::Cleanup,
            msg!(
                "log-removing-old-release",
                version = c.version.clone().unwrap_or(c.name.clone())
            ),
        );
        run_ok(remote, &docker.remove(&c.name))?;
        if !kept_images.contains(&&c.image) {
            let _ = remote.run(&docker.remove_image(&c.image));
        }
    }
    Ok(())
}

/// What [`prune`] removes, decided from the app's containers and releases (newest first).
pub fn doomed(
    all: &[ContainerSummary],
    releases: &[ContainerSummary],
    app: &str,
    retain: &Retain,
) -> Vec<ContainerSummary> {
    // A switch's leftovers carry Ferry's version label; a container someone else made from
    // the app's image has only the image's `ferry.app` label and is not Ferry's to remove.
    let strays = all
        .iter()
        .filter(|c| c.version.is_some() && !releases.iter().any(|r| r.id == c.id));
    let previous = releases
        .iter()
        .filter(|c| c.name != app && retain.discard != Some(c.name.as_str()));
    // With room for previous releases, the spared one takes a place first; the rest fill the
    // places left, newest first. With none (`keep_releases = 1`), nothing is spared.
    let places = retain.keep.saturating_sub(1);
    let spared = |c: &&ContainerSummary| places > 0 && retain.spare == Some(c.name.as_str());
    let places = places.saturating_sub(previous.clone().filter(spared).count());
    let beyond = previous.filter(|c| !spared(c)).skip(places);
    let discarded = releases
        .iter()
        .filter(|c| c.name != app && retain.discard == Some(c.name.as_str()));
    discarded.chain(beyond).chain(strays).cloned().collect()
}

/// The state of the app's running container, if any.
pub fn current(
    remote: &dyn Remote,
    docker: DockerCli,
    app: &str,
) -> Result<Option<ContainerState>, ServerError> {
    inspect(remote, docker, app)
}

#[cfg(test)]
mod tests;
