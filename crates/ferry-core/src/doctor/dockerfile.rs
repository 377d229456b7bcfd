//! Checks of the Dockerfile the build will use (the project's own, or the generated one).

use super::context_files::{self, ContextScan};
use super::dockerfile_parse::{
    arg_declarations, env_assignments, runs_go, shell_assignments, Dockerfile, Instruction, Stage,
};
use super::finding::{AutoFix, Finding, FixAction};
use super::image_ref::{substitute, ImageKind, ImageRef};
use super::used_dockerfile::{
    self, insert_lines, line_text, replace_lines, Resolved, UsedDockerfile,
};
use crate::catalog::Msg;
use crate::formats::config::{Platform, Project};
use crate::msg;
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

    fn auto_fix(&self, label: Msg, content: String) -> Option<AutoFix> {
        let edit = self.df.edit(content)?;
        Some(AutoFix::new(
            label,
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
        msg!(
            "check-dockerfile-missing",
            configured = configured,
            context = context.display().to_string()
        ),
    )
    .evidence(format!(
        "ferry.toml [app] dockerfile = \"{configured}\"; {} does not exist",
        context.join(configured).display()
    ))
    .fix(msg!("check-dockerfile-missing-fix"))
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
            msg!(
                "check-dockerfile-cgo_runtime-musl",
                builder = builder,
                runtime_name = runtime_name
            ),
        )
    } else {
        Finding::error(
            "dockerfile.cgo_runtime",
            msg!(
                "check-dockerfile-cgo_runtime-no_libc",
                runtime_name = runtime_name
            ),
        )
    };
    let fixed = insert_lines(&ctx.df.text, run.line, &["ENV CGO_ENABLED=0".to_string()]);
    let auto = ctx.auto_fix(msg!("check-dockerfile-cgo_runtime-autofix"), fixed);
    let finding = finding
        .evidence(format!(
            "{}\n{}",
            run.evidence(ctx.name()),
            final_stage.from.evidence(ctx.name())
        ))
        .fix(msg!("check-dockerfile-cgo_runtime-fix", line = run.line));
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
            msg!("check-dockerfile-hardcoded_arch", arch = arch, want = want),
        )
        .evidence(evidence.join("\n"))
        .fix(msg!("check-dockerfile-hardcoded_arch-fix")),
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
        msg!("check-dockerfile-copy_before_download"),
    )
    .evidence(format!(
        "{}\ngo.mod: {requirements} requirement(s)",
        copy.evidence(ctx.name())
    ))
    .fix(msg!(
        "check-dockerfile-copy_before_download-fix",
        line = copy.line,
        sources = sources
    ));
    let auto = fixed
        .and_then(|text| ctx.auto_fix(msg!("check-dockerfile-copy_before_download-autofix"), text));
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
    let fix = if ctx.df.is_generated() {
        msg!("check-dockerfile-latest_tag-fix_config", example = example)
    } else {
        msg!("check-dockerfile-latest_tag-fix_from", example = example)
    };
    Some(
        Finding::warning("dockerfile.latest_tag", msg!("check-dockerfile-latest_tag"))
            .evidence(evidence.join("\n"))
            .fix(fix),
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
            msg!("check-dockerfile-scratch_no_ca"),
        )
        .evidence(format!("{call}\n{}", final_stage.from.evidence(ctx.name())))
        .fix(msg!("check-dockerfile-scratch_no_ca-fix", copy = copy)),
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
    let extra = if alpine {
        msg!("check-dockerfile-scratch_no_tzdata-apk")
    } else {
        msg!("empty")
    };
    Some(
        Finding::warning(
            "dockerfile.scratch_no_tzdata",
            msg!("check-dockerfile-scratch_no_tzdata", tz = tz.as_str()),
        )
        .evidence(format!(
            "ferry.toml [container] env: TZ = \"{tz}\"\n{}",
            final_stage.from.evidence(ctx.name())
        ))
        .fix(msg!(
            "check-dockerfile-scratch_no_tzdata-fix",
            extra = extra
        )),
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
            msg!("check-dockerfile-runs_as_root"),
        )
        .evidence(evidence)
        .fix(msg!("check-dockerfile-runs_as_root-fix", chown = chown)),
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
            msg!(
                "check-dockerfile-expose_mismatch",
                container = parts.container,
                listed = listed,
                host = parts.host
            ),
        )
        .evidence(evidence.join("\n"))
        .fix(msg!(
            "check-dockerfile-expose_mismatch-fix",
            other = other,
            host = parts.host,
            container = parts.container
        )),
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
        msg!("check-dockerfile-windows_path"),
    )
    .evidence(evidence.join("\n"))
    .fix(msg!("check-dockerfile-windows_path-fix", line = first.line));
    let auto = (!fixable.is_empty()).then(|| {
        let mut text = ctx.df.text.clone();
        for (line, new) in &fixable {
            text = replace_lines(&text, *line, *line, std::slice::from_ref(new));
        }
        text
    });
    let auto =
        auto.and_then(|text| ctx.auto_fix(msg!("check-dockerfile-windows_path-autofix"), text));
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
