//! Pushing an image Ferry assembled to a registry, blob by blob, skipping what it has: an
//! unchanged layer costs one HEAD request. Progress is reported as the docker push's is
//! (`progress` events of the push step, in bytes of what is sent).

use crate::adapters::docker::{PushSummary, RegistryAuth};
use crate::catalog::Msg;
use crate::events::{Events, Step};
use crate::formats::oci_image::{Blob, OciImage, MEDIA_MANIFEST};
use crate::msg;
use crate::CancellationToken;
use futures_util::StreamExt;
use oci_client::errors::OciDistributionError;
use oci_client::secrets::RegistryAuth as OciAuth;
use oci_client::{Reference, RegistryOperation};
use std::time::Duration;

/// How long a registry may stay silent (connecting, or between two reads).
const TIMEOUT: Duration = Duration::from_secs(30);
/// The size of the pieces a layer is read and sent in (and progress reported by).
const CHUNK: usize = 1 << 20;

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("{}", self.message())]
    BadReference { image: String, detail: String },
    /// The registry refused the user or the password.
    #[error("{}", self.message())]
    Unauthorized { registry: String, user: String },
    /// The registry's certificate is not trusted here.
    #[error("{}", self.message())]
    Untrusted { registry: String, detail: String },
    #[error("{}", self.message())]
    Unreachable { registry: String, detail: String },
    /// The registry answered with an error.
    #[error("{}", self.message())]
    Refused { registry: String, detail: String },
    #[error("{}", self.message())]
    Cancelled,
}

impl RegistryError {
    pub fn message(&self) -> Msg {
        match self {
            RegistryError::BadReference { image, detail } => {
                msg!("registry-bad-reference", image = image, detail = detail)
            }
            RegistryError::Unauthorized { registry, user } => {
                msg!("registry-unauthorized", registry = registry, user = user)
            }
            RegistryError::Untrusted { registry, detail } => {
                msg!("registry-untrusted", registry = registry, detail = detail)
            }
            RegistryError::Unreachable { registry, detail } => {
                msg!("registry-unreachable", registry = registry, detail = detail)
            }
            RegistryError::Refused { registry, detail } => {
                msg!("registry-refused", registry = registry, detail = detail)
            }
            RegistryError::Cancelled => msg!("cancelled"),
        }
    }
}

/// Pushes `image` as `reference` (`host[:port]/repository:tag`) with `auth`.
pub async fn push(
    auth: &RegistryAuth,
    reference: &str,
    image: &OciImage,
    cancel: &CancellationToken,
    events: &Events,
) -> Result<PushSummary, RegistryError> {
    let registry = auth.server.clone();
    let (client, target) = logged_in(auth, reference, TIMEOUT).await?;
    let failed = |e: OciDistributionError| classify(&registry, &auth.username, e);

    // What the registry lacks; the config is small and goes with the layers.
    let mut missing: Vec<&Blob> = Vec::new();
    let mut layers = Vec::new();
    for blob in &image.layers {
        let have = client
            .blob_exists(&target, &blob.digest)
            .await
            .map_err(failed)?;
        layers.push((blob.size, !have));
        if !have {
            missing.push(blob);
        }
    }
    let total: u64 = missing.iter().map(|b| b.size).sum();
    let mut done = 0u64;
    events.progress(Step::Push, 0, Some(total));
    for blob in missing {
        let file = tokio::fs::File::open(&blob.path)
            .await
            .map_err(|e| RegistryError::Refused {
                registry: registry.clone(),
                detail: format!("{}: {e}", blob.path.display()),
            })?;
        let (ev, stop, base) = (events.clone(), cancel.clone(), done);
        let mut sent = 0u64;
        let stream = tokio_util::io::ReaderStream::with_capacity(file, CHUNK).map(move |chunk| {
            if stop.is_cancelled() {
                return Err(OciDistributionError::GenericError(Some(
                    "the deploy was cancelled".to_string(),
                )));
            }
            let chunk = chunk.map_err(OciDistributionError::IoError)?;
            sent += chunk.len() as u64;
            ev.progress(Step::Push, base + sent, Some(total));
            Ok(chunk)
        });
        let pushed = client
            .push_blob_stream(&target, stream, &blob.digest, Some(blob.size))
            .await;
        if cancel.is_cancelled() {
            return Err(RegistryError::Cancelled);
        }
        pushed.map_err(failed)?;
        done += blob.size;
    }
    if !client
        .blob_exists(&target, &image.config_digest)
        .await
        .map_err(failed)?
    {
        client
            .push_blob(&target, image.config.clone(), &image.config_digest)
            .await
            .map_err(failed)?;
    }
    client
        .push_manifest_raw(
            &target,
            image.manifest.clone(),
            http::HeaderValue::from_static(MEDIA_MANIFEST),
        )
        .await
        .map_err(failed)?;
    events.progress(Step::Push, total, Some(total));
    Ok(PushSummary { layers })
}

/// Checks that `auth` may push to `reference`'s repository (the wizard's registry test when
/// there is no Docker engine to ask).
pub async fn check_login(auth: &RegistryAuth, reference: &str) -> Result<(), RegistryError> {
    let (client, target) = logged_in(auth, reference, Duration::from_secs(15)).await?;
    // Basic-auth registries accept any pair at `auth`: ask for something that needs it.
    client
        .blob_exists(&target, &format!("sha256:{}", "0".repeat(64)))
        .await
        .map_err(|e| classify(&auth.server, &auth.username, e))?;
    Ok(())
}

/// A client of `auth`'s registry, authorised to push to `reference`'s repository.
async fn logged_in(
    auth: &RegistryAuth,
    reference: &str,
    timeout: Duration,
) -> Result<(oci_client::Client, Reference), RegistryError> {
    let target: Reference =
        reference
            .parse()
            .map_err(|e: oci_client::ParseError| RegistryError::BadReference {
                image: reference.to_string(),
                detail: e.to_string(),
            })?;
    let client = super::client(&auth.server, timeout);
    let oci_auth = OciAuth::Basic(auth.username.clone(), auth.password.expose().to_string());
    client
        .auth(&target, &oci_auth, RegistryOperation::Push)
        .await
        .map_err(|e| classify(&auth.server, &auth.username, e))?;
    Ok((client, target))
}

/// What an oci-client failure means for the user.
fn classify(registry: &str, user: &str, e: OciDistributionError) -> RegistryError {
    let registry = registry.to_string();
    let status = match &e {
        OciDistributionError::ServerError { code, .. } => Some(*code),
        OciDistributionError::RegistryError { .. } => None,
        OciDistributionError::AuthenticationFailure(_) => Some(401),
        OciDistributionError::UnauthorizedError { .. } => Some(401),
        OciDistributionError::RequestError(r) => r.status().map(|s| s.as_u16()),
        _ => None,
    };
    let text = crate::adapters::docker::error_chain_text(&e);
    if matches!(status, Some(401) | Some(403))
        || text.contains("UNAUTHORIZED")
        || text.contains("DENIED")
    {
        return RegistryError::Unauthorized {
            registry,
            user: user.to_string(),
        };
    }
    if let (OciDistributionError::RequestError(_), None) = (&e, status) {
        let lower = text.to_lowercase();
        if lower.contains("certificate") || lower.contains("unknownissuer") || lower.contains("tls")
        {
            return RegistryError::Untrusted {
                registry,
                detail: text,
            };
        }
        return RegistryError::Unreachable {
            registry,
            detail: text,
        };
    }
    RegistryError::Refused {
        registry,
        detail: text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server_error(code: u16) -> OciDistributionError {
        OciDistributionError::ServerError {
            code,
            url: "https://reg.example/v2/team/app/blobs/uploads/".to_string(),
            message: "nope".to_string(),
        }
    }

    #[test]
    fn a_refused_login_is_said_as_one_and_other_answers_as_what_they_are() {
        for code in [401, 403] {
            let e = classify("reg.example", "deploy", server_error(code));
            assert!(
                matches!(&e, RegistryError::Unauthorized { registry, user }
                    if registry == "reg.example" && user == "deploy"),
                "{code}: {e:?}"
            );
        }
        let e = classify(
            "reg.example",
            "deploy",
            OciDistributionError::UnauthorizedError {
                url: "https://reg.example/v2/".to_string(),
            },
        );
        assert!(matches!(e, RegistryError::Unauthorized { .. }), "{e:?}");
        let e = classify("reg.example", "deploy", server_error(500));
        assert!(
            matches!(&e, RegistryError::Refused { detail, .. } if detail.contains("500")),
            "{e:?}"
        );
        assert_eq!(
            RegistryError::Unauthorized {
                registry: "reg.example".into(),
                user: "deploy".into()
            }
            .to_string(),
            "registry reg.example rejected user `deploy`: check the user name and password \
             (`ferry secret set registry/reg.example/deploy`)"
        );
    }

    #[tokio::test]
    async fn a_registry_that_does_not_answer_is_unreachable_not_unauthorized() {
        // A port nothing listens on.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let auth = RegistryAuth {
            server: format!("127.0.0.1:{port}"),
            username: "deploy".into(),
            password: crate::adapters::secret::Secret::new("pw".to_string()),
        };
        let err = check_login(&auth, &format!("127.0.0.1:{port}/team/app:latest"))
            .await
            .unwrap_err();
        assert!(matches!(err, RegistryError::Unreachable { .. }), "{err:?}");
        assert!(err.to_string().contains("does not answer"), "{err}");
    }
}
