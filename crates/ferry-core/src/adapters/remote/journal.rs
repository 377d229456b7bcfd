//! The record of a release switch in progress, kept on the server under the deploy user's
//! `~/.ferry/switch/` (one small JSON file per app), so that a switch whose deploy died can
//! be finished by the next `ferry` command.

use super::Cmd;

pub const DIR: &str = ".ferry/switch";

/// Replaces the record of `app` with `json` (written beside it, then renamed).
pub fn write(app: &str, json: &str) -> Cmd {
    Cmd::script(
        r#"mkdir -p .ferry/switch && printf '%s\n' "$2" >".ferry/switch/$1.new" && mv -f ".ferry/switch/$1.new" ".ferry/switch/$1.json""#,
        [app, json],
    )
}

/// The record of `app`, or nothing.
pub fn read(app: &str) -> Cmd {
    Cmd::script(
        r#"if [ -f ".ferry/switch/$1.json" ]; then cat ".ferry/switch/$1.json"; fi"#,
        [app],
    )
}

pub fn clear(app: &str) -> Cmd {
    Cmd::new([
        "rm".to_string(),
        "-f".to_string(),
        format!("{DIR}/{app}.json"),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_commands() {
        assert_eq!(
            write("hello", r#"{"a":1}"#).shell(),
            "sh -c 'mkdir -p .ferry/switch && printf '\\''%s\\n'\\'' \"$2\" \
             >\".ferry/switch/$1.new\" && mv -f \".ferry/switch/$1.new\" \
             \".ferry/switch/$1.json\"' sh hello '{\"a\":1}'"
        );
        assert_eq!(
            read("hello").shell(),
            "sh -c 'if [ -f \".ferry/switch/$1.json\" ]; then cat \".ferry/switch/$1.json\"; fi' \
             sh hello"
        );
        assert_eq!(clear("hello").shell(), "rm -f .ferry/switch/hello.json");
    }
}
