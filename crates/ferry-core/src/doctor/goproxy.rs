//! The Go module proxy the build downloads modules through, checked before the build: a
//! hard-coded `GOPROXY` that does not answer from here, or a download with no setting at all
//! while the default (proxy.golang.org, unreachable in mainland China) does not answer. The
//! build would otherwise stop at `go mod download` with `dial tcp: lookup proxy.golang.org`.
//!
//! The generated Dockerfile declares `ARG GOPROXY` (and GOPRIVATE, GONOSUMDB) and Ferry passes
//! the user's own `go env` values as build args, so there `go env -w GOPROXY=...` is the fix.

use super::dockerfile_parse::{
    arg_declarations, env_assignments, runs_go, shell_assignments, Dockerfile, Instruction,
};
use super::finding::Finding;
use super::used_dockerfile::{self, Resolved};
use crate::adapters::go::GoEnv;
use crate::formats::config::Project;
use crate::formats::gomod;
use crate::msg;
use futures_util::future::join_all;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Go's own default, inside every `golang` image.
pub const DEFAULT_GOPROXY: &str = "https://proxy.golang.org,direct";

/// How long a proxy gets to answer.
pub const TIMEOUT: Duration = Duration::from_secs(3);

/// Where the build's `GOPROXY` comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Written in the Dockerfile: `ENV`, an `ARG` default, `RUN GOPROXY=...`, `go env -w`.
    Written { evidence: String },
    /// `[app] build_args` in ferry.toml.
    BuildArg,
    /// The user's `go env GOPROXY`, which Ferry passes to the generated Dockerfile.
    GoEnv,
    /// Nothing: Go's default.
    Default,
}

/// A `RUN` that downloads modules, and the proxy setting it runs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// `Dockerfile:5: RUN go mod download`.
    pub evidence: String,
    pub line: usize,
    pub goproxy: String,
    pub source: Source,
}

/// The first module-downloading `RUN` of each stage (a later one finds the modules in the
/// cache), with its `GOPROXY`. `go_env` is what Ferry passes as the `GOPROXY` build arg (the
/// generated Dockerfile); `vendored` is a `vendor/` folder in the context (Go then builds from
/// it and downloads nothing).
pub fn downloads(
    df: &Dockerfile,
    file: &str,
    build_args: &BTreeMap<String, String>,
    go_env: Option<&str>,
    vendored: bool,
) -> Vec<Download> {
    let global_default = df
        .global_args
        .iter()
        .flat_map(|a| arg_declarations(&a.args))
        .filter(|(n, _)| n == "GOPROXY")
        .filter_map(|(_, v)| v)
        .next_back();
    let mut out = Vec::new();
    for stage in &df.stages {
        let mut setting: Option<(String, Source)> = None;
        let lineage = df.lineage(stage);
        let body = lineage.iter().flat_map(|s| s.body.iter());
        for ins in body {
            if let Some(found) = setting_of(ins, file, build_args, go_env, &global_default) {
                setting = Some(found);
            }
            if !ins.is("RUN") || !downloads_modules(&ins.args, vendored) {
                continue;
            }
            let inline = shell_assignments(&ins.args, "GOPROXY").into_iter().next();
            let (goproxy, source) = match (inline, &setting) {
                (Some(v), _) => (
                    v,
                    Source::Written {
                        evidence: ins.evidence(file),
                    },
                ),
                (None, Some((v, s))) => (v.clone(), s.clone()),
                (None, None) => (DEFAULT_GOPROXY.to_string(), Source::Default),
            };
            out.push(Download {
                evidence: ins.evidence(file),
                line: ins.line,
                goproxy,
                source,
            });
            break;
        }
    }
    // A stage built on another finds that one's download again.
    let mut seen = BTreeSet::new();
    out.retain(|d| seen.insert(d.line));
    out
}

/// The `GOPROXY` an instruction sets for the ones after it.
fn setting_of(
    ins: &Instruction,
    file: &str,
    build_args: &BTreeMap<String, String>,
    go_env: Option<&str>,
    global_default: &Option<String>,
) -> Option<(String, Source)> {
    let written = || Source::Written {
        evidence: ins.evidence(file),
    };
    if ins.is("ENV") {
        let value = env_assignments(&ins.args)
            .into_iter()
            .find(|(n, _)| n == "GOPROXY")?
            .1;
        return Some((value, written()));
    }
    if ins.is("ARG") {
        let (_, default) = arg_declarations(&ins.args)
            .into_iter()
            .find(|(n, _)| n == "GOPROXY")?;
        if let Some(value) = build_args.get("GOPROXY") {
            return Some((value.clone(), Source::BuildArg));
        }
        if let Some(value) = go_env.filter(|v| !v.trim().is_empty()) {
            return Some((value.trim().to_string(), Source::GoEnv));
        }
        return match default.or_else(|| global_default.clone()) {
            Some(value) => Some((value, written())),
            // Declared without a value: Go's default.
            None => Some((DEFAULT_GOPROXY.to_string(), Source::Default)),
        };
    }
    if ins.is("RUN") && runs_go(&ins.args, &["env", "-w"]) {
        let value = shell_assignments(&ins.args, "GOPROXY").into_iter().next()?;
        return Some((value, written()));
    }
    None
}

/// Whether shell text makes Go fetch modules: `go mod download`, or a build, install, get,
/// test or tidy that does not build from `vendor/`.
fn downloads_modules(run: &str, vendored: bool) -> bool {
    if runs_go(run, &["mod", "download"]) {
        return true;
    }
    let fetching = [
        &["build"][..],
        &["install"],
        &["get"],
        &["test"],
        &["mod", "tidy"],
    ]
    .iter()
    .any(|sub| runs_go(run, sub));
    fetching && !vendored && !run.contains("-mod=vendor")
}

/// One entry of a `GOPROXY` list and whether Go tries the next one after any error (`|`) or
/// only after "not found" (`,`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyEntry {
    pub entry: String,
    pub fallback_on_error: bool,
}

/// `https://a,direct` / `https://a|https://b` → its entries.
pub fn proxy_list(value: &str) -> Vec<ProxyEntry> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in value.chars() {
        if c == ',' || c == '|' {
            if !current.trim().is_empty() {
                out.push(ProxyEntry {
                    entry: current.trim().to_string(),
                    fallback_on_error: c == '|',
                });
            }
            current.clear();
        } else {
            current.push(c);
        }
    }
    if !current.trim().is_empty() {
        out.push(ProxyEntry {
            entry: current.trim().to_string(),
            fallback_on_error: false,
        });
    }
    out
}

/// The proxies of a list Go would need, in order, that are URLs (`direct` and `off` are not).
fn urls(value: &str) -> Vec<String> {
    proxy_list(value)
        .into_iter()
        .map(|e| e.entry)
        .filter(|e| e.contains("://"))
        .collect()
}

/// Which proxy of `value` stops the download, given which URLs answered: the first that does
/// not answer and is not followed by `|`. `None` when Go gets through (or reaches `direct` or
/// `off` first, which are not about this machine's network).
pub fn blocking_proxy(
    value: &str,
    answers: &BTreeMap<String, Result<(), String>>,
) -> Option<String> {
    let mut last_failed = None;
    for entry in proxy_list(value) {
        let e = entry.entry.as_str();
        if e == "direct" || e == "off" {
            return None;
        }
        match answers.get(e) {
            Some(Ok(())) | None => return None,
            Some(Err(_)) if entry.fallback_on_error => last_failed = Some(e.to_string()),
            Some(Err(_)) => return Some(e.to_string()),
        }
    }
    last_failed
}

/// Whether `url` answers HTTP at all (any status counts) within `timeout`; the error otherwise.
pub async fn answers(url: &str, timeout: Duration) -> Result<(), String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .connect_timeout(timeout)
        .timeout(timeout)
        .user_agent(concat!("ferry/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| e.to_string())?;
    let url = format!("{}/", url.trim_end_matches('/'));
    match tokio::time::timeout(timeout, client.get(&url).send()).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(crate::adapters::registry::probe::error_chain(&e)),
        Err(_) => Err(format!("no answer within {} s", timeout.as_secs_f32())),
    }
}

/// The `GOPROXY` findings of the Dockerfile the build will use. `go` is this machine's
/// `go env` (passed to the generated Dockerfile as build args).
pub async fn check(project: &Project, go: Option<&GoEnv>, timeout: Duration) -> Vec<Finding> {
    let owned = project.clone();
    let go_proxy = go.map(|g| g.goproxy.clone());
    let read = tokio::task::spawn_blocking(move || {
        let Resolved::Used(df) = used_dockerfile::resolve(&owned) else {
            return None;
        };
        let context = owned.context_dir();
        let go_mod = std::fs::read_to_string(context.join("go.mod")).ok()?;
        if gomod::requirements(&go_mod).is_empty() {
            // Nothing to download: no proxy is asked.
            return None;
        }
        let vendored = context.join("vendor").join("modules.txt").is_file();
        let passed = go_proxy.filter(|_| df.is_generated());
        let found = downloads(
            &df.parsed,
            &df.name,
            &owned.config.app.build_args,
            passed.as_deref(),
            vendored,
        );
        Some((df.is_generated(), found))
    });
    let Ok(Some((generated, found))) = read.await else {
        return Vec::new();
    };
    let wanted: BTreeSet<String> = found.iter().flat_map(|d| urls(&d.goproxy)).collect();
    let results = join_all(wanted.iter().map(|u| answers(u, timeout))).await;
    let answered: BTreeMap<String, Result<(), String>> = wanted.into_iter().zip(results).collect();
    found
        .iter()
        .filter_map(|d| {
            let proxy = blocking_proxy(&d.goproxy, &answered)?;
            let detail = answered.get(&proxy)?.clone().err()?;
            Some(finding(d, &proxy, &detail, generated))
        })
        .collect()
}

fn finding(d: &Download, proxy: &str, detail: &str, generated: bool) -> Finding {
    let evidence = match &d.source {
        Source::Written { evidence } if *evidence != d.evidence => {
            format!("{evidence}\n{}", d.evidence)
        }
        Source::BuildArg => format!(
            "ferry.toml [app] build_args GOPROXY = \"{}\"\n{}",
            d.goproxy, d.evidence
        ),
        Source::GoEnv => format!("go env GOPROXY: {}\n{}", d.goproxy, d.evidence),
        _ => d.evidence.clone(),
    };
    let (id, message, fix) = match &d.source {
        Source::Written { .. } | Source::BuildArg => (
            "goproxy.unreachable",
            msg!("images-goproxy_unreachable", proxy = proxy, detail = detail),
            msg!("images-goproxy_unreachable-fix", proxy = proxy),
        ),
        Source::GoEnv => (
            "goproxy.go_env_unreachable",
            msg!(
                "images-goproxy_go_env_unreachable",
                proxy = proxy,
                value = &d.goproxy,
                detail = detail
            ),
            msg!("images-goproxy-fix-go_env"),
        ),
        Source::Default => (
            "goproxy.default_unreachable",
            msg!(
                "images-goproxy_default_unreachable",
                proxy = proxy,
                detail = detail
            ),
            if generated {
                msg!("images-goproxy-fix-go_env")
            } else {
                msg!("images-goproxy_default_unreachable-fix", line = d.line)
            },
        ),
    };
    Finding::error(id, message).evidence(evidence).fix(fix)
}

#[cfg(test)]
mod tests;
