//! The server overview: what `DockerCli::overview`'s one script prints, read into the host's
//! figures and every container on it (Ferry's and others').

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The host and every container, as one refresh saw them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub system: HostSystem,
    pub containers: Vec<ServerContainer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct HostSystem {
    pub os_name: String,
    /// `uname -r`.
    pub kernel: String,
    /// `uname -m`.
    pub arch: String,
    pub uptime_secs: Option<u64>,
    /// The 1, 5 and 15 minute load averages.
    pub load: Option<[f64; 3]>,
    pub cpus: Option<u32>,
    pub memory: Option<Memory>,
    pub swap: Option<Swap>,
    /// `/`, then Docker's root directory (two entries even when they are one filesystem).
    pub disks: Vec<Disk>,
    pub docker: Option<DockerHost>,
}

/// Bytes. `used` is what the kernel cannot give back: total − available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memory {
    pub total: u64,
    pub used: u64,
    pub available: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Swap {
    pub total: u64,
    pub used: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiskLabel {
    /// The filesystem of `/`.
    Root,
    /// The filesystem of Docker's root directory.
    Docker,
}

/// A filesystem, in bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disk {
    pub label: DiskLabel,
    /// The directory asked about (`/`, `/var/lib/docker`).
    pub path: String,
    /// Where its filesystem is mounted.
    pub mount: String,
    pub total: u64,
    pub used: u64,
    pub available: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DockerHost {
    pub version: String,
    pub storage_driver: String,
    pub root_dir: String,
}

/// One container on the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerContainer {
    pub id: String,
    pub name: String,
    pub image: String,
    /// Docker's: `running`, `exited`, `restarting`, `paused`, `created`, `dead`.
    pub state: String,
    pub health: Option<String>,
    /// RFC 3339.
    pub created_at: Option<String>,
    /// RFC 3339; `None` when it never started.
    pub started_at: Option<String>,
    pub restart_count: i64,
    /// `0.0.0.0:8080->8080/tcp`, or `9000/tcp` when not published.
    pub ports: Vec<String>,
    /// Percent of one CPU (over 100 on several); running containers only.
    pub cpu_percent: Option<f64>,
    pub memory_bytes: Option<u64>,
    /// The limit set on the container (`--memory`); `None` when it has none.
    pub memory_limit_bytes: Option<u64>,
    /// Ferry's containers: the `ferry.app` and `ferry.version` labels.
    pub app: Option<String>,
    pub release: Option<String>,
}

/// Reads the script's output. Sections it could not fill (no permission, an old tool) are
/// left empty rather than failing the whole overview; only a container line that is not the
/// template's JSON is an error.
pub fn parse(text: &str) -> Result<Overview, String> {
    let sections = sections(text);
    let get = |name: &str| sections.get(name).map(String::as_str).unwrap_or_default();
    let (kernel, arch) = uname(get("uname"));
    let release = super::parse_os_release(get("os-release"));
    let docker = docker_host(get("docker"));
    let mut containers = Vec::new();
    let stats = stats(get("stats"));
    let inspect = get("inspect");
    let rows: Vec<&str> = inspect
        .lines()
        .filter(|l| l.trim_start().starts_with('{'))
        .collect();
    // Lines of another kind are the engine's errors: one for a container removed meanwhile
    // is only that container missing; nothing but errors is an engine that refused.
    if rows.is_empty() && !inspect.trim().is_empty() {
        return Err(inspect.trim().to_string());
    }
    for line in rows {
        let mut c = container(line)?;
        // A container removed while the first template ran makes the script try the second:
        // the others then come twice.
        if containers.iter().any(|o: &ServerContainer| o.id == c.id) {
            continue;
        }
        if let Some((cpu, mem)) = stats
            .iter()
            .find(|(id, _)| !id.is_empty() && (c.id.starts_with(id) || id.starts_with(&c.id)))
            .map(|(_, s)| *s)
        {
            c.cpu_percent = cpu;
            c.memory_bytes = mem;
        }
        containers.push(c);
    }
    containers.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Overview {
        system: HostSystem {
            os_name: release.get("PRETTY_NAME").cloned().unwrap_or_default(),
            kernel,
            arch,
            uptime_secs: get("uptime")
                .split_whitespace()
                .next()
                .and_then(|s| s.parse::<f64>().ok())
                .map(|s| s as u64),
            load: load(get("loadavg")),
            cpus: get("cpus").trim().parse().ok(),
            memory: memory(get("meminfo")),
            swap: swap(get("meminfo")),
            disks: disks(get("df"), docker.as_ref().map(|d| d.root_dir.as_str())),
            docker,
        },
        containers,
    })
}

fn sections(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("@@ferry ") {
            current = Some(name.trim().to_string());
            out.entry(name.trim().to_string())
                .or_insert_with(String::new);
        } else if let Some(name) = &current {
            let body = out.get_mut(name).expect("the section was opened");
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// `uname -srm`: `Linux 5.14.0-362.el9.x86_64 x86_64`.
fn uname(text: &str) -> (String, String) {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        [_, release, .., machine] if words.len() >= 3 => (release.to_string(), machine.to_string()),
        _ => (String::new(), String::new()),
    }
}

fn load(text: &str) -> Option<[f64; 3]> {
    let mut it = text.split_whitespace().map(|s| s.parse::<f64>().ok());
    Some([it.next()??, it.next()??, it.next()??])
}

/// `/proc/meminfo` values in bytes.
fn meminfo(text: &str) -> BTreeMap<&str, u64> {
    text.lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            let kb: u64 = v.split_whitespace().next()?.parse().ok()?;
            Some((k.trim(), kb * 1024))
        })
        .collect()
}

fn memory(text: &str) -> Option<Memory> {
    let m = meminfo(text);
    let total = *m.get("MemTotal")?;
    // Kernels before 3.14 (CentOS 7 has it backported) lack MemAvailable: the classic estimate.
    let available = m.get("MemAvailable").copied().unwrap_or_else(|| {
        ["MemFree", "Buffers", "Cached"]
            .iter()
            .filter_map(|k| m.get(k))
            .sum()
    });
    Some(Memory {
        total,
        used: total.saturating_sub(available),
        available,
    })
}

fn swap(text: &str) -> Option<Swap> {
    let m = meminfo(text);
    let total = *m.get("SwapTotal")?;
    Some(Swap {
        total,
        used: total.saturating_sub(m.get("SwapFree").copied().unwrap_or(total)),
    })
}

/// `ROOT|VERSION|DRIVER` from `docker info`.
fn docker_host(text: &str) -> Option<DockerHost> {
    let line = text.lines().find(|l| l.contains('|'))?;
    let mut parts = line.splitn(3, '|');
    let (root, version, driver) = (parts.next()?, parts.next()?, parts.next()?);
    if version.trim().is_empty() {
        return None;
    }
    Some(DockerHost {
        version: version.trim().to_string(),
        storage_driver: driver.trim().to_string(),
        root_dir: root.trim().to_string(),
    })
}

/// `df -Pk / ROOT`: the first row is `/`, the second Docker's root.
fn disks(text: &str, docker_root: Option<&str>) -> Vec<Disk> {
    let rows: Vec<(u64, u64, u64, String)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            if f.len() < 6 {
                return None;
            }
            let kb = |s: &str| s.parse::<u64>().ok().map(|v| v * 1024);
            Some((kb(f[1])?, kb(f[2])?, kb(f[3])?, f[5..].join(" ")))
        })
        .collect();
    let targets = [
        (DiskLabel::Root, Some("/")),
        (DiskLabel::Docker, docker_root),
    ];
    rows.into_iter()
        .zip(targets)
        .filter_map(|((total, used, available, mount), (label, path))| {
            Some(Disk {
                label,
                path: path.filter(|p| !p.is_empty())?.to_string(),
                mount,
                total,
                used,
                available,
            })
        })
        .collect()
}

/// One line of the inspect template.
fn container(line: &str) -> Result<ServerContainer, String> {
    /// Either template's line (see `INSPECT_TEMPLATE` and `INSPECT_TEMPLATE_WHOLE`).
    #[derive(Deserialize)]
    struct Row {
        id: String,
        name: String,
        image: String,
        state: StateField,
        health: Option<String>,
        created: Option<String>,
        started: Option<String>,
        restarts: Option<i64>,
        memory: Option<i64>,
        app: Option<String>,
        release: Option<String>,
        labels: Option<BTreeMap<String, String>>,
        ports: Option<BTreeMap<String, Option<Vec<Binding>>>>,
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum StateField {
        Status(String),
        Whole(State),
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct State {
        status: String,
        started_at: Option<String>,
        health: Option<Health>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Health {
        status: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Binding {
        host_ip: Option<String>,
        host_port: Option<String>,
    }
    let row: Row = serde_json::from_str(line).map_err(|e| format!("{e}: {line}"))?;
    let nonempty = |s: Option<String>| s.filter(|s| !s.is_empty());
    let labels = row.labels.unwrap_or_default();
    let label = |k: &str| nonempty(labels.get(k).cloned());
    let (state, started, health) = match row.state {
        StateField::Status(status) => (status, row.started, row.health),
        StateField::Whole(s) => (s.status, s.started_at, s.health.and_then(|h| h.status)),
    };
    let mut ports = Vec::new();
    for (port, bindings) in row.ports.unwrap_or_default() {
        match bindings.filter(|b| !b.is_empty()) {
            None => ports.push(port),
            Some(bindings) => {
                for b in bindings {
                    let ip = b.host_ip.unwrap_or_default();
                    let host_port = b.host_port.unwrap_or_default();
                    let ip = if ip.contains(':') {
                        format!("[{ip}]")
                    } else {
                        ip
                    };
                    ports.push(format!("{ip}:{host_port}->{port}"));
                }
            }
        }
    }
    // Only Ferry's own containers carry its version label; one made by hand from the app's
    // image has just the image's `ferry.app` label.
    let release = nonempty(row.release).or_else(|| label("ferry.version"));
    let app = nonempty(row.app).or_else(|| label("ferry.app"));
    Ok(ServerContainer {
        id: row.id,
        name: row.name.trim_start_matches('/').to_string(),
        image: row.image,
        state,
        health: nonempty(health),
        created_at: nonempty(row.created),
        // Docker's zero time is a container that never started.
        started_at: nonempty(started).filter(|s| !s.starts_with("0001-")),
        restart_count: row.restarts.unwrap_or(0),
        ports,
        cpu_percent: None,
        memory_bytes: None,
        memory_limit_bytes: row
            .memory
            .and_then(|m| u64::try_from(m).ok())
            .filter(|m| *m > 0),
        app: release.as_ref().and(app),
        release,
    })
}

type Usage = (Option<f64>, Option<u64>);

/// `docker stats` lines (`ID CPU% USED / LIMIT`): the container's id (short), its CPU
/// percentage and memory in use.
fn stats(text: &str) -> Vec<(String, Usage)> {
    text.lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let (id, cpu) = (words.next()?, words.next()?);
            let memory: Vec<&str> = words.collect();
            Some((id.to_string(), usage(cpu, &memory.join(" "))))
        })
        .collect()
}

/// `0.52%` and `3.4MiB / 1.9GiB` as numbers.
pub fn usage(cpu: &str, memory: &str) -> Usage {
    let cpu = cpu.trim().trim_end_matches('%').trim().parse::<f64>().ok();
    let memory = memory.split('/').next().and_then(parse_size);
    (cpu, memory)
}

/// The limit part of `3.4MiB / 1.9GiB`.
pub fn usage_limit(memory: &str) -> Option<u64> {
    memory.split('/').nth(1).and_then(parse_size)
}

/// A size as Docker prints it: `0B`, `12.5kB`, `3.387MiB`, `1.9GiB` (binary and decimal units).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor: f64 = match unit.trim() {
        "" | "B" => 1.0,
        "kB" | "KB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "TB" => 1e12,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        "TiB" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    Some((number * factor).round() as u64)
}

#[cfg(test)]
mod tests;
