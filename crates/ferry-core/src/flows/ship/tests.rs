use super::*;
use crate::catalog::Lang;

fn layer(index: usize, how: &'static str, bytes: u64) -> LayerReport {
    LayerReport {
        index,
        diff_id: format!("sha256:{index}"),
        size: 1 << 20,
        how,
        bytes,
    }
}

fn report(mode: &'static str, layers: Vec<LayerReport>, sent: u64) -> TransferReport {
    TransferReport {
        route: "ssh",
        mode,
        store: Some(Store::Classic),
        image_bytes: 7_864_320,
        sent_bytes: sent,
        resumed_bytes: 0,
        layers,
    }
}

#[test]
fn the_summary_says_what_went() {
    let delta = report(
        "assemble",
        vec![
            layer(1, "have", 0),
            layer(2, "have", 0),
            layer(3, "delta", 31 << 10),
        ],
        31 << 10,
    );
    assert_eq!(
        summary(&delta).render(Lang::En),
        "delta 31.0 KB of a 7.5 MB image, layer 3/3"
    );
    let two = report(
        "assemble",
        vec![layer(1, "full", 900), layer(2, "delta", 100)],
        1000,
    );
    assert_eq!(
        summary(&two).render(Lang::En),
        "1000 B for a 7.5 MB image: 2 of 2 layers, 1 as deltas"
    );
    let nothing = report("assemble", vec![layer(1, "have", 0)], 0);
    assert_eq!(
        summary(&nothing).render(Lang::En),
        "nothing: the server had every layer of the 7.5 MB image"
    );
    let archive = report("archive", vec![layer(1, "full", 0)], 2048);
    assert_eq!(
        summary(&archive).render(Lang::En),
        "2.0 KB compressed archive of the layers the server lacked (7.5 MB image)"
    );
}

#[test]
fn the_summary_reads_in_chinese_too() {
    let delta = report(
        "assemble",
        vec![layer(1, "have", 0), layer(2, "delta", 31 << 10)],
        31 << 10,
    );
    assert_eq!(
        summary(&delta).render(Lang::Zh),
        "增量 31.0 KB，镜像 7.5 MB，第 2/2 层"
    );
}

#[test]
fn a_push_is_reported_in_the_same_terms() {
    let push = crate::adapters::docker::PushSummary {
        layers: vec![(5 << 20, true), (2 << 20, false)],
    };
    let r = registry_report(&push, 7 << 20);
    assert_eq!((r.route, r.sent_bytes), ("registry", 5 << 20));
    assert_eq!(r.layers[1].how, "have");
    assert_eq!(
        summary(&r).render(Lang::En),
        "5.0 MB for a 7.0 MB image: 1 of 2 layers pushed, the others already in the registry"
    );
}

/// The server's assembler (run here by this machine's Python) rebuilds exactly what qbsdiff
/// diffed, also where the change moves everything after it.
#[test]
fn the_assembler_applies_the_deltas_this_side_makes() {
    let old: Vec<u8> = (0..300_000u32)
        .flat_map(|i| (i * 7919).to_le_bytes())
        .collect();
    let mut new = old.clone();
    new.splice(1000..1000, b"a new line of code".iter().copied());
    for b in new.iter_mut().skip(50_000).step_by(4096) {
        *b = b.wrapping_add(3);
    }
    let mut patch = Vec::new();
    qbsdiff::Bsdiff::new(&old, &new)
        .compare(&mut patch)
        .unwrap();
    assert!(patch.len() < new.len() / 20, "{} bytes", patch.len());
    let dir = tempfile::tempdir().unwrap();
    for (name, data) in [("old", &old), ("new", &new), ("patch", &patch)] {
        std::fs::write(dir.path().join(name), data).unwrap();
    }
    let harness = format!(
        "{}\nimport sys\nd = sys.argv[1]\nold = read_all(d + '/old')\nout = b''.join(bspatch(old, read_all(d + '/patch')))\nsys.exit(0 if out == read_all(d + '/new') else 3)\n",
        cmds::ASSEMBLE_PY.replace("if __name__ == \"__main__\":", "if False:")
    );
    let status = std::process::Command::new("python3")
        .args(["-c", &harness])
        .arg(dir.path())
        .status()
        .expect("python3 runs here (Debian has it; the assembler targets it)");
    assert!(status.success(), "{status}");
}

#[test]
fn messages_name_ferrys_scripts_without_their_text() {
    let inventory = cmds::inventory(
        crate::adapters::remote::DockerCli::default(),
        ".ferry/cache/a b",
    );
    assert_eq!(inventory.brief(), "sh -c … plain '.ferry/cache/a b'");
    let docker = crate::adapters::remote::DockerCli::default();
    assert_eq!(
        cmds::load_piece(docker, ".ferry/cache/a", "ff").brief(),
        "docker load --input .ferry/cache/a/ff"
    );
}
