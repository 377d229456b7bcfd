use super::*;

fn d(s: &str) -> String {
    format!("sha256:{s}")
}

fn layers(ids: &[&str]) -> Vec<(String, u64)> {
    ids.iter().map(|s| (d(s), 1000)).collect()
}

fn image(id: &str, tags: &[&str], ids: &[&str]) -> ServerImage {
    ServerImage {
        id: d(id),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        layers: ids.iter().map(|s| d(s)).collect(),
    }
}

fn python() -> Option<Python> {
    Some(Python {
        path: "python3".into(),
        version: "3.9".into(),
    })
}

#[test]
fn the_inventory_is_read_line_by_line() {
    let hex = "a".repeat(64);
    let text = format!(
        "python /usr/libexec/platform-python 3.6\n\
         store overlay2 [[\"Backing Filesystem\",\"xfs\"]]\n\
         image sha256:1|hello:1,hello:latest|sha256:a sha256:b \n\
         image sha256:2|<none>:<none>|sha256:a \n\
         piece {hex} 2048\n\
         part {hex} 10\n\
         piece not-a-digest 5\n\
         noise\n"
    );
    let inv = parse_inventory(&text);
    assert_eq!(
        inv.python,
        Some(Python {
            path: "/usr/libexec/platform-python".into(),
            version: "3.6".into()
        })
    );
    assert_eq!(inv.store, Store::Classic);
    assert_eq!(
        inv.images,
        vec![
            image("1", &["hello:1", "hello:latest"], &["a", "b"]),
            image("2", &[], &["a"])
        ]
    );
    assert_eq!(inv.pieces, BTreeMap::from([(hex.clone(), 2048)]));
    assert_eq!(inv.parts, BTreeMap::from([(hex, 10)]));
}

#[test]
fn old_pythons_and_the_containerd_store_are_recognised() {
    assert_eq!(parse_inventory("python python 2.6\n").python, None);
    assert!(parse_inventory("python python 2.7\n").python.is_some());
    let store = "store overlayfs [[\"driver-type\",\"io.containerd.snapshotter.v1\"]]\n";
    assert_eq!(parse_inventory(store).store, Store::Containerd);
}

#[test]
fn a_redeploy_sends_only_the_changed_layer_as_a_delta_against_the_previous_release() {
    let inv = Inventory {
        python: python(),
        images: vec![
            image("base", &["runtime:1"], &["os"]),
            image("old", &["hello:20261201-100000"], &["os", "deps", "app1"]),
        ],
        ..Default::default()
    };
    let choice = decide("hello", &layers(&["os", "deps", "app2"]), &inv);
    assert_eq!(
        choice,
        ShipChoice {
            mode: Mode::Assemble {
                python: "python3".into()
            },
            store: Store::Classic,
            layers: vec![
                LayerChoice {
                    diff_id: d("os"),
                    size: 1000,
                    how: How::Have
                },
                LayerChoice {
                    diff_id: d("deps"),
                    size: 1000,
                    how: How::Have
                },
                LayerChoice {
                    diff_id: d("app2"),
                    size: 1000,
                    how: How::Delta {
                        base: Base {
                            image: d("old"),
                            tags: vec!["hello:20261201-100000".into()],
                            index: 2,
                            diff_id: d("app1"),
                        }
                    }
                },
            ],
            no_delta: None,
        }
    );
    assert_eq!(choice.save_images(), vec![d("old")]);
    assert_eq!(choice.in_archive(), vec![false, false, true]);
}

#[test]
fn a_layer_counts_as_present_only_with_the_same_layers_under_it() {
    // The server has `deps`, but on top of another base: the chain differs, so it goes.
    let inv = Inventory {
        python: python(),
        images: vec![image("other", &["x:1"], &["os-old", "deps"])],
        ..Default::default()
    };
    let choice = decide("hello", &layers(&["os", "deps"]), &inv);
    assert_eq!(
        choice.layers[1].how,
        How::Full,
        "no base shares its parents"
    );
    assert_eq!(choice.layers[0].how, How::Full);
}

#[test]
fn the_newest_release_of_the_app_with_the_same_parents_is_the_base() {
    let inv = Inventory {
        python: python(),
        images: vec![
            image("r1", &["hello:20261201-100000"], &["os", "app1"]),
            image("r2", &["hello:20261202-100000"], &["os", "app2"]),
            image("foreign", &["other:9"], &["os", "x"]),
            image("moved", &["hello:20261203-100000"], &["os2", "app3"]),
        ],
        ..Default::default()
    };
    let choice = decide("hello", &layers(&["os", "app4"]), &inv);
    let How::Delta { base } = &choice.layers[1].how else {
        panic!("{:?}", choice.layers[1]);
    };
    assert_eq!(base.image, d("r2"));
    // The registry route's tags (server/repository:version) count as the app's too.
    let inv = Inventory {
        python: python(),
        images: vec![image("r", &["reg:5000/team/hello:1"], &["os2", "app1"])],
        ..Default::default()
    };
    let choice = decide("hello", &layers(&["os", "app2"]), &inv);
    assert!(matches!(&choice.layers[1].how, How::Delta { base } if base.image == d("r")));
}

#[test]
fn without_python_the_missing_layers_go_whole_in_one_archive() {
    let inv = Inventory {
        python: None,
        images: vec![image("old", &["hello:1"], &["os", "app1"])],
        ..Default::default()
    };
    let choice = decide("hello", &layers(&["os", "app2"]), &inv);
    assert_eq!(choice.mode, Mode::Archive);
    assert_eq!(choice.layers[0].how, How::Have);
    assert_eq!(choice.layers[1].how, How::Full);
    assert_eq!(choice.no_delta, Some(NoDelta::NoPython));
    // Nothing to send: nothing to regret.
    let same = decide("hello", &layers(&["os", "app1"]), &inv);
    assert_eq!(same.no_delta, None);
}

#[test]
fn the_containerd_store_gets_every_layer_in_the_archive() {
    let mut inv = Inventory {
        python: python(),
        store: Store::Containerd,
        images: vec![image("old", &["hello:1"], &["os", "app1"])],
        ..Default::default()
    };
    let choice = decide("hello", &layers(&["os", "app2"]), &inv);
    assert_eq!(choice.layers[0].how, How::Extract { image: d("old") });
    assert!(matches!(choice.layers[1].how, How::Delta { .. }));
    assert_eq!(choice.in_archive(), vec![true, true]);
    inv.python = None;
    let choice = decide("hello", &layers(&["os", "app2"]), &inv);
    assert_eq!(choice.layers[0].how, How::Full);
    assert_eq!(choice.layers[1].how, How::Full);
}

#[test]
fn huge_layers_and_first_deploys_go_whole() {
    let inv = Inventory {
        python: python(),
        images: vec![image("old", &["hello:1"], &["os", "big1"])],
        ..Default::default()
    };
    let mut l = layers(&["os", "big2"]);
    l[1].1 = MAX_DELTA_LAYER + 1;
    assert_eq!(decide("hello", &l, &inv).layers[1].how, How::Full);
    let empty = Inventory {
        python: python(),
        ..Default::default()
    };
    let first = decide("hello", &layers(&["os", "app"]), &empty);
    assert!(first.layers.iter().all(|l| l.how == How::Full));
}
