//! What the tests against the real local engine share: how they skip without one, and the
//! lock that makes them take turns.

use crate::docker::Engine;

/// Set by `scripts/test`: there, a missing engine or testbed fails the tests instead of
/// skipping them.
pub const REQUIRE: &str = "FERRY_REQUIRE_TESTBED";

pub fn skip(why: &str) {
    assert!(
        std::env::var_os(REQUIRE).is_none(),
        "{REQUIRE} is set but {why}"
    );
    eprintln!("SKIPPED: {why}");
}

/// The tests share one engine, and its image store is not safe to build into and remove from
/// at once (an intermediate image one build needs can vanish under another test): one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The local engine, held for this test alone; `None` (after `skip`) when none answers.
pub async fn engine() -> Option<(Engine, tokio::sync::MutexGuard<'static, ()>)> {
    let serial = SERIAL.lock().await;
    match Engine::connect().await {
        Ok(e) => Some((e, serial)),
        Err(e) => {
            skip(&format!("no Docker engine reachable ({e})"));
            None
        }
    }
}
