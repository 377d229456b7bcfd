//! One release switch (deploy or rollback) of an app at a time on a server: a lock directory
//! on the server, taken before the running release is touched and removed afterwards. A lock
//! left by a deploy that was killed clears itself after [`STALE_AFTER`].

use crate::events::{Events, Step};
use crate::remote::lock;
use crate::server::{run_ok, Remote, ServerError};
use std::time::Duration;

pub const STALE_AFTER: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another deploy or rollback of `{app}` is under way on the server ({holder}, started \
         {age} ago); nothing was changed. Wait for it to finish. If it was interrupted, its lock \
         clears itself after 15 minutes, or remove it now on the server: rm -rf ~/{dir}/{app}"
    )]
    Held {
        app: String,
        holder: String,
        age: String,
        dir: &'static str,
    },
    #[error(transparent)]
    Server(#[from] ServerError),
}

/// A held lock; dropping it releases it.
pub struct Held<'a> {
    remote: &'a dyn Remote,
    app: String,
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        let _ = self.remote.run(&lock::release(&self.app));
    }
}

/// Takes the lock of `app`, naming `holder` (e.g. the version being deployed and this
/// machine's name). A lock older than [`STALE_AFTER`] is taken over, with a warning.
pub fn acquire<'a>(
    remote: &'a dyn Remote,
    app: &str,
    holder: &str,
    events: &Events,
) -> Result<Held<'a>, LockError> {
    run_ok(remote, &lock::make_dir())?;
    for attempt in 0..2 {
        if remote
            .run(&lock::take(app))
            .map_err(ServerError::from)?
            .status
            == 0
        {
            let _ = remote.run(&lock::name_holder(app, &safe_name(holder)));
            return Ok(Held {
                remote,
                app: app.to_string(),
            });
        }
        let (who, age) = describe(remote, app);
        let stale = age.is_some_and(|a| a > STALE_AFTER);
        if !stale || attempt > 0 {
            return Err(LockError::Held {
                app: app.to_string(),
                holder: who.unwrap_or_else(|| "holder unknown".to_string()),
                age: age.map(human).unwrap_or_else(|| "a while".to_string()),
                dir: lock::DIR,
            });
        }
        events.warn(
            Step::Start,
            format!(
                "taking over a deploy lock left {} ago by {}",
                human(age.unwrap_or_default()),
                who.as_deref().unwrap_or("an interrupted deploy")
            ),
        );
        run_ok(remote, &lock::release(app))?;
    }
    unreachable!("the loop returns on its second attempt")
}

/// Who holds the lock and for how long, as far as the server says.
fn describe(remote: &dyn Remote, app: &str) -> (Option<String>, Option<Duration>) {
    let listing = remote
        .run(&lock::describe(app))
        .map(|o| o.stdout)
        .unwrap_or_default();
    let now = remote
        .run(&lock::now())
        .ok()
        .and_then(|o| o.stdout.trim().parse::<f64>().ok());
    parse_listing(&listing, app, now)
}

fn parse_listing(listing: &str, app: &str, now: Option<f64>) -> (Option<String>, Option<Duration>) {
    let mut taken = None;
    let mut holder = None;
    for line in listing.lines() {
        let Some((secs, name)) = line.split_once(' ') else {
            continue;
        };
        if name == app {
            taken = secs.parse::<f64>().ok();
        } else {
            holder = Some(name.to_string());
        }
    }
    let age = match (now, taken) {
        (Some(now), Some(taken)) if now >= taken => Some(Duration::from_secs_f64(now - taken)),
        _ => None,
    };
    (holder, age)
}

/// A holder name that is one plain path component.
fn safe_name(holder: &str) -> String {
    let name: String = holder
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._@-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    name.trim_start_matches('.').to_string()
}

fn human(d: Duration) -> String {
    let s = d.as_secs();
    if s < 120 {
        format!("{s} s")
    } else {
        format!("{} min", s / 60)
    }
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
mod tests {
    use super::*;
    use crate::remote::Cmd;
    use crate::ssh::{Output, SshError};
    use std::collections::BTreeSet;
    use std::sync::Mutex;

    /// A server with a real directory tree of locks, in memory, and a clock.
    struct FakeServer {
        dirs: Mutex<BTreeSet<String>>,
        taken_at: f64,
        now: f64,
    }

    impl Remote for FakeServer {
        fn run(&self, cmd: &Cmd) -> Result<Output, SshError> {
            let mut dirs = self.dirs.lock().unwrap();
            let argv: Vec<&str> = cmd.argv.iter().map(String::as_str).collect();
            let ok = |stdout: String| Output {
                status: 0,
                stdout,
                stderr: String::new(),
            };
            Ok(match argv.as_slice() {
                ["mkdir", "-p", d] => {
                    dirs.insert(d.to_string());
                    ok(String::new())
                }
                ["mkdir", d] if dirs.contains(*d) => Output {
                    status: 1,
                    stdout: String::new(),
                    stderr: "mkdir: cannot create directory: File exists".into(),
                },
                ["mkdir", d] => {
                    dirs.insert(d.to_string());
                    ok(String::new())
                }
                ["rm", "-rf", d] => {
                    dirs.retain(|x| x != d && !x.starts_with(&format!("{d}/")));
                    ok(String::new())
                }
                ["find", d, ..] => ok(dirs
                    .iter()
                    .filter(|x| *x == d || x.starts_with(&format!("{d}/")))
                    .map(|x| format!("{} {}\n", self.taken_at, x.rsplit('/').next().unwrap()))
                    .collect()),
                ["date", "+%s"] => ok(format!("{}\n", self.now)),
                _ => panic!("unexpected command {}", cmd.shell()),
            })
        }
        fn http_get(&self, _: u16, _: &str, _: Duration) -> Result<u16, SshError> {
            unreachable!()
        }
    }

    fn server(age_secs: f64) -> FakeServer {
        FakeServer {
            dirs: Mutex::new(BTreeSet::new()),
            taken_at: 1_000_000.0,
            now: 1_000_000.0 + age_secs,
        }
    }

    #[test]
    fn a_second_deploy_waits_for_the_first_and_may_go_after_it() {
        let srv = server(30.0);
        let events = Events::discard();
        let first = acquire(&srv, "hello", "v1@laptop", &events).unwrap();
        let err = acquire(&srv, "hello", "v2@desktop", &events).err().unwrap();
        let msg = err.to_string();
        assert!(msg.contains("v1@laptop"), "{msg}");
        assert!(msg.contains("started 30 s ago"), "{msg}");
        assert!(msg.contains("rm -rf ~/.ferry/locks/hello"), "{msg}");
        drop(first);
        assert!(acquire(&srv, "hello", "v2@desktop", &events).is_ok());
    }

    #[test]
    fn other_apps_have_their_own_lock() {
        let srv = server(1.0);
        let events = Events::discard();
        let _a = acquire(&srv, "a", "x", &events).unwrap();
        assert!(acquire(&srv, "b", "x", &events).is_ok());
    }

    #[test]
    fn a_stale_lock_is_taken_over() {
        let srv = server(20.0 * 60.0);
        let events = Events::discard();
        std::mem::forget(acquire(&srv, "hello", "killed", &events).unwrap());
        let held = acquire(&srv, "hello", "v2", &events).unwrap();
        assert!(srv.dirs.lock().unwrap().contains(".ferry/locks/hello/v2"));
        drop(held);
        assert!(!srv.dirs.lock().unwrap().contains(".ferry/locks/hello"));
    }

    #[test]
    fn holder_names_stay_one_path_component() {
        assert_eq!(safe_name("v1@My PC/../x"), "v1@My_PC_.._x");
        assert_eq!(safe_name("..hidden"), "hidden");
    }
}
