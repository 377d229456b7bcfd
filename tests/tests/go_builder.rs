//! Deploying with no Docker on this machine (`DOCKER_HOST` points at nothing): the local Go
//! toolchain builds, Ferry assembles the image, and it reaches the testbed server over SSH (as
//! layer deltas) or through the TLS registry. The server's own engine runs it.

use ferry_e2e::{ferry_toml, http_get, Project, Testbed};
use std::io::Read;

const NO_ENGINE: &str = "unix:///nonexistent/ferry-test/docker.sock";

/// A project whose `ferry` runs see no Docker engine, with a Go build cache shared between the
/// tests (each has its own HOME).
fn without_docker(tb: &Testbed, app: &str, port: u16, app_extra: &str, extra: &str) -> Project {
    tb.clean_server(app);
    let toml = ferry_toml(tb, app, port, app_extra, extra).replace(
        "env = { GREETING",
        "env = { TZ = \"Asia/Shanghai\", GREETING",
    );
    let mut p = Project::new(app, &toml);
    p.env("DOCKER_HOST", NO_ENGINE);
    p.env("GOCACHE", "/tmp/ferry-e2e-gocache");
    p
}

fn transfer(run: &ferry_e2e::Run) -> serde_json::Value {
    run.events()
        .into_iter()
        .find(|e| e["event"] == "data" && e["kind"] == "transfer")
        .map(|e| e["data"].clone())
        .expect("a transfer report")
}

fn hows(report: &serde_json::Value) -> Vec<String> {
    report["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["how"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn without_docker_the_go_builder_deploys_over_ssh_as_non_root_knowing_its_time_zone() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-gobuild", 18781);
    let p = without_docker(&tb, app, port, "", "");
    // A binary no earlier run sent, so the first transfer has it to send.
    p.write(
        "build_id.go",
        &format!(
            "package main\n\nconst buildID = \"{:?}\"\n\nfunc init() {{ _ = buildID }}\n",
            std::time::SystemTime::now()
        ),
    );

    let run = p.ferry(&["deploy", "--json"]);
    run.assert_ok();
    assert_eq!(
        run.steps(),
        ["connect", "probe", "check", "build", "transfer", "start"]
    );
    let image = run
        .events()
        .into_iter()
        .find(|e| e["event"] == "data" && e["kind"] == "image")
        .expect("an image event")["data"]
        .clone();
    assert_eq!(
        (image["builder"].as_str(), image["architecture"].as_str()),
        (Some("go"), Some("amd64"))
    );
    let (status, body) = http_get(tb.server_host(), port, "/").unwrap();
    assert_eq!((status, body.trim()), (200, "hello from e2e-gobuild"));
    // TZ works in an image with no zoneinfo: the binary embeds it (-tags timetzdata).
    let (_, now) = http_get(tb.server_host(), port, "/time").unwrap();
    assert!(now.trim().ends_with("+08:00"), "{now}");

    // Non-root: the process runs as uid 65532 on the server, as the image says.
    let out = tb.server_docker(&[
        "inspect",
        "--format",
        "{{.Config.User}} {{.Config.Image}}",
        app,
    ]);
    let inspect = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(inspect.starts_with("65532:65532 e2e-gobuild:"), "{inspect}");
    let out = tb.server_docker(&["top", app]);
    let top = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        top.lines()
            .skip(1)
            .all(|l| l.split_whitespace().next() == Some("65532")),
        "{top}"
    );
    assert!(top.contains("/app"), "{top}");

    // A one-line change: the base layer is on the server, the binary goes as a delta.
    let first = transfer(&run);
    // The base layer (CA roots, users) is the same for every app Ferry builds with Go: the
    // server may have it from another one.
    assert_eq!(hows(&first)[1], "full", "{first}");
    p.edit(
        "GREETING = \"hello from e2e-gobuild\"",
        "GREETING = \"hello again\"",
    );
    p.write(
        "version.go",
        "package main\n\nvar buildNote = \"one more line\"\n\nfunc init() { _ = buildNote }\n",
    );
    let run = p.ferry(&["deploy", "--json"]);
    run.assert_ok();
    let second = transfer(&run);
    assert_eq!(hows(&second), ["have", "delta"], "{second}");
    let sent = second["sent_bytes"].as_u64().unwrap();
    let full = first["layers"][1]["bytes"].as_u64().unwrap();
    assert!(sent * 20 < full, "a delta of {sent} bytes against {full}");
    let (_, body) = http_get(tb.server_host(), port, "/").unwrap();
    assert_eq!(body.trim(), "hello again");

    // Nothing changed in the source: nothing but the image config goes.
    let run = p.ferry(&["deploy", "--json"]);
    run.assert_ok();
    let third = transfer(&run);
    assert_eq!(hows(&third), ["have", "have"], "{third}");
    assert!(third["sent_bytes"].as_u64().unwrap() < 4096, "{third}");
}

#[test]
fn without_docker_the_go_builder_pushes_to_the_registry_and_the_server_pulls() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-goreg", 18782);
    let mut p = without_docker(&tb, app, port, "", &tb.registry_section("e2e/goreg"));
    p.env(
        "FERRY_REGISTRY_PASSWORD",
        tb.get("FERRY_TB_REGISTRY_PASSWORD"),
    );
    let run = p.ferry(&["deploy", "--json"]);
    run.assert_ok();
    assert_eq!(
        run.steps(),
        ["connect", "probe", "check", "build", "push", "pull", "start"]
    );
    assert!(
        run.events()
            .iter()
            .any(|e| e["event"] == "progress" && e["step"] == "push"),
        "push reports byte progress"
    );
    let (status, body) = http_get(tb.server_host(), port, "/").unwrap();
    assert_eq!((status, body.trim()), (200, "hello from e2e-goreg"));
    let out = tb.server_docker(&["inspect", "--format", "{{.Config.Image}}", app]);
    let image = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        image.starts_with(&format!("{}/e2e/goreg:", tb.get("FERRY_TB_REGISTRY"))),
        "{image}"
    );

    // Again, unchanged: the registry has every layer, nothing is pushed.
    let run = p.ferry(&["deploy", "--json"]);
    run.assert_ok();
    let report = transfer(&run);
    assert_eq!(hows(&report), ["have", "have"], "{report}");
    assert_eq!(report["sent_bytes"], 0);

    // A wrong password is said as such, not as an unreachable registry.
    p.env("FERRY_REGISTRY_PASSWORD", "not-the-password");
    let run = p.ferry(&["deploy"]);
    run.assert_fails_with(&format!(
        "registry {} rejected user `{}`",
        tb.get("FERRY_TB_REGISTRY"),
        tb.get("FERRY_TB_REGISTRY_USER")
    ));
    assert!(!run.stderr.contains("not-the-password"));
}

/// The files of a tar, by path.
fn tar_files(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut archive = tar::Archive::new(bytes);
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        out.push((path, data));
    }
    out
}

/// The binary inside an OCI archive `ferry build` wrote (the layer that has `app`).
fn binary_in(archive: &std::path::Path) -> Vec<u8> {
    let files = tar_files(&std::fs::read(archive).unwrap());
    for (path, data) in &files {
        if !path.starts_with("blobs/sha256/") || data.len() < 2 || data[..2] != [0x1f, 0x8b] {
            continue;
        }
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&data[..])
            .read_to_end(&mut plain)
            .unwrap();
        if let Some((_, bin)) = tar_files(&plain).into_iter().find(|(p, _)| p == "app") {
            return bin;
        }
    }
    panic!("no layer with /app in {}", archive.display());
}

fn sha256(data: &[u8]) -> String {
    let out = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(data)?;
            child.wait_with_output()
        })
        .unwrap();
    String::from_utf8_lossy(&out.stdout)[..64].to_string()
}

/// The ELF machine field: 0x3e x86-64, 0xb7 aarch64.
fn elf_machine(binary: &[u8]) -> u16 {
    assert_eq!(&binary[..4], b"\x7fELF");
    u16::from_le_bytes([binary[18], binary[19]])
}

/// What `ferry build --json` says it made (its `local_image` data event).
fn built(run: &ferry_e2e::Run) -> serde_json::Value {
    run.events()
        .into_iter()
        .find(|e| e["event"] == "data" && e["kind"] == "local_image")
        .expect("a local_image event")["data"]
        .clone()
}

#[test]
fn ferry_build_without_docker_writes_a_reproducible_oci_archive_for_the_target_arch() {
    let tb = Testbed::load();
    let p = without_docker(&tb, "e2e-gooci", 18783, "", "");
    let one = p.path("one.tar");
    let two = p.path("two.tar");
    // `ferry build --platform PLATFORM -o FILE`, and what it says it made.
    let build = |platform: &str, out: &std::path::Path| {
        let run = p.ferry(&[
            "build",
            "--json",
            "--platform",
            platform,
            "-o",
            out.to_str().unwrap(),
        ]);
        run.assert_ok();
        built(&run)
    };
    let first = build("linux/arm64", &one);
    let second = build("linux/arm64", &two);
    assert_eq!(first["architecture"], "arm64");
    assert!(
        first["digest"].as_str().unwrap().starts_with("sha256:"),
        "{first}"
    );
    assert_eq!(
        first["digest"], second["digest"],
        "same source, same digest"
    );
    assert_eq!(first["id"], second["id"]);
    // Byte for byte the same blobs (the archives differ only in the tag they name).
    let blobs = |path: &std::path::Path| -> Vec<(String, String)> {
        tar_files(&std::fs::read(path).unwrap())
            .into_iter()
            .filter(|(p, _)| p.starts_with("blobs/sha256/") && !p.ends_with('/'))
            .map(|(p, data)| (p, format!("{} bytes, sha256 {}", data.len(), sha256(&data))))
            .collect()
    };
    let (b1, b2) = (blobs(&one), blobs(&two));
    assert_eq!(b1.len(), 4, "manifest, config, two layers: {b1:?}");
    assert_eq!(b1, b2);
    assert_eq!(elf_machine(&binary_in(&one)), 0xb7, "an aarch64 binary");

    // For amd64 the binary (and so the digest) differs.
    let amd = p.path("amd.tar");
    assert_ne!(build("linux/amd64", &amd)["digest"], first["digest"]);
    assert_eq!(elf_machine(&binary_in(&amd)), 0x3e, "an x86-64 binary");

    // A real engine reads the archive as the image it says it is.
    let out = std::process::Command::new("docker")
        .args(["load", "-i", one.to_str().unwrap()])
        .env_remove("DOCKER_HOST")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tag = first["tag"].as_str().unwrap();
    let out = std::process::Command::new("docker")
        .args([
            "image",
            "inspect",
            "--format",
            "{{.Architecture}} {{.Os}} {{.Config.User}}",
            tag,
        ])
        .env_remove("DOCKER_HOST")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "arm64 linux 65532:65532"
    );
    let _ = std::process::Command::new("docker")
        .args(["rmi", tag])
        .env_remove("DOCKER_HOST")
        .output();
}

#[test]
fn cgo_and_a_missing_toolchain_are_said_plainly_before_anything_reaches_the_server() {
    let tb = Testbed::load();
    let (app, port) = ("e2e-gocgo", 18784);
    let mut p = without_docker(&tb, app, port, "", "");
    // The program needs a function only its cgo file has (as with mattn/go-sqlite3).
    p.write(
        "cgo.go",
        "package main\n\n// int answer() { return 42; }\nimport \"C\"\n\nfunc answer() int { return int(C.answer()) }\n",
    );
    p.write("use_cgo.go", "package main\n\nvar _ = answer()\n");
    let run = p.ferry(&["deploy"]);
    run.assert_fails_with("needs cgo");
    assert!(
        run.error_line().contains("builder = \"docker\""),
        "{}",
        run.error_line()
    );
    let out = tb.server_docker(&["ps", "-aq", "--filter", &format!("label=ferry.app={app}")]);
    assert!(out.stdout.is_empty(), "nothing was started");

    // builder = "go" with no Go here; auto with neither Docker nor Go.
    std::fs::remove_file(p.path("cgo.go")).unwrap();
    std::fs::remove_file(p.path("use_cgo.go")).unwrap();
    p.edit(
        &format!("name = \"{app}\""),
        &format!("name = \"{app}\"\nbuilder = \"go\""),
    );
    p.env("FERRY_GO", "/nonexistent/go");
    p.ferry(&["build"])
        .assert_fails_with("builder = \"go\" needs the Go toolchain");
    p.edit("builder = \"go\"", "builder = \"auto\"");
    p.ferry(&["build"])
        .assert_fails_with("no Docker engine answers");
}
