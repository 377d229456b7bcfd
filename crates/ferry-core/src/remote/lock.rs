//! The deploy lock's commands: a directory per app under the deploy user's home
//! (`mkdir` is atomic), holding one entry that names who holds it.

use super::Cmd;

/// Where the locks live, relative to the SSH user's home (commands start there).
pub const DIR: &str = ".ferry/locks";

fn path(app: &str) -> String {
    format!("{DIR}/{app}")
}

pub fn make_dir() -> Cmd {
    Cmd::new(["mkdir", "-p", DIR])
}

/// Fails (exit 1) when the lock is held.
pub fn take(app: &str) -> Cmd {
    Cmd::new(["mkdir".to_string(), path(app)])
}

/// Records the holder inside the lock, e.g. `20261125-101500@LAPTOP-7`.
pub fn name_holder(app: &str, holder: &str) -> Cmd {
    Cmd::new(["mkdir".to_string(), format!("{}/{holder}", path(app))])
}

/// When the lock was taken and by whom, one `SECONDS NAME` line each for the lock itself
/// and its holder entry.
pub fn describe(app: &str) -> Cmd {
    Cmd::new(["find", &path(app), "-maxdepth", "1", "-printf", "%T@ %f\\n"])
}

pub fn now() -> Cmd {
    Cmd::new(["date", "+%s"])
}

pub fn release(app: &str) -> Cmd {
    Cmd::new(["rm".to_string(), "-rf".to_string(), path(app)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_commands() {
        assert_eq!(make_dir().shell(), "mkdir -p .ferry/locks");
        assert_eq!(take("hello").shell(), "mkdir .ferry/locks/hello");
        assert_eq!(
            name_holder("hello", "20261125-101500@LAPTOP-7").shell(),
            "mkdir .ferry/locks/hello/20261125-101500@LAPTOP-7"
        );
        assert_eq!(
            describe("hello").shell(),
            "find .ferry/locks/hello -maxdepth 1 -printf '%T@ %f\\n'"
        );
        assert_eq!(now().shell(), "date +%s");
        assert_eq!(release("hello").shell(), "rm -rf .ferry/locks/hello");
    }
}
