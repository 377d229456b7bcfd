use super::*;
use std::collections::BTreeMap;

fn spec() -> ImageSpec {
    ImageSpec {
        user: crate::plan::NONROOT.to_string(),
        entrypoint: vec!["/app".to_string()],
        exposed_ports: vec![8080],
        env: BTreeMap::new(),
        labels: BTreeMap::from([("ferry.app".to_string(), "shop".to_string())]),
    }
}

fn made() -> Made<'static> {
    Made {
        binary: "go build . (go1.19.8)",
    }
}

fn entries(tar_path: &Path) -> Vec<(String, u32, u64, u64, Vec<u8>)> {
    let mut archive = tar::Archive::new(File::open(tar_path).unwrap());
    archive
        .entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let h = e.header().clone();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (
                e.path().unwrap().to_string_lossy().into_owned(),
                h.mode().unwrap(),
                h.uid().unwrap(),
                h.mtime().unwrap(),
                data,
            )
        })
        .collect()
}

#[test]
fn the_same_binary_gives_the_same_layers_config_and_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("app");
    std::fs::write(&bin, b"\x7fELF pretend binary").unwrap();
    let one = assemble(&bin, &spec(), "arm64", made(), &dir.path().join("a")).unwrap();
    let two = assemble(&bin, &spec(), "arm64", made(), &dir.path().join("b")).unwrap();
    assert_eq!(one.archive.config_digest, two.archive.config_digest);
    assert_eq!(one.archive.diff_ids(), two.archive.diff_ids());
    let oci1 = one.oci(&dir.path().join("o1")).unwrap();
    let oci2 = two.oci(&dir.path().join("o2")).unwrap();
    assert_eq!(oci1.manifest_digest, oci2.manifest_digest);
    assert_eq!(
        std::fs::read(&oci1.layers[1].path).unwrap(),
        std::fs::read(&oci2.layers[1].path).unwrap()
    );

    // Another binary: only the binary's layer changes.
    std::fs::write(&bin, b"\x7fELF another binary").unwrap();
    let three = assemble(&bin, &spec(), "arm64", made(), &dir.path().join("a")).unwrap();
    assert_eq!(
        three.archive.layers[0].diff_id,
        one.archive.layers[0].diff_id
    );
    assert_ne!(
        three.archive.layers[1].diff_id,
        one.archive.layers[1].diff_id
    );
    assert_ne!(three.archive.config_digest, one.archive.config_digest);
}

#[test]
fn the_base_layer_has_ca_roots_a_nonroot_user_and_tmp() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("app");
    std::fs::write(&bin, b"binary").unwrap();
    let img = assemble(&bin, &spec(), "amd64", made(), dir.path()).unwrap();
    let base = entries(&img.archive.layers[0].path);
    let names: Vec<&str> = base.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "etc/",
            "etc/group",
            "etc/nsswitch.conf",
            "etc/passwd",
            "etc/ssl/",
            "etc/ssl/certs/",
            "etc/ssl/certs/ca-certificates.crt",
            "home/",
            "home/nonroot/",
            "root/",
            "tmp/",
        ]
    );
    assert!(base.iter().all(|e| e.3 == 0), "every time is the epoch");
    let passwd = String::from_utf8(base[3].4.clone()).unwrap();
    assert!(passwd.contains("nonroot:x:65532:65532:"), "{passwd}");
    let home = &base[8];
    assert_eq!((home.1, home.2), (0o700, 65532));
    assert_eq!(base[10].1, 0o1777);
    let bundle = String::from_utf8(base[6].4.clone()).unwrap();
    let count = bundle.matches("-----BEGIN CERTIFICATE-----").count();
    assert!(count > 100, "{count} roots");
    assert_eq!(count, webpki_root_certs::TLS_SERVER_ROOT_CERTS.len());

    let app = entries(&img.archive.layers[1].path);
    assert_eq!(app.len(), 1);
    assert_eq!((app[0].0.as_str(), app[0].1, app[0].2), ("app", 0o755, 0));
    assert_eq!(app[0].4, b"binary");
}

#[test]
fn the_config_names_the_platform_user_entrypoint_ports_and_layers() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("app");
    std::fs::write(&bin, b"binary").unwrap();
    let img = assemble(&bin, &spec(), "arm64", made(), dir.path()).unwrap();
    let config: serde_json::Value = serde_json::from_slice(&img.archive.config).unwrap();
    assert_eq!(config["architecture"], "arm64");
    assert_eq!(config["os"], "linux");
    assert_eq!(config["config"]["User"], "65532:65532");
    assert_eq!(config["config"]["Entrypoint"], json!(["/app"]));
    assert_eq!(config["config"]["ExposedPorts"], json!({"8080/tcp": {}}));
    assert_eq!(config["config"]["Labels"]["ferry.app"], "shop");
    assert_eq!(
        config["rootfs"]["diff_ids"],
        json!(img.archive.diff_ids()),
        "the config's diff ids are the layers' sha256"
    );
    assert_eq!(
        img.archive.layers[1].diff_id,
        sha256_prefixed(&std::fs::read(&img.archive.layers[1].path).unwrap())
    );
}

#[test]
fn the_oci_archive_is_an_image_layout_docker_load_also_reads() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("app");
    std::fs::write(&bin, b"binary").unwrap();
    let img = assemble(&bin, &spec(), "amd64", made(), &dir.path().join("s")).unwrap();
    let oci = img.oci(&dir.path().join("blobs")).unwrap();
    let out = dir.path().join("image.tar");
    write_oci_archive(&oci, "shop:1", File::create(&out).unwrap()).unwrap();
    let all = entries(&out);
    let get = |name: &str| -> serde_json::Value {
        let e = all
            .iter()
            .find(|e| e.0 == name)
            .unwrap_or_else(|| panic!("{name}"));
        serde_json::from_slice(&e.4).unwrap()
    };
    assert_eq!(get("oci-layout")["imageLayoutVersion"], "1.0.0");
    let index = get("index.json");
    assert_eq!(index["manifests"][0]["digest"], oci.manifest_digest);
    assert_eq!(
        index["manifests"][0]["annotations"]["io.containerd.image.name"],
        "shop:1"
    );
    let docker = get("manifest.json");
    assert_eq!(docker[0]["RepoTags"], json!(["shop:1"]));
    let manifest = get(&format!("blobs/sha256/{}", hex_of(&oci.manifest_digest)));
    assert_eq!(manifest["config"]["digest"], oci.config_digest);
    for (i, layer) in oci.layers.iter().enumerate() {
        assert_eq!(manifest["layers"][i]["digest"], layer.digest);
        let blob = all
            .iter()
            .find(|e| e.0 == format!("blobs/sha256/{}", hex_of(&layer.digest)))
            .unwrap();
        assert_eq!(sha256_prefixed(&blob.4), layer.digest);
        // gunzipped, it is the layer the config names.
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&blob.4[..])
            .read_to_end(&mut plain)
            .unwrap();
        assert_eq!(sha256_prefixed(&plain), img.archive.layers[i].diff_id);
    }
}

#[test]
fn elf_headers_tell_the_architecture() {
    let mut amd64 = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
    amd64.extend([0u8; 10]);
    amd64.extend(0x3eu16.to_le_bytes());
    assert_eq!(elf_machine(&mut &amd64[..]), Some("amd64"));
    let mut arm = amd64.clone();
    arm[18..20].copy_from_slice(&0xb7u16.to_le_bytes());
    assert_eq!(elf_machine(&mut &arm[..]), Some("arm64"));
    assert_eq!(elf_machine(&mut &b"#!/bin/sh\n echo hi there"[..]), None);
}
