//! The image Ferry assembles around a Go binary, without Docker (as `ko` does): a base layer
//! with the Mozilla CA roots, `/etc/passwd` and `/etc/group` for a non-root user and a `/tmp`;
//! a layer with the binary; an image config; and, for a registry or an OCI archive, gzip'd
//! layers and an OCI manifest.
//!
//! Byte-for-byte reproducible: every tar entry has the same owner, mode and time (0), entries
//! come in a fixed order, gzip has no name or time, and the JSON has fixed keys. The same binary
//! gives the same layer digest, the same image id and the same manifest digest.

use crate::formats::image_archive::{
    hex_of, sha256_prefixed, ArchiveError, HashingWriter, ImageArchive, Layer,
};
use crate::plan::ImageSpec;
use serde_json::json;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

pub const MEDIA_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const MEDIA_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const MEDIA_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
pub const MEDIA_INDEX: &str = "application/vnd.oci.image.index.v1+json";

/// Every entry's and the image's time: the epoch, as `ko` and reproducible builds use.
const EPOCH: &str = "1970-01-01T00:00:00Z";
/// Where the CA bundle is (Go's first place to look on Linux; Debian's and Alpine's path).
pub const CA_BUNDLE: &str = "etc/ssl/certs/ca-certificates.crt";

/// An assembled image: the config and plain layers (what the SSH route ships), in `store`.
#[derive(Debug, Clone)]
pub struct Assembled {
    pub archive: ImageArchive,
    pub architecture: String,
}

/// A blob as a registry or an OCI layout holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    pub digest: String,
    pub size: u64,
    pub media_type: &'static str,
    pub path: PathBuf,
}

/// The image in OCI form: gzip'd layers, the config and the manifest that names them.
#[derive(Debug, Clone)]
pub struct OciImage {
    pub config: Vec<u8>,
    pub config_digest: String,
    pub layers: Vec<Blob>,
    pub manifest: Vec<u8>,
    pub manifest_digest: String,
}

impl OciImage {
    /// What a registry stores of it (config and layers), compressed.
    pub fn size(&self) -> u64 {
        self.layers.iter().map(|l| l.size).sum::<u64>() + self.config.len() as u64
    }
}

/// What the image says of how it was made (`docker history`).
pub struct Made<'a> {
    /// e.g. `go build ./cmd/api (go1.22.4)`.
    pub binary: &'a str,
}

/// Assembles the image of `binary` for `arch` with `spec`; the layers go into `store` (a
/// folder kept between builds, so an unchanged layer is found there by its digest later: the
/// base of the next deploy's delta).
pub fn assemble(
    binary: &Path,
    spec: &ImageSpec,
    arch: &str,
    made: Made<'_>,
    store: &Path,
) -> Result<Assembled, ArchiveError> {
    std::fs::create_dir_all(store)?;
    let base = store_layer(store, |w| write_base_layer(w))?;
    let app = store_layer(store, |w| write_binary_layer(binary, w))?;
    let config = config_json(spec, arch, &[&base.diff_id, &app.diff_id], &made);
    prune(store, &[&base.path, &app.path]);
    Ok(Assembled {
        archive: ImageArchive {
            config_digest: sha256_prefixed(&config),
            config,
            layers: vec![base, app],
        },
        architecture: arch.to_string(),
    })
}

impl Assembled {
    /// The OCI form: layers gzip'd into `dir` (named by digest), and the manifest.
    pub fn oci(&self, dir: &Path) -> Result<OciImage, ArchiveError> {
        std::fs::create_dir_all(dir)?;
        let mut layers = Vec::new();
        for layer in &self.archive.layers {
            layers.push(gzip_blob(&layer.path, dir)?);
        }
        let manifest = manifest_json(&self.archive, &layers);
        Ok(OciImage {
            config: self.archive.config.clone(),
            config_digest: self.archive.config_digest.clone(),
            manifest_digest: sha256_prefixed(&manifest),
            manifest,
            layers,
        })
    }
}

/// Writes an OCI image layout as one tar (`ferry build` without an engine): `oci-layout`,
/// `index.json` naming `tag`, the blobs; plus the `manifest.json` of a `docker save`, so both
/// `docker load` (old and new engines) and OCI tools (skopeo, podman, crane) read it.
pub fn write_oci_archive(image: &OciImage, tag: &str, out: impl Write) -> Result<(), ArchiveError> {
    let mut tar = tar::Builder::new(out);
    let blob = |d: &str| format!("blobs/sha256/{}", hex_of(d));
    let index = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": MEDIA_INDEX,
        "manifests": [{
            "mediaType": MEDIA_MANIFEST,
            "digest": image.manifest_digest,
            "size": image.manifest.len(),
            "annotations": {
                "io.containerd.image.name": tag,
                "org.opencontainers.image.ref.name": tag.rsplit(':').next().unwrap_or(tag),
            },
        }],
    }))
    .expect("json");
    let docker = serde_json::to_vec(&json!([{
        "Config": blob(&image.config_digest),
        "RepoTags": [tag],
        "Layers": image.layers.iter().map(|l| blob(&l.digest)).collect::<Vec<_>>(),
    }]))
    .expect("json");
    let layout = br#"{"imageLayoutVersion":"1.0.0"}"#;
    append_dir(&mut tar, "blobs/", 0o755, 0)?;
    append_dir(&mut tar, "blobs/sha256/", 0o755, 0)?;
    append_file(&mut tar, "oci-layout", 0o644, 0, &layout[..])?;
    append_file(&mut tar, "index.json", 0o644, 0, &index[..])?;
    append_file(&mut tar, "manifest.json", 0o644, 0, &docker[..])?;
    append_file(
        &mut tar,
        &blob(&image.manifest_digest),
        0o644,
        0,
        &image.manifest[..],
    )?;
    append_file(
        &mut tar,
        &blob(&image.config_digest),
        0o644,
        0,
        &image.config[..],
    )?;
    for layer in &image.layers {
        let mut header = header(tar::EntryType::Regular, 0o644, 0);
        header.set_size(layer.size);
        tar.append_data(&mut header, blob(&layer.digest), File::open(&layer.path)?)?;
    }
    tar.into_inner()?.flush()?;
    Ok(())
}

/// The base layer: CA roots, the users, `/tmp`. Depends only on Ferry's version (its roots).
fn write_base_layer(out: &mut dyn Write) -> io::Result<()> {
    let mut tar = tar::Builder::new(out);
    let passwd = "root:x:0:0:root:/root:/sbin/nologin\n\
                  nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n\
                  nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n";
    let group = "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n";
    // Go's resolver reads it to try /etc/hosts before DNS, as glibc does.
    let nsswitch = "hosts: files dns\n";
    append_dir(&mut tar, "etc/", 0o755, 0)?;
    append_file(&mut tar, "etc/group", 0o644, 0, group.as_bytes())?;
    append_file(&mut tar, "etc/nsswitch.conf", 0o644, 0, nsswitch.as_bytes())?;
    append_file(&mut tar, "etc/passwd", 0o644, 0, passwd.as_bytes())?;
    append_dir(&mut tar, "etc/ssl/", 0o755, 0)?;
    append_dir(&mut tar, "etc/ssl/certs/", 0o755, 0)?;
    append_file(&mut tar, CA_BUNDLE, 0o644, 0, ca_bundle().as_bytes())?;
    append_dir(&mut tar, "home/", 0o755, 0)?;
    append_dir(&mut tar, "home/nonroot/", 0o700, 65532)?;
    append_dir(&mut tar, "root/", 0o700, 0)?;
    append_dir(&mut tar, "tmp/", 0o1777, 0)?;
    tar.into_inner()?.flush()
}

/// The layer with the binary at `/app`.
fn write_binary_layer(binary: &Path, out: &mut dyn Write) -> io::Result<()> {
    let mut tar = tar::Builder::new(out);
    let size = std::fs::metadata(binary)?.len();
    let mut header = header(tar::EntryType::Regular, 0o755, 0);
    header.set_size(size);
    let name = crate::plan::GO_BINARY.trim_start_matches('/');
    tar.append_data(&mut header, name, File::open(binary)?)?;
    tar.into_inner()?.flush()
}

/// The Mozilla root certificates (`webpki-root-certs`) as a PEM bundle.
pub fn ca_bundle() -> String {
    use base64::Engine as _;
    let mut out = String::new();
    for cert in webpki_root_certs::TLS_SERVER_ROOT_CERTS {
        let b64 = base64::engine::general_purpose::STANDARD.encode(cert.as_ref());
        out.push_str("-----BEGIN CERTIFICATE-----\n");
        for line in b64.as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
    }
    out
}

fn header(kind: tar::EntryType, mode: u32, owner: u64) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_uid(owner);
    h.set_gid(owner);
    h.set_mtime(0);
    h.set_size(0);
    h
}

fn append_dir(
    tar: &mut tar::Builder<impl Write>,
    path: &str,
    mode: u32,
    owner: u64,
) -> io::Result<()> {
    let mut h = header(tar::EntryType::Directory, mode, owner);
    tar.append_data(&mut h, path, io::empty())
}

fn append_file(
    tar: &mut tar::Builder<impl Write>,
    path: &str,
    mode: u32,
    owner: u64,
    data: &[u8],
) -> io::Result<()> {
    let mut h = header(tar::EntryType::Regular, mode, owner);
    h.set_size(data.len() as u64);
    tar.append_data(&mut h, path, data)
}

/// The layer `diff_id` if `store` has it (an earlier build's).
pub fn stored_layer(store: &Path, diff_id: &str) -> Option<Layer> {
    let path = layer_path(store, diff_id);
    let meta = std::fs::metadata(&path).ok().filter(|m| m.is_file())?;
    Some(Layer {
        diff_id: diff_id.to_string(),
        path,
        size: meta.len(),
    })
}

fn layer_path(store: &Path, diff_id: &str) -> PathBuf {
    store.join(format!("{}.tar", hex_of(diff_id)))
}

/// Writes a layer with `write` into `store` as `<diff id hex>.tar`.
fn store_layer(
    store: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<Layer, ArchiveError> {
    let tmp = tempfile::NamedTempFile::new_in(store)?;
    let mut w = HashingWriter::new(BufWriter::new(tmp.as_file()));
    write(&mut w)?;
    let (diff_id, size) = w.finish()?;
    let path = layer_path(store, &diff_id);
    tmp.persist(&path)
        .map_err(|e| ArchiveError::from(e.error))?;
    Ok(Layer {
        diff_id,
        path,
        size,
    })
}

/// Gzips `plain` into `dir/<digest hex>`: no file name, no time, so the same layer always
/// gives the same blob.
fn gzip_blob(plain: &Path, dir: &Path) -> Result<Blob, ArchiveError> {
    let tmp = tempfile::NamedTempFile::new_in(dir)?;
    let mut hashed = HashingWriter::new(BufWriter::new(tmp.as_file()));
    {
        let mut gz = flate2::GzBuilder::new()
            .mtime(0)
            .write(&mut hashed, flate2::Compression::default());
        io::copy(&mut File::open(plain)?, &mut gz)?;
        gz.finish()?;
    }
    let (digest, size) = hashed.finish()?;
    let path = dir.join(hex_of(&digest));
    tmp.persist(&path)
        .map_err(|e| ArchiveError::from(e.error))?;
    Ok(Blob {
        digest,
        size,
        media_type: MEDIA_LAYER_GZIP,
        path,
    })
}

fn config_json(spec: &ImageSpec, arch: &str, diff_ids: &[&str], made: &Made<'_>) -> Vec<u8> {
    let mut env: Vec<String> = vec![
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
        format!("SSL_CERT_FILE=/{CA_BUNDLE}"),
    ];
    env.extend(spec.env.iter().map(|(k, v)| format!("{k}={v}")));
    let ports: serde_json::Map<String, serde_json::Value> = spec
        .exposed_ports
        .iter()
        .map(|p| (format!("{p}/tcp"), json!({})))
        .collect();
    let mut config = json!({
        "User": spec.user,
        "Entrypoint": spec.entrypoint,
        "Env": env,
        "WorkingDir": "/",
        "Labels": spec.labels,
    });
    if !ports.is_empty() {
        config["ExposedPorts"] = serde_json::Value::Object(ports);
    }
    serde_json::to_vec(&json!({
        "architecture": arch,
        "os": "linux",
        "created": EPOCH,
        "config": config,
        "rootfs": { "type": "layers", "diff_ids": diff_ids },
        "history": [
            { "created": EPOCH, "created_by": "ferry: CA certificates, users, /tmp" },
            { "created": EPOCH, "created_by": format!("ferry: {}", made.binary) },
        ],
    }))
    .expect("json")
}

fn manifest_json(archive: &ImageArchive, layers: &[Blob]) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": MEDIA_MANIFEST,
        "config": {
            "mediaType": MEDIA_CONFIG,
            "digest": archive.config_digest,
            "size": archive.config.len(),
        },
        "layers": layers.iter().map(|l| json!({
            "mediaType": l.media_type,
            "digest": l.digest,
            "size": l.size,
        })).collect::<Vec<_>>(),
    }))
    .expect("json")
}

/// How many layers the store keeps: enough for the bases of the next deltas of a few apps.
const STORE_KEEP: usize = 16;

/// Removes the oldest layers of `store` beyond [`STORE_KEEP`], never those in `keep`.
fn prune(store: &Path, keep: &[&Path]) {
    let Ok(entries) = std::fs::read_dir(store) else {
        return;
    };
    let mut layers: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tar"))
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    layers.sort_by_key(|l| std::cmp::Reverse(l.0));
    for (_, path) in layers.into_iter().skip(STORE_KEEP) {
        if !keep.iter().any(|k| *k == path) {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The ELF machine of a binary (`x86-64`, `aarch64`), to tell what a build really made.
pub fn elf_machine(binary: &mut impl Read) -> Option<&'static str> {
    let mut head = [0u8; 20];
    binary.read_exact(&mut head).ok()?;
    if &head[..4] != b"\x7fELF" {
        return None;
    }
    let machine = if head[5] == 1 {
        u16::from_le_bytes([head[18], head[19]])
    } else {
        u16::from_be_bytes([head[18], head[19]])
    };
    Some(match machine {
        0x3e => "amd64",
        0xb7 => "arm64",
        0x03 => "386",
        0x28 => "arm",
        _ => "other",
    })
}

#[cfg(test)]
mod tests;
