//! Building images: cross-architecture with BuildKit, no emulation.

use ferry_e2e::{ferry_toml, Project, Testbed};
use std::process::Command;

#[test]
fn an_arm64_build_makes_an_arm64_image_with_an_arm64_binary() {
    let tb = Testbed::load();
    let app = "e2e-arm";
    let toml =
        ferry_toml(&tb, app, 18401, "", "").replace(tb.get("FERRY_TB_RUNTIME_IMAGE"), "scratch");
    let p = Project::new(app, &toml);
    let run = p.ferry(&["build", "--platform", "linux/arm64", "--json"]);
    run.assert_ok();
    let events = run.events();
    let image = events
        .iter()
        .find(|e| e["event"] == "data" && e["kind"] == "image")
        .expect("an image data event")["data"]
        .clone();
    assert_eq!(image["architecture"], "arm64");
    let tag = image["tag"].as_str().unwrap();

    let out = Command::new("docker")
        .args([
            "image",
            "inspect",
            "--format",
            "{{.Os}}/{{.Architecture}}",
            tag,
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "linux/arm64");

    // Take the binary out of the image and ask `file` what it is.
    let dir = tempfile::tempdir().unwrap();
    let name = format!("{app}-extract");
    let _ = Command::new("docker").args(["rm", "-f", &name]).output();
    let created = Command::new("docker")
        .args(["create", "--name", &name, tag])
        .output()
        .unwrap();
    assert!(created.status.success(), "{created:?}");
    let bin = dir.path().join("app");
    let cp = Command::new("docker")
        .args(["cp", &format!("{name}:/app"), bin.to_str().unwrap()])
        .output()
        .unwrap();
    let _ = Command::new("docker").args(["rm", "-f", &name]).output();
    assert!(cp.status.success(), "{cp:?}");
    let file = Command::new("file").arg(&bin).output().unwrap();
    let what = String::from_utf8_lossy(&file.stdout);
    assert!(what.contains("ARM aarch64"), "{what}");
    assert!(what.contains("statically linked"), "{what}");
}

#[test]
fn a_native_build_without_a_dockerfile_uses_the_generated_one() {
    let tb = Testbed::load();
    let app = "e2e-native";
    let p = Project::new(app, &ferry_toml(&tb, app, 18402, "", ""));
    let run = p.ferry(&["build", "--platform", "linux/amd64"]);
    run.assert_ok();
    assert!(
        run.stderr.contains("generating one for example.com/hello"),
        "{}",
        run.stderr
    );

    // A project Dockerfile with a CRLF start script: the script reaches the image with LF.
    p.write("start.sh", "#!/bin/sh\r\nexec /app \"$@\"\r\n");
    p.write(
        "Dockerfile",
        &format!(
            "FROM --platform=$BUILDPLATFORM {go} AS build\nWORKDIR /src\nCOPY . .\n\
             ARG TARGETOS\nARG TARGETARCH\n\
             RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .\n\
             FROM {rt}\nCOPY --from=build /out/app /app\nCOPY start.sh /start.sh\n\
             ENTRYPOINT [\"/start.sh\"]\n",
            go = tb.get("FERRY_TB_GO_IMAGE"),
            rt = tb.get("FERRY_TB_RUNTIME_IMAGE"),
        ),
    );
    let run = p.ferry(&["build", "--platform", "linux/amd64", "--json"]);
    run.assert_ok();
    let events = run.events();
    assert!(
        events.iter().any(|e| e["event"] == "notice"
            && e["message"]
                .as_str()
                .unwrap_or_default()
                .contains("start.sh")),
        "the CRLF fix is reported"
    );
    let tag = events
        .iter()
        .find(|e| e["event"] == "data" && e["kind"] == "image")
        .unwrap()["data"]["tag"]
        .as_str()
        .unwrap()
        .to_string();
    let out = Command::new("docker")
        .args([
            "run",
            "--rm",
            "--entrypoint",
            "/bin/sh",
            &tag,
            "-c",
            "od -c /start.sh | head -2",
        ])
        .output()
        .unwrap();
    let dump = String::from_utf8_lossy(&out.stdout);
    assert!(!dump.contains("\\r"), "{dump}");
    assert!(dump.contains("\\n"), "{dump}");
}
