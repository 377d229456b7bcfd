//! Checks of the Dockerfile the build will use (the project's own, or the generated one).

use super::context_files::{self, ContextScan};
use super::dockerfile_parse::{
    arg_declarations, env_assignments, runs_go, shell_assignments, Dockerfile, Instruction, Stage,
};
use super::finding::{AutoFix, Finding, FixAction, Text};
use super::image_ref::{substitute, ImageKind, ImageRef};
use super::used_dockerfile::{
    self, insert_lines, line_text, replace_lines, Resolved, UsedDockerfile,
};
use crate::config::{Platform, Project};
use std::cell::OnceCell;
use std::collections::BTreeSet;

/// Findings about the Dockerfile; `target` is the platform the build is for, when known.
pub fn check(project: &Project, target: Option<Platform>) -> Vec<Finding> {
    let df = match used_dockerfile::resolve(project) {
        Resolved::Used(df) => df,
        Resolved::Missing { configured } => return vec![missing(project, &configured)],
        Resolved::Unknown => return Vec::new(),
    };
    let ctx = Ctx {
        project,
        df: &df,
        target,
        go_sources: OnceCell::new(),
    };
    let checks: [fn(&Ctx) -> Option<Finding>; 9] = [
        cgo_runtime,
        hardcoded_arch,
        copy_before_download,
        latest_tag,
        scratch_no_ca,
        scratch_no_tzdata,
        runs_as_root,
        expose_mismatch,
        windows_path,
    ];
    checks.iter().filter_map(|check| check(&ctx)).collect()
}

struct Ctx<'a> {
    project: &'a Project,
    df: &'a UsedDockerfile,
    target: Option<Platform>,
    go_sources: OnceCell<Vec<(String, String)>>,
}

impl Ctx<'_> {
    fn parsed(&self) -> &Dockerfile {
        &self.df.parsed
    }

    fn name(&self) -> &str {
        &self.df.name
    }

    fn final_stage(&self) -> Option<&Stage> {
        self.parsed().stages.last()
    }

    /// The image a stage finally starts from, with global `ARG`s filled in.
    fn image_of(&self, stage: &Stage) -> Option<ImageRef> {
        let values = self
            .parsed()
            .global_arg_values(&self.project.config.app.build_args);
        let image = substitute(self.parsed().root_image(stage), &values)?;
        Some(ImageRef::parse(&image))
    }

    fn final_image(&self) -> Option<(&Stage, ImageRef)> {
        let stage = self.final_stage()?;
        Some((stage, self.image_of(stage)?))
    }

    /// Every instruction of `stage` and the stages it is built on, in build order.
    fn lineage_body<'s>(&'s self, stage: &'s Stage) -> impl Iterator<Item = &'s Instruction> {
        self.parsed()
            .lineage(stage)
            .into_iter()
            .flat_map(|s| s.body.iter())
    }

    fn go_sources(&self) -> &[(String, String)] {
        self.go_sources.get_or_init(|| {
            let scan: ContextScan = context_files::scan(&self.project.context_dir());
            scan.go_sources()
        })
    }

    fn auto_fix(&self, en: &str, zh: &str, content: String) -> Option<AutoFix> {
        let edit = self.df.edit(content)?;
        Some(AutoFix::new(
            Text::new(en, zh),
            FixAction::EditFiles { files: vec![edit] },
        ))
    }
}

/// The first `RUN` of a stage that compiles Go (`go build` / `go install`).
fn go_build_run(stage: &Stage) -> Option<&Instruction> {
    stage
        .body
        .iter()
        .find(|i| i.is("RUN") && (runs_go(&i.args, &["build"]) || runs_go(&i.args, &["install"])))
}

/// The stages that compile the binary the final stage runs: those it copies from that build
/// Go, else every other stage that does.
fn build_stages<'a>(df: &'a Dockerfile, final_stage: &'a Stage) -> Vec<&'a Stage> {
    let lineage: Vec<usize> = df.lineage(final_stage).iter().map(|s| s.index).collect();
    let compiles = |s: &&Stage| !lineage.contains(&s.index) && go_build_run(s).is_some();
    let copied: Vec<&Stage> = df
        .lineage(final_stage)
        .iter()
        .flat_map(|s| s.body.iter())
        .filter(|i| i.is("COPY"))
        .filter_map(|i| df.stage_named(i.flag("from")?, final_stage.index))
        .filter(compiles)
        .collect();
    if copied.is_empty() {
        df.stages.iter().filter(compiles).collect()
    } else {
        copied
    }
}

fn stage_label(stage: &Stage) -> String {
    stage
        .name
        .clone()
        .unwrap_or_else(|| stage.index.to_string())
}

fn missing(project: &Project, configured: &str) -> Finding {
    let context = project.context_dir();
    Finding::error(
        "dockerfile.missing",
        format!(
            "ferry.toml sets dockerfile = \"{configured}\", but there is no such file in the \
             build context {}",
            context.display()
        ),
        format!(
            "ferry.toml 指定了 dockerfile = \"{configured}\"，但构建上下文 {} 中没有这个文件",
            context.display()
        ),
    )
    .evidence(format!(
        "ferry.toml [app] dockerfile = \"{configured}\"; {} does not exist",
        context.join(configured).display()
    ))
    .fix(
        "Correct the path (it is relative to the build context), or remove the dockerfile line \
         so Ferry uses ./Dockerfile or generates one",
        "改正路径（相对于构建上下文），或删除 dockerfile 这一行，让 Ferry 使用 ./Dockerfile 或自动生成",
    )
}

// --- dockerfile.cgo_runtime -------------------------------------------------------------

fn cgo_runtime(ctx: &Ctx) -> Option<Finding> {
    let (final_stage, runtime) = ctx.final_image()?;
    let kind = runtime.kind();
    if kind == ImageKind::Other {
        return None;
    }
    let df = ctx.parsed();
    let (stage, run) = build_stages(df, final_stage)
        .into_iter()
        .filter_map(|s| Some((s, go_build_run(s)?)))
        .find(|(s, run)| !cgo_disabled(ctx, s, run) && cgo_possible(ctx, s, kind))?;
    let builder = ctx
        .image_of(stage)
        .map(|i| i.with_tag(i.tag.as_deref().unwrap_or("latest")));
    let builder = builder.unwrap_or_else(|| df.root_image(stage).to_string());
    let runtime_name = df.root_image(final_stage);
    let finding = if kind == ImageKind::Alpine {
        Finding::warning(
            "dockerfile.cgo_runtime",
            format!(
                "the Go binary is built with cgo on {builder} (glibc) but runs on {runtime_name} \
                 (musl): it may fail with \"no such file or directory\" or resolve DNS differently"
            ),
            format!(
                "Go 程序在 {builder}（glibc）上启用 cgo 编译，却运行在 {runtime_name}（musl）中：\
                 可能报 \"no such file or directory\"，DNS 解析行为也可能不同"
            ),
        )
    } else {
        Finding::error(
            "dockerfile.cgo_runtime",
            format!(
                "the Go binary is built with cgo (CGO_ENABLED is not 0) but runs on \
                 {runtime_name}, which has no C library: the binary will fail with \"no such \
                 file or directory\""
            ),
            format!(
                "Go 程序编译时没有关闭 cgo（未设置 CGO_ENABLED=0），却运行在没有 C 库的 \
                 {runtime_name} 中：启动时会报 \"no such file or directory\""
            ),
        )
    };
    let fixed = insert_lines(&ctx.df.text, run.line, &["ENV CGO_ENABLED=0".to_string()]);
    let auto = ctx.auto_fix(
        "Build a static binary (ENV CGO_ENABLED=0 in the build stage)",
        "编译静态二进制（在构建阶段加入 ENV CGO_ENABLED=0）",
        fixed,
    );
    let finding = finding
        .evidence(format!(
            "{}\n{}",
            run.evidence(ctx.name()),
            final_stage.from.evidence(ctx.name())
        ))
        .fix(
            format!(
                "Add `ENV CGO_ENABLED=0` to the build stage before line {} (or write \
                 `RUN CGO_ENABLED=0 go build ...`)",
                run.line
            ),
            format!(
                "在构建阶段第 {} 行之前加入 `ENV CGO_ENABLED=0`（或写成 `RUN CGO_ENABLED=0 go build ...`）",
                run.line
            ),
        );
    Some(finding.with_auto_fix(auto))
}

/// `CGO_ENABLED=0` reaches `run`: inline, by `ENV`/`ARG` in the stage or the stages it is
/// built on, or `go env -w`.
fn cgo_disabled(ctx: &Ctx, stage: &Stage, run: &Instruction) -> bool {
    if shell_assignments(&run.args, "CGO_ENABLED")
        .iter()
        .any(|v| v == "0")
    {
        return true;
    }
    let build_args = &ctx.project.config.app.build_args;
    let globals = ctx.parsed().global_arg_values(build_args);
    let mut value: Option<String> = None;
    for ins in ctx.lineage_body(stage).take_while(|i| *i != run) {
        match ins.keyword.as_str() {
            "ENV" => {
                for (name, v) in env_assignments(&ins.args) {
                    if name == "CGO_ENABLED" {
                        value = Some(v);
                    }
                }
            }
            "ARG" => {
                for (name, default) in arg_declarations(&ins.args) {
                    if name == "CGO_ENABLED" {
                        let global = globals
                            .iter()
                            .find(|(n, _)| n == &name)
                            .map(|(_, v)| v.clone());
                        value = build_args.get(&name).cloned().or(default).or(global);
                    }
                }
            }
            "RUN" if runs_go(&ins.args, &["env"]) => {
                if let Some(v) = shell_assignments(&ins.args, "CGO_ENABLED").pop() {
                    value = Some(v);
                }
            }
            _ => {}
        }
    }
    value.as_deref() == Some("0")
}

/// Whether the build stage can link against a C library at all. Alpine's golang images have
/// no C compiler, and since Go 1.20 `go` then turns cgo off by itself; their binaries use musl
/// as alpine does.
fn cgo_possible(ctx: &Ctx, stage: &Stage, runtime: ImageKind) -> bool {
    let Some(builder) = ctx.image_of(stage) else {
        return true;
    };
    if builder.kind() != ImageKind::Alpine {
        return true;
    }
    if runtime == ImageKind::Alpine {
        return false;
    }
    let installs_cc = ctx.lineage_body(stage).any(|i| {
        i.is("RUN")
            && i.args.contains("apk")
            && ["gcc", "build-base", "musl-dev", "clang"]
                .iter()
                .any(|p| i.args.contains(p))
    });
    let old_go = builder.go_version().is_some_and(|v| !v.at_least(1, 20));
    installs_cc || old_go
}

// --- dockerfile.hardcoded_arch ----------------------------------------------------------

fn hardcoded_arch(ctx: &Ctx) -> Option<Finding> {
    let want = ctx.target?.arch()?;
    let build_args = &ctx.project.config.app.build_args;
    let last = ctx.parsed().stages.len().checked_sub(1)?;
    let mut hits: Vec<(String, String)> = Vec::new();
    for stage in &ctx.parsed().stages {
        if let Some(arch) = stage.platform.as_deref().and_then(literal_arch) {
            let cross_compiles = go_build_run(stage).is_some()
                && stage_goarch_values(stage, build_args)
                    .iter()
                    .any(|v| v.contains('$'));
            let matters = stage.index == last || (go_build_run(stage).is_some() && !cross_compiles);
            if arch != want && matters {
                hits.push((arch, stage.from.evidence(ctx.name())));
            }
        }
        for ins in &stage.body {
            for value in goarch_values(ins, build_args) {
                if !value.contains('$') && !value.is_empty() && value != want {
                    hits.push((value, ins.evidence(ctx.name())));
                }
            }
        }
    }
    let (arch, _) = hits.first()?.clone();
    let evidence: Vec<String> = hits.into_iter().map(|(_, e)| e).collect();
    Some(
        Finding::error(
            "dockerfile.hardcoded_arch",
            format!(
                "the Dockerfile builds for {arch}, but the server needs {want}: the container \
                 will fail with \"exec format error\""
            ),
            format!(
                "Dockerfile 写死了 {arch} 架构，但服务器需要 {want}：容器会报 \"exec format error\""
            ),
        )
        .evidence(evidence.join("\n"))
        .fix(
            "Let the build follow the target: declare `ARG TARGETARCH` in the build stage and \
             build with `GOARCH=$TARGETARCH`; use `FROM --platform=$BUILDPLATFORM` for the build \
             stage and no --platform on the final stage",
            "让构建跟随目标平台：在构建阶段声明 `ARG TARGETARCH`，用 `GOARCH=$TARGETARCH` 编译；\
             构建阶段用 `FROM --platform=$BUILDPLATFORM`，最终阶段不要写 --platform",
        ),
    )
}

/// `linux/arm64/v8` → `arm64`; `None` for `$BUILDPLATFORM` and the like.
fn literal_arch(platform: &str) -> Option<String> {
    if platform.contains('$') {
        return None;
    }
    platform.split('/').nth(1).map(str::to_string)
}

/// What `GOARCH` an instruction sets: `ENV`, an `ARG` default (or build argument), inline.
fn goarch_values(
    ins: &Instruction,
    build_args: &std::collections::BTreeMap<String, String>,
) -> Vec<String> {
    match ins.keyword.as_str() {
        "ENV" => env_assignments(&ins.args)
            .into_iter()
            .filter(|(n, _)| n == "GOARCH")
            .map(|(_, v)| v)
            .collect(),
        "ARG" => arg_declarations(&ins.args)
            .into_iter()
            .filter(|(n, _)| n == "GOARCH")
            .filter_map(|(n, d)| build_args.get(&n).cloned().or(d))
            .collect(),
        "RUN" => shell_assignments(&ins.args, "GOARCH"),
        _ => Vec::new(),
    }
}

fn stage_goarch_values(
    stage: &Stage,
    build_args: &std::collections::BTreeMap<String, String>,
) -> Vec<String> {
    stage
        .body
        .iter()
        .flat_map(|i| goarch_values(i, build_args))
        .collect()
}

// --- dockerfile.copy_before_download ----------------------------------------------------

fn copy_before_download(ctx: &Ctx) -> Option<Finding> {
    let context = ctx.project.context_dir();
    let go_mod = std::fs::read_to_string(context.join("go.mod")).ok()?;
    let requirements = go_requirements(&go_mod);
    if requirements == 0 || context.join("vendor").is_dir() {
        return None;
    }
    let df = ctx.parsed();
    let (stage, copy) = df
        .stages
        .iter()
        .filter(|s| go_build_run(s).is_some())
        .find_map(|s| Some((s, copy_all_before_download(ctx, s)?)))?;
    let has_sum = context.join("go.sum").is_file();
    let fixed = download_first(ctx, stage, copy, &go_mod, has_sum);
    let sources = if has_sum { "go.mod go.sum" } else { "go.mod" };
    let finding = Finding::warning(
        "dockerfile.copy_before_download",
        "the whole project is copied before `go mod download`: every code change downloads all \
         modules again (slow, and it fails when the module proxy is unreachable)",
        "在 `go mod download` 之前复制了整个项目：每次改代码都会重新下载全部依赖（很慢，\
         模块代理连不上时还会失败）",
    )
    .evidence(format!(
        "{}\ngo.mod: {requirements} requirement(s)",
        copy.evidence(ctx.name())
    ))
    .fix(
        format!(
            "Before line {}, copy only the module files and download: `COPY {sources} ./` then \
             `RUN go mod download`; the download then stays cached until go.mod changes",
            copy.line
        ),
        format!(
            "在第 {} 行之前只复制模块文件并下载：`COPY {sources} ./`，然后 `RUN go mod download`；\
             这样只要 go.mod 不变，下载结果就一直走缓存",
            copy.line
        ),
    );
    let auto = fixed.and_then(|text| {
        ctx.auto_fix(
            "Download modules before copying the code",
            "先下载依赖，再复制代码",
            text,
        )
    });
    Some(finding.with_auto_fix(auto))
}

/// The number of modules `go.mod` requires.
fn go_requirements(go_mod: &str) -> usize {
    let mut count = 0;
    let mut in_block = false;
    for line in go_mod.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        if in_block {
            if line == ")" {
                in_block = false;
            } else if !line.is_empty() {
                count += 1;
            }
        } else if let Some(rest) = line.strip_prefix("require") {
            let rest = rest.trim();
            if rest == "(" {
                in_block = true;
            } else if !rest.is_empty() && line.starts_with("require ") {
                count += 1;
            }
        }
    }
    count
}

/// `replace` targets that are folders inside the context (`=> ./lib`), as `lib`.
fn local_replacements(go_mod: &str) -> Vec<String> {
    go_mod
        .lines()
        .filter_map(|l| l.split("//").next()?.split_once("=>"))
        .map(|(_, target)| target.split_whitespace().next().unwrap_or("").to_string())
        .filter(|t| t.starts_with("./"))
        .map(|t| t.trim_start_matches("./").trim_end_matches('/').to_string())
        .filter(|t| !t.is_empty() && !t.starts_with(".."))
        .collect()
}

/// A `COPY`/`ADD` of the whole context in `stage` (or a stage it is built on) with no
/// `go mod download` before it.
fn copy_all_before_download<'a>(ctx: &'a Ctx, stage: &'a Stage) -> Option<&'a Instruction> {
    for ins in ctx.lineage_body(stage) {
        if ins.is("RUN") && runs_go(&ins.args, &["mod", "download"]) {
            return None;
        }
        if (ins.is("COPY") || ins.is("ADD")) && ins.flag("from").is_none() && copies_everything(ins)
        {
            return Some(ins);
        }
    }
    None
}

fn copies_everything(ins: &Instruction) -> bool {
    let words = ins.words();
    let Some((_, sources)) = words.split_last() else {
        return false;
    };
    sources
        .iter()
        .any(|s| matches!(s.as_str(), "." | "./" | "*" | "./*"))
}

/// The Dockerfile with the module files copied and downloaded before `copy`.
fn download_first(
    ctx: &Ctx,
    stage: &Stage,
    copy: &Instruction,
    go_mod: &str,
    has_sum: bool,
) -> Option<String> {
    let words = copy.words();
    let dest = words.last()?.clone();
    let workdir = ctx
        .lineage_body(stage)
        .take_while(|i| *i != copy)
        .filter(|i| i.is("WORKDIR"))
        .last()
        .map(|i| i.args.trim().trim_end_matches('/').to_string());
    let plain_dest = dest.trim_end_matches('/');
    let here = matches!(dest.as_str(), "." | "./") || workdir.as_deref() == Some(plain_dest);
    let dir = if here {
        ".".to_string()
    } else {
        plain_dest.to_string()
    };
    let sources = if has_sum { "go.mod go.sum" } else { "go.mod" };
    let mut lines = vec![format!("COPY {sources} {dir}/")];
    for local in local_replacements(go_mod) {
        lines.push(format!("COPY {local}/go.mod {dir}/{local}/"));
    }
    lines.push(if here {
        "RUN go mod download".to_string()
    } else {
        format!("RUN cd {dir} && go mod download")
    });
    Some(insert_lines(&ctx.df.text, copy.line, &lines))
}

// --- dockerfile.latest_tag --------------------------------------------------------------

fn latest_tag(ctx: &Ctx) -> Option<Finding> {
    let df = ctx.parsed();
    let unpinned: Vec<(&Stage, ImageRef)> = df
        .stages
        .iter()
        .filter(|s| !s.base.contains('$') && df.stage_named(&s.base, s.index).is_none())
        .map(|s| (s, ImageRef::parse(&s.base)))
        .filter(|(_, image)| !image.is_scratch() && image.is_unpinned())
        .collect();
    let (_, first) = unpinned.first()?;
    let example = suggested_tag(ctx, first);
    let evidence: Vec<String> = unpinned
        .iter()
        .map(|(s, _)| s.from.evidence(ctx.name()))
        .collect();
    let (fix_en, fix_zh) = if ctx.df.is_generated() {
        (
            format!(
                "Name a version in ferry.toml: builder_image / runtime_image under [app], e.g. \
                 \"{example}\""
            ),
            format!(
                "在 ferry.toml 的 [app] 中为 builder_image / runtime_image 指定版本，例如 \"{example}\""
            ),
        )
    } else {
        (
            format!("Name a version in each FROM, e.g. `FROM {example}`"),
            format!("在每个 FROM 中写明版本，例如 `FROM {example}`"),
        )
    };
    Some(
        Finding::warning(
            "dockerfile.latest_tag",
            "an image without a version tag (or `latest`): a new upstream release changes your \
             build without any change of yours, and the server may run something untested",
            "镜像没有写版本标签（或用了 latest）：上游一发布新版本，你的构建就跟着变，服务器上可能跑着没测试过的东西",
        )
        .evidence(evidence.join("\n"))
        .fix(fix_en, fix_zh),
    )
}

fn suggested_tag(ctx: &Ctx, image: &ImageRef) -> String {
    let tag = match image.name.as_str() {
        "golang" => std::fs::read_to_string(ctx.project.context_dir().join("go.mod"))
            .ok()
            .and_then(|m| {
                m.lines()
                    .find_map(|l| l.trim().strip_prefix("go ").map(str::to_string))
            })
            .and_then(|v| super::image_ref::GoVersion::parse_requirement(&v))
            .map_or("1.22".to_string(), |v| v.major_minor()),
        "alpine" => "3.20".to_string(),
        _ => "<version>".to_string(),
    };
    image.with_tag(&tag)
}

// --- dockerfile.scratch_no_ca -----------------------------------------------------------

fn scratch_no_ca(ctx: &Ctx) -> Option<Finding> {
    let (final_stage, image) = ctx.final_image()?;
    if image.kind() != ImageKind::Scratch {
        return None;
    }
    let copies_certs = ctx.lineage_body(final_stage).any(|i| {
        (i.is("COPY") || i.is("ADD"))
            && (i.args.contains("ca-certificates") || i.args.contains("/etc/ssl/certs"))
    });
    if copies_certs {
        return None;
    }
    let call = context_files::first_line(ctx.go_sources(), |l| {
        l.contains("\"https://")
            || l.contains("http.Get(")
            || l.contains("http.Client")
            || l.contains("tls.")
    })?;
    let from = build_stages(ctx.parsed(), final_stage)
        .first()
        .map_or("build".to_string(), |s| stage_label(s));
    let copy = format!("COPY --from={from} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/");
    Some(
        Finding::warning(
            "dockerfile.scratch_no_ca",
            "the final image is scratch, without CA certificates, but the code makes HTTPS calls: \
             they fail with \"x509: certificate signed by unknown authority\"",
            "最终镜像是 scratch，没有 CA 证书，而代码会发起 HTTPS 请求：会报 \"x509: certificate \
             signed by unknown authority\"",
        )
        .evidence(format!("{call}\n{}", final_stage.from.evidence(ctx.name())))
        .fix(
            format!("Add to the final stage: `{copy}`"),
            format!("在最终阶段加入：`{copy}`"),
        ),
    )
}

// --- dockerfile.scratch_no_tzdata -------------------------------------------------------

fn scratch_no_tzdata(ctx: &Ctx) -> Option<Finding> {
    let tz = ctx
        .project
        .config
        .container
        .env
        .get("TZ")?
        .trim()
        .to_string();
    if matches!(tz.as_str(), "" | "UTC" | "Etc/UTC" | ":UTC") {
        return None;
    }
    let (final_stage, image) = ctx.final_image()?;
    let kind = image.kind();
    if !matches!(kind, ImageKind::Scratch | ImageKind::Alpine) {
        // distroless static has /usr/share/zoneinfo; glibc images mostly do too.
        return None;
    }
    let has_zoneinfo = ctx.lineage_body(final_stage).any(|i| {
        (i.is("COPY") || i.is("ADD")) && i.args.contains("zoneinfo")
            || i.is("ENV") && i.args.contains("ZONEINFO")
            || i.is("RUN") && kind == ImageKind::Alpine && i.args.contains("tzdata")
    });
    let embedded = ctx
        .parsed()
        .stages
        .iter()
        .flat_map(|s| s.body.iter())
        .any(|i| i.is("RUN") && i.args.contains("timetzdata"));
    if has_zoneinfo || embedded {
        return None;
    }
    if context_files::first_line(ctx.go_sources(), |l| l.contains("\"time/tzdata\"")).is_some() {
        return None;
    }
    let alpine = kind == ImageKind::Alpine;
    let (extra_en, extra_zh) = if alpine {
        (
            ", or install it in the final stage: `RUN apk add --no-cache tzdata`",
            "，或在最终阶段安装：`RUN apk add --no-cache tzdata`",
        )
    } else {
        ("", "")
    };
    Some(
        Finding::warning(
            "dockerfile.scratch_no_tzdata",
            format!(
                "TZ is set to {tz}, but the image has no time zone database: \
                 time.LoadLocation fails and logs show UTC"
            ),
            format!(
                "设置了 TZ={tz}，但镜像中没有时区数据库：time.LoadLocation 会失败，日志时间显示为 UTC"
            ),
        )
        .evidence(format!(
            "ferry.toml [container] env: TZ = \"{tz}\"\n{}",
            final_stage.from.evidence(ctx.name())
        ))
        .fix(
            format!(
                "Embed the time zones in the binary: add `-tags timetzdata` to `go build`, or \
                 `import _ \"time/tzdata\"` in the main package{extra_en}"
            ),
            format!(
                "把时区数据编进程序：在 `go build` 中加 `-tags timetzdata`，或在 main 包中加入 \
                 `import _ \"time/tzdata\"`{extra_zh}"
            ),
        ),
    )
}

// --- dockerfile.runs_as_root ------------------------------------------------------------

fn runs_as_root(ctx: &Ctx) -> Option<Finding> {
    let final_stage = ctx.final_stage()?;
    let user = ctx
        .lineage_body(final_stage)
        .filter(|i| i.is("USER"))
        .last();
    let evidence = match user {
        Some(user) => {
            let name = user.args.split(':').next().unwrap_or("").trim();
            if name != "root" && name != "0" {
                return None;
            }
            user.evidence(ctx.name())
        }
        None => {
            let image = ctx.final_image().map(|(_, i)| i);
            if image.is_some_and(|i| i.tag.as_deref().is_some_and(|t| t.contains("nonroot"))) {
                return None;
            }
            format!(
                "{}\n(no USER in the final stage)",
                final_stage.from.evidence(ctx.name())
            )
        }
    };
    let volumes: Vec<&str> = ctx
        .project
        .config
        .container
        .volumes
        .iter()
        .filter_map(|v| v.host_path())
        .collect();
    let chown = if volumes.is_empty() {
        "chown -R 65532:65532 <folder>".to_string()
    } else {
        format!("chown -R 65532:65532 {}", volumes.join(" "))
    };
    Some(
        Finding::warning(
            "dockerfile.runs_as_root",
            "the app runs as root in the container: a flaw in it gets root's rights over \
             everything mounted into it",
            "应用在容器中以 root 运行：程序一旦有漏洞，挂载进容器的所有内容都会被以 root 权限访问",
        )
        .evidence(evidence)
        .fix(
            format!(
                "Add `USER 65532:65532` to the final stage (before ENTRYPOINT/CMD). Folders the \
                 app writes on the server (volumes) must then belong to that user: `{chown}` on \
                 the server"
            ),
            format!(
                "在最终阶段（ENTRYPOINT/CMD 之前）加入 `USER 65532:65532`。应用要写入的服务器目录（卷）\
                 也要属于这个用户：在服务器上执行 `{chown}`"
            ),
        ),
    )
}

// --- dockerfile.expose_mismatch ---------------------------------------------------------

fn expose_mismatch(ctx: &Ctx) -> Option<Finding> {
    let final_stage = ctx.final_stage()?;
    let exposes: Vec<&Instruction> = ctx
        .lineage_body(final_stage)
        .filter(|i| i.is("EXPOSE"))
        .collect();
    let exposed: BTreeSet<(u16, String)> = exposes
        .iter()
        .flat_map(|i| i.words())
        .filter_map(|w| {
            let (port, proto) = w.split_once('/').unwrap_or((&w, "tcp"));
            Some((port.parse().ok()?, proto.to_ascii_lowercase()))
        })
        .collect();
    if exposed.is_empty() {
        return None;
    }
    let ports = &ctx.project.config.container.ports;
    let unexposed = ports.iter().find(|p| {
        let parts = p.parts();
        !exposed.contains(&(parts.container, parts.protocol.clone()))
    })?;
    let parts = unexposed.parts();
    let listed: Vec<String> = exposed.iter().map(|(p, _)| p.to_string()).collect();
    let listed = listed.join(", ");
    let other = exposed.iter().next().map_or(0, |(p, _)| *p);
    let mut evidence: Vec<String> = exposes.iter().map(|i| i.evidence(ctx.name())).collect();
    evidence.push(format!(
        "ferry.toml [container] ports: \"{}\" (container port {})",
        unexposed.as_str(),
        parts.container
    ));
    if let Some(listen) = context_files::first_line(ctx.go_sources(), |l| {
        l.contains("Listen") && l.contains("\":")
    }) {
        evidence.push(listen);
    }
    Some(
        Finding::warning(
            "dockerfile.expose_mismatch",
            format!(
                "ferry.toml publishes container port {}, but the Dockerfile EXPOSEs {listed}: if \
                 the app listens on {listed}, the server's port {} leads nowhere and the health \
                 check fails",
                parts.container, parts.host
            ),
            format!(
                "ferry.toml 发布的是容器端口 {}，但 Dockerfile EXPOSE 的是 {listed}：如果应用监听 {listed}，\
                 服务器的 {} 端口将无法访问，健康检查会失败",
                parts.container, parts.host
            ),
        )
        .evidence(evidence.join("\n"))
        .fix(
            format!(
                "Make them agree: if the app listens on {other}, set ports = [\"{}:{other}\"] \
                 under [container] in ferry.toml; otherwise change the Dockerfile to `EXPOSE {}`",
                parts.host, parts.container
            ),
            format!(
                "让两者一致：如果应用监听 {other}，在 ferry.toml 的 [container] 中设置 ports = [\"{}:{other}\"]；\
                 否则把 Dockerfile 改为 `EXPOSE {}`",
                parts.host, parts.container
            ),
        ),
    )
}

// --- dockerfile.windows_path ------------------------------------------------------------

fn windows_path(ctx: &Ctx) -> Option<Finding> {
    let mut hits: Vec<&Instruction> = Vec::new();
    let mut fixable: Vec<(usize, String)> = Vec::new();
    for ins in ctx.parsed().stages.iter().flat_map(|s| s.body.iter()) {
        if !(ins.is("COPY") || ins.is("ADD") || ins.is("WORKDIR")) {
            continue;
        }
        let words = ins.words();
        let absolute = words.iter().any(|w| is_drive_path(w));
        if !absolute && !words.iter().any(|w| w.contains('\\')) {
            continue;
        }
        hits.push(ins);
        let single_line = ins.line == ins.end_line;
        if !absolute && single_line && !ins.is_json() {
            if let Some(line) = line_text(&ctx.df.text, ins.line) {
                fixable.push((ins.line, forward_slashes(line)));
            }
        }
    }
    let first = hits.first()?;
    let evidence: Vec<String> = hits.iter().map(|i| i.evidence(ctx.name())).collect();
    let finding = Finding::error(
        "dockerfile.windows_path",
        "Windows paths in the Dockerfile: a Linux build reads `\\` as part of the file name and \
         knows no drive letters, so the step fails with \"not found\"",
        "Dockerfile 中使用了 Windows 路径：Linux 构建会把 `\\` 当作文件名的一部分，也不认识盘符，这一步会报 \"not found\"",
    )
    .evidence(evidence.join("\n"))
    .fix(
        format!(
            "Use `/` and paths relative to the build context (line {}): e.g. `COPY config/app.yaml \
             /etc/app/`; a file outside the context must be moved into it",
            first.line
        ),
        format!(
            "使用 `/` 和相对于构建上下文的路径（第 {} 行）：例如 `COPY config/app.yaml /etc/app/`；\
             上下文之外的文件需要先移到上下文中",
            first.line
        ),
    );
    let auto = (!fixable.is_empty()).then(|| {
        let mut text = ctx.df.text.clone();
        for (line, new) in &fixable {
            text = replace_lines(&text, *line, *line, std::slice::from_ref(new));
        }
        text
    });
    let auto = auto.and_then(|text| {
        ctx.auto_fix(
            "Write the relative paths with /",
            "把相对路径中的 \\ 改成 /",
            text,
        )
    });
    Some(finding.with_auto_fix(auto))
}

/// `C:\app`, `d:/data`.
fn is_drive_path(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/')
}

/// The instruction line with `\` as `/` after its keyword (which keeps its indentation).
fn forward_slashes(line: &str) -> String {
    let start = line.len() - line.trim_start().len();
    let keyword_end = line[start..]
        .find(char::is_whitespace)
        .map_or(line.len(), |i| start + i);
    format!(
        "{}{}",
        &line[..keyword_end],
        line[keyword_end..].replace('\\', "/")
    )
}

#[cfg(test)]
mod tests;
