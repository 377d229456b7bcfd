//! The Go builder: what this machine builds with (the engine or the Go toolchain), and the
//! build without Docker: `go build` for the target platform, then the image assembled around
//! the binary (`formats::oci_image`), its layers kept in Ferry's layer store.

use crate::adapters::docker::Engine;
use crate::adapters::go::{self, GoBuildError};
use crate::catalog::human_bytes;
use crate::events::{Events, Step};
use crate::flows::connect::blocking;
use crate::formats::config::{Builder, Project};
use crate::formats::oci_image::{self, Assembled, Made};
use crate::msg;
use crate::plan::{GoBuild, PlanError, Tools};
use crate::Error;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// This machine's build tools, for `wanted`: the engine (connected) when Docker may build, the
/// Go toolchain when Go may. Fails when the builder asked for (or, for auto, either) is not
/// here, saying what to start or install.
pub async fn local_tools(wanted: Builder) -> Result<(Tools, Option<Engine>), Error> {
    // Asked whatever the builder: a Docker build of the generated Dockerfile gets `go env`'s
    // module proxy settings too.
    let go = blocking(go::find).await;
    if wanted == Builder::Go {
        return match go {
            Some(_) => Ok((Tools { engine: None, go }, None)),
            None => Err(PlanError::NoGo.into()),
        };
    }
    match Engine::connect().await {
        Ok(engine) => {
            let engine_info = Some(engine.info().await?);
            Ok((
                Tools {
                    engine: engine_info,
                    go,
                },
                Some(engine),
            ))
        }
        Err(e) if wanted == Builder::Docker => Err(e.into()),
        Err(_) if go.is_some() => Ok((Tools { engine: None, go }, None)),
        Err(e) => Err(PlanError::NoBuilder {
            engine: e.message().text(),
        }
        .into()),
    }
}

/// Where Ferry keeps what it assembled, by digest, between builds: `layers` (plain layer
/// tars, the bases of the next deploy's deltas) and `blobs` (gzip'd, as pushed or archived).
pub fn store(kind: &str) -> PathBuf {
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("ferry")
        .join(kind)
}

/// Builds `build` (the plan's Go build) of `project` into an image tagged `tag`.
pub async fn build(
    project: &Project,
    build: &GoBuild,
    tag: &str,
    events: &Events,
) -> Result<Assembled, Error> {
    let target = format!("{}/{}", build.goos, build.goarch);
    let timer = events.started(
        Step::Build,
        msg!(
            "step-build-go",
            tag = tag,
            platform = &target,
            package = &build.main_package,
            go = &build.go_version
        ),
    );
    if let Some(df) = &build.ignored_dockerfile {
        events.warn(Step::Build, msg!("go-ignores-dockerfile", path = df));
    }
    let dir = project.context_dir();
    let b = build.clone();
    let ev = events.clone();
    let assembled = blocking(move || -> Result<Assembled, Error> {
        let out = tempfile::Builder::new()
            .prefix("ferry-go.")
            .tempdir()
            .map_err(crate::formats::image_archive::ArchiveError::from)?;
        let binary = out.path().join("app");
        compile(&dir, &b, &binary, &ev)?;
        let made = format!("go build {} ({})", b.main_package, b.go_version);
        Ok(oci_image::assemble(
            &binary,
            &b.image,
            &b.goarch,
            Made { binary: &made },
            &store("layers"),
        )?)
    })
    .await?;
    let image = &assembled.archive;
    events.data(
        Step::Build,
        "image",
        &serde_json::json!({
            "tag": tag,
            "id": image.config_digest,
            "os": "linux",
            "architecture": assembled.architecture,
            "size": image.size(),
            "builder": "go",
        }),
    );
    events.finished_step(
        timer,
        msg!(
            "step-build-done",
            tag = tag,
            platform = &target,
            size = human_bytes(image.size())
        ),
    );
    Ok(assembled)
}

/// The `go build` command of `build`, writing the binary to `binary`.
pub fn command(dir: &Path, build: &GoBuild, binary: &Path) -> Command {
    let mut cmd = Command::new(&build.go);
    cmd.current_dir(dir)
        .args(&build.args)
        .arg("-o")
        .arg(binary)
        .arg(&build.main_package)
        .envs(&build.env);
    cmd
}

/// Runs `go build`, its output as build log lines. A failure that comes from a package needing
/// cgo says so.
fn compile(dir: &Path, build: &GoBuild, binary: &Path, events: &Events) -> Result<(), Error> {
    let mut child = command(dir, build, binary)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| GoBuildError::Start {
            go: build.go.clone(),
            detail: e.to_string(),
        })?;
    let mut output = Vec::new();
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            events.log(Step::Build, &line);
            output.push(line);
        }
    }
    let status = child.wait().map_err(|e| GoBuildError::Start {
        go: build.go.clone(),
        detail: e.to_string(),
    })?;
    if status.success() {
        return Ok(());
    }
    let cgo = cgo_packages(dir, build);
    if !cgo.is_empty() {
        return Err(GoBuildError::NeedsCgo { packages: cgo }.into());
    }
    let tail: Vec<String> = output.iter().rev().take(30).rev().cloned().collect();
    Err(GoBuildError::Failed {
        package: build.main_package.clone(),
        output: tail.join("\n"),
    }
    .into())
}

/// The packages outside the standard library that the build's package imports with C code
/// (`import "C"`): with `CGO_ENABLED=0` they do not build.
fn cgo_packages(dir: &Path, build: &GoBuild) -> Vec<String> {
    let mut cmd = Command::new(&build.go);
    cmd.current_dir(dir)
        .args([
            "list",
            "-deps",
            "-f",
            "{{if and .CgoFiles (not .Standard)}}{{.ImportPath}}{{end}}",
        ])
        .args(build.args.iter().filter(|a| *a == "-mod=vendor"))
        .arg(&build.main_package)
        .envs(&build.env)
        .env("CGO_ENABLED", "1");
    let Ok(out) = cmd.stderr(Stdio::null()).output() else {
        return Vec::new();
    };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}
