//! Probes: a command run on the server, and what it answered.

use crate::adapters::remote::Cmd;
use crate::adapters::server::Remote;
use crate::adapters::ssh::Output;

/// Runs probes; `None` when the tool is not there or the command could not run.
pub(super) struct Probe<'a> {
    pub(super) remote: &'a dyn Remote,
}

/// A probe's command line and what it printed.
pub(super) struct Answer {
    pub(super) shell: String,
    pub(super) out: Output,
}

impl Probe<'_> {
    pub(super) fn run(&self, cmd: &Cmd) -> Option<Answer> {
        let out = self.remote.run(cmd).ok()?;
        let missing = out.status == 127
            || (out.status != 0 && out.stderr.to_lowercase().contains("command not found"));
        (!missing).then(|| Answer {
            shell: cmd.shell(),
            out,
        })
    }
}

impl Answer {
    pub(super) fn ok(&self) -> bool {
        self.out.status == 0
    }

    pub(super) fn stdout(&self) -> &str {
        self.out.stdout.trim()
    }

    /// `$ command` and its output, as shown to the user.
    pub(super) fn evidence(&self) -> String {
        self.evidence_of(&self.out.stdout)
    }

    /// `$ command` and the part of its output that matters.
    pub(super) fn evidence_of(&self, shown: &str) -> String {
        let shown = shown.trim_end();
        if shown.is_empty() {
            format!("$ {} (exit {})", self.shell, self.out.status)
        } else {
            format!("$ {}\n{shown}", self.shell)
        }
    }
}
