//! The local Docker engine through bollard: connect, build (BuildKit), tag, push, export.
//!
//! Everything here talks to the engine on the user's machine (`DOCKER_HOST`, the current
//! `docker context`, or the platform's default socket / named pipe). Nothing here pulls: base
//! images must already be in the local store.

mod buildkit;
mod context_upload;
mod login;
mod push;
pub use push::PushSummary;
#[cfg(test)]
mod tests;

use crate::catalog::Msg;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use bollard::errors::Error as BollardError;
use bollard::models::BuildInfoAux;
use bollard::query_parameters::{
    BuildImageOptionsBuilder, BuilderVersion, ListImagesOptionsBuilder, TagImageOptionsBuilder,
};
use bollard::Docker;
use bytes::Bytes;
use futures_util::{Stream, StreamExt, TryStreamExt};

use crate::adapters::secret::Secret;
use crate::events::{Events, Step};
use crate::msg;

use buildkit::{ClassicProgress, VertexTracker};

/// What went wrong with the local engine or a registry, in words a user can act on.
fn push_failed_message(server: &str, detail: &str) -> Msg {
    let lower = detail.to_lowercase();
    let broken = [
        "eof",
        "connection reset",
        "broken pipe",
        "timeout",
        "i/o timeout",
    ]
    .iter()
    .any(|w| lower.contains(w));
    if broken {
        msg!("docker-push-broken", server = server, detail = detail)
    } else {
        msg!("docker-push-failed", server = server, detail = detail)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DockerError {
    #[error("{}", self.message())]
    Unreachable {
        address: String,
        #[source]
        source: BollardError,
    },

    #[error("{}", self.message())]
    PermissionDenied {
        address: String,
        #[source]
        source: BollardError,
    },

    #[error("{}", self.message())]
    InvalidPlatform(String),

    #[error("{}", self.message())]
    BuildKitRequired { platform: String, native: String },

    #[error("{}", self.message())]
    BuildFailed { step: String, message: String },

    #[error("{}", self.message())]
    ArchMismatch { wanted: String, got: String },

    #[error("{}", self.message())]
    ImageNotFound { reference: String },

    #[error("{}", self.message())]
    RegistryAuth { server: String, user: String },

    #[error("{}", self.message())]
    RegistryTls { server: String, detail: String },

    #[error("{}", self.message())]
    RegistryUnreachable { server: String, detail: String },

    #[error("{}", self.message())]
    PushFailed { server: String, detail: String },

    #[error("{}", self.message())]
    LoginFailed { server: String, detail: String },

    #[error("{}", self.message())]
    Engine {
        action: Msg,
        #[source]
        source: BollardError,
    },
}

impl DockerError {
    /// What went wrong and what to do, from the catalog.
    pub fn message(&self) -> Msg {
        match self {
            DockerError::Unreachable { address, .. } => {
                msg!("docker-unreachable", address = address)
            }
            DockerError::PermissionDenied { address, .. } => {
                msg!("docker-permission-denied", address = address)
            }
            DockerError::InvalidPlatform(p) => msg!("docker-invalid-platform", platform = p),
            DockerError::BuildKitRequired { platform, native } => msg!(
                "docker-buildkit-required",
                platform = platform,
                native = native
            ),
            DockerError::BuildFailed { step, message } => {
                msg!("docker-build-failed", step = step, detail = message)
            }
            DockerError::ArchMismatch { wanted, got } => {
                msg!("docker-arch-mismatch", wanted = wanted, got = got)
            }
            DockerError::ImageNotFound { reference } => {
                msg!("docker-image-not-found", reference = reference)
            }
            DockerError::RegistryAuth { server, user } => {
                msg!("docker-registry-auth", server = server, user = user)
            }
            DockerError::RegistryTls { server, detail } => push::tls_message(server, detail),
            DockerError::RegistryUnreachable { server, detail } => {
                msg!(
                    "docker-registry-unreachable",
                    server = server,
                    detail = detail
                )
            }
            DockerError::PushFailed { server, detail } => push_failed_message(server, detail),
            DockerError::LoginFailed { server, detail } => {
                msg!("docker-login-failed", server = server, detail = detail)
            }
            DockerError::Engine { action, source } => msg!(
                "docker-engine",
                action = action.clone(),
                detail = engine_message(source)
            ),
        }
    }
}

/// What the engine is and can do.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EngineInfo {
    /// The engine's version, e.g. `20.10.24`.
    pub version: String,
    /// The engine's API version, e.g. `1.41`.
    pub api_version: String,
    /// `linux`, or `windows` when Docker Desktop is in Windows-containers mode.
    pub os_type: String,
    /// Docker platform architecture: `amd64`, `arm64`, ...
    pub arch: String,
    /// Whether builds can use BuildKit (and so target another architecture).
    pub buildkit_available: bool,
}

impl EngineInfo {
    /// The engine's own platform, e.g. `linux/amd64`.
    pub fn native_platform(&self) -> String {
        format!("{}/{}", self.os_type, self.arch)
    }
}

/// Where an engine pulls images from, and what it has ([`Engine::pull_config`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullConfig {
    /// `registry-mirrors` (Docker Hub only).
    pub mirrors: Vec<String>,
    /// Registries spoken to over plain HTTP (`insecure-registries`): by name, and by CIDR.
    pub insecure_hosts: Vec<String>,
    pub insecure_cidrs: Vec<String>,
    /// The proxy the engine pulls through, when it has one.
    pub proxy: Option<String>,
    /// Every local `repository:tag`.
    pub tags: Vec<String>,
}

/// One image build from an in-memory context.
#[derive(Debug, Clone)]
pub struct BuildRequest {
    /// The build context as an uncompressed tar.
    pub context_tar: Vec<u8>,
    /// Path of the Dockerfile inside the context.
    pub dockerfile: String,
    /// Target platform, e.g. `linux/arm64`.
    pub platform: String,
    /// Name the result is tagged with, e.g. `ferry/app:20240101-1`.
    pub tag: String,
    pub build_args: Vec<(String, String)>,
    pub labels: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltImage {
    pub id: String,
    pub os: String,
    pub architecture: String,
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageDetails {
    pub id: String,
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
    pub size: u64,
}

/// Credentials for one registry.
#[derive(Debug, Clone)]
pub struct RegistryAuth {
    /// `host[:port]`, as in the image reference.
    pub server: String,
    pub username: String,
    pub password: Secret,
}

/// A connection to the local Docker engine.
#[derive(Debug, Clone)]
pub struct Engine {
    docker: Docker,
    address: String,
}

impl Engine {
    /// Connects to the engine named by `DOCKER_HOST`, else the current `docker context`, else the
    /// platform default (`unix:///var/run/docker.sock`, or the `docker_engine` named pipe on
    /// Windows), agrees on an API version and pings it.
    pub async fn connect() -> Result<Engine, DockerError> {
        Engine::connect_to(&default_host()).await
    }

    /// Connects to an explicit engine address (`unix://`, `npipe://`, `tcp://`, `http://`).
    pub async fn connect_to(address: &str) -> Result<Engine, DockerError> {
        let unreachable = |source: BollardError| classify_connect_error(address, source);
        let docker = Docker::connect_with_host(address).map_err(unreachable)?;
        let docker = docker.negotiate_version().await.map_err(unreachable)?;
        // On Windows a named-pipe connection "succeeds" with Docker Desktop stopped: ask.
        docker.ping().await.map_err(unreachable)?;
        Ok(Engine {
            docker,
            address: address.to_string(),
        })
    }

    /// What the local engine is: connects and asks it.
    pub async fn local_info() -> Result<EngineInfo, DockerError> {
        Engine::connect().await?.info().await
    }

    /// Checks that `auth` logs in to its registry, the way `docker login` does: the engine
    /// itself talks to the registry, with its own TLS settings (`certs.d`, insecure registries).
    pub async fn check_login(&self, auth: &RegistryAuth) -> Result<(), DockerError> {
        login::check(&self.docker, auth).await
    }

    /// The address this engine was reached at.
    pub fn address(&self) -> &str {
        &self.address
    }

    pub async fn info(&self) -> Result<EngineInfo, DockerError> {
        let v = self
            .docker
            .version()
            .await
            .map_err(|e| engine_error(msg!("docker-action-version"), e))?;
        let api_version = v.api_version.unwrap_or_default();
        let os_type = v.os.unwrap_or_else(|| "linux".into()).to_ascii_lowercase();
        let buildkit_available = os_type == "linux" && api_at_least(&api_version, 1, 39);
        Ok(EngineInfo {
            version: v.version.unwrap_or_default(),
            api_version,
            os_type,
            arch: normalize_arch(&v.arch.unwrap_or_default()).0,
            buildkit_available,
        })
    }

    /// Where the engine pulls from (its mirrors, the registries it speaks plain HTTP to, its
    /// proxy) and every local `repository:tag`: where a base image would come from.
    pub async fn pull_config(&self) -> Result<PullConfig, DockerError> {
        let info = self
            .docker
            .info()
            .await
            .map_err(|e| engine_error(msg!("docker-action-info"), e))?;
        let images = self
            .docker
            .list_images(None::<bollard::query_parameters::ListImagesOptions>)
            .await
            .map_err(|e| engine_error(msg!("docker-action-list"), e))?;
        let registry = info.registry_config.unwrap_or_default();
        Ok(PullConfig {
            mirrors: registry.mirrors.unwrap_or_default(),
            insecure_cidrs: registry.insecure_registry_cidrs.unwrap_or_default(),
            insecure_hosts: registry
                .index_configs
                .unwrap_or_default()
                .into_values()
                .filter(|i| i.secure == Some(false))
                .filter_map(|i| i.name)
                .collect(),
            proxy: [info.https_proxy, info.http_proxy]
                .into_iter()
                .flatten()
                .find(|p| !p.trim().is_empty()),
            tags: images
                .into_iter()
                .flat_map(|i| i.repo_tags)
                .filter(|t| t != "<none>:<none>")
                .collect(),
        })
    }

    /// Builds `req` for `req.platform` with BuildKit, streaming progress as `Step::Build` logs,
    /// then checks the result really is for that platform.
    pub async fn build(
        &self,
        req: BuildRequest,
        events: &Events,
    ) -> Result<BuiltImage, DockerError> {
        let info = self.info().await?;
        self.build_with(req, events, &info).await
    }

    async fn build_with(
        &self,
        req: BuildRequest,
        events: &Events,
        info: &EngineInfo,
    ) -> Result<BuiltImage, DockerError> {
        let wanted = Platform::parse(&req.platform)?;
        let native = Platform::parse(&info.native_platform())?;

        let mut use_buildkit = info.buildkit_available;
        if use_buildkit {
            match self.build_buildkit(&req, events).await {
                Err(BuildAttempt::Failed(e)) => return Err(e),
                Err(BuildAttempt::BuildKitUnsupported) => use_buildkit = false,
                Ok(()) => {}
            }
        }
        if !use_buildkit {
            if !wanted.same_as(&native) {
                return Err(DockerError::BuildKitRequired {
                    platform: wanted.to_string(),
                    native: native.to_string(),
                });
            }
            events.warn(
                Step::Build,
                msg!("build-classic-builder", platform = native.to_string()),
            );
            self.build_classic(&req, events, &wanted).await?;
        }

        let image = self
            .image(&req.tag)
            .await?
            .ok_or_else(|| DockerError::ImageNotFound {
                reference: req.tag.clone(),
            })?;
        check_platform(&wanted, &image)?;
        Ok(BuiltImage {
            id: image.id,
            os: image.os,
            architecture: image.architecture,
            size: image.size,
        })
    }

    async fn build_buildkit(
        &self,
        req: &BuildRequest,
        events: &Events,
    ) -> Result<(), BuildAttempt> {
        let session = unique_session_id();
        let build_args: HashMap<&str, &str> = req
            .build_args
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let labels: HashMap<&str, &str> = req
            .labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        // No `pull`: BuildKit would then look local base images up on a registry. No `outputs`:
        // the result goes into the engine's image store under `t`.
        let options = BuildImageOptionsBuilder::default()
            .dockerfile(&req.dockerfile)
            .t(&req.tag)
            .platform(&req.platform)
            .buildargs(&build_args)
            .labels(&labels)
            .rm(true)
            .version(BuilderVersion::BuilderBuildKit)
            .session(&session)
            .build();
        let body = bollard::body_stream(context_upload::counted(
            Bytes::from(req.context_tar.clone()),
            context_upload::CHUNK,
            events.clone(),
        ));
        let mut stream = self.docker.build_image(options, None, Some(body));

        let mut tracker = VertexTracker::default();
        let mut first = true;
        let mut tagged = false;
        while let Some(item) = stream.next().await {
            match item {
                Ok(info) => {
                    first = false;
                    match info.aux {
                        Some(BuildInfoAux::BuildKit(status)) => {
                            for out in tracker.update(&status) {
                                out.emit(events);
                            }
                        }
                        Some(BuildInfoAux::Default(_)) => {}
                        None => {}
                    }
                    if let Some(text) = info.stream.as_deref() {
                        for line in text.lines().filter(|l| !l.trim().is_empty()) {
                            tagged |= line.starts_with("Successfully tagged ");
                            events.log(Step::Build, line);
                        }
                    }
                }
                Err(e) if first && buildkit_unsupported(&e) => {
                    return Err(BuildAttempt::BuildKitUnsupported)
                }
                // The engine said the image is tagged, then the response broke off ("bytes
                // remaining on stream", seen on a busy engine): the image is there, and is
                // checked next like any built image.
                Err(e) if tagged && !matches!(e, BollardError::DockerStreamError { .. }) => break,
                Err(BollardError::DockerStreamError { error }) => {
                    for out in tracker.flush() {
                        out.emit(events);
                    }
                    return Err(BuildAttempt::Failed(tracker.failure(&error, &req.platform)));
                }
                Err(e) => {
                    return Err(BuildAttempt::Failed(engine_error(
                        msg!("docker-action-build"),
                        e,
                    )))
                }
            }
        }
        for out in tracker.flush() {
            out.emit(events);
        }
        if let Some(failed) = tracker.failed_vertex() {
            let error = failed.error.clone();
            return Err(BuildAttempt::Failed(tracker.failure(&error, &req.platform)));
        }
        Ok(())
    }

    async fn build_classic(
        &self,
        req: &BuildRequest,
        events: &Events,
        platform: &Platform,
    ) -> Result<(), DockerError> {
        // The classic builder does not set the automatic platform args: give them, and drop
        // `--platform=$BUILDPLATFORM` from FROM lines, so the Dockerfile made for BuildKit
        // (`FROM --platform=$BUILDPLATFORM`, `ARG TARGETARCH`) builds the same natively.
        let mut build_args: HashMap<&str, String> = HashMap::new();
        let plat = platform.to_string();
        for (k, v) in [
            ("BUILDPLATFORM", plat.clone()),
            ("TARGETPLATFORM", plat.clone()),
            ("BUILDOS", platform.os.clone()),
            ("BUILDARCH", platform.arch.clone()),
            ("TARGETOS", platform.os.clone()),
            ("TARGETARCH", platform.arch.clone()),
        ] {
            build_args.insert(k, v);
        }
        for (k, v) in &req.build_args {
            build_args.insert(k.as_str(), v.clone());
        }
        let labels: HashMap<&str, &str> = req
            .labels
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let options = BuildImageOptionsBuilder::default()
            .dockerfile(&req.dockerfile)
            .t(&req.tag)
            .buildargs(&build_args)
            .labels(&labels)
            .rm(true)
            .forcerm(true)
            .build();
        let mut context = req.context_tar.clone();
        buildkit::blank_buildplatform_flags(&mut context, &req.dockerfile);
        let body = bollard::body_stream(context_upload::counted(
            Bytes::from(context),
            context_upload::CHUNK,
            events.clone(),
        ));
        let mut stream = self.docker.build_image(options, None, Some(body));
        let mut progress = ClassicProgress::default();
        while let Some(item) = stream.next().await {
            match item {
                Ok(info) => {
                    if let Some(text) = info.stream.as_deref() {
                        for line in progress.push(text) {
                            events.log(Step::Build, line);
                        }
                    }
                    if let Some(status) = info.status.as_deref() {
                        events.log(Step::Build, status.trim_end());
                    }
                }
                Err(BollardError::DockerStreamError { error }) => {
                    if let Some(line) = progress.finish() {
                        events.log(Step::Build, line);
                    }
                    return Err(progress.failure(&error));
                }
                Err(e) => return Err(engine_error(msg!("docker-action-build"), e)),
            }
        }
        if let Some(line) = progress.finish() {
            events.log(Step::Build, line);
        }
        Ok(())
    }

    /// The local image `reference` (name:tag or id), or `None` if the engine has no such image.
    pub async fn image(&self, reference: &str) -> Result<Option<ImageDetails>, DockerError> {
        match self.docker.inspect_image(reference).await {
            Ok(i) => {
                let (architecture, arch_variant) =
                    normalize_arch(i.architecture.as_deref().unwrap_or_default());
                Ok(Some(ImageDetails {
                    id: i.id.unwrap_or_default(),
                    os: i.os.unwrap_or_default(),
                    architecture,
                    variant: i.variant.filter(|v| !v.is_empty()).or(arch_variant),
                    size: i.size.unwrap_or(0).max(0) as u64,
                }))
            }
            Err(BollardError::DockerResponseServerError {
                status_code: 404, ..
            }) => Ok(None),
            Err(e) => Err(engine_error(
                msg!("docker-action-inspect", image = reference),
                e,
            )),
        }
    }

    /// The local image Ferry built last for `app`: the newest `app:VERSION` tag (versions sort
    /// by time; a rebuild that hits the cache re-tags an older image, so its creation time
    /// says nothing) and the image's details.
    pub async fn latest_app_image(
        &self,
        app: &str,
    ) -> Result<Option<(String, ImageDetails)>, DockerError> {
        let label = format!("ferry.app={app}");
        let filters = HashMap::from([("label", vec![label.as_str()])]);
        let options = ListImagesOptionsBuilder::default()
            .filters(&filters)
            .build();
        let images = self
            .docker
            .list_images(Some(options))
            .await
            .map_err(|e| engine_error(msg!("docker-action-list"), e))?;
        let prefix = format!("{app}:");
        let newest = images
            .iter()
            .flat_map(|i| i.repo_tags.iter().map(move |t| (t, &i.id)))
            .filter(|(tag, _)| tag.starts_with(&prefix))
            .max_by(|a, b| a.0.cmp(b.0));
        let Some((tag, id)) = newest else {
            return Ok(None);
        };
        Ok(self.image(id).await?.map(|d| (tag.clone(), d)))
    }

    /// Where the engine keeps its images, e.g. `/var/lib/docker` (inside Docker Desktop's VM
    /// on Windows).
    pub async fn root_dir(&self) -> Result<Option<String>, DockerError> {
        let info = self
            .docker
            .info()
            .await
            .map_err(|e| engine_error(msg!("docker-action-info"), e))?;
        Ok(info.docker_root_dir)
    }

    /// Tags the local image `source` as `repo:tag`.
    pub async fn tag(&self, source: &str, repo: &str, tag: &str) -> Result<(), DockerError> {
        let options = TagImageOptionsBuilder::default()
            .repo(repo)
            .tag(tag)
            .build();
        match self.docker.tag_image(source, Some(options)).await {
            Ok(()) => Ok(()),
            Err(BollardError::DockerResponseServerError {
                status_code: 404, ..
            }) => Err(DockerError::ImageNotFound {
                reference: source.to_string(),
            }),
            Err(e) => Err(engine_error(
                msg!(
                    "docker-action-tag",
                    source = source,
                    target = format!("{repo}:{tag}")
                ),
                e,
            )),
        }
    }

    /// Pushes `repo:tag` (already tagged locally) with `auth`, reporting the bytes sent over all
    /// layers as `Step::Push` progress (never decreasing; see `push::PushProgress`).
    pub async fn push(
        &self,
        repo: &str,
        tag: &str,
        auth: &RegistryAuth,
        events: &Events,
    ) -> Result<push::PushSummary, DockerError> {
        let server = push::registry_of(repo);
        let reference = format!("{repo}:{tag}");
        let mut raw = push::raw_push_stream(&self.docker, repo, tag, auth);
        let mut progress = push::PushProgress::default();
        let mut lines = push::LineSplitter::default();
        loop {
            let chunk = match raw.next().await {
                Some(Ok(chunk)) => chunk,
                Some(Err(BollardError::DockerResponseServerError {
                    status_code: 404, ..
                })) => return Err(DockerError::ImageNotFound { reference }),
                Some(Err(BollardError::DockerResponseServerError { message, .. })) => {
                    return Err(push::classify_error(&server, &auth.username, &message))
                }
                Some(Err(e)) => {
                    return Err(engine_error(
                        msg!("docker-action-push", image = &reference),
                        e,
                    ))
                }
                None => break,
            };
            for update in lines
                .push(&chunk)
                .iter()
                .flat_map(|l| progress.handle_line(l))
            {
                match update {
                    push::PushUpdate::Progress { current, total } => {
                        events.progress(Step::Push, current, total)
                    }
                    push::PushUpdate::Log(text) => events.log(Step::Push, text),
                    push::PushUpdate::Error(message) => {
                        return Err(push::classify_error(&server, &auth.username, &message))
                    }
                }
            }
        }
        if let Some(line) = lines.finish() {
            for update in progress.handle_line(&line) {
                if let push::PushUpdate::Error(message) = update {
                    return Err(push::classify_error(&server, &auth.username, &message));
                }
            }
        }
        Ok(progress.summary())
    }

    /// The image as a `docker save` tar stream, to pipe into `docker load` elsewhere.
    pub fn export(
        &self,
        image: &str,
    ) -> impl Stream<Item = Result<Bytes, DockerError>> + Send + Unpin + 'static {
        let reference = image.to_string();
        self.docker.export_image(image).map_err(move |e| match e {
            BollardError::DockerResponseServerError {
                status_code: 404, ..
            } => DockerError::ImageNotFound {
                reference: reference.clone(),
            },
            e => engine_error(msg!("docker-action-export", image = &reference), e),
        })
    }
}

enum BuildAttempt {
    BuildKitUnsupported,
    Failed(DockerError),
}

/// Whether the engine turned a BuildKit build down (BuildKit disabled, Windows daemon, ...).
fn buildkit_unsupported(e: &BollardError) -> bool {
    match e {
        BollardError::DockerResponseServerError {
            status_code,
            message,
        } => {
            let m = message.to_ascii_lowercase();
            (400..500).contains(status_code)
                && m.contains("buildkit")
                && (m.contains("not supported") || m.contains("not enabled"))
        }
        _ => false,
    }
}

fn unique_session_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "ferry-{:x}-{:x}-{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// `os/arch[/variant]`, normalised to Docker's names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Platform {
    os: String,
    arch: String,
    variant: Option<String>,
}

impl Platform {
    fn parse(s: &str) -> Result<Platform, DockerError> {
        let parts: Vec<&str> = s.trim().split('/').collect();
        let invalid = || DockerError::InvalidPlatform(s.to_string());
        let (os, arch, variant) = match parts.as_slice() {
            [os, arch] => (*os, *arch, None),
            [os, arch, variant] => (*os, *arch, Some(*variant)),
            _ => return Err(invalid()),
        };
        if os.is_empty() || arch.is_empty() || variant == Some("") {
            return Err(invalid());
        }
        let (arch, implied) = normalize_arch(arch);
        let variant = variant.map(str::to_ascii_lowercase).or(implied);
        // arm64's only variant is v8: treat it as none.
        let variant = variant.filter(|v| !(arch == "arm64" && v == "v8"));
        Ok(Platform {
            os: os.to_ascii_lowercase(),
            arch,
            variant,
        })
    }

    /// Same os and arch, and the same variant when both name one.
    fn same_as(&self, other: &Platform) -> bool {
        self.os == other.os
            && self.arch == other.arch
            && match (&self.variant, &other.variant) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.arch)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

/// Maps kernel / vendor architecture names onto Docker's (`x86_64` → `amd64`), with the variant
/// a name implies (`armv7l` → `arm`, `v7`).
fn normalize_arch(arch: &str) -> (String, Option<String>) {
    let a = arch.trim().to_ascii_lowercase();
    let (name, variant) = match a.as_str() {
        "x86_64" | "x86-64" | "amd64" | "x64" => ("amd64", None),
        "aarch64" | "arm64" | "armv8" | "armv8l" => ("arm64", None),
        "armv7" | "armv7l" | "armhf" => ("arm", Some("v7")),
        "armv6" | "armv6l" | "armel" => ("arm", Some("v6")),
        "i386" | "i486" | "i586" | "i686" | "x86" | "386" => ("386", None),
        "ppc64el" => ("ppc64le", None),
        other => return (other.to_string(), None),
    };
    (name.to_string(), variant.map(str::to_string))
}

fn check_platform(wanted: &Platform, image: &ImageDetails) -> Result<(), DockerError> {
    let got = Platform {
        os: image.os.to_ascii_lowercase(),
        arch: normalize_arch(&image.architecture).0,
        variant: image
            .variant
            .clone()
            .filter(|v| !(image.architecture == "arm64" && v == "v8")),
    };
    if wanted.same_as(&got) {
        Ok(())
    } else {
        Err(DockerError::ArchMismatch {
            wanted: wanted.to_string(),
            got: got.to_string(),
        })
    }
}

/// Whether an API version like `1.41` is at least `major.minor`.
fn api_at_least(version: &str, major: u64, minor: u64) -> bool {
    let mut parts = version.trim().split('.').map(|p| p.parse::<u64>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(ma), Some(mi)) => (ma, mi) >= (major, minor),
        _ => false,
    }
}

/// The engine address, as the docker CLI would choose it: `DOCKER_HOST`, else the endpoint of
/// the current context (`DOCKER_CONTEXT` or `currentContext` in the docker config), else the
/// platform default.
/// Whether Docker looks installed here (its CLI on `PATH`, Docker Desktop where its installer
/// puts it), whether or not its engine runs: to tell "not running" from "not there".
pub fn installed() -> bool {
    if which::which("docker").is_ok() {
        return true;
    }
    let desktop = if cfg!(windows) {
        std::env::var_os("ProgramFiles")
            .map(|d| std::path::Path::new(&d).join(r"Docker\Docker\Docker Desktop.exe"))
    } else if cfg!(target_os = "macos") {
        Some(std::path::PathBuf::from("/Applications/Docker.app"))
    } else {
        None
    };
    desktop.is_some_and(|p| p.exists())
}

fn default_host() -> String {
    if let Some(host) = std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty()) {
        return host;
    }
    if let Some(host) = context_host() {
        return host;
    }
    if cfg!(windows) {
        "npipe:////./pipe/docker_engine".to_string()
    } else {
        "unix:///var/run/docker.sock".to_string()
    }
}

fn context_host() -> Option<String> {
    use sha2::Digest;
    let config_dir = std::env::var_os("DOCKER_CONFIG")
        .map(std::path::PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(".docker")))?;
    let name = match std::env::var("DOCKER_CONTEXT")
        .ok()
        .filter(|c| !c.is_empty())
    {
        Some(name) => name,
        None => {
            let config = std::fs::read(config_dir.join("config.json")).ok()?;
            let config: serde_json::Value = serde_json::from_slice(&config).ok()?;
            config.get("currentContext")?.as_str()?.to_string()
        }
    };
    if name.is_empty() || name == "default" {
        return None;
    }
    let digest = sha2::Sha256::digest(name.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let meta = std::fs::read(config_dir.join("contexts/meta").join(hex).join("meta.json")).ok()?;
    let meta: serde_json::Value = serde_json::from_slice(&meta).ok()?;
    let host = meta.pointer("/Endpoints/docker/Host")?.as_str()?;
    Some(host.to_string())
}

fn classify_connect_error(address: &str, source: BollardError) -> DockerError {
    if error_chain_text(&source)
        .to_ascii_lowercase()
        .contains("permission denied")
    {
        DockerError::PermissionDenied {
            address: address.to_string(),
            source,
        }
    } else {
        DockerError::Unreachable {
            address: address.to_string(),
            source,
        }
    }
}

fn engine_error(action: Msg, source: BollardError) -> DockerError {
    DockerError::Engine { action, source }
}

/// The engine's own words for server errors; the whole cause chain otherwise.
fn engine_message(e: &BollardError) -> String {
    match e {
        BollardError::DockerResponseServerError { message, .. } => message.clone(),
        BollardError::DockerStreamError { error } => error.clone(),
        other => error_chain_text(other),
    }
}

/// An error and its causes, on one line.
pub(crate) fn error_chain_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}
