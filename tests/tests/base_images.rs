//! `ferry doctor` before a build, with the real engine and the real binary: base images that
//! cannot be pulled from here and a Go module proxy that does not answer are named before
//! BuildKit dies on them. Docker Hub and proxy.golang.org do not answer from this machine,
//! as in mainland China.

use ferry_e2e::{ferry_toml, finding, finding_ids, has_chinese, the_finding, Project, Testbed};
use std::process::{Command, Stdio};

/// traefik/whoami's Dockerfile, in short: an image from Docker Hub and a hard-coded proxy.
const WHOAMI: &str = "FROM golang:1-alpine AS builder\n\
    WORKDIR /go/whoami\n\
    COPY go.mod .\n\
    RUN GOPROXY=https://proxy.golang.org go mod download\n\
    COPY . .\n\
    RUN CGO_ENABLED=0 go build -o whoami .\n\
    FROM scratch\n\
    COPY --from=builder /go/whoami/whoami .\n\
    ENTRYPOINT [\"/whoami\"]\n";

/// hello-go's go.mod with one requirement, so the build downloads modules.
const GO_MOD_WITH_DEPS: &str =
    "module example.com/hello\n\ngo 1.19\n\nrequire github.com/traefik/paerser v0.2.0\n";

fn is_base_image_or_proxy(id: &str) -> bool {
    id.starts_with("images.") || id.starts_with("goproxy.")
}

#[test]
fn whoamis_docker_hub_image_and_proxy_are_named_before_the_build_in_both_languages() {
    let tb = Testbed::load();
    let app = "e2e-bi-whoami";
    let p = Project::new(app, &ferry_toml(&tb, app, 18761, "", ""));
    p.write("Dockerfile", WHOAMI);
    p.write("go.mod", GO_MOD_WITH_DEPS);
    let started = std::time::Instant::now();
    let run = p.ferry(&["--json", "doctor", "--lang", "en"]);
    let all = run.findings();
    assert!(!run.succeeded(), "an error finding fails doctor");

    let image = the_finding(&all, "images.base_unreachable");
    assert_eq!(image["severity"], "error", "{image}");
    assert_eq!(
        image["evidence"],
        "Dockerfile:1: FROM golang:1-alpine AS builder"
    );
    let text = image["message"]["text"].as_str().unwrap();
    assert!(
        text.contains("`golang:1-alpine`") && text.contains("Docker Hub"),
        "{text}"
    );
    let fix = image["fix"]["text"].as_str().unwrap();
    assert!(fix.contains("\"registry-mirrors\""), "{fix}");
    assert!(fix.contains("Aliyun"), "{fix}");
    assert!(
        fix.contains("change line 1 of Dockerfile to `FROM <your registry>/golang:1-alpine`"),
        "{fix}"
    );

    let proxy = the_finding(&all, "goproxy.unreachable");
    assert_eq!(proxy["severity"], "error");
    assert_eq!(
        proxy["evidence"],
        "Dockerfile:4: RUN GOPROXY=https://proxy.golang.org go mod download"
    );
    assert!(proxy["fix"]["text"]
        .as_str()
        .unwrap()
        .contains("https://goproxy.cn,direct"));
    // Bounded: the unreachable registry and proxy cost seconds, not a build's timeout.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );

    let zh = p.ferry(&["--json", "doctor", "--lang", "zh"]).findings();
    let image = the_finding(&zh, "images.base_unreachable");
    let text = image["message"]["text"].as_str().unwrap();
    assert!(
        has_chinese(text) && text.contains("golang:1-alpine"),
        "{text}"
    );
    let fix = image["fix"]["text"].as_str().unwrap();
    assert!(fix.contains("加速器") && fix.contains("阿里云"), "{fix}");
    let proxy = the_finding(&zh, "goproxy.unreachable");
    assert!(has_chinese(proxy["message"]["text"].as_str().unwrap()));
}

#[test]
fn the_testbeds_local_images_need_no_registry() {
    let tb = Testbed::load();
    let app = "e2e-bi-local";
    // The generated Dockerfile, with the testbed's builder and runtime images.
    let p = Project::new(app, &ferry_toml(&tb, app, 18762, "", ""));
    let all = p.ferry(&["--json", "doctor"]).findings();
    let ids = finding_ids(&all);
    assert!(!ids.iter().any(|id| is_base_image_or_proxy(id)), "{ids:?}");
    // The project's own Dockerfile naming them, one stage on $BUILDPLATFORM.
    p.write(
        "Dockerfile",
        &format!(
            "ARG GO={go}\nFROM --platform=$BUILDPLATFORM ${{GO}} AS build\nWORKDIR /src\n\
             COPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM build AS test\n\
             FROM {runtime}\nCOPY --from=build /app /app\nUSER 65532:65532\n\
             ENTRYPOINT [\"/app\"]\n",
            go = tb.get("FERRY_TB_GO_IMAGE"),
            runtime = tb.get("FERRY_TB_RUNTIME_IMAGE"),
        ),
    );
    let all = p.ferry(&["--json", "doctor"]).findings();
    let ids = finding_ids(&all);
    assert!(!ids.iter().any(|id| is_base_image_or_proxy(id)), "{ids:?}");
    // The same Dockerfile with an image that is nowhere: the check does look.
    let gone = "ferry-test/golang:0.0-never";
    p.write(
        "Dockerfile",
        &std::fs::read_to_string(p.path("Dockerfile"))
            .unwrap()
            .replace(tb.get("FERRY_TB_GO_IMAGE"), gone),
    );
    let all = p.ferry(&["--json", "doctor"]).findings();
    let f = the_finding(&all, "images.base_unreachable");
    assert!(f["message"]["text"].as_str().unwrap().contains(gone), "{f}");
}

#[test]
fn the_generated_dockerfile_downloads_through_the_users_go_env_proxy() {
    let tb = Testbed::load();
    let app = "e2e-bi-goenv";
    let mut p = Project::new(app, &ferry_toml(&tb, app, 18763, "", ""));
    p.write("go.mod", GO_MOD_WITH_DEPS);
    // `go env GOPROXY` reads the environment first: Go's default, which does not answer here.
    p.env("GOPROXY", "https://proxy.golang.org,direct");
    let all = p.ferry(&["--json", "doctor", "--lang", "en"]).findings();
    let f = the_finding(&all, "goproxy.go_env_unreachable");
    assert_eq!(f["severity"], "error");
    assert!(
        f["evidence"]
            .as_str()
            .unwrap()
            .starts_with("go env GOPROXY: https://proxy.golang.org,direct\n"),
        "{f}"
    );
    assert!(f["fix"]["text"]
        .as_str()
        .unwrap()
        .contains("go env -w GOPROXY=https://goproxy.cn,direct"));
    // A proxy that answers (any HTTP answer counts): no finding.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for mut s in listener.incoming().flatten() {
            let mut buf = [0u8; 2048];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        }
    });
    p.env("GOPROXY", &format!("http://{addr},direct"));
    let all = p.ferry(&["--json", "doctor"]).findings();
    assert!(
        finding(&all, "goproxy.go_env_unreachable").is_none(),
        "{:?}",
        finding_ids(&all)
    );
}

/// `docker` with a configuration folder of its own, so the user's login is never touched.
fn docker(config: &std::path::Path, args: &[&str], stdin: Option<&str>) {
    let mut child = Command::new("docker")
        .arg("--config")
        .arg(config)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "docker {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_image_only_in_the_testbeds_registry_needs_a_login_and_is_not_called_missing() {
    let tb = Testbed::load();
    let app = "e2e-bi-registry";
    let registry = tb.get("FERRY_TB_REGISTRY");
    let image = format!("{registry}/e2e-bi/runtime:1");
    let config = tempfile::tempdir().unwrap();
    docker(
        config.path(),
        &[
            "login",
            registry,
            "-u",
            tb.get("FERRY_TB_REGISTRY_USER"),
            "--password-stdin",
        ],
        Some(tb.get("FERRY_TB_REGISTRY_PASSWORD")),
    );
    docker(
        config.path(),
        &["tag", tb.get("FERRY_TB_RUNTIME_IMAGE"), &image],
        None,
    );
    docker(config.path(), &["push", "--quiet", &image], None);
    // In the registry only: not on this machine.
    docker(config.path(), &["rmi", &image], None);

    let p = Project::new(app, &ferry_toml(&tb, app, 18764, "", ""));
    p.write(
        "Dockerfile",
        &format!(
            "FROM {go} AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n\
             FROM {image}\nCOPY --from=build /app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
            go = tb.get("FERRY_TB_GO_IMAGE"),
        ),
    );
    let all = p.ferry(&["--json", "doctor", "--lang", "en"]).findings();
    // The testbed's registry answers every anonymous client with 401: it is there, and it
    // wants a login (a warning); it is neither unreachable nor missing.
    let f = the_finding(&all, "images.base_needs_login");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["evidence"], format!("Dockerfile:5: FROM {image}"));
    assert!(f["fix"]["text"]
        .as_str()
        .unwrap()
        .contains(&format!("docker login {registry}")));
    for id in ["images.base_unreachable", "images.base_missing"] {
        assert!(finding(&all, id).is_none(), "{:?}", finding_ids(&all));
    }
}

#[test]
fn a_missing_base_image_stops_the_deploys_preflight_before_any_build() {
    let tb = Testbed::load();
    let app = "e2e-bi-preflight";
    tb.clean_server(app);
    let p = Project::new(
        app,
        &ferry_toml(&tb, app, 18765, "builder = \"docker\"", ""),
    );
    p.write("Dockerfile", WHOAMI);
    let run = p.ferry(&["deploy", "--json"]);
    assert!(!run.succeeded(), "the deploy must stop");
    assert_eq!(run.steps(), ["connect", "probe", "check"], "no build step");
    let all = run.findings();
    let image = the_finding(&all, "images.base_unreachable");
    assert_eq!(image["severity"], "error", "{image}");
    let last = run.events().last().unwrap().clone();
    assert_eq!(last["event"], "failed");
    assert_eq!(last["message_id"], "error-preflight", "{last}");
    assert_eq!(
        last["args"]["problems"][0]["args"]["image"], "golang:1-alpine",
        "the failure names the image: {last}"
    );
    // Nothing reached the server.
    let out = tb.server_docker(&["ps", "-aq", "--filter", &format!("label=ferry.app={app}")]);
    assert!(out.stdout.is_empty());
}
