//! The probe against a registry played by a loopback HTTP server started here, and against
//! addresses that cannot answer.

use super::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

/// What the fake registry answers for a path: status, content type, body.
pub(crate) type Routes = HashMap<String, (u16, String, Vec<u8>)>;

/// A registry on 127.0.0.1 that answers `routes` (and `/v2/` with 200, no login), every other
/// path with 404 `MANIFEST_UNKNOWN`; it records the paths asked for.
pub(crate) struct FakeRegistry {
    pub addr: SocketAddr,
    pub asked: Arc<Mutex<Vec<String>>>,
}

impl FakeRegistry {
    pub fn start(routes: Routes) -> FakeRegistry {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let seen = asked.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    continue;
                }
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                }
                let path = request_line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    // A mirror is asked with `?ns=docker.io`.
                    .split('?')
                    .next()
                    .unwrap_or("/")
                    .to_string();
                seen.lock().unwrap().push(path.clone());
                let not_found = (
                    404,
                    "application/json".to_string(),
                    br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#
                        .to_vec(),
                );
                let (status, kind, body) = if path == "/v2/" {
                    (200, "application/json".to_string(), b"{}".to_vec())
                } else {
                    routes.get(&path).cloned().unwrap_or(not_found)
                };
                let head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
                     Connection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        FakeRegistry { addr, asked }
    }

    pub fn image(&self, repo_tag: &str) -> String {
        format!("{}/{repo_tag}", self.addr)
    }
}

fn digest(bytes: &[u8]) -> String {
    let hex: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

pub(crate) fn index(platforms: &[(&str, &str)]) -> Vec<u8> {
    let manifests: Vec<serde_json::Value> = platforms
        .iter()
        .map(|(os, arch)| {
            serde_json::json!({
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": format!("sha256:{}", "0".repeat(64)),
                "size": 100,
                "platform": {"os": os, "architecture": arch}
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": manifests
    }))
    .unwrap()
}

pub(crate) const INDEX: &str = "application/vnd.oci.image.index.v1+json";
const SECOND: Duration = Duration::from_secs(1);

#[tokio::test]
async fn an_index_with_the_platform_is_found_and_one_without_it_names_what_it_has() {
    let routes = Routes::from([
        (
            "/v2/library/golang/manifests/1.22".to_string(),
            (
                200,
                INDEX.to_string(),
                index(&[
                    ("linux", "amd64"),
                    ("linux", "arm64"),
                    ("unknown", "unknown"),
                ]),
            ),
        ),
        (
            "/v2/tools/old/manifests/1".to_string(),
            (200, INDEX.to_string(), index(&[("linux", "amd64")])),
        ),
    ]);
    let reg = FakeRegistry::start(routes);
    let golang = reg.image("library/golang:1.22");
    assert_eq!(
        manifest_insecure(&golang, "linux/arm64", SECOND).await,
        Probe::Found
    );
    assert_eq!(
        manifest_insecure(&reg.image("tools/old:1"), "linux/arm64", SECOND).await,
        Probe::NoPlatform {
            available: vec!["linux/amd64".to_string()]
        }
    );
    assert!(reg
        .asked
        .lock()
        .unwrap()
        .contains(&"/v2/library/golang/manifests/1.22".to_string()));
}

#[tokio::test]
async fn a_single_image_is_judged_by_the_platform_its_config_names() {
    let config =
        br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#;
    let config_digest = digest(config);
    let manifest_body = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": config_digest,
            "size": config.len()
        },
        "layers": []
    }))
    .unwrap();
    let routes = Routes::from([
        (
            "/v2/app/manifests/1".to_string(),
            (
                200,
                "application/vnd.oci.image.manifest.v1+json".to_string(),
                manifest_body,
            ),
        ),
        (
            format!("/v2/app/blobs/{config_digest}"),
            (200, "application/octet-stream".to_string(), config.to_vec()),
        ),
    ]);
    let reg = FakeRegistry::start(routes);
    assert_eq!(
        manifest_insecure(&reg.image("app:1"), "linux/amd64", SECOND).await,
        Probe::Found
    );
    assert_eq!(
        manifest_insecure(&reg.image("app:1"), "linux/arm64", SECOND).await,
        Probe::NoPlatform {
            available: vec!["linux/amd64".to_string()]
        }
    );
}

#[tokio::test]
async fn a_missing_tag_is_not_found_and_a_refusal_needs_a_login() {
    let routes = Routes::from([(
        "/v2/private/app/manifests/1".to_string(),
        (
            401,
            "application/json".to_string(),
            br#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#.to_vec(),
        ),
    )]);
    let reg = FakeRegistry::start(routes);
    assert_eq!(
        manifest_insecure(&reg.image("library/golang:9.99"), "linux/amd64", SECOND).await,
        Probe::NotFound
    );
    assert_eq!(
        manifest_insecure(&reg.image("private/app:1"), "linux/amd64", SECOND).await,
        Probe::Unauthorized
    );
}

#[tokio::test]
async fn a_closed_port_and_a_name_that_does_not_resolve_are_unreachable_quickly() {
    // A port that was just free: nothing listens on it.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let started = std::time::Instant::now();
    let closed = manifest(&format!("127.0.0.1:{port}/app:1"), "linux/amd64", SECOND).await;
    assert!(matches!(closed, Probe::Unreachable { .. }), "{closed:?}");
    let nowhere = manifest("registry.ferry-test.invalid/app:1", "linux/amd64", SECOND).await;
    let Probe::Unreachable { detail } = nowhere else {
        panic!("{nowhere:?}");
    };
    assert!(!detail.is_empty());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_registry_that_accepts_and_never_answers_is_cut_off_at_the_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    // Accepts connections and keeps them open without a word.
    std::thread::spawn(move || {
        let mut open = Vec::new();
        for s in listener.incoming() {
            open.push(s);
        }
    });
    let started = std::time::Instant::now();
    let probe = manifest_insecure(
        &format!("{addr}/app:1"),
        "linux/amd64",
        Duration::from_millis(300),
    )
    .await;
    assert!(matches!(probe, Probe::Unreachable { .. }), "{probe:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn platforms_match_with_and_without_a_variant() {
    assert!(platform_matches("linux/amd64", "linux/amd64"));
    assert!(platform_matches("linux/arm64/v8", "linux/arm64"));
    assert!(platform_matches("linux/arm64", "linux/arm64/v8"));
    assert!(!platform_matches("linux/arm/v7", "linux/arm/v6"));
    assert!(!platform_matches("linux/arm64", "linux/amd64"));
    assert!(!platform_matches("windows/amd64", "linux/amd64"));
}
