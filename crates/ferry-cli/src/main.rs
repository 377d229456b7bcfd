//! `ferry`: the headless Ferry. Every command calls one ferry-core operation and renders its
//! events, as text for people or as JSON lines with `--json`.

mod plan_text;
mod render;

use anyhow::Result;
use clap::{Parser, Subcommand};
use ferry_core::adapters::secret::Secret;
use ferry_core::adapters::secrets::Keyring;
use ferry_core::catalog::{set_lang, Lang};
use ferry_core::events::Events;
use ferry_core::flows::connect::ConnectOptions;
use ferry_core::flows::ops;
use ferry_core::flows::run::run_operation;
use ferry_core::formats::config::{self, Project};
use ferry_core::msg;
use ferry_core::CancellationToken;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ferry",
    version,
    about = "Build a Go service into a container and run it on your server"
)]
struct Cli {
    /// Path to ferry.toml (default: ./ferry.toml or the nearest parent's).
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Print one JSON event per line instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// The language of Ferry's messages: en or zh (default: the OS locale, LC_ALL/LANG).
    #[arg(long, global = true, value_name = "LANG", value_parser = ["en", "zh"])]
    lang: Option<String>,
    /// Print every line of build and push output (on a terminal only the last few show).
    #[arg(long, global = true)]
    verbose: bool,
    /// Accept this first-seen SSH host key fingerprint (SHA256:...).
    #[arg(long, global = true, value_name = "FINGERPRINT")]
    trust_host_key: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the project, this machine and the server for known problems.
    Doctor {
        /// Apply the automatic fix of the finding with this id (e.g. dockerfile.copy_before_download).
        #[arg(long, value_name = "ID")]
        fix: Option<String>,
    },
    /// Build the image only: in the local Docker engine, or (builder = "go", or no engine) with
    /// the Go toolchain into an OCI archive.
    Build {
        /// linux/amd64 or linux/arm64 (default: ferry.toml's platform, else this machine's).
        #[arg(long)]
        platform: Option<String>,
        /// Write the image to this archive file (the Go builder always writes one: by default
        /// <app>-<version>-linux-<arch>.tar beside ferry.toml).
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// Build, ship and start a new release behind the health check.
    Deploy {
        /// Only print what the deploy would do (platform, Dockerfile, image route, container,
        /// health gate, URL); build nothing and change nothing on the server.
        #[arg(long)]
        plan: bool,
    },
    /// Show the app's container on the server.
    Status,
    /// Show the server: the host (memory, disks, load, Docker) and every container on it.
    Server,
    /// List the app's releases kept on the server.
    Releases,
    /// Show the app's log.
    Logs {
        /// How many of the last lines to show (default: 100, or every line with --since).
        #[arg(short = 'n', long)]
        lines: Option<usize>,
        /// Only lines since then: 15m, 1h, 1h30m, 2d, or a time (2026-12-02 09:30 in your
        /// time zone, or RFC 3339).
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// Show each line's time, in your time zone.
        #[arg(short, long)]
        timestamps: bool,
        /// Keep streaming new lines.
        #[arg(short, long)]
        follow: bool,
        /// Write the lines to this file (UTF-8) instead of the terminal.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Go back to the previous release, or to a kept one with --to.
    Rollback {
        /// Switch to exactly this kept release (see `ferry releases`); the one running now
        /// stays kept.
        #[arg(long, value_name = "VERSION")]
        to: Option<String>,
    },
    /// Save or remove a password in the OS keyring.
    Secret {
        #[command(subcommand)]
        action: SecretAction,
    },
}

#[derive(Subcommand)]
enum SecretAction {
    /// Save the value read from standard input under NAME (e.g. registry/HOST:PORT/USER).
    Set { name: String },
    /// Remove NAME from the keyring.
    Delete { name: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang.as_deref().and_then(Lang::from_tag);
    set_lang(lang.unwrap_or_else(Lang::detect));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            render::print_error(&e);
            let cancelled = e
                .downcast_ref::<ferry_core::Error>()
                .is_some_and(ferry_core::Error::is_cancelled);
            if cancelled {
                ExitCode::from(130)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Ctrl-C and SIGTERM. For an operation that can stop cleanly (`cancel`), the first one
/// cancels it: a release switch under way puts the previous release back before Ferry exits.
/// The second (or the first, for anything else) exits at once.
fn on_interrupt(cancel: Option<CancellationToken>) {
    tokio::spawn(async move {
        interrupted().await;
        let Some(cancel) = cancel else {
            eprintln!("\n{}", msg!("cli-interrupted"));
            std::process::exit(130);
        };
        cancel.cancel();
        eprintln!("\n{}", msg!("cli-stopping"));
        interrupted().await;
        eprintln!("{}", msg!("cli-interrupted-again"));
        std::process::exit(130);
    });
}

async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).expect("a SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn run(cli: Cli) -> Result<()> {
    let cancellable = matches!(
        cli.command,
        Command::Deploy { plan: false } | Command::Rollback { .. } | Command::Logs { .. }
    );
    let cancel = CancellationToken::new();
    on_interrupt(cancellable.then(|| cancel.clone()));
    let sink = render::sink(cli.json, cli.verbose);
    let sink = match &cli.command {
        Command::Logs {
            output: Some(path), ..
        } => render::log_file(path, sink)?,
        _ => sink,
    };
    let events = Events::new(sink);
    let keyring = Keyring::os();
    let connect = ConnectOptions {
        trust_host_key: cli.trust_host_key.clone(),
    };
    let config = cli.config.as_deref();
    let ev = &events;
    match cli.command {
        Command::Secret { action } => {
            let done = run_operation(ev, secret(action, &keyring), |(verb, name)| {
                msg!("cli-secret-done", verb = *verb, name = name)
            });
            let (_, name) = done.await?;
            if !cli.json {
                println!("{name}");
            }
            Ok(())
        }
        Command::Doctor { fix: None } => {
            let job = async {
                let project = load(config)?;
                ferry_core::doctor::run(&project, &connect, &keyring, ev).await
            };
            let report = run_operation(ev, job, |r| r.summary()).await?;
            if report.has_errors() {
                anyhow::bail!("{}", report.summary());
            }
            Ok(())
        }
        Command::Doctor { fix: Some(id) } => {
            let job = async {
                let project = load(config)?;
                ferry_core::doctor::fix_by_id(&project, &id, None, &connect, &keyring, ev).await
            };
            run_operation(ev, job, |label| {
                msg!("cli-fix-applied", label = label.clone())
            })
            .await?;
            Ok(())
        }
        Command::Build { platform, output } => {
            let job = async {
                let project = load(config)?;
                let platform = platform.as_deref().map(parse_platform).transpose()?;
                ferry_core::flows::deploy::build_only(&project, platform, output, ev).await
            };
            let image = run_operation(ev, job, |i| {
                msg!(
                    "cli-built",
                    tag = &i.tag,
                    platform = format!("{}/{}", i.os, i.architecture)
                )
            })
            .await?;
            if !cli.json {
                println!("{}", image.archive.as_deref().unwrap_or(&image.tag));
            }
            Ok(())
        }
        Command::Deploy { plan: true } => {
            let job = async {
                let project = load(config)?;
                ferry_core::flows::deploy::plan_only(&project, &connect, &keyring, ev).await
            };
            let plan = run_operation(ev, job, |p| {
                msg!("plan-ready", app = &p.app, version = &p.version)
            })
            .await?;
            if !cli.json {
                plan_text::print_plan(&plan);
            }
            Ok(())
        }
        Command::Deploy { plan: false } => {
            let job = async {
                let project = load(config)?;
                let opts = ferry_core::flows::deploy::DeployOptions { connect, cancel };
                ferry_core::flows::deploy::deploy(&project, &opts, &keyring, ev).await
            };
            let release = run_operation(ev, job, |r| r.summary()).await?;
            if !cli.json {
                if let Some(url) = release.url {
                    println!("{url}");
                }
            }
            Ok(())
        }
        Command::Status => {
            let job = async {
                let project = load(config)?;
                ops::status(&project, &connect, &keyring, ev).await
            };
            let status = run_operation(ev, job, |s| {
                msg!("step-status-done", app = &s.app, state = &s.state)
            })
            .await?;
            if !cli.json {
                render::print_status(&status);
            }
            Ok(())
        }
        Command::Server => {
            let job = async {
                let project = load(config)?;
                ferry_core::flows::overview::server_overview(&project, &connect, &keyring, ev).await
            };
            let overview = run_operation(ev, job, |o| o.summary()).await?;
            if !cli.json {
                render::print_overview(&overview);
            }
            Ok(())
        }
        Command::Releases => {
            let job = async {
                let project = load(config)?;
                ops::releases(&project, &connect, &keyring, ev).await
            };
            let releases = run_operation(ev, job, |r| r.summary()).await?;
            if !cli.json {
                render::print_releases(&releases);
            }
            Ok(())
        }
        Command::Logs {
            lines,
            since,
            timestamps,
            follow,
            output,
        } => {
            let query = ops::LogQuery {
                lines: lines.or(if since.is_some() { None } else { Some(100) }),
                since,
                follow,
                // A saved log keeps its times.
                timestamps: timestamps || output.is_some(),
            };
            let job = async {
                let project = load(config)?;
                ops::logs(&project, &connect, &keyring, &query, &cancel, ev).await
            };
            run_operation(ev, job, |_| msg!("cli-end-of-log")).await?;
            Ok(())
        }
        Command::Rollback { to } => {
            let job = async {
                let project = load(config)?;
                ops::rollback(&project, &connect, &keyring, to.as_deref(), &cancel, ev).await
            };
            run_operation(ev, job, |r| r.summary()).await?;
            Ok(())
        }
    }
}

/// Loads ferry.toml.
fn load(path: Option<&std::path::Path>) -> Result<Project, ferry_core::Error> {
    let path = match path {
        Some(p) => p.to_path_buf(),
        None => {
            let here = std::env::current_dir().map_err(|e| {
                ferry_core::Error::Said(msg!("cli-no-current-folder", detail = e.to_string()))
            })?;
            config::find(&here).unwrap_or_else(|| here.join(config::FILE_NAME))
        }
    };
    Ok(Project::load(&path)?)
}

fn parse_platform(s: &str) -> Result<config::Platform, ferry_core::Error> {
    match s {
        "linux/amd64" | "amd64" => Ok(config::Platform::Amd64),
        "linux/arm64" | "arm64" => Ok(config::Platform::Arm64),
        other => Err(ferry_core::Error::Said(msg!(
            "cli-bad-platform",
            platform = other
        ))),
    }
}

/// Saves or deletes a keyring entry; what was done, and to which name.
async fn secret(
    action: SecretAction,
    keyring: &Keyring,
) -> Result<(&'static str, String), ferry_core::Error> {
    match action {
        SecretAction::Set { name } => {
            let mut value = String::new();
            std::io::stdin().read_to_string(&mut value).map_err(|e| {
                ferry_core::Error::Said(msg!("cli-secret-stdin", detail = e.to_string()))
            })?;
            let value = Secret::new(value.trim_end_matches(['\r', '\n']));
            keyring.set(&name, &value)?;
            Ok(("saved", name))
        }
        SecretAction::Delete { name } => {
            if keyring.delete(&name)? {
                Ok(("deleted", name))
            } else {
                Ok(("not found", name))
            }
        }
    }
}
