//! `.dockerignore` with Docker's own rules, which are not gitignore's.
//!
//! Reading follows moby's `ignorefile.ReadAll`: a line starting with `#` (in the first column)
//! is a comment, blank lines are skipped, whitespace is trimmed, a leading `!` marks an
//! exception, and each pattern is cleaned like Go's `filepath.Clean` with a leading `/` removed.
//! Matching follows moby's `patternmatcher` (Go `filepath.Match` syntax plus `**`), evaluated the
//! way Docker's context walkers (BuildKit's fsutil and the classic tar) evaluate it: top-down,
//! each directory handing its per-pattern results to its children, later patterns winning.
//!
//! What surprises people who know gitignore:
//! - `foo` and `*.log` are anchored at the context root: they do not match `a/foo` or
//!   `logs/x.log`. Use `**/foo` or `**/*.log` for "anywhere".
//! - A pattern that matches a directory excludes everything below it, and a later `!` exception
//!   can still bring a file back from inside an excluded directory.
//! - An exception naming a directory (`!logs/keep`) undoes what matched that directory or one
//!   above it, not what a later-evaluated glob matched by the file's own path: with
//!   `logs/**/*.log` then `!logs/keep`, `logs/keep/app.log` stays out. This is Docker 23.0 and
//!   newer (and BuildKit since 2021); Docker 20.10's CLI also tried each pattern against one
//!   parent directory and sent that file. `src/context/docker_cli_tests.rs` checks both against
//!   the real CLIs.
//! - `foo/` is the same as `foo` (it also matches a file named `foo`); `foo/**` matches what is
//!   below `foo` but not `foo` itself.
//! - `#` starts a comment only in the first column, and trailing spaces are always trimmed.
//! - Character classes negate with `^` (`[^a]`); `[!a]` is the class of `!` and `a`.
//!
//! On Windows, like the Docker CLI there, `\` is a path separator in patterns; elsewhere it
//! escapes the next character.
//!
//! Docker matches with a regular expression built from the pattern, which disagrees with Go's
//! `filepath.Match` (what its documentation promises) in two places; Ferry refuses both rather
//! than guess: `*` or `?` inside `[...]`, and `\` before a letter, digit or non-ASCII character
//! (`\d` is any digit to Docker). Everything else was checked against moby's code on random
//! patterns and paths.

use crate::catalog::Msg;
use crate::msg;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = ".dockerignore";

#[derive(Debug, thiserror::Error)]
pub enum DockerIgnoreError {
    #[error("{}", self.message())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", self.message())]
    BadPattern {
        file: String,
        line: usize,
        pattern: String,
        reason: String,
    },
}

impl DockerIgnoreError {
    /// What went wrong and what to do, from the catalog.
    pub fn message(&self) -> Msg {
        match self {
            DockerIgnoreError::Read { path, source } => {
                msg!(
                    "dockerignore-read",
                    path = path,
                    detail = source.to_string()
                )
            }
            DockerIgnoreError::BadPattern {
                file,
                line,
                pattern,
                reason,
            } => msg!(
                "dockerignore-bad-pattern",
                file = file,
                line = *line,
                pattern = pattern,
                reason = reason
            ),
        }
    }
}

/// How `\` is read in patterns. Docker uses the host's rules: on Windows it is a path
/// separator, elsewhere an escape (`\*` is a literal `*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Unix,
    Windows,
}

impl Dialect {
    pub fn host() -> Self {
        if cfg!(windows) {
            Dialect::Windows
        } else {
            Dialect::Unix
        }
    }
}

/// The parsed `.dockerignore`: patterns in file order.
#[derive(Debug, Clone, Default)]
pub struct DockerIgnore {
    patterns: Vec<Pattern>,
    has_exceptions: bool,
    /// No exception pattern has wildcards (after a trailing `/**` or `/*`), so an excluded
    /// directory can be skipped unless an exception names something below it.
    only_prefix_exceptions: bool,
}

/// One cleaned pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    text: String,
    exception: bool,
    kind: Kind,
}

impl Pattern {
    /// The cleaned pattern, `/`-separated, without the `!`.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether it is a `!` exception (re-includes what it matches).
    pub fn is_exception(&self) -> bool {
        self.exception
    }

    fn matches(&self, path: &str) -> bool {
        match &self.kind {
            Kind::Exact => path == self.text,
            Kind::Prefix(prefix) => path.starts_with(prefix.as_str()),
            Kind::Suffix(suffix) => {
                path.ends_with(suffix.as_str())
                    || suffix.strip_prefix('/').is_some_and(|rest| path == rest)
            }
            Kind::Glob(tokens) => {
                let chars: Vec<char> = path.chars().collect();
                glob_match(tokens, &chars)
            }
        }
    }
}

/// patternmatcher's four ways to match: the cheap ones are chosen from the pattern's shape, and
/// they differ from the general one in corner cases (e.g. `**foo` matches `barfoo`).
#[derive(Debug, Clone)]
enum Kind {
    Exact,
    Prefix(String),
    Suffix(String),
    Glob(Vec<Token>),
}

#[derive(Debug, Clone)]
enum Token {
    Literal(char),
    /// `*`: any run without `/`.
    Star,
    /// `?`: one character other than `/`.
    AnyChar,
    /// `[...]`: one character (which may be `/`).
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    /// `**/` or `**` inside a pattern: nothing, or anything ending in `/`.
    AnyDirs,
    /// `**` at the end of a pattern: anything.
    Rest,
    /// A `^` outside a class: Docker passes it to a regular expression as an anchor, so it only
    /// matches at the start of the path.
    Start,
}

/// Per-pattern results for a directory, handed to its children (patternmatcher's `MatchInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchInfo(Vec<bool>);

impl DockerIgnore {
    /// Reads `root/.dockerignore`; no file means nothing is excluded.
    pub fn load(root: &Path) -> Result<Self, DockerIgnoreError> {
        let path = root.join(FILE_NAME);
        match std::fs::read(&path) {
            Ok(bytes) => Self::parse(&String::from_utf8_lossy(&bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(DockerIgnoreError::Read { path, source }),
        }
    }

    /// Parses the contents of a `.dockerignore` with the host's rules.
    pub fn parse(text: &str) -> Result<Self, DockerIgnoreError> {
        Self::parse_with(text, Dialect::host())
    }

    pub fn parse_with(text: &str, dialect: Dialect) -> Result<Self, DockerIgnoreError> {
        let mut ignore = DockerIgnore {
            only_prefix_exceptions: true,
            ..Self::default()
        };
        let mut text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // Go's line scanner: split on `\n`, drop one trailing `\r`.
        if text.ends_with('\n') {
            text = &text[..text.len() - 1];
        }
        if text.is_empty() {
            return Ok(ignore);
        }
        for (index, raw) in text.split('\n').enumerate() {
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            if let Some(pattern) = read_line(raw, dialect) {
                ignore
                    .push(&pattern, dialect)
                    .map_err(|reason| DockerIgnoreError::BadPattern {
                        file: FILE_NAME.to_string(),
                        line: index + 1,
                        pattern: raw.trim().to_string(),
                        reason,
                    })?;
            }
        }
        Ok(ignore)
    }

    /// Adds one pattern as `.dockerignore` would after reading it (`!` for an exception).
    fn push(&mut self, line: &str, dialect: Dialect) -> Result<(), String> {
        // patternmatcher.New: trim, clean, split off the `!`.
        let cleaned = clean(line.trim());
        let (exception, text) = match cleaned.strip_prefix('!') {
            Some("") => {
                return Err("a `!` needs a path after it, like `!keep.txt`".to_string());
            }
            Some(rest) => (true, rest.to_string()),
            None => (false, cleaned),
        };
        let kind = compile(&text, dialect == Dialect::Unix)?;
        if exception {
            self.has_exceptions = true;
            if without_trailing_glob(&text).contains(['*', '[', ']', '?', '^', '\\']) {
                self.only_prefix_exceptions = false;
            }
        }
        self.patterns.push(Pattern {
            text,
            exception,
            kind,
        });
        Ok(())
    }

    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `path` (relative to the context, `/`-separated) is excluded given its parent
    /// directory's results (`MatchInfo::default()` for a top-level path); also returns the
    /// results to hand to its children. This is patternmatcher's `MatchesUsingParentResults`.
    pub fn matches(&self, path: &str, parent: &MatchInfo) -> (bool, MatchInfo) {
        let mut matched = false;
        let mut info = vec![false; self.patterns.len()];
        for (i, pattern) in self.patterns.iter().enumerate() {
            let mut hit = parent.0.get(i).copied().unwrap_or(false);
            if !hit {
                // An include that already matched, or an exception with nothing to undo, is
                // not evaluated (and so is not recorded for the children either).
                if pattern.exception != matched {
                    continue;
                }
                hit = pattern.matches(path);
                if !hit && parent.0.is_empty() {
                    // No results from the parent: try each parent directory.
                    hit = parents(path).any(|dir| pattern.matches(dir));
                }
            }
            info[i] = hit;
            if hit {
                matched = !pattern.exception;
            }
        }
        (matched, MatchInfo(info))
    }

    /// Whether `path` is left out of the context, evaluated as a walk from the root would.
    pub fn is_excluded(&self, path: &str) -> bool {
        let path = path.trim_matches('/');
        let mut info = MatchInfo::default();
        let mut excluded = false;
        for (end, _) in path.match_indices('/').chain([(path.len(), "")]) {
            (excluded, info) = self.matches(&path[..end], &info);
        }
        excluded
    }

    /// For an excluded directory: whether nothing below it can come back through an exception,
    /// so a walk may skip it without looking inside. This is BuildKit's rule (fsutil), which
    /// Ferry builds with: it never skips when an exception has wildcards. The classic builder's
    /// walk (moby's `TarWithOptions`) also skips then, unless the exception's text starts with
    /// the directory, so `tmp` + `!**/*.keep` sends `tmp/a.keep` with BuildKit only.
    pub fn can_skip_excluded_dir(&self, dir: &str) -> bool {
        if !self.has_exceptions {
            return true;
        }
        if !self.only_prefix_exceptions {
            return false;
        }
        let dir_slash = format!("{}/", dir.trim_matches('/'));
        !self.patterns.iter().any(|p| {
            p.exception && format!("{}/", without_trailing_glob(&p.text)).starts_with(&dir_slash)
        })
    }
}

/// `ignorefile.ReadAll` for one line: `None` for comments and blank lines.
fn read_line(raw: &str, dialect: Dialect) -> Option<String> {
    if raw.starts_with('#') {
        return None;
    }
    let mut pattern = raw.trim();
    if pattern.is_empty() {
        return None;
    }
    let invert = pattern.starts_with('!');
    if invert {
        pattern = pattern[1..].trim();
    }
    let mut out = String::new();
    if invert {
        out.push('!');
    }
    if !pattern.is_empty() {
        let pattern = match dialect {
            Dialect::Windows => pattern.replace('\\', "/"),
            Dialect::Unix => pattern.to_string(),
        };
        let cleaned = clean(&pattern);
        match cleaned.strip_prefix('/') {
            Some(rest) if !rest.is_empty() => out.push_str(rest),
            _ => out.push_str(&cleaned),
        }
    }
    Some(out)
}

/// Go's `filepath.Clean` (with `/`): no empty or `.` elements, `..` folded, no trailing `/`.
pub fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    if rooted {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_string()
    } else {
        joined
    }
}

/// `a/b/c` → `a`, `a/b`.
fn parents(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(end, _)| &path[..end])
}

/// fsutil's `patternWithoutTrailingGlob`.
fn without_trailing_glob(text: &str) -> &str {
    let text = text.strip_suffix("/**").unwrap_or(text);
    text.strip_suffix("/*").unwrap_or(text)
}

/// patternmatcher's `compile`, plus the syntax check it gets from Go's `filepath.Match`.
fn compile(text: &str, escapes: bool) -> Result<Kind, String> {
    #[derive(PartialEq)]
    enum Detected {
        Exact,
        Prefix,
        Suffix,
        Glob,
    }
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut detected = Detected::Exact;
    let mut pos = 0;
    let mut first = true;
    while pos < chars.len() {
        let ch = chars[pos];
        pos += 1;
        match ch {
            '*' if chars.get(pos) == Some(&'*') => {
                pos += 1;
                if chars.get(pos) == Some(&'/') {
                    pos += 1;
                }
                if pos == chars.len() {
                    if detected == Detected::Exact {
                        detected = Detected::Prefix;
                    } else {
                        tokens.push(Token::Rest);
                        detected = Detected::Glob;
                    }
                } else {
                    tokens.push(Token::AnyDirs);
                    detected = Detected::Glob;
                }
                if first {
                    detected = Detected::Suffix;
                }
            }
            '*' => {
                tokens.push(Token::Star);
                detected = Detected::Glob;
            }
            '?' => {
                tokens.push(Token::AnyChar);
                detected = Detected::Glob;
            }
            '\\' if escapes => match chars.get(pos) {
                Some(&next) => {
                    check_escape(next)?;
                    tokens.push(Token::Literal(next));
                    pos += 1;
                    detected = Detected::Glob;
                }
                None => return Err("it ends with a lone `\\`".to_string()),
            },
            '[' => {
                let (token, next) = parse_class(&chars, pos, escapes)?;
                tokens.push(token);
                pos = next;
                detected = Detected::Glob;
            }
            ']' => {
                tokens.push(Token::Literal(']'));
                detected = Detected::Glob;
            }
            '^' => tokens.push(Token::Start),
            _ => tokens.push(Token::Literal(ch)),
        }
        first = false;
    }
    Ok(match detected {
        Detected::Exact => Kind::Exact,
        Detected::Prefix => Kind::Prefix(text[..text.len() - 2].to_string()),
        Detected::Suffix => Kind::Suffix(text[2..].to_string()),
        Detected::Glob => Kind::Glob(tokens),
    })
}

/// A class after its `[`, with Go `filepath.Match`'s syntax rules. Returns the token and the
/// position after the closing `]`.
fn parse_class(chars: &[char], mut pos: usize, escapes: bool) -> Result<(Token, usize), String> {
    let unclosed = || "a `[` is never closed with `]`".to_string();
    let negated = chars.get(pos) == Some(&'^');
    if negated {
        pos += 1;
    }
    let mut ranges = Vec::new();
    loop {
        if chars.get(pos) == Some(&']') && !ranges.is_empty() {
            return Ok((Token::Class { negated, ranges }, pos + 1));
        }
        let lo = class_char(chars, &mut pos, escapes, false)?;
        let mut hi = lo;
        if chars.get(pos) == Some(&'-') {
            pos += 1;
            hi = class_char(chars, &mut pos, escapes, true)?;
            if hi < lo {
                return Err(format!("the range `{lo}-{hi}` is backwards"));
            }
        }
        ranges.push((lo, hi));
        if pos >= chars.len() {
            return Err(unclosed());
        }
    }
}

/// Go's `getEsc`: one (possibly escaped) character of a class.
fn class_char(
    chars: &[char],
    pos: &mut usize,
    escapes: bool,
    after_dash: bool,
) -> Result<char, String> {
    match chars.get(*pos) {
        None => return Err("a `[` is never closed with `]`".to_string()),
        Some('-') => return Err("a `-` in `[...]` needs a character on each side".to_string()),
        Some(']') if after_dash => {
            return Err("a `-` in `[...]` needs a character on each side".to_string())
        }
        Some(']') => return Err("`[]` is an empty character class".to_string()),
        Some('*' | '?') => {
            return Err(
                "Docker reads `*` and `?` as wildcards even inside `[...]`, unlike Go's rules; \
                 escape them (`[\\*]`) or write them outside the brackets"
                    .to_string(),
            )
        }
        Some('\\') if escapes => *pos += 1,
        Some(_) => {}
    }
    let ch = *chars
        .get(*pos)
        .ok_or_else(|| "a `[` is never closed with `]`".to_string())?;
    if escapes && chars[*pos - 1] == '\\' {
        check_escape(ch)?;
    }
    *pos += 1;
    if *pos >= chars.len() {
        return Err("a `[` is never closed with `]`".to_string());
    }
    Ok(ch)
}

/// Docker turns a pattern into a regular expression, where `\\` before a letter, digit or
/// non-ASCII character is not a plain escape (`\\d` is any digit, `\\a` a bell character, `\\é`
/// an error). Only punctuation escapes the same way in Go's rules and in Docker's.
fn check_escape(ch: char) -> Result<(), String> {
    if ch.is_ascii() && !ch.is_ascii_alphanumeric() {
        Ok(())
    } else {
        Err(format!(
            "Docker does not read `\\{ch}` as a plain `{ch}`; drop the backslash"
        ))
    }
}

/// Matches the whole path against tokens (the regular expression Docker builds), memoised so
/// that many stars stay linear in practice.
fn glob_match(tokens: &[Token], path: &[char]) -> bool {
    let width = path.len() + 1;
    let mut memo: Vec<Option<bool>> = vec![None; (tokens.len() + 1) * width];
    matches_from(tokens, path, 0, 0, &mut memo, width)
}

fn matches_from(
    tokens: &[Token],
    path: &[char],
    t: usize,
    p: usize,
    memo: &mut Vec<Option<bool>>,
    width: usize,
) -> bool {
    if let Some(known) = memo[t * width + p] {
        return known;
    }
    let mut rec = |t2: usize, p2: usize| matches_from(tokens, path, t2, p2, memo, width);
    let result = match tokens.get(t) {
        None => p == path.len(),
        Some(Token::Literal(c)) => path.get(p) == Some(c) && rec(t + 1, p + 1),
        Some(Token::AnyChar) => path.get(p).is_some_and(|&c| c != '/') && rec(t + 1, p + 1),
        Some(Token::Class { negated, ranges }) => {
            path.get(p)
                .is_some_and(|&c| ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated)
                && rec(t + 1, p + 1)
        }
        Some(Token::Star) => {
            let mut end = p;
            loop {
                if rec(t + 1, end) {
                    break true;
                }
                if end == path.len() || path[end] == '/' {
                    break false;
                }
                end += 1;
            }
        }
        Some(Token::Rest) => {
            // `.*`: anything but a newline.
            let mut end = p;
            loop {
                if rec(t + 1, end) {
                    break true;
                }
                if end == path.len() || path[end] == '\n' {
                    break false;
                }
                end += 1;
            }
        }
        Some(Token::AnyDirs) => {
            // `(.*/)?`
            if rec(t + 1, p) {
                true
            } else {
                let mut found = false;
                for (end, &c) in path.iter().enumerate().skip(p) {
                    if c == '\n' {
                        break;
                    }
                    if c == '/' && rec(t + 1, end + 1) {
                        found = true;
                        break;
                    }
                }
                found
            }
        }
        Some(Token::Start) => p == 0 && rec(t + 1, p),
    };
    memo[t * width + p] = Some(result);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unix(text: &str) -> DockerIgnore {
        DockerIgnore::parse_with(text, Dialect::Unix).unwrap()
    }

    fn excluded(text: &str, path: &str) -> bool {
        unix(text).is_excluded(path)
    }

    fn texts(ignore: &DockerIgnore) -> Vec<String> {
        ignore
            .patterns()
            .iter()
            .map(|p| format!("{}{}", if p.is_exception() { "!" } else { "" }, p.text()))
            .collect()
    }

    #[test]
    fn reading_follows_ignorefile_read_all() {
        let ignore = unix(
            "\u{feff}test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n\
             ! /inverted/abs/path\n  spaced  \r\n./dot/./slash//\na/../b\n../up\n",
        );
        assert_eq!(
            texts(&ignore),
            [
                "test1",
                "test2",
                "a/file/here",
                "lastfile",
                "!inverted/abs/path",
                "spaced",
                "dot/slash",
                "b",
                "../up"
            ]
        );
    }

    #[test]
    fn hash_is_a_comment_only_in_the_first_column() {
        let ignore = unix("# comment\n  # not a comment\n");
        assert_eq!(texts(&ignore), ["# not a comment"]);
        assert!(ignore.is_excluded("# not a comment"));
        // An escaped `#` is a file name.
        assert!(excluded("\\#notes", "#notes"));
    }

    #[test]
    fn trailing_spaces_are_trimmed_unlike_gitignore() {
        assert!(excluded("foo   \n", "foo"));
        assert!(!excluded("foo   \n", "foo   "));
    }

    #[test]
    fn a_name_is_anchored_at_the_root_not_matched_anywhere() {
        // gitignore: `foo` matches a/foo too. Docker: only the top-level one.
        assert!(excluded("foo", "foo"));
        assert!(!excluded("foo", "a/foo"));
        assert!(excluded("*.log", "x.log"));
        assert!(!excluded("*.log", "logs/x.log"));
        assert!(excluded("**/*.log", "logs/x.log"));
        assert!(excluded("**/*.log", "x.log"));
        assert!(excluded("**/foo", "a/b/foo"));
        assert!(excluded("**/foo", "foo"));
    }

    #[test]
    fn leading_slash_and_dot_slash_change_nothing() {
        for pattern in ["/foo", "./foo", "foo/", "/foo/", "foo//", "bar/../foo"] {
            assert!(excluded(pattern, "foo"), "{pattern}");
            assert!(excluded(pattern, "foo/x/y"), "{pattern}");
            assert!(!excluded(pattern, "a/foo"), "{pattern}");
        }
    }

    #[test]
    fn a_trailing_slash_still_matches_a_file() {
        // gitignore: `foo/` only matches directories.
        assert!(excluded("foo/", "foo"));
    }

    #[test]
    fn a_matching_directory_excludes_everything_below_it() {
        assert!(excluded("node_modules", "node_modules/a/b/c.js"));
        assert!(excluded("a/*", "a/b/c/d"));
        assert!(!excluded("a/*", "a"));
        assert!(!excluded("build", "builder/x"));
    }

    #[test]
    fn star_and_question_mark_do_not_cross_slashes() {
        assert!(excluded("*/foo", "x/foo"));
        assert!(!excluded("*/foo", "x/y/foo"));
        assert!(excluded("a?c", "abc"));
        assert!(!excluded("a?c", "a/c"));
        assert!(excluded("*", "anything/below"));
        assert!(excluded("a*", "a"));
    }

    #[test]
    fn double_star_matches_any_number_of_directories() {
        for path in ["a/b", "a/x/b", "a/x/y/b"] {
            assert!(excluded("a/**/b", path), "{path}");
        }
        assert!(!excluded("a/**/b", "a/xb"));
        assert!(excluded("**", "anything/at/all"));
        assert!(excluded("**/x/**/*.go", "p/x/q/r/main.go"));
    }

    #[test]
    fn trailing_double_star_matches_below_but_not_the_directory_itself() {
        let ignore = unix("foo/**");
        assert!(!ignore.is_excluded("foo"));
        assert!(ignore.is_excluded("foo/x"));
        assert!(ignore.is_excluded("foo/x/y"));
    }

    #[test]
    fn double_star_quirks_of_patternmatcher() {
        // `**foo` is a plain suffix test.
        assert!(excluded("**foo", "barfoo"));
        assert!(excluded("**foo", "a/barfoo"));
        // `a**b` is `a(.*/)?b`: a directory boundary is required before `b`.
        assert!(excluded("a**b", "ab"));
        assert!(excluded("a**b", "a/x/b"));
        assert!(!excluded("a**b", "axb"));
        // `foo**` is a plain prefix test.
        assert!(excluded("foo**", "foobar"));
    }

    #[test]
    fn character_classes_negate_with_caret_not_bang() {
        assert!(excluded("[abc].txt", "b.txt"));
        assert!(!excluded("[abc].txt", "d.txt"));
        assert!(excluded("[a-c]x", "bx"));
        assert!(excluded("[^a]x", "bx"));
        assert!(!excluded("[^a]x", "ax"));
        // `[!a]` is the class of `!` and `a` in Go.
        assert!(excluded("[!a]x", "ax"));
        assert!(excluded("[!a]x", "!x"));
        assert!(!excluded("[!a]x", "bx"));
        assert!(excluded("[\\]]", "]"));
        assert!(excluded("日[本]", "日本"));
    }

    #[test]
    fn backslash_escapes_on_unix() {
        assert!(excluded("\\*", "*"));
        assert!(!excluded("\\*", "x"));
        assert!(excluded("a\\?", "a?"));
        assert!(!excluded("a\\?", "ab"));
    }

    #[test]
    fn backslash_is_a_separator_on_windows() {
        let ignore = DockerIgnore::parse_with("bin\\*.exe\n\\tmp\\\n", Dialect::Windows).unwrap();
        assert_eq!(texts(&ignore), ["bin/*.exe", "tmp"]);
        assert!(ignore.is_excluded("bin/app.exe"));
        assert!(ignore.is_excluded("tmp/x"));
    }

    #[test]
    fn regex_only_characters_are_literal() {
        assert!(excluded("a.b", "a.b"));
        assert!(!excluded("a.b", "axb"));
        assert!(excluded("*.b+(x)|{y}$", "q.b+(x)|{y}$"));
        // A `^` is literal in an exact pattern, an anchor in a glob (Docker's regexp).
        assert!(excluded("a^b", "a^b"));
        assert!(!excluded("*a^b", "a^b"));
    }

    #[test]
    fn exceptions_and_later_patterns_win() {
        let text = "*.md\n!README.md\n";
        assert!(excluded(text, "CHANGES.md"));
        assert!(!excluded(text, "README.md"));
        let text = "*.md\n!README.md\nREADME*\n";
        assert!(excluded(text, "README.md"));
        let text = "!README.md\n*.md\n";
        assert!(excluded(text, "README.md"));
    }

    #[test]
    fn an_exception_reaches_inside_an_excluded_directory_unlike_gitignore() {
        let ignore = unix("node_modules\n!node_modules/keep.txt\n");
        assert!(ignore.is_excluded("node_modules"));
        assert!(!ignore.is_excluded("node_modules/keep.txt"));
        assert!(ignore.is_excluded("node_modules/other.js"));
        assert!(!ignore.can_skip_excluded_dir("node_modules"));
    }

    #[test]
    fn a_directory_exception_does_not_bring_back_files_a_glob_excluded_inside_it() {
        // Issue 9: what current Docker sends. The exception is tried against each path as the
        // walk meets it: `logs/keep` (not excluded anyway), then `logs/keep/app.log`, which it
        // does not match; it never looks at the parent again once the walk has results for it.
        let ignore = unix("logs/**/*.log\n!logs/keep\n");
        assert!(!ignore.is_excluded("logs/keep"));
        assert!(ignore.is_excluded("logs/keep/app.log"));
        assert!(!ignore.is_excluded("logs/keep/notes.txt"));
        assert!(ignore.is_excluded("logs/old/x.log"));
        // Where the exception's directory was itself excluded, it brings everything back.
        let ignore = unix("logs\n!logs/keep\n");
        assert!(!ignore.is_excluded("logs/keep/app.log"));
        assert!(ignore.is_excluded("logs/old/x.log"));
        assert!(!ignore.can_skip_excluded_dir("logs"));
        // And a glob over files inside it, after the exception, wins again.
        assert!(excluded(
            "logs\n!logs/keep\nlogs/**/*.log\n",
            "logs/keep/app.log"
        ));
    }

    #[test]
    fn directories_are_evaluated_top_down_like_the_walkers() {
        // patternmatcher's MatchesUsingParentResults: the last `a` was not evaluated for the
        // directory `a` (it was already excluded), so for `a/b` it is tried against `a/b`
        // alone, which it does not match.
        let ignore = unix("a\n!a/b\na\n");
        assert!(ignore.is_excluded("a"));
        assert!(!ignore.is_excluded("a/b"));
        assert!(!ignore.is_excluded("a/b/c"));
        assert!(ignore.is_excluded("a/c"));
    }

    #[test]
    fn excluded_directories_are_skipped_unless_an_exception_could_match_below() {
        let ignore = unix("vendor\n.git\n!vendor/modules.txt\n");
        assert!(ignore.can_skip_excluded_dir(".git"));
        assert!(!ignore.can_skip_excluded_dir("vendor"));
        assert!(unix("tmp").can_skip_excluded_dir("tmp"));
        // `!keep/**` counts as a prefix exception.
        assert!(unix("*\n!keep/**").can_skip_excluded_dir("other"));
        // A wildcard exception may match anywhere, so nothing is skipped.
        assert!(!unix("tmp\n!**/*.keep").can_skip_excluded_dir("tmp"));
    }

    #[test]
    fn bad_patterns_name_the_line() {
        for (text, reason) in [
            ("ok\n[abc", "never closed"),
            ("ok\n!", "needs a path"),
            ("ok\n!/", "needs a path"),
            ("ok\n[]", "empty character class"),
            ("ok\n[a-]", "each side"),
            ("ok\n[z-a]", "backwards"),
            ("ok\nfoo\\", "lone"),
            ("ok\n[*]", "wildcards even inside"),
            ("ok\n[a?]", "wildcards even inside"),
            ("ok\n\\d", "drop the backslash"),
            ("ok\n[\\d]", "drop the backslash"),
            ("ok\n\\é", "drop the backslash"),
        ] {
            let err = DockerIgnore::parse_with(text, Dialect::Unix).unwrap_err();
            let message = err.to_string();
            assert!(message.starts_with(".dockerignore line 2: `"), "{message}");
            assert!(message.contains(reason), "{text}: {message}");
        }
    }

    #[test]
    fn go_clean() {
        for (input, want) in [
            ("", "."),
            (".", "."),
            ("a/./b/", "a/b"),
            ("/../a", "/a"),
            ("../../a", "../../a"),
            ("a/b/../../..", ".."),
            ("/", "/"),
            ("//a//", "/a"),
        ] {
            assert_eq!(clean(input), want, "{input}");
        }
    }

    #[test]
    fn no_file_excludes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let ignore = DockerIgnore::load(dir.path()).unwrap();
        assert!(ignore.is_empty());
        assert!(!ignore.is_excluded("anything"));
    }

    #[test]
    fn unicode_names_match_by_character() {
        assert!(excluded("你?", "你好"));
        assert!(excluded("*.txt", "你好 world.txt"));
        assert!(!excluded("你?", "你好好"));
    }
}
