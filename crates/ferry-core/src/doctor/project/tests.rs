use super::*;
use crate::doctor::finding::Severity;
use crate::doctor::test_project::{assert_finding, only, TestProject};

const MAIN: &str = "package main\n\nfunc main() {}\n";

fn go_project(app: &str) -> TestProject {
    let p = TestProject::empty(app, "");
    p.write("go.mod", "module example.com/app\n\ngo 1.22\n");
    p.write("main.go", MAIN);
    p
}

fn has(p: &TestProject, id: &str) -> bool {
    check(&p.project, None).iter().any(|f| f.id == id)
}

fn sparse(p: &TestProject, path: &str, len: u64) {
    let path = p.root().join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::File::create(path).unwrap().set_len(len).unwrap();
}

#[test]
fn a_large_context_without_dockerignore_gets_one_that_keeps_what_the_build_copies() {
    let mut p = go_project("");
    p.write(
        "Dockerfile",
        "FROM alpine:3.20\nCOPY bin/server /app\nCOPY go.mod main.go /src/\nUSER 65532\n",
    );
    sparse(&p, ".git/objects/pack/pack-1.pack", 180_000_000);
    sparse(&p, "assets/video.mp4", 60_000_000);
    sparse(&p, "bin/server", 12_000_000);
    sparse(&p, "backup.zip", 11_000_000);
    sparse(&p, "internal/gen/big.go", 20_000_000);
    let all = check(&p.project, None);
    let f = only(&all, "context.large_without_dockerignore");
    assert_finding(
        f,
        Severity::Warning,
        &[
            "283 MB in the build context",
            "biggest: .git/ 180 MB, assets/ 60 MB, internal/ 20 MB, bin/ 12 MB, backup.zip 11 MB",
        ],
        &[".git\n", "assets/\n"],
    );
    p.apply(f);
    let ignore = p.read(".dockerignore");
    for line in [
        ".git",
        ".idea",
        "*.exe",
        "node_modules/",
        "*.log",
        "assets/",
        "backup.zip",
    ] {
        assert!(
            ignore.lines().any(|l| l == line),
            "{line} missing:\n{ignore}"
        );
    }
    // The Dockerfile copies bin/server; internal/ holds Go code.
    for line in ["bin/", "internal/"] {
        assert!(
            !ignore.lines().any(|l| l == line),
            "{line} listed:\n{ignore}"
        );
    }
    assert!(!has(&p, "context.large_without_dockerignore"));
}

#[test]
fn a_small_context_or_one_with_a_dockerignore_is_fine() {
    let p = go_project("");
    sparse(&p, "assets/video.mp4", 40_000_000);
    assert!(!has(&p, "context.large_without_dockerignore"));
    sparse(&p, ".git/objects/pack/pack-1.pack", 180_000_000);
    assert!(has(&p, "context.large_without_dockerignore"));
    p.write(".dockerignore", "assets\n");
    assert!(!has(&p, "context.large_without_dockerignore"));
}

#[test]
fn crlf_scripts_without_a_shebang_are_a_warning_and_are_converted() {
    let mut p = go_project("");
    p.write(".dockerignore", "ignored/\n");
    p.write("scripts/start.sh", "#!/bin/sh\r\nexec /app\r\n");
    p.write("entrypoint.sh", "set -e\r\necho hi\r\nexec \"$@\"\r\n");
    p.write("ignored/old.sh", "echo\r\n");
    p.write("scripts/lf.sh", "#!/bin/sh\necho ok\n");
    let all = check(&p.project, None);
    let f = only(&all, "context.crlf_scripts");
    assert_finding(
        f,
        Severity::Warning,
        &[
            "entrypoint.sh: 3 lines end with \\r\\n (no #! line: sent as it is)",
            "scripts/start.sh: 2 lines end with \\r\\n (Ferry sends it with LF)",
        ],
        &["eol=lf"],
    );
    assert!(!f.evidence.as_deref().unwrap().contains("ignored/"));
    assert!(f.message.en.contains("command not found"));
    p.apply(f);
    assert_eq!(p.read("entrypoint.sh"), "set -e\necho hi\nexec \"$@\"\n");
    assert_eq!(p.read("scripts/start.sh"), "#!/bin/sh\nexec /app\n");
    assert_eq!(p.read("ignored/old.sh"), "echo\r\n");
    assert!(!has(&p, "context.crlf_scripts"));
}

#[test]
fn crlf_scripts_ferry_converts_are_only_info() {
    let p = go_project("");
    p.write("run", "#!/bin/bash\r\necho hi\r\n");
    let all = check(&p.project, None);
    let f = only(&all, "context.crlf_scripts");
    assert_finding(f, Severity::Info, &["run: 2 lines end with"], &[]);
}

#[test]
fn gbk_files_are_named_with_their_line_and_converted_to_utf8() {
    let mut p = go_project("");
    let yaml = "# 配置\nname: 订单服务\nport: 8080\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(yaml);
    p.write("config/app.yaml", &gbk);
    let go = "package main\n\n// 主程序\nvar greeting = \"你好\"\n";
    p.write("hello.go", encoding_rs::GBK.encode(go).0);
    // UTF-16 (Notepad's "Unicode"): named, not converted.
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain("a=1\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    p.write("settings.ini", &utf16);
    p.write("notes.md", &gbk);
    p.write("ok.txt", "好的\n");
    let all = check(&p.project, None);
    let f = only(&all, "context.non_utf8");
    assert_finding(
        f,
        Severity::Warning,
        &[
            "config/app.yaml: line 1 (as GBK: # 配置)",
            "hello.go: line 3 (as GBK: // 主程序)",
            "settings.ini: line 1",
        ],
        &["UTF-8"],
    );
    let ev = f.evidence.clone().unwrap();
    assert!(!ev.contains("notes.md") && !ev.contains("ok.txt"), "{ev}");
    p.apply(f);
    assert_eq!(p.read("config/app.yaml"), yaml);
    assert_eq!(p.read("hello.go"), go);
    let all = check(&p.project, None);
    let left = only(&all, "context.non_utf8");
    assert_eq!(left.evidence.as_deref(), Some("settings.ini: line 1"));
    assert!(left.auto_fix.is_none());
}

#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_is_named_unless_ignored() {
    use std::os::unix::ffi::OsStrExt;
    let p = go_project("");
    let (gbk_name, _, _) = encoding_rs::GBK.encode("说明.txt");
    let name = std::ffi::OsStr::from_bytes(&gbk_name);
    std::fs::create_dir_all(p.root().join("docs")).unwrap();
    std::fs::write(p.root().join("docs").join(name), "x").unwrap();
    let all = check(&p.project, None);
    let f = only(&all, "context.non_utf8");
    let ev = f.evidence.as_deref().unwrap();
    assert!(
        ev.starts_with("docs/") && ev.ends_with(": the name is not UTF-8"),
        "{ev}"
    );
    p.write(".dockerignore", "docs\n");
    assert!(!has(&p, "context.non_utf8"));
}

#[test]
fn a_go_line_newer_than_the_builder_stops_the_deploy_only_where_go_enforces_it() {
    // Go 1.21 and newer refuse a module whose go line is newer; Go 1.19 and 1.20 build it and
    // only fail where the code uses something newer.
    for (builder, severity, says) in [
        (
            "1.19",
            Severity::Warning,
            "the build may work, but fails (\"note: module requires Go 1.23\") if the code uses",
        ),
        (
            "1.20",
            Severity::Warning,
            "Go 1.20, which does not enforce that (Go 1.21 and newer do)",
        ),
        ("1.21", Severity::Error, "go: go.mod requires go >= 1.23"),
        ("1.22", Severity::Error, "go: go.mod requires go >= 1.23"),
    ] {
        let mut p = go_project(&format!("builder_image = \"golang:{builder}-alpine\""));
        p.write("go.mod", "module example.com/app\n\ngo 1.23\n");
        let all = check(&p.project, None);
        let f = only(&all, "gomod.go_too_new");
        assert_finding(
            f,
            severity,
            &[
                "go.mod: go 1.23",
                &format!("ferry.toml [app] builder_image = \"golang:{builder}-alpine\""),
            ],
            &["Build with golang:1.23-alpine, or lower the go line in go.mod"],
        );
        assert!(f.message.en.contains(says), "{builder}: {}", f.message.en);
        assert!(
            f.message.zh.contains(&format!("构建使用的是 Go {builder}")),
            "{builder}: {}",
            f.message.zh
        );
        let fix_zh = &f.fix.as_ref().unwrap().zh;
        assert!(fix_zh.contains("使用 golang:1.23-alpine 构建"), "{fix_zh}");
        p.apply(f);
        assert!(p
            .read("ferry.toml")
            .contains("builder_image = \"golang:1.23-alpine\""));
        assert!(!has(&p, "gomod.go_too_new"), "{builder}");
    }
}

#[test]
fn a_go_mod_in_go_1_21_syntax_stops_the_deploy_with_an_older_builder() {
    // Go 1.19 and 1.20 read only `go 1.N`, and no toolchain line: the build fails whatever
    // the code uses.
    for builder in ["1.19", "1.20"] {
        for (go_mod, line, says) in [
            (
                "go 1.22.3\n",
                "go.mod: go 1.22.3\n",
                "(`go 1.22.3` is Go 1.21 syntax): it fails with \"invalid go version '1.22.3': \
                 must match format 1.23\"",
            ),
            (
                "go 1.22\n\ntoolchain go1.22.1\n",
                "go.mod: go 1.22, toolchain go1.22.1\n",
                "(`toolchain go1.22.1` is Go 1.21 syntax): it fails with \"unknown directive: \
                 toolchain\"",
            ),
        ] {
            let p = go_project(&format!("builder_image = \"golang:{builder}\""));
            p.write("go.mod", format!("module example.com/app\n\n{go_mod}"));
            let all = check(&p.project, None);
            let f = only(&all, "gomod.go_too_new");
            assert_finding(f, Severity::Error, &[line], &["Build with golang:1.22,"]);
            assert!(f.message.en.contains(says), "{builder}: {}", f.message.en);
            assert!(
                f.message.zh.contains("读不了这个 go.mod"),
                "{}",
                f.message.zh
            );
        }
    }
}

#[test]
fn an_old_builder_image_behind_a_mirror_is_raised_to_go_mods_version() {
    let image = "registry.cn-hangzhou.aliyuncs.com/library/golang:1.19";
    let mut p = go_project(&format!("builder_image = \"{image}\" # mirror"));
    let all = check(&p.project, None);
    let f = only(&all, "gomod.go_too_new");
    assert_finding(
        f,
        Severity::Warning,
        &[
            "go.mod: go 1.22",
            "ferry.toml [app] builder_image = \"registry.cn-hangzhou.aliyuncs.com/library/golang:1.19\"",
        ],
        &["registry.cn-hangzhou.aliyuncs.com/library/golang:1.22"],
    );
    assert!(f.message.en.contains("note: module requires Go 1.22"));
    p.apply(f);
    let toml = p.read("ferry.toml");
    assert!(
        toml.contains(
            "builder_image = \"registry.cn-hangzhou.aliyuncs.com/library/golang:1.22\" # mirror"
        ),
        "{toml}"
    );
    assert!(!has(&p, "gomod.go_too_new"));
}

#[test]
fn an_old_golang_stage_in_the_own_dockerfile_gets_a_new_tag() {
    let mut p = go_project("");
    p.write(
        "go.mod",
        "module example.com/app\n\ngo 1.22.3\n\ntoolchain go1.23.1\n",
    );
    p.write(
        "Dockerfile",
        "FROM golang:1.21-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n\
         FROM alpine:3.20\nCOPY --from=build /app /app\n",
    );
    let all = check(&p.project, None);
    let f = only(&all, "gomod.go_too_new");
    assert_finding(
        f,
        Severity::Error,
        &[
            "go.mod: go 1.22.3",
            "Dockerfile:1: FROM golang:1.21-alpine AS build",
        ],
        &["golang:1.22-alpine"],
    );
    p.apply(f);
    assert!(p
        .read("Dockerfile")
        .starts_with("FROM golang:1.22-alpine AS build\nWORKDIR /src\n"));
    assert!(!has(&p, "gomod.go_too_new"));
}

#[test]
fn new_enough_or_unknown_go_images_are_fine() {
    for image in [
        "golang:1.22",
        "golang:1.23.1-bookworm",
        "golang:alpine",
        "golang",
        "example.com/tools/go-builder:1.0",
    ] {
        let p = go_project(&format!("builder_image = \"{image}\""));
        p.write("go.mod", "module example.com/app\n\ngo 1.22.3\n");
        assert!(!has(&p, "gomod.go_too_new"), "{image}");
    }
    let p = go_project("");
    p.write(
        "Dockerfile",
        "ARG GO=1.22\nFROM golang:${GO} AS build\nRUN go build -o /app .\n",
    );
    assert!(!has(&p, "gomod.go_too_new"));
    p.write(
        "Dockerfile",
        "ARG GO=1.20\nFROM golang:${GO} AS build\nRUN go build -o /app .\n",
    );
    let all = check(&p.project, None);
    // Found through the ARG, but the ARG is where to change it: no automatic edit.
    assert!(only(&all, "gomod.go_too_new").auto_fix.is_none());
}
