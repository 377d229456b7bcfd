//! Sends a built image to the server over SSH, only what it lacks (decided by `plan::ship`):
//! exports the image from the local engine, makes the pieces (gzip'd layers, bsdiff deltas
//! against a layer the server has), uploads what has not arrived yet (a cut transfer resumes
//! where it stopped on the next try), and has the server rebuild, check and load the image.

use crate::adapters::docker::Engine;
use crate::adapters::remote::ship as cmds;
use crate::adapters::server::{ServerError, ServerInfo};
use crate::adapters::ssh::Session;
use crate::catalog::{human_bytes, Msg};
use crate::events::{Events, Step};
use crate::flows::connect::blocking;
use crate::flows::gobuild;
use crate::formats::image_archive::{hex_of, ArchiveError, HashingWriter, ImageArchive, Layer};
use crate::formats::oci_image;
use crate::msg;
use crate::plan::ship::{self as decide, How, Mode, NoDelta, ShipChoice, Store};
use crate::{CancellationToken, Error};
use futures_util::StreamExt;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

/// What went over the link, for `--json` and the app (`data` event `transfer`).
#[derive(Debug, Clone, Serialize)]
pub struct TransferReport {
    pub route: &'static str,
    /// `assemble` (pieces rebuilt by the server), `archive` (one archive), `registry`.
    pub mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<Store>,
    /// The image's layers and config, uncompressed.
    pub image_bytes: u64,
    /// What this deploy sent (pieces, compressed).
    pub sent_bytes: u64,
    /// What an earlier, cut transfer had already sent.
    pub resumed_bytes: u64,
    pub layers: Vec<LayerReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LayerReport {
    pub index: usize,
    pub diff_id: String,
    pub size: u64,
    pub how: &'static str,
    /// The piece's size (`full`, `delta`); 0 for a layer not sent.
    pub bytes: u64,
}

/// A file to upload, named by its sha256.
#[derive(Debug, Clone)]
struct Piece {
    name: String,
    path: PathBuf,
    size: u64,
}

/// The made pieces of a choice, by layer index; plus the config (assemble) or the archive.
struct Pieces {
    layers: BTreeMap<usize, Piece>,
    extra: Piece,
}

impl Pieces {
    fn all(&self) -> impl Iterator<Item = &Piece> {
        self.layers.values().chain([&self.extra])
    }
}

pub struct Target<'a> {
    pub app: &'a str,
    pub tag: &'a str,
    pub size: u64,
}

/// What can be learned and readied before the image exists (while it builds): what the server
/// holds, and this machine's copy of the app's release on the server, the likely base of the
/// deltas.
pub struct Prepared {
    spool: tempfile::TempDir,
    inv: decide::Inventory,
    /// Local exports of server images, by the server's image id.
    exported: BTreeMap<String, Option<ImageArchive>>,
}

pub async fn prepare(
    engine: Option<&Engine>,
    session: &Arc<Session>,
    server: &ServerInfo,
    app: &str,
) -> Result<Prepared, Error> {
    let spool = tempfile::Builder::new()
        .prefix("ferry-ship.")
        .tempdir()
        .map_err(ArchiveError::from)?;
    let inv = inventory(session, server, &cmds::cache_dir(app)).await?;
    let mut prepared = Prepared {
        spool,
        inv,
        exported: BTreeMap::new(),
    };
    // The Go builder's previous layers are in Ferry's layer store: nothing to export.
    if let (Some(engine), Some(previous)) = (engine, decide::latest_release(app, &prepared.inv)) {
        let previous = previous.clone();
        prepared.export_server_image(engine, &previous).await?;
    }
    Ok(prepared)
}

/// What the server holds and can do (`remote::ship::inventory`).
async fn inventory(
    session: &Arc<Session>,
    server: &ServerInfo,
    dir: &str,
) -> Result<decide::Inventory, Error> {
    let s = session.clone();
    let cmd = cmds::inventory(server.docker(), dir);
    let (out, cmd) = blocking(move || s.run(&cmd).map(|o| (o, cmd))).await?;
    if out.status != 0 {
        return Err(ServerError::Command {
            command: cmd.brief(),
            status: out.status,
            stderr: out.stderr.trim().to_string(),
        }
        .into());
    }
    Ok(decide::parse_inventory(&out.stdout))
}

impl Prepared {
    /// This machine's copy of the server's image `image` (by id, else by one of its tags),
    /// exported once.
    async fn export_server_image(
        &mut self,
        engine: &Engine,
        image: &decide::ServerImage,
    ) -> Result<Option<&ImageArchive>, Error> {
        if !self.exported.contains_key(&image.id) {
            let mut found = None;
            for reference in std::iter::once(&image.id).chain(&image.tags) {
                if engine.image(reference).await?.is_some() {
                    let dir = self
                        .spool
                        .path()
                        .join(format!("base-{}", self.exported.len()));
                    found = Some(export(engine, reference, &dir).await?);
                    break;
                }
            }
            self.exported.insert(image.id.clone(), found);
        }
        Ok(self.exported[&image.id].as_ref())
    }
}

/// Where the image to send is.
pub enum Source<'a> {
    /// In the local engine, as `Target::tag`.
    Engine(&'a Engine),
    /// Assembled by Ferry (the Go builder); its layers are in the layer store.
    Assembled(ImageArchive),
}

pub async fn send(
    source: Source<'_>,
    session: &Arc<Session>,
    server: &ServerInfo,
    target: Target<'_>,
    mut prepared: Prepared,
    cancel: &CancellationToken,
    events: &Events,
) -> Result<TransferReport, Error> {
    let Target { app, tag, size } = target;
    let timer = events.started(
        Step::Transfer,
        msg!("step-transfer", image = tag, size = human_bytes(size)),
    );
    let (engine, image) = match source {
        Source::Engine(engine) => (
            Some(engine),
            export(engine, tag, &prepared.spool.path().join("new")).await?,
        ),
        Source::Assembled(image) => (None, image),
    };
    let dir = cmds::cache_dir(app);
    let layers: Vec<(String, u64)> = image
        .layers
        .iter()
        .map(|l| (l.diff_id.clone(), l.size))
        .collect();
    let mut choice = decide::decide(app, &layers, &prepared.inv);
    say_store(&choice, events);
    let bases = local_bases(engine, &mut choice, &mut prepared, events).await?;
    let (spool, inv) = (prepared.spool.path().to_path_buf(), &prepared.inv);

    let image = Arc::new(image);
    let mut pieces = make_pieces(&image, &mut choice, &bases, tag, &spool).await?;
    say_layers(&choice, &pieces, events);
    let mut sent = upload_all(session, &dir, &pieces, inv, cancel, events).await?;
    let mut resumed = sent.resumed;

    // Each way out of a failed load is tried once.
    let (mut resent, mut whole) = (false, false);
    loop {
        let shipment = Shipment {
            dir: &dir,
            tag,
            choice: &choice,
            pieces: &pieces,
            image: &image,
            bases: &bases,
        };
        match load(session, server, shipment).await {
            Ok(()) => break,
            Err(LoadFailure::PieceBad(detail)) if !resent => {
                // A piece on the server was not what its name says (the assembler removed
                // it): send what is missing now, once.
                resent = true;
                events.warn(Step::Transfer, msg!("ship-piece-bad", detail = detail));
                let now = inventory(session, server, &dir).await?;
                // What was there complete before but is gone now had not really arrived.
                for p in pieces.all() {
                    let gone = now.pieces.get(&p.name) != Some(&p.size);
                    if gone && inv.pieces.get(&p.name) == Some(&p.size) {
                        resumed = resumed.saturating_sub(p.size);
                    }
                }
                let again = upload_all(session, &dir, &pieces, &now, cancel, events).await?;
                sent.sent += again.sent;
            }
            Err(LoadFailure::Rebuild(detail)) if !whole => {
                // The server could not rebuild a layer from its delta: send those whole, once.
                whole = true;
                events.warn(Step::Transfer, msg!("ship-delta-failed", detail = detail));
                for l in &mut choice.layers {
                    if matches!(l.how, How::Delta { .. }) {
                        l.how = How::Full;
                    }
                }
                pieces = make_pieces(&image, &mut choice, &bases, tag, &spool).await?;
                let again = upload_all(session, &dir, &pieces, inv, cancel, events).await?;
                sent.sent += again.sent;
                resumed += again.resumed;
            }
            Err(LoadFailure::Rebuild(detail) | LoadFailure::PieceBad(detail)) => {
                return Err(ServerError::Load { stderr: detail }.into())
            }
            Err(LoadFailure::Error(e)) => return Err(e),
        }
    }
    remove_pieces(session, &dir, &pieces, events).await;

    let report = report(&image, &choice, &pieces, sent.sent, resumed);
    events.data(Step::Transfer, "transfer", &report);
    events.finished_step(
        timer,
        msg!(
            "step-transfer-done",
            image = tag,
            sent = human_bytes(report.sent_bytes),
            what = summary(&report)
        ),
    );
    Ok(report)
}

/// `docker save` of `reference` from the local engine into the file `path` (`ferry build -o`).
pub async fn save(engine: &Engine, reference: &str, path: &Path) -> Result<(), Error> {
    let mut file = tokio::fs::File::create(path)
        .await
        .map_err(ArchiveError::from)?;
    let mut stream = engine.export(reference);
    while let Some(chunk) = stream.next().await {
        file.write_all(&chunk?).await.map_err(ArchiveError::from)?;
    }
    file.flush().await.map_err(ArchiveError::from)?;
    Ok(())
}

/// `docker save` of `reference` from the local engine, unpacked into `dir`.
async fn export(engine: &Engine, reference: &str, dir: &Path) -> Result<ImageArchive, Error> {
    std::fs::create_dir_all(dir).map_err(ArchiveError::from)?;
    let tar = dir.join("export.tar");
    save(engine, reference, &tar).await?;
    let spool = dir.join("layers");
    Ok(blocking(move || ImageArchive::unpack(&tar, &spool)).await?)
}

/// The base layers of the chosen deltas: from Ferry's layer store (what the Go builder made
/// before), else the local engine's copy of the server's image. A delta whose base this
/// machine does not have goes whole instead.
async fn local_bases(
    engine: Option<&Engine>,
    choice: &mut ShipChoice,
    prepared: &mut Prepared,
    events: &Events,
) -> Result<BTreeMap<String, Layer>, Error> {
    let mut out = BTreeMap::new();
    let count = choice.layers.len();
    for (i, layer) in choice.layers.iter_mut().enumerate() {
        let How::Delta { base } = &layer.how else {
            continue;
        };
        let stored = oci_image::stored_layer(&gobuild::store("layers"), &base.diff_id);
        let file = match (stored, engine) {
            (Some(layer), _) => Some(layer),
            (None, Some(engine)) => {
                let server_image = decide::ServerImage {
                    id: base.image.clone(),
                    tags: base.tags.clone(),
                    layers: Vec::new(),
                };
                prepared
                    .export_server_image(engine, &server_image)
                    .await?
                    .and_then(|img| img.layers.iter().find(|l| l.diff_id == base.diff_id))
                    .cloned()
            }
            (None, None) => None,
        };
        match file {
            Some(l) => {
                out.insert(base.diff_id.clone(), l);
            }
            None => {
                let name = base.tags.first().cloned().unwrap_or(base.image.clone());
                events.info(
                    Step::Transfer,
                    msg!(
                        "ship-base-not-local",
                        index = i + 1,
                        count = count,
                        base = name
                    ),
                );
                layer.how = How::Full;
            }
        }
    }
    Ok(out)
}

/// Makes the pieces the choice needs (CPU work, on a blocking thread). A delta that is not
/// clearly smaller than the whole layer becomes a whole layer.
async fn make_pieces(
    image: &Arc<ImageArchive>,
    choice: &mut ShipChoice,
    bases: &BTreeMap<String, Layer>,
    tag: &str,
    spool: &Path,
) -> Result<Pieces, Error> {
    let image = image.clone();
    let mut c = choice.clone();
    let bases = bases.clone();
    let tag = tag.to_string();
    let dir = spool.join("pieces");
    let (c, pieces) = blocking(move || -> Result<(ShipChoice, Pieces), ArchiveError> {
        std::fs::create_dir_all(&dir)?;
        let mut layers = BTreeMap::new();
        if matches!(c.mode, Mode::Archive) {
            let extra = piece_from(&dir, |w| image.write_load_archive(&tag, &c.in_archive(), w))?;
            return Ok((c, Pieces { layers, extra }));
        }
        for (i, l) in c.layers.iter_mut().enumerate() {
            let file = &image.layers[i];
            if let How::Delta { base } = &l.how {
                let old = std::fs::read(&bases[&base.diff_id].path)?;
                let new = std::fs::read(&file.path)?;
                let piece = piece_from(&dir, |w| {
                    qbsdiff::Bsdiff::new(&old, &new)
                        .compare(w)
                        .map(|_| ())
                        .map_err(ArchiveError::from)
                })?;
                if piece.size < file.size / 2 {
                    layers.insert(i, piece);
                    continue;
                }
                l.how = How::Full;
            }
            if l.how == How::Full {
                let piece = piece_from(&dir, |w| {
                    let mut gz = flate2::write::GzEncoder::new(w, flate2::Compression::default());
                    std::io::copy(&mut File::open(&file.path)?, &mut gz)?;
                    gz.finish()?;
                    Ok(())
                })?;
                layers.insert(i, piece);
            }
        }
        let extra = piece_from(&dir, |w| Ok(w.write_all(&image.config)?))?;
        Ok((c, Pieces { layers, extra }))
    })
    .await?;
    *choice = c;
    Ok(pieces)
}

/// Writes a piece with `write` and names it by its digest.
fn piece_from(
    dir: &Path,
    write: impl FnOnce(&mut HashingWriter<std::io::BufWriter<File>>) -> Result<(), ArchiveError>,
) -> Result<Piece, ArchiveError> {
    let tmp = dir.join("piece.tmp");
    let mut w = HashingWriter::new(std::io::BufWriter::new(File::create(&tmp)?));
    write(&mut w)?;
    let (digest, size) = w.finish()?;
    let name = hex_of(&digest).to_string();
    let path = dir.join(&name);
    std::fs::rename(&tmp, &path)?;
    Ok(Piece { name, path, size })
}

struct Uploaded {
    sent: u64,
    resumed: u64,
}

/// Uploads every piece that is not complete on the server yet, from where a cut transfer
/// stopped. Pieces of this app the server holds but this image does not use are removed.
async fn upload_all(
    session: &Arc<Session>,
    dir: &str,
    pieces: &Pieces,
    inv: &decide::Inventory,
    cancel: &CancellationToken,
    events: &Events,
) -> Result<Uploaded, Error> {
    let all: Vec<&Piece> = pieces.all().collect();
    let mut todo = Vec::new();
    let mut resumed = 0;
    for p in &all {
        if inv.pieces.get(&p.name) == Some(&p.size) {
            resumed += p.size;
            continue;
        }
        let offset = inv.parts.get(&p.name).copied().filter(|&n| n < p.size);
        resumed += offset.unwrap_or(0);
        todo.push(((*p).clone(), offset.unwrap_or(0)));
    }
    let ours = |name: &String| all.iter().find(|p| &p.name == name);
    let mut stale: Vec<String> = inv
        .pieces
        .keys()
        .filter(|n| ours(n).is_none())
        .cloned()
        .collect();
    for (name, arrived) in &inv.parts {
        if ours(name).is_none_or(|p| *arrived >= p.size) {
            stale.push(name.clone());
        }
    }
    if !stale.is_empty() {
        let cmd = cmds::remove_pieces(dir, &stale);
        let s = session.clone();
        blocking(move || s.run(&cmd)).await?;
    }
    let total: u64 = todo.iter().map(|(p, off)| p.size - off).sum();
    if resumed > 0 && total > 0 {
        events.info(
            Step::Transfer,
            msg!(
                "ship-resume",
                done = human_bytes(resumed),
                rest = human_bytes(total)
            ),
        );
    }
    let s = session.clone();
    let dir = dir.to_string();
    let ev = events.clone();
    let cancel = cancel.clone();
    let (sent, discarded) = blocking(move || -> Result<(u64, u64), Error> {
        let mut done = 0u64;
        // Bytes counted as arrived before that turned out not to be the piece's start.
        let mut discarded = 0u64;
        for (piece, offset) in todo {
            let mut offset = offset;
            for attempt in 0..2 {
                let mut file = File::open(&piece.path).map_err(ArchiveError::from)?;
                file.seek(SeekFrom::Start(offset))
                    .map_err(ArchiveError::from)?;
                let mut reader = CancellableReader {
                    inner: file,
                    cancel: cancel.clone(),
                };
                let cmd = cmds::upload(&dir, &piece.name, offset, piece.size);
                let base = done;
                let out = s.run_with_input(&cmd, &mut reader, &mut |n| {
                    ev.progress(Step::Transfer, base + n, Some(total))
                })?;
                if cancel.is_cancelled() {
                    return Err(Error::Cancelled);
                }
                match out.status {
                    0 => {
                        done += piece.size - offset;
                        break;
                    }
                    cmds::UPLOAD_CORRUPT | cmds::UPLOAD_OFFSET_MOVED if attempt == 0 => {
                        // What had arrived was not this piece's start: once more, from zero.
                        let rm = cmds::remove_pieces(&dir, std::slice::from_ref(&piece.name));
                        s.run(&rm)?;
                        discarded += offset;
                        offset = 0;
                    }
                    status => {
                        return Err(ServerError::Command {
                            command: cmd.brief(),
                            status,
                            stderr: out.stderr.trim().to_string(),
                        }
                        .into())
                    }
                }
            }
        }
        Ok((done, discarded))
    })
    .await?;
    Ok(Uploaded {
        sent,
        resumed: resumed - discarded,
    })
}

/// A file read for an upload that fails once the deploy is cancelled.
struct CancellableReader {
    inner: File,
    cancel: CancellationToken,
}

impl Read for CancellableReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.is_cancelled() {
            return Err(std::io::Error::other("the deploy was cancelled"));
        }
        self.inner.read(buf)
    }
}

enum LoadFailure {
    /// The server could not rebuild a layer from its delta (base gone, digest wrong).
    Rebuild(String),
    /// A piece on the server did not have the digest it is named by; the assembler removed it.
    PieceBad(String),
    Error(Error),
}

impl<E: Into<Error>> From<E> for LoadFailure {
    fn from(e: E) -> Self {
        LoadFailure::Error(e.into())
    }
}

/// Has the server rebuild, check and load the image (or load the archive).
/// What is to be loaded, and from what.
struct Shipment<'a> {
    dir: &'a str,
    tag: &'a str,
    choice: &'a ShipChoice,
    pieces: &'a Pieces,
    image: &'a ImageArchive,
    bases: &'a BTreeMap<String, Layer>,
}

async fn load(
    session: &Arc<Session>,
    server: &ServerInfo,
    shipment: Shipment<'_>,
) -> Result<(), LoadFailure> {
    let Shipment {
        dir,
        tag,
        choice,
        pieces,
        image,
        bases,
    } = shipment;
    let cmd = match &choice.mode {
        Mode::Archive => cmds::load_piece(server.docker(), dir, &pieces.extra.name),
        Mode::Assemble { python } => {
            let plan = cmds::AssemblePlan {
                docker: cmds::docker_argv(server.docker()),
                cache: dir.to_string(),
                tag: tag.to_string(),
                config: cmds::ConfigPiece {
                    piece: pieces.extra.name.clone(),
                    digest: image.config_digest.clone(),
                },
                layers: choice
                    .layers
                    .iter()
                    .enumerate()
                    .map(|(i, l)| cmds::AssembleLayer {
                        diff_id: l.diff_id.clone(),
                        how: how_name(&l.how),
                        piece: pieces.layers.get(&i).map(|p| p.name.clone()),
                        base: match &l.how {
                            How::Delta { base } => Some(base.diff_id.clone()),
                            _ => None,
                        },
                        base_size: match &l.how {
                            How::Delta { base } => bases.get(&base.diff_id).map(|b| b.size),
                            _ => None,
                        },
                    })
                    .collect(),
                save: choice.save_images(),
            };
            cmds::assemble(python, &plan)
        }
    };
    let s = session.clone();
    let c = cmd.clone();
    let out = blocking(move || s.run(&c)).await?;
    let stderr = out.stderr.trim().to_string();
    let assemble = matches!(choice.mode, Mode::Assemble { .. });
    match out.status {
        0 => Ok(()),
        // Whichever step met it (`docker save` of a base writes under the engine's data root
        // too): the user's fix is the same.
        _ if crate::diagnose::stderr_cause(&stderr) == Some(crate::diagnose::DISK_FULL) => {
            Err(ServerError::Load { stderr }.into())
        }
        cmds::ASSEMBLE_PIECE_BAD if assemble => Err(LoadFailure::PieceBad(stderr)),
        cmds::ASSEMBLE_BASE_MISSING
        | cmds::ASSEMBLE_DIGEST_MISMATCH
        | cmds::ASSEMBLE_SAVE_FAILED
            if assemble
                && choice
                    .layers
                    .iter()
                    .any(|l| matches!(l.how, How::Delta { .. })) =>
        {
            Err(LoadFailure::Rebuild(stderr))
        }
        cmds::ASSEMBLE_LOAD_FAILED => Err(ServerError::Load { stderr }.into()),
        _ if matches!(choice.mode, Mode::Archive) => Err(ServerError::Load { stderr }.into()),
        status => Err(ServerError::Command {
            command: cmd.brief(),
            status,
            stderr,
        }
        .into()),
    }
}

/// Removes the pieces once the image is loaded; a failure only leaves them for the day-old
/// sweep of the next deploy.
async fn remove_pieces(session: &Arc<Session>, dir: &str, pieces: &Pieces, events: &Events) {
    let names: Vec<String> = pieces.all().map(|p| p.name.clone()).collect();
    let cmd = cmds::remove_pieces(dir, &names);
    let s = session.clone();
    if let Err(e) = blocking(move || s.run(&cmd)).await {
        events.warn(
            Step::Transfer,
            msg!("ship-cleanup-failed", detail = e.to_string()),
        );
    }
}

fn how_name(how: &How) -> &'static str {
    match how {
        How::Have => "have",
        How::Extract { .. } => "extract",
        How::Full => "full",
        How::Delta { .. } => "delta",
    }
}

fn say_store(choice: &ShipChoice, events: &Events) {
    if choice.store == Store::Containerd {
        events.info(Step::Transfer, msg!("ship-containerd-store"));
    }
    if choice.no_delta == Some(NoDelta::NoPython) {
        events.warn(Step::Transfer, msg!("ship-no-python"));
    }
}

/// One line per layer: what goes, and how big.
fn say_layers(choice: &ShipChoice, pieces: &Pieces, events: &Events) {
    let count = choice.layers.len();
    for (i, l) in choice.layers.iter().enumerate() {
        let size = human_bytes(l.size);
        let sent = pieces.layers.get(&i).map(|p| human_bytes(p.size));
        let m = match (&l.how, sent) {
            (How::Have, _) => msg!("ship-layer-have", index = i + 1, count = count, size = size),
            (How::Extract { .. }, _) => {
                msg!(
                    "ship-layer-extract",
                    index = i + 1,
                    count = count,
                    size = size
                )
            }
            (How::Delta { base }, Some(sent)) => msg!(
                "ship-layer-delta",
                index = i + 1,
                count = count,
                size = size,
                sent = sent,
                base = base.tags.first().cloned().unwrap_or(short_id(&base.image))
            ),
            (_, Some(sent)) => msg!(
                "ship-layer-full",
                index = i + 1,
                count = count,
                size = size,
                sent = sent
            ),
            // In the archive, whole.
            (_, None) => msg!(
                "ship-layer-archive",
                index = i + 1,
                count = count,
                size = size
            ),
        };
        events.say(Step::Transfer, m);
    }
}

fn short_id(id: &str) -> String {
    hex_of(id).chars().take(12).collect()
}

fn report(
    image: &ImageArchive,
    choice: &ShipChoice,
    pieces: &Pieces,
    sent: u64,
    resumed: u64,
) -> TransferReport {
    TransferReport {
        route: "ssh",
        mode: match choice.mode {
            Mode::Assemble { .. } => "assemble",
            Mode::Archive => "archive",
        },
        store: Some(choice.store),
        image_bytes: image.size(),
        sent_bytes: sent,
        resumed_bytes: resumed,
        layers: choice
            .layers
            .iter()
            .enumerate()
            .map(|(i, l)| LayerReport {
                index: i + 1,
                diff_id: l.diff_id.clone(),
                size: l.size,
                how: how_name(&l.how),
                bytes: pieces.layers.get(&i).map_or(0, |p| p.size),
            })
            .collect(),
    }
}

/// What a push through the registry sent, in the same terms (sizes as the engine counts them:
/// uncompressed).
pub fn registry_report(
    push: &crate::adapters::docker::PushSummary,
    image_bytes: u64,
) -> TransferReport {
    TransferReport {
        route: "registry",
        mode: "registry",
        store: None,
        image_bytes,
        sent_bytes: push.sent_bytes(),
        resumed_bytes: 0,
        layers: push
            .layers
            .iter()
            .enumerate()
            .map(|(i, (size, pushed))| LayerReport {
                index: i + 1,
                diff_id: String::new(),
                size: *size,
                how: if *pushed { "pushed" } else { "have" },
                bytes: if *pushed { *size } else { 0 },
            })
            .collect(),
    }
}

/// What was sent, in words: "delta 31 KB of a 7.5 MB image, layer 3/3".
pub fn summary(report: &TransferReport) -> Msg {
    let count = report.layers.len();
    let sent: Vec<&LayerReport> = report
        .layers
        .iter()
        .filter(|l| l.how == "delta" || l.how == "full")
        .collect();
    let image = human_bytes(report.image_bytes);
    let bytes = human_bytes(report.sent_bytes + report.resumed_bytes);
    if report.mode == "registry" {
        let pushed = report.layers.iter().filter(|l| l.how == "pushed").count();
        return msg!(
            "ship-what-registry",
            bytes = bytes,
            image = image,
            layers = pushed,
            count = count
        );
    }
    match (report.mode, sent.as_slice()) {
        ("archive", _) => msg!("ship-what-archive", bytes = bytes, image = image),
        (_, []) => msg!("ship-what-nothing", image = image),
        (_, [one]) if one.how == "delta" => msg!(
            "ship-what-delta",
            bytes = bytes,
            image = image,
            index = one.index,
            count = count
        ),
        (_, layers) => msg!(
            "ship-what-layers",
            bytes = bytes,
            image = image,
            layers = layers.len(),
            deltas = layers.iter().filter(|l| l.how == "delta").count(),
            count = count
        ),
    }
}

#[cfg(test)]
mod tests;
