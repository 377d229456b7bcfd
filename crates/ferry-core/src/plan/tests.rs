use super::*;
use crate::formats::config::Config;
use serde_json::json;
use std::path::PathBuf;

fn project(text: &str) -> Project {
    Project {
        path: PathBuf::from("/p/ferry.toml"),
        config: Config::parse(text, std::path::Path::new("ferry.toml")).unwrap(),
    }
}

const BASE: &str = "[app]\nname='hello'\n[server]\nhost='10.0.0.2'\nuser='d'\n\
    [container]\nports=['18080:8080']\nenv={GREETING='hi there'}\nmemory='64m'\n\
    [health]\npath='/healthz'\n";

fn engine() -> EngineInfo {
    EngineInfo {
        version: "20.10.24".into(),
        api_version: "1.41".into(),
        os_type: "linux".into(),
        arch: "amd64".into(),
        buildkit_available: true,
    }
}

fn tools() -> Tools {
    Tools {
        engine: Some(engine()),
        go: None,
    }
}

fn go() -> GoToolchain {
    GoToolchain {
        path: "/usr/local/go/bin/go".into(),
        version: "go1.22.4".into(),
        env: crate::adapters::go::GoEnv {
            goproxy: "https://goproxy.cn,direct".into(),
            goprivate: "git.corp.example/*".into(),
            ..Default::default()
        },
    }
}

fn module() -> Sources {
    Sources::GoModule(GoModule {
        module: "example.com/hello".into(),
        go_version: Some("1.22".into()),
        toolchain: None,
        main_package: "./cmd/hello".into(),
        has_go_sum: true,
        has_vendor: false,
    })
}

fn own() -> Sources {
    Sources::OwnDockerfile("Dockerfile".into())
}

fn plan_of(text: &str, sources: &Sources, machine: &str) -> Result<Plan, PlanError> {
    compute(
        &project(text),
        sources,
        &ServerInfo::centos7(machine),
        &tools(),
        "20260101-120000",
        "dev-laptop",
    )
}

#[test]
fn a_project_with_its_own_dockerfile_over_ssh_plans_every_decision() {
    let plan = plan_of(BASE, &own(), "x86_64").unwrap();
    assert_eq!(
        serde_json::to_value(&plan).unwrap(),
        json!({
            "app": "hello",
            "version": "20260101-120000",
            "platform": {
                "platform": "linux/amd64",
                "reason": "server_arch",
                "server_machine": "x86_64"
            },
            "builder": {
                "kind": "docker",
                "reason": "engine_answers",
                "dockerfile": { "source": "own", "path": "Dockerfile" }
            },
            "build": {
                "platform": "linux/amd64",
                "tag": "hello:20260101-120000",
                "build_args": {},
                "labels": { "ferry.app": "hello" }
            },
            "transport": { "via": "ssh" },
            "container": {
                "name": "hello",
                "image": "hello:20260101-120000",
                "ports": ["18080:8080"],
                "env": { "GREETING": "hi there" },
                "secret_env": [],
                "volumes": [],
                "restart": "unless-stopped",
                "memory": "64m",
                "strategy": "start-first",
                "keep_releases": 3,
                "labels": {
                    "ferry.app": "hello",
                    "ferry.deployed-by": "dev-laptop",
                    "ferry.version": "20260101-120000"
                }
            },
            "health": {
                "path": "/healthz",
                "port": 18080,
                "host_ip": null,
                "container_port": 8080,
                "timeout_secs": 30
            },
            "url": "http://10.0.0.2:18080/"
        })
    );
}

fn builder_dockerfile(plan: &Plan) -> &DockerfilePlan {
    match &plan.builder {
        BuilderPlan::Docker { dockerfile, .. } => dockerfile,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_generated_dockerfile_is_in_the_plan_with_its_text_and_images() {
    let text = BASE.replace(
        "name='hello'",
        "name='hello'\nruntime_image='mirror.example/static'\nbuild_args={APP_ENV='prod'}",
    );
    let plan = plan_of(&text, &module(), "x86_64").unwrap();
    let DockerfilePlan::Generated {
        path,
        module,
        main_package,
        builder_image,
        runtime_image,
        text: dockerfile,
    } = builder_dockerfile(&plan)
    else {
        panic!("{:?}", plan.builder)
    };
    assert_eq!(path, GENERATED_DOCKERFILE);
    assert_eq!(module, "example.com/hello");
    assert_eq!(main_package, "./cmd/hello");
    assert_eq!(builder_image, "golang:1.22");
    assert_eq!(runtime_image, "mirror.example/static");
    assert!(
        dockerfile.contains("FROM mirror.example/static\n"),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("EXPOSE 8080"), "{dockerfile}");
    assert!(
        dockerfile.contains("--mount=type=cache"),
        "BuildKit: {dockerfile}"
    );
    assert_eq!(builder_dockerfile(&plan).path(), GENERATED_DOCKERFILE);
    assert_eq!(
        plan.build.build_args,
        BTreeMap::from([("APP_ENV".to_string(), "prod".to_string())])
    );
    assert_eq!(
        builder_dockerfile(&plan).extra_files(),
        vec![(
            GENERATED_DOCKERFILE.to_string(),
            dockerfile.clone().into_bytes()
        )]
    );

    // The classic builder has no cache mounts: the generated text says so.
    let classic = EngineInfo {
        buildkit_available: false,
        ..engine()
    };
    let df = dockerfile_plan(&project(&text).config, &self::module(), &classic).unwrap();
    let DockerfilePlan::Generated { text, .. } = df else {
        panic!()
    };
    assert!(!text.contains("--mount=type=cache"), "{text}");
}

#[test]
fn with_a_registry_the_image_travels_through_it() {
    let text = format!(
        "{BASE}[registry]\nserver='10.250.0.1:5000'\nusername='deploy'\nrepository='team/hello'\n"
    );
    let plan = plan_of(&text, &own(), "x86_64").unwrap();
    let image = "10.250.0.1:5000/team/hello:20260101-120000";
    assert_eq!(
        plan.transport,
        Transport::Registry {
            image: image.into()
        }
    );
    assert_eq!(plan.container.image, image);
    assert_eq!(
        plan.build.tag, "hello:20260101-120000",
        "built under its local tag"
    );
    assert_eq!(
        serde_json::to_value(&plan.transport).unwrap(),
        json!({ "via": "registry", "image": image })
    );
}

#[test]
fn auto_takes_the_servers_platform_a_configured_one_is_kept_and_a_mismatch_stops() {
    let auto = plan_of(BASE, &own(), "aarch64").unwrap();
    assert_eq!(auto.platform.platform, Platform::Arm64);
    assert_eq!(auto.platform.reason, PlatformReason::ServerArch);
    assert_eq!(auto.build.platform, Platform::Arm64);

    let pinned = BASE.replace("name='hello'", "name='hello'\nplatform='linux/arm64'");
    let configured = plan_of(&pinned, &own(), "aarch64").unwrap();
    assert_eq!(configured.platform.platform, Platform::Arm64);
    assert_eq!(configured.platform.reason, PlatformReason::Configured);

    let err = plan_of(&pinned, &own(), "x86_64").unwrap_err();
    assert!(matches!(err, PlanError::PlatformMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains("exec format error"), "{err}");
    assert_eq!(
        target_platform(&project(BASE), &ServerInfo::centos7("aarch64")).unwrap(),
        Platform::Arm64
    );

    let err = plan_of(BASE, &own(), "riscv64").unwrap_err();
    assert!(err.to_string().contains("riscv64"), "{err}");
}

#[test]
fn secret_env_appears_by_name_only() {
    let text = BASE.replace(
        "memory='64m'",
        "memory='64m'\nsecret_env=['DB_PASSWORD']\nvolumes=['/srv/hello:/data']\nstrategy='stop-first'",
    );
    let plan = plan_of(&text, &own(), "x86_64").unwrap();
    assert_eq!(plan.container.secret_env, ["DB_PASSWORD"]);
    assert_eq!(plan.container.volumes, ["/srv/hello:/data"]);
    assert_eq!(plan.container.strategy, Strategy::StopFirst);

    let spec = plan
        .container
        .run_spec(vec![("DB_PASSWORD".into(), Secret::new("s3cr3t-value"))]);
    let json = serde_json::to_string(&plan).unwrap();
    assert!(
        json.contains("DB_PASSWORD") && !json.contains("s3cr3t"),
        "{json}"
    );
    assert_eq!(spec.secret_env.len(), 1);
}

#[test]
fn the_run_spec_carries_the_config() {
    let plan = plan_of(BASE, &own(), "x86_64").unwrap();
    let spec = plan.container.run_spec(Vec::new());
    assert_eq!(
        crate::adapters::remote::DockerCli::default()
            .run(&spec)
            .shell(),
        "docker run --detach --name hello --label ferry.app=hello \
         --label ferry.deployed-by=dev-laptop --label ferry.version=20260101-120000 --restart unless-stopped --memory 64m \
         --publish 18080:8080 --env 'GREETING=hi there' hello:20260101-120000"
    );
}

#[test]
fn the_health_gate_uses_the_published_port() {
    let gate = health_gate(&project(BASE));
    assert_eq!(gate.port, Some(18080));
    assert_eq!(gate.container_port, Some(8080));
    assert_eq!(gate.path.as_deref(), Some("/healthz"));
    assert_eq!(gate.timeout, Duration::from_secs(30));
    assert_eq!(gate.settle, Duration::from_secs(5));
    assert_eq!(
        url(&project(BASE)).as_deref(),
        Some("http://10.0.0.2:18080/")
    );

    let bound = BASE.replace("'18080:8080'", "'127.0.0.1:18080:8080'");
    let gate = health_gate(&project(&bound));
    assert_eq!(gate.host_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(
        url(&project(&bound)).as_deref(),
        Some("http://127.0.0.1:18080/")
    );
}

#[test]
fn a_windows_containers_engine_cannot_build_the_plan() {
    let windows = EngineInfo {
        os_type: "windows".into(),
        ..engine()
    };
    let err = compute(
        &project(BASE),
        &own(),
        &ServerInfo::centos7("x86_64"),
        &Tools {
            engine: Some(windows),
            go: None,
        },
        "1",
        "dev-laptop",
    )
    .unwrap_err();
    assert!(matches!(err, PlanError::WindowsContainers), "{err:?}");
}

#[test]
fn the_sources_are_the_configured_dockerfile_the_own_one_or_the_go_module() {
    let dir = tempfile::tempdir().unwrap();
    let at = |text: &str| Project {
        path: dir.path().join("ferry.toml"),
        config: Config::parse(text, std::path::Path::new("ferry.toml")).unwrap(),
    };
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/x\n\ngo 1.21\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("main.go"), "package main\nfunc main() {}\n").unwrap();
    let Sources::GoModule(m) = read_sources(&at(BASE), Builder::Auto).unwrap() else {
        panic!("a Go module")
    };
    assert_eq!(m.module, "example.com/x");

    std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
    assert_eq!(read_sources(&at(BASE), Builder::Auto).unwrap(), own());

    let named = BASE.replace(
        "name='hello'",
        "name='hello'\ndockerfile='build/Dockerfile'",
    );
    let err = read_sources(&at(&named), Builder::Docker).unwrap_err();
    assert!(
        matches!(err, PlanError::MissingDockerfile(ref p) if p == "build/Dockerfile"),
        "{err:?}"
    );
}

#[test]
fn the_builder_is_the_configured_one_else_docker_when_its_engine_answers_else_go() {
    let both = Tools {
        engine: Some(engine()),
        go: Some(go()),
    };
    let only_go = Tools {
        engine: None,
        go: Some(go()),
    };
    let neither = Tools::default();
    use BuilderReason::*;
    let cases = [
        (Builder::Auto, &both, Ok((Builder::Docker, EngineAnswers))),
        (Builder::Auto, &only_go, Ok((Builder::Go, NoEngine))),
        (Builder::Go, &both, Ok((Builder::Go, Configured))),
        (Builder::Docker, &only_go, Ok((Builder::Docker, Configured))),
        (Builder::Go, &tools(), Err("no-go")),
        (Builder::Auto, &neither, Err("no-builder")),
    ];
    for (wanted, tools, want) in cases {
        let got = choose_builder(wanted, tools, Some("engine down"));
        match (got, want) {
            (Ok(g), Ok(w)) => assert_eq!(g, w, "{wanted:?}"),
            (Err(PlanError::NoGo), Err("no-go")) => {}
            (Err(PlanError::NoBuilder { engine }), Err("no-builder")) => {
                assert_eq!(engine, "engine down")
            }
            (g, w) => panic!("{wanted:?}: {g:?} vs {w:?}"),
        }
    }
}

#[test]
fn the_go_builder_plans_a_static_cross_compile_and_a_non_root_image() {
    let text = BASE.replace(
        "name='hello'",
        "name='hello'\nbuilder='go'\nbuild_args={GOFLAGS='-mod=mod', version='1.4.2'}",
    );
    let Sources::GoModule(m) = module() else {
        panic!()
    };
    let sources = Sources::GoBuilder {
        module: m,
        ignored_dockerfile: Some("Dockerfile".into()),
    };
    let plan = compute(
        &project(&text),
        &sources,
        &ServerInfo::centos7("aarch64"),
        &Tools {
            engine: None,
            go: Some(go()),
        },
        "20260101-120000",
        "dev-laptop",
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(&plan.builder).unwrap(),
        json!({
            "kind": "go",
            "reason": "configured",
            "go": {
                "go": "/usr/local/go/bin/go",
                "go_version": "go1.22.4",
                "module": "example.com/hello",
                "main_package": "./cmd/hello",
                "goos": "linux",
                "goarch": "arm64",
                "args": ["build", "-trimpath", "-tags", "timetzdata", "-ldflags",
                         "-s -w -X main.version=1.4.2"],
                "env": {
                    "CGO_ENABLED": "0",
                    "GOARCH": "arm64",
                    "GOFLAGS": "-mod=mod",
                    "GOOS": "linux"
                },
                "ignored_dockerfile": "Dockerfile",
                "image": {
                    "user": "65532:65532",
                    "entrypoint": ["/app"],
                    "exposed_ports": [8080],
                    "env": {},
                    "labels": { "ferry.app": "hello" }
                }
            }
        })
    );
    // The image is what the server runs: arm64, under the app's tag.
    assert_eq!(plan.build.platform, Platform::Arm64);
    assert_eq!(plan.container.image, "hello:20260101-120000");
}

#[test]
fn a_docker_build_fetches_modules_through_the_proxy_go_env_names() {
    let text = BASE.replace(
        "name='hello'",
        "name='hello'\nbuild_args={GOPRIVATE='mine.example/*'}",
    );
    let plan = compute(
        &project(&text),
        &module(),
        &ServerInfo::centos7("x86_64"),
        &Tools {
            engine: Some(engine()),
            go: Some(go()),
        },
        "1",
        "dev-laptop",
    )
    .unwrap();
    assert_eq!(plan.builder.kind(), Builder::Docker);
    assert_eq!(
        plan.build.build_args,
        BTreeMap::from([
            (
                "GOPROXY".to_string(),
                "https://goproxy.cn,direct".to_string()
            ),
            // ferry.toml's own value wins over go env's.
            ("GOPRIVATE".to_string(), "mine.example/*".to_string()),
        ])
    );
}

#[test]
fn vendored_modules_build_from_vendor_with_the_go_builder() {
    let Sources::GoModule(mut m) = module() else {
        panic!()
    };
    m.has_vendor = true;
    let build = go_build(&project(BASE).config, &m, None, &go(), Platform::Amd64);
    assert_eq!(build.args[..2], ["build", "-mod=vendor"]);
    assert_eq!(build.env["GOARCH"], "amd64");
}
