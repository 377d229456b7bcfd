//! The lock's real scripts, run by a real `sh` in a temporary home.
use super::*;
use crate::testing::LocalShell;

fn lock_file(srv: &LocalShell, app: &str) -> PathBuf {
    srv.home.path().join(format!(".ferry/locks/{app}.lock"))
}

/// Makes the lock look `secs` old, as a deploy that stopped refreshing it would leave it.
fn age(srv: &LocalShell, app: &str, secs: u64) {
    let when = std::time::SystemTime::now() - Duration::from_secs(secs);
    File::options()
        .write(true)
        .open(lock_file(srv, app))
        .unwrap()
        .set_modified(when)
        .unwrap();
}

#[test]
fn a_second_deploy_is_refused_with_the_holder_named_and_may_go_after_the_first() {
    let srv = LocalShell::new();
    let events = Events::discard();
    let first = acquire(&srv, "hello", "deploy:v1", &events).unwrap();
    let err = acquire(&srv, "hello", "deploy:v2", &events).err().unwrap();
    let msg = err.to_string();
    assert!(msg.contains("deploy v1 from "), "{msg}");
    assert!(msg.contains("last active 0 s ago"), "{msg}");
    assert!(msg.contains("nothing was changed"), "{msg}");
    drop(first);
    assert!(!lock_file(&srv, "hello").exists(), "released");
    assert!(acquire(&srv, "hello", "deploy:v2", &events).is_ok());
}

#[test]
fn other_apps_have_their_own_lock() {
    let srv = LocalShell::new();
    let events = Events::discard();
    let _a = acquire(&srv, "a", "x", &events).unwrap();
    assert!(acquire(&srv, "b", "x", &events).is_ok());
}

#[test]
fn a_lock_nobody_refreshed_for_a_minute_is_taken_over_and_a_fresh_one_is_not() {
    let srv = LocalShell::new();
    let events = Events::discard();
    // Held by "another machine" (not provably gone): only its age frees it.
    let token = "v2;other-pc;0123456789abcdef;deploy:v1";
    std::fs::create_dir_all(srv.home.path().join(".ferry/locks")).unwrap();
    std::fs::write(lock_file(&srv, "hello"), format!("{token}\n")).unwrap();
    age(&srv, "hello", 50);
    let msg = acquire(&srv, "hello", "deploy:v2", &events)
        .err()
        .unwrap()
        .to_string();
    assert!(
        msg.contains("deploy v1 from other-pc, last active 5"),
        "{msg}"
    );
    age(&srv, "hello", 61);
    let held = acquire(&srv, "hello", "deploy:v2", &events).unwrap();
    let now = std::fs::read_to_string(lock_file(&srv, "hello")).unwrap();
    assert_eq!(now.trim(), held.holder());
}

#[test]
fn a_lock_left_by_a_dead_ferry_on_this_machine_is_taken_over_at_once() {
    let srv = LocalShell::new();
    let events = Events::discard();
    let first = acquire(&srv, "hello", "deploy:v1", &events).unwrap();
    // The process dies without releasing: its liveness file is unlocked by the OS.
    let mut first = std::mem::ManuallyDrop::new(first);
    if let Some((file, _)) = &first.alive.file {
        file.unlock().unwrap();
    }
    let collector = std::sync::Arc::new(crate::events::Collector::default());
    let events = Events::new(collector.clone());
    let second = acquire(&srv, "hello", "rollback", &events).unwrap();
    assert!(second.holder().ends_with(";rollback"));
    let warned = format!("{:?}", collector.events());
    assert!(warned.contains("no longer running"), "{warned}");
    // The dead one's liveness file is cleaned up by the taker.
    assert!(first.alive.file.as_ref().is_some_and(|(_, p)| !p.exists()));
    first.alive.file = None;
}

#[test]
fn of_two_takers_of_a_stale_lock_exactly_one_wins() {
    for _ in 0..5 {
        let srv = std::sync::Arc::new(LocalShell::new());
        std::fs::create_dir_all(srv.home.path().join(".ferry/locks")).unwrap();
        std::fs::write(lock_file(&srv, "hello"), "v2;gone-pc;00;deploy:v0\n").unwrap();
        age(&srv, "hello", 600);
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
        let takers: Vec<_> = (0..4)
            .map(|i| {
                let (srv, barrier) = (srv.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    let events = Events::discard();
                    acquire(&*srv, "hello", &format!("deploy:v{i}"), &events)
                        .map(std::mem::forget)
                        .is_ok()
                })
            })
            .collect();
        let wins = takers
            .into_iter()
            .map(|t| t.join().unwrap())
            .filter(|w| *w)
            .count();
        assert_eq!(wins, 1);
    }
}

#[test]
fn a_running_switch_keeps_its_lock_fresh_and_notices_a_takeover() {
    let srv = LocalShell::new();
    let events = Events::discard();
    let held = acquire(&srv, "hello", "deploy:v1", &events).unwrap();
    age(&srv, "hello", 55);
    *held.last_refresh.lock().unwrap() = Instant::now() - REFRESH_EVERY;
    held.keep_alive().unwrap();
    let mtime = std::fs::metadata(lock_file(&srv, "hello"))
        .unwrap()
        .modified()
        .unwrap();
    assert!(
        mtime.elapsed().unwrap() < Duration::from_secs(5),
        "refreshed"
    );

    std::fs::write(lock_file(&srv, "hello"), "v2;other-pc;ff;deploy:v9\n").unwrap();
    *held.last_refresh.lock().unwrap() = Instant::now() - REFRESH_EVERY;
    let err = held.keep_alive().unwrap_err().to_string();
    assert!(
        err.contains("taken over by deploy v9 from other-pc"),
        "{err}"
    );
    drop(held);
    assert!(lock_file(&srv, "hello").exists(), "another's lock stays");
}

#[test]
fn holder_tokens_round_trip_and_names_stay_one_token() {
    let h = Holder {
        machine: safe_name("My PC;x"),
        id: "ab".into(),
        what: "deploy:20261201-101500".into(),
    };
    assert_eq!(h.token(), "v2;My_PC_x;ab;deploy:20261201-101500");
    assert_eq!(Holder::parse(&h.token()), Some(h));
    assert_eq!(
        Holder::describe("v2;LAPTOP-7;ab;deploy:20261201-101500").render(crate::catalog::Lang::En),
        "deploy 20261201-101500 from LAPTOP-7"
    );
    assert_eq!(safe_name("..hidden/x"), "hidden_x");
}
