//! The base images of the build, checked before it starts: every `FROM` of the Dockerfile that
//! will be used (own or generated, `ARG`s resolved, `--platform` respected) is either in the
//! local engine for the right platform or there in its registry, asked quickly. Otherwise the
//! build would die in BuildKit with a DNS error or a timeout; in mainland China that is the
//! usual first deploy (Docker Hub, gcr.io and proxy.golang.org do not answer there).
//!
//! [`bases`] is the pure part (which images, for which platform); [`check`] asks the engine and
//! the registries, all images at once, each bounded by a short timeout.

use super::config_edit::{edit_config, set};
use super::dockerfile_parse::Dockerfile;
use super::finding::{AutoFix, Finding, FixAction, Severity};
use super::image_ref::{substitute, ImageRef};
use super::used_dockerfile::{self, line_text, replace_lines, Origin, Resolved, UsedDockerfile};
use crate::adapters::docker::Engine;
use crate::adapters::registry::probe::{self, platform_matches, Probe};
use crate::catalog::Msg;
use crate::formats::config::{Platform, Project};
use crate::msg;
use futures_util::future::join_all;
use std::collections::BTreeMap;
use std::time::Duration;

/// How long one registry (or the engine) gets to answer.
pub const TIMEOUT: Duration = Duration::from_secs(3);

/// Evidence of a finding made without the engine.
const NO_ENGINE: &str =
    "(the Docker engine did not answer: its local images and mirrors were not checked)";

/// Docker Hub, as image references name it.
const DOCKER_HUB: &str = "docker.io";

/// One image the build pulls: a `FROM` that is neither `scratch` nor an earlier stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseImage {
    /// With the build arguments filled in: `golang:1.22-alpine`.
    pub image: String,
    /// As the `FROM` line writes it: `golang:${GO_VERSION}-alpine`.
    pub written: String,
    /// The platform the stage is built for; `None` when the target is not known.
    pub platform: Option<String>,
    /// 1-based line of the `FROM`, and whether the instruction is that one line.
    pub line: usize,
    pub single_line: bool,
    /// `Dockerfile:1: FROM golang:1-alpine AS builder`.
    pub evidence: String,
}

/// What a `FROM` starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    Image(BaseImage),
    /// A build argument without a value here: not checked.
    Unresolved {
        written: String,
        evidence: String,
    },
}

/// The platforms BuildKit fills into `$BUILDPLATFORM` and `$TARGETPLATFORM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platforms {
    /// The engine's own (`linux/amd64` when it is not known).
    pub build: String,
    /// The server's; `None` when not known.
    pub target: Option<String>,
}

/// Every external base image of `df` (evidence names it `file`), in order, once per image and
/// platform. Global `ARG` defaults apply, overridden by `build_args` (`[app] build_args`).
pub fn bases(
    df: &Dockerfile,
    file: &str,
    build_args: &BTreeMap<String, String>,
    platforms: &Platforms,
) -> Vec<Base> {
    let mut values = df.global_arg_values(build_args);
    values.extend(automatic_args(platforms));
    let mut out: Vec<Base> = Vec::new();
    for stage in &df.stages {
        let evidence = stage.from.evidence(file);
        if df.stage_named(&stage.base, stage.index).is_some() {
            continue;
        }
        let Some(image) = substitute(&stage.base, &values) else {
            out.push(Base::Unresolved {
                written: stage.base.clone(),
                evidence,
            });
            continue;
        };
        if ImageRef::parse(&image).is_scratch() || df.stage_named(&image, stage.index).is_some() {
            continue;
        }
        let platform = match &stage.platform {
            Some(p) => substitute(p, &values).or_else(|| platforms.target.clone()),
            None => platforms.target.clone(),
        };
        let seen = out
            .iter()
            .any(|b| matches!(b, Base::Image(i) if i.image == image && i.platform == platform));
        if !seen {
            out.push(Base::Image(BaseImage {
                image,
                written: stage.base.clone(),
                platform,
                line: stage.from.line,
                single_line: stage.from.line == stage.from.end_line,
                evidence,
            }));
        }
    }
    out
}

/// BuildKit's platform arguments, usable in every `FROM`.
fn automatic_args(platforms: &Platforms) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |prefix: &str, platform: &str| {
        let mut parts = platform.split('/');
        out.push((format!("{prefix}PLATFORM"), platform.to_string()));
        out.push((
            format!("{prefix}OS"),
            parts.next().unwrap_or("").to_string(),
        ));
        out.push((
            format!("{prefix}ARCH"),
            parts.next().unwrap_or("").to_string(),
        ));
        if let Some(variant) = parts.next() {
            out.push((format!("{prefix}VARIANT"), variant.to_string()));
        }
    };
    add("BUILD", &platforms.build);
    if let Some(target) = &platforms.target {
        add("TARGET", target);
    }
    out
}

/// What the engine knows that decides where an image comes from.
#[derive(Debug, Clone, Default)]
pub(crate) struct EngineFacts {
    /// `linux/amd64`.
    pub platform: Option<String>,
    /// `registry-mirrors` (used for Docker Hub images only).
    pub mirrors: Vec<String>,
    /// Registries the engine speaks plain HTTP to (`insecure-registries`).
    pub insecure_hosts: Vec<String>,
    pub insecure_cidrs: Vec<String>,
    /// The proxy the engine pulls through, when it has one.
    pub proxy: Option<String>,
    /// Every local `repository:tag`.
    pub tags: Vec<String>,
}

impl EngineFacts {
    /// Asks the engine: its platform and where it pulls from.
    pub(crate) async fn read(engine: &Engine, timeout: Duration) -> EngineFacts {
        let platform = match tokio::time::timeout(timeout, engine.info()).await {
            Ok(Ok(info)) => Some(info.native_platform()),
            _ => None,
        };
        let pull = match tokio::time::timeout(timeout, engine.pull_config()).await {
            Ok(Ok(pull)) => pull,
            _ => {
                return EngineFacts {
                    platform,
                    ..EngineFacts::default()
                }
            }
        };
        EngineFacts {
            platform,
            mirrors: pull.mirrors,
            insecure_hosts: pull.insecure_hosts,
            insecure_cidrs: pull.insecure_cidrs,
            proxy: pull.proxy,
            tags: pull.tags,
        }
    }

    /// Whether the engine pulls from `host` over plain HTTP.
    fn is_insecure(&self, host: &str) -> bool {
        if self.insecure_hosts.iter().any(|h| h == host) {
            return true;
        }
        let ip = host
            .rsplit_once(':')
            .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
            .map_or(host, |(ip, _)| ip);
        let Ok(ip) = ip.parse::<std::net::Ipv4Addr>() else {
            return host.starts_with("localhost");
        };
        self.insecure_cidrs.iter().any(|cidr| in_cidr(ip, cidr)) || ip.is_loopback()
    }
}

fn in_cidr(ip: std::net::Ipv4Addr, cidr: &str) -> bool {
    let Some((net, bits)) = cidr.split_once('/') else {
        return false;
    };
    let (Ok(net), Ok(bits)) = (net.parse::<std::net::Ipv4Addr>(), bits.parse::<u32>()) else {
        return false;
    };
    let mask = if bits == 0 {
        0
    } else {
        u32::MAX.checked_shl(32 - bits.min(32)).unwrap_or(0)
    };
    u32::from(ip) & mask == u32::from(net) & mask
}

/// Where an image would come from, as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Local,
    Reachable,
    Missing,
    NeedsLogin,
    /// The registry has it, but not for the platform.
    NoPlatform {
        available: Vec<String>,
    },
    /// Only a local copy for another platform, and the registry does not answer.
    LocalOtherPlatform {
        local: String,
        detail: String,
    },
    Unreachable {
        detail: String,
        mirrors: Vec<String>,
    },
}

/// The base-image findings of the Dockerfile the build will use, for `target`. With no
/// `engine` (it does not answer) only the registries are asked.
pub async fn check(
    project: &Project,
    target: Platform,
    engine: Option<&Engine>,
    timeout: Duration,
) -> Vec<Finding> {
    let facts = match engine {
        Some(engine) => EngineFacts::read(engine, timeout).await,
        None => EngineFacts::default(),
    };
    check_with(project, target, engine, &facts, timeout).await
}

/// [`check`] with what the engine said already read.
pub(crate) async fn check_with(
    project: &Project,
    target: Platform,
    engine: Option<&Engine>,
    facts: &EngineFacts,
    timeout: Duration,
) -> Vec<Finding> {
    let owned = project.clone();
    let Ok(Resolved::Used(df)) =
        tokio::task::spawn_blocking(move || used_dockerfile::resolve(&owned)).await
    else {
        return Vec::new();
    };
    let platforms = Platforms {
        build: facts
            .platform
            .clone()
            .unwrap_or_else(|| Platform::Amd64.as_str().to_string()),
        target: target.arch().map(|_| target.as_str().to_string()),
    };
    let found = bases(
        &df.parsed,
        &df.name,
        &project.config.app.build_args,
        &platforms,
    );
    let judged = join_all(found.iter().map(|base| async {
        match base {
            Base::Image(image) => Some((image, judge(image, engine, facts, timeout).await)),
            Base::Unresolved { .. } => None,
        }
    }))
    .await;
    let mut findings = Vec::new();
    for (base, judged) in found.iter().zip(judged) {
        match (base, judged) {
            (Base::Unresolved { written, evidence }, _) => findings.push(
                Finding::info(
                    "images.base_unresolved",
                    msg!("images-base_unresolved", image = written),
                )
                .evidence(evidence.clone()),
            ),
            (_, Some((image, outcome))) => {
                if let Some(finding) =
                    finding(project, &df, image, &outcome, engine, facts, timeout).await
                {
                    findings.push(finding);
                }
            }
            _ => {}
        }
    }
    findings
}

/// Whether `base` is local for its platform, else what its registry (or the engine's mirrors)
/// says.
async fn judge(
    base: &BaseImage,
    engine: Option<&Engine>,
    facts: &EngineFacts,
    timeout: Duration,
) -> Outcome {
    let local = match engine {
        Some(engine) => match tokio::time::timeout(timeout, engine.image(&base.image)).await {
            Ok(Ok(Some(details))) => Some(local_platform(&details)),
            _ => None,
        },
        None => None,
    };
    let wanted = base.platform.as_deref();
    if let Some(local) = &local {
        if wanted.is_none_or(|w| platform_matches(local, w)) {
            return Outcome::Local;
        }
    }
    let outcome = reach(&base.image, wanted, facts, timeout).await;
    match (outcome, local) {
        (Outcome::Unreachable { detail, .. }, Some(local)) => {
            Outcome::LocalOtherPlatform { local, detail }
        }
        (outcome, _) => outcome,
    }
}

fn local_platform(details: &crate::adapters::docker::ImageDetails) -> String {
    match &details.variant {
        Some(v) => format!("{}/{}/{v}", details.os, details.architecture),
        None => format!("{}/{}", details.os, details.architecture),
    }
}

/// What the registry says of `image` for `wanted` (any platform when `None`): through the
/// engine's mirrors first for a Docker Hub image, as the engine pulls it.
async fn reach(
    image: &str,
    wanted: Option<&str>,
    facts: &EngineFacts,
    timeout: Duration,
) -> Outcome {
    let platform = wanted.unwrap_or("linux/amd64");
    let host = registry_of(image);
    let mirrors: Vec<String> = if host == DOCKER_HUB {
        facts.mirrors.clone()
    } else {
        Vec::new()
    };
    let direct = registry_probe(image, platform, facts, timeout);
    let via_mirrors = join_all(
        mirrors
            .iter()
            .map(|m| probe::manifest_via_mirror(image, m, platform, timeout)),
    );
    let (direct, via_mirrors) = futures_util::join!(direct, via_mirrors);
    if via_mirrors.iter().any(Probe::is_found) {
        return Outcome::Reachable;
    }
    match direct {
        Probe::Found => Outcome::Reachable,
        Probe::NoPlatform { .. } if wanted.is_none() => Outcome::Reachable,
        Probe::NoPlatform { available } => Outcome::NoPlatform { available },
        Probe::NotFound => Outcome::Missing,
        Probe::Unauthorized => Outcome::NeedsLogin,
        Probe::Unreachable { detail } => Outcome::Unreachable { detail, mirrors },
    }
}

/// The registry's answer for `image`, over plain HTTP when HTTPS fails and the engine would
/// speak HTTP to that registry (`insecure-registries`, loopback).
async fn registry_probe(
    image: &str,
    platform: &str,
    facts: &EngineFacts,
    timeout: Duration,
) -> Probe {
    match probe::manifest(image, platform, timeout).await {
        Probe::Unreachable { .. } if facts.is_insecure(&registry_of(image)) => {
            probe::manifest_insecure(image, platform, timeout).await
        }
        answer => answer,
    }
}

/// The registry an image reference names: `docker.io` for `golang:1.22`.
pub(crate) fn registry_of(image: &str) -> String {
    match image.parse::<oci_client::Reference>() {
        Ok(r) => r.registry().to_string(),
        Err(_) => DOCKER_HUB.to_string(),
    }
}

/// How a message names a registry: Docker Hub by that name.
fn registry_label(host: &str) -> String {
    if host == DOCKER_HUB {
        "Docker Hub (docker.io)".to_string()
    } else {
        host.to_string()
    }
}

#[allow(clippy::too_many_arguments)]
async fn finding(
    project: &Project,
    df: &UsedDockerfile,
    base: &BaseImage,
    outcome: &Outcome,
    engine: Option<&Engine>,
    facts: &EngineFacts,
    timeout: Duration,
) -> Option<Finding> {
    let image = base.image.as_str();
    let host = registry_of(image);
    let registry = registry_label(&host);
    let platform = base.platform.clone().unwrap_or_default();
    let change = change_msg(df, base);
    let finding = match outcome {
        Outcome::Local | Outcome::Reachable => return None,
        Outcome::NeedsLogin => {
            return Some(
                Finding::warning(
                    "images.base_needs_login",
                    msg!(
                        "images-base_needs_login",
                        image = image,
                        registry = &registry
                    ),
                )
                .evidence(base.evidence.clone())
                .fix(msg!("images-base_needs_login-fix", registry = &host)),
            )
        }
        Outcome::Missing => Finding::error(
            "images.base_missing",
            msg!("images-base_missing", image = image, registry = &registry),
        )
        .evidence(base.evidence.clone())
        .fix(msg!(
            "images-base_missing-fix",
            image = image,
            change = change
        )),
        Outcome::NoPlatform { available } => Finding::error(
            "images.base_wrong_platform",
            msg!(
                "images-base_wrong_platform",
                image = image,
                platform = &platform,
                available = available.join(", ")
            ),
        )
        .evidence(base.evidence.clone())
        .fix(msg!(
            "images-base_wrong_platform-fix",
            platform = &platform,
            change = change
        )),
        Outcome::LocalOtherPlatform { local, detail } => Finding::error(
            "images.base_wrong_platform",
            msg!(
                "images-base_wrong_platform-local",
                image = image,
                platform = &platform,
                local = local,
                registry = &registry,
                detail = detail
            ),
        )
        .evidence(base.evidence.clone())
        .fix(msg!(
            "images-base_wrong_platform-local-fix",
            image = image,
            platform = &platform
        )),
        Outcome::Unreachable { detail, mirrors } => {
            let mut evidence = base.evidence.clone();
            if !mirrors.is_empty() {
                evidence.push_str(&format!(
                    "\nDocker Engine registry-mirrors: {}",
                    mirrors.join(", ")
                ));
            }
            if let Some(proxy) = &facts.proxy {
                evidence.push_str(&format!("\nDocker Engine proxy: {proxy}"));
            }
            let fix = if host == DOCKER_HUB {
                let path = image
                    .parse::<oci_client::Reference>()
                    .map(|r| match r.tag() {
                        Some(tag) => format!("{}:{tag}", r.repository()),
                        None => r.repository().to_string(),
                    })
                    .unwrap_or_else(|_| image.to_string());
                msg!(
                    "images-base_unreachable-fix-hub",
                    image = image,
                    mirror_image = format!("<mirror>/{path}"),
                    change = change
                )
            } else {
                msg!(
                    "images-base_unreachable-fix-other",
                    image = image,
                    registry = &host,
                    change = change
                )
            };
            let message = if mirrors.is_empty() {
                msg!(
                    "images-base_unreachable",
                    image = image,
                    registry = &registry,
                    detail = detail
                )
            } else {
                msg!(
                    "images-base_unreachable-mirrors",
                    image = image,
                    registry = &registry,
                    detail = detail
                )
            };
            // Through a proxy the engine may reach what this check (without it) did not.
            let finding = if facts.proxy.is_some() {
                Finding::warning("images.base_unreachable", message)
            } else {
                Finding::error("images.base_unreachable", message)
            };
            finding.evidence(evidence).fix(fix)
        }
    };
    // Without the engine, its images and mirrors are unknown: the image may well be here.
    let finding = if engine.is_none() {
        let evidence = finding.evidence.clone().unwrap_or_default();
        Finding {
            severity: Severity::Info,
            ..finding.evidence(format!("{evidence}\n{NO_ENGINE}"))
        }
    } else {
        finding
    };
    let copy = copy_elsewhere(project, base, engine, facts, timeout).await;
    let auto = copy.and_then(|copy| auto_fix(project, df, base, &copy));
    Some(finding.with_auto_fix(auto))
}

/// What the user changes to use a copy of the image: the `[app]` key (generated Dockerfile)
/// or the `FROM` line.
fn change_msg(df: &UsedDockerfile, base: &BaseImage) -> Msg {
    let name = ImageRef::parse(&base.image);
    let short = format!("{}{}", name.name, tag_suffix(&name));
    match config_key(df, base) {
        Some(key) => msg!("images-change-config", key = key, name = short),
        None => msg!(
            "images-change-from",
            file = &df.name,
            line = base.line,
            name = short
        ),
    }
}

fn tag_suffix(image: &ImageRef) -> String {
    match (&image.tag, &image.digest) {
        (Some(tag), _) => format!(":{tag}"),
        (None, Some(digest)) => format!("@{digest}"),
        (None, None) => String::new(),
    }
}

/// `builder_image` / `runtime_image` when the generated Dockerfile's image is that setting.
fn config_key(df: &UsedDockerfile, base: &BaseImage) -> Option<&'static str> {
    let Origin::Generated { spec } = &df.origin else {
        return None;
    };
    if spec.builder_image == base.image {
        Some("builder_image")
    } else if spec.runtime_image == base.image {
        Some("runtime_image")
    } else {
        None
    }
}

/// A copy of `base` under another name that the build can use: a local image with the same
/// name and tag under another registry prefix (for the right platform), else one in the
/// project's own registry (`[registry] server`) that answers anonymously.
async fn copy_elsewhere(
    project: &Project,
    base: &BaseImage,
    engine: Option<&Engine>,
    facts: &EngineFacts,
    timeout: Duration,
) -> Option<String> {
    let wanted = ImageRef::parse(&base.image);
    if wanted.digest.is_some() {
        // A digest names exactly one image; a copy elsewhere keeps it, but a tag would not.
        return None;
    }
    let tag = wanted.tag.clone().unwrap_or_else(|| "latest".to_string());
    let same = |t: &String| {
        let other = ImageRef::parse(t);
        other.name == wanted.name
            && other.tag.as_deref().unwrap_or("latest") == tag
            && other.prefix != wanted.prefix
    };
    if let Some(engine) = engine {
        for candidate in facts.tags.iter().filter(|t| same(t)) {
            let Ok(Ok(Some(details))) =
                tokio::time::timeout(timeout, engine.image(candidate)).await
            else {
                continue;
            };
            let platform = local_platform(&details);
            if base
                .platform
                .as_deref()
                .is_none_or(|w| platform_matches(&platform, w))
            {
                return Some(candidate.clone());
            }
        }
    }
    let registry = project.config.registry.as_ref()?;
    let candidates = own_registry_candidates(&registry.server, &registry.repository, &base.image);
    let platform = base.platform.as_deref().unwrap_or("linux/amd64");
    let answers = join_all(
        candidates
            .iter()
            .map(|c| registry_probe(c, platform, facts, timeout)),
    )
    .await;
    candidates
        .into_iter()
        .zip(answers)
        .find(|(_, a)| a.is_found())
        .map(|(c, _)| c)
}

/// Where a copy of `image` would be in the registry `server` whose app repository is
/// `repository` (`team/app`): `server/team/golang:1.22`, `server/library/golang:1.22`,
/// `server/golang:1.22`.
pub(crate) fn own_registry_candidates(server: &str, repository: &str, image: &str) -> Vec<String> {
    let wanted = ImageRef::parse(image);
    if registry_of(image) == server {
        return Vec::new();
    }
    let name = format!("{}{}", wanted.name, tag_suffix(&wanted));
    let mut out = Vec::new();
    if let Some((namespace, _)) = repository.split_once('/') {
        out.push(format!("{server}/{namespace}/{name}"));
    }
    out.push(format!("{server}/library/{name}"));
    out.push(format!("{server}/{name}"));
    out.dedup();
    out
}

/// The fix that uses `copy` instead of `base`: the `FROM` line rewritten (the project's own
/// Dockerfile, when the line names the image literally), or `[app] builder_image` /
/// `runtime_image` set (the generated one).
fn auto_fix(
    project: &Project,
    df: &UsedDockerfile,
    base: &BaseImage,
    copy: &str,
) -> Option<AutoFix> {
    if let Some(key) = config_key(df, base) {
        let edit = edit_config(project, |doc| set(doc, "app", key, copy))?;
        return Some(AutoFix::new(
            msg!("images-autofix-config", key = key, image = copy),
            FixAction::EditFiles { files: vec![edit] },
        ));
    }
    let text = rewritten_from(df, base, copy)?;
    let edit = df.edit(text)?;
    Some(AutoFix::new(
        msg!(
            "images-autofix-from",
            file = &df.name,
            line = base.line,
            image = copy
        ),
        FixAction::EditFiles { files: vec![edit] },
    ))
}

/// The Dockerfile with `base`'s `FROM` line naming `copy`: only a one-line `FROM` that writes
/// the image literally, exactly once; everything else on the line stays.
fn rewritten_from(df: &UsedDockerfile, base: &BaseImage, copy: &str) -> Option<String> {
    if !base.single_line || base.written != base.image {
        return None;
    }
    let line = line_text(&df.text, base.line)?;
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.iter().filter(|w| **w == base.written).count() != 1 {
        return None;
    }
    let at = line
        .match_indices(&base.written)
        .find(|(at, _)| {
            let before = line[..*at].chars().next_back();
            let after = line[at + base.written.len()..].chars().next();
            before.is_none_or(char::is_whitespace) && after.is_none_or(char::is_whitespace)
        })?
        .0;
    let new_line = format!("{}{copy}{}", &line[..at], &line[at + base.written.len()..]);
    Some(replace_lines(&df.text, base.line, base.line, &[new_line]))
}

#[cfg(test)]
mod tests;
