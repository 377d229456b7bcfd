//! The local testbed (`scripts/testbed up`) as tests see it, and the one rule for tests that
//! need it: under `FERRY_REQUIRE_TESTBED` (set by `scripts/test`) a missing testbed fails the
//! test; without it the test says `SKIPPED` and passes. Shared with the app's tests (feature
//! `testbed`).

use std::collections::HashMap;

/// Set by `scripts/test`: there, a missing engine or testbed fails the tests instead of
/// skipping them.
pub const REQUIRE: &str = "FERRY_REQUIRE_TESTBED";

/// Written by `scripts/testbed up`: one `export FERRY_TB_...=VALUE` line per fact.
pub const ENV_FILE: &str = "/tmp/ferry-testbed/env";

/// Call before a test returns early for want of `why`: panics under `FERRY_REQUIRE_TESTBED`.
pub fn skip(why: &str) {
    assert!(
        std::env::var_os(REQUIRE).is_none(),
        "{REQUIRE} is set but {why}"
    );
    eprintln!("SKIPPED: {why}");
}

/// The testbed's addresses and fixture credentials, from [`ENV_FILE`].
pub struct Testbed {
    vars: HashMap<String, String>,
}

impl Testbed {
    /// The testbed, or `None` after [`skip`] when it is not up.
    pub fn load() -> Option<Testbed> {
        match std::fs::read_to_string(ENV_FILE) {
            Ok(text) => Some(Testbed::parse(&text)),
            Err(e) => {
                skip(&format!("no testbed: {ENV_FILE}: {e} (scripts/testbed up)"));
                None
            }
        }
    }

    /// Reads the `export NAME=VALUE` lines, VALUE quoted as bash's `printf %q` does.
    pub fn parse(text: &str) -> Testbed {
        let vars = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("export "))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), unquote(v)))
            .collect();
        Testbed { vars }
    }

    /// A fact the testbed always writes; panics naming it when the file lacks it.
    pub fn get(&self, key: &str) -> &str {
        self.vars
            .get(key)
            .unwrap_or_else(|| panic!("{key} missing from {ENV_FILE} (scripts/testbed up)"))
    }
}

/// One shell word: backslash escapes, '…' and "…" (all `printf %q` produces for these values).
fn unquote(word: &str) -> String {
    let mut out = String::new();
    let mut chars = word.trim().chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '\'' => out.extend(chars.by_ref().take_while(|&c| c != '\'')),
            '"' => out.extend(chars.by_ref().take_while(|&c| c != '"')),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_lines_are_read_as_bash_would() {
        let tb = Testbed::parse(
            "export FERRY_TB_HOST_KEY=SHA256:ab+c/d=\nexport FERRY_TB_X=a\\ b\\'c\n\
             export FERRY_TB_Y='it'\\''s'\n# comment\n",
        );
        assert_eq!(tb.get("FERRY_TB_HOST_KEY"), "SHA256:ab+c/d=");
        assert_eq!(tb.get("FERRY_TB_X"), "a b'c");
        assert_eq!(tb.get("FERRY_TB_Y"), "it's");
    }
}
