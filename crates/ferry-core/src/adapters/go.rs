//! The local Go toolchain: where it is, its version, and the settings of `go env` a build
//! inherits (module proxy, private modules). Ferry's Go builder runs it; the generated
//! Dockerfile gets its proxy settings as build args.

use crate::catalog::Msg;
use crate::msg;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a Go build did not give a binary.
#[derive(Debug, thiserror::Error)]
pub enum GoBuildError {
    /// `go` could not be started.
    #[error("{}", self.message())]
    Start { go: String, detail: String },
    #[error("{}", self.message())]
    Failed { package: String, output: String },
    /// The build needs cgo (a C compiler and the target's C libraries): the Go builder builds
    /// static binaries only.
    #[error("{}", self.message())]
    NeedsCgo { packages: Vec<String> },
}

impl GoBuildError {
    pub fn message(&self) -> Msg {
        match self {
            GoBuildError::Start { go, detail } => msg!("go-start", go = go, detail = detail),
            GoBuildError::Failed { package, output } => {
                msg!("go-build-failed", package = package, output = output)
            }
            GoBuildError::NeedsCgo { packages } => {
                msg!("go-needs-cgo", packages = packages.join(", "))
            }
        }
    }
}

/// A Go toolchain that answered `go env`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoToolchain {
    /// The `go` command.
    pub path: String,
    /// `go1.19.8`.
    pub version: String,
    pub env: GoEnv,
}

/// What `go env` says of modules: where they come from and which are private.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoEnv {
    #[serde(rename = "GOPROXY", default)]
    pub goproxy: String,
    #[serde(rename = "GOPRIVATE", default)]
    pub goprivate: String,
    #[serde(rename = "GONOSUMDB", default)]
    pub gonosumdb: String,
    #[serde(rename = "GOFLAGS", default)]
    pub goflags: String,
}

impl GoEnv {
    /// The settings a build elsewhere (the Docker build) should get, as build args: only those
    /// set, by their `go env` names.
    pub fn build_args(&self) -> Vec<(String, String)> {
        [
            ("GOPROXY", &self.goproxy),
            ("GOPRIVATE", &self.goprivate),
            ("GONOSUMDB", &self.gonosumdb),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.to_string(), v.trim().to_string()))
        .collect()
    }
}

/// The environment variable that names the `go` command to use (tests, unusual installs).
pub const ENV_GO: &str = "FERRY_GO";

/// The Go toolchain of this machine: `FERRY_GO`, else `go` on `PATH`, else where the
/// installers put it. `None` when there is none or it does not answer.
pub fn find() -> Option<GoToolchain> {
    candidates().into_iter().find_map(|path| ask(&path))
}

fn candidates() -> Vec<PathBuf> {
    if let Some(named) = std::env::var_os(ENV_GO).filter(|v| !v.is_empty()) {
        return vec![PathBuf::from(named)];
    }
    let mut out: Vec<PathBuf> = which::which("go").into_iter().collect();
    if cfg!(windows) {
        for var in ["ProgramFiles", "ProgramW6432"] {
            if let Some(dir) = std::env::var_os(var) {
                out.push(Path::new(&dir).join("Go").join("bin").join("go.exe"));
            }
        }
        out.push(PathBuf::from(r"C:\Go\bin\go.exe"));
    } else {
        out.push(PathBuf::from("/usr/local/go/bin/go"));
        out.push(PathBuf::from("/usr/lib/go/bin/go"));
    }
    if let Some(home) = dirs::home_dir() {
        out.push(home.join("go").join("bin").join(exe("go")));
        out.push(home.join("sdk").join("go").join("bin").join(exe("go")));
    }
    out.into_iter().filter(|p| p.is_file()).collect()
}

fn exe(name: &str) -> String {
    if cfg!(windows) {
        format!("{name}.exe")
    } else {
        name.to_string()
    }
}

#[derive(Deserialize)]
struct EnvJson {
    #[serde(rename = "GOVERSION", default)]
    version: String,
    #[serde(flatten)]
    env: GoEnv,
}

/// `go env -json` of the toolchain at `path`.
fn ask(path: &Path) -> Option<GoToolchain> {
    let out = Command::new(path)
        .args([
            "env",
            "-json",
            "GOVERSION",
            "GOPROXY",
            "GOPRIVATE",
            "GONOSUMDB",
            "GOFLAGS",
        ])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let parsed = parse_env(&out.stdout)?;
    Some(GoToolchain {
        path: path.to_string_lossy().into_owned(),
        version: parsed.0,
        env: parsed.1,
    })
}

/// Reads `go env -json`'s output: the version (required) and the module settings.
fn parse_env(json: &[u8]) -> Option<(String, GoEnv)> {
    let parsed: EnvJson = serde_json::from_slice(json).ok()?;
    let version = parsed.version.trim().to_string();
    version.starts_with("go").then_some((version, parsed.env))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_version_and_module_settings_of_go_env() {
        let json = br#"{
            "GOFLAGS": "-mod=mod",
            "GONOSUMDB": "",
            "GOPRIVATE": "git.corp.example/*",
            "GOPROXY": "https://goproxy.cn,direct",
            "GOVERSION": "go1.22.4"
        }"#;
        let (version, env) = parse_env(json).unwrap();
        assert_eq!(version, "go1.22.4");
        assert_eq!(env.goproxy, "https://goproxy.cn,direct");
        assert_eq!(env.goflags, "-mod=mod");
        assert_eq!(
            env.build_args(),
            vec![
                (
                    "GOPROXY".to_string(),
                    "https://goproxy.cn,direct".to_string()
                ),
                ("GOPRIVATE".to_string(), "git.corp.example/*".to_string()),
            ]
        );
    }

    #[test]
    fn a_development_build_or_garbage_is_no_toolchain() {
        assert!(parse_env(b"not json").is_none());
        assert!(parse_env(br#"{"GOVERSION": ""}"#).is_none());
        assert!(parse_env(br#"{"GOVERSION": "devel +abc"}"#).is_none());
    }

    #[test]
    fn this_machines_go_answers_when_there_is_one() {
        // The testbed machine has Debian's Go; elsewhere there may be none.
        if which::which("go").is_err() && std::env::var_os("FERRY_REQUIRE_TESTBED").is_none() {
            return;
        }
        let go = find().expect("go on PATH answers go env");
        assert!(go.version.starts_with("go1."), "{go:?}");
    }
}
