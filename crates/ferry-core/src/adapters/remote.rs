//! Remote commands as data. Every command Ferry runs on a server is built here as an argument
//! list and quoted here, in one place; the SSH layer only executes the resulting `Cmd`.
//! Each generator is pinned by a test on its exact string.

use crate::adapters::secret::Secret;
use std::time::Duration;

/// A command for the server: a program and its arguments, plus optional secret standard input
/// (a registry password goes through stdin, never through an argument), secret environment
/// variables (also sent through stdin), and how long it may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cmd {
    pub argv: Vec<String>,
    pub stdin: Option<Secret>,
    /// Variables the command gets in its environment whose values are secret. They travel on
    /// standard input, ahead of `stdin`, and a small POSIX `sh` prelude on the server reads
    /// them into its own environment: never an argument, a file or a log line.
    pub secret_env: Vec<(String, Secret)>,
    pub deadline: Deadline,
}

/// How long a command may run before Ferry gives up on it (and on the connection).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// From start to exit.
    Total(Duration),
    /// Without any byte moving in either direction (a long transfer that keeps moving is fine).
    Idle(Duration),
    /// Runs until it ends or the caller stops it (`docker logs --follow`).
    Unbounded,
}

/// What an ordinary command may take: long enough for `docker stop --time 10` on a busy
/// server, short enough that a dead connection is noticed within half a minute.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);

impl Cmd {
    pub fn new<I, S>(argv: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Cmd {
            argv: argv.into_iter().map(Into::into).collect(),
            stdin: None,
            secret_env: Vec::new(),
            deadline: Deadline::Total(DEFAULT_DEADLINE),
        }
    }

    /// A POSIX `sh` script run with positional arguments (`$1`...): the script is a constant,
    /// every value an argument.
    pub fn script<I, S>(script: &str, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Cmd::new(["sh", "-c", script, "sh"]).args(args)
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

    pub fn with_deadline(mut self, deadline: Deadline) -> Self {
        self.deadline = deadline;
        self
    }

    /// The command as one line of POSIX shell, every token quoted as needed, for people: a
    /// secret variable shows as `NAME=…`, never its value.
    pub fn shell(&self) -> String {
        let mut previous = "";
        self.argv
            .iter()
            .map(|a| {
                let secret = previous == "--env" && self.secret_env.iter().any(|(n, _)| n == a);
                previous = a;
                if secret {
                    format!("{a}=…")
                } else {
                    quote(a)
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The command for a message, without Ferry's long scripts: `sh -c … ARGS` for a script,
    /// `python - … (ferry's assembler)` for a program read from standard input.
    pub fn brief(&self) -> String {
        match self.argv.get(1).map(String::as_str) {
            Some("-") => format!("{} - … (ferry's assembler)", self.argv[0]),
            Some("-c") if self.argv[0] == "sh" => {
                let args: Vec<String> = self.argv[4..].iter().map(|a| quote(a)).collect();
                format!("sh -c … {}", args.join(" "))
            }
            _ => self.shell(),
        }
    }

    /// What goes to sshd: sshd hands it to the user's *login shell* (sh, bash, zsh, fish,
    /// tcsh...), whose quoting rules differ. So the real command travels encoded, in a form
    /// that every one of those shells passes on untouched (one single-quoted word with no
    /// quote, backslash pair, `!` or newline in it), and only `sh` decodes and parses it.
    pub fn wire(&self) -> String {
        let mut script = String::new();
        for (name, _) in &self.secret_env {
            debug_assert!(is_env_name(name), "{name}");
            script.push_str(&format!(
                "IFS= read -r ferry_v || exit 125; {name}=$(printf \"${{ferry_v}}x\"); \
                 {name}=${{{name}%x}}; export {name}\n"
            ));
        }
        if !self.secret_env.is_empty() {
            script.push_str("unset ferry_v\n");
        }
        script.push_str("exec ");
        script.push_str(&self.line());
        format!(
            "exec sh -c 'eval \"$(printf \"{}\")\"'",
            printf_escape(&script, true)
        )
    }

    /// What the command reads first on standard input: each secret variable's value as one
    /// line of octal escapes (see [`Cmd::wire`]), then `stdin`.
    pub fn stdin_prelude(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        for (_, value) in &self.secret_env {
            bytes.extend_from_slice(printf_escape(value.expose(), false).as_bytes());
            bytes.push(b'\n');
        }
        if let Some(s) = &self.stdin {
            bytes.extend_from_slice(s.expose().as_bytes());
        }
        bytes
    }

    /// The real command line (secret variables by name only: their values are in the
    /// environment).
    fn line(&self) -> String {
        self.argv
            .iter()
            .map(|a| quote(a))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Text as a `printf` format that prints it exactly: bytes outside a small safe set become
/// `\ooo` octal escapes (all of them when `keep_safe` is false).
fn printf_escape(text: &str, keep_safe: bool) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        let safe = b.is_ascii_alphanumeric() || b" _-./:=@,+".contains(&b);
        if keep_safe && safe {
            out.push(b as char);
        } else {
            out.push_str(&format!("\\{b:03o}"));
        }
    }
    out
}

/// An environment variable name Docker and every shell take: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
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

    pub fn version(&self) -> Cmd {
        self.docker(["version", "--format", "{{json .}}"])
    }

    pub fn pull(&self, image: &str) -> Cmd {
        self.docker(["pull", image])
            .with_deadline(Deadline::Idle(Duration::from_secs(120)))
    }

    /// Reads an image tarball (`docker save` format) from standard input. Unpacking a big
    /// image may keep it quiet for a while after the last byte.
    pub fn load(&self) -> Cmd {
        self.docker(["load"])
            .with_deadline(Deadline::Idle(Duration::from_secs(120)))
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

    /// Each image's size and tags, one per line: `123456 ["hello:1"]`. A missing image is
    /// only missing from the output (the status is then 1).
    pub fn image_sizes(&self, images: &[String]) -> Cmd {
        self.docker([
            "image",
            "inspect",
            "--format",
            "{{.Size}} {{json .RepoTags}}",
        ])
        .args(images.iter().cloned())
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

    /// Starts a release's container in the background.
    pub fn run(&self, spec: &RunSpec) -> Cmd {
        self.container("run", spec)
    }

    /// Creates a release's container without starting it (so that the switch itself is only
    /// a `docker stop` and a `docker start`).
    pub fn create(&self, spec: &RunSpec) -> Cmd {
        self.container("create", spec)
    }

    fn container(&self, verb: &str, spec: &RunSpec) -> Cmd {
        let mut base = if self.sudo {
            // sudo clears the environment: keep exactly the secret variables.
            let mut sudo = Cmd::new(["sudo", "-n"]);
            if !spec.secret_env.is_empty() {
                let names: Vec<&str> = spec.secret_env.iter().map(|(n, _)| n.as_str()).collect();
                sudo = sudo.arg(format!("--preserve-env={}", names.join(",")));
            }
            sudo.arg("docker")
        } else {
            Cmd::new(["docker"])
        };
        base = base.arg(verb);
        if verb == "run" {
            base = base.arg("--detach");
        }
        let mut cmd = base.arg("--name").arg(spec.name.as_str());
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
        for (k, _) in &spec.secret_env {
            cmd = cmd.arg("--env").arg(k);
        }
        cmd.secret_env = spec.secret_env.clone();
        cmd.arg(&spec.image)
    }

    /// Changes a container's restart policy (a kept release must not come back by itself when
    /// the engine restarts).
    pub fn set_restart(&self, name: &str, policy: &str) -> Cmd {
        self.docker(["update", "--restart", policy, name])
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
        self.log_lines(
            name,
            &LogRange {
                tail: Some(tail),
                follow,
                ..LogRange::default()
            },
        )
    }

    /// The container's log in `range`.
    pub fn log_lines(&self, name: &str, range: &LogRange) -> Cmd {
        let mut cmd = self.docker(["logs"]);
        if let Some(tail) = range.tail {
            cmd = cmd.arg("--tail").arg(tail.to_string());
        }
        if let Some(since) = &range.since {
            cmd = cmd.arg("--since").arg(since);
        }
        if range.timestamps {
            cmd = cmd.arg("--timestamps");
        }
        if range.follow {
            cmd = cmd.arg("--follow").with_deadline(Deadline::Unbounded);
        } else {
            cmd = cmd.with_deadline(Deadline::Idle(DEFAULT_DEADLINE));
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

    /// The host and every container on it in one round trip (`server overview`): sections
    /// headed `@@ferry NAME`, parsed by `server::overview`. It may take a few seconds
    /// (`docker stats` samples twice).
    pub fn overview(&self) -> Cmd {
        let sudo = if self.sudo { "sudo" } else { "" };
        Cmd::script(
            OVERVIEW_SH,
            [sudo, INSPECT_TEMPLATE, INSPECT_TEMPLATE_WHOLE],
        )
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

/// The overview's script (see [`DockerCli::overview`]).
pub const OVERVIEW_SH: &str = include_str!("remote/overview.sh");

/// What the overview asks `docker inspect` of each container: one JSON object per line, only
/// the fields it shows (a full inspect is ~10 KB a container, this ~0.4 KB). Docker runs a
/// template that fails on its typed data again on the raw JSON, where `index` of a missing
/// key (`Health` without a health check) gives nothing.
pub const INSPECT_TEMPLATE: &str = concat!(
    r#"{"id":{{json .Id}},"name":{{json .Name}},"image":{{json .Config.Image}},"#,
    r#""state":{{json .State.Status}},"#,
    r#""health":{{with index .State "Health"}}{{json .Status}}{{else}}null{{end}},"#,
    r#""created":{{json .Created}},"started":{{json .State.StartedAt}},"#,
    r#""restarts":{{json .RestartCount}},"memory":{{json .HostConfig.Memory}},"#,
    r#""app":{{with .Config.Labels}}{{json (index . "ferry.app")}}{{else}}null{{end}},"#,
    r#""release":{{with .Config.Labels}}{{json (index . "ferry.version")}}{{else}}null{{end}},"#,
    r#""ports":{{json .NetworkSettings.Ports}}}"#,
);

/// The same for an engine that refuses [`INSPECT_TEMPLATE`] (podman does not retry on the raw
/// JSON): only whole objects every container has, `State` and `Labels` read by the parser.
/// Larger (a health check's last outputs come along).
pub const INSPECT_TEMPLATE_WHOLE: &str = concat!(
    r#"{"id":{{json .Id}},"name":{{json .Name}},"image":{{json .Config.Image}},"#,
    r#""state":{{json .State}},"created":{{json .Created}},"#,
    r#""restarts":{{json .RestartCount}},"memory":{{json .HostConfig.Memory}},"#,
    r#""labels":{{json .Config.Labels}},"ports":{{json .NetworkSettings.Ports}}}"#,
);

/// Which part of a container's log to read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogRange {
    /// The last this many lines; `None`: all (within `since`).
    pub tail: Option<usize>,
    /// `1h`, `30m`, or an RFC 3339 time: what Docker's `--since` takes.
    pub since: Option<String>,
    pub follow: bool,
    /// Each line prefixed with its RFC 3339 time.
    pub timestamps: bool,
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
    /// Variables whose values come from the keyring; they reach the server on stdin.
    pub secret_env: Vec<(String, Secret)>,
}

pub mod journal;
pub mod lock;
pub mod registry;
pub mod ship;

/// Commands that are not docker's.
pub mod system {
    use super::Cmd;

    pub fn arch() -> Cmd {
        Cmd::new(["uname", "-m"])
    }

    pub fn os_release() -> Cmd {
        Cmd::new(["cat", "/etc/os-release"])
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

    /// An HTTP GET from the server to `addr` (itself, a container), for servers that refuse
    /// SSH port forwarding.
    pub fn http_status(addr: &str, port: u16, path: &str) -> Cmd {
        Cmd::new([
            "curl".to_string(),
            "--silent".to_string(),
            "--output".to_string(),
            "/dev/null".to_string(),
            "--max-time".to_string(),
            "5".to_string(),
            "--write-out".to_string(),
            "%{http_code}".to_string(),
            format!("http://{addr}:{port}{path}"),
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
            secret_env: Vec::new(),
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
        assert_eq!(cli.pull("r/a:1").shell(), "sudo -n docker pull r/a:1");
    }

    #[test]
    fn secret_variables_are_named_in_the_command_and_travel_on_stdin() {
        let spec = RunSpec {
            name: "hello".into(),
            image: "hello:1".into(),
            env: vec![("PLAIN".into(), "x".into())],
            secret_env: vec![("DB_PASSWORD".into(), Secret::new("s3cret'$(id)"))],
            ..Default::default()
        };
        let cmd = DockerCli::default().run(&spec);
        assert_eq!(
            cmd.shell(),
            "docker run --detach --name hello --env PLAIN=x --env DB_PASSWORD=… hello:1"
        );
        assert!(!cmd.wire().contains("s3cret"));
        assert!(!cmd.argv.iter().any(|a| a.contains("s3cret")));
        assert_eq!(
            String::from_utf8(cmd.stdin_prelude()).unwrap(),
            "\\163\\063\\143\\162\\145\\164\\047\\044\\050\\151\\144\\051\n"
        );
        let sudo = DockerCli { sudo: true }.create(&spec);
        assert_eq!(
            sudo.shell(),
            "sudo -n --preserve-env=DB_PASSWORD docker create --name hello --env PLAIN=x \
             --env DB_PASSWORD=… hello:1"
        );
    }

    #[test]
    fn the_wire_form_is_one_quoted_word_of_safe_characters() {
        let cmd = Cmd::new(["echo", "it's $(id) `x` \\ ! %s\nnew line", "你好"]);
        let wire = cmd.wire();
        let inner = wire
            .strip_prefix("exec sh -c '")
            .and_then(|w| w.strip_suffix('\''))
            .unwrap();
        assert!(
            inner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b" _-./:=@,+\\\"$()".contains(&b)),
            "{inner}"
        );
        assert!(!inner.contains("\\\\"), "no backslash pair (fish reads it)");
        assert_eq!(
            Cmd::new(["docker", "ps"]).wire(),
            "exec sh -c 'eval \"$(printf \"exec docker ps\")\"'"
        );
    }

    /// What a login shell makes of the wire form: each of sh, bash, zsh, fish, tcsh (where
    /// installed) must hand the exact arguments and the secret environment to the program.
    #[test]
    fn every_login_shell_passes_hostile_values_through_untouched() {
        use crate::adapters::server::Remote;
        let hostile = [
            "plain",
            "it's",
            "a\\'b",
            "\\';touch pwned;#",
            "$(touch pwned)",
            "`touch pwned`",
            "new\nline",
            "100% %s %d",
            "!bang !! !$",
            "tab\tx",
            "你好 世界",
            "-----BEGIN KEY-----\nAAAA\n-----END KEY-----\n",
            "",
        ];
        let script = r#"for a in "$@"; do printf '%s\0' "$a"; done; printf '%s\0' "$SECRET""#;
        for shell in ["sh", "bash", "zsh", "fish", "tcsh"] {
            if !crate::testing::LocalShell::has(shell) {
                // scripts/setup installs each of them.
                crate::testing::skip(&format!("{shell} is not installed: not tried"));
                continue;
            }
            let srv = crate::testing::LocalShell::with_shell(shell);
            let mut cmd = Cmd::script(script, hostile);
            cmd.secret_env = vec![("SECRET".into(), Secret::new("p'a\"s$s\nw0rd\\"))];
            let out = srv.run(&cmd).unwrap();
            assert_eq!(out.status, 0, "{shell}: {}", out.stderr);
            let got: Vec<&str> = out.stdout.split('\0').collect();
            let mut want: Vec<&str> = hostile.to_vec();
            want.push("p'a\"s$s\nw0rd\\");
            want.push("");
            assert_eq!(got, want, "{shell}");
            assert!(
                !srv.home.path().join("pwned").exists(),
                "{shell} ran a value"
            );
        }
    }

    #[test]
    fn the_overview_is_one_script_with_the_sudo_choice_and_the_template_as_arguments() {
        let brief = |sudo| DockerCli { sudo }.overview().brief();
        let templates = format!(
            "{} {}",
            quote(INSPECT_TEMPLATE),
            quote(INSPECT_TEMPLATE_WHOLE)
        );
        assert_eq!(brief(false), format!("sh -c … '' {templates}"));
        assert_eq!(brief(true), format!("sh -c … sudo {templates}"));
        assert_eq!(
            INSPECT_TEMPLATE,
            "{\"id\":{{json .Id}},\"name\":{{json .Name}},\"image\":{{json .Config.Image}},\
             \"state\":{{json .State.Status}},\
             \"health\":{{with index .State \"Health\"}}{{json .Status}}{{else}}null{{end}},\
             \"created\":{{json .Created}},\"started\":{{json .State.StartedAt}},\
             \"restarts\":{{json .RestartCount}},\"memory\":{{json .HostConfig.Memory}},\
             \"app\":{{with .Config.Labels}}{{json (index . \"ferry.app\")}}{{else}}null{{end}},\
             \"release\":{{with .Config.Labels}}{{json (index . \"ferry.version\")}}{{else}}null{{end}},\
             \"ports\":{{json .NetworkSettings.Ports}}}"
        );
        assert_eq!(
            INSPECT_TEMPLATE_WHOLE,
            "{\"id\":{{json .Id}},\"name\":{{json .Name}},\"image\":{{json .Config.Image}},\
             \"state\":{{json .State}},\"created\":{{json .Created}},\
             \"restarts\":{{json .RestartCount}},\"memory\":{{json .HostConfig.Memory}},\
             \"labels\":{{json .Config.Labels}},\"ports\":{{json .NetworkSettings.Ports}}}"
        );
    }

    #[test]
    fn every_other_generator_is_pinned() {
        let d = DockerCli::default();
        let cases = [
            (d.version(), "docker version --format '{{json .}}'"),
            (d.pull("hello:1"), "docker pull hello:1"),
            (
                d.set_restart("hello-1", "no"),
                "docker update --restart no hello-1",
            ),
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
            (
                d.image_sizes(&["hello:1".into(), "r.example.com/hello:2".into()]),
                "docker image inspect --format '{{.Size}} {{json .RepoTags}}' hello:1 \
                 r.example.com/hello:2",
            ),
            (d.start("hello"), "docker start hello"),
            (d.restart("hello"), "docker restart --time 10 hello"),
            (d.rename("hello", "hello-1"), "docker rename hello hello-1"),
            (d.remove("hello"), "docker rm --force hello"),
            (d.remove_image("hello:1"), "docker image rm hello:1"),
            (d.logs("hello", 50, false), "docker logs --tail 50 hello"),
            (
                d.log_lines(
                    "hello",
                    &LogRange {
                        tail: None,
                        since: Some("1h".into()),
                        follow: true,
                        timestamps: true,
                    },
                ),
                "docker logs --since 1h --timestamps --follow hello",
            ),
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
                system::http_status("127.0.0.1", 8080, "/healthz"),
                "curl --silent --output /dev/null --max-time 5 --write-out '%{http_code}' \
                 http://127.0.0.1:8080/healthz",
            ),
        ];
        for (cmd, expected) in cases {
            assert_eq!(cmd.shell(), expected);
        }
    }
}
