//! The files of the build context as the build would send them (`.dockerignore` applied, the
//! same way as [`crate::formats::context`] walks), and the Go sources among them.

use crate::formats::dockerignore::{DockerIgnore, MatchInfo};
use std::path::{Path, PathBuf};

/// Go files bigger than this are generated code or data, not where calls are made.
const GO_SOURCE_LIMIT: u64 = 2 << 20;

#[derive(Debug, Clone)]
pub struct ContextFile {
    /// Relative to the context, `/`-separated (unreadable name parts shown as U+FFFD).
    pub rel: String,
    pub path: PathBuf,
    pub size: u64,
    pub is_dir: bool,
    pub utf8_name: bool,
}

#[derive(Debug, Default)]
pub struct ContextScan {
    /// Files, symlinks, and directories whose name is not UTF-8 (not walked into).
    pub files: Vec<ContextFile>,
    pub has_dockerignore: bool,
}

pub fn scan(context: &Path) -> ContextScan {
    let has_dockerignore = context
        .join(crate::formats::dockerignore::FILE_NAME)
        .is_file();
    // A broken .dockerignore fails the build with its own message; here it excludes nothing.
    let ignore = DockerIgnore::load(context).unwrap_or_default();
    let mut files = Vec::new();
    walk(&ignore, context, "", &MatchInfo::default(), &mut files);
    ContextScan {
        files,
        has_dockerignore,
    }
}

fn walk(
    ignore: &DockerIgnore,
    dir: &Path,
    rel: &str,
    info: &MatchInfo,
    out: &mut Vec<ContextFile>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut children: Vec<_> = entries
        .flatten()
        .map(|e| (e.file_name(), e.path()))
        .collect();
    children.sort();
    for (name, path) in children {
        let utf8_name = name.to_str().is_some();
        let name = name.to_string_lossy();
        let child = if rel.is_empty() {
            name.to_string()
        } else {
            format!("{rel}/{name}")
        };
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let (excluded, child_info) = ignore.matches(&child, info);
        let is_dir = meta.is_dir();
        if is_dir && utf8_name && (!excluded || !ignore.can_skip_excluded_dir(&child)) {
            walk(ignore, &path, &child, &child_info, out);
        } else if !excluded && (!is_dir || !utf8_name) {
            out.push(ContextFile {
                rel: child,
                path,
                size: if is_dir { 0 } else { meta.len() },
                is_dir,
                utf8_name,
            });
        }
    }
}

impl ContextScan {
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    /// The Go sources the build compiles: `.go` files, not tests, not under `vendor/`.
    pub fn go_sources(&self) -> Vec<(String, String)> {
        self.files
            .iter()
            .filter(|f| {
                f.rel.ends_with(".go")
                    && !f.rel.ends_with("_test.go")
                    && !f.rel.split('/').any(|p| p == "vendor")
                    && f.size <= GO_SOURCE_LIMIT
            })
            .filter_map(|f| {
                let bytes = std::fs::read(&f.path).ok()?;
                Some((f.rel.clone(), String::from_utf8_lossy(&bytes).into_owned()))
            })
            .collect()
    }
}

/// The first code line (not a `//` comment) in `sources` that `hit` accepts:
/// `main.go:12: resp, err := http.Get(url)`.
pub fn first_line(sources: &[(String, String)], hit: impl Fn(&str) -> bool) -> Option<String> {
    sources.iter().find_map(|(rel, text)| {
        text.lines().enumerate().find_map(|(i, line)| {
            let code = line.trim();
            (!code.starts_with("//") && hit(code)).then(|| format!("{rel}:{}: {code}", i + 1))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn ignored_files_and_tests_and_vendor_are_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [
            (".dockerignore", "secret\nlogs/**\n!logs/keep.txt\n"),
            (
                "main.go",
                "package main\n// http.Get in a comment\nvar u = \"https://x\"\n",
            ),
            ("main_test.go", "package main\n"),
            ("vendor/x/x.go", "package x\n"),
            ("secret/key.go", "package key\n"),
            ("logs/a.txt", "a"),
            ("logs/keep.txt", "k"),
        ] {
            fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
            fs::write(root.join(path), text).unwrap();
        }
        let scan = scan(root);
        assert!(scan.has_dockerignore);
        let rels: Vec<&str> = scan.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                ".dockerignore",
                "logs/keep.txt",
                "main.go",
                "main_test.go",
                "vendor/x/x.go"
            ]
        );
        let sources = scan.go_sources();
        assert_eq!(sources.len(), 1);
        assert_eq!(
            first_line(&sources, |l| l.contains("http.Get")
                || l.contains("\"https://")),
            Some("main.go:3: var u = \"https://x\"".to_string())
        );
    }
}
