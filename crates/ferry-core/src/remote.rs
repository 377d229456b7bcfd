//! Remote commands as data. Every command Ferry runs on a server is built here as an argument
//! list and quoted here, in one place; the SSH layer only executes the resulting `Cmd`.
//! Each generator is pinned by a test on its exact string.

use crate::secret::Secret;

/// A command for the server: a program and its arguments, plus optional secret standard input
/// (a registry password goes through stdin, never through an argument).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cmd {
    pub argv: Vec<String>,
    pub stdin: Option<Secret>,
}

impl Cmd {
    pub fn new<I, S>(argv: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Cmd {
            argv: argv.into_iter().map(Into::into).collect(),
            stdin: None,
        }
    }

    pub fn arg(mut self, a: impl Into<String>) -> Self {
        self.argv.push(a.into());
        self
    }

    pub fn args<I, S>(mut self, more: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.argv.extend(more.into_iter().map(Into::into));
        self
    }

    pub fn with_stdin(mut self, secret: Secret) -> Self {
        self.stdin = Some(secret);
        self
    }

    /// The command as one line of POSIX shell, every token quoted as needed.
    pub fn shell(&self) -> String {
        self.argv
            .iter()
            .map(|a| quote(a))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Quotes one token for a POSIX shell so that it arrives literally.
pub fn quote(token: &str) -> String {
    let safe = !token.is_empty()
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_@%+=:,./-".contains(&b));
    if safe {
        token.to_string()
    } else {
        format!("'{}'", token.replace('\'', r"'\''"))
    }
}

/// How to invoke docker on a server: directly, or through `sudo -n` when the user is not in
/// the docker group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DockerCli {
    pub sudo: bool,
}

impl DockerCli {
    fn docker<I, S>(&self, args: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let base = if self.sudo {
            Cmd::new(["sudo", "-n", "docker"])
        } else {
            Cmd::new(["docker"])
        };
        base.args(args)
    }

    /// `docker` with a private client config directory (for a registry login that must not
    /// touch the user's own `~/.docker/config.json`).
    fn docker_with_config<I, S>(&self, config_dir: &str, args: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let env = format!("DOCKER_CONFIG={config_dir}");
        let base = if self.sudo {
            Cmd::new(["sudo", "-n", "env", env.as_str(), "docker"])
        } else {
            Cmd::new(["env", env.as_str(), "docker"])
        };
        base.args(args)
    }

    pub fn version(&self) -> Cmd {
        self.docker(["version", "--format", "{{json .}}"])
    }

    pub fn login(&self, config_dir: &str, server: &str, username: &str, password: Secret) -> Cmd {
        self.docker_with_config(
            config_dir,
            ["login", "--username", username, "--password-stdin", server],
        )
        .with_stdin(password)
    }

    pub fn pull(&self, config_dir: Option<&str>, image: &str) -> Cmd {
        match config_dir {
            Some(dir) => self.docker_with_config(dir, ["pull", image]),
            None => self.docker(["pull", image]),
        }
    }

    /// Reads an image tarball (`docker save` format) from standard input.
    pub fn load(&self) -> Cmd {
        self.docker(["load"])
    }

    pub fn image_arch(&self, image: &str) -> Cmd {
        self.docker([
            "image",
            "inspect",
            "--format",
            "{{.Os}}/{{.Architecture}}",
            image,
        ])
    }

    pub fn inspect_container(&self, name: &str) -> Cmd {
        self.docker(["container", "inspect", name])
    }

    /// Every container of an app, running or not, one JSON object per line.
    pub fn list_app_containers(&self, app: &str) -> Cmd {
        self.docker([
            "ps".to_string(),
            "--all".to_string(),
            "--no-trunc".to_string(),
            "--filter".to_string(),
            format!("label=ferry.app={app}"),
            "--format".to_string(),
            "{{json .}}".to_string(),
        ])
    }

    pub fn run(&self, spec: &RunSpec) -> Cmd {
        let mut cmd = self.docker(["run", "--detach", "--name", spec.name.as_str()]);
        for (k, v) in &spec.labels {
            cmd = cmd.arg("--label").arg(format!("{k}={v}"));
        }
        if let Some(restart) = &spec.restart {
            cmd = cmd.arg("--restart").arg(restart);
        }
        if let Some(memory) = &spec.memory {
            cmd = cmd.arg("--memory").arg(memory);
        }
        for p in &spec.ports {
            cmd = cmd.arg("--publish").arg(p);
        }
        for v in &spec.volumes {
            cmd = cmd.arg("--volume").arg(v);
        }
        for (k, v) in &spec.env {
            cmd = cmd.arg("--env").arg(format!("{k}={v}"));
        }
        cmd.arg(&spec.image)
    }

    pub fn stop(&self, name: &str) -> Cmd {
        self.docker(["stop", "--time", "10", name])
    }

    pub fn start(&self, name: &str) -> Cmd {
        self.docker(["start", name])
    }

    pub fn restart(&self, name: &str) -> Cmd {
        self.docker(["restart", "--time", "10", name])
    }

    pub fn rename(&self, from: &str, to: &str) -> Cmd {
        self.docker(["rename", from, to])
    }

    pub fn remove(&self, name: &str) -> Cmd {
        self.docker(["rm", "--force", name])
    }

    pub fn remove_image(&self, image: &str) -> Cmd {
        self.docker(["image", "rm", image])
    }

    pub fn logs(&self, name: &str, tail: usize, follow: bool) -> Cmd {
        let tail = tail.to_string();
        let mut cmd = self.docker(["logs", "--tail", tail.as_str()]);
        if follow {
            cmd = cmd.arg("--follow");
        }
        cmd.arg(name)
    }

    pub fn stats(&self, name: &str) -> Cmd {
        self.docker(["stats", "--no-stream", "--format", "{{json .}}", name])
    }

    /// What the `docker` command is: `Docker version 20.10.24, build 297e128`, or
    /// `podman version 4.4.1` when podman-docker stands in for it. Needs no engine (no sudo).
    pub fn client_version(&self) -> Cmd {
        Cmd::new(["docker", "--version"])
    }

    /// Where the engine keeps images and containers (`/var/lib/docker`).
    pub fn root_dir(&self) -> Cmd {
        self.docker(["info", "--format", "{{.DockerRootDir}}"])
    }

    /// Every running container with its `ferry.app` label and published ports, one per line:
    /// `hello|hello|0.0.0.0:8080->8080/tcp, :::8080->8080/tcp`.
    pub fn published_ports(&self) -> Cmd {
        self.docker([
            "ps",
            "--format",
            "{{.Names}}|{{.Label \"ferry.app\"}}|{{.Ports}}",
        ])
    }
}

/// Everything `docker run` needs, taken from the config and the release being started.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunSpec {
    pub name: String,
    pub image: String,
    pub labels: Vec<(String, String)>,
    pub ports: Vec<String>,
    pub env: Vec<(String, String)>,
    pub volumes: Vec<String>,
    pub restart: Option<String>,
    pub memory: Option<String>,
}

pub mod lock;

/// Commands that are not docker's.
pub mod system {
    use super::Cmd;

    pub fn arch() -> Cmd {
        Cmd::new(["uname", "-m"])
    }

    pub fn os_release() -> Cmd {
        Cmd::new(["cat", "/etc/os-release"])
    }

    /// A private directory in memory (`/dev/shm` is a tmpfs), so that a registry login's
    /// `config.json` never reaches the server's disk.
    pub fn make_private_dir() -> Cmd {
        Cmd::new(["mktemp", "-d", "/dev/shm/ferry.XXXXXXXX"])
    }

    pub fn remove_dir(dir: &str) -> Cmd {
        Cmd::new(["rm", "-rf", dir])
    }

    /// Whether `sudo` works without a password.
    pub fn sudo_check() -> Cmd {
        Cmd::new(["sudo", "-n", "true"])
    }

    /// `cmd` through `sudo -n` (never prompts: fails at once when a password is needed).
    pub fn sudo(cmd: Cmd) -> Cmd {
        Cmd::new(["sudo", "-n"]).args(cmd.argv)
    }

    /// SELinux's mode: `Enforcing`, `Permissive` or `Disabled`.
    pub fn getenforce() -> Cmd {
        Cmd::new(["getenforce"])
    }

    /// `running` (exit 0) when firewalld runs.
    pub fn firewalld_state() -> Cmd {
        Cmd::new(["firewall-cmd", "--state"])
    }

    /// `yes` (exit 0) or `no` (exit 1): whether firewalld lets `port/protocol` in now.
    pub fn firewalld_query_port(port: u16, protocol: &str) -> Cmd {
        Cmd::new([
            "firewall-cmd".to_string(),
            format!("--query-port={port}/{protocol}"),
        ])
    }

    /// Opens `port/protocol` in firewalld's permanent configuration (root only: through sudo).
    pub fn firewalld_add_port(port: u16, protocol: &str) -> Cmd {
        sudo(Cmd::new([
            "firewall-cmd".to_string(),
            "--permanent".to_string(),
            format!("--add-port={port}/{protocol}"),
        ]))
    }

    /// Makes the permanent configuration the running one.
    pub fn firewalld_reload() -> Cmd {
        sudo(Cmd::new(["firewall-cmd", "--reload"]))
    }

    /// Listening TCP and UDP sockets, numeric. Without `-H`: CentOS 7's iproute 4.11 lacks it.
    pub fn listening_sockets() -> Cmd {
        Cmd::new(["ss", "-ltun"])
    }

    /// The same from net-tools, for servers without `ss`.
    pub fn listening_sockets_netstat() -> Cmd {
        Cmd::new(["netstat", "-ltun"])
    }

    /// Free space on the filesystem holding `dir`, in KiB, one line per filesystem (POSIX).
    pub fn disk_free(dir: &str) -> Cmd {
        Cmd::new(["df", "-Pk", dir])
    }

    /// The time zone, from systemd (239 or newer: CentOS 8, Rocky).
    pub fn timezone() -> Cmd {
        Cmd::new(["timedatectl", "show", "-p", "Timezone", "--value"])
    }

    /// The time zone as the link target of `/etc/localtime` (CentOS 7).
    pub fn localtime_link() -> Cmd {
        Cmd::new(["readlink", "/etc/localtime"])
    }

    /// The time zone name on Debian-like systems.
    pub fn timezone_file() -> Cmd {
        Cmd::new(["cat", "/etc/timezone"])
    }

    pub fn meminfo() -> Cmd {
        Cmd::new(["cat", "/proc/meminfo"])
    }

    /// An HTTP GET from the server to itself, for servers that refuse SSH port forwarding.
    pub fn http_status(port: u16, path: &str) -> Cmd {
        Cmd::new([
            "curl".to_string(),
            "--silent".to_string(),
            "--output".to_string(),
            "/dev/null".to_string(),
            "--max-time".to_string(),
            "5".to_string(),
            "--write-out".to_string(),
            "%{http_code}".to_string(),
            format!("http://127.0.0.1:{port}{path}"),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_every_value_literal() {
        assert_eq!(quote("plain-1.0_x:y/z"), "plain-1.0_x:y/z");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$(rm -rf /); echo"), "'$(rm -rf /); echo'");
        assert_eq!(quote("你好 世界"), "'你好 世界'");
        assert_eq!(quote("`id`"), "'`id`'");
    }

    #[test]
    fn run_builds_the_exact_command() {
        let spec = RunSpec {
            name: "hello".into(),
            image: "10.0.0.1:5000/team/hello:20261125-abc".into(),
            labels: vec![
                ("ferry.app".into(), "hello".into()),
                ("ferry.version".into(), "20261125-abc".into()),
            ],
            ports: vec!["8080:8080".into()],
            env: vec![
                ("GREETING".into(), "hi $(id); 'you' 你好".into()),
                ("TZ".into(), "Asia/Shanghai".into()),
            ],
            volumes: vec!["/srv/hello/data:/data:Z".into()],
            restart: Some("unless-stopped".into()),
            memory: Some("256m".into()),
        };
        assert_eq!(
            DockerCli::default().run(&spec).shell(),
            "docker run --detach --name hello --label ferry.app=hello \
             --label ferry.version=20261125-abc --restart unless-stopped --memory 256m \
             --publish 8080:8080 --volume /srv/hello/data:/data:Z \
             --env 'GREETING=hi $(id); '\\''you'\\'' 你好' --env TZ=Asia/Shanghai \
             10.0.0.1:5000/team/hello:20261125-abc"
        );
    }

    #[test]
    fn sudo_prefixes_docker() {
        let cli = DockerCli { sudo: true };
        assert_eq!(
            cli.stop("hello").shell(),
            "sudo -n docker stop --time 10 hello"
        );
        assert_eq!(
            cli.pull(Some("/dev/shm/ferry.x"), "r/a:1").shell(),
            "sudo -n env DOCKER_CONFIG=/dev/shm/ferry.x docker pull r/a:1"
        );
    }

    #[test]
    fn login_sends_the_password_on_stdin_only() {
        let cmd = DockerCli::default().login(
            "/dev/shm/ferry.AbC",
            "reg:5000",
            "deploy",
            Secret::new("s3cret"),
        );
        assert_eq!(
            cmd.shell(),
            "env DOCKER_CONFIG=/dev/shm/ferry.AbC docker login --username deploy \
             --password-stdin reg:5000"
        );
        assert!(!cmd.shell().contains("s3cret"));
        assert_eq!(cmd.stdin.as_ref().map(|s| s.expose()), Some("s3cret"));
    }

    #[test]
    fn every_other_generator_is_pinned() {
        let d = DockerCli::default();
        let cases = [
            (d.version(), "docker version --format '{{json .}}'"),
            (d.pull(None, "hello:1"), "docker pull hello:1"),
            (d.load(), "docker load"),
            (
                d.image_arch("hello:1"),
                "docker image inspect --format '{{.Os}}/{{.Architecture}}' hello:1",
            ),
            (
                d.inspect_container("hello"),
                "docker container inspect hello",
            ),
            (
                d.list_app_containers("hello"),
                "docker ps --all --no-trunc --filter label=ferry.app=hello --format '{{json .}}'",
            ),
            (d.start("hello"), "docker start hello"),
            (d.restart("hello"), "docker restart --time 10 hello"),
            (d.rename("hello", "hello-1"), "docker rename hello hello-1"),
            (d.remove("hello"), "docker rm --force hello"),
            (d.remove_image("hello:1"), "docker image rm hello:1"),
            (d.logs("hello", 50, false), "docker logs --tail 50 hello"),
            (
                d.logs("hello", 10, true),
                "docker logs --tail 10 --follow hello",
            ),
            (
                d.stats("hello"),
                "docker stats --no-stream --format '{{json .}}' hello",
            ),
            (system::arch(), "uname -m"),
            (system::os_release(), "cat /etc/os-release"),
            (
                system::make_private_dir(),
                "mktemp -d /dev/shm/ferry.XXXXXXXX",
            ),
            (
                system::remove_dir("/dev/shm/ferry.x"),
                "rm -rf /dev/shm/ferry.x",
            ),
            (system::sudo_check(), "sudo -n true"),
            (d.client_version(), "docker --version"),
            (d.root_dir(), "docker info --format '{{.DockerRootDir}}'"),
            (
                DockerCli { sudo: true }.root_dir(),
                "sudo -n docker info --format '{{.DockerRootDir}}'",
            ),
            (
                d.published_ports(),
                "docker ps --format '{{.Names}}|{{.Label \"ferry.app\"}}|{{.Ports}}'",
            ),
            (system::getenforce(), "getenforce"),
            (system::firewalld_state(), "firewall-cmd --state"),
            (
                system::firewalld_query_port(8080, "tcp"),
                "firewall-cmd --query-port=8080/tcp",
            ),
            (
                system::sudo(system::firewalld_query_port(53, "udp")),
                "sudo -n firewall-cmd --query-port=53/udp",
            ),
            (
                system::firewalld_add_port(8080, "tcp"),
                "sudo -n firewall-cmd --permanent --add-port=8080/tcp",
            ),
            (system::firewalld_reload(), "sudo -n firewall-cmd --reload"),
            (system::listening_sockets(), "ss -ltun"),
            (system::listening_sockets_netstat(), "netstat -ltun"),
            (
                system::disk_free("/var/lib/docker"),
                "df -Pk /var/lib/docker",
            ),
            (
                system::disk_free("/data/my docker"),
                "df -Pk '/data/my docker'",
            ),
            (system::timezone(), "timedatectl show -p Timezone --value"),
            (system::localtime_link(), "readlink /etc/localtime"),
            (system::timezone_file(), "cat /etc/timezone"),
            (system::meminfo(), "cat /proc/meminfo"),
            (
                system::http_status(8080, "/healthz"),
                "curl --silent --output /dev/null --max-time 5 --write-out '%{http_code}' \
                 http://127.0.0.1:8080/healthz",
            ),
        ];
        for (cmd, expected) in cases {
            assert_eq!(cmd.shell(), expected);
        }
    }
}
