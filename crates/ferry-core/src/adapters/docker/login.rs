//! Checking a registry login through the local engine (`POST /auth`, what `docker login` does).
//! bollard 0.21 has no call for it, so, as for the push, a request that returns the raw body is
//! rewritten into it.

use bollard::errors::Error as BollardError;
use bollard::Docker;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};

use super::{engine_error, push, DockerError, RegistryAuth};

/// An image name no one uses: the request for it is rewritten into the login request.
const SENTINEL: &str = "ferry-raw-auth-request";

/// `POST /auth` with the credentials as its JSON body, as the raw response body.
fn raw_auth_stream(
    docker: &Docker,
    auth: &RegistryAuth,
) -> impl Stream<Item = Result<Bytes, BollardError>> + Send + Unpin + 'static {
    let body = Bytes::from(
        serde_json::json!({
            "username": auth.username,
            "password": auth.password.expose(),
            "serveraddress": auth.server,
        })
        .to_string(),
    );
    let from = format!("/images/{SENTINEL}/get");
    let docker = docker.clone().with_request_modifier(move |mut req| {
        let uri = req.uri().to_string();
        if let Some(pos) = uri.find(&from) {
            if let Ok(new_uri) = format!("{}/auth", &uri[..pos]).parse() {
                *req.uri_mut() = new_uri;
                *req.method_mut() = "POST".parse().expect("POST is an HTTP method");
                if let Ok(value) = "application/json".parse() {
                    req.headers_mut().insert("content-type", value);
                }
                *req.body_mut() = bollard::body_full(body.clone());
            }
        }
        req
    });
    docker.export_image(SENTINEL)
}

/// Asks the engine to log in to `auth.server`; `Ok` when the registry accepted the login.
pub(super) async fn check(docker: &Docker, auth: &RegistryAuth) -> Result<(), DockerError> {
    let mut raw = raw_auth_stream(docker, auth);
    let mut answer = Vec::new();
    while let Some(chunk) = raw.next().await {
        match chunk {
            Ok(chunk) => answer.extend_from_slice(&chunk),
            Err(BollardError::DockerResponseServerError { message, .. }) => {
                return Err(classify(auth, &message))
            }
            Err(e) => {
                return Err(engine_error(
                    crate::msg!("docker-action-login", server = &auth.server),
                    e,
                ))
            }
        }
    }
    let status: serde_json::Value = serde_json::from_slice(&answer).unwrap_or_default();
    match status.get("Status").and_then(|s| s.as_str()) {
        Some(s) if s.to_ascii_lowercase().contains("succeeded") => Ok(()),
        _ => Err(classify(auth, &String::from_utf8_lossy(&answer))),
    }
}

/// The engine's words for a failed login, as the push error they also mean.
fn classify(auth: &RegistryAuth, message: &str) -> DockerError {
    match push::classify_error(&auth.server, &auth.username, message) {
        DockerError::PushFailed { server, detail } => DockerError::LoginFailed { server, detail },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::secret::Secret;

    fn auth() -> RegistryAuth {
        RegistryAuth {
            server: "reg.example:5000".into(),
            username: "deploy".into(),
            password: Secret::new("pw"),
        }
    }

    #[test]
    fn engine_answers_become_registry_errors() {
        let cases = [
            (
                "login attempt to https://reg.example:5000/v2/ failed with status: 401 Unauthorized",
                "RegistryAuth",
            ),
            (
                "Get \"https://reg.example:5000/v2/\": x509: certificate signed by unknown authority",
                "RegistryTls",
            ),
            (
                "Get \"https://reg.example:5000/v2/\": dial tcp 10.0.0.9:5000: connect: connection refused",
                "RegistryUnreachable",
            ),
            ("something else", "LoginFailed"),
        ];
        for (message, variant) in cases {
            let e = classify(&auth(), message);
            assert!(format!("{e:?}").starts_with(variant), "{message}: {e:?}");
        }
        assert_eq!(
            classify(&auth(), "odd").to_string(),
            "logging in to registry reg.example:5000 failed: odd"
        );
    }
}
