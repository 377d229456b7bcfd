//! The build context, packed in-process as a tar: honours `.dockerignore` (Docker's rules),
//! keeps UTF-8 path names and Unix modes, and normalises CRLF in shebang scripts.
//!
//! - [`pack`] walks `root`, skipping what `.dockerignore` excludes (see [`crate::formats::dockerignore`]),
//!   but always includes `.dockerignore` itself and the paths given in `always_include` (the
//!   Dockerfile). An excluded directory is left out unless something below it is included;
//!   then it is stored too (as BuildKit's sender does).
//! - Adds each `extra` (path in the tar, bytes) file, e.g. a generated Dockerfile, replacing a
//!   file of the same path.
//! - Entries are sorted by path (each directory before its contents); directories are entries;
//!   symlinks are stored as symlinks; modification times are kept; owner is 0:0.
//! - Paths are stored as UTF-8 with `/` separators (Chinese and spaces intact); Unix modes are
//!   kept on Unix; on Windows, directories get 0755, files 0644 and scripts with a shebang 0755.
//! - A text file starting with `#!` and containing CRLF gets LF endings in the tar; each such
//!   file is reported with `events.warn(Step::Build, ...)` naming it, and listed in the result.
//! - A name that is not valid UTF-8 is an error that names the file (unless it is excluded).

use crate::catalog::Msg;
use crate::events::{Events, Step};
use crate::formats::dockerignore::{self, DockerIgnore, DockerIgnoreError, MatchInfo};
use crate::msg;
use std::collections::BTreeSet;
use std::fs::Metadata;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("{}", self.message())]
    Root {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", self.message())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", self.message())]
    NonUtf8Name { path: String },
    #[error(transparent)]
    DockerIgnore(#[from] DockerIgnoreError),
    #[error("{}", self.message())]
    ExtraPath { path: String },
    #[error("{}", self.message())]
    Tar {
        path: String,
        source: std::io::Error,
    },
}

impl ContextError {
    /// What went wrong and what to do, from the catalog.
    pub fn message(&self) -> Msg {
        match self {
            ContextError::Root { path, source } => {
                msg!("context-root", path = path, detail = source.to_string())
            }
            ContextError::Read { path, source } => {
                msg!("context-read", path = path, detail = source.to_string())
            }
            ContextError::NonUtf8Name { path } => msg!("context-non-utf8", path = path),
            ContextError::DockerIgnore(e) => e.message(),
            ContextError::ExtraPath { path } => msg!("context-extra-path", path = path),
            ContextError::Tar { path, source } => {
                msg!("context-tar", path = path, detail = source.to_string())
            }
        }
    }
}

/// The packed context and what is in it.
#[derive(Debug, Clone)]
pub struct PackedContext {
    /// The tar, uncompressed.
    pub tar: Vec<u8>,
    /// Files and symlinks (not directories).
    pub files: usize,
    /// Bytes of file content (not counting tar headers).
    pub bytes: u64,
    /// Scripts sent with LF instead of CRLF line endings, by path in the tar.
    pub crlf_fixed: Vec<String>,
    /// The five biggest files, biggest first, for "what makes the context big" messages.
    pub largest: Vec<(String, u64)>,
}

/// Packs `root` as Docker would send it. `always_include` are paths relative to `root` (`/` or
/// `\` separated) kept even if `.dockerignore` excludes them; `extra` are files added to the
/// tar as given.
pub fn pack(
    root: &Path,
    always_include: &[&str],
    extra: &[(String, Vec<u8>)],
    events: &Events,
) -> Result<PackedContext, ContextError> {
    let meta = std::fs::metadata(root).map_err(|source| ContextError::Root {
        path: root.to_path_buf(),
        source,
    })?;
    if !meta.is_dir() {
        return Err(ContextError::Root {
            path: root.to_path_buf(),
            source: std::io::Error::other("it is not a folder"),
        });
    }
    let ignore = DockerIgnore::load(root)?;
    let mut always: BTreeSet<String> = always_include
        .iter()
        .map(|p| normalize(p))
        .filter(|p| !p.is_empty())
        .collect();
    always.insert(dockerignore::FILE_NAME.to_string());

    let walker = Walker {
        ignore: &ignore,
        always: &always,
    };
    let mut entries = Vec::new();
    walker.walk(root, "", &MatchInfo::default(), &mut entries)?;

    for (path, bytes) in extra {
        let tar_path = normalize(path);
        if tar_path.is_empty() || tar_path.split('/').any(|p| p == "..") {
            return Err(ContextError::ExtraPath { path: path.clone() });
        }
        entries.retain(|e| e.path != tar_path);
        for parent in ancestors(&tar_path) {
            if !entries.iter().any(|e| e.path == parent) {
                entries.push(Entry {
                    path: parent.to_string(),
                    mode: 0o755,
                    mtime: 0,
                    kind: Kind::Dir,
                });
            }
        }
        entries.push(Entry {
            path: tar_path,
            mode: 0o644,
            mtime: 0,
            kind: Kind::Bytes(bytes.clone()),
        });
    }
    entries.sort_by(|a, b| a.path.split('/').cmp(b.path.split('/')));

    write_tar(entries, events)
}

struct Entry {
    /// Relative, `/`-separated.
    path: String,
    mode: u32,
    mtime: u64,
    kind: Kind,
}

enum Kind {
    Dir,
    File(PathBuf),
    Symlink(String),
    Bytes(Vec<u8>),
}

struct Walker<'a> {
    ignore: &'a DockerIgnore,
    always: &'a BTreeSet<String>,
}

impl Walker<'_> {
    fn walk(
        &self,
        dir: &Path,
        rel: &str,
        info: &MatchInfo,
        out: &mut Vec<Entry>,
    ) -> Result<(), ContextError> {
        let read_err = |source| ContextError::Read {
            path: dir.to_path_buf(),
            source,
        };
        let mut children = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(read_err)? {
            let entry = entry.map_err(read_err)?;
            children.push((entry.file_name(), entry.path()));
        }
        children.sort();
        for (name, path) in children {
            let join = |name: &str| {
                if rel.is_empty() {
                    name.to_string()
                } else {
                    format!("{rel}/{name}")
                }
            };
            let Some(name) = name.to_str() else {
                let lossy = join(&name.to_string_lossy());
                if self.ignore.is_excluded(&lossy) {
                    continue;
                }
                return Err(ContextError::NonUtf8Name { path: lossy });
            };
            let child = join(name);
            let meta = std::fs::symlink_metadata(&path).map_err(|source| ContextError::Read {
                path: path.clone(),
                source,
            })?;
            let (excluded, child_info) = self.ignore.matches(&child, info);
            let excluded = excluded && !self.always.contains(&child);
            if meta.is_dir() {
                let keep_looking = !excluded
                    || !self.ignore.can_skip_excluded_dir(&child)
                    || self.always.iter().any(|a| is_below(a, &child));
                if !keep_looking {
                    continue;
                }
                let before = out.len();
                self.walk(&path, &child, &child_info, out)?;
                // An excluded directory is stored only to hold what was included below it.
                if !excluded || out.len() > before {
                    out.push(dir_entry(child, &meta));
                }
            } else if !excluded {
                if let Some(entry) = self.file_entry(child, &path, &meta)? {
                    out.push(entry);
                }
            }
        }
        Ok(())
    }

    fn file_entry(
        &self,
        rel: String,
        path: &Path,
        meta: &Metadata,
    ) -> Result<Option<Entry>, ContextError> {
        let kind = if meta.file_type().is_symlink() {
            let target = std::fs::read_link(path).map_err(|source| ContextError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            let Some(target) = target.to_str() else {
                return Err(ContextError::NonUtf8Name {
                    path: format!("{rel} -> {}", target.to_string_lossy()),
                });
            };
            let target = if cfg!(windows) {
                target.replace('\\', "/")
            } else {
                target.to_string()
            };
            Kind::Symlink(target)
        } else if meta.is_file() {
            Kind::File(path.to_path_buf())
        } else {
            // Sockets, pipes and devices have no place in an image build.
            return Ok(None);
        };
        Ok(Some(Entry {
            path: rel,
            mode: unix_mode(meta).unwrap_or(if meta.file_type().is_symlink() {
                0o777
            } else {
                0o644
            }),
            mtime: mtime(meta),
            kind,
        }))
    }
}

fn dir_entry(path: String, meta: &Metadata) -> Entry {
    Entry {
        path,
        mode: unix_mode(meta).unwrap_or(0o755),
        mtime: mtime(meta),
        kind: Kind::Dir,
    }
}

#[cfg(unix)]
fn unix_mode(meta: &Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    Some(meta.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn unix_mode(_meta: &Metadata) -> Option<u32> {
    None
}

fn mtime(meta: &Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs())
}

/// `./a\b/` → `a/b`.
fn normalize(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut path = path.as_str();
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    path.trim_matches('/').to_string()
}

/// `a/b/c` → `a`, `a/b`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(end, _)| &path[..end])
}

fn is_below(path: &str, dir: &str) -> bool {
    path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/'
}

fn write_tar(entries: Vec<Entry>, events: &Events) -> Result<PackedContext, ContextError> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut files = 0;
    let mut bytes = 0u64;
    let mut crlf_fixed = Vec::new();
    let mut sizes: Vec<(String, u64)> = Vec::new();
    for entry in entries {
        let tar_err = |source| ContextError::Tar {
            path: entry.path.clone(),
            source,
        };
        let mut header = tar::Header::new_gnu();
        header.set_mtime(entry.mtime);
        header.set_uid(0);
        header.set_gid(0);
        match &entry.kind {
            Kind::Dir => {
                header.set_entry_type(tar::EntryType::Directory);
                header.set_mode(entry.mode);
                header.set_size(0);
                builder
                    .append_data(&mut header, format!("{}/", entry.path), std::io::empty())
                    .map_err(tar_err)?;
            }
            Kind::Symlink(target) => {
                files += 1;
                header.set_entry_type(tar::EntryType::Symlink);
                header.set_mode(entry.mode);
                header.set_size(0);
                builder
                    .append_link(&mut header, &entry.path, target)
                    .map_err(tar_err)?;
            }
            Kind::File(_) | Kind::Bytes(_) => {
                let mut data = match &entry.kind {
                    Kind::File(path) => {
                        std::fs::read(path).map_err(|source| ContextError::Read {
                            path: path.clone(),
                            source,
                        })?
                    }
                    Kind::Bytes(data) => data.clone(),
                    _ => unreachable!(),
                };
                let script = data.starts_with(b"#!");
                if script && !data.contains(&0) && data.windows(2).any(|w| w == b"\r\n") {
                    data = crlf_to_lf(&data);
                    events.warn(Step::Build, msg!("build-crlf-script", path = &entry.path));
                    crlf_fixed.push(entry.path.clone());
                }
                let mode = if cfg!(unix) || !script {
                    entry.mode
                } else {
                    0o755
                };
                files += 1;
                bytes += data.len() as u64;
                sizes.push((entry.path.clone(), data.len() as u64));
                header.set_entry_type(tar::EntryType::Regular);
                header.set_mode(mode);
                header.set_size(data.len() as u64);
                builder
                    .append_data(&mut header, &entry.path, data.as_slice())
                    .map_err(tar_err)?;
            }
        }
    }
    let tar = builder.into_inner().map_err(|source| ContextError::Tar {
        path: "the end of the archive".to_string(),
        source,
    })?;
    sizes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sizes.truncate(5);
    Ok(PackedContext {
        tar,
        files,
        bytes,
        crlf_fixed,
        largest: sizes,
    })
}

fn crlf_to_lf(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut iter = data.iter().peekable();
    while let Some(&b) = iter.next() {
        if b == b'\r' && iter.peek() == Some(&&b'\n') {
            continue;
        }
        out.push(b);
    }
    out
}

#[cfg(test)]
mod docker_cli_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Collector, Event, Level};
    use std::collections::BTreeMap;
    use std::fs;
    use std::io::Read;
    use std::sync::Arc;

    #[derive(Debug, PartialEq)]
    struct TarEntry {
        kind: tar::EntryType,
        mode: u32,
        mtime: u64,
        data: Vec<u8>,
        link: Option<String>,
    }

    fn entries(tar: &[u8]) -> Vec<(String, TarEntry)> {
        let mut archive = tar::Archive::new(tar);
        archive
            .entries()
            .unwrap()
            .map(|e| {
                let mut e = e.unwrap();
                let path = e.path().unwrap().to_str().unwrap().to_string();
                let mut data = Vec::new();
                e.read_to_end(&mut data).unwrap();
                let header = e.header();
                let entry = TarEntry {
                    kind: header.entry_type(),
                    mode: header.mode().unwrap(),
                    mtime: header.mtime().unwrap(),
                    data,
                    link: e
                        .link_name()
                        .unwrap()
                        .map(|l| l.to_str().unwrap().to_string()),
                };
                (path, entry)
            })
            .collect()
    }

    fn paths(tar: &[u8]) -> Vec<String> {
        entries(tar).into_iter().map(|(p, _)| p).collect()
    }

    fn write(root: &Path, path: &str, data: &[u8]) {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, data).unwrap();
    }

    fn pack_quietly(root: &Path, always: &[&str]) -> PackedContext {
        pack(root, always, &[], &Events::discard()).unwrap()
    }

    #[test]
    fn chinese_and_spaces_survive_in_sorted_order_with_directories() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "你好 world.txt", b"hi");
        write(dir.path(), "b/z.go", b"package b");
        write(dir.path(), "b/a b/c.txt", b"c");
        write(dir.path(), "a-c.txt", b"x");
        let packed = pack_quietly(dir.path(), &[]);
        assert_eq!(
            paths(&packed.tar),
            [
                "a-c.txt",
                "b/",
                "b/a b/",
                "b/a b/c.txt",
                "b/z.go",
                "你好 world.txt"
            ]
        );
        let all: BTreeMap<_, _> = entries(&packed.tar).into_iter().collect();
        assert_eq!(all["你好 world.txt"].data, b"hi");
        assert_eq!(all["b/"].kind, tar::EntryType::Directory);
        assert_eq!(packed.files, 4);
        assert_eq!(packed.bytes, 2 + 9 + 1 + 1);
        // The same tree packs to the same bytes.
        assert_eq!(pack_quietly(dir.path(), &[]).tar, packed.tar);
    }

    #[test]
    fn modification_times_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "old.txt", b"x");
        let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
        fs::File::options()
            .write(true)
            .open(dir.path().join("old.txt"))
            .unwrap()
            .set_modified(when)
            .unwrap();
        let all: BTreeMap<_, _> = entries(&pack_quietly(dir.path(), &[]).tar)
            .into_iter()
            .collect();
        assert_eq!(all["old.txt"].mtime, 1_600_000_000);
    }

    #[cfg(unix)]
    #[test]
    fn unix_modes_and_symlinks_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "scripts/start.sh", b"#!/bin/sh\necho hi\n");
        write(dir.path(), "data.txt", b"x");
        let set = |p: &str, mode| {
            fs::set_permissions(dir.path().join(p), fs::Permissions::from_mode(mode)).unwrap()
        };
        set("scripts/start.sh", 0o755);
        set("data.txt", 0o640);
        std::os::unix::fs::symlink("scripts/start.sh", dir.path().join("run")).unwrap();
        let all: BTreeMap<_, _> = entries(&pack_quietly(dir.path(), &[]).tar)
            .into_iter()
            .collect();
        assert_eq!(all["scripts/start.sh"].mode, 0o755);
        assert_eq!(all["data.txt"].mode, 0o640);
        assert_eq!(all["run"].kind, tar::EntryType::Symlink);
        assert_eq!(all["run"].link.as_deref(), Some("scripts/start.sh"));
    }

    #[test]
    fn dockerignore_exclusions_and_exceptions() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            ".dockerignore",
            b"# build output\nbin\n*.log\nnode_modules\n!node_modules/keep.txt\nDockerfile\n",
        );
        write(dir.path(), "main.go", b"package main");
        write(dir.path(), "bin/app.exe", b"MZ");
        write(dir.path(), "debug.log", b"x");
        write(dir.path(), "logs/app.log", b"kept: *.log is only the root");
        write(dir.path(), "node_modules/keep.txt", b"k");
        write(dir.path(), "node_modules/x/index.js", b"x");
        write(dir.path(), "Dockerfile", b"FROM scratch\n");
        let packed = pack_quietly(dir.path(), &["Dockerfile"]);
        assert_eq!(
            paths(&packed.tar),
            [
                ".dockerignore",
                "Dockerfile",
                "logs/",
                "logs/app.log",
                "main.go",
                "node_modules/",
                "node_modules/keep.txt"
            ]
        );
        // Without asking for it, the Dockerfile stays out as .dockerignore says.
        assert!(!paths(&pack_quietly(dir.path(), &[]).tar).contains(&"Dockerfile".to_string()));
    }

    #[test]
    fn a_directory_exception_keeps_its_other_files_but_not_the_logs_a_glob_excluded() {
        // Issue 9, as Docker 23.0 and newer send it (see docker_cli_tests).
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".dockerignore", b"logs/**/*.log\n!logs/keep\n");
        write(dir.path(), "logs/keep/app.log", b"x");
        write(dir.path(), "logs/keep/notes.txt", b"x");
        write(dir.path(), "logs/old/x.log", b"x");
        assert_eq!(
            paths(&pack_quietly(dir.path(), &[]).tar),
            [
                ".dockerignore",
                "logs/",
                "logs/keep/",
                "logs/keep/notes.txt",
                "logs/old/"
            ]
        );
    }

    #[test]
    fn a_dockerfile_in_an_excluded_folder_is_still_sent() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".dockerignore", b"deploy\n.dockerignore\n");
        write(dir.path(), "deploy/Dockerfile", b"FROM scratch\n");
        write(dir.path(), "deploy/secret.env", b"X=1");
        let packed = pack_quietly(dir.path(), &[".\\deploy\\Dockerfile"]);
        assert_eq!(
            paths(&packed.tar),
            [".dockerignore", "deploy/", "deploy/Dockerfile"]
        );
    }

    #[test]
    fn crlf_scripts_are_fixed_and_reported_but_text_files_are_not() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "scripts/start.sh", b"#!/bin/sh\r\necho hi\r\n");
        write(dir.path(), "notes.txt", b"line one\r\nline two\r\n");
        let collector = Arc::new(Collector::default());
        let events = Events::new(collector.clone());
        let packed = pack(dir.path(), &[], &[], &events).unwrap();
        let all: BTreeMap<_, _> = entries(&packed.tar).into_iter().collect();
        assert_eq!(all["scripts/start.sh"].data, b"#!/bin/sh\necho hi\n");
        assert_eq!(all["notes.txt"].data, b"line one\r\nline two\r\n");
        assert_eq!(packed.crlf_fixed, ["scripts/start.sh"]);
        let warnings: Vec<String> = collector
            .events()
            .into_iter()
            .filter_map(|e| match e {
                Event::Notice {
                    step: Step::Build,
                    level: Level::Warning,
                    message,
                    ..
                } => Some(message),
                _ => None,
            })
            .collect();
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].starts_with("scripts/start.sh had Windows (CRLF) line endings"),
            "{warnings:?}"
        );
        #[cfg(windows)]
        assert_eq!(all["scripts/start.sh"].mode, 0o755);
    }

    #[test]
    fn extra_files_are_added_and_replace_existing_ones() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "main.go", b"package main");
        write(dir.path(), "Dockerfile", b"old");
        let extra = vec![
            ("Dockerfile".to_string(), b"FROM scratch\n".to_vec()),
            (
                ".ferry/Dockerfile".to_string(),
                b"# Generated by Ferry\n".to_vec(),
            ),
        ];
        let packed = pack(dir.path(), &[], &extra, &Events::discard()).unwrap();
        let all = entries(&packed.tar);
        let names: Vec<&str> = all.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [".ferry/", ".ferry/Dockerfile", "Dockerfile", "main.go"]
        );
        assert_eq!(all[2].1.data, b"FROM scratch\n");
        assert_eq!(all[1].1.mode, 0o644);
        let bad = vec![("../escape".to_string(), Vec::new())];
        assert!(matches!(
            pack(dir.path(), &[], &bad, &Events::discard()),
            Err(ContextError::ExtraPath { .. })
        ));
    }

    #[test]
    fn largest_files_are_listed_biggest_first() {
        let dir = tempfile::tempdir().unwrap();
        for (i, size) in [10usize, 3000, 20, 500, 7, 1000, 1].iter().enumerate() {
            write(dir.path(), &format!("f{i}"), &vec![b'x'; *size]);
        }
        let packed = pack_quietly(dir.path(), &[]);
        assert_eq!(
            packed.largest,
            [
                ("f1".to_string(), 3000),
                ("f5".to_string(), 1000),
                ("f3".to_string(), 500),
                ("f2".to_string(), 20),
                ("f0".to_string(), 10)
            ]
        );
    }

    #[test]
    fn long_paths_fit() {
        let dir = tempfile::tempdir().unwrap();
        let long = format!("{}/{}.txt", "目录".repeat(20), "长".repeat(40));
        write(dir.path(), &long, b"x");
        let packed = pack_quietly(dir.path(), &[]);
        assert!(paths(&packed.tar).contains(&long));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_name_that_is_not_utf8_is_an_error_naming_it() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "sub/ok.txt", b"x");
        fs::write(
            dir.path()
                .join("sub")
                .join(OsStr::from_bytes(b"bad\xff.txt")),
            b"x",
        )
        .unwrap();
        let err = pack(dir.path(), &[], &[], &Events::discard()).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("\"sub/bad\u{fffd}.txt\""), "{message}");
        assert!(message.contains("Rename it"), "{message}");
        // Excluded, it does no harm.
        write(dir.path(), ".dockerignore", b"sub/bad*\n");
        assert!(pack(dir.path(), &[], &[], &Events::discard()).is_ok());
    }

    #[test]
    fn crlf_conversion_only_touches_pairs() {
        assert_eq!(crlf_to_lf(b"a\r\nb\rc\n\r\n"), b"a\nb\rc\n\n");
    }
}
