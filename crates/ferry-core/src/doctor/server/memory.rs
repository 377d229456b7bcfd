//! A memory limit above what the server has.

use super::probe::{Answer, Probe};
use crate::adapters::remote::system;
use crate::doctor::finding::Finding;
use crate::formats::config::Project;
use crate::msg;
use std::collections::BTreeMap;

/// `(MemTotal, MemAvailable)` in bytes from `/proc/meminfo`.
fn parse_meminfo(text: &str) -> (Option<u64>, Option<u64>) {
    let fields: BTreeMap<&str, u64> = text
        .lines()
        .filter_map(|l| {
            let (key, rest) = l.split_once(':')?;
            let kib = rest.split_whitespace().next()?.parse::<u64>().ok()?;
            Some((key.trim(), kib.saturating_mul(1024)))
        })
        .collect();
    (
        fields.get("MemTotal").copied(),
        fields.get("MemAvailable").copied(),
    )
}

fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / (1u64 << 30) as f64)
}

pub(super) fn memory_limit(probe: &Probe, project: &Project) -> Option<Finding> {
    let memory = project.config.container.memory.as_ref()?;
    let limit = memory.bytes();
    let answer = probe.run(&system::meminfo()).filter(Answer::ok)?;
    let (total, available) = parse_meminfo(&answer.out.stdout);
    let total = total?;
    let shown: String = answer
        .out
        .stdout
        .lines()
        .filter(|l| l.starts_with("MemTotal:") || l.starts_with("MemAvailable:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let finding = if limit > total {
        Finding::error(
            "server.memory_limit",
            msg!(
                "check-server-memory_limit-total",
                memory = memory.to_string(),
                total = gib(total)
            ),
        )
    } else if let Some(available) = available.filter(|a| limit > *a) {
        Finding::warning(
            "server.memory_limit",
            msg!(
                "check-server-memory_limit-available",
                memory = memory.to_string(),
                available = gib(available)
            ),
        )
    } else {
        return None;
    };
    let room = available.unwrap_or(total);
    let suggest = ((room / 2) >> 20).max(64);
    Some(finding.evidence(answer.evidence_of(&shown)).fix(msg!(
        "check-server-memory_limit-fix",
        room = gib(room),
        suggest = suggest
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Lang;

    use crate::doctor::server::fake::*;
    use crate::doctor::Severity;

    fn meminfo() -> FakeServer {
        answering(&[(
            "cat /proc/meminfo",
            0,
            "MemTotal:        2097152 kB\nMemFree:          102400 kB\nMemAvailable:    1048576 kB\n",
        )])
    }

    #[test]
    fn a_memory_limit_above_what_the_server_has_is_named() {
        let fake = meminfo();
        let (_d, p) = project(&TOML.replace("256m", "1536m"));
        let f = memory_limit(&Probe { remote: &fake }, &p).unwrap();
        assert_eq!(
            (f.id.as_str(), f.severity),
            ("server.memory_limit", Severity::Warning)
        );
        assert!(f.message.render(Lang::En).contains("OOM-kill"));
        assert_eq!(
            f.evidence.as_deref(),
            Some("$ cat /proc/meminfo\nMemTotal:        2097152 kB\nMemAvailable:    1048576 kB")
        );
        assert!(f.fix.unwrap().render(Lang::En).contains("\"512m\""));

        let (_d, p) = project(&TOML.replace("256m", "4g"));
        let f = memory_limit(&Probe { remote: &fake }, &p).unwrap();
        assert_eq!(f.severity, Severity::Error);
        assert!(
            f.message.render(Lang::En).contains("2.0 GiB"),
            "{}",
            f.message.render(Lang::En)
        );

        let (_d, p) = project(TOML);
        assert!(memory_limit(&Probe { remote: &fake }, &p).is_none());
        let (_d, p) = project(&TOML.replace("memory = \"256m\"\n", ""));
        assert!(memory_limit(&Probe { remote: &fake }, &p).is_none());
    }
}
