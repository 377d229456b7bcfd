use super::*;
use crate::catalog::Lang;
use crate::doctor::dockerfile_parse::parse;
use crate::doctor::finding::Severity;
use crate::doctor::test_project::{only, TestProject};
use std::io::{Read, Write};
use std::net::TcpListener;

const WHOAMI_DOWNLOAD: &str = "FROM golang:1-alpine AS builder\nWORKDIR /go/whoami\n\
    COPY go.mod .\nCOPY go.sum .\nRUN GOPROXY=https://proxy.golang.org go mod download\n\
    COPY . .\nRUN make build\nFROM scratch\nCOPY --from=builder /go/whoami/whoami .\n";

fn found(
    text: &str,
    build_args: &[(&str, &str)],
    go_env: Option<&str>,
    vendored: bool,
) -> Vec<Download> {
    let args = build_args
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    downloads(&parse(text), "Dockerfile", &args, go_env, vendored)
}

#[test]
fn whoami_downloads_through_a_proxy_written_into_the_run_line() {
    let d = found(
        WHOAMI_DOWNLOAD,
        &[],
        Some("https://goproxy.cn,direct"),
        false,
    );
    assert_eq!(
        d,
        [Download {
            evidence: "Dockerfile:5: RUN GOPROXY=https://proxy.golang.org go mod download"
                .to_string(),
            line: 5,
            goproxy: "https://proxy.golang.org".to_string(),
            source: Source::Written {
                evidence: "Dockerfile:5: RUN GOPROXY=https://proxy.golang.org go mod download"
                    .to_string()
            },
        }]
    );
}

#[test]
fn env_and_arg_settings_reach_later_stages_built_on_them() {
    let text = "ARG GOPROXY=https://global.example\nFROM golang:1.22 AS base\n\
                ENV GOPROXY=https://corp.example/go,direct\nFROM base AS build\nRUN go build ./...\n\
                FROM golang:1.22 AS other\nARG GOPROXY\nRUN go mod download\n\
                FROM golang:1.22 AS plain\nRUN go mod download\n";
    let d = found(text, &[], None, false);
    let got: Vec<(usize, &str, bool)> = d
        .iter()
        .map(|d| {
            (
                d.line,
                d.goproxy.as_str(),
                matches!(d.source, Source::Written { .. }),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (5, "https://corp.example/go,direct", true),
            // A redeclared global ARG takes its default.
            (8, "https://global.example", true),
            (10, DEFAULT_GOPROXY, false),
        ]
    );
    // [app] build_args override the ARG; a go env is passed only where asked for.
    let d = found(text, &[("GOPROXY", "https://mine.example")], None, false);
    assert_eq!(
        (d[1].goproxy.as_str(), &d[1].source),
        ("https://mine.example", &Source::BuildArg)
    );
}

#[test]
fn the_generated_dockerfile_downloads_with_go_env_or_go_default() {
    let spec = crate::formats::dockerfile::DockerfileSpec {
        builder_image: "golang:1.22".to_string(),
        runtime_image: "scratch".to_string(),
        main_package: ".".to_string(),
        expose: vec![],
        has_vendor: false,
        build_cache: true,
    };
    let text = crate::formats::dockerfile::generate(&spec);
    let d = found(&text, &[], Some("https://goproxy.cn,direct"), false);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(
        (d[0].goproxy.as_str(), &d[0].source),
        ("https://goproxy.cn,direct", &Source::GoEnv)
    );
    assert!(
        d[0].evidence.ends_with("RUN go mod download"),
        "{}",
        d[0].evidence
    );
    let d = found(&text, &[], Some(""), false);
    assert_eq!(
        (d[0].goproxy.as_str(), &d[0].source),
        (DEFAULT_GOPROXY, &Source::Default)
    );
    // Vendored: nothing is downloaded.
    let vendored =
        crate::formats::dockerfile::generate(&crate::formats::dockerfile::DockerfileSpec {
            has_vendor: true,
            ..spec
        });
    assert!(found(&vendored, &[], None, true).is_empty());
}

#[test]
fn vendor_builds_download_nothing_but_a_mod_download_still_does() {
    assert!(found(
        "FROM golang\nRUN go build -mod=vendor .\n",
        &[],
        None,
        false
    )
    .is_empty());
    assert!(found("FROM golang\nRUN go build .\n", &[], None, true).is_empty());
    assert_eq!(
        found("FROM golang\nRUN go mod download\n", &[], None, true).len(),
        1
    );
    assert!(found("FROM golang\nRUN echo go\n", &[], None, false).is_empty());
    let d = found(
        "FROM golang\nRUN go env -w GOPROXY=https://a.example\nRUN go build\n",
        &[],
        None,
        false,
    );
    assert_eq!(d[0].goproxy, "https://a.example");
}

#[test]
fn a_list_stops_at_the_first_silent_proxy_unless_a_pipe_lets_go_try_the_next() {
    let answers: BTreeMap<String, Result<(), String>> = [
        ("https://dead.example".to_string(), Err("dns".to_string())),
        ("https://alive.example".to_string(), Ok(())),
    ]
    .into();
    assert_eq!(
        blocking_proxy("https://dead.example,direct", &answers).as_deref(),
        Some("https://dead.example")
    );
    assert_eq!(
        blocking_proxy("https://dead.example|https://alive.example", &answers),
        None
    );
    assert_eq!(
        blocking_proxy("https://dead.example|https://dead.example", &answers).as_deref(),
        Some("https://dead.example")
    );
    assert_eq!(
        blocking_proxy("https://dead.example|direct", &answers),
        None
    );
    assert_eq!(blocking_proxy("direct", &answers), None);
    assert_eq!(blocking_proxy("off", &answers), None);
    assert_eq!(
        proxy_list(" https://a , https://b|direct"),
        [
            ProxyEntry {
                entry: "https://a".into(),
                fallback_on_error: false
            },
            ProxyEntry {
                entry: "https://b".into(),
                fallback_on_error: true
            },
            ProxyEntry {
                entry: "direct".into(),
                fallback_on_error: false
            },
        ]
    );
}

/// An HTTP server on 127.0.0.1 that answers everything with 404 (a proxy without the path).
fn answering_proxy() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found",
            );
        }
    });
    format!("http://{addr}")
}

fn closed_port() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn any_http_answer_counts_and_silence_does_not() {
    let timeout = Duration::from_secs(1);
    assert_eq!(answers(&answering_proxy(), timeout).await, Ok(()));
    assert!(answers(&closed_port(), timeout).await.is_err());
    let err = answers("https://goproxy.ferry-test.invalid", timeout)
        .await
        .unwrap_err();
    assert!(!err.is_empty());
}

fn project(dockerfile: &str, go_mod: &str) -> TestProject {
    let p = TestProject::empty("", "");
    p.write("go.mod", go_mod);
    p.write("main.go", "package main\n\nfunc main() {}\n");
    if !dockerfile.is_empty() {
        p.write("Dockerfile", dockerfile);
    }
    p
}

const WITH_DEPS: &str = "module example.com/t\n\ngo 1.22\n\nrequire github.com/x/y v1.0.0\n";

#[tokio::test]
async fn a_hard_coded_proxy_that_does_not_answer_is_an_error_naming_it() {
    let dead = closed_port();
    let text = format!("FROM golang:1.22\nENV GOPROXY={dead},direct\nRUN go mod download\n");
    let p = project(&text, WITH_DEPS);
    let all = check(&p.project, None, Duration::from_secs(1)).await;
    let f = only(&all, "goproxy.unreachable");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(
        f.evidence.as_deref(),
        Some(&*format!(
            "Dockerfile:2: ENV GOPROXY={dead},direct\nDockerfile:3: RUN go mod download"
        ))
    );
    let en = f.message.render(Lang::En);
    assert!(en.contains(&dead) && en.contains("does not answer"), "{en}");
    let fix = f.fix.as_ref().unwrap().render(Lang::En);
    assert!(fix.contains("goproxy.cn"), "{fix}");
    assert!(f.message.render(Lang::Zh).contains("连不上"));

    // The same with a proxy that answers, or with nothing to download: no finding.
    let alive = answering_proxy();
    let p = project(&text.replace(&dead, &alive), WITH_DEPS);
    assert!(check(&p.project, None, Duration::from_secs(1))
        .await
        .is_empty());
    let p = project(&text, "module example.com/t\n\ngo 1.22\n");
    assert!(check(&p.project, None, Duration::from_secs(1))
        .await
        .is_empty());
}

#[tokio::test]
async fn the_generated_dockerfile_names_go_env_and_how_to_change_it() {
    let dead = closed_port();
    let p = project("", WITH_DEPS);
    let go = GoEnv {
        goproxy: format!("{dead},direct"),
        ..GoEnv::default()
    };
    let all = check(&p.project, Some(&go), Duration::from_secs(1)).await;
    let f = only(&all, "goproxy.go_env_unreachable");
    assert!(
        f.evidence
            .as_deref()
            .unwrap()
            .starts_with(&format!("go env GOPROXY: {dead},direct\n")),
        "{f:#?}"
    );
    let fix = f.fix.as_ref().unwrap().render(Lang::En);
    assert!(
        fix.contains("go env -w GOPROXY=https://goproxy.cn,direct"),
        "{fix}"
    );
}
