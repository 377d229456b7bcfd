//! The Go module in a project: `go.mod`'s module path and Go version, and where its main
//! package is, for the Dockerfile Ferry generates.

use crate::catalog::Msg;
use crate::msg;
use std::path::{Path, PathBuf};

/// The builder image when `go.mod` does not say which Go it needs.
pub const DEFAULT_GO_VERSION: &str = "1.22";

#[derive(Debug, thiserror::Error)]
pub enum GoModError {
    #[error("{}", self.message())]
    NoGoMod { root: PathBuf },
    #[error("{}", self.message())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", self.message())]
    NoModuleLine { path: PathBuf },
    #[error("{}", self.message())]
    NoMainPackage {
        root: PathBuf,
        /// Folders (`./cmd/api`, `./server`) that hold a main package.
        candidates: Vec<String>,
    },
    #[error("{}", self.message())]
    SeveralMainPackages {
        root: PathBuf,
        candidates: Vec<String>,
    },
    #[error("{}", self.message())]
    BadMain { main: String, problem: Msg },
}

impl GoModError {
    /// What went wrong and what to do, from the catalog.
    pub fn message(&self) -> Msg {
        match self {
            GoModError::NoGoMod { root } => msg!("gomod-none", root = root),
            GoModError::Read { path, source } => {
                msg!("gomod-read", path = path, detail = source.to_string())
            }
            GoModError::NoModuleLine { path } => msg!("gomod-no-module", path = path),
            GoModError::NoMainPackage { root, candidates } => match candidates.first() {
                None => msg!("gomod-no-main", root = root),
                Some(first) => msg!(
                    "gomod-no-main-found",
                    root = root,
                    found = candidates.join(", "),
                    first = first
                ),
            },
            GoModError::SeveralMainPackages { root, candidates } => msg!(
                "gomod-several-mains",
                root = root,
                found = candidates.join(", "),
                first = candidates
                    .first()
                    .map(String::as_str)
                    .unwrap_or("./cmd/xxx")
            ),
            GoModError::BadMain { main, problem } => {
                msg!("gomod-bad-main", main = main, problem = problem.clone())
            }
        }
    }
}

/// What Ferry needs to know about the Go module at a build context's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoModule {
    /// The `module` path, e.g. `example.com/shop`.
    pub module: String,
    /// The `go` directive, e.g. `1.22` or `1.22.3`.
    pub go_version: Option<String>,
    /// The `toolchain` directive, e.g. `go1.23.1`.
    pub toolchain: Option<String>,
    /// The package to build, as `go build` takes it: `.` or `./cmd/<name>`.
    pub main_package: String,
    pub has_go_sum: bool,
    /// A `vendor/` folder: Go builds with `-mod=vendor` and needs no downloads.
    pub has_vendor: bool,
}

/// Reads `root/go.mod` and finds the main package: the root if it has a `package main` file,
/// else the only `cmd/<name>/` that does.
pub fn detect(root: &Path) -> Result<GoModule, GoModError> {
    detect_with_main(root, None)
}

/// Like [`detect`], but with the main package set in ferry.toml (checked, not searched for).
pub fn detect_with_main(root: &Path, main: Option<&str>) -> Result<GoModule, GoModError> {
    let path = root.join("go.mod");
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(GoModError::NoGoMod {
                root: root.to_path_buf(),
            })
        }
        Err(source) => return Err(GoModError::Read { path, source }),
    };
    let parsed = parse_go_mod(&text);
    let module = parsed
        .module
        .filter(|m| !m.is_empty())
        .ok_or(GoModError::NoModuleLine { path })?;
    let main_package = match main {
        Some(main) => check_main(root, main)?,
        None => find_main_package(root)?,
    };
    Ok(GoModule {
        module,
        go_version: parsed.go_version,
        toolchain: parsed.toolchain,
        main_package,
        has_go_sum: root.join("go.sum").is_file(),
        has_vendor: root.join("vendor").is_dir(),
    })
}

/// `golang:<major>.<minor>` for a `go` directive (`1.22.3` → `golang:1.22`), which is the
/// newest patch release of that line; `golang:1.22` when the version is unknown.
pub fn default_builder_image(go_version: Option<&str>) -> String {
    let version = go_version
        .and_then(major_minor)
        .unwrap_or_else(|| DEFAULT_GO_VERSION.to_string());
    format!("golang:{version}")
}

fn major_minor(version: &str) -> Option<String> {
    let version = version.trim().trim_start_matches("go");
    let mut parts = version.splitn(3, '.');
    let major = parts.next()?;
    let minor_part = parts.next()?;
    // `1.21rc1` → `21`.
    let minor: String = minor_part
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let numeric = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    (numeric(major) && numeric(&minor)).then(|| format!("{major}.{minor}"))
}

/// A module the build uses, as `go.mod` requires it or `vendor/modules.txt` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The module path, e.g. `go.etcd.io/bbolt`.
    pub path: String,
    /// `v1.3.10`; empty for a `vendor/modules.txt` module replaced by a local folder.
    pub version: String,
    /// Marked `// indirect` in go.mod: needed by a dependency, not imported by the module.
    pub indirect: bool,
    /// Its line in the file, from 1.
    pub line: usize,
}

/// The `require` lines of a go.mod text (one-line and block form, `// indirect` ones too).
pub fn requirements(go_mod: &str) -> Vec<Requirement> {
    parse_go_mod(go_mod).requires
}

/// The modules a `vendor/modules.txt` lists (its `# path version` lines): what a vendored
/// build compiles, including the modules an old go.mod (before Go 1.17) does not name.
pub fn vendored_modules(modules_txt: &str) -> Vec<Requirement> {
    modules_txt
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let rest = line.strip_prefix("# ")?;
            let mut tokens = rest.split_whitespace();
            let path = tokens.next()?.to_string();
            let version = tokens.next().filter(|v| *v != "=>").unwrap_or_default();
            Some(Requirement {
                path,
                version: version.to_string(),
                indirect: false,
                line: i + 1,
            })
        })
        .collect()
}

#[derive(Debug, Default, PartialEq)]
struct GoModFile {
    module: Option<String>,
    go_version: Option<String>,
    toolchain: Option<String>,
    requires: Vec<Requirement>,
}

fn parse_go_mod(text: &str) -> GoModFile {
    let mut file = GoModFile::default();
    let mut block: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = strip_comment(raw);
        // Go's own test: the comment is `// indirect`, or `// indirect; ` and more.
        let comment = raw[line.len()..].strip_prefix("//").unwrap_or_default();
        let words: Vec<&str> = comment.split_whitespace().collect();
        let indirect = matches!(words[..], ["indirect"] | ["indirect;", _, ..]);
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let Some(&first) = tokens.first() else {
            continue;
        };
        let require = |path: &str, version: Option<&&str>| Requirement {
            path: unquote(path),
            version: version.map(|v| unquote(v)).unwrap_or_default(),
            indirect,
            line: i + 1,
        };
        if let Some(verb) = &block {
            if first == ")" {
                block = None;
            } else if verb == "module" && file.module.is_none() {
                file.module = Some(unquote(first));
            } else if verb == "require" {
                file.requires.push(require(first, tokens.get(1)));
            }
            continue;
        }
        if tokens.get(1) == Some(&"(") {
            block = Some(first.to_string());
            continue;
        }
        let value = tokens.get(1).map(|v| unquote(v));
        match first {
            "module" => file.module = value,
            "go" => file.go_version = value,
            "toolchain" => file.toolchain = value,
            "require" if tokens.len() > 1 => {
                file.requires.push(require(tokens[1], tokens.get(2)));
            }
            _ => {}
        }
    }
    file
}

/// Drops a `//` comment that is not inside a quoted string.
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev = '\0';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q && !(q == '"' && prev == '\\') => quote = None,
            Some(_) => {}
            None if c == '"' || c == '`' => quote = Some(c),
            None if c == '/' && prev == '/' => return &line[..i - 1],
            None => {}
        }
        prev = c;
    }
    line
}

fn unquote(token: &str) -> String {
    let inner = token
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .or_else(|| token.strip_prefix('`').and_then(|t| t.strip_suffix('`')));
    inner.unwrap_or(token).to_string()
}

/// The main package as `go build` takes it, or an error listing what was found.
pub fn find_main_package(root: &Path) -> Result<String, GoModError> {
    if is_main_package(root)? {
        return Ok(".".to_string());
    }
    let in_cmd = main_subfolders(&root.join("cmd"), "./cmd/")?;
    match in_cmd.len() {
        1 => Ok(in_cmd[0].clone()),
        0 => Err(GoModError::NoMainPackage {
            root: root.to_path_buf(),
            candidates: main_subfolders(root, "./")?,
        }),
        _ => Err(GoModError::SeveralMainPackages {
            root: root.to_path_buf(),
            candidates: in_cmd,
        }),
    }
}

/// Subfolders of `dir` (one level) that hold a main package, as `<prefix><name>`, sorted.
fn main_subfolders(dir: &Path, prefix: &str) -> Result<Vec<String>, GoModError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(GoModError::Read {
                path: dir.to_path_buf(),
                source,
            })
        }
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        // Go ignores these folders; `cmd` itself is searched separately.
        if name.starts_with(['.', '_']) || ["vendor", "testdata", "cmd"].contains(&name.as_str()) {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_dir()) && is_main_package(&entry.path())? {
            found.push(format!("{prefix}{name}"));
        }
    }
    found.sort();
    Ok(found)
}

/// Whether `dir` has a non-test `.go` file of `package main` that `go build` would compile
/// (files marked `//go:build ignore` do not count).
pub fn is_main_package(dir: &Path) -> Result<bool, GoModError> {
    let read_err = |source| GoModError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut names: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map_err(read_err)?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
        .filter(|(name, _)| {
            name.ends_with(".go") && !name.ends_with("_test.go") && !name.starts_with(['.', '_'])
        })
        .collect();
    names.sort();
    for (_, path) in names {
        let bytes = std::fs::read(&path).map_err(|source| GoModError::Read {
            path: path.clone(),
            source,
        })?;
        if let Some(package) = package_clause(&String::from_utf8_lossy(&bytes)) {
            if package == "main" {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

fn check_main(root: &Path, main: &str) -> Result<String, GoModError> {
    let bad = |problem: Msg| GoModError::BadMain {
        main: main.to_string(),
        problem,
    };
    let relative = main.trim().replace('\\', "/");
    let relative = relative.trim_start_matches("./").trim_end_matches('/');
    if Path::new(relative).is_absolute() || relative.split('/').any(|p| p == "..") {
        return Err(bad(msg!("gomod-main-outside")));
    }
    let dir = if relative.is_empty() || relative == "." {
        root.to_path_buf()
    } else {
        root.join(relative)
    };
    if !dir.is_dir() {
        return Err(bad(msg!("gomod-main-no-folder", dir = &dir)));
    }
    if !is_main_package(&dir)? {
        return Err(bad(msg!("gomod-main-not-main", dir = &dir)));
    }
    Ok(if relative.is_empty() || relative == "." {
        ".".to_string()
    } else {
        format!("./{relative}")
    })
}

/// The package name of a Go source file, or `None` when it has none or is excluded from every
/// build by a `//go:build ignore` style constraint.
fn package_clause(source: &str) -> Option<String> {
    let mut rest = source.strip_prefix('\u{feff}').unwrap_or(source);
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("//") {
            let (comment, next) = after.split_once('\n').unwrap_or((after, ""));
            let constraint = comment
                .strip_prefix("go:build")
                .or_else(|| comment.trim_start().strip_prefix("+build"));
            if constraint.is_some_and(ignores_always) {
                return None;
            }
            rest = next;
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map(|(_, next)| next)?;
        } else {
            break;
        }
    }
    let rest = rest.strip_prefix("package")?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let name: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// A build constraint that names `ignore` without negating it (`//go:build ignore`, the usual
/// mark of `go run`-only helper programs).
fn ignores_always(expr: &str) -> bool {
    let mut prev = ' ';
    let mut word = String::new();
    let mut negated = false;
    for c in expr.chars().chain([' ']) {
        if c.is_alphanumeric() || c == '_' || c == '.' {
            if word.is_empty() {
                negated = prev == '!';
            }
            word.push(c);
        } else {
            if word == "ignore" && !negated {
                return true;
            }
            word.clear();
        }
        if !c.is_whitespace() {
            prev = c;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        dir
    }

    const GO_MOD: &str = "module example.com/shop\n\ngo 1.22.3\n\ntoolchain go1.23.1\n";
    const MAIN: &str = "package main\n\nfunc main() {}\n";

    #[test]
    fn parses_module_go_and_toolchain() {
        let parsed = parse_go_mod(
            "// header comment\nmodule \"example.com/quoted\" // trailing\n\ngo 1.21\n\
             require (\n\tgithub.com/x/y v1.0.0 // indirect\n\tgo 9.9\n)\n\
             replace example.com/z => ../z\n",
        );
        let require = |path: &str, version: &str, line| Requirement {
            path: path.to_string(),
            version: version.to_string(),
            indirect: path == "github.com/x/y",
            line,
        };
        assert_eq!(
            parsed,
            GoModFile {
                module: Some("example.com/quoted".to_string()),
                go_version: Some("1.21".to_string()),
                toolchain: None,
                // `go 9.9` in a require block is a requirement of a module named `go`.
                requires: vec![
                    require("github.com/x/y", "v1.0.0", 6),
                    require("go", "9.9", 7)
                ],
            }
        );
        let parsed = parse_go_mod("module (\n  example.com/blocky\n)\n");
        assert_eq!(parsed.module.as_deref(), Some("example.com/blocky"));
    }

    #[test]
    fn requirements_are_read_from_lines_and_blocks_with_their_line_and_indirect_mark() {
        let go_mod = "module example.com/shop\n\
                      go 1.22\n\
                      require go.etcd.io/bbolt v1.3.10\n\
                      require (\n\
                      \t\"modernc.org/sqlite\" v1.29.0 // indirect\n\
                      \tgithub.com/a/b v0.1.0 // indirect; via c\n\
                      \tgithub.com/c/d v0.2.0 // not indirect\n\
                      \n\
                      \t// github.com/mattn/go-sqlite3 v1.14.22\n\
                      )\n\
                      exclude github.com/e/f v1.0.0\n\
                      replace github.com/g/h => github.com/g/h2 v1.0.0\n";
        let found: Vec<(String, String, bool, usize)> = requirements(go_mod)
            .into_iter()
            .map(|r| (r.path, r.version, r.indirect, r.line))
            .collect();
        let want = |p: &str, v: &str, i, l| (p.to_string(), v.to_string(), i, l);
        assert_eq!(
            found,
            vec![
                want("go.etcd.io/bbolt", "v1.3.10", false, 3),
                want("modernc.org/sqlite", "v1.29.0", true, 5),
                want("github.com/a/b", "v0.1.0", true, 6),
                want("github.com/c/d", "v0.2.0", false, 7),
            ]
        );
    }

    #[test]
    fn vendored_modules_are_the_hash_lines_of_modules_txt() {
        let modules_txt = "# github.com/mattn/go-sqlite3 v1.14.22\n\
                           ## explicit; go 1.19\n\
                           github.com/mattn/go-sqlite3\n\
                           # example.com/a v1.0.0 => ./a\n\
                           # example.com/b => ../b\n\
                           example.com/b\n";
        let found: Vec<(String, String, usize)> = vendored_modules(modules_txt)
            .into_iter()
            .map(|r| (r.path, r.version, r.line))
            .collect();
        let want = |p: &str, v: &str, l| (p.to_string(), v.to_string(), l);
        assert_eq!(
            found,
            vec![
                want("github.com/mattn/go-sqlite3", "v1.14.22", 1),
                want("example.com/a", "v1.0.0", 4),
                want("example.com/b", "", 5),
            ]
        );
    }

    #[test]
    fn a_main_package_at_the_root_is_dot() {
        let dir = project(&[
            ("go.mod", GO_MOD),
            ("go.sum", ""),
            ("main.go", "// Copyright\n/* block */\npackage main\n"),
            ("cmd/tool/main.go", MAIN),
        ]);
        let module = detect(dir.path()).unwrap();
        assert_eq!(
            module,
            GoModule {
                module: "example.com/shop".to_string(),
                go_version: Some("1.22.3".to_string()),
                toolchain: Some("go1.23.1".to_string()),
                main_package: ".".to_string(),
                has_go_sum: true,
                has_vendor: false,
            }
        );
    }

    #[test]
    fn the_only_cmd_folder_with_main_is_chosen() {
        let dir = project(&[
            ("go.mod", GO_MOD),
            ("lib.go", "package shop\n"),
            ("main_test.go", MAIN),
            ("gen.go", "//go:build ignore\n\npackage main\n"),
            ("cmd/server/main.go", MAIN),
            ("cmd/util/util.go", "package util\n"),
            ("vendor/modules.txt", ""),
        ]);
        let module = detect(dir.path()).unwrap();
        assert_eq!(module.main_package, "./cmd/server");
        assert!(module.has_vendor);
        assert!(!module.has_go_sum);
    }

    #[test]
    fn several_cmd_folders_are_listed_with_what_to_set() {
        let dir = project(&[
            ("go.mod", GO_MOD),
            ("cmd/worker/main.go", MAIN),
            ("cmd/api/main.go", MAIN),
        ]);
        let err = detect(dir.path()).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("./cmd/api, ./cmd/worker"), "{message}");
        assert!(
            message.contains("main = \"./cmd/api\" (or another) under [app] in ferry.toml"),
            "{message}"
        );
        // Setting it in ferry.toml settles it.
        let module = detect_with_main(dir.path(), Some("cmd/worker/")).unwrap();
        assert_eq!(module.main_package, "./cmd/worker");
    }

    #[test]
    fn no_main_package_suggests_folders_that_have_one() {
        let dir = project(&[
            ("go.mod", GO_MOD),
            ("lib.go", "package shop\n"),
            ("server/main.go", MAIN),
        ]);
        let message = detect(dir.path()).unwrap_err().to_string();
        assert!(message.contains("no `package main`"), "{message}");
        assert!(
            message.contains("Set main = \"./server\" under [app] in ferry.toml"),
            "{message}"
        );
        let dir = project(&[("go.mod", GO_MOD), ("lib.go", "package shop\n")]);
        let message = detect(dir.path()).unwrap_err().to_string();
        assert!(message.contains("main = \"./path/to/main\""), "{message}");
    }

    #[test]
    fn missing_go_mod_or_module_line_says_what_to_do() {
        let dir = project(&[("main.go", MAIN)]);
        let message = detect(dir.path()).unwrap_err().to_string();
        assert!(message.contains("go mod init"), "{message}");
        let dir = project(&[("go.mod", "go 1.22\n"), ("main.go", MAIN)]);
        let message = detect(dir.path()).unwrap_err().to_string();
        assert!(message.contains("has no `module` line"), "{message}");
    }

    #[test]
    fn a_configured_main_is_checked() {
        let dir = project(&[("go.mod", GO_MOD), ("cmd/api/main.go", MAIN)]);
        for (main, problem) in [
            ("./cmd/nope", "there is no folder"),
            (".", "has no `package main`"),
            ("../elsewhere", "inside the build context"),
        ] {
            let message = detect_with_main(dir.path(), Some(main))
                .unwrap_err()
                .to_string();
            assert!(message.contains(problem), "{main}: {message}");
        }
        assert_eq!(
            detect_with_main(dir.path(), Some(".\\cmd\\api"))
                .unwrap()
                .main_package,
            "./cmd/api"
        );
    }

    #[test]
    fn builder_image_is_major_minor() {
        assert_eq!(default_builder_image(Some("1.22.3")), "golang:1.22");
        assert_eq!(default_builder_image(Some("1.23")), "golang:1.23");
        assert_eq!(default_builder_image(Some("1.21rc1")), "golang:1.21");
        assert_eq!(default_builder_image(Some("go1.24.0")), "golang:1.24");
        assert_eq!(default_builder_image(Some("banana")), "golang:1.22");
        assert_eq!(default_builder_image(Some("1")), "golang:1.22");
        assert_eq!(default_builder_image(None), "golang:1.22");
    }

    #[test]
    fn package_clauses() {
        assert_eq!(package_clause("package main"), Some("main".to_string()));
        assert_eq!(
            package_clause("\u{feff}// +build ignore\n\npackage main\n"),
            None
        );
        assert_eq!(
            package_clause("//go:build !ignore && linux\npackage main\n"),
            Some("main".to_string())
        );
        assert_eq!(package_clause("packagemain"), None);
        assert_eq!(package_clause("/* unterminated"), None);
    }
}
