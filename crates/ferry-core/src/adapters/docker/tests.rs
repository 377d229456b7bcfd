//! Against the real local engine. Each test prints a notice and passes when no engine answers.

use std::sync::Arc;

use bollard::query_parameters::{CreateImageOptionsBuilder, RemoveImageOptionsBuilder};
use futures_util::{StreamExt, TryStreamExt};

use super::*;
use crate::events::{Collector, Event, Level};
use crate::testing::engine;

/// Image names these tests create (and remove).
const PREFIX: &str = "ferry-docker-rs-test";

fn collector() -> (Arc<Collector>, Events) {
    let c = Arc::new(Collector::default());
    (c.clone(), Events::new(c))
}

fn logs(c: &Collector, step: Step) -> Vec<String> {
    c.events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Log { step: s, line, .. } if s == step => Some(line),
            _ => None,
        })
        .collect()
}

fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(0);
        b.append_data(&mut h, path, *data).unwrap();
    }
    b.into_inner().unwrap()
}

/// A build whose image is this tag's own: tests run in parallel on one engine, and two tests
/// building the same content would share (and remove) one image.
fn scratch_request(platform: &str, tag: &str, dockerfile: &str) -> BuildRequest {
    let hello = format!("hello from ferry ({tag})\n");
    BuildRequest {
        context_tar: tar_of(&[
            ("build/Dockerfile", dockerfile.as_bytes()),
            ("hello.txt", hello.as_bytes()),
        ]),
        dockerfile: "build/Dockerfile".into(),
        platform: platform.into(),
        tag: tag.into(),
        build_args: vec![("GREETING".into(), "hi".into())],
        labels: vec![("dev.ferry.test".into(), "docker-rs".into())],
    }
}

const SCRATCH_COPY: &str = "FROM scratch\nARG GREETING\nCOPY hello.txt /hello.txt\n";

/// The shape of Ferry's generated Dockerfile: a build stage on the build platform that is told
/// the target. (No global `ARG BUILDPLATFORM`: with the BuildKit of Docker 20.10 it blanks the
/// automatic value.)
const CROSS_STAGES: &str = "FROM --platform=$BUILDPLATFORM scratch AS build\n\
    ARG TARGETOS\n\
    ARG TARGETARCH\n\
    COPY hello.txt /out/hello-$TARGETOS-$TARGETARCH.txt\n\
    FROM scratch\n\
    COPY --from=build /out/ /\n";

/// Paths in the image's layers, from its `docker save` stream.
async fn layer_files(engine: &Engine, image: &str) -> Vec<String> {
    let chunks: Vec<Bytes> = engine.export(image).try_collect().await.unwrap();
    let saved = chunks.concat();
    let mut outer = tar::Archive::new(saved.as_slice());
    let mut files = Vec::new();
    for entry in outer.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry
            .path()
            .unwrap()
            .to_string_lossy()
            .ends_with("layer.tar")
        {
            let mut layer = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut layer).unwrap();
            for f in tar::Archive::new(layer.as_slice()).entries().unwrap() {
                files.push(f.unwrap().path().unwrap().to_string_lossy().into_owned());
            }
        }
    }
    files
}

async fn remove(engine: &Engine, reference: &str) {
    let options = RemoveImageOptionsBuilder::default().force(true).build();
    let _ = engine
        .docker
        .remove_image(reference, Some(options), None)
        .await;
}

/// A base image with a shell: the testbed's runtime image if it is there, else one made here
/// with `docker import` of busybox-static (never pulled).
async fn shell_base(engine: &Engine) -> String {
    // FERRY_TEST_OWN_BASE=1 exercises the import below even when the testbed image exists.
    let own = std::env::var_os("FERRY_TEST_OWN_BASE").is_some();
    if !own
        && engine
            .image("ferry-test/runtime:1")
            .await
            .unwrap()
            .is_some()
    {
        return "ferry-test/runtime:1".into();
    }
    let name = format!("{PREFIX}/busybox:1");
    if engine.image(&name).await.unwrap().is_some() {
        return name;
    }
    let busybox = std::fs::read("/bin/busybox")
        .or_else(|_| std::fs::read("/usr/bin/busybox"))
        .expect("busybox-static is needed to make a base image with a shell");
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(busybox.len() as u64);
    h.set_mode(0o755);
    b.append_data(&mut h, "bin/busybox", busybox.as_slice())
        .unwrap();
    for applet in ["sh", "echo", "cat", "ls"] {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        h.set_mode(0o777);
        b.append_link(&mut h, format!("bin/{applet}"), "busybox")
            .unwrap();
    }
    let options = CreateImageOptionsBuilder::default()
        .from_src("-")
        .repo(&format!("{PREFIX}/busybox"))
        .tag("1")
        .changes(vec!["ENV PATH=/bin".into()])
        .build();
    let body = bollard::body_full(Bytes::from(b.into_inner().unwrap()));
    engine
        .docker
        .create_image(Some(options), Some(body), None)
        .try_collect::<Vec<_>>()
        .await
        .expect("docker import of busybox");
    name
}

#[tokio::test]
async fn the_local_engine_is_linux_with_buildkit() {
    let Some((engine, _serial)) = engine().await else {
        return;
    };
    let info = engine.info().await.unwrap();
    assert_eq!(info.os_type, "linux");
    assert!(["amd64", "arm64"].contains(&info.arch.as_str()), "{info:?}");
    assert!(info.buildkit_available, "{info:?}");
    assert!(api_at_least(&info.api_version, 1, 39));
}

#[tokio::test]
async fn an_engine_that_is_not_running_is_named_in_the_error() {
    let address = "unix:///nonexistent/ferry/docker.sock";
    let err = Engine::connect_to(address).await.unwrap_err();
    assert!(matches!(err, DockerError::Unreachable { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "Docker is not running (could not reach unix:///nonexistent/ferry/docker.sock): start \
         Docker Desktop / the docker service and try again"
    );
}

#[tokio::test]
async fn builds_a_scratch_image_for_amd64_and_for_arm64() {
    let Some((engine, _serial)) = engine().await else {
        return;
    };
    for arch in ["amd64", "arm64"] {
        let (c, events) = collector();
        let tag = format!("{PREFIX}/scratch:{arch}");
        let platform = format!("linux/{arch}");
        let built = engine
            .build(scratch_request(&platform, &tag, CROSS_STAGES), &events)
            .await
            .unwrap();
        assert_eq!(
            (built.os.as_str(), built.architecture.as_str()),
            ("linux", arch)
        );
        assert!(built.id.starts_with("sha256:"), "{built:?}");
        let details = engine.image(&tag).await.unwrap().unwrap();
        assert_eq!(details.id, built.id);
        assert_eq!(details.architecture, arch);

        let lines = logs(&c, Step::Build);
        assert!(
            lines.iter().any(|l| l.contains("COPY hello.txt /out/")),
            "no step line in {lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.ends_with("CACHED") || l.contains(": done in ")),
            "no completion line in {lines:#?}"
        );
        assert!(c.events().iter().any(|e| matches!(
            e,
            Event::Progress {
                step: Step::Build,
                ..
            }
        )));
        // BuildKit told the build stage the target.
        let files = layer_files(&engine, &tag).await;
        assert!(
            files.contains(&format!("hello-linux-{arch}.txt")),
            "{files:?}"
        );
        remove(&engine, &tag).await;
    }
}

#[tokio::test]
async fn a_failing_run_names_the_step_and_quotes_its_output() {
    let Some((engine, _serial)) = engine().await else {
        return;
    };
    let info = engine.info().await.unwrap();
    let base = shell_base(&engine).await;
    let tag = format!("{PREFIX}/failing:1");
    let dockerfile = format!(
        "FROM {base}\nRUN echo hello-from-run; echo to-stderr >&2; exit 3\nCOPY hello.txt /x\n"
    );
    let (c, events) = collector();
    // No cache: the RUN must run (and fail) every time.
    let err = engine
        .build(
            scratch_request(&info.native_platform(), &tag, &dockerfile),
            &events,
        )
        .await
        .unwrap_err();
    eprintln!("{err}");
    match &err {
        DockerError::BuildFailed { step, message } => {
            assert!(step.contains("RUN echo hello-from-run"), "step: {step}");
            assert!(message.contains("exit code: 3"), "message: {message}");
            assert!(message.contains("hello-from-run"), "message: {message}");
            assert!(message.contains("to-stderr"), "message: {message}");
        }
        other => panic!("expected BuildFailed, got {other:?}"),
    }
    let lines = logs(&c, Step::Build);
    assert!(lines.iter().any(|l| l == "hello-from-run"), "{lines:#?}");
    assert!(engine.image(&tag).await.unwrap().is_none());
}

#[tokio::test]
async fn without_buildkit_native_builds_fall_back_and_foreign_ones_are_refused() {
    let Some((engine, _serial)) = engine().await else {
        return;
    };
    let mut info = engine.info().await.unwrap();
    info.buildkit_available = false;
    let native = info.native_platform();
    let foreign = if info.arch == "arm64" {
        "linux/amd64"
    } else {
        "linux/arm64"
    };

    let tag = format!("{PREFIX}/classic:1");
    // One stage: the classic builder keeps other stages' results as untagged images.
    let dockerfile = "FROM --platform=$BUILDPLATFORM scratch\nARG TARGETOS\nARG TARGETARCH\n\
                      COPY hello.txt /hello-$TARGETOS-$TARGETARCH.txt\n";
    let (c, events) = collector();
    let built = engine
        .build_with(scratch_request(&native, &tag, dockerfile), &events, &info)
        .await
        .unwrap();
    assert_eq!(built.architecture, info.arch);
    let all = c.events();
    assert!(all.iter().any(|e| matches!(e,
        Event::Notice { step: Step::Build, level: Level::Warning, message, .. }
            if message.starts_with("BuildKit is not available"))));
    let lines = logs(&c, Step::Build);
    assert!(
        lines.iter().any(|l| l.contains("COPY hello.txt")),
        "{lines:#?}"
    );
    let files = layer_files(&engine, &tag).await;
    let expected = format!("hello-linux-{}.txt", info.arch);
    assert!(files.contains(&expected), "{files:?}");
    remove(&engine, &tag).await;

    let err = engine
        .build_with(
            scratch_request(foreign, &tag, dockerfile),
            &Events::discard(),
            &info,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, DockerError::BuildKitRequired { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("cross-architecture builds need"));
}

#[tokio::test]
async fn tags_lookups_and_exports() {
    let Some((engine, _serial)) = engine().await else {
        return;
    };
    let info = engine.info().await.unwrap();
    let tag = format!("{PREFIX}/export:1");
    engine
        .build(
            scratch_request(&info.native_platform(), &tag, SCRATCH_COPY),
            &Events::discard(),
        )
        .await
        .unwrap();
    engine
        .tag(&tag, &format!("{PREFIX}/export-retagged"), "2")
        .await
        .unwrap();
    let retagged = format!("{PREFIX}/export-retagged:2");
    assert!(engine.image(&retagged).await.unwrap().is_some());
    assert!(engine
        .image(&format!("{PREFIX}/never-built:1"))
        .await
        .unwrap()
        .is_none());
    let err = engine
        .tag(&format!("{PREFIX}/never-built:1"), "x", "y")
        .await
        .unwrap_err();
    assert!(matches!(err, DockerError::ImageNotFound { .. }), "{err:?}");

    let bytes: Vec<Bytes> = engine.export(&retagged).try_collect().await.unwrap();
    let tar_bytes: Vec<u8> = bytes.concat();
    assert!(!tar_bytes.is_empty());
    let mut archive = tar::Archive::new(tar_bytes.as_slice());
    let names: Vec<String> = archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().any(|n| n == "manifest.json"), "{names:?}");

    let missing = engine
        .export(&format!("{PREFIX}/never-built:1"))
        .next()
        .await
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(missing, DockerError::ImageNotFound { .. }),
        "{missing:?}"
    );
    remove(&engine, &retagged).await;
    remove(&engine, &tag).await;
}

#[tokio::test]
async fn pushing_to_a_registry_that_is_not_there_says_unreachable() {
    let Some((engine, _serial)) = engine().await else {
        return;
    };
    let info = engine.info().await.unwrap();
    let tag = format!("{PREFIX}/push:1");
    engine
        .build(
            scratch_request(&info.native_platform(), &tag, SCRATCH_COPY),
            &Events::discard(),
        )
        .await
        .unwrap();
    // Nothing listens on port 1 of loopback (loopback registries are plain HTTP to Docker).
    let repo = format!("127.0.0.1:1/{PREFIX}/push");
    engine.tag(&tag, &repo, "1").await.unwrap();
    let auth = RegistryAuth {
        server: "127.0.0.1:1".into(),
        username: "deploy".into(),
        password: Secret::new("pw"),
    };
    let err = engine
        .push(&repo, "1", &auth, &Events::discard())
        .await
        .unwrap_err();
    match &err {
        DockerError::RegistryUnreachable { server, detail } => {
            assert_eq!(server, "127.0.0.1:1");
            assert!(detail.contains("connection refused"), "{detail}");
        }
        other => panic!("expected RegistryUnreachable, got {other:?}"),
    }
    assert!(err
        .to_string()
        .starts_with("cannot reach registry 127.0.0.1:1"));
    remove(&engine, &format!("{repo}:1")).await;
    remove(&engine, &tag).await;
}

/// Against the testbed registry (TLS + basic auth).
#[tokio::test]
async fn pushes_to_the_testbed_registry() {
    let Some(tb) = crate::testbed::Testbed::load() else {
        return;
    };
    let Some((engine, _serial)) = engine().await else {
        return;
    };
    let server = tb.get("FERRY_TB_REGISTRY").to_string();
    let user = tb.get("FERRY_TB_REGISTRY_USER").to_string();
    let password = tb.get("FERRY_TB_REGISTRY_PASSWORD").to_string();
    let info = engine.info().await.unwrap();
    let tag = format!("{PREFIX}/registry:1");
    engine
        .build(
            scratch_request(&info.native_platform(), &tag, SCRATCH_COPY),
            &Events::discard(),
        )
        .await
        .unwrap();
    let repo = format!("{server}/{PREFIX}/registry");
    engine.tag(&tag, &repo, "1").await.unwrap();

    let good = RegistryAuth {
        server: server.clone(),
        username: user.clone(),
        password: Secret::new(password),
    };
    let (c, events) = collector();
    engine.push(&repo, "1", &good, &events).await.unwrap();
    let pushed = logs(&c, Step::Push);
    assert!(
        pushed.iter().any(|l| l.contains("digest: sha256:")),
        "{pushed:#?}"
    );
    let progress: Vec<(u64, Option<u64>)> = c
        .events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Progress {
                step: Step::Push,
                current,
                total,
                ..
            } => Some((current, total)),
            _ => None,
        })
        .collect();
    // A layer the registry already has sends no byte counts.
    if let Some((current, total)) = progress.last() {
        assert_eq!(Some(*current), *total, "{progress:?}");
    }
    assert!(
        progress.windows(2).all(|w| w[0].0 <= w[1].0),
        "bytes went back: {progress:?}"
    );

    engine.check_login(&good).await.unwrap();

    let bad = RegistryAuth {
        password: Secret::new("wrong-password"),
        ..good
    };
    let err = engine
        .push(&repo, "1", &bad, &Events::discard())
        .await
        .unwrap_err();
    assert!(matches!(err, DockerError::RegistryAuth { .. }), "{err:?}");
    let err = engine.check_login(&bad).await.unwrap_err();
    assert!(matches!(err, DockerError::RegistryAuth { .. }), "{err:?}");
    remove(&engine, &format!("{repo}:1")).await;
    remove(&engine, &tag).await;
}

#[tokio::test]
async fn a_login_to_a_registry_that_is_not_there_says_unreachable() {
    let Some((engine, _serial)) = engine().await else {
        return;
    };
    let auth = RegistryAuth {
        server: "127.0.0.1:1".into(),
        username: "deploy".into(),
        password: Secret::new("pw"),
    };
    let err = engine.check_login(&auth).await.unwrap_err();
    assert!(
        matches!(err, DockerError::RegistryUnreachable { .. }),
        "{err:?}"
    );
}

#[test]
fn platforms_are_normalised_and_compared() {
    let p = Platform::parse("linux/arm64/v8").unwrap();
    assert_eq!(p.to_string(), "linux/arm64");
    assert!(Platform::parse("linux/x86_64")
        .unwrap()
        .same_as(&Platform::parse("linux/amd64").unwrap()));
    assert!(!Platform::parse("linux/arm/v6")
        .unwrap()
        .same_as(&Platform::parse("linux/arm/v7").unwrap()));
    assert!(matches!(
        Platform::parse("arm64"),
        Err(DockerError::InvalidPlatform(_))
    ));
    let image = ImageDetails {
        id: "sha256:x".into(),
        os: "linux".into(),
        architecture: "amd64".into(),
        variant: None,
        size: 1,
    };
    assert!(check_platform(&Platform::parse("linux/amd64").unwrap(), &image).is_ok());
    assert!(matches!(
        check_platform(&Platform::parse("linux/arm64").unwrap(), &image),
        Err(DockerError::ArchMismatch { .. })
    ));
    assert!(api_at_least("1.41", 1, 39) && !api_at_least("1.38", 1, 39));
    assert!(api_at_least("2.0", 1, 39) && !api_at_least("", 1, 39));
}
