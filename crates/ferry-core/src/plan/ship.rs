//! How an image travels over SSH, layer by layer, decided from the new image's layers and what
//! the server holds (its inventory). Pure: the ship flow executes the choice.
//!
//! A layer the server's engine already has (by chain id, in the classic image store) is not
//! sent. A changed layer goes as a bsdiff delta against the layer at the same place in an image
//! the server has (preferably the app's previous release), which the server rebuilds and checks
//! against the layer's diff id; otherwise whole, gzip'd. Deltas need Python on the server (the
//! assembler); without it the image goes as one gzip'd archive of the missing layers.

use crate::formats::image_archive::chain_ids;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Layers bigger than this go whole: the server's assembler holds a layer and its base in
/// memory while it patches (and this machine a suffix array of the base while it diffs).
pub const MAX_DELTA_LAYER: u64 = 128 << 20;

/// What the server holds and can do, from `remote::ship::inventory`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    pub python: Option<Python>,
    pub store: Store,
    pub images: Vec<ServerImage>,
    /// Complete pieces in the app's piece directory: name (sha256) → size.
    pub pieces: BTreeMap<String, u64>,
    /// Partial pieces (a transfer that was cut): name → bytes that arrived.
    pub parts: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Python {
    pub path: String,
    pub version: String,
}

/// The engine's image store. The containerd one (Docker Engine 29+ by default) keeps layers as
/// content blobs and wants every layer in a loaded archive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Store {
    #[default]
    Classic,
    Containerd,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerImage {
    pub id: String,
    pub tags: Vec<String>,
    pub layers: Vec<String>,
}

/// Reads the inventory script's output; lines it does not know are ignored.
pub fn parse_inventory(text: &str) -> Inventory {
    let mut inv = Inventory::default();
    for line in text.lines() {
        let (kind, rest) = line.split_once(' ').unwrap_or((line, ""));
        match kind {
            "python" => {
                if let Some((path, version)) = rest.rsplit_once(' ') {
                    if python_usable(version) {
                        inv.python = Some(Python {
                            path: path.to_string(),
                            version: version.to_string(),
                        });
                    }
                }
            }
            "store" if rest.contains("io.containerd.snapshotter") => inv.store = Store::Containerd,
            "image" => {
                let mut fields = rest.splitn(3, '|');
                let (Some(id), Some(tags), Some(layers)) =
                    (fields.next(), fields.next(), fields.next())
                else {
                    continue;
                };
                inv.images.push(ServerImage {
                    id: id.to_string(),
                    tags: tags
                        .split(',')
                        .filter(|t| !t.is_empty() && *t != "<none>:<none>")
                        .map(str::to_string)
                        .collect(),
                    layers: layers.split_whitespace().map(str::to_string).collect(),
                });
            }
            "piece" | "part" => {
                let Some((name, size)) = rest.split_once(' ') else {
                    continue;
                };
                let Ok(size) = size.trim().parse::<u64>() else {
                    continue;
                };
                if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
                    let map = if kind == "piece" {
                        &mut inv.pieces
                    } else {
                        &mut inv.parts
                    };
                    map.insert(name.to_string(), size);
                }
            }
            _ => {}
        }
    }
    inv
}

/// Python 2.7, or 3.x: what the assembler is written for.
fn python_usable(version: &str) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    match (parts.next(), parts.next()) {
        (Some(2), Some(minor)) => minor >= 7,
        (Some(major), _) => major >= 3,
        _ => false,
    }
}

/// How the server gets the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum Mode {
    /// Pieces, then the server's Python rebuilds, checks and loads.
    Assemble { python: String },
    /// One gzip'd `docker load` archive (no usable Python on the server).
    Archive,
}

/// What happens to one layer of the new image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "how")]
pub enum How {
    /// The server's engine has it: not sent, not in the archive.
    Have,
    /// The server has it but its engine wants it in the archive: copied out of `image` there.
    Extract { image: String },
    /// Sent whole, gzip'd.
    Full,
    /// Sent as a delta against `base`, which the server has.
    Delta { base: Base },
}

/// The layer a delta is made against: layer `index` of the server's image `image`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Base {
    pub image: String,
    pub tags: Vec<String>,
    pub index: usize,
    pub diff_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerChoice {
    pub diff_id: String,
    pub size: u64,
    #[serde(flatten)]
    pub how: How,
}

/// Why changed layers go whole although deltas would be smaller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoDelta {
    /// The server has no Python 2.7 or 3.
    NoPython,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShipChoice {
    #[serde(flatten)]
    pub mode: Mode,
    pub store: Store,
    pub layers: Vec<LayerChoice>,
    pub no_delta: Option<NoDelta>,
}

impl ShipChoice {
    /// The server's images to `docker save` for the layers it rebuilds from its own.
    pub fn save_images(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for l in &self.layers {
            let image = match &l.how {
                How::Extract { image } => image,
                How::Delta { base } => &base.image,
                _ => continue,
            };
            if !out.contains(image) {
                out.push(image.clone());
            }
        }
        out
    }

    /// The layers `docker load` needs in the archive (all but those the engine has).
    pub fn in_archive(&self) -> Vec<bool> {
        self.layers.iter().map(|l| l.how != How::Have).collect()
    }
}

/// The choice for an image with `layers` (diff id and size, in order) of app `app`.
pub fn decide(app: &str, layers: &[(String, u64)], inv: &Inventory) -> ShipChoice {
    let diff_ids: Vec<String> = layers.iter().map(|(d, _)| d.clone()).collect();
    let new_chains = chain_ids(&diff_ids);
    let server_chains: BTreeSet<String> = inv
        .images
        .iter()
        .flat_map(|i| chain_ids(&i.layers))
        .collect();
    let mode = match &inv.python {
        Some(p) => Mode::Assemble {
            python: p.path.clone(),
        },
        None => Mode::Archive,
    };
    let assemble = matches!(mode, Mode::Assemble { .. });
    let choices = layers
        .iter()
        .enumerate()
        .map(|(i, (diff_id, size))| {
            let how = match inv.store {
                Store::Classic if server_chains.contains(&new_chains[i]) => How::Have,
                Store::Containerd => match image_with_layer(inv, diff_id) {
                    Some(image) if assemble => How::Extract { image },
                    _ => changed(app, &new_chains, i, *size, inv, assemble),
                },
                Store::Classic => changed(app, &new_chains, i, *size, inv, assemble),
            };
            LayerChoice {
                diff_id: diff_id.clone(),
                size: *size,
                how,
            }
        })
        .collect::<Vec<_>>();
    let any_sent = choices.iter().any(|c| c.how == How::Full);
    ShipChoice {
        no_delta: (!assemble && any_sent).then_some(NoDelta::NoPython),
        mode,
        store: inv.store,
        layers: choices,
    }
}

/// A layer the server lacks: a delta when it can rebuild one, else whole.
fn changed(
    app: &str,
    new_chains: &[String],
    i: usize,
    size: u64,
    inv: &Inventory,
    assemble: bool,
) -> How {
    if !assemble || size > MAX_DELTA_LAYER {
        return How::Full;
    }
    match best_base(app, new_chains, i, inv) {
        Some(base) => How::Delta { base },
        None => How::Full,
    }
}

/// The server's image whose layer `i` the new layer `i` most likely changed: one with the same
/// layers below it first, then one of this app's (newest tag first).
fn best_base(app: &str, new_chains: &[String], i: usize, inv: &Inventory) -> Option<Base> {
    let app_prefix = format!("{app}:");
    inv.images
        .iter()
        .filter(|img| img.layers.len() > i)
        .map(|img| {
            let same_parents =
                i == 0 || chain_ids(&img.layers[..i]).last() == new_chains.get(i - 1);
            let app_tag = img
                .tags
                .iter()
                .filter(|t| t.starts_with(&app_prefix) || t.contains(&format!("/{app}:")))
                .max()
                .cloned();
            ((same_parents, app_tag.is_some(), app_tag), img)
        })
        .max_by(|a, b| a.0.cmp(&b.0))
        // A first layer has no parents to compare: only the app's own count.
        .filter(|((same_parents, is_app, _), _)| *is_app || (*same_parents && i > 0))
        .map(|(_, img)| Base {
            image: img.id.clone(),
            tags: img.tags.clone(),
            index: i,
            diff_id: img.layers[i].clone(),
        })
}

/// The app's newest release on the server: the image with the greatest `app:VERSION` tag
/// (versions sort by time), or `.../app:VERSION` through a registry.
pub fn latest_release<'a>(app: &str, inv: &'a Inventory) -> Option<&'a ServerImage> {
    inv.images
        .iter()
        .filter_map(|img| app_tag(app, img).map(|t| (t, img)))
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, img)| img)
}

fn app_tag(app: &str, img: &ServerImage) -> Option<String> {
    let prefix = format!("{app}:");
    let through_registry = format!("/{app}:");
    img.tags
        .iter()
        .filter(|t| t.starts_with(&prefix) || t.contains(&through_registry))
        .map(|t| t.rsplit(':').next().unwrap_or(t).to_string())
        .max()
}

fn image_with_layer(inv: &Inventory, diff_id: &str) -> Option<String> {
    inv.images
        .iter()
        .find(|img| img.layers.iter().any(|l| l == diff_id))
        .map(|img| img.id.clone())
}

#[cfg(test)]
mod tests;
