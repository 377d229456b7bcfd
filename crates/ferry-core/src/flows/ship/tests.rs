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
