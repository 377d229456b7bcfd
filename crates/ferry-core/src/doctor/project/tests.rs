use super::*;
use crate::catalog::Lang;
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
    assert!(f.message.render(Lang::En).contains("command not found"));
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
        assert!(
            f.message.render(Lang::En).contains(says),
            "{builder}: {}",
            f.message.render(Lang::En)
        );
        assert!(
            f.message
                .render(Lang::Zh)
                .contains(&format!("构建使用的是 Go {builder}")),
            "{builder}: {}",
            f.message.render(Lang::Zh)
        );
        let fix_zh = &f.fix.as_ref().unwrap().render(Lang::Zh);
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
            assert!(
                f.message.render(Lang::En).contains(says),
                "{builder}: {}",
                f.message.render(Lang::En)
            );
            assert!(
                f.message.render(Lang::Zh).contains("读不了这个 go.mod"),
                "{}",
                f.message.render(Lang::Zh)
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
    assert!(f
        .message
        .render(Lang::En)
        .contains("note: module requires Go 1.22"));
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

// --- container.start_first_embedded_db --------------------------------------------------

const EMBEDDED_DB: &str = "container.start_first_embedded_db";
const VOLUME: &str = "volumes = [\"/srv/t/data:/data\"]";
const HEALTH: &str = "\n[health]\npath = \"/healthz\"\nport = 8080";

/// A project whose go.mod has `requires` after its `go` line (which is line 3, so the first
/// line of `requires` is line 5), and `container` under [container].
fn store_project(app: &str, requires: &str, container: &str) -> TestProject {
    let p = TestProject::empty(app, container);
    p.write(
        "go.mod",
        format!("module example.com/app\n\ngo 1.22\n\n{requires}"),
    );
    p
}

fn embedded_db(p: &TestProject) -> Option<Finding> {
    let all = check(&p.project, None);
    all.iter()
        .any(|f| f.id == EMBEDDED_DB)
        .then(|| only(&all, EMBEDDED_DB).clone())
}

#[test]
fn an_embedded_database_in_a_shared_volume_under_start_first_asks_for_stop_first() {
    use Severity::{Error, Warning};
    // (go.mod requires, the module named, severity, the go.mod evidence, what happens)
    let cases: &[(&str, &str, Severity, &str, &str)] = &[
        (
            "require go.etcd.io/bbolt v1.3.10\n",
            "BoltDB (go.etcd.io/bbolt)",
            Error,
            "go.mod:5: require go.etcd.io/bbolt v1.3.10",
            "never passes its health check and every deploy fails",
        ),
        (
            "require (\n\tgithub.com/spf13/cobra v1.8.0\n\tgithub.com/boltdb/bolt v1.3.1 // indirect\n)\n",
            "BoltDB (github.com/boltdb/bolt)",
            Error,
            "go.mod:7: github.com/boltdb/bolt v1.3.1 // indirect",
            "waits for the file lock",
        ),
        (
            "require github.com/dgraph-io/badger/v4 v4.2.0\n",
            "BadgerDB (github.com/dgraph-io/badger/v4)",
            Error,
            "go.mod:5: require github.com/dgraph-io/badger/v4 v4.2.0",
            "Cannot acquire directory lock",
        ),
        (
            "require github.com/dgraph-io/badger v1.6.2\n",
            "BadgerDB (github.com/dgraph-io/badger)",
            Error,
            "go.mod:5:",
            "Cannot acquire directory lock",
        ),
        (
            "require (\n\tgithub.com/syndtr/goleveldb v1.0.0 // indirect\n)\n",
            "LevelDB (github.com/syndtr/goleveldb)",
            Error,
            "go.mod:6: github.com/syndtr/goleveldb v1.0.0 // indirect",
            "LOCK file",
        ),
        (
            "require github.com/cockroachdb/pebble v1.1.2\n",
            "Pebble (github.com/cockroachdb/pebble)",
            Error,
            "go.mod:5:",
            "LOCK file",
        ),
    ];
    let sqlite = [
        "github.com/mattn/go-sqlite3 v1.14.22",
        "modernc.org/sqlite v1.29.5",
        "github.com/glebarez/sqlite v1.11.0",
        "github.com/glebarez/go-sqlite v1.22.0",
        "gorm.io/driver/sqlite v1.5.5",
        "zombiezen.com/go/sqlite v1.1.2",
        "crawshaw.io/sqlite v0.3.2",
        "github.com/ncruces/go-sqlite3 v0.14.0",
    ];
    let sqlite: Vec<(String, String, String)> = sqlite
        .iter()
        .map(|line| {
            let module = line.split(' ').next().unwrap();
            (
                format!("require (\n\t{line} // indirect\n)\n"),
                format!("SQLite ({module})"),
                format!("go.mod:6: {line} // indirect"),
            )
        })
        .collect();
    let all = cases
        .iter()
        .map(|(r, m, s, e, w)| (*r, *m, *s, *e, *w))
        .chain(sqlite.iter().map(|(r, m, e)| {
            (
                r.as_str(),
                m.as_str(),
                Warning,
                e.as_str(),
                "database is locked",
            )
        }));
    for (requires, module, severity, evidence, happens) in all {
        let mut p = store_project("", requires, &format!("{VOLUME}\n{HEALTH}"));
        let f = embedded_db(&p).unwrap_or_else(|| panic!("nothing found for {module}"));
        assert_finding(
            &f,
            severity,
            &[
                evidence,
                "ferry.toml [container]: strategy start-first, volumes \"/srv/t/data:/data\"",
            ],
            &[
                "strategy = \"stop-first\" under [container]",
                "a few seconds",
            ],
        );
        let en = &f.message.render(Lang::En);
        for part in [
            &format!("the app uses {module} and [container] strategy is start-first"),
            "two copies of the app run at once and share the volume \"/srv/t/data:/data\"",
            happens,
        ] {
            assert!(en.contains(part), "{module}: {part:?} not in {en}");
        }
        assert!(
            f.message.render(Lang::Zh).contains("两个应用副本同时运行"),
            "{}",
            f.message.render(Lang::Zh)
        );
        assert!(f
            .fix
            .as_ref()
            .unwrap()
            .render(Lang::Zh)
            .contains("stop-first"));
        p.apply(&f);
        assert_eq!(p.project.config.container.strategy, Strategy::StopFirst);
        assert!(
            embedded_db(&p).is_none(),
            "{module}: still found after the fix"
        );
    }
}

#[test]
fn bolt_without_a_health_path_is_a_warning_since_the_hanging_copy_counts_as_healthy() {
    let p = store_project("", "require go.etcd.io/bbolt v1.3.10\n", VOLUME);
    let f = embedded_db(&p).unwrap();
    assert_finding(
        &f,
        Severity::Warning,
        &[
            "go.mod:5: require go.etcd.io/bbolt v1.3.10",
            "ferry.toml: no [health] path",
        ],
        &["stop-first"],
    );
    assert!(
        f.message
            .render(Lang::En)
            .contains("the check before the switch tests nothing"),
        "{}",
        f.message.render(Lang::En)
    );
    // With a health path, the hanging copy fails it: every deploy fails.
    let p = store_project(
        "",
        "require go.etcd.io/bbolt v1.3.10\n",
        &format!("{VOLUME}\n{HEALTH}"),
    );
    let f = embedded_db(&p).unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert!(f
        .evidence
        .unwrap()
        .contains("ferry.toml [health]: path \"/healthz\""));
}

#[test]
fn a_store_only_vendor_modules_txt_names_is_found_there() {
    // An old go.mod (before Go 1.17) does not list what its dependencies need; the vendored
    // build does, and the build context is a subfolder.
    let p = store_project(
        "context = \"src\"",
        "",
        &format!("volumes = [\"app-data:/data\", \"/srv/t/conf:/conf:ro\"]\n{HEALTH}"),
    );
    p.write(
        "src/go.mod",
        "module example.com/app\n\ngo 1.16\n\nrequire gorm.io/driver/sqlite v1.1.4\n",
    );
    p.write(
        "src/vendor/modules.txt",
        "# github.com/jinzhu/inflection v1.0.0\ngithub.com/jinzhu/inflection\n\
         # github.com/mattn/go-sqlite3 v1.14.5\ngithub.com/mattn/go-sqlite3\n\
         # gorm.io/driver/sqlite v1.1.4\n## explicit\ngorm.io/driver/sqlite\n",
    );
    let f = embedded_db(&p).unwrap();
    assert_finding(
        &f,
        Severity::Warning,
        &[
            "src/go.mod:5: require gorm.io/driver/sqlite v1.1.4",
            "src/vendor/modules.txt:3: # github.com/mattn/go-sqlite3 v1.14.5",
            "src/vendor/modules.txt:5: # gorm.io/driver/sqlite v1.1.4",
        ],
        &[],
    );
    // Each module named once, in the order found; every volume named.
    assert!(
        f.message.render(Lang::En).contains(
            "the app uses SQLite (gorm.io/driver/sqlite, github.com/mattn/go-sqlite3) and"
        ),
        "{}",
        f.message.render(Lang::En)
    );
    assert!(
        f.message
            .render(Lang::En)
            .contains("share the volumes \"app-data:/data\", \"/srv/t/conf:/conf:ro\";"),
        "{}",
        f.message.render(Lang::En)
    );
}

#[test]
fn several_stores_are_each_named_with_what_happens_and_the_worst_decides() {
    let p = store_project(
        "",
        "require (\n\tgo.etcd.io/bbolt v1.3.10\n\tgithub.com/mattn/go-sqlite3 v1.14.22\n)\n",
        &format!("{VOLUME}\n{HEALTH}"),
    );
    let f = embedded_db(&p).unwrap();
    assert_eq!(f.severity, Severity::Error);
    let en = &f.message.render(Lang::En);
    for part in [
        "the app uses BoltDB (go.etcd.io/bbolt) and SQLite (github.com/mattn/go-sqlite3) and",
        "; BoltDB: the new copy's Open waits",
        "; SQLite: both copies write the same database file",
    ] {
        assert!(en.contains(part), "{part:?} not in {en}");
    }
    assert!(
        f.message.render(Lang::Zh).contains("BoltDB：")
            && f.message.render(Lang::Zh).contains("SQLite：")
    );
}

#[test]
fn stop_first_no_volume_or_look_alike_modules_are_quiet() {
    let bolt = "require go.etcd.io/bbolt v1.3.10\n";
    let quiet = [
        // Already stopping first.
        (
            bolt,
            format!("{VOLUME}\nstrategy = \"stop-first\"\n{HEALTH}"),
        ),
        // No volume: the database is inside the container, each copy has its own.
        (bolt, HEALTH.to_string()),
        // Modules whose names only look like a store's, and stores not required.
        (
            "require (\n\
             \tgithub.com/foo/sqlite-docs v0.1.0\n\
             \tgithub.com/mattn/go-sqlite3-helpers v1.0.0\n\
             \tgithub.com/dgraph-io/badger-tools v1.0.0\n\
             \tgithub.com/dgraph-io/badger/vnext v1.0.0\n\
             \tgo.etcd.io/bbolt/cmd v1.0.0\n\
             \tgo.etcd.io/etcd/client/v3 v3.5.12\n\
             \t// github.com/mattn/go-sqlite3 v1.14.22 (gone)\n\
             )\n\
             exclude modernc.org/sqlite v1.0.0\n\
             replace github.com/boltdb/bolt => ./bolt\n",
            format!("{VOLUME}\n{HEALTH}"),
        ),
    ];
    for (requires, container) in quiet {
        let p = store_project("", requires, &container);
        assert!(embedded_db(&p).is_none(), "{requires}\n{container}");
    }
    // No go.mod at all.
    let p = TestProject::empty("", VOLUME);
    assert!(embedded_db(&p).is_none());
}

#[test]
fn the_stop_first_fix_keeps_ferry_toml_comments_and_layout() {
    let head = "# the shop's deployment\n[app]\nname = \"t\"   # the container's name\n\n\
                [server]\nhost = \"203.0.113.10\"\nuser = \"deployer\"\n\n\
                [container]\nports = [\"8080:8080\"]\n# the bolt file lives in /data\n\
                volumes = [\"/srv/t/data:/data\"]   # kept across releases\n";
    let tail = "\n[health]\npath = \"/healthz\" # answers once the database is open\n";
    for (before, after) in [
        (
            format!("{head}strategy = \"start-first\"   # the default{tail}"),
            format!("{head}strategy = \"stop-first\"   # the default{tail}"),
        ),
        (
            format!("{head}{tail}"),
            format!("{head}strategy = \"stop-first\"\n{tail}"),
        ),
    ] {
        let mut p = store_project("", "require go.etcd.io/bbolt v1.3.10\n", "");
        p.write("ferry.toml", &before);
        p.reload();
        let f = embedded_db(&p).unwrap();
        let label = &f.auto_fix.as_ref().unwrap().label;
        assert_eq!(
            label.render(Lang::En),
            "Set strategy = \"stop-first\" under [container]"
        );
        p.apply(&f);
        assert_eq!(p.read("ferry.toml"), after);
        assert!(embedded_db(&p).is_none());
    }
}
