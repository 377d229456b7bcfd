//! A redeploy over SSH sends only what the server lacks: the layers it has stay, a changed
//! layer goes as a small delta against the previous release, and the server checks every piece
//! against its digest before `docker load` sees it. A server without Python gets one compressed
//! archive of the missing layers instead.

use ferry_e2e::{http_get, local_image_id, Project, Run, Testbed};
use std::time::Duration;

fn answer(tb: &Testbed, port: u16) -> Option<String> {
    match http_get(tb.server_host(), port, "/") {
        Ok((200, body)) => Some(body.trim_end().to_string()),
        _ => None,
    }
}

/// The next release answers `GREETING (mark …)`: a one-line change to the code, one no other
/// app or earlier run built (the server would have its layer already). Versions are seconds:
/// the next deploy gets a new one. What the app will answer.
fn one_line_change(p: &Project, mark: &str) -> String {
    let main = std::fs::read_to_string(p.path("main.go")).unwrap();
    let line = main
        .lines()
        .find(|l| l.contains("fmt.Fprintf(w, \"%s"))
        .unwrap()
        .to_string();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let mark = format!("{mark} {nanos}");
    p.write(
        "main.go",
        &main.replace(
            &line,
            &format!("\t\tfmt.Fprintf(w, \"%s ({mark})\\n\", greeting)"),
        ),
    );
    std::thread::sleep(Duration::from_millis(1100));
    format!("hello from {} ({mark})", p.app)
}

/// The image tag a `--json` deploy or build made.
fn built_tag(run: &Run) -> String {
    run.data("image").expect("an image data event")["tag"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The server loaded exactly the image this machine built, and left no piece behind.
#[track_caller]
fn loaded_as_built(tb: &Testbed, app: &str, tag: &str) {
    assert_eq!(
        tb.server_image_id(tag).as_deref(),
        Some(local_image_id(tag).as_str()),
        "the server's {tag} is not the one built here"
    );
    assert_eq!(
        tb.pieces_on_server(app),
        Vec::<String>::new(),
        "pieces left in {}",
        tb.piece_dir(app).display()
    );
}

#[test]
fn a_one_line_change_goes_as_a_small_delta_of_the_last_layer() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-l-delta", 18731);
    let p = tb.project(app, port, "");
    p.ferry(&["deploy"]).assert_ok();

    let second = one_line_change(&p, "2");
    let run = p.ferry(&["deploy", "--json"]);
    run.assert_ok();
    let t = run.transfer();
    let (sent, image) = (
        t["sent_bytes"].as_u64().unwrap(),
        t["image_bytes"].as_u64().unwrap(),
    );
    eprintln!(
        "MEASURED a one-line change over SSH: {sent} bytes sent for a {image}-byte image \
         ({:.2}%)",
        sent as f64 * 100.0 / image as f64
    );
    assert_eq!(t["route"], "ssh", "{t}");
    assert_eq!(t["mode"], "assemble", "{t}");
    let layers = t["layers"].as_array().unwrap();
    assert!(layers.len() >= 2, "{t}");
    let (last, below) = layers.split_last().unwrap();
    assert_eq!(last["how"], "delta", "{t}");
    assert!(last["bytes"].as_u64().unwrap() > 0, "{t}");
    for l in below {
        assert_eq!(l["how"], "have", "{t}");
        assert_eq!(l["bytes"], 0, "{t}");
    }
    assert!(sent > 0 && sent * 20 < image, "{sent} of {image}: {t}");
    assert_eq!(t["resumed_bytes"], 0, "{t}");
    assert_eq!(answer(&tb, port), Some(second));
    loaded_as_built(&tb, app, &built_tag(&run));

    // What a user reads: a line per layer, and what went in all.
    let third = one_line_change(&p, "3");
    let run = p.ferry(&["deploy", "--lang", "en"]);
    run.assert_ok();
    let count = layers.len();
    assert!(
        run.stderr.contains(&format!("layer {count}/{count} (")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .lines()
            .any(|l| l.contains(&format!("layer {count}/{count}"))
                && l.contains(": delta ")
                && l.contains(&format!("against {app}:"))),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("already on the server"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .lines()
            .any(|l| l.contains("on the server: delta ")
                && l.contains(&format!("layer {count}/{count}"))),
        "{}",
        run.stderr
    );
    assert_eq!(answer(&tb, port), Some(third));

    let fourth = one_line_change(&p, "4");
    let run = p.ferry(&["deploy", "--lang", "zh"]);
    run.assert_ok();
    assert!(
        run.stderr
            .lines()
            .any(|l| l.contains(&format!("第 {count}/{count} 层")) && l.contains("增量")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("服务器上已有"), "{}", run.stderr);
    assert_eq!(answer(&tb, port), Some(fourth));
}

/// The image's config as it travels: `docker save`'s `<id>.json`, whose sha256 is the image
/// id and the name of its piece.
fn config_of(tag: &str) -> (String, Vec<u8>) {
    let id = local_image_id(tag);
    let hex = id.strip_prefix("sha256:").unwrap().to_string();
    let out = std::process::Command::new("sh")
        .args([
            "-c",
            "docker save \"$1\" | tar -xOf - \"$2.json\"",
            "sh",
            tag,
        ])
        .arg(&hex)
        .output()
        .unwrap();
    assert!(
        out.status.success() && !out.stdout.is_empty(),
        "docker save {tag}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (hex, out.stdout)
}

/// The size of the layer pieces a transfer report lists.
fn sent_pieces(t: &serde_json::Value) -> u64 {
    t["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["bytes"].as_u64().unwrap())
        .sum()
}

#[test]
fn a_corrupt_piece_left_on_the_server_is_never_loaded_and_is_sent_again() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-l-corrupt", 18732);
    let p = tb.project(app, port, "");
    p.ferry(&["deploy"]).assert_ok();

    // The server holds a complete piece by the name of the next image's config, with the
    // right size and the wrong bytes (a disk that lost a write, a hand that edited it).
    let second = one_line_change(&p, "2");
    let build = p.ferry(&["build", "--json"]);
    build.assert_ok();
    let (name, config) = config_of(&built_tag(&build));
    let mut wrong = config.clone();
    wrong[config.len() / 2] ^= 1;
    tb.plant_piece(app, &name, &wrong);
    let run = p.ferry(&["deploy", "--json"]);
    run.assert_ok();
    let tag = built_tag(&run);
    assert_eq!(
        local_image_id(&tag),
        format!("sha256:{name}"),
        "the deploy rebuilt the image the piece was planted for"
    );
    assert!(
        run.notice_ids().contains(&"ship-piece-bad".to_string()),
        "{:?}",
        run.notice_ids()
    );
    let t = run.transfer();
    eprintln!(
        "MEASURED a corrupt complete piece: sent {} bytes, {} counted as resumed",
        t["sent_bytes"], t["resumed_bytes"]
    );
    assert!(sent_pieces(&t) > 0, "the changed layer went too: {t}");
    // The planted piece does not count as arrived, and the real one went.
    assert_eq!(t["resumed_bytes"], 0, "{t}");
    assert_eq!(
        t["sent_bytes"].as_u64().unwrap(),
        sent_pieces(&t) + config.len() as u64,
        "{t}"
    );
    assert_eq!(answer(&tb, port), Some(second));
    loaded_as_built(&tb, app, &tag);

    // A partial piece that is not the start of the piece it is named for: resuming onto it
    // gives the wrong digest, and the piece goes again from its first byte.
    let third = one_line_change(&p, "3");
    let build = p.ferry(&["build", "--json"]);
    build.assert_ok();
    let (name, config) = config_of(&built_tag(&build));
    tb.plant_piece(app, &format!("{name}.part"), &vec![b'x'; config.len() / 2]);
    let run = p.ferry(&["deploy", "--json"]);
    run.assert_ok();
    let tag = built_tag(&run);
    assert_eq!(local_image_id(&tag), format!("sha256:{name}"));
    let t = run.transfer();
    let layer_pieces = sent_pieces(&t);
    eprintln!(
        "MEASURED a wrong partial piece: sent {} bytes ({layer_pieces} of layers, {} of \
         config), counted {} as resumed",
        t["sent_bytes"],
        config.len(),
        t["resumed_bytes"]
    );
    assert!(layer_pieces > 0, "the changed layer went too: {t}");
    // Nothing of the planted part counts as arrived: the config went whole.
    assert_eq!(t["resumed_bytes"], 0, "{t}");
    assert_eq!(
        t["sent_bytes"].as_u64().unwrap(),
        layer_pieces + config.len() as u64,
        "{t}"
    );
    assert_eq!(answer(&tb, port), Some(third));
    loaded_as_built(&tb, app, &tag);
}

#[test]
fn a_server_without_python_gets_one_compressed_archive_of_the_missing_layers() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-l-nopython", 18733);
    let p = tb.project(app, port, "");
    // The testbed's no-Python flavour: the same server and engine, whose sessions find no
    // python3, /usr/libexec/platform-python, python or python2 (stand-ins that exit 127).
    p.edit(
        &format!("port = {}\n", tb.get("FERRY_TB_SERVER_PORT")),
        &format!("port = {}\n", tb.get("FERRY_TB_NOPYTHON_PORT")),
    );
    p.ferry(&["deploy"]).assert_ok();

    let second = one_line_change(&p, "2");
    let run = p.ferry(&["deploy", "--json"]);
    run.assert_ok();
    let t = run.transfer();
    let (sent, image) = (
        t["sent_bytes"].as_u64().unwrap(),
        t["image_bytes"].as_u64().unwrap(),
    );
    eprintln!(
        "MEASURED a one-line change to a server without Python: {sent} bytes sent for a \
         {image}-byte image ({:.1}%)",
        sent as f64 * 100.0 / image as f64
    );
    assert_eq!(t["mode"], "archive", "{t}");
    let layers = t["layers"].as_array().unwrap();
    let (last, below) = layers.split_last().unwrap();
    assert_eq!(last["how"], "full", "{t}");
    for l in below {
        assert_eq!(l["how"], "have", "{t}");
    }
    // The changed layer, compressed, and nothing of the layers the server has.
    let changed = last["size"].as_u64().unwrap();
    assert!(
        sent > 0 && sent < changed,
        "{sent} for a {changed}-byte layer: {t}"
    );
    assert!(sent * 2 < image, "{sent} of {image}: {t}");
    let warning = run
        .events()
        .into_iter()
        .find(|e| e["event"] == "notice" && e["message_id"] == "ship-no-python")
        .unwrap_or_else(|| panic!("no ship-no-python warning: {:?}", run.notice_ids()));
    assert_eq!(warning["level"], "warning", "{warning}");
    assert!(
        warning["message"].as_str().unwrap().contains("Python"),
        "{warning}"
    );
    assert_eq!(answer(&tb, port), Some(second));
    loaded_as_built(&tb, app, &built_tag(&run));
}
