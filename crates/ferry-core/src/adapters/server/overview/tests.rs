use super::*;
use crate::adapters::remote::{DockerCli, INSPECT_TEMPLATE, INSPECT_TEMPLATE_WHOLE};

const SAMPLE: &str = r#"@@ferry uname
Linux 3.10.0-1160.el7.x86_64 x86_64
@@ferry os-release
NAME="CentOS Linux"
PRETTY_NAME="CentOS Linux 7 (Core)"
@@ferry uptime
86461.52 170000.10
@@ferry loadavg
0.52 0.41 0.30 2/311 12345
@@ferry cpus
2
@@ferry meminfo
MemTotal:        8009240 kB
MemFree:          512000 kB
MemAvailable:    6000000 kB
Buffers:          100000 kB
Cached:          2000000 kB
SwapTotal:       2097148 kB
SwapFree:        2000000 kB
@@ferry docker
/data/docker|20.10.24|overlay2
@@ferry df
Filesystem     1024-blocks     Used Available Capacity Mounted on
/dev/vda1         41152736 20576368  18462876      53% /
/dev/vdb1        103081248 61848748  36000000      64% /data
@@ferry inspect
{"id":"aaa111","name":"/hello","image":"registry.example.com/hello:20261202-1","state":"running","health":"healthy","created":"2026-12-02T10:00:00.123456789Z","started":"2026-12-02T10:00:01.5Z","restarts":0,"memory":67108864,"app":"hello","release":"20261202-1","ports":{"8080/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"},{"HostIp":"::","HostPort":"8080"}]}}
Error: No such object: ccc333
{"id":"aaa111","name":"/hello","image":"registry.example.com/hello:20261202-1","state":{"Status":"running","Running":true,"StartedAt":"2026-12-02T10:00:01.5Z","Health":{"Status":"healthy","FailingStreak":0,"Log":[]}},"created":"2026-12-02T10:00:00.123456789Z","restarts":0,"memory":67108864,"labels":{"ferry.app":"hello","ferry.version":"20261202-1","org.opencontainers.image.source":"x"},"ports":{"8080/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"},{"HostIp":"::","HostPort":"8080"}]}}
{"id":"bbb222","name":"/redis","image":"redis:7","state":{"Status":"exited","StartedAt":"0001-01-01T00:00:00Z"},"created":"2026-11-01T00:00:00Z","restarts":3,"memory":0,"labels":{"ferry.app":"hello"},"ports":{"6379/tcp":null}}
@@ferry stats
aaa1 1.25% 3.5MiB / 64MiB
@@ferry end
"#;

#[test]
fn the_host_is_read_in_bytes_from_meminfo_and_df() {
    let o = parse(SAMPLE).unwrap();
    let s = &o.system;
    assert_eq!(s.os_name, "CentOS Linux 7 (Core)");
    assert_eq!(s.kernel, "3.10.0-1160.el7.x86_64");
    assert_eq!(s.arch, "x86_64");
    assert_eq!(s.uptime_secs, Some(86461));
    assert_eq!(s.load, Some([0.52, 0.41, 0.30]));
    assert_eq!(s.cpus, Some(2));
    let m = s.memory.unwrap();
    assert_eq!(m.total, 8009240 * 1024);
    assert_eq!(m.available, 6000000 * 1024);
    assert_eq!(m.used, (8009240 - 6000000) * 1024);
    assert_eq!(
        s.swap,
        Some(Swap {
            total: 2097148 * 1024,
            used: 97148 * 1024
        })
    );
    assert_eq!(
        s.docker,
        Some(DockerHost {
            version: "20.10.24".into(),
            storage_driver: "overlay2".into(),
            root_dir: "/data/docker".into()
        })
    );
    assert_eq!(s.disks.len(), 2);
    assert_eq!(s.disks[0].label, DiskLabel::Root);
    assert_eq!(s.disks[0].mount, "/");
    assert_eq!(s.disks[0].total, 41152736 * 1024);
    assert_eq!(s.disks[1].label, DiskLabel::Docker);
    assert_eq!(s.disks[1].path, "/data/docker");
    assert_eq!(s.disks[1].mount, "/data");
    assert_eq!(s.disks[1].available, 36000000 * 1024);
}

#[test]
fn every_container_is_listed_with_its_stats_and_ferrys_labels() {
    let o = parse(SAMPLE).unwrap();
    let names: Vec<&str> = o.containers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["hello", "redis"]);
    let hello = &o.containers[0];
    assert_eq!(hello.app.as_deref(), Some("hello"));
    assert_eq!(hello.release.as_deref(), Some("20261202-1"));
    assert_eq!(hello.health.as_deref(), Some("healthy"));
    assert_eq!(hello.started_at.as_deref(), Some("2026-12-02T10:00:01.5Z"));
    assert_eq!(
        hello.ports,
        ["0.0.0.0:8080->8080/tcp", "[::]:8080->8080/tcp"]
    );
    assert_eq!(hello.cpu_percent, Some(1.25));
    assert_eq!(hello.memory_bytes, Some(3_670_016));
    assert_eq!(hello.memory_limit_bytes, Some(64 << 20));
    let redis = &o.containers[1];
    assert_eq!(redis.app, None);
    assert_eq!(redis.started_at, None, "never started");
    assert_eq!(redis.restart_count, 3);
    assert_eq!(redis.ports, ["6379/tcp"]);
    assert_eq!(redis.cpu_percent, None);
    assert_eq!(redis.memory_limit_bytes, None);
}

#[test]
fn a_server_without_docker_access_still_has_a_host() {
    let o = parse("@@ferry uname\nLinux 6.1.0 aarch64\n@@ferry docker\n\n@@ferry df\nFilesystem 1024-blocks Used Available Capacity Mounted on\n/dev/root 100 50 50 50% /\n/dev/root 100 50 50 50% /\n@@ferry inspect\n@@ferry stats\n").unwrap();
    assert_eq!(o.system.arch, "aarch64");
    assert_eq!(o.system.docker, None);
    assert_eq!(o.system.disks.len(), 1, "no docker root to show");
    assert!(o.containers.is_empty());
    // An engine that refused the template is an error, not "no containers".
    let refused = "@@ferry inspect\ntemplate parsing error: map has no entry for key\n";
    assert!(parse(refused)
        .unwrap_err()
        .contains("template parsing error"));
    assert!(parse("@@ferry inspect\n{not json\n").is_err());
    // `docker info` reaching no engine prints the separators only.
    assert_eq!(parse("@@ferry docker\n||\n").unwrap().system.docker, None);
}

#[test]
fn docker_sizes_are_bytes() {
    assert_eq!(parse_size("0B"), Some(0));
    assert_eq!(parse_size("12.5kB"), Some(12_500));
    assert_eq!(parse_size("3.5MiB"), Some(3_670_016));
    assert_eq!(parse_size(" 1.5GiB "), Some(1_610_612_736));
    assert_eq!(parse_size("2GB"), Some(2_000_000_000));
    assert_eq!(parse_size("--"), None);
    assert_eq!(
        usage("0.52%", "3.5MiB / 1.9GiB"),
        (Some(0.52), Some(3_670_016))
    );
    assert_eq!(usage_limit("3.5MiB / 64MiB"), Some(64 << 20));
}

/// The overview's script run in a real `sh` with a stand-in `docker` whose `inspect` answers
/// `row` to the template `template` only (and fails otherwise, as an engine refusing it).
#[cfg(unix)]
fn run_script(template: &str, row: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let docker = dir.path().join("docker");
    std::fs::write(
        &docker,
        format!(
            "#!/bin/sh\ncase \"$1\" in\n\
             info) echo '/var/lib/docker|24.0.7|overlay2' ;;\n\
             ps) echo aaa111 ;;\n\
             inspect) [ \"$3\" = '{template}' ] || {{ echo 'template: no entry' >&2; exit 125; }}\n\
               echo '{row}' ;;\n\
             stats) [ \"$4\" = '{{{{.ID}}}} {{{{.CPUPerc}}}} {{{{.MemUsage}}}}' ] && echo 'aaa111 2.00% 1MiB / 2GiB' ;;\n\
             esac\n",
            template = template.replace('\'', r"'\''"),
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&docker, std::fs::Permissions::from_mode(0o755)).unwrap();
    let cmd = DockerCli::default().overview();
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap()
    );
    let out = std::process::Command::new(&cmd.argv[0])
        .args(&cmd.argv[1..])
        .env("PATH", path)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[cfg(unix)]
#[test]
fn the_script_prints_every_section_this_parser_reads() {
    let row = SAMPLE.lines().find(|l| l.contains("aaa111")).unwrap();
    let text = run_script(INSPECT_TEMPLATE, row);
    let o = parse(&text).unwrap();
    assert_eq!(o.containers.len(), 1, "{text}");
    assert_eq!(o.containers[0].cpu_percent, Some(2.0));
    assert_eq!(o.system.docker.unwrap().version, "24.0.7");
    assert_eq!(o.system.disks.len(), 2, "{text}");
    let total = std::fs::read_to_string("/proc/meminfo").unwrap();
    let kb: u64 = total.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert_eq!(o.system.memory.unwrap().total, kb * 1024);
    assert!(o.system.uptime_secs.is_some() && o.system.load.is_some());
}

/// Podman refuses a template naming a key a container lacks: the whole-object one is asked.
#[cfg(unix)]
#[test]
fn an_engine_refusing_the_compact_template_gets_the_whole_object_one() {
    let row = SAMPLE
        .lines()
        .find(|l| l.contains("aaa111") && l.contains(r#""state":{"#))
        .unwrap();
    let text = run_script(INSPECT_TEMPLATE_WHOLE, row);
    let o = parse(&text).unwrap();
    assert_eq!(o.containers.len(), 1, "{text}");
    let c = &o.containers[0];
    assert_eq!(
        (c.state.as_str(), c.health.as_deref(), c.release.as_deref()),
        ("running", Some("healthy"), Some("20261202-1"))
    );
}
