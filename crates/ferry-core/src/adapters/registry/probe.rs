//! Whether an image exists in its registry, asked quickly (a base image before a build):
//! anonymously, for one platform, the whole exchange bounded by a timeout.
//!
//! Only the manifest is read (for an index, the list of its platforms; for a single image, its
//! small config blob, which names its platform); no layer is downloaded.

use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::errors::{OciDistributionError, OciErrorCode};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};
use std::time::Duration;

/// What the registry said of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// There, for the platform asked for.
    Found,
    /// The registry answered: no such repository or tag.
    NotFound,
    /// There, but not for the platform asked for; `available` as `os/arch[/variant]`.
    NoPlatform { available: Vec<String> },
    /// The registry wants a login first (it may also mean "no such repository": Docker Hub
    /// answers both the same to an anonymous client).
    Unauthorized,
    /// No answer: a name that does not resolve, a refused connection, a timeout, TLS.
    Unreachable { detail: String },
}

impl Probe {
    /// The registry answered that a pull of the image would work.
    pub fn is_found(&self) -> bool {
        *self == Probe::Found
    }
}

const ACCEPTED: &[&str] = &[
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

/// Asks `reference`'s registry (`golang:1.22` is `docker.io/library/golang:1.22`) whether it
/// has the image for `platform` (`linux/amd64`), within `timeout` overall.
pub async fn manifest(reference: &str, platform: &str, timeout: Duration) -> Probe {
    let parsed = match parse(reference) {
        Ok(r) => r,
        Err(p) => return p,
    };
    let client = super::client(parsed.registry(), timeout);
    bounded(&client, &parsed, platform, timeout).await
}

/// Like [`manifest`], through the registry mirror `mirror` (`https://mirror.example.com` or
/// `host[:port]`), as the Docker engine pulls a Docker Hub image when it has mirrors set.
pub async fn manifest_via_mirror(
    reference: &str,
    mirror: &str,
    platform: &str,
    timeout: Duration,
) -> Probe {
    let mut parsed = match parse(reference) {
        Ok(r) => r,
        Err(p) => return p,
    };
    let (http, host) = match mirror.trim().trim_end_matches('/') {
        m if m.starts_with("http://") => (true, m["http://".len()..].to_string()),
        m => (false, m.trim_start_matches("https://").to_string()),
    };
    parsed.set_mirror_registry(host.clone());
    let client = if http {
        plain_http_client(timeout)
    } else {
        super::client(&host, timeout)
    };
    bounded(&client, &parsed, platform, timeout).await
}

/// Like [`manifest`] over plain HTTP, as the engine speaks to a registry it was told is
/// insecure (`insecure-registries`; loopback is by default).
pub async fn manifest_insecure(reference: &str, platform: &str, timeout: Duration) -> Probe {
    let parsed = match parse(reference) {
        Ok(r) => r,
        Err(p) => return p,
    };
    bounded(&plain_http_client(timeout), &parsed, platform, timeout).await
}

fn parse(reference: &str) -> Result<Reference, Probe> {
    reference
        .parse::<Reference>()
        .map_err(|e| Probe::Unreachable {
            detail: format!("`{reference}` is not an image reference: {e}"),
        })
}

fn plain_http_client(timeout: Duration) -> Client {
    // reqwest needs a crypto provider even for plain HTTP (see `super::client`).
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::new(ClientConfig {
        protocol: ClientProtocol::Http,
        connect_timeout: Some(timeout),
        read_timeout: Some(timeout),
        platform_resolver: None,
        user_agent: concat!("ferry/", env!("CARGO_PKG_VERSION")),
        ..ClientConfig::default()
    })
}

/// The probe with `client`, cut off after `timeout`.
pub(crate) async fn bounded(
    client: &Client,
    reference: &Reference,
    platform: &str,
    timeout: Duration,
) -> Probe {
    match tokio::time::timeout(timeout, ask(client, reference, platform)).await {
        Ok(probe) => probe,
        Err(_) => Probe::Unreachable {
            detail: format!(
                "{} did not answer within {} s",
                reference.resolve_registry(),
                timeout.as_secs_f32()
            ),
        },
    }
}

async fn ask(client: &Client, reference: &Reference, platform: &str) -> Probe {
    let (body, _digest) = match client
        .pull_manifest_raw(reference, &RegistryAuth::Anonymous, ACCEPTED)
        .await
    {
        Ok(answer) => answer,
        Err(e) => return classify(&e),
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return Probe::Unreachable {
            detail: "the registry answered with a manifest that is not JSON".to_string(),
        };
    };
    if let Some(entries) = json.get("manifests").and_then(|m| m.as_array()) {
        let available = index_platforms(entries);
        return if available.iter().any(|p| platform_matches(p, platform)) {
            Probe::Found
        } else {
            Probe::NoPlatform { available }
        };
    }
    // A single image: its config says which platform it is for.
    let Some(config) = json.get("config").and_then(|c| c.get("digest")) else {
        return Probe::Found;
    };
    let Some(digest) = config.as_str() else {
        return Probe::Found;
    };
    let mut blob = Vec::new();
    if let Err(e) = client.pull_blob(reference, digest, &mut blob).await {
        return classify(&e);
    }
    let Ok(config) = serde_json::from_slice::<serde_json::Value>(&blob) else {
        // The manifest is there; what it is for cannot be read: not a reason to stop a build.
        return Probe::Found;
    };
    match platform_of(&config) {
        Some(p) if !platform_matches(&p, platform) => Probe::NoPlatform { available: vec![p] },
        _ => Probe::Found,
    }
}

/// `os/arch[/variant]` of each image in an index, attestations (`unknown/unknown`) left out.
fn index_platforms(entries: &[serde_json::Value]) -> Vec<String> {
    let mut out: Vec<String> = entries
        .iter()
        .filter_map(|e| platform_of(e.get("platform")?))
        .filter(|p| !p.starts_with("unknown/"))
        .collect();
    out.dedup();
    out
}

fn platform_of(value: &serde_json::Value) -> Option<String> {
    let os = value.get("os")?.as_str()?;
    let arch = value.get("architecture")?.as_str()?;
    Some(match value.get("variant").and_then(|v| v.as_str()) {
        Some(variant) if !variant.is_empty() => format!("{os}/{arch}/{variant}"),
        _ => format!("{os}/{arch}"),
    })
}

/// Whether an image for `have` runs as `want` (`linux/arm64` accepts `linux/arm64/v8`; a
/// wanted variant must be there).
pub fn platform_matches(have: &str, want: &str) -> bool {
    let have: Vec<&str> = have.split('/').collect();
    let want: Vec<&str> = want.split('/').collect();
    if have.len() < 2 || want.len() < 2 || have[..2] != want[..2] {
        return false;
    }
    match (have.get(2), want.get(2)) {
        (_, None) => true,
        (Some(h), Some(w)) => h == w,
        (None, Some(w)) => *w == "v8" && want[1] == "arm64",
    }
}

fn classify(e: &OciDistributionError) -> Probe {
    use OciDistributionError as E;
    match e {
        E::UnauthorizedError { .. } | E::AuthenticationFailure(_) => Probe::Unauthorized,
        E::RegistryError { envelope, .. } => {
            let codes: Vec<&OciErrorCode> = envelope.errors.iter().map(|e| &e.code).collect();
            if codes.iter().any(|c| {
                matches!(
                    c,
                    OciErrorCode::ManifestUnknown
                        | OciErrorCode::NameUnknown
                        | OciErrorCode::NotFound
                        | OciErrorCode::BlobUnknown
                )
            }) {
                Probe::NotFound
            } else if codes
                .iter()
                .any(|c| matches!(c, OciErrorCode::Unauthorized | OciErrorCode::Denied))
            {
                Probe::Unauthorized
            } else {
                Probe::Unreachable {
                    detail: envelope.to_string(),
                }
            }
        }
        E::ServerError { code: 404, .. } | E::ImageManifestNotFoundError(_) => Probe::NotFound,
        E::ServerError {
            code: 401 | 403, ..
        } => Probe::Unauthorized,
        E::ServerError { code, url, .. } => Probe::Unreachable {
            detail: format!("{url}: HTTP {code}"),
        },
        E::RequestError(e) => Probe::Unreachable {
            detail: error_chain(e),
        },
        other => Probe::Unreachable {
            detail: error_chain(other),
        },
    }
}

/// What went wrong, in the fewest words: the innermost cause (`failed to lookup address
/// information: Name or service not known`, `Connection refused`), which reqwest's own text
/// hides behind "error sending request for url".
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut last = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !text.trim().is_empty() {
            last = text;
        }
        source = cause.source();
    }
    last
}

#[cfg(test)]
pub(crate) mod tests;
