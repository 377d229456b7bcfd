//! Docker image archives: reading what `docker save` (the local engine's export) wrote, in the
//! legacy layout (`ID/layer.tar`) or the OCI one (`blobs/sha256/...`, layers maybe gzip'd), into
//! a spool directory of plain layer tars checked against the config's diff ids; and writing the
//! archive `docker load` takes, with only some of the layers in it.

use crate::catalog::Msg;
use crate::msg;
use flate2::read::MultiGzDecoder;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("{}", self.message())]
    Io { detail: String },
    #[error("{}", self.message())]
    Format { detail: String },
}

impl ArchiveError {
    pub fn message(&self) -> Msg {
        match self {
            ArchiveError::Io { detail } => msg!("archive-io", detail = detail),
            ArchiveError::Format { detail } => msg!("archive-format", detail = detail),
        }
    }
}

impl From<io::Error> for ArchiveError {
    fn from(e: io::Error) -> Self {
        ArchiveError::Io {
            detail: e.to_string(),
        }
    }
}

fn format_error(detail: impl Into<String>) -> ArchiveError {
    ArchiveError::Format {
        detail: detail.into(),
    }
}

/// An image unpacked into a spool directory: its config and its layers, in order.
#[derive(Debug, Clone)]
pub struct ImageArchive {
    pub config: Vec<u8>,
    /// `sha256:` of the config: the image id in the classic image store.
    pub config_digest: String,
    pub layers: Vec<Layer>,
}

/// One layer as a plain tar file whose sha256 is `diff_id`.
#[derive(Debug, Clone)]
pub struct Layer {
    pub diff_id: String,
    pub path: PathBuf,
    pub size: u64,
}

#[derive(Deserialize)]
struct ManifestEntry {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "Layers")]
    layers: Vec<String>,
}

#[derive(Deserialize)]
struct ConfigRootfs {
    rootfs: Rootfs,
}

#[derive(Deserialize)]
struct Rootfs {
    diff_ids: Vec<String>,
}

impl ImageArchive {
    /// Unpacks the `docker save` archive at `tar` into `dir` (which must be empty) and checks
    /// each layer against the config's diff ids. The archive file is removed afterwards.
    pub fn unpack(tar: &Path, dir: &Path) -> Result<ImageArchive, ArchiveError> {
        let raw = dir.join("raw");
        std::fs::create_dir_all(&raw)?;
        let mut archive = tar::Archive::new(BufReader::new(File::open(tar)?));
        archive.set_preserve_permissions(false);
        archive.set_overwrite(true);
        // Only plain files, at safe relative paths; `unpack_in` refuses `..` and absolute ones.
        for entry in archive.entries()? {
            let mut entry = entry?;
            if entry.header().entry_type().is_file() {
                entry.unpack_in(&raw)?;
            }
        }
        let _ = std::fs::remove_file(tar);
        let manifest = std::fs::read(raw.join("manifest.json"))
            .map_err(|_| format_error("manifest.json is missing"))?;
        let manifest: Vec<ManifestEntry> = serde_json::from_slice(&manifest)
            .map_err(|e| format_error(format!("manifest.json: {e}")))?;
        let [entry] = <[ManifestEntry; 1]>::try_from(manifest)
            .map_err(|m| format_error(format!("{} images in one archive", m.len())))?;
        let config = std::fs::read(safe_join(&raw, &entry.config)?)?;
        let diff_ids = serde_json::from_slice::<ConfigRootfs>(&config)
            .map_err(|e| format_error(format!("{}: {e}", entry.config)))?
            .rootfs
            .diff_ids;
        if diff_ids.len() != entry.layers.len() {
            return Err(format_error(format!(
                "{} layers in the manifest, {} diff ids in the config",
                entry.layers.len(),
                diff_ids.len()
            )));
        }
        let mut layers = Vec::new();
        for (diff_id, name) in diff_ids.into_iter().zip(&entry.layers) {
            let path = dir.join(format!("{}.tar", hex_of(&diff_id)));
            if !path.exists() {
                let (digest, size) = plain_copy(&safe_join(&raw, name)?, &path)?;
                if digest != diff_id {
                    return Err(format_error(format!(
                        "{name} has digest {digest}, the config says {diff_id}"
                    )));
                }
                layers.push(Layer {
                    diff_id,
                    size,
                    path,
                });
            } else {
                let size = std::fs::metadata(&path)?.len();
                layers.push(Layer {
                    diff_id,
                    size,
                    path,
                });
            }
        }
        let _ = std::fs::remove_dir_all(&raw);
        Ok(ImageArchive {
            config_digest: sha256_prefixed(&config),
            config,
            layers,
        })
    }

    pub fn diff_ids(&self) -> Vec<String> {
        self.layers.iter().map(|l| l.diff_id.clone()).collect()
    }

    pub fn size(&self) -> u64 {
        self.layers.iter().map(|l| l.size).sum::<u64>() + self.config.len() as u64
    }

    /// Writes the archive `docker load` takes: the manifest (naming every layer), the config,
    /// and the layers for which `include` is true, gzip'd. An engine with the classic image
    /// store reuses its own copy of a layer the archive leaves out.
    pub fn write_load_archive(
        &self,
        tag: &str,
        include: &[bool],
        out: impl Write,
    ) -> Result<(), ArchiveError> {
        let gz = flate2::write::GzEncoder::new(out, flate2::Compression::default());
        let mut tar = tar::Builder::new(gz);
        let config_name = format!("{}.json", hex_of(&self.config_digest));
        let names: Vec<String> = self
            .layers
            .iter()
            .map(|l| format!("{}/layer.tar", hex_of(&l.diff_id)))
            .collect();
        let manifest = serde_json::to_vec(&serde_json::json!([{
            "Config": config_name,
            "RepoTags": [tag],
            "Layers": names,
        }]))
        .expect("json");
        append(
            &mut tar,
            "manifest.json",
            manifest.len() as u64,
            &manifest[..],
        )?;
        append(
            &mut tar,
            &config_name,
            self.config.len() as u64,
            &self.config[..],
        )?;
        for ((layer, name), keep) in self.layers.iter().zip(&names).zip(include) {
            if *keep {
                append(&mut tar, name, layer.size, File::open(&layer.path)?)?;
            }
        }
        tar.into_inner()?.finish()?.flush()?;
        Ok(())
    }
}

fn append(
    tar: &mut tar::Builder<impl Write>,
    name: &str,
    size: u64,
    data: impl Read,
) -> io::Result<()> {
    let mut header = tar::Header::new_ustar();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_entry_type(tar::EntryType::Regular);
    tar.append_data(&mut header, name, data)
}

/// `a/b` inside `root`, refusing absolute paths and `..`.
fn safe_join(root: &Path, name: &str) -> Result<PathBuf, ArchiveError> {
    let rel = Path::new(name);
    if rel.is_absolute()
        || rel
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(format_error(format!("unsafe path {name}")));
    }
    Ok(root.join(rel))
}

/// Copies `from` to `to`, gunzipping it if it is gzip'd; the sha256 (`sha256:...`) and size of
/// what was written.
fn plain_copy(from: &Path, to: &Path) -> Result<(String, u64), ArchiveError> {
    let mut head = [0u8; 2];
    let gz = File::open(from)?.read(&mut head)? == 2 && head == [0x1f, 0x8b];
    let file = BufReader::new(File::open(from)?);
    let mut reader: Box<dyn Read> = if gz {
        Box::new(MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut out = HashingWriter::new(File::create(to)?);
    io::copy(&mut reader, &mut out)?;
    let (digest, size) = out.finish()?;
    Ok((digest, size))
}

/// A writer that hashes what passes through it.
pub struct HashingWriter<W: Write> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> HashingWriter<W> {
    pub fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
            size: 0,
        }
    }

    /// `sha256:HEX` and the byte count.
    pub fn finish(mut self) -> io::Result<(String, u64)> {
        self.inner.flush()?;
        Ok((
            format!("sha256:{}", hex(&self.hasher.finalize())),
            self.size,
        ))
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

pub fn sha256_prefixed(data: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(data)))
}

/// The hex part of `sha256:HEX`.
pub fn hex_of(digest: &str) -> &str {
    digest.split_once(':').map_or(digest, |(_, h)| h)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The chain ids of a layer list: the id the classic image store keys a layer by, given all
/// the layers under it. `chain[0] = diff[0]`, `chain[i] = sha256(chain[i-1] + " " + diff[i])`.
pub fn chain_ids(diff_ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(diff_ids.len());
    for d in diff_ids {
        let next = match out.last() {
            None => d.clone(),
            Some(parent) => sha256_prefixed(format!("{parent} {d}").as_bytes()),
        };
        out.push(next);
    }
    out
}

#[cfg(test)]
mod tests;
