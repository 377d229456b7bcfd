//! One scripted fake server for the unit tests. Each command is answered by the first rule
//! that matches it (its exact shell text, its exact argv, or a predicate), with that rule's
//! replies in order (the last one repeats); a command no rule matches goes to `otherwise`
//! (default: "command not found", exit 127). It records what ran and every HTTP request, and
//! can lose its connection (every later command and request fails until it is restored).

use std::sync::Mutex;
use std::time::Duration;

use crate::adapters::remote::Cmd;
use crate::adapters::server::Remote;
use crate::adapters::ssh::{Output, SshError};

/// How a matching command is answered.
#[derive(Clone)]
pub enum Reply {
    Out(Output),
    /// As if no rule matched: `otherwise` answers (lets a rule fail the N-th call only).
    Pass,
    /// The connection drops at this command, for good.
    Lost,
}

impl Reply {
    pub fn ok(stdout: &str) -> Reply {
        Reply::exit(0, stdout, "")
    }

    pub fn fail(status: i32, stderr: &str) -> Reply {
        Reply::exit(status, "", stderr)
    }

    pub fn exit(status: i32, stdout: &str, stderr: &str) -> Reply {
        Reply::Out(Output {
            status,
            stdout: stdout.to_string(),
            stderr: stderr.to_string(),
        })
    }
}

type Predicate = Box<dyn Fn(&Cmd) -> bool + Send + Sync>;
type Handler = Box<dyn Fn(&Cmd) -> Result<Output, SshError> + Send + Sync>;
type HttpHandler = Box<dyn Fn(&str, u16, &str) -> Result<u16, SshError> + Send + Sync>;

struct Rule {
    matches: Predicate,
    replies: Vec<Reply>,
    answered: usize,
}

impl Rule {
    fn next(&mut self) -> &Reply {
        let i = self.answered.min(self.replies.len() - 1);
        self.answered += 1;
        &self.replies[i]
    }
}

pub struct FakeServer {
    rules: Mutex<Vec<Rule>>,
    otherwise: Handler,
    http: HttpHandler,
    ran: Mutex<Vec<String>>,
    http_asked: Mutex<Vec<String>>,
    lost: Mutex<bool>,
}

impl Default for FakeServer {
    fn default() -> Self {
        FakeServer::new()
    }
}

impl FakeServer {
    /// Knows no command (each "is not installed") and answers no HTTP request.
    pub fn new() -> FakeServer {
        FakeServer {
            rules: Mutex::default(),
            otherwise: Box::new(|cmd| {
                Ok(Output {
                    status: 127,
                    stdout: String::new(),
                    stderr: format!("bash: {}: command not found", cmd.argv[0]),
                })
            }),
            http: Box::new(|addr, port, path| panic!("unexpected HTTP GET {addr}:{port}{path}")),
            ran: Mutex::default(),
            http_asked: Mutex::default(),
            lost: Mutex::new(false),
        }
    }

    /// Answers the commands no rule matches (a simulation, a local shell).
    pub fn otherwise(
        mut self,
        answer: impl Fn(&Cmd) -> Result<Output, SshError> + Send + Sync + 'static,
    ) -> Self {
        self.otherwise = Box::new(answer);
        self
    }

    /// Answers each `http_get(addr, port, path)` with a status code or an error.
    pub fn http(
        mut self,
        answer: impl Fn(&str, u16, &str) -> Result<u16, SshError> + Send + Sync + 'static,
    ) -> Self {
        self.http = Box::new(answer);
        self
    }

    /// The command whose display form (`Cmd::shell`) is exactly `shell` answers `replies`.
    pub fn on_shell(self, shell: &str, replies: impl IntoIterator<Item = Reply>) -> Self {
        let shell = shell.to_string();
        self.on_when(move |cmd| cmd.shell() == shell, replies)
    }

    /// The command with exactly this argv answers `replies`.
    pub fn on_argv(self, argv: &[&str], replies: impl IntoIterator<Item = Reply>) -> Self {
        let argv: Vec<String> = argv.iter().map(|a| a.to_string()).collect();
        self.on_when(move |cmd| cmd.argv == argv, replies)
    }

    pub fn on_when(
        self,
        matches: impl Fn(&Cmd) -> bool + Send + Sync + 'static,
        replies: impl IntoIterator<Item = Reply>,
    ) -> Self {
        self.script(matches, replies);
        self
    }

    /// Adds a rule to a server already in use (after the rules before it).
    pub fn script(
        &self,
        matches: impl Fn(&Cmd) -> bool + Send + Sync + 'static,
        replies: impl IntoIterator<Item = Reply>,
    ) {
        let replies: Vec<Reply> = replies.into_iter().collect();
        assert!(!replies.is_empty(), "a rule needs at least one reply");
        self.rules.lock().unwrap().push(Rule {
            matches: Box::new(matches),
            replies,
            answered: 0,
        });
    }

    /// Drops every rule: from now on `otherwise` answers everything.
    pub fn forget_rules(&self) {
        self.rules.lock().unwrap().clear();
    }

    pub fn lose_connection(&self) {
        *self.lost.lock().unwrap() = true;
    }

    pub fn restore_connection(&self) {
        *self.lost.lock().unwrap() = false;
    }

    pub fn is_lost(&self) -> bool {
        *self.lost.lock().unwrap()
    }

    /// The display form of every command that reached the server, in order.
    pub fn ran(&self) -> Vec<String> {
        self.ran.lock().unwrap().clone()
    }

    /// Every HTTP request that reached the server, as `addr:port/path`, in order.
    pub fn http_asked(&self) -> Vec<String> {
        self.http_asked.lock().unwrap().clone()
    }

    fn disconnected(&self, action: &str) -> SshError {
        SshError::Disconnected {
            host: "srv".into(),
            action: crate::msg!("ssh-action-running", command = action),
            detail: "the fake server lost its connection".into(),
        }
    }

    /// The next reply of the first matching rule; `None` when no rule matches.
    fn scripted(&self, cmd: &Cmd) -> Option<Reply> {
        let mut rules = self.rules.lock().unwrap();
        let rule = rules.iter_mut().find(|r| (r.matches)(cmd))?;
        Some(rule.next().clone())
    }
}

impl Remote for FakeServer {
    fn run(&self, cmd: &Cmd) -> Result<Output, SshError> {
        if self.is_lost() {
            return Err(self.disconnected("running"));
        }
        let reply = self.scripted(cmd);
        if let Some(Reply::Lost) = reply {
            self.lose_connection();
            return Err(self.disconnected("running"));
        }
        self.ran.lock().unwrap().push(cmd.shell());
        match reply {
            Some(Reply::Out(out)) => Ok(out),
            _ => (self.otherwise)(cmd),
        }
    }

    fn http_get(&self, addr: &str, port: u16, path: &str, _: Duration) -> Result<u16, SshError> {
        if self.is_lost() {
            return Err(self.disconnected("connecting to a port"));
        }
        self.http_asked
            .lock()
            .unwrap()
            .push(format!("{addr}:{port}{path}"));
        (self.http)(addr, port, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok_output() -> Output {
        Output {
            status: 0,
            stdout: String::new(),
            stderr: String::new(),
        }
    }

    #[test]
    fn rules_answer_in_order_and_the_last_reply_repeats() {
        let fake = FakeServer::new()
            .on_argv(&["uname", "-m"], [Reply::ok("x86_64\n")])
            .on_shell("docker ps", [Reply::Pass, Reply::fail(1, "boom")])
            .otherwise(|_| Ok(ok_output()));
        let run = |argv: &[&str]| fake.run(&Cmd::new(argv.iter().copied())).unwrap();
        assert_eq!(run(&["uname", "-m"]).stdout, "x86_64\n");
        assert_eq!(run(&["docker", "ps"]).status, 0, "passed to otherwise");
        assert_eq!(run(&["docker", "ps"]).stderr, "boom");
        assert_eq!(
            run(&["docker", "ps"]).stderr,
            "boom",
            "the last reply repeats"
        );
        assert_eq!(fake.ran().len(), 4);
    }

    #[test]
    fn an_unknown_command_is_not_installed_and_a_lost_connection_stays_lost() {
        let fake = FakeServer::new().on_when(|c| c.argv[0] == "docker", [Reply::Lost]);
        let out = fake.run(&Cmd::new(["getenforce"])).unwrap();
        assert_eq!(out.status, 127);
        assert!(fake.run(&Cmd::new(["docker", "ps"])).is_err());
        assert!(fake.run(&Cmd::new(["getenforce"])).is_err(), "still lost");
        assert!(fake.http_get("127.0.0.1", 80, "/", Duration::ZERO).is_err());
        assert_eq!(fake.ran(), ["getenforce"]);
        fake.restore_connection();
        fake.forget_rules();
        assert_eq!(fake.run(&Cmd::new(["docker", "ps"])).unwrap().status, 127);
    }
}
