//! Ferry's build context against the real docker CLI, on the real local engine: for each
//! `.dockerignore` of a table, over one tree of files, the files `docker build` sends (what a
//! classic build's `COPY . /ctx` on `FROM scratch` receives, read back with `docker create` and
//! `docker export`) must be the files [`super::pack`] puts in its tar.
//!
//! The docker CLI here is the current one (23.0 or newer), whose walk is moby's `TarWithOptions`:
//! patterns evaluated top-down with each directory's results handed to its children
//! (patternmatcher's `MatchesUsingParentResults`), an excluded directory skipped unless an
//! exception names something below it. Docker 20.10 decided differently (each pattern also
//! matched against one parent directory of the path, moby's old `Matches`); the second test
//! pins what that older CLI sends on top, where it is installed.
//!
//! Ferry builds with BuildKit and walks into an excluded directory the way BuildKit's sender
//! does: always when an exception has wildcards. The classic builder's walk skips it unless the
//! exception's text starts with the directory; `classic_walk_skips` lists what it misses.
//!
//! `Dockerfile` and `.dockerignore` are left out of the comparison: Ferry always sends them, and
//! the CLI sends them too but the classic builder drops them when `.dockerignore` names them.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::events::Events;
use crate::testing::{engine, skip};

/// The fixture tree (every file holds one line).
const TREE: &[&str] = &[
    "main.go",
    "README.md",
    "spaced name.txt",
    "docs/guide.md",
    "logs/top.log",
    "logs/keep/app.log",
    "logs/keep/notes.txt",
    "logs/old/x.log",
    "logs/old/deep/y.log",
    "node_modules/keep.txt",
    "node_modules/pkg/index.js",
    "build/out.bin",
    "build/keep/me.txt",
    "a/b/c/include.txt",
    "a/b/c/exclude.txt",
    "a/b/d.txt",
    "vendor/modules.txt",
    "vendor/x/y.go",
    "x/keep",
    "你好/世界.txt",
];

struct Case {
    dockerignore: &'static str,
    /// What Docker 20.10's CLI sends on top of what current Docker (and Ferry) send.
    docker_20_10_also: &'static [&'static str],
    /// What Ferry (and BuildKit) send from inside an excluded directory that the classic
    /// builder's walk does not look into.
    classic_walk_skips: &'static [&'static str],
}

const CASES: &[Case] = &[
    // Issue 9: a directory exception after a glob that matched files inside it. Current
    // Docker leaves logs/keep/app.log out (the exception is tried against the file's own path
    // only); Docker 20.10 matched `logs/keep` against the file's parent and sent it.
    Case {
        dockerignore: "logs/**/*.log\n!logs/keep\n",
        docker_20_10_also: &["logs/keep/app.log"],
        classic_walk_skips: &[],
    },
    // The same, where the exception names the directory the files are in.
    Case {
        dockerignore: "logs\n!logs/keep\n",
        docker_20_10_also: &[],
        classic_walk_skips: &[],
    },
    // `!` re-including a file inside an excluded directory.
    Case {
        dockerignore: "node_modules\n!node_modules/keep.txt\n",
        docker_20_10_also: &[],
        classic_walk_skips: &[],
    },
    // Nested negations.
    Case {
        dockerignore: "a\n!a/b\na/b/c\n!a/b/c/include.txt\n",
        docker_20_10_also: &[],
        classic_walk_skips: &[],
    },
    // A later exclusion wins over an earlier exception.
    Case {
        dockerignore: "logs\n!logs/keep\nlogs/keep/notes.txt\n",
        docker_20_10_also: &[],
        classic_walk_skips: &[],
    },
    // `**` alone, then exceptions.
    Case {
        dockerignore: "**\n!main.go\n!docs/**\n",
        docker_20_10_also: &[],
        classic_walk_skips: &[],
    },
    // `**/` anywhere, and a trailing `/**` exception.
    Case {
        dockerignore: "**/*.log\n**/c\n",
        docker_20_10_also: &[],
        classic_walk_skips: &[],
    },
    Case {
        dockerignore: "logs\n!logs/keep/**\n",
        docker_20_10_also: &[],
        classic_walk_skips: &[],
    },
    // moby#41433: Docker 20.10 counted the pattern's `/`s to pick the one parent it tried.
    Case {
        dockerignore: "**/c\n!a/b/c/include.txt\n",
        docker_20_10_also: &["a/b/c/exclude.txt"],
        classic_walk_skips: &[],
    },
    // An exception with wildcards, below an excluded directory: BuildKit looks inside.
    Case {
        dockerignore: "logs\n!**/notes.txt\n",
        docker_20_10_also: &[],
        classic_walk_skips: &["logs/keep/notes.txt"],
    },
    // Directory names.
    Case {
        dockerignore: "node_modules\nvendor\nbuild\n",
        docker_20_10_also: &[],
        classic_walk_skips: &[],
    },
    // A trailing slash, on a pattern and on an exception.
    Case {
        dockerignore: "build/\n!build/keep/\n",
        docker_20_10_also: &[],
        classic_walk_skips: &[],
    },
    // Comments (first column only) and blank lines.
    Case {
        dockerignore: "# main.go\n\n   \n#logs\nREADME.md\n  # not a comment\n",
        docker_20_10_also: &[],
        classic_walk_skips: &[],
    },
    // Leading `/` and `./`.
    Case {
        dockerignore: "/logs/keep\n./docs\n/vendor/x/\n",
        docker_20_10_also: &[],
        classic_walk_skips: &[],
    },
    // Anchored at the root, one level per `*`.
    Case {
        dockerignore: "*.md\n*/keep\nlogs/*/*.log\n",
        docker_20_10_also: &[],
        classic_walk_skips: &[],
    },
    Case {
        dockerignore: "**/*.md\n!README.md\n你好\nspaced*\n",
        docker_20_10_also: &[],
        classic_walk_skips: &[],
    },
];

const DOCKERFILE: &str = "FROM scratch\nCOPY . /ctx\n";

fn fixture(dockerignore: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for path in TREE {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x\n").unwrap();
    }
    std::fs::write(dir.path().join(".dockerignore"), dockerignore).unwrap();
    std::fs::write(dir.path().join("Dockerfile"), DOCKERFILE).unwrap();
    dir
}

fn compared(path: &str) -> bool {
    path != "Dockerfile" && path != ".dockerignore"
}

/// The files (not directories) in Ferry's context tar.
fn ferry_sends(root: &Path) -> BTreeSet<String> {
    let packed = super::pack(root, &["Dockerfile"], &[], &Events::discard()).unwrap();
    let mut archive = tar::Archive::new(packed.tar.as_slice());
    archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.header().entry_type() != tar::EntryType::Directory)
        .map(|e| e.path().unwrap().to_str().unwrap().to_string())
        .filter(|p| compared(p))
        .collect()
}

fn run(cli: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(cli)
        .args(args)
        .env("DOCKER_BUILDKIT", "0")
        .env("DOCKER_CLI_HINTS", "false")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cli}: {e}"));
    assert!(
        out.status.success(),
        "{cli} {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The files under /ctx after `COPY . /ctx` in a classic build of `root` by `cli`.
fn docker_sends(cli: &str, root: &Path) -> BTreeSet<String> {
    let root = root.to_str().unwrap();
    let id = String::from_utf8(run(cli, &["build", "-q", root])).unwrap();
    let id = id.trim();
    let container = String::from_utf8(run(cli, &["create", id, "/none"])).unwrap();
    let container = container.trim();
    let exported = run(cli, &["export", container]);
    run(cli, &["rm", container]);
    run(cli, &["rmi", id]);
    let mut archive = tar::Archive::new(exported.as_slice());
    archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.header().entry_type() != tar::EntryType::Directory)
        .filter_map(|e| {
            let path = e.path().unwrap().to_str().unwrap().to_string();
            path.strip_prefix("ctx/").map(str::to_string)
        })
        .filter(|p| compared(p))
        .collect()
}

/// The client version of a docker CLI (`28.2.2`, `20.10.24+dfsg1`) as (major, minor).
fn cli_version(cli: &str) -> Option<(u32, u32)> {
    let out = Command::new(cli)
        .args(["version", "--format", "{{.Client.Version}}"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.trim().split(['.', '+', '-']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// The first docker CLI that is `wanted`: the one on PATH, then the usual places.
fn find_cli(wanted: impl Fn((u32, u32)) -> bool) -> Option<(String, (u32, u32))> {
    ["docker", "/usr/local/bin/docker", "/usr/bin/docker"]
        .into_iter()
        .find_map(|cli| {
            let version = cli_version(cli)?;
            wanted(version).then(|| (cli.to_string(), version))
        })
}

fn list(files: &BTreeSet<String>) -> String {
    files.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// What the classic builder's walk sends for `case`, from what Ferry sends.
fn classic_from_ferry(case: &Case, ferry: &BTreeSet<String>) -> BTreeSet<String> {
    let mut expected = ferry.clone();
    for path in case.classic_walk_skips {
        assert!(expected.remove(*path), "Ferry does not send {path}");
    }
    expected
}

/// Builds every case with `cli`; one line per case where it does not send `expect(case, what
/// Ferry sends)`.
fn disagreements(
    cli: &str,
    expect: impl Fn(&Case, &BTreeSet<String>) -> BTreeSet<String>,
) -> Vec<String> {
    let mut lines = Vec::new();
    for case in CASES {
        let dir = fixture(case.dockerignore);
        let expected = expect(case, &ferry_sends(dir.path()));
        let docker = docker_sends(cli, dir.path());
        if expected != docker {
            lines.push(format!(
                "{:?}:\n  sent, not expected: {}\n  expected, not sent: {}",
                case.dockerignore,
                list(&docker.difference(&expected).cloned().collect()),
                list(&expected.difference(&docker).cloned().collect()),
            ));
        }
    }
    lines
}

#[tokio::test]
async fn docker_build_sends_the_files_ferry_packs() {
    let Some((_engine, _serial)) = engine().await else {
        return;
    };
    let Some((cli, (major, minor))) = find_cli(|(major, _)| major >= 23) else {
        return skip("no docker CLI of version 23.0 or newer is installed");
    };
    let differences = disagreements(&cli, classic_from_ferry);
    assert!(
        differences.is_empty(),
        "{cli} ({major}.{minor}) and Ferry disagree on {} of {} .dockerignore files:\n{}",
        differences.len(),
        CASES.len(),
        differences.join("\n")
    );
}

/// Docker 20.10 (Debian 12's `docker.io`, which the testbed installs) also matched each pattern
/// against a parent directory of the path: it sends what `docker_20_10_also` lists on top.
#[tokio::test]
async fn docker_20_10_also_sends_files_under_a_directory_exception() {
    let Some((_engine, _serial)) = engine().await else {
        return;
    };
    let Some((cli, _)) = find_cli(|version| version == (20, 10)) else {
        // scripts/setup installs it (docker.io) for the testbed's engine.
        return skip("no docker CLI 20.10 is installed (Debian 12's docker.io)");
    };
    let differences = disagreements(&cli, |case, ferry| {
        let mut expected = classic_from_ferry(case, ferry);
        for path in case.docker_20_10_also {
            assert!(expected.insert(path.to_string()), "Ferry sends {path}");
        }
        expected
    });
    assert!(
        differences.is_empty(),
        "{cli} (20.10) differs from this table on {} of {} .dockerignore files:\n{}",
        differences.len(),
        CASES.len(),
        differences.join("\n")
    );
}
