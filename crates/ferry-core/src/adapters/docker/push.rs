//! Registry push: the engine's raw JSON progress (bollard 0.21's `PushImageInfo` drops the layer
//! id, which per-layer byte counts need) and turning registry errors into actionable ones.

use std::collections::HashMap;

use base64::Engine as _;
use bollard::errors::Error as BollardError;
use bollard::Docker;
use bytes::Bytes;
use futures_util::Stream;

use super::{DockerError, RegistryAuth};

/// An image name no one uses: the request for it is rewritten into the push request.
const SENTINEL: &str = "ferry-raw-push-request";

/// `POST /images/{repo}/push?tag={tag}` with `X-Registry-Auth`, as the raw response body.
///
/// bollard has no public call for a raw streamed POST, so this clones the client with a request
/// modifier that turns `export_image`'s `GET /images/{SENTINEL}/get` (the one call that returns
/// the body as bytes) into the push request. The clone is used for this request only.
pub(super) fn raw_push_stream(
    docker: &Docker,
    repo: &str,
    tag: &str,
    auth: &RegistryAuth,
) -> impl Stream<Item = Result<Bytes, BollardError>> + Send + Unpin + 'static {
    let credentials = serde_json::json!({
        "username": auth.username,
        "password": auth.password.expose(),
        "serveraddress": auth.server,
    });
    let header = base64::engine::general_purpose::URL_SAFE.encode(credentials.to_string());
    let from = format!("/images/{SENTINEL}/get");
    let to = format!("/images/{repo}/push?tag={}", query_escape(tag));
    let docker = docker.clone().with_request_modifier(move |mut req| {
        let uri = req.uri().to_string();
        if let Some(pos) = uri.find(&from) {
            if let Ok(new_uri) = format!("{}{}", &uri[..pos], to).parse() {
                *req.uri_mut() = new_uri;
                *req.method_mut() = "POST".parse().expect("POST is an HTTP method");
                if let Ok(value) = header.parse() {
                    req.headers_mut().insert("x-registry-auth", value);
                }
            }
        }
        req
    });
    docker.export_image(SENTINEL)
}

fn query_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The registry part of an image name (`10.0.0.5:5000/app` → `10.0.0.5:5000`).
pub(super) fn registry_of(repo: &str) -> String {
    match repo.split_once('/') {
        Some((first, _)) if first.contains('.') || first.contains(':') || first == "localhost" => {
            first.to_string()
        }
        _ => "docker.io".to_string(),
    }
}

/// Splits a byte stream into lines.
#[derive(Default)]
pub(super) struct LineSplitter {
    partial: Vec<u8>,
}

impl LineSplitter {
    pub(super) fn push(&mut self, chunk: &[u8]) -> Vec<String> {
        self.partial.extend_from_slice(chunk);
        let mut lines = Vec::new();
        while let Some(pos) = self.partial.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.partial.drain(..=pos).collect();
            let line = String::from_utf8_lossy(&line).trim().to_string();
            if !line.is_empty() {
                lines.push(line);
            }
        }
        lines
    }

    pub(super) fn finish(&mut self) -> Option<String> {
        let line = String::from_utf8_lossy(&std::mem::take(&mut self.partial))
            .trim()
            .to_string();
        (!line.is_empty()).then_some(line)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum PushUpdate {
    /// Bytes sent over all layers, out of the bytes all of them need once every layer's size
    /// is known (`None` before).
    Progress {
        current: u64,
        total: Option<u64>,
    },
    Log(String),
    Error(String),
}

/// One layer of a push.
#[derive(Default, Clone, Copy)]
struct Layer {
    /// The most the engine said it sent: a retried upload starts again from 0, this does not.
    sent: u64,
    /// Bytes it needs; 0 for a layer the registry already has, `None` until known.
    size: Option<u64>,
    /// The registry had it already (or mounted it from another repository).
    existed: bool,
}

/// What a push sent, layer by layer: sizes as the engine counts them (uncompressed).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PushSummary {
    /// Per layer (in the order the engine first named them): its size and whether it went up.
    pub layers: Vec<(u64, bool)>,
}

impl PushSummary {
    pub fn sent_bytes(&self) -> u64 {
        self.layers.iter().filter(|l| l.1).map(|l| l.0).sum()
    }
}

/// The aggregate byte counts of a push, by layer id. The engine reports each layer on its own,
/// and only the layers it is uploading at the moment have a size: summing what it said so far
/// would make the total grow and the share done jump back. So `current` never decreases and the
/// total is only given once every layer announced (they all say "Preparing" first) has a size.
#[derive(Default)]
pub(super) struct PushProgress {
    layers: HashMap<String, Layer>,
    order: Vec<String>,
    last: Option<(u64, Option<u64>)>,
}

impl PushProgress {
    pub(super) fn handle_line(&mut self, line: &str) -> Vec<PushUpdate> {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            return vec![PushUpdate::Log(line.to_string())];
        };
        if let Some(message) = v
            .pointer("/errorDetail/message")
            .or_else(|| v.get("error"))
            .and_then(|m| m.as_str())
        {
            return vec![PushUpdate::Error(message.to_string())];
        }
        let status = v.get("status").and_then(|s| s.as_str()).unwrap_or("");
        let id = v.get("id").and_then(|s| s.as_str()).unwrap_or("");
        let detail = |key: &str| {
            v.pointer(&format!("/progressDetail/{key}"))
                .and_then(|n| n.as_i64())
                .map(|n| n.max(0) as u64)
        };
        if id.is_empty() {
            return match status {
                "Preparing" | "Waiting" | "Pushing" | "" => vec![],
                _ => vec![PushUpdate::Log(status.to_string())],
            };
        }
        if !self.layers.contains_key(id) {
            self.order.push(id.to_string());
        }
        let layer = self.layers.entry(id.to_string()).or_default();
        match status {
            "Pushing" => match (detail("current"), detail("total")) {
                (Some(current), Some(total)) if total > 0 => {
                    layer.size = Some(total);
                    layer.sent = layer.sent.max(current.min(total));
                    self.progress().into_iter().collect()
                }
                _ => vec![],
            },
            "Preparing" | "Waiting" => vec![],
            _ => {
                if is_layer_done(status) {
                    let size = layer.size.unwrap_or(layer.sent);
                    *layer = Layer {
                        sent: size,
                        size: Some(size),
                        existed: status != "Pushed",
                    };
                }
                let mut updates: Vec<PushUpdate> = self.progress().into_iter().collect();
                updates.push(PushUpdate::Log(format!("{id}: {status}")));
                updates
            }
        }
    }

    /// What went up, once the push is over.
    pub(super) fn summary(&self) -> PushSummary {
        PushSummary {
            layers: self
                .order
                .iter()
                .map(|id| {
                    let l = self.layers[id];
                    (l.size.unwrap_or(l.sent), !l.existed)
                })
                .collect(),
        }
    }

    /// The byte counts, if they changed.
    fn progress(&mut self) -> Option<PushUpdate> {
        let current = self.layers.values().map(|l| l.sent).sum();
        let total = self
            .layers
            .values()
            .map(|l| l.size)
            .sum::<Option<u64>>()
            .filter(|&t| t > 0);
        if (current == 0 && total.is_none()) || self.last == Some((current, total)) {
            return None;
        }
        self.last = Some((current, total));
        Some(PushUpdate::Progress { current, total })
    }
}

/// A layer's last word: it is in the registry now.
fn is_layer_done(status: &str) -> bool {
    matches!(status, "Pushed" | "Layer already exists") || status.starts_with("Mounted from")
}

/// Turns the engine's push error into one that says what to do.
pub(super) fn classify_error(server: &str, user: &str, message: &str) -> DockerError {
    use crate::diagnose::{registry_problem, RegistryProblem};
    let (server, detail) = (server.to_string(), message.to_string());
    match registry_problem(message) {
        Some(RegistryProblem::Tls) => DockerError::RegistryTls { server, detail },
        Some(RegistryProblem::Credentials) => DockerError::RegistryAuth {
            server,
            user: user.to_string(),
        },
        Some(RegistryProblem::Unreachable) => DockerError::RegistryUnreachable { server, detail },
        None => DockerError::PushFailed { server, detail },
    }
}

/// The message for `DockerError::RegistryTls`.
pub(super) fn tls_message(server: &str, detail: &str) -> crate::catalog::Msg {
    let d = detail.to_ascii_lowercase();
    let id = if d.contains("http response to https client") {
        "docker-registry-plain-http"
    } else if d.contains("not valid for") || d.contains("doesn't contain any ip sans") {
        "docker-registry-cert-name"
    } else {
        "docker-registry-untrusted"
    };
    crate::catalog::Msg::new(id)
        .arg("server", server)
        .arg("detail", detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_is_the_first_component_when_it_looks_like_a_host() {
        assert_eq!(registry_of("10.0.0.5:5000/app"), "10.0.0.5:5000");
        assert_eq!(
            registry_of("registry.example.com/team/app"),
            "registry.example.com"
        );
        assert_eq!(registry_of("localhost/app"), "localhost");
        assert_eq!(registry_of("team/app"), "docker.io");
        assert_eq!(registry_of("app"), "docker.io");
    }

    #[test]
    fn push_progress_sums_bytes_over_layers_by_id_and_never_goes_back() {
        let mut p = PushProgress::default();
        let mut s = LineSplitter::default();
        let raw = [
            r#"{"status":"The push refers to repository [10.0.0.5:5000/app]"}"#,
            r#"{"status":"Preparing","progressDetail":{},"id":"aaa"}"#,
            r#"{"status":"Preparing","progressDetail":{},"id":"bbb"}"#,
            r#"{"status":"Preparing","progressDetail":{},"id":"ccc"}"#,
            r#"{"status":"Waiting","progressDetail":{},"id":"ccc"}"#,
            r#"{"status":"Pushing","progressDetail":{"current":50,"total":100},"id":"aaa"}"#,
            r#"{"status":"Pushing","progressDetail":{"current":100,"total":1000},"id":"bbb"}"#,
            r#"{"status":"Layer already exists","progressDetail":{},"id":"ccc"}"#,
            // A retried upload starts again from 0.
            r#"{"status":"Pushing","progressDetail":{"current":10,"total":100},"id":"aaa"}"#,
            r#"{"status":"Pushing","progressDetail":{"current":100,"total":100},"id":"aaa"}"#,
            r#"{"status":"Pushed","progressDetail":{},"id":"bbb"}"#,
            r#"{"status":"latest: digest: sha256:abc size: 739"}"#,
            r#"{"progressDetail":{},"aux":{"Tag":"latest","Digest":"sha256:abc","Size":739}}"#,
        ]
        .join("\n");
        // Split mid-line, as the engine's chunks may be.
        let (a, b) = raw.split_at(100);
        let mut lines = s.push(a.as_bytes());
        lines.extend(s.push(b.as_bytes()));
        lines.extend(s.finish());
        let updates: Vec<PushUpdate> = lines.iter().flat_map(|l| p.handle_line(l)).collect();
        let progress = |current, total| PushUpdate::Progress { current, total };
        assert_eq!(
            updates,
            vec![
                PushUpdate::Log("The push refers to repository [10.0.0.5:5000/app]".into()),
                // Layer ccc's size is not known yet: no total.
                progress(50, None),
                progress(150, None),
                progress(150, Some(1100)),
                PushUpdate::Log("ccc: Layer already exists".into()),
                progress(200, Some(1100)),
                progress(1100, Some(1100)),
                PushUpdate::Log("bbb: Pushed".into()),
                PushUpdate::Log("latest: digest: sha256:abc size: 739".into()),
            ]
        );
        assert_eq!(
            p.summary(),
            PushSummary {
                layers: vec![(100, true), (1000, true), (0, false)]
            },
            "ccc was there already"
        );
        assert_eq!(p.summary().sent_bytes(), 1100);
    }

    #[test]
    fn an_error_line_is_an_error() {
        let mut p = PushProgress::default();
        assert_eq!(
            p.handle_line(r#"{"errorDetail":{"message":"unauthorized: authentication required"},"error":"unauthorized: authentication required"}"#),
            vec![PushUpdate::Error("unauthorized: authentication required".into())]
        );
    }

    #[test]
    fn registry_errors_say_what_to_do() {
        let e = classify_error(
            "10.0.0.5:5000",
            "deploy",
            "unauthorized: authentication required",
        );
        assert_eq!(
            e.to_string(),
            "registry 10.0.0.5:5000 rejected user `deploy`: check the password saved for it"
        );
        let e = classify_error(
            "10.0.0.5:5000",
            "deploy",
            "Get \"https://10.0.0.5:5000/v2/\": x509: certificate signed by unknown authority",
        );
        assert!(matches!(e, DockerError::RegistryTls { .. }));
        assert!(e
            .to_string()
            .contains("/etc/docker/certs.d/10.0.0.5:5000/ca.crt"));
        let e = classify_error(
            "127.0.0.1:1",
            "deploy",
            "Get \"http://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused",
        );
        assert!(matches!(e, DockerError::RegistryUnreachable { .. }));
        let e = classify_error("r:5000", "u", "manifest invalid");
        assert!(matches!(e, DockerError::PushFailed { .. }));
    }
}
