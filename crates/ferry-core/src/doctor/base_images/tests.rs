use super::*;
use crate::adapters::registry::probe::tests::{index, FakeRegistry, Routes, INDEX};
use crate::catalog::Lang;
use crate::doctor::dockerfile_parse::parse;
use crate::doctor::finding::Severity;
use crate::doctor::test_project::{only, TestProject};

/// traefik/whoami's Dockerfile, as published.
const WHOAMI: &str = "# syntax=docker/dockerfile:1.4\n\
    FROM golang:1-alpine AS builder\n\
    \n\
    RUN apk --no-cache --no-progress add git ca-certificates tzdata make \\\n\
    \x20   && update-ca-certificates \\\n\
    \x20   && rm -rf /var/cache/apk/*\n\
    \n\
    WORKDIR /go/whoami\n\
    \n\
    # Download go modules\n\
    COPY go.mod .\n\
    COPY go.sum .\n\
    RUN GOPROXY=https://proxy.golang.org go mod download\n\
    \n\
    COPY . .\n\
    \n\
    RUN make build\n\
    \n\
    # Create a minimal container to run a Golang static binary\n\
    FROM scratch\n\
    \n\
    COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo\n\
    COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n\
    COPY --from=builder /go/whoami/whoami .\n\
    \n\
    ENTRYPOINT [\"/whoami\"]\n\
    EXPOSE 80\n";

fn amd64_from_arm64_laptop() -> Platforms {
    Platforms {
        build: "linux/arm64".to_string(),
        target: Some("linux/amd64".to_string()),
    }
}

fn images(text: &str, build_args: &[(&str, &str)]) -> Vec<Base> {
    let args = build_args
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    bases(
        &parse(text),
        "Dockerfile",
        &args,
        &amd64_from_arm64_laptop(),
    )
}

fn image_names(found: &[Base]) -> Vec<(String, Option<String>)> {
    found
        .iter()
        .map(|b| match b {
            Base::Image(i) => (i.image.clone(), i.platform.clone()),
            Base::Unresolved { written, .. } => (format!("unresolved {written}"), None),
        })
        .collect()
}

#[test]
fn whoami_pulls_one_image_for_the_server_and_scratch_is_not_pulled() {
    let found = images(WHOAMI, &[]);
    assert_eq!(
        found,
        [Base::Image(BaseImage {
            image: "golang:1-alpine".to_string(),
            written: "golang:1-alpine".to_string(),
            platform: Some("linux/amd64".to_string()),
            line: 2,
            single_line: true,
            evidence: "Dockerfile:2: FROM golang:1-alpine AS builder".to_string(),
        })]
    );
}

#[test]
fn global_args_are_filled_in_and_build_args_override_their_defaults() {
    let text = "ARG GO=1.22\nARG RUNTIME\nFROM golang:${GO}-alpine AS build\n\
                FROM ${RUNTIME:-alpine:3.20}\nFROM ${BASE_REGISTRY}/tools:1\n";
    assert_eq!(
        image_names(&images(text, &[])),
        [
            ("golang:1.22-alpine".to_string(), Some("linux/amd64".into())),
            ("alpine:3.20".to_string(), Some("linux/amd64".into())),
            ("unresolved ${BASE_REGISTRY}/tools:1".to_string(), None),
        ]
    );
    assert_eq!(
        image_names(&images(
            text,
            &[
                ("GO", "1.23"),
                ("RUNTIME", "debian:12"),
                ("BASE_REGISTRY", "r.example")
            ]
        )),
        [
            ("golang:1.23-alpine".to_string(), Some("linux/amd64".into())),
            ("debian:12".to_string(), Some("linux/amd64".into())),
            // Docker fills in declared arguments only.
            ("unresolved ${BASE_REGISTRY}/tools:1".to_string(), None),
        ]
    );
}

#[test]
fn platform_flags_name_the_build_machine_the_server_or_a_fixed_platform() {
    let text = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n\
                FROM --platform=linux/arm64 alpine:3.20 AS arm\n\
                FROM --platform=$TARGETPLATFORM debian:12 AS t\n\
                FROM golang:1.22\n\
                FROM tools-$TARGETARCH:1\n";
    assert_eq!(
        image_names(&images(text, &[])),
        [
            ("golang:1.22".to_string(), Some("linux/arm64".into())),
            ("alpine:3.20".to_string(), Some("linux/arm64".into())),
            ("debian:12".to_string(), Some("linux/amd64".into())),
            // The same image for another platform is another pull.
            ("golang:1.22".to_string(), Some("linux/amd64".into())),
            ("tools-amd64:1".to_string(), Some("linux/amd64".into())),
        ]
    );
    // The server not known: any platform will do.
    let unknown = Platforms {
        build: "linux/amd64".to_string(),
        target: None,
    };
    let found = bases(
        &parse("FROM alpine:3.20\nFROM alpine:3.20 AS again\n"),
        "Dockerfile",
        &BTreeMap::new(),
        &unknown,
    );
    assert_eq!(image_names(&found), [("alpine:3.20".to_string(), None)]);
}

#[test]
fn earlier_stages_are_not_images_but_later_ones_are() {
    let text = "FROM golang:1.22 AS Build\nFROM build AS test\nFROM BUILD\n\
                ARG X\nFROM scratch\nFROM deps\nFROM alpine:3.20 AS deps\n";
    assert_eq!(
        image_names(&images(text, &[])),
        [
            ("golang:1.22".to_string(), Some("linux/amd64".into())),
            // `deps` is defined after it is used: Docker pulls an image called deps.
            ("deps".to_string(), Some("linux/amd64".into())),
            ("alpine:3.20".to_string(), Some("linux/amd64".into())),
        ]
    );
}

#[test]
fn cidrs_and_loopback_are_spoken_to_over_http() {
    let facts = EngineFacts {
        insecure_cidrs: vec!["10.250.0.0/16".to_string()],
        insecure_hosts: vec!["registry.lan:5000".to_string()],
        ..EngineFacts::default()
    };
    assert!(facts.is_insecure("10.250.3.4:5443"));
    assert!(facts.is_insecure("127.0.0.1:5000"));
    assert!(facts.is_insecure("localhost:5000"));
    assert!(facts.is_insecure("registry.lan:5000"));
    assert!(!facts.is_insecure("10.251.0.1:5000"));
    assert!(!facts.is_insecure("docker.io"));
    assert!(in_cidr("192.168.1.9".parse().unwrap(), "0.0.0.0/0"));
}

#[test]
fn copies_in_the_own_registry_are_looked_for_under_its_namespace() {
    assert_eq!(
        own_registry_candidates(
            "registry.cn-hangzhou.aliyuncs.com",
            "team/app",
            "golang:1.22-alpine"
        ),
        [
            "registry.cn-hangzhou.aliyuncs.com/team/golang:1.22-alpine",
            "registry.cn-hangzhou.aliyuncs.com/library/golang:1.22-alpine",
            "registry.cn-hangzhou.aliyuncs.com/golang:1.22-alpine",
        ]
    );
    assert!(own_registry_candidates("r.example", "app", "r.example/x/golang:1").is_empty());
    assert_eq!(registry_of("golang:1.22"), "docker.io");
    assert_eq!(registry_of("gcr.io/distroless/static-debian12"), "gcr.io");
}

fn project_with(dockerfile: &str, app: &str, extra: &str) -> TestProject {
    let p = TestProject::empty(app, "");
    if !extra.is_empty() {
        let toml = p.read("ferry.toml");
        p.write("ferry.toml", format!("{toml}\n{extra}\n"));
    }
    let mut p = p;
    p.reload();
    if !dockerfile.is_empty() {
        p.write("Dockerfile", dockerfile);
    }
    p.write("go.mod", "module example.com/t\n\ngo 1.22\n");
    p.write("main.go", "package main\n\nfunc main() {}\n");
    p
}

async fn findings(p: &TestProject) -> Vec<Finding> {
    check(&p.project, Platform::Amd64, None, Duration::from_secs(1)).await
}

#[tokio::test]
async fn an_image_whose_registry_does_not_answer_is_named_with_its_line_and_what_to_do() {
    let p = project_with(
        "FROM registry.ferry-test.invalid/library/golang:1.22 AS build\r\nRUN go build\r\n\
         FROM golang:1-alpine\r\n",
        "",
        "",
    );
    let all = findings(&p).await;
    let hits: Vec<&Finding> = all
        .iter()
        .filter(|f| f.id == "images.base_unreachable")
        .collect();
    let f = hits
        .iter()
        .find(|f| {
            f.evidence
                .as_deref()
                .is_some_and(|e| e.contains("ferry-test.invalid"))
        })
        .unwrap_or_else(|| panic!("{all:#?}"));
    // No engine to ask for local copies and mirrors: information, not a verdict.
    assert_eq!(f.severity, Severity::Info);
    assert_eq!(
        f.evidence.as_deref(),
        Some(&*format!(
            "Dockerfile:1: FROM registry.ferry-test.invalid/library/golang:1.22 AS build\n{NO_ENGINE}"
        ))
    );
    let en = f.message.render(Lang::En);
    assert!(
        en.contains("`registry.ferry-test.invalid/library/golang:1.22`")
            && en.contains("does not answer"),
        "{en}"
    );
    let fix = f.fix.as_ref().unwrap().render(Lang::En);
    assert!(
        fix.contains("registry mirrors serve only Docker Hub"),
        "{fix}"
    );
    assert!(
        fix.contains("change line 1 of Dockerfile to `FROM <your registry>/golang:1.22`"),
        "{fix}"
    );
    assert!(f.message.render(Lang::Zh).contains("连不上"));
    assert!(f.auto_fix.is_none(), "no copy anywhere: {f:#?}");
}

#[tokio::test]
async fn a_docker_hub_image_advises_a_mirror_and_pulling_through_it() {
    let p = project_with("FROM golang:1-alpine AS builder\nRUN go build\n", "", "");
    let Resolved::Used(df) = used_dockerfile::resolve(&p.project) else {
        panic!("the Dockerfile is used");
    };
    let [Base::Image(base)] = &images("FROM golang:1-alpine AS builder\n", &[])[..] else {
        panic!("one image");
    };
    let unreachable = Outcome::Unreachable {
        detail: "dns error".to_string(),
        mirrors: vec!["https://abc.mirror.aliyuncs.com".to_string()],
    };
    let facts = EngineFacts::default();
    let f = finding(
        &p.project,
        &df,
        base,
        &unreachable,
        None,
        &facts,
        Duration::from_millis(100),
    )
    .await
    .unwrap();
    let fix = f.fix.as_ref().unwrap().render(Lang::En);
    assert!(fix.contains("\"registry-mirrors\""), "{fix}");
    assert!(
        fix.contains("docker pull <mirror>/library/golang:1-alpine")
            && fix.contains("docker tag <mirror>/library/golang:1-alpine golang:1-alpine"),
        "{fix}"
    );
    let zh = f.fix.as_ref().unwrap().render(Lang::Zh);
    assert!(zh.contains("加速器") && zh.contains("阿里云"), "{zh}");
    let message = f.message.render(Lang::En);
    assert!(
        message.contains("none of the Docker engine's registry mirrors"),
        "{message}"
    );
    assert!(f
        .evidence
        .as_deref()
        .unwrap()
        .contains("registry-mirrors: https://abc.mirror.aliyuncs.com\n"));
}

#[tokio::test]
async fn a_docker_hub_image_one_of_the_engines_mirrors_has_is_reachable() {
    let mirror = fake_with(&["/v2/library/golang/manifests/1.22"]);
    let facts = EngineFacts {
        mirrors: vec![format!("http://{}/", mirror.addr)],
        ..EngineFacts::default()
    };
    let timeout = Duration::from_secs(1);
    assert_eq!(
        reach("golang:1.22", Some("linux/amd64"), &facts, timeout).await,
        Outcome::Reachable
    );
    assert!(mirror
        .asked
        .lock()
        .unwrap()
        .contains(&"/v2/library/golang/manifests/1.22".to_string()));
    // Mirrors serve Docker Hub's images only.
    let other = reach(
        "registry.ferry-test.invalid/library/golang:1.22",
        None,
        &facts,
        timeout,
    )
    .await;
    assert!(
        matches!(other, Outcome::Unreachable { ref mirrors, .. } if mirrors.is_empty()),
        "{other:?}"
    );
}

fn fake_with(paths: &[&str]) -> FakeRegistry {
    let routes: Routes = paths
        .iter()
        .map(|path| {
            (
                path.to_string(),
                (200, INDEX.to_string(), index(&[("linux", "amd64")])),
            )
        })
        .collect();
    FakeRegistry::start(routes)
}

#[tokio::test]
async fn images_the_registry_has_are_fine_and_missing_ones_are_errors() {
    let reg = fake_with(&[
        "/v2/library/golang/manifests/1.22",
        "/v2/tools/arm/manifests/1",
    ]);
    let text = format!(
        "FROM {} AS build\nFROM {} AS gone\nFROM --platform=linux/arm64 {}\n",
        reg.image("library/golang:1.22"),
        reg.image("library/golang:9.99"),
        reg.image("tools/arm:1"),
    );
    let p = project_with(&text, "", "");
    let all = findings(&p).await;
    assert_eq!(all.len(), 2, "{all:#?}");
    let missing = only(&all, "images.base_missing");
    assert_eq!(missing.severity, Severity::Info);
    assert!(missing
        .evidence
        .as_deref()
        .unwrap()
        .starts_with("Dockerfile:2: FROM "));
    assert!(missing.message.render(Lang::En).contains("golang:9.99"));
    let arm = only(&all, "images.base_wrong_platform");
    assert_eq!(arm.severity, Severity::Info);
    let en = arm.message.render(Lang::En);
    assert!(
        en.contains("not for linux/arm64") && en.contains("has: linux/amd64"),
        "{en}"
    );
}

#[tokio::test]
async fn a_copy_in_the_projects_registry_is_offered_as_a_fix_of_the_from_line() {
    let reg = fake_with(&["/v2/team/golang/manifests/1.22"]);
    let registry = format!(
        "[registry]\nserver = \"{}\"\nusername = \"u\"\nrepository = \"team/app\"\n",
        reg.addr
    );
    let own = "# build\r\nFROM --platform=$BUILDPLATFORM registry.ferry-test.invalid/golang:1.22 AS build \
               # pinned\r\nRUN go build\r\n";
    let mut p = project_with(own, "", &registry);
    let all = findings(&p).await;
    let f = only(&all, "images.base_unreachable");
    let copy = format!("{}/team/golang:1.22", reg.addr);
    let auto = f.auto_fix.as_ref().unwrap_or_else(|| panic!("{f:#?}"));
    assert!(auto.label.render(Lang::En).contains(&copy));
    p.apply(f);
    assert_eq!(
        p.read("Dockerfile"),
        format!(
            "# build\r\nFROM --platform=$BUILDPLATFORM {copy} AS build # pinned\r\nRUN go build\r\n"
        )
    );
    assert!(findings(&p).await.is_empty());
}

#[tokio::test]
async fn the_generated_dockerfile_is_fixed_in_ferry_toml() {
    let reg = fake_with(&["/v2/library/golang/manifests/1.22"]);
    let registry = format!(
        "[registry]\nserver = \"{}\"\nusername = \"u\"\nrepository = \"app\"\n",
        reg.addr
    );
    let app = "builder_image = \"registry.ferry-test.invalid/golang:1.22\" # mine\n\
               runtime_image = \"scratch\"";
    let mut p = project_with("", app, &registry);
    let all = findings(&p).await;
    let f = only(&all, "images.base_unreachable");
    let fix = f.fix.as_ref().unwrap().render(Lang::En);
    assert!(
        fix.contains("set `builder_image = \"<your registry>/golang:1.22\"` under [app]"),
        "{fix}"
    );
    p.apply(f);
    let toml = p.read("ferry.toml");
    assert!(
        toml.contains(&format!(
            "builder_image = \"{}/library/golang:1.22\" # mine",
            reg.addr
        )),
        "{toml}"
    );
    assert!(findings(&p).await.is_empty());
}

#[test]
fn a_from_line_with_a_variable_or_the_image_twice_is_not_rewritten() {
    let df = |text: &str| UsedDockerfile {
        name: "Dockerfile".to_string(),
        origin: Origin::Own {
            edit_path: Some("Dockerfile".to_string()),
            bytes: text.as_bytes().to_vec(),
        },
        text: text.to_string(),
        parsed: parse(text),
    };
    let base = |written: &str, image: &str| BaseImage {
        image: image.to_string(),
        written: written.to_string(),
        platform: None,
        line: 1,
        single_line: true,
        evidence: String::new(),
    };
    let text = "FROM golang:${GO} AS build\n";
    assert!(rewritten_from(
        &df(text),
        &base("golang:${GO}", "golang:1.22"),
        "m/golang:1.22"
    )
    .is_none());
    let text = "FROM golang:1.22 AS golang:1.22\n";
    assert!(rewritten_from(
        &df(text),
        &base("golang:1.22", "golang:1.22"),
        "m/golang:1.22"
    )
    .is_none());
    let text = "from   golang:1.22\tas build\n";
    assert_eq!(
        rewritten_from(
            &df(text),
            &base("golang:1.22", "golang:1.22"),
            "m/golang:1.22"
        )
        .as_deref(),
        Some("from   m/golang:1.22\tas build\n")
    );
}
