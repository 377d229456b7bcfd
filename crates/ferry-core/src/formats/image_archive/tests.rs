use super::*;

fn layer_tar(file: &str, body: &[u8]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_ustar();
    h.set_size(body.len() as u64);
    h.set_mode(0o755);
    h.set_cksum();
    b.append_data(&mut h, file, body).unwrap();
    b.into_inner().unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A `docker save` archive with `layers` stored under `names` (as given), plus its config.
fn save_archive(layers: &[Vec<u8>], stored: &[Vec<u8>], names: &[String]) -> (Vec<u8>, String) {
    save_archive_naming(layers, stored, names, names)
}

/// The same, with the manifest naming the layers `listed`.
fn save_archive_naming(
    layers: &[Vec<u8>],
    stored: &[Vec<u8>],
    names: &[String],
    listed: &[String],
) -> (Vec<u8>, String) {
    let diff_ids: Vec<String> = layers.iter().map(|l| sha256_prefixed(l)).collect();
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    }))
    .unwrap();
    let config_name = format!("{}.json", hex_of(&sha256_prefixed(&config)));
    let manifest = serde_json::to_vec(&serde_json::json!([{
        "Config": config_name, "RepoTags": ["app:1"], "Layers": listed,
    }]))
    .unwrap();
    let mut b = tar::Builder::new(Vec::new());
    for (data, name) in stored.iter().zip(names) {
        append(&mut b, name, data.len() as u64, &data[..]).unwrap();
    }
    append(&mut b, &config_name, config.len() as u64, &config[..]).unwrap();
    append(
        &mut b,
        "manifest.json",
        manifest.len() as u64,
        &manifest[..],
    )
    .unwrap();
    (b.into_inner().unwrap(), sha256_prefixed(&config))
}

fn unpack_bytes(archive: &[u8]) -> (tempfile::TempDir, Result<ImageArchive, ArchiveError>) {
    let dir = tempfile::tempdir().unwrap();
    let tar = dir.path().join("export.tar");
    std::fs::write(&tar, archive).unwrap();
    let spool = dir.path().join("spool");
    let image = ImageArchive::unpack(&tar, &spool);
    (dir, image)
}

#[test]
fn a_legacy_archive_unpacks_into_checked_layers_in_order() {
    let layers = vec![layer_tar("bin/sh", b"base"), layer_tar("app", b"v1")];
    let names: Vec<String> = vec!["aaa/layer.tar".into(), "bbb/layer.tar".into()];
    let (archive, config_digest) = save_archive(&layers, &layers, &names);
    let (_dir, image) = unpack_bytes(&archive);
    let image = image.unwrap();
    assert_eq!(image.config_digest, config_digest);
    assert_eq!(
        image.diff_ids(),
        vec![sha256_prefixed(&layers[0]), sha256_prefixed(&layers[1])]
    );
    assert_eq!(std::fs::read(&image.layers[1].path).unwrap(), layers[1]);
    assert_eq!(image.layers[1].size, layers[1].len() as u64);
}

#[test]
fn an_oci_archive_with_gzipped_blobs_unpacks_to_the_plain_layers() {
    let layers = vec![layer_tar("bin/sh", b"base")];
    let stored = vec![gzip(&layers[0])];
    let names = vec![format!(
        "blobs/sha256/{}",
        hex_of(&sha256_prefixed(&stored[0]))
    )];
    let (archive, _) = save_archive(&layers, &stored, &names);
    let (_dir, image) = unpack_bytes(&archive);
    let image = image.unwrap();
    assert_eq!(std::fs::read(&image.layers[0].path).unwrap(), layers[0]);
}

#[test]
fn a_layer_that_does_not_match_its_diff_id_is_refused() {
    let layers = vec![layer_tar("app", b"v1")];
    let stored = vec![layer_tar("app", b"v2")];
    let (archive, _) = save_archive(&layers, &stored, &["x/layer.tar".into()]);
    let (_dir, image) = unpack_bytes(&archive);
    let err = image.unwrap_err().to_string();
    assert!(err.contains("x/layer.tar"), "{err}");
}

#[test]
fn a_path_outside_the_archive_is_refused() {
    let layers = vec![layer_tar("app", b"v1")];
    let (archive, _) = save_archive_naming(
        &layers,
        &layers,
        &["x/layer.tar".into()],
        &["../../etc/passwd".into()],
    );
    let (_dir, image) = unpack_bytes(&archive);
    assert!(image.unwrap_err().to_string().contains("../../etc/passwd"));
}

#[test]
fn the_load_archive_names_every_layer_and_carries_only_the_included_ones() {
    let layers = vec![layer_tar("bin/sh", b"base"), layer_tar("app", b"v1")];
    let names: Vec<String> = vec!["a/layer.tar".into(), "b/layer.tar".into()];
    let (archive, _) = save_archive(&layers, &layers, &names);
    let (_dir, image) = unpack_bytes(&archive);
    let image = image.unwrap();
    let mut out = Vec::new();
    image
        .write_load_archive("app:2", &[false, true], &mut out)
        .unwrap();
    let mut plain = Vec::new();
    MultiGzDecoder::new(&out[..])
        .read_to_end(&mut plain)
        .unwrap();
    let mut files = std::collections::BTreeMap::new();
    for e in tar::Archive::new(&plain[..]).entries().unwrap() {
        let mut e = e.unwrap();
        let mut body = Vec::new();
        e.read_to_end(&mut body).unwrap();
        files.insert(e.path().unwrap().display().to_string(), body);
    }
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let first = hex_of(&image.layers[0].diff_id).to_string();
    let second = hex_of(&image.layers[1].diff_id).to_string();
    assert_eq!(
        manifest,
        serde_json::json!([{
            "Config": format!("{}.json", hex_of(&image.config_digest)),
            "RepoTags": ["app:2"],
            "Layers": [format!("{first}/layer.tar"), format!("{second}/layer.tar")],
        }])
    );
    assert!(!files.contains_key(&format!("{first}/layer.tar")));
    assert_eq!(files[&format!("{second}/layer.tar")], layers[1]);
    assert_eq!(
        files[&format!("{}.json", hex_of(&image.config_digest))],
        image.config
    );
}

#[test]
fn chain_ids_follow_the_image_spec() {
    let a = "sha256:aaaa".to_string();
    let b = "sha256:bbbb".to_string();
    let chain = chain_ids(&[a.clone(), b.clone()]);
    assert_eq!(chain[0], a);
    assert_eq!(chain[1], sha256_prefixed(b"sha256:aaaa sha256:bbbb"));
    assert_eq!(
        chain_ids(std::slice::from_ref(&b))[0],
        b,
        "the chain depends on the parents"
    );
}
