//! Container registries spoken to directly (the OCI distribution API, through `oci-client`),
//! without a local Docker engine: pushing an image Ferry assembled itself ([`push`]) and asking
//! whether a base image exists ([`probe`]).
//!
//! TLS trusts the operating system's roots (rustls-platform-verifier: the Windows certificate
//! store, where a company's own CA usually is) plus the CA Docker itself would trust for that
//! registry: `certs.d/<host[:port]>/ca.crt` in the user's and the system's Docker folders.

pub mod probe;
pub mod push;

use oci_client::client::{Certificate, CertificateEncoding, ClientConfig};
use std::path::PathBuf;
use std::time::Duration;

/// A client for the registry `host` (`host[:port]`), with `timeout` to connect and per read.
pub fn client(host: &str, timeout: Duration) -> oci_client::Client {
    // reqwest is built without a crypto provider of its own: the process gets ring's (the one
    // bollard's rustls already brings), once.
    let _ = rustls::crypto::ring::default_provider().install_default();
    oci_client::Client::new(ClientConfig {
        extra_root_certificates: docker_ca_files(host)
            .into_iter()
            .filter_map(|path| std::fs::read(path).ok())
            .map(|data| Certificate {
                encoding: CertificateEncoding::Pem,
                data,
            })
            .collect(),
        connect_timeout: Some(timeout),
        read_timeout: Some(timeout),
        // Images of other platforms are asked for by digest; an index is never resolved for
        // the machine Ferry runs on (a Windows laptop builds for a Linux server).
        platform_resolver: None,
        user_agent: concat!("ferry/", env!("CARGO_PKG_VERSION")),
        ..ClientConfig::default()
    })
}

/// The CA files Docker reads for `host`: `~/.docker/certs.d/HOST/*.crt` and the system's
/// `certs.d` (`/etc/docker` on Linux, `%ProgramData%\docker` on Windows).
pub fn docker_ca_files(host: &str) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(home) = dirs::home_dir() {
        dirs.push(home.join(".docker").join("certs.d"));
    }
    if cfg!(windows) {
        if let Some(data) = std::env::var_os("ProgramData") {
            dirs.push(PathBuf::from(data).join("docker").join("certs.d"));
        }
    } else {
        dirs.push(PathBuf::from("/etc/docker/certs.d"));
    }
    // Windows cannot have `:` in a folder name: Docker Desktop uses `host-port` there too.
    let names = [host.to_string(), host.replace(':', "-")];
    let mut out = Vec::new();
    for dir in dirs {
        for name in &names {
            let Ok(entries) = std::fs::read_dir(dir.join(name)) else {
                continue;
            };
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "crt"))
                .collect();
            files.sort();
            out.extend(files);
        }
    }
    out.dedup();
    out
}
