//! `ferry doctor`'s server checks, over real SSH against the testbed's server and its engine.
//!
//! The CentOS flavour of the testbed (sshd on FERRY_TB_CENTOS_PORT, same user, key and engine)
//! shows its sessions a CentOS Linux 7 `/etc/os-release`, and its `getenforce`, `firewall-cmd`,
//! `timedatectl`, `sudo` and `docker version` (1.13.1, CentOS 7's own package) are stand-ins
//! written by scripts/testbed: SELinux and firewalld are not really there, only their answers (Enforcing; the firewall's open ports are files in
//! FERRY_TB_CENTOS_STATE). The plain server (port 22) has none of those tools.

use ferry_e2e::{ferry_toml, finding_ids, the_finding, Project, Testbed};
use serde_json::Value;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[track_caller]
fn doctor(p: &Project) -> Vec<Value> {
    p.ferry(&["--json", "doctor"]).findings()
}

/// The testbed's `ferry.toml` with a bind-mount volume (no `:Z`), no TZ, on `ssh_port`.
fn toml_with_volume(tb: &Testbed, app: &str, port: u16, ssh_port: &str) -> String {
    let text = ferry_toml(tb, app, port, "", "");
    let plain_port = format!("\nport = {}\n", tb.get("FERRY_TB_SERVER_PORT"));
    assert!(text.contains(&plain_port));
    text.replace(&plain_port, &format!("\nport = {ssh_port}\n"))
        .replace(
            "memory = \"128m\"\n",
            &format!("memory = \"128m\"\nvolumes = [\"/srv/{app}/data:/data\"]\n"),
        )
}

const CENTOS_TRAPS: [&str; 5] = [
    "server.docker_too_old",
    "server.selinux_volume",
    "server.firewalld_port_closed",
    "server.eol_os",
    "server.timezone_mismatch",
];

#[test]
fn centos_server_traps_are_reported_and_fixed() {
    let tb = Testbed::load();
    let port = 18611;
    tb.close_in_standin_firewall(port);
    let app = "e2e-doctor-centos";
    let p = Project::new(
        app,
        &toml_with_volume(&tb, app, port, tb.get("FERRY_TB_CENTOS_PORT")),
    );

    let found = doctor(&p);
    for id in CENTOS_TRAPS {
        the_finding(&found, id);
    }
    let selinux = the_finding(&found, "server.selinux_volume");
    assert_eq!(selinux["severity"], "warning");
    assert_eq!(selinux["evidence"], "$ getenforce\nEnforcing");
    assert!(selinux["message"]["text"]
        .as_str()
        .unwrap()
        .contains("permission denied"));
    let firewall = the_finding(&found, "server.firewalld_port_closed");
    assert_eq!(firewall["severity"], "warning");
    assert_eq!(
        firewall["evidence"],
        format!("$ firewall-cmd --state\nrunning\n$ firewall-cmd --query-port={port}/tcp\nno")
    );
    let eol = the_finding(&found, "server.eol_os");
    assert!(eol["message"]["text"]
        .as_str()
        .unwrap()
        .contains("CentOS Linux 7"));
    assert!(eol["message"]["text"]
        .as_str()
        .unwrap()
        .contains("2024-06-30"));
    let tz = the_finding(&found, "server.timezone_mismatch");
    assert_eq!(tz["severity"], "info");
    assert_eq!(
        tz["evidence"],
        "$ timedatectl show -p Timezone --value\nAsia/Shanghai"
    );

    // CentOS 7's own docker package (1.13.1, a stand-in's answer): without a registry the image
    // goes over SSH and needs no `--password-stdin`, so only a warning.
    let old = the_finding(&found, "server.docker_too_old");
    assert_eq!(old["severity"], "warning");
    assert!(
        old["message"]["text"].as_str().unwrap().contains("1.13.1"),
        "{old}"
    );

    // The firewall fix runs on the server: the stand-in records the port, permanent and live.
    p.ferry(&["doctor", "--fix", "server.firewalld_port_closed"])
        .assert_ok();
    assert!(tb.standin_firewall_opens("permanent", port));
    assert!(tb.standin_firewall_opens("runtime", port));

    // The file fixes rewrite ferry.toml.
    p.ferry(&["doctor", "--fix", "server.selinux_volume"])
        .assert_ok();
    p.ferry(&["doctor", "--fix", "server.timezone_mismatch"])
        .assert_ok();
    let toml = std::fs::read_to_string(p.path("ferry.toml")).unwrap();
    assert!(
        toml.contains(&format!("volumes = [\"/srv/{app}/data:/data:Z\"]")),
        "{toml}"
    );
    assert!(
        toml.contains(&format!(
            "env = {{ GREETING = \"hello from {app}\", TZ = \"Asia/Shanghai\" }}"
        )),
        "{toml}"
    );

    let again = finding_ids(&doctor(&p));
    for fixed in [
        "server.firewalld_port_closed",
        "server.selinux_volume",
        "server.timezone_mismatch",
    ] {
        assert!(!again.contains(&fixed.to_string()), "{fixed} in {again:?}");
    }
    assert!(again.contains(&"server.eol_os".to_string()));
    tb.close_in_standin_firewall(port);
}

#[test]
fn the_same_project_on_the_plain_server_has_none_of_the_centos_traps() {
    let tb = Testbed::load();
    let app = "e2e-doctor-plain";
    let p = Project::new(
        app,
        &toml_with_volume(&tb, app, 18613, tb.get("FERRY_TB_SERVER_PORT")),
    );
    let run = p.ferry(&["--json", "doctor"]);
    let found = run.findings();
    for id in CENTOS_TRAPS {
        assert!(
            !finding_ids(&found).contains(&id.to_string()),
            "{id}: {found:#?}"
        );
    }
    let server_errors: Vec<&Value> = found
        .iter()
        .filter(|f| f["id"].as_str().unwrap().starts_with("server.") && f["severity"] == "error")
        .collect();
    assert!(server_errors.is_empty(), "{server_errors:#?}");
}

/// A process listening on a port of the server (in its network namespace), until dropped.
struct Squatter(Child);

impl Squatter {
    fn listen(tb: &Testbed, port: u16) -> Squatter {
        let child = Command::new("nsenter")
            .arg("--net=/var/run/netns/ferrysrv")
            .args(["busybox", "nc", "-l", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .expect("nsenter busybox nc");
        let deadline = Instant::now() + Duration::from_secs(5);
        let addr = format!("{}:{port}", tb.server_host());
        // Wait until it listens, without connecting (nc -l serves one connection only).
        while !listening_in_server(port) {
            assert!(Instant::now() < deadline, "nothing listens on {addr}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Squatter(child)
    }
}

fn listening_in_server(port: u16) -> bool {
    let out = Command::new("nsenter")
        .args(["--net=/var/run/netns/ferrysrv", "ss", "-ltnH"])
        .output()
        .expect("ss");
    String::from_utf8_lossy(&out.stdout).contains(&format!(":{port} "))
}

impl Drop for Squatter {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_port_taken_on_the_server_stops_the_deploy_before_building() {
    let tb = Testbed::load();
    let app = "e2e-doctor-port";
    let port = 18612;
    tb.clean_server(app);
    let p = Project::new(app, &ferry_toml(&tb, app, port, "", ""));

    let squatter = Squatter::listen(&tb, port);
    let run = p.ferry(&["--json", "doctor"]);
    let found = run.findings();
    let taken = the_finding(&found, "server.port_in_use");
    assert_eq!(taken["severity"], "error");
    assert!(taken["message"]["text"]
        .as_str()
        .unwrap()
        .contains("address already in use"));
    let evidence = taken["evidence"].as_str().unwrap();
    assert!(evidence.starts_with("$ ss -ltun\ntcp"), "{evidence}");
    assert!(evidence.contains(&format!(":{port} ")), "{evidence}");
    assert!(!run.succeeded(), "an error finding fails `ferry doctor`");

    let deploy = p.ferry(&["--json", "deploy"]);
    deploy.assert_fails_with("preflight");
    assert!(
        deploy.error_line().contains("already used"),
        "{}",
        deploy.error_line()
    );
    assert!(
        !deploy.steps().contains(&"build".to_string()),
        "{:?}",
        deploy.steps()
    );
    drop(squatter);

    // Free: no finding; and once the app runs there, its own release holds the port legitimately.
    assert!(!finding_ids(&doctor(&p)).contains(&"server.port_in_use".to_string()));
    p.ferry(&["deploy"]).assert_ok();
    let after = doctor(&p);
    assert!(
        !finding_ids(&after).contains(&"server.port_in_use".to_string()),
        "{after:#?}"
    );
    tb.clean_server(app);
}

#[test]
fn a_memory_limit_beyond_the_server_is_an_error() {
    let tb = Testbed::load();
    let app = "e2e-doctor-memory";
    let toml =
        ferry_toml(&tb, app, 18614, "", "").replace("memory = \"128m\"", "memory = \"900g\"");
    let p = Project::new(app, &toml);
    let run = p.ferry(&["--json", "doctor"]);
    let found = run.findings();
    let memory = the_finding(&found, "server.memory_limit");
    assert_eq!(memory["severity"], "error");
    assert!(memory["message"]["text"].as_str().unwrap().contains("900g"));
    assert!(memory["evidence"]
        .as_str()
        .unwrap()
        .starts_with("$ cat /proc/meminfo\nMemTotal:"));
    assert!(!run.succeeded());
}

#[test]
fn a_user_docker_refuses_is_told_how_to_get_access() {
    let tb = Testbed::load();
    let app = "e2e-doc-outsider";
    // The testbed's outsider logs in with the same key but is not in the docker group and has
    // no sudo: the engine's socket refuses it, as on a fresh CentOS for a new deploy user.
    let outsider = tb.get("FERRY_TB_OUTSIDER_USER");
    let text = ferry_toml(&tb, app, 18621, "", "");
    let user_line = format!("\nuser = \"{}\"\n", tb.get("FERRY_TB_SERVER_USER"));
    assert!(text.contains(&user_line));
    let p = Project::new(
        app,
        &text.replace(&user_line, &format!("\nuser = \"{outsider}\"\n")),
    );

    let found = doctor(&p);
    let f = the_finding(&found, "server.docker_denied");
    assert_eq!(f["severity"], "error");
    let fix = f["fix"]["text"].as_str().unwrap();
    assert!(
        fix.contains(&format!("sudo usermod -aG docker {outsider}")),
        "{fix}"
    );
    assert!(!f["message"]["text"].as_str().unwrap().is_empty());

    p.ferry(&["deploy"]).assert_fails_with(&format!(
        "user `{outsider}` may not use Docker on the server"
    ));
}
