//! Releases that fail for real on the testbed server, each for one of the reasons our users
//! meet, and the diagnosis Ferry gives: the recognised cause, in English and Chinese, with the
//! container's evidence. Nothing else runs in their place afterwards.

use ferry_e2e::{assert_says, Project, Run, Testbed};

/// Deploys with `--json`, expects it to fail, and returns the final event's diagnosis.
fn failed_diagnosis(p: &Project) -> (Run, serde_json::Value) {
    let run = p.ferry(&["--json", "deploy"]);
    assert!(
        !run.succeeded(),
        "the deploy should have failed:\n{}",
        run.stderr
    );
    let events = run.events();
    let last = events.last().expect("events").clone();
    assert_eq!(last["event"], "failed", "{last}");
    let diagnosis = last["diagnosis"].clone();
    assert!(diagnosis.is_object(), "no diagnosis in {last}");
    (run, diagnosis)
}

fn assert_nothing_runs(tb: &Testbed, app: &str) {
    let out = tb.server_docker(&["ps", "-q", "--filter", &format!("label=ferry.app={app}")]);
    assert!(
        out.stdout.is_empty(),
        "a failed first release must not stay running"
    );
}

/// An own Dockerfile for hello-go whose final stage starts with `entrypoint`.
fn own_dockerfile(tb: &Testbed, build: &str, entrypoint: &str) -> String {
    format!(
        "FROM {go} AS build\nWORKDIR /src\nCOPY . .\n{build}\n\nFROM {runtime}\n\
         COPY --from=build /out/hello /hello\nUSER 65532\nEXPOSE 8080\nENTRYPOINT {entrypoint}\n",
        go = tb.get("FERRY_TB_GO_IMAGE"),
        runtime = tb.get("FERRY_TB_RUNTIME_IMAGE"),
    )
}

#[test]
fn a_memory_hungry_release_is_named_oom_killed() {
    let tb = Testbed::load();
    let app = "e2e-diag-oom";
    let p = tb.project(app, 18401, "");
    p.edit("memory = \"128m\"", "memory = \"32m\"");
    // Touches 256 MiB at start-up: far over the 32 MiB limit.
    p.write(
        "hog.go",
        "package main\n\nvar hog []byte\n\nfunc init() {\n\thog = make([]byte, 256<<20)\n\
         \tfor i := range hog {\n\t\thog[i] = 1\n\t}\n}\n",
    );
    let (_, d) = failed_diagnosis(&p);
    assert_eq!(d["cause"], "oom_killed", "{d}");
    assert_eq!(d["oom_killed"], true, "{d}");
    // Under a restart policy the container may be up again when inspected: no exit code then.
    assert!(d["exit_code"] == 137 || d["exit_code"].is_null(), "{d}");
    assert_says(&d["hint"], "memory", "内存");
    assert_nothing_runs(&tb, app);
}

#[test]
fn a_binary_for_another_cpu_is_named_exec_format_error() {
    let tb = Testbed::load();
    let app = "e2e-diag-arch";
    let p = tb.project(app, 18402, "dockerfile = \"Dockerfile\"");
    // GOARCH hidden in a build script, where no Dockerfile check can see it.
    p.write(
        "build.sh",
        "CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -o /out/hello .\n",
    );
    p.write(
        "Dockerfile",
        &own_dockerfile(&tb, "RUN sh build.sh", "[\"/hello\"]"),
    );
    let run = p.ferry(&["--json", "deploy"]);
    assert!(!run.succeeded());
    let last = run.events().last().unwrap().clone();
    // A newer engine labels the image with its binary's arch, and Ferry stops after the build;
    // Docker 20.10 (the testbed's) labels the requested platform, so the server runs it.
    if last["diagnosis"].is_null() {
        run.assert_fails_with("arm64");
    } else {
        let d = &last["diagnosis"];
        assert_eq!(d["cause"], "exec_format", "{d}");
        assert!(
            d["log_tail"].to_string().contains("exec format error"),
            "{d}"
        );
        assert_says(&d["hint"], "platform", "platform");
    }
    assert_nothing_runs(&tb, app);
}

#[test]
fn a_missing_interpreter_is_named_no_such_file() {
    let tb = Testbed::load();
    let app = "e2e-diag-interp";
    let p = tb.project(app, 18403, "dockerfile = \"Dockerfile\"");
    // The runtime image has no bash, as alpine and scratch have none.
    p.write(
        "Dockerfile",
        &own_dockerfile(
            &tb,
            "RUN CGO_ENABLED=0 go build -o /out/hello .",
            "[\"/bin/bash\", \"-c\", \"exec /hello\"]",
        ),
    );
    let (_, d) = failed_diagnosis(&p);
    assert_eq!(d["cause"], "no_such_file", "{d}");
    assert_says(&d["hint"], "interpreter", "解释器");
    assert_nothing_runs(&tb, app);
}

#[test]
fn a_volume_the_app_may_not_write_is_named_permission_denied() {
    let tb = Testbed::load();
    let app = "e2e-diag-perm";
    // The server shares this machine's disk: a folder only root may write, as a fresh
    // `mkdir` under sudo leaves it.
    let dir = tempfile::Builder::new()
        .prefix("ferry-e2e-vol-")
        .tempdir()
        .unwrap();
    let vol = dir.path().to_str().unwrap().to_string();
    let p = tb.project(app, 18404, "dockerfile = \"Dockerfile\"");
    p.write(
        "Dockerfile",
        &own_dockerfile(
            &tb,
            "RUN CGO_ENABLED=0 go build -o /out/hello .",
            "[\"/bin/sh\", \"-c\", \"echo started > /data/started && exec /hello\"]",
        ),
    );
    p.edit(
        "memory = \"128m\"",
        &format!("memory = \"128m\"\nvolumes = [\"{vol}:/data\"]"),
    );
    let (_, d) = failed_diagnosis(&p);
    assert_eq!(d["cause"], "permission_denied", "{d}");
    assert!(
        d["log_tail"].to_string().contains("Permission denied"),
        "{d}"
    );
    assert_says(&d["hint"], ":Z", ":Z");
    assert_nothing_runs(&tb, app);
}

#[test]
fn an_app_that_never_answers_is_named_health_timeout() {
    let tb = Testbed::load();
    let app = "e2e-diag-timeout";
    let p = tb.project(app, 18405, "");
    // It listens, but not on the container port that is published.
    p.edit(
        "env = { GREETING = \"hello from e2e-diag-timeout\" }",
        "env = { GREETING = \"hi\", PORT = \"9090\" }",
    );
    p.edit("timeout_secs = 20", "timeout_secs = 8");
    let (_, d) = failed_diagnosis(&p);
    assert_eq!(d["cause"], "health_timeout", "{d}");
    assert_says(&d["summary"], "did not pass within 8 s", "8 秒内没有通过");
    assert!(
        d["log_tail"].to_string().contains("listening on :9090"),
        "{d}"
    );
    assert_nothing_runs(&tb, app);
}
