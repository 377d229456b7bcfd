//! Driving a non-blocking libssh2 session: retrying calls that would block, pumping a channel's
//! input and both outputs together, and splitting output into lines.

use std::io::{self, Read, Write};
use std::ops::ControlFlow;
use std::thread::sleep;
use std::time::{Duration, Instant};

use super::OutputStream;
use crate::adapters::remote::{Cmd, Deadline};

const LIBSSH2_ERROR_EAGAIN: i32 = -37;

/// Shortest and longest nap while nothing moves. Short enough for prompt output, long enough
/// that an idle `docker logs --follow` costs next to nothing.
const MIN_NAP: Duration = Duration::from_micros(200);
const MAX_NAP: Duration = Duration::from_millis(10);
/// Idle time after which keepalives are sent (libssh2 sends at most one per its interval).
const KEEPALIVE_AFTER: Duration = Duration::from_secs(5);
/// A line longer than this is handed over in pieces.
const MAX_LINE: usize = 64 * 1024;
/// How long a channel may take to close when Ferry gives up on it.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(3);
/// How long a command stopped early may take to acknowledge the close.
const STOP_TIMEOUT: Duration = Duration::from_secs(1);

pub(crate) enum RetryError {
    TimedOut,
    Ssh(ssh2::Error),
    /// A channel read or write failed (ssh2 reports those as `io::Error`).
    Io(io::Error),
}

pub(crate) enum PumpError {
    /// Reading the local input failed.
    Input(io::Error),
    /// The connection failed.
    Broken(String),
    /// The command's deadline passed (`idle`: nothing moved for that long).
    TimedOut { after: Duration, idle: bool },
}

/// How long a command whose output ended may take to report its exit status.
pub(crate) const EXIT_WAIT: Duration = Duration::from_secs(15);

fn would_block(e: &ssh2::Error) -> bool {
    e.code() == ssh2::ErrorCode::Session(LIBSSH2_ERROR_EAGAIN)
}

/// Whether an error means the connection itself is gone (rather than one request refused).
pub(crate) fn is_connection_error(e: &ssh2::Error) -> bool {
    // SOCKET_NONE, INVALID_MAC, SOCKET_SEND, DECRYPT, SOCKET_DISCONNECT, PROTO,
    // SOCKET_TIMEOUT, SOCKET_RECV
    matches!(
        e.code(),
        ssh2::ErrorCode::Session(-1 | -4 | -7 | -12 | -13 | -14 | -30 | -43)
    )
}

/// Backoff while a non-blocking session has nothing to do.
pub(crate) struct Idle {
    nap: Duration,
    since: Instant,
}

impl Idle {
    pub fn new() -> Self {
        Idle {
            nap: Duration::ZERO,
            since: Instant::now(),
        }
    }

    pub fn busy(&mut self) {
        self.nap = Duration::ZERO;
        self.since = Instant::now();
    }

    pub fn wait(&mut self, sess: &ssh2::Session) {
        self.nap = (self.nap * 2).clamp(MIN_NAP, MAX_NAP);
        // A keepalive is only sent when nothing waits to go out: a partly sent packet must be
        // finished by the call that started it.
        if self.since.elapsed() >= KEEPALIVE_AFTER
            && matches!(
                sess.block_directions(),
                ssh2::BlockDirections::None | ssh2::BlockDirections::Inbound
            )
        {
            let _ = sess.keepalive_send();
        }
        sleep(self.nap);
    }
}

/// Calls `f` until it stops answering "would block", or until `deadline`.
pub(crate) fn retry<T>(
    sess: &ssh2::Session,
    deadline: Option<Instant>,
    mut f: impl FnMut() -> Result<T, ssh2::Error>,
) -> Result<T, RetryError> {
    let mut idle = Idle::new();
    loop {
        match f() {
            Ok(v) => return Ok(v),
            Err(e) if would_block(&e) => {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    return Err(RetryError::TimedOut);
                }
                idle.wait(sess);
            }
            Err(e) => return Err(RetryError::Ssh(e)),
        }
    }
}

/// A channel that is closed (without waiting long) however the operation ends.
pub(crate) struct Guard<'a> {
    sess: &'a ssh2::Session,
    channel: ssh2::Channel,
    closed: bool,
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        if !self.closed {
            self.close_within(CLOSE_TIMEOUT);
        }
    }
}

impl<'a> Guard<'a> {
    pub fn new(sess: &'a ssh2::Session, channel: ssh2::Channel) -> Self {
        Guard {
            sess,
            channel,
            closed: false,
        }
    }

    /// Stops the command early by closing the channel. sshd then closes the command's output
    /// pipes, so it ends (SIGPIPE) on its next write. (ssh2 offers no "signal" request.) sshd
    /// confirms the close only once the command has exited, so that wait is kept short.
    pub fn stop(&mut self) {
        self.close_within(STOP_TIMEOUT);
    }

    /// Sends the close and waits up to `wait` for the server's; a close that is still half
    /// written gets longer, as libssh2 needs it finished before anything else can be sent.
    fn close_within(&mut self, wait: Duration) {
        let channel = &mut self.channel;
        let started = Instant::now();
        if let Err(RetryError::TimedOut) =
            retry(self.sess, Some(started + wait), || channel.close())
        {
            let sess = self.sess;
            let _ = retry(sess, Some(started + CLOSE_TIMEOUT), || {
                match (channel.close(), sess.block_directions()) {
                    (Err(e), ssh2::BlockDirections::Outbound | ssh2::BlockDirections::Both) => {
                        Err(e)
                    }
                    _ => Ok(()),
                }
            });
        }
        // Whatever is left of the channel is freed with the session.
        self.closed = true;
    }

    pub fn exec(&mut self, command: &str, deadline: Option<Instant>) -> Result<(), RetryError> {
        let channel = &mut self.channel;
        retry(self.sess, deadline, || channel.exec(command))
    }

    /// Writes all of `input` then EOF while reading stdout and stderr into `sink`, until the
    /// command's output ends (`Continue`), or the sink says `Break`, or `stop` (asked every
    /// round, also while nothing moves) says `true`, which is a `Break` too. When the command
    /// stops reading (it exited), the rest of the input is dropped.
    pub fn pump(
        &mut self,
        input: &mut dyn Read,
        on_sent: &mut dyn FnMut(u64),
        sink: &mut dyn FnMut(OutputStream, &[u8]) -> ControlFlow<()>,
        stop: &dyn Fn() -> bool,
        deadline: Deadline,
    ) -> Result<ControlFlow<()>, PumpError> {
        let mut inbuf = vec![0u8; 64 * 1024];
        let result = self.pump_with(&mut inbuf, input, on_sent, sink, stop, deadline);
        // The buffer may have held a secret written to stdin.
        inbuf.fill(0);
        result
    }

    fn pump_with(
        &mut self,
        inbuf: &mut [u8],
        input: &mut dyn Read,
        on_sent: &mut dyn FnMut(u64),
        sink: &mut dyn FnMut(OutputStream, &[u8]) -> ControlFlow<()>,
        stop: &dyn Fn() -> bool,
        deadline: Deadline,
    ) -> Result<ControlFlow<()>, PumpError> {
        enum In {
            Sending,
            Eof,
            Done,
        }
        let mut state = In::Sending;
        let (mut start, mut end) = (0usize, 0usize);
        let mut sent: u64 = 0;
        let mut outbuf = vec![0u8; 32 * 1024];
        let mut idle = Idle::new();
        let started = Instant::now();
        let mut last_moved = started;
        loop {
            if stop() {
                return Ok(ControlFlow::Break(()));
            }
            match deadline {
                Deadline::Total(d) if started.elapsed() > d => {
                    return Err(PumpError::TimedOut {
                        after: d,
                        idle: false,
                    })
                }
                Deadline::Idle(d) if last_moved.elapsed() > d => {
                    return Err(PumpError::TimedOut {
                        after: d,
                        idle: true,
                    })
                }
                _ => {}
            }
            let mut moved = false;

            // Input: as much as the window takes, up to a few packets per round.
            for _ in 0..32 {
                match state {
                    In::Sending => {
                        if start == end {
                            let n = loop {
                                match input.read(inbuf) {
                                    Ok(n) => break n,
                                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                                    Err(e) => return Err(PumpError::Input(e)),
                                }
                            };
                            if n == 0 {
                                state = In::Eof;
                                continue;
                            }
                            (start, end) = (0, n);
                        }
                        match self.channel.write(&inbuf[start..end]) {
                            Ok(0) => break, // the server's window is full
                            Ok(n) => {
                                start += n;
                                sent += n as u64;
                                on_sent(sent);
                                moved = true;
                            }
                            Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                            // The command no longer reads its input.
                            Err(_) => state = In::Done,
                        }
                    }
                    In::Eof => match self.channel.send_eof() {
                        Ok(()) => {
                            state = In::Done;
                            moved = true;
                        }
                        Err(e) if would_block(&e) => break,
                        Err(_) => state = In::Done,
                    },
                    In::Done => break,
                }
            }

            // Output: both streams, every round.
            for (kind, id) in [(OutputStream::Stdout, 0), (OutputStream::Stderr, 1)] {
                let mut stream = self.channel.stream(id);
                for _ in 0..32 {
                    match stream.read(&mut outbuf) {
                        Ok(0) => break,
                        Ok(n) => {
                            moved = true;
                            if sink(kind, &outbuf[..n]).is_break() {
                                return Ok(ControlFlow::Break(()));
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                        Err(e) => return Err(PumpError::Broken(e.to_string())),
                    }
                }
            }

            if self.channel.eof() {
                return Ok(ControlFlow::Continue(()));
            }
            if moved {
                idle.busy();
                last_moved = Instant::now();
            } else {
                idle.wait(self.sess);
            }
        }
    }

    /// After the output ended: waits for the command to exit and returns its status.
    pub fn finish(&mut self, deadline: Instant) -> Result<i32, RetryError> {
        let channel = &mut self.channel;
        retry(self.sess, Some(deadline), || channel.wait_close())?;
        let channel = &mut self.channel;
        retry(self.sess, Some(Instant::now() + CLOSE_TIMEOUT), || {
            channel.close()
        })?;
        self.closed = true;
        if let Ok(signal) = self.channel.exit_signal() {
            if let Some(name) = signal.exit_signal {
                return Ok(signal_number(&name).map_or(-1, |n| 128 + n));
            }
        }
        self.channel.exit_status().map_err(RetryError::Ssh)
    }

    /// Sends an HTTP request and reads up to the end of the status line, which it returns.
    pub fn http_exchange(
        &mut self,
        request: &[u8],
        deadline: Instant,
    ) -> Result<String, RetryError> {
        let mut idle = Idle::new();
        let mut written = 0;
        let late = |idle: &mut Idle, sess: &ssh2::Session| {
            if Instant::now() >= deadline {
                return Err(RetryError::TimedOut);
            }
            idle.wait(sess);
            Ok(())
        };
        while written < request.len() {
            match self.channel.write(&request[written..]) {
                Ok(0) => late(&mut idle, self.sess)?,
                Ok(n) => written += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => late(&mut idle, self.sess)?,
                Err(e) => return Err(RetryError::Io(e)),
            }
        }
        let mut answer = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            if let Some(end) = answer.iter().position(|&b| b == b'\n') {
                answer.truncate(end);
                break;
            }
            if answer.len() > 8192 {
                break;
            }
            match self.channel.read(&mut buf) {
                Ok(0) if self.channel.eof() => break,
                Ok(0) => late(&mut idle, self.sess)?,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => late(&mut idle, self.sess)?,
                Err(e) => return Err(RetryError::Io(e)),
            }
        }
        Ok(String::from_utf8_lossy(&answer).trim().to_string())
    }
}

fn signal_number(name: &str) -> Option<i32> {
    Some(match name {
        "HUP" => 1,
        "INT" => 2,
        "QUIT" => 3,
        "ILL" => 4,
        "ABRT" => 6,
        "FPE" => 8,
        "KILL" => 9,
        "USR1" => 10,
        "SEGV" => 11,
        "USR2" => 12,
        "PIPE" => 13,
        "ALRM" => 14,
        "TERM" => 15,
        _ => return None,
    })
}

/// A short name for a command in messages: `docker run`, `uname`. Never the arguments, which
/// may hold configuration values.
pub(crate) fn cmd_label(cmd: &Cmd) -> String {
    let mut words = cmd
        .argv
        .iter()
        .map(String::as_str)
        .skip_while(|w| matches!(*w, "sudo" | "-n" | "env") || w.contains('='));
    let Some(program) = words.next() else {
        return "(empty command)".into();
    };
    match words.next() {
        Some(sub)
            if !sub.is_empty()
                && sub.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                && !sub.starts_with('-') =>
        {
            format!("{program} {sub}")
        }
        _ => program.to_string(),
    }
}

/// Splits output into lines per stream, without the line ending (`\n` or `\r\n`).
#[derive(Default)]
pub(crate) struct Lines {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl Lines {
    pub fn push(
        &mut self,
        stream: OutputStream,
        data: &[u8],
        on_line: &mut dyn FnMut(OutputStream, &str) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let buf = match stream {
            OutputStream::Stdout => &mut self.stdout,
            OutputStream::Stderr => &mut self.stderr,
        };
        buf.extend_from_slice(data);
        let mut start = 0;
        while let Some(pos) = buf[start..].iter().position(|&b| b == b'\n') {
            let line = &buf[start..start + pos];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            start += pos + 1;
            if on_line(stream, &String::from_utf8_lossy(line)).is_break() {
                buf.clear();
                return ControlFlow::Break(());
            }
        }
        buf.drain(..start);
        if buf.len() > MAX_LINE {
            let line = std::mem::take(buf);
            return on_line(stream, &String::from_utf8_lossy(&line));
        }
        ControlFlow::Continue(())
    }

    /// Hands over what is left after the last line ending.
    pub fn flush(
        &mut self,
        on_line: &mut dyn FnMut(OutputStream, &str) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        for (stream, buf) in [
            (OutputStream::Stdout, &mut self.stdout),
            (OutputStream::Stderr, &mut self.stderr),
        ] {
            if !buf.is_empty() {
                let line = std::mem::take(buf);
                on_line(stream, &String::from_utf8_lossy(&line))?;
            }
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_the_program_but_never_the_values() {
        let cases = [
            (Cmd::new(["docker", "load"]), "docker load"),
            (
                Cmd::new([
                    "sudo",
                    "-n",
                    "env",
                    "DOCKER_CONFIG=/dev/shm/x",
                    "docker",
                    "login",
                ]),
                "docker login",
            ),
            (
                Cmd::new(["docker", "run", "--env", "PASSWORD=hunter2"]),
                "docker run",
            ),
            (Cmd::new(["uname", "-m"]), "uname"),
            (Cmd::new(["cat", "/etc/os-release"]), "cat"),
            (Cmd::new(Vec::<String>::new()), "(empty command)"),
        ];
        for (cmd, want) in cases {
            assert_eq!(cmd_label(&cmd), want);
        }
    }

    #[test]
    fn lines_are_split_per_stream_across_chunks() {
        let mut got = Vec::new();
        let mut on_line = |s: OutputStream, l: &str| {
            got.push((s, l.to_string()));
            ControlFlow::Continue(())
        };
        let mut lines = Lines::default();
        let _ = lines.push(OutputStream::Stdout, b"one\r\ntw", &mut on_line);
        let _ = lines.push(OutputStream::Stderr, b"err 1\n", &mut on_line);
        let _ = lines.push(OutputStream::Stdout, b"o\n\nthree", &mut on_line);
        let _ = lines.flush(&mut on_line);
        use OutputStream::*;
        assert_eq!(
            got,
            vec![
                (Stdout, "one".to_string()),
                (Stderr, "err 1".to_string()),
                (Stdout, "two".to_string()),
                (Stdout, String::new()),
                (Stdout, "three".to_string()),
            ]
        );
    }

    #[test]
    fn break_stops_the_lines() {
        let mut n = 0;
        let mut on_line = |_: OutputStream, _: &str| {
            n += 1;
            ControlFlow::Break(())
        };
        let mut lines = Lines::default();
        assert!(lines
            .push(OutputStream::Stdout, b"a\nb\nc\n", &mut on_line)
            .is_break());
        assert_eq!(n, 1);
    }
}
