//! `ferry deploy --plan` as text: one aligned line per decision, in the user's language.

use ferry_core::catalog::Msg;
use ferry_core::msg;
use ferry_core::plan::{
    BuilderPlan, BuilderReason, DockerfilePlan, Plan, PlatformReason, Transport,
};
use std::collections::BTreeMap;

pub fn print_plan(plan: &Plan) {
    print!("{}", render(plan));
}

/// The plan as text: a title, `label  value` rows, and a generated Dockerfile's text.
pub fn render(plan: &Plan) -> String {
    let rows = rows(plan);
    let width = rows
        .iter()
        .map(|(l, _)| display_width(l))
        .max()
        .unwrap_or(0);
    let mut out = format!(
        "{}\n",
        msg!("plan-title", app = &plan.app, version = &plan.version)
    );
    for (label, value) in rows {
        let pad = " ".repeat(width - display_width(&label));
        out.push_str(&format!("  {label}{pad}  {value}\n"));
    }
    if let BuilderPlan::Docker {
        dockerfile: DockerfilePlan::Generated { text, .. },
        ..
    } = &plan.builder
    {
        out.push_str(&format!("{}\n", msg!("plan-generated-text")));
        for line in text.lines() {
            out.push_str(&format!("  | {line}\n"));
        }
    }
    out
}

fn rows(plan: &Plan) -> Vec<(String, String)> {
    let row = |label: Msg, value: Msg| (label.to_string(), value.to_string());
    let text = |label: Msg, value: String| (label.to_string(), value);
    let c = &plan.container;
    let mut rows = vec![
        row(msg!("plan-platform"), platform(plan)),
        row(msg!("plan-builder"), builder(&plan.builder)),
    ];
    match &plan.builder {
        BuilderPlan::Docker { dockerfile: d, .. } => {
            rows.push(row(msg!("plan-dockerfile"), dockerfile(d)));
        }
        BuilderPlan::Go { go, .. } => {
            let env: Vec<String> = go.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
            rows.push(text(
                msg!("plan-go-build"),
                format!(
                    "{} {} {} -o {} {}",
                    env.join(" "),
                    go.go,
                    go.args
                        .iter()
                        .map(|a| if a.contains(' ') {
                            format!("\"{a}\"")
                        } else {
                            a.clone()
                        })
                        .collect::<Vec<_>>()
                        .join(" "),
                    ferry_core::plan::GO_BINARY,
                    go.main_package
                ),
            ));
            if let Some(path) = &go.ignored_dockerfile {
                rows.push(row(
                    msg!("plan-go-ignored"),
                    msg!("plan-go-ignored-value", path = path),
                ));
            }
        }
    }
    rows.extend([row(
        msg!("plan-build"),
        msg!(
            "plan-build-value",
            tag = &plan.build.tag,
            platform = plan.build.platform.as_str()
        ),
    )]);
    if !plan.build.build_args.is_empty() {
        rows.push(text(msg!("plan-build-args"), pairs(&plan.build.build_args)));
    }
    rows.push(row(msg!("plan-transport"), transport(&plan.transport)));
    rows.push(row(
        msg!("plan-container"),
        msg!(
            "plan-container-value",
            name = &c.name,
            image = &c.image,
            restart = &c.restart,
            strategy = c.strategy.as_str()
        ),
    ));
    rows.push(text(msg!("plan-ports"), list(&c.ports)));
    rows.push(text(msg!("plan-env"), pairs(&c.env)));
    if !c.secret_env.is_empty() {
        rows.push(row(
            msg!("plan-secret-env"),
            msg!("plan-secret-env-value", names = c.secret_env.join(", ")),
        ));
    }
    rows.push(text(msg!("plan-volumes"), list(&c.volumes)));
    rows.push(text(
        msg!("plan-memory"),
        c.memory.clone().unwrap_or_else(none),
    ));
    rows.push(row(msg!("plan-health"), health(plan)));
    rows.push(text(
        msg!("plan-url"),
        plan.url.clone().unwrap_or_else(none),
    ));
    rows
}

fn platform(plan: &Plan) -> Msg {
    let p = &plan.platform;
    let (platform, machine) = (p.platform.as_str(), &p.server_machine);
    match p.reason {
        PlatformReason::ServerArch => {
            msg!(
                "plan-platform-server",
                platform = platform,
                machine = machine
            )
        }
        PlatformReason::Configured => {
            msg!(
                "plan-platform-configured",
                platform = platform,
                machine = machine
            )
        }
    }
}

fn builder(b: &BuilderPlan) -> Msg {
    match b {
        BuilderPlan::Docker { reason, .. } => match reason {
            BuilderReason::EngineAnswers => msg!("plan-builder-docker-auto"),
            _ => msg!("plan-builder-docker-configured"),
        },
        BuilderPlan::Go { reason, go } => match reason {
            BuilderReason::NoEngine => msg!("plan-builder-go-auto", go = &go.go_version),
            _ => msg!("plan-builder-go-configured", go = &go.go_version),
        },
    }
}

fn dockerfile(d: &DockerfilePlan) -> Msg {
    match d {
        DockerfilePlan::Own { path } => msg!("plan-dockerfile-own", path = path),
        DockerfilePlan::Generated {
            path,
            module,
            builder_image,
            runtime_image,
            ..
        } => msg!(
            "plan-dockerfile-generated",
            path = path,
            module = module,
            builder = builder_image,
            runtime = runtime_image
        ),
    }
}

fn transport(t: &Transport) -> Msg {
    match t {
        Transport::Registry { image } => msg!("plan-transport-registry", image = image),
        Transport::Ssh {} => msg!("plan-transport-ssh"),
    }
}

fn health(plan: &Plan) -> Msg {
    let h = &plan.health;
    let timeout = h.timeout_secs.to_string();
    match &h.path {
        Some(path) => msg!(
            "plan-health-http",
            path = path,
            port = h.port.map_or_else(none, |p| p.to_string()),
            timeout = timeout
        ),
        None => msg!("plan-health-up", timeout = timeout),
    }
}

fn none() -> String {
    msg!("plan-none").to_string()
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        none()
    } else {
        items.join(", ")
    }
}

/// `A=1, B=2`, a value's line breaks shown as `\n` to keep one line.
fn pairs(map: &BTreeMap<String, String>) -> String {
    let items: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace('\n', "\\n")))
        .collect();
    list(&items)
}

/// Columns a terminal gives `s`: two for a CJK character, one for others.
pub(crate) fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2,
            0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_labels_are_aligned_by_their_width() {
        assert_eq!(display_width("端口"), 4);
        assert_eq!(display_width("URL"), 3);
        assert_eq!(display_width("镜像传输"), 8);
    }
}
