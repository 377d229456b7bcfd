//! The deploy lock's commands: one file per app under the deploy user's home that names its
//! holder. It is only read and changed under `flock`, so that taking it, refreshing it, taking
//! over a stale one and releasing it are each atomic on the server, and its age comes from the
//! server's own clock (the file's modification time, refreshed while the deploy runs).

use super::Cmd;

/// Where the locks live, relative to the SSH user's home (commands start there).
pub const DIR: &str = ".ferry/locks";

/// Exit status: the lock is held by someone else (stdout: `held AGE HOLDER`).
pub const HELD: i32 = 3;
/// Exit status: the lock is no longer ours (someone took it over).
pub const LOST: i32 = 4;

/// Every script starts here: `$1` is the app; `f` its lock file; the server-wide mutex held.
const PRELUDE: &str = r#"set -u
d=.ferry/locks
mkdir -p "$d" || exit 70
f="$d/$1.lock"
if command -v flock >/dev/null 2>&1; then
  exec 9>>"$d/.mutex"
  flock -w 20 9 || exit 75
fi
"#;

/// `$2` our token, `$3` seconds after which a lock nobody refreshed is stale, `$4` a holder
/// we know is gone (may be empty): takes the lock if it is free, stale, or that holder's.
const TAKE: &str = r#"if [ -f "$f" ]; then
  h=$(cat "$f")
  a=$(( $(date +%s) - $(stat -c %Y "$f") ))
  if [ "$h" != "$4" ] && [ "$a" -lt "$3" ]; then
    printf 'held %s %s\n' "$a" "$h"
    exit 3
  fi
  printf 'took-over %s %s\n' "$a" "$h"
fi
printf '%s\n' "$2" >"$f.new" && mv -f "$f.new" "$f" || exit 70
echo taken
"#;

/// `$2` our token: marks the lock as still in use, if it is still ours.
const REFRESH: &str = r#"if [ -f "$f" ] && [ "$(cat "$f")" = "$2" ]; then
  touch "$f" && echo ok
else
  echo lost
  exit 4
fi
"#;

/// `$2` our token: removes the lock, if it is still ours.
const RELEASE: &str = r#"if [ -f "$f" ] && [ "$(cat "$f")" = "$2" ]; then
  rm -f "$f" && echo released
else
  echo not-ours
fi
"#;

fn script(body: &str, args: &[&str]) -> Cmd {
    Cmd::script(&format!("{PRELUDE}{body}"), args.iter().copied())
}

pub fn take(app: &str, token: &str, stale_secs: u64, gone: Option<&str>) -> Cmd {
    let stale = stale_secs.to_string();
    script(TAKE, &[app, token, &stale, gone.unwrap_or("")])
}

pub fn refresh(app: &str, token: &str) -> Cmd {
    script(REFRESH, &[app, token])
}

pub fn release(app: &str, token: &str) -> Cmd {
    script(RELEASE, &[app, token])
}

/// The lock file's content (its holder), if any.
pub fn read(app: &str) -> Cmd {
    Cmd::new(["cat".to_string(), format!("{DIR}/{app}.lock")])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_commands_carry_values_as_arguments_only() {
        let take = take("hello", "v2;pc;ab12;deploy", 60, None);
        assert_eq!(take.argv[0..2], ["sh", "-c"]);
        assert!(take.argv[2].starts_with("set -u\nd=.ferry/locks\n"));
        assert_eq!(
            take.argv[3..],
            ["sh", "hello", "v2;pc;ab12;deploy", "60", ""]
        );
        assert_eq!(
            refresh("hello", "t").argv[3..],
            ["sh", "hello", "t"],
            "refresh"
        );
        assert!(release("hello", "t").argv[2].contains("not-ours"));
    }
}
