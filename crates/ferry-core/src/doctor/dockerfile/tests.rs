use super::*;
use crate::catalog::Lang;
use crate::doctor::finding::Severity;
use crate::doctor::test_project::{assert_finding, copy_dir, ids, only, TestProject};

const PORTS_8080: &str = "ports = [\"8080:8080\"]";

fn findings(p: &TestProject, target: Option<Platform>) -> Vec<Finding> {
    check(&p.project, target)
}

fn has(p: &TestProject, id: &str) -> bool {
    findings(p, Some(Platform::Amd64))
        .iter()
        .any(|f| f.id == id)
}

#[test]
fn the_generated_dockerfile_for_hello_go_has_no_findings() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/hello-go");
    copy_dir(&example, dir.path());
    std::fs::copy(
        dir.path().join("ferry.toml.example"),
        dir.path().join("ferry.toml"),
    )
    .unwrap();
    let project = Project::load(&dir.path().join("ferry.toml")).unwrap();
    assert!(project.config.container.env.contains_key("TZ"));
    for target in [Some(Platform::Amd64), Some(Platform::Arm64), None] {
        let mut all = check(&project, target);
        all.extend(crate::doctor::project::check(&project, target));
        assert_eq!(all, Vec::<Finding>::new(), "{target:?}");
    }
}

#[test]
fn the_guides_distroless_example_keeps_cgo_on_and_fails_to_start() {
    let mut p = TestProject::fixture("guide-distroless", "", "");
    let all = findings(&p, Some(Platform::Amd64));
    let f = only(&all, "dockerfile.cgo_runtime");
    assert_finding(
        f,
        Severity::Error,
        &[
            "Dockerfile:5: RUN go build -o server main.go",
            "Dockerfile:7: FROM gcr.io/distroless/static",
        ],
        &["ENV CGO_ENABLED=0", "before line 5"],
    );
    assert!(f
        .message
        .render(Lang::En)
        .contains("no such file or directory"));
    p.apply(f);
    let text = p.read("Dockerfile");
    assert!(
        text.contains("COPY . .\nENV CGO_ENABLED=0\nRUN go build -o server main.go\n"),
        "{text}"
    );
    assert!(!has(&p, "dockerfile.cgo_runtime"));
}

#[test]
fn cgo_with_glibc_on_alpine_is_a_warning() {
    let p = TestProject::fixture("cgo-alpine", "", "");
    let all = findings(&p, None);
    let f = only(&all, "dockerfile.cgo_runtime");
    assert_finding(
        f,
        Severity::Warning,
        &[
            "Dockerfile:4: RUN go build",
            "Dockerfile:6: FROM alpine:3.20",
        ],
        &["ENV CGO_ENABLED=0"],
    );
    assert!(
        f.message.render(Lang::En).contains("musl"),
        "{}",
        f.message.render(Lang::En)
    );
}

#[test]
fn static_builds_and_alpine_builders_have_no_cgo_finding() {
    for fixture in ["guide-alpine", "alpine-builder", "good", "scratch-https"] {
        let p = TestProject::fixture(fixture, "", "");
        assert!(!has(&p, "dockerfile.cgo_runtime"), "{fixture}");
    }
    // The C compiler installed in an alpine builder turns cgo back on.
    let p = TestProject::fixture("alpine-builder", "", "");
    let text = p.read("Dockerfile").replace(
        "WORKDIR /src\n",
        "WORKDIR /src\nRUN apk add --no-cache gcc musl-dev\n",
    );
    p.write("Dockerfile", text);
    assert!(has(&p, "dockerfile.cgo_runtime"));
}

#[test]
fn a_build_args_cgo_setting_counts() {
    let p = TestProject::fixture(
        "guide-distroless",
        "build_args = { CGO_ENABLED = \"0\" }",
        "",
    );
    let text = p
        .read("Dockerfile")
        .replace("WORKDIR /app\n", "WORKDIR /app\nARG CGO_ENABLED\n");
    p.write("Dockerfile", text);
    assert!(!has(&p, "dockerfile.cgo_runtime"));
}

#[test]
fn an_arch_written_into_the_dockerfile_is_named() {
    let p = TestProject::fixture("arch-pinned", "", "");
    let all = findings(&p, Some(Platform::Amd64));
    let f = only(&all, "dockerfile.hardcoded_arch");
    assert_finding(
        f,
        Severity::Error,
        &[
            "Dockerfile:1: FROM --platform=linux/arm64 golang:1.22 AS build",
            "Dockerfile:6: ENV GOARCH=arm64",
            "Dockerfile:7: RUN CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build",
            "Dockerfile:9: FROM --platform=linux/arm64 gcr.io/distroless",
        ],
        &["ARG TARGETARCH", "GOARCH=$TARGETARCH"],
    );
    assert!(
        f.message.render(Lang::En).contains("arm64")
            && f.message.render(Lang::En).contains("amd64")
    );
    // Right for an arm64 server; unknown target: nothing to compare with.
    assert!(!findings(&p, Some(Platform::Arm64))
        .iter()
        .any(|f| f.id == "dockerfile.hardcoded_arch"));
    assert!(!findings(&p, None)
        .iter()
        .any(|f| f.id == "dockerfile.hardcoded_arch"));
    let good = TestProject::fixture("good", "", "");
    assert!(!has(&good, "dockerfile.hardcoded_arch"));
}

#[test]
fn copying_everything_before_the_download_is_fixed_by_downloading_first() {
    let mut p = TestProject::fixture("deps-copy-all", "", "");
    let all = findings(&p, None);
    let f = only(&all, "dockerfile.copy_before_download");
    assert_finding(
        f,
        Severity::Warning,
        &["Dockerfile:3: COPY . .", "go.mod: 1 requirement(s)"],
        &["COPY go.mod ./", "RUN go mod download", "line 3"],
    );
    p.apply(f);
    let text = p.read("Dockerfile");
    assert!(
        text.contains(
            "WORKDIR /src\nCOPY go.mod ./\nCOPY greet/go.mod ./greet/\nRUN go mod download\nCOPY . .\n"
        ),
        "{text}"
    );
    assert!(!has(&p, "dockerfile.copy_before_download"));
}

#[test]
fn the_download_fix_copies_go_sum_and_follows_the_copy_destination() {
    let mut p = TestProject::fixture("deps-copy-all", "", "");
    p.write("go.sum", "");
    let text = p
        .read("Dockerfile")
        .replace("WORKDIR /src\nCOPY . .\n", "COPY . /src\n")
        .replace("go build -o", "cd /src && go build -o");
    p.write("Dockerfile", text);
    let all = findings(&p, None);
    let f = only(&all, "dockerfile.copy_before_download");
    assert!(f
        .fix
        .as_ref()
        .unwrap()
        .render(Lang::En)
        .contains("COPY go.mod go.sum ./"));
    p.apply(f);
    let text = p.read("Dockerfile");
    assert!(
        text.contains(
            "COPY go.mod go.sum /src/\nCOPY greet/go.mod /src/greet/\n\
             RUN cd /src && go mod download\nCOPY . /src\n"
        ),
        "{text}"
    );
}

#[test]
fn no_requirements_or_an_early_download_is_fine() {
    for fixture in ["guide-distroless", "good", "arch-pinned"] {
        let p = TestProject::fixture(fixture, "", "");
        assert!(!has(&p, "dockerfile.copy_before_download"), "{fixture}");
    }
    let p = TestProject::fixture("deps-copy-all", "", "");
    p.write("vendor/modules.txt", "");
    assert!(!has(&p, "dockerfile.copy_before_download"));
}

#[test]
fn unpinned_images_are_listed() {
    let p = TestProject::fixture("guide-alpine", "", PORTS_8080);
    let all = findings(&p, None);
    let f = only(&all, "dockerfile.latest_tag");
    assert_finding(
        f,
        Severity::Warning,
        &["Dockerfile:10: FROM alpine:latest"],
        &["FROM alpine:3.20"],
    );
    let p = TestProject::fixture("guide-distroless", "", "");
    let all = findings(&p, None);
    assert_finding(
        only(&all, "dockerfile.latest_tag"),
        Severity::Warning,
        &["Dockerfile:7: FROM gcr.io/distroless/static"],
        &[],
    );
    for fixture in ["good", "alpine-builder", "cgo-alpine"] {
        let p = TestProject::fixture(fixture, "", "");
        assert!(!has(&p, "dockerfile.latest_tag"), "{fixture}");
    }
}

#[test]
fn an_unpinned_image_in_ferry_toml_is_fixed_there() {
    let p = TestProject::fixture("deps-copy-all", "builder_image = \"golang\"", "");
    std::fs::remove_file(p.root().join("Dockerfile")).unwrap();
    let all = findings(&p, None);
    let f = only(&all, "dockerfile.latest_tag");
    assert_finding(
        f,
        Severity::Warning,
        &["Dockerfile.ferry (generated):2: FROM --platform=$BUILDPLATFORM golang AS build"],
        &["ferry.toml", "\"golang:1.19\""],
    );
}

#[test]
fn https_calls_from_scratch_need_certificates() {
    let p = TestProject::fixture("scratch-https", "", "");
    let all = findings(&p, None);
    let f = only(&all, "dockerfile.scratch_no_ca");
    assert_finding(
        f,
        Severity::Warning,
        &[
            "main.go:17: resp, err := http.Get(\"https://api.example.com/rates\")",
            "Dockerfile:6: FROM scratch",
        ],
        &["COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/"],
    );
    for fixture in ["good", "alpine-builder", "guide-distroless"] {
        let p = TestProject::fixture(fixture, "", "");
        assert!(!has(&p, "dockerfile.scratch_no_ca"), "{fixture}");
    }
    // Without HTTPS calls nothing is needed.
    let p = TestProject::fixture("scratch-https", "", "");
    p.write("main.go", "package main\n\nfunc main() {}\n");
    assert!(!has(&p, "dockerfile.scratch_no_ca"));
}

#[test]
fn a_time_zone_without_zoneinfo_on_scratch_is_named() {
    let tz = "env = { TZ = \"Asia/Shanghai\" }";
    let p = TestProject::fixture("scratch-https", "", tz);
    let all = findings(&p, None);
    let f = only(&all, "dockerfile.scratch_no_tzdata");
    assert_finding(
        f,
        Severity::Warning,
        &[
            "ferry.toml [container] env: TZ = \"Asia/Shanghai\"",
            "Dockerfile:6: FROM scratch",
        ],
        &["-tags timetzdata", "import _ \"time/tzdata\""],
    );
    assert!(f
        .message
        .render(Lang::En)
        .contains("time.LoadLocation fails"));
    // No TZ; the time zones embedded by a tag or an import; distroless has them.
    let p = TestProject::fixture("scratch-https", "", "");
    assert!(!has(&p, "dockerfile.scratch_no_tzdata"));
    let p = TestProject::fixture("good", "", tz);
    assert!(!has(&p, "dockerfile.scratch_no_tzdata"));
    let p = TestProject::fixture("scratch-https", "", tz);
    p.write("tz.go", "package main\n\nimport _ \"time/tzdata\"\n");
    assert!(!has(&p, "dockerfile.scratch_no_tzdata"));
    let p = TestProject::fixture("arch-pinned", "", tz);
    assert!(!has(&p, "dockerfile.scratch_no_tzdata"));
    // Alpine has no zoneinfo either, until tzdata is installed.
    let p = TestProject::fixture("cgo-alpine", "", tz);
    let all = findings(&p, None);
    let f = only(&all, "dockerfile.scratch_no_tzdata");
    assert!(f
        .fix
        .as_ref()
        .unwrap()
        .render(Lang::En)
        .contains("apk add --no-cache tzdata"));
}

#[test]
fn root_in_the_final_stage_is_named_with_the_volumes_to_chown() {
    let p = TestProject::fixture("guide-distroless", "", "volumes = [\"/srv/t/data:/data\"]");
    let all = findings(&p, None);
    assert_finding(
        only(&all, "dockerfile.runs_as_root"),
        Severity::Warning,
        &["Dockerfile:7: FROM gcr.io/distroless/static", "no USER"],
        &["USER 65532:65532", "chown -R 65532:65532 /srv/t/data"],
    );
    let p = TestProject::fixture("good", "", "");
    let text = p
        .read("Dockerfile")
        .replace("USER 65532:65532", "USER root");
    p.write("Dockerfile", text);
    let all = findings(&p, None);
    assert_finding(
        only(&all, "dockerfile.runs_as_root"),
        Severity::Warning,
        &["Dockerfile:16: USER root"],
        &[],
    );
    for fixture in ["good", "guide-alpine", "arch-pinned"] {
        let p = TestProject::fixture(fixture, "", "");
        assert!(!has(&p, "dockerfile.runs_as_root"), "{fixture}");
    }
}

#[test]
fn an_exposed_port_other_than_the_published_one_is_named() {
    let p = TestProject::fixture("scratch-https", "", PORTS_8080);
    let all = findings(&p, None);
    let f = only(&all, "dockerfile.expose_mismatch");
    assert_finding(
        f,
        Severity::Warning,
        &[
            "Dockerfile:8: EXPOSE 9090",
            "ports: \"8080:8080\" (container port 8080)",
        ],
        &["ports = [\"8080:9090\"]", "EXPOSE 8080"],
    );
    let p = TestProject::fixture("good", "", PORTS_8080);
    assert!(!has(&p, "dockerfile.expose_mismatch"));
    let p = TestProject::fixture("guide-distroless", "", PORTS_8080);
    assert!(!has(&p, "dockerfile.expose_mismatch"));
}

#[test]
fn windows_paths_are_errors_and_relative_ones_are_rewritten() {
    let mut p = TestProject::fixture("windows-paths", "", "");
    let all = findings(&p, None);
    let f = only(&all, "dockerfile.windows_path");
    assert_finding(
        f,
        Severity::Error,
        &[
            "Dockerfile:7: COPY .\\config\\app.yaml /etc/app/",
            "Dockerfile:8: COPY [\"static\\\\index.html\", \"/srv/\"]",
            "Dockerfile:9: COPY D:\\certs\\company-ca.pem /etc/ssl/certs/",
        ],
        &["COPY config/app.yaml /etc/app/"],
    );
    p.apply(f);
    let text = p.read("Dockerfile");
    assert!(
        text.contains("\r\nCOPY ./config/app.yaml /etc/app/\r\nCOPY [\"static\\\\index.html\""),
        "{text:?}"
    );
    let all = findings(&p, None);
    let ev = only(&all, "dockerfile.windows_path")
        .evidence
        .clone()
        .unwrap();
    assert!(!ev.contains("Dockerfile:7:"), "{ev}");
    assert!(ev.contains("Dockerfile:9:"), "{ev}");
    let p = TestProject::fixture("good", "", "");
    assert!(!has(&p, "dockerfile.windows_path"));
}

#[test]
fn a_configured_dockerfile_that_is_not_there_is_an_error() {
    let p = TestProject::fixture("good", "dockerfile = \"deploy/Dockerfile\"", "");
    let all = findings(&p, None);
    assert_eq!(ids(&all), ["dockerfile.missing"]);
    assert_finding(
        &all[0],
        Severity::Error,
        &["dockerfile = \"deploy/Dockerfile\""],
        &["relative to the build context"],
    );
}

#[test]
fn a_configured_dockerfile_in_a_sub_context_is_checked_and_fixed_in_place() {
    let mut p = TestProject::empty("context = \"svc\"\ndockerfile = \"build/Dockerfile\"", "");
    copy_dir(
        &crate::doctor::test_project::fixture_dir("guide-distroless"),
        &p.root().join("svc"),
    );
    std::fs::create_dir_all(p.root().join("svc/build")).unwrap();
    std::fs::rename(
        p.root().join("svc/Dockerfile"),
        p.root().join("svc/build/Dockerfile"),
    )
    .unwrap();
    let all = findings(&p, None);
    let f = only(&all, "dockerfile.cgo_runtime");
    assert!(f
        .evidence
        .as_deref()
        .unwrap()
        .starts_with("svc/build/Dockerfile:5: RUN go build"));
    p.apply(f);
    assert!(p
        .read("svc/build/Dockerfile")
        .contains("ENV CGO_ENABLED=0\n"));
    assert!(!has(&p, "dockerfile.cgo_runtime"));
}

#[test]
fn a_good_dockerfile_has_no_findings() {
    let p = TestProject::fixture("good", "", PORTS_8080);
    assert_eq!(
        ids(&findings(&p, Some(Platform::Arm64))),
        Vec::<&str>::new()
    );
}

use crate::testing::skip;

/// The testbed's local Go image (no network needed): `FERRY_TB_GO_IMAGE`, from the
/// environment or the testbed's env file.
fn testbed_go_image() -> String {
    std::env::var("FERRY_TB_GO_IMAGE")
        .ok()
        .or_else(|| {
            let env = std::fs::read_to_string(crate::testbed::ENV_FILE).ok()?;
            Some(
                crate::testbed::Testbed::parse(&env)
                    .get("FERRY_TB_GO_IMAGE")
                    .to_string(),
            )
        })
        .unwrap_or_else(|| "ferry-test/golang:1.19".to_string())
}

async fn build(
    engine: &crate::adapters::docker::Engine,
    p: &TestProject,
    platform: &str,
    tag: &str,
) -> Vec<String> {
    use crate::events::{Collector, Event, Events};
    let packed =
        crate::formats::context::pack(p.root(), &["Dockerfile"], &[], &Events::discard()).unwrap();
    let collector = std::sync::Arc::new(Collector::default());
    let request = crate::adapters::docker::BuildRequest {
        context_tar: packed.tar,
        dockerfile: "Dockerfile".into(),
        platform: platform.into(),
        tag: tag.into(),
        build_args: vec![],
        labels: vec![("dev.ferry.test".into(), "doctor".into())],
    };
    engine
        .build(request, &Events::new(collector.clone()))
        .await
        .unwrap();
    collector
        .events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Log { line, .. } => Some(line),
            _ => None,
        })
        .collect()
}

/// What the user gains from `copy_before_download`'s fix: after a code-only change, the real
/// build takes `go mod download` from the cache and only recompiles.
#[tokio::test]
async fn after_the_download_fix_a_code_change_rebuilds_with_the_download_cached() {
    let Some((engine, _serial)) = crate::testing::engine().await else {
        return;
    };
    let go_image = testbed_go_image();
    if !matches!(engine.image(&go_image).await, Ok(Some(_))) {
        return skip(&format!("the testbed's Go image {go_image} is not there"));
    }
    let platform = engine.info().await.unwrap().native_platform();
    let mut p = TestProject::fixture("deps-copy-all", "", "");
    let text = p
        .read("Dockerfile")
        .replace("ferry-test/golang:1.19", &go_image);
    p.write("Dockerfile", text);
    // A run of its own: the first build must not find these module files in the cache.
    let nonce = format!("{:?}", std::time::SystemTime::now());
    p.write("go.mod", p.read("go.mod") + &format!("// run {nonce}\n"));
    let all = findings(&p, None);
    p.apply(only(&all, "dockerfile.copy_before_download"));

    let tag = "ferry-doctor-test/download-cache";
    let first = build(&engine, &p, &platform, &format!("{tag}:1")).await;
    let download = |logs: &[String]| -> Vec<String> {
        logs.iter()
            .filter(|l| l.contains("RUN go mod download"))
            .cloned()
            .collect()
    };
    assert!(
        download(&first).iter().all(|l| !l.ends_with(": CACHED")),
        "{first:#?}"
    );
    p.write(
        "main.go",
        p.read("main.go").replace(
            "fmt.Println(greet.Hello())",
            "fmt.Println(greet.Hello(), \"v2\")",
        ),
    );
    let second = build(&engine, &p, &platform, &format!("{tag}:2")).await;
    let cached = download(&second);
    assert!(
        !cached.is_empty() && cached.iter().any(|l| l.ends_with(": CACHED")),
        "{second:#?}"
    );
    assert!(
        second
            .iter()
            .any(|l| l.contains("go build") && !l.ends_with(": CACHED")),
        "the code change must be compiled: {second:#?}"
    );

    let docker = bollard::Docker::connect_with_local_defaults().unwrap();
    for n in [1, 2] {
        let options = bollard::query_parameters::RemoveImageOptionsBuilder::default()
            .force(true)
            .build();
        let _ = docker
            .remove_image(&format!("{tag}:{n}"), Some(options), None)
            .await;
    }
}
