//! The container's time zone against the server's.

use super::probe::{Answer, Probe};
use crate::adapters::remote::{system, Cmd};
use crate::doctor::config_edit::edit_config;
use crate::doctor::finding::{AutoFix, Finding, FixAction};
use crate::formats::config::Project;
use crate::msg;
use toml_edit::DocumentMut;

/// A zone name as the tz database spells it (`Asia/Shanghai`, `UTC`).
fn zone_name(text: &str) -> Option<String> {
    let zone = text.trim();
    let valid = !zone.is_empty()
        && zone.len() < 64
        && zone
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c));
    valid.then(|| zone.to_string())
}

/// `../usr/share/zoneinfo/Asia/Shanghai` → `Asia/Shanghai`.
fn zone_from_link(target: &str) -> Option<String> {
    let (_, zone) = target.trim().split_once("zoneinfo/")?;
    let zone = zone
        .strip_prefix("posix/")
        .or_else(|| zone.strip_prefix("right/"))
        .unwrap_or(zone);
    zone_name(zone)
}

/// The server's zone and how it was learned: systemd, then `/etc/localtime`, then
/// `/etc/timezone`.
type ZoneParser = fn(&str) -> Option<String>;

fn server_zone(probe: &Probe) -> Option<(String, String)> {
    let parsers: [(Cmd, ZoneParser); 3] = [
        (system::timezone(), zone_name),
        (system::localtime_link(), zone_from_link),
        (system::timezone_file(), zone_name),
    ];
    parsers.into_iter().find_map(|(cmd, parse)| {
        let answer = probe.run(&cmd).filter(Answer::ok)?;
        let zone = parse(answer.stdout())?;
        Some((zone, answer.evidence()))
    })
}

/// One name for each group of zones that are the same: the UTC aliases, and China's.
fn canonical_zone(zone: &str) -> &str {
    let zone = zone.strip_prefix(':').unwrap_or(zone);
    match zone.strip_prefix("Etc/").unwrap_or(zone) {
        "UTC" | "UCT" | "Universal" | "Zulu" | "GMT" | "GMT0" | "GMT+0" | "GMT-0" | "Greenwich" => {
            "UTC"
        }
        _ => match zone {
            "PRC" | "Asia/Chongqing" | "Asia/Chungking" | "Asia/Harbin" => "Asia/Shanghai",
            other => other,
        },
    }
}

pub(super) fn timezone_mismatch(probe: &Probe, project: &Project) -> Option<Finding> {
    let tz = project.config.container.env.get("TZ");
    let (zone, evidence) = server_zone(probe)?;
    let server = canonical_zone(&zone);
    let finding = match tz {
        None if server == "UTC" => return None,
        Some(t) if canonical_zone(t) == server => return None,
        None => Finding::info(
            "server.timezone_mismatch",
            msg!("check-server-timezone_mismatch-no_tz", zone = &zone),
        ),
        Some(t) => Finding::warning(
            "server.timezone_mismatch",
            msg!(
                "check-server-timezone_mismatch-other_tz",
                tz = t.as_str(),
                zone = &zone
            ),
        ),
    };
    let mut finding = finding
        .evidence(evidence)
        .fix(msg!("check-server-timezone_mismatch-fix", zone = &zone));
    if let Some(edit) = edit_config(project, |doc| set_env_tz(doc, &zone)) {
        finding = finding.auto_fix(AutoFix::new(
            msg!("check-server-timezone_mismatch-autofix", zone = &zone),
            FixAction::EditFiles { files: vec![edit] },
        ));
    }
    Some(finding)
}

/// Sets `env.TZ` under `[container]`, in whichever style `env` is written (an inline table
/// `env = { ... }` or a `[container.env]` table); a new `env` is an inline table.
fn set_env_tz(doc: &mut DocumentMut, zone: &str) {
    let container = doc.entry("container").or_insert(toml_edit::table());
    let Some(container) = container.as_table_like_mut() else {
        return;
    };
    match container.get_mut("env") {
        Some(toml_edit::Item::Value(toml_edit::Value::InlineTable(inline))) => {
            inline.insert("TZ", zone.into());
            // Spacing as `{ A = "a", TZ = "..." }`, not after the old last value.
            inline.fmt();
        }
        Some(item) => {
            if let Some(env) = item.as_table_like_mut() {
                env.insert("TZ", toml_edit::value(zone));
            }
        }
        None => {
            let mut env = toml_edit::InlineTable::new();
            env.insert("TZ", zone.into());
            container.insert("env", toml_edit::value(env));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Lang;

    use crate::doctor::server::fake::*;
    use crate::doctor::Severity;

    #[test]
    fn a_container_in_utc_on_a_shanghai_server_is_told_and_tz_is_set_inline() {
        let (dir, p) = project(TOML);
        // CentOS 7's systemd 219 has no `timedatectl show`: the link tells.
        let fake = answering(&[
            (
                "timedatectl show -p Timezone --value",
                1,
                "Unknown operation show\n",
            ),
            (
                "readlink /etc/localtime",
                0,
                "../usr/share/zoneinfo/Asia/Shanghai\n",
            ),
        ]);
        let f = timezone_mismatch(&Probe { remote: &fake }, &p).unwrap();
        assert_eq!(
            (f.id.as_str(), f.severity),
            ("server.timezone_mismatch", Severity::Info)
        );
        assert!(f
            .message
            .render(Lang::En)
            .contains("logs will be in UTC while the server shows Asia/Shanghai"));
        assert_eq!(
            f.evidence.as_deref(),
            Some("$ readlink /etc/localtime\n../usr/share/zoneinfo/Asia/Shanghai")
        );
        let (text, loaded) = apply_edit(&dir, &f);
        assert!(
            text.contains(r#"env = { GREETING = "你好", TZ = "Asia/Shanghai" } # shown on /"#),
            "{text}"
        );
        assert_eq!(loaded.config.container.env["TZ"], "Asia/Shanghai");
        assert_eq!(loaded.config.container.env["GREETING"], "你好");
        assert!(timezone_mismatch(&Probe { remote: &fake }, &loaded).is_none());
    }

    #[test]
    fn a_different_tz_is_a_warning_and_a_table_style_env_keeps_its_style() {
        let text = TOML.replace("env = { GREETING = \"你好\" } # shown on /\n", "")
            + "\n[container.env]\nTZ = \"UTC\"\n";
        let (dir, p) = project(&text);
        let fake = answering(&[("timedatectl show -p Timezone --value", 0, "Asia/Shanghai\n")]);
        let f = timezone_mismatch(&Probe { remote: &fake }, &p).unwrap();
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(
            f.evidence.as_deref(),
            Some("$ timedatectl show -p Timezone --value\nAsia/Shanghai")
        );
        let (text, loaded) = apply_edit(&dir, &f);
        assert!(
            text.ends_with("[container.env]\nTZ = \"Asia/Shanghai\"\n"),
            "{text}"
        );
        assert_eq!(loaded.config.container.env["TZ"], "Asia/Shanghai");
    }

    #[test]
    fn a_missing_env_is_created_as_an_inline_table() {
        let text = TOML.replace("env = { GREETING = \"你好\" } # shown on /\n", "");
        let (dir, p) = project(&text);
        let fake = answering(&[("cat /etc/timezone", 0, "Asia/Shanghai\n")]);
        let f = timezone_mismatch(&Probe { remote: &fake }, &p).unwrap();
        let (text, _) = apply_edit(&dir, &f);
        assert!(
            text.contains("env = { TZ = \"Asia/Shanghai\" }\n"),
            "{text}"
        );
    }

    #[test]
    fn same_zones_by_any_name_say_nothing() {
        let utc_server = answering(&[(
            "readlink /etc/localtime",
            0,
            "/usr/share/zoneinfo/Etc/UTC\n",
        )]);
        let (_d, p) = project(TOML);
        assert!(timezone_mismatch(
            &Probe {
                remote: &utc_server
            },
            &p
        )
        .is_none());
        let prc = TOML.replace("GREETING = \"你好\"", "GREETING = \"你好\", TZ = \"PRC\"");
        let (_d, p) = project(&prc);
        let shanghai = answering(&[("timedatectl show -p Timezone --value", 0, "Asia/Shanghai\n")]);
        assert!(timezone_mismatch(&Probe { remote: &shanghai }, &p).is_none());
        assert!(timezone_mismatch(
            &Probe {
                remote: &answering(&[])
            },
            &p
        )
        .is_none());
        assert_eq!(
            zone_from_link("/usr/share/zoneinfo/posix/Asia/Shanghai").as_deref(),
            Some("Asia/Shanghai")
        );
        assert_eq!(zone_from_link("/etc/localtime"), None);
    }
}
