//! Turning a build's progress stream into log lines: BuildKit `StatusResponse`s (vertexes that
//! repeat queued/started/done and must be merged by digest) and the classic builder's text.

use std::collections::{HashMap, VecDeque};

use bollard::moby::buildkit::v1::StatusResponse;

use super::DockerError;
use crate::events::{Events, Step};

/// How many of a step's last output lines a build failure quotes.
const TAIL_LINES: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Output {
    Log(String),
    /// Steps done out of the steps known so far.
    Progress {
        current: u64,
        total: u64,
    },
}

impl Output {
    pub(super) fn emit(&self, events: &Events) {
        match self {
            Output::Log(line) => events.log(Step::Build, line.clone()),
            Output::Progress { current, total } => {
                events.progress(Step::Build, *current, Some(*total))
            }
        }
    }
}

#[derive(Default)]
pub(super) struct VertexState {
    pub(super) name: String,
    pub(super) error: String,
    cached: bool,
    started: Option<(i64, i32)>,
    completed: Option<(i64, i32)>,
    announced_start: bool,
    announced_done: bool,
    lines: LineBuffer,
}

/// Merges BuildKit status updates by vertex digest.
#[derive(Default)]
pub(super) struct VertexTracker {
    vertexes: HashMap<String, VertexState>,
    /// Digests in the order they were first seen.
    order: Vec<String>,
    /// The first vertex that failed with something other than a cancellation.
    failed: Option<String>,
    done: u64,
    last_progress: Option<(u64, u64)>,
}

impl VertexTracker {
    pub(super) fn update(&mut self, status: &StatusResponse) -> Vec<Output> {
        let mut out = Vec::new();
        for v in &status.vertexes {
            let st = self.state(&v.digest);
            if !v.name.is_empty() {
                st.name = v.name.clone();
            }
            st.cached |= v.cached;
            if let Some(t) = &v.started {
                st.started = Some((t.seconds, t.nanos));
            }
            if let Some(t) = &v.completed {
                st.completed = Some((t.seconds, t.nanos));
            }
            let newly_failed = !v.error.is_empty() && st.error.is_empty();
            if newly_failed {
                st.error = v.error.clone();
            }

            let visible = !st.name.is_empty();
            if visible && st.started.is_some() && !st.announced_start && !st.cached {
                st.announced_start = true;
                out.push(Output::Log(st.name.clone()));
            }
            let mut finished = false;
            if st.completed.is_some() && !st.announced_done {
                st.announced_done = true;
                finished = true;
                if let Some(rest) = st.lines.finish() {
                    out.push(Output::Log(rest));
                }
                if visible {
                    let line = if !st.error.is_empty() {
                        format!("{}: ERROR: {}", st.name, st.error)
                    } else if st.cached {
                        format!("{}: CACHED", st.name)
                    } else {
                        format!(
                            "{}: done in {}",
                            st.name,
                            duration(st.started, st.completed)
                        )
                    };
                    out.push(Output::Log(line));
                }
            }
            if finished {
                self.done += 1;
            }
            if newly_failed && self.failed.is_none() && !is_cancellation(&v.error) {
                self.failed = Some(v.digest.clone());
            }
        }
        for log in &status.logs {
            let st = self.state(&log.vertex);
            let text = String::from_utf8_lossy(&log.msg);
            for line in st.lines.push(&text) {
                out.push(Output::Log(line));
            }
        }
        let progress = (self.done, self.order.len() as u64);
        if self.graph_known() && self.last_progress != Some(progress) {
            self.last_progress = Some(progress);
            out.push(Output::Progress {
                current: progress.0,
                total: progress.1,
            });
        }
        out
    }

    /// Whether the Dockerfile's own steps (`[build 2/6] ...`, `[1/3] ...`) are known. BuildKit
    /// first shows only its own work (`[internal] load build definition`, metadata, `copy
    /// /context /`), then the whole build at once: counting before that would report 1/2, then
    /// 6/13, a share done that goes back.
    fn graph_known(&self) -> bool {
        self.vertexes
            .values()
            .any(|st| st.name.starts_with('[') && !st.name.starts_with("[internal]"))
    }

    /// Output not yet ended by a newline, at the end of the build.
    pub(super) fn flush(&mut self) -> Vec<Output> {
        let mut out = Vec::new();
        for digest in &self.order {
            if let Some(rest) = self
                .vertexes
                .get_mut(digest)
                .and_then(|st| st.lines.finish())
            {
                out.push(Output::Log(rest));
            }
        }
        out
    }

    pub(super) fn failed_vertex(&self) -> Option<&VertexState> {
        self.failed.as_ref().and_then(|d| self.vertexes.get(d))
    }

    /// The error for a failed build: the failing step, its error and its last output lines.
    /// `stream_error` is the engine's final error message, used when no step failed.
    pub(super) fn failure(&self, stream_error: &str, target: &str) -> DockerError {
        if let Some(st) = self.failed_vertex() {
            let message = match st.name.strip_prefix("[internal] load metadata for ") {
                Some(image) => format!(
                    "the base image {image} is not in the local Docker engine for the platform \
                     this stage needs (the build targets {target}; a local copy for another \
                     platform does not count), and fetching it from its registry failed: {}",
                    st.error.trim()
                ),
                None => with_tail(&st.error, &st.lines.tail),
            };
            return DockerError::BuildFailed {
                step: display_name(&st.name),
                message,
            };
        }
        // No step failed (a Dockerfile syntax error, a missing base image...): name the last
        // step that started and did not finish, if any.
        let running = self
            .order
            .iter()
            .rev()
            .filter_map(|d| self.vertexes.get(d))
            .find(|st| st.started.is_some() && st.completed.is_none() && !st.name.is_empty());
        match running {
            Some(st) => DockerError::BuildFailed {
                step: display_name(&st.name),
                message: with_tail(stream_error, &st.lines.tail),
            },
            None => DockerError::BuildFailed {
                step: "build".into(),
                message: stream_error.trim().to_string(),
            },
        }
    }

    fn state(&mut self, digest: &str) -> &mut VertexState {
        if !self.vertexes.contains_key(digest) {
            self.order.push(digest.to_string());
        }
        self.vertexes.entry(digest.to_string()).or_default()
    }
}

fn display_name(name: &str) -> String {
    if name.is_empty() {
        "build".into()
    } else {
        name.to_string()
    }
}

fn is_cancellation(error: &str) -> bool {
    let e = error.to_ascii_lowercase();
    e.contains("context canceled") || e.contains("context cancelled")
}

fn with_tail(error: &str, tail: &VecDeque<String>) -> String {
    let mut message = error.trim().to_string();
    if !tail.is_empty() {
        message.push_str("\nlast output:");
        for line in tail {
            message.push_str("\n  ");
            message.push_str(line);
        }
    }
    message
}

fn duration(started: Option<(i64, i32)>, completed: Option<(i64, i32)>) -> String {
    let secs = match (started, completed) {
        (Some((s1, n1)), Some((s2, n2))) => ((s2 - s1) as f64 + (n2 - n1) as f64 / 1e9).max(0.0),
        _ => 0.0,
    };
    format!("{secs:.1}s")
}

/// Splits streamed text into lines, keeping the last few. A `\r` (a progress bar redrawing
/// itself) keeps only what follows it.
#[derive(Default)]
pub(super) struct LineBuffer {
    partial: String,
    pub(super) tail: VecDeque<String>,
}

impl LineBuffer {
    pub(super) fn push(&mut self, text: &str) -> Vec<String> {
        self.partial.push_str(text);
        let mut lines = Vec::new();
        while let Some(pos) = self.partial.find('\n') {
            let raw: String = self.partial.drain(..=pos).collect();
            if let Some(line) = self.take(&raw) {
                lines.push(line);
            }
        }
        lines
    }

    pub(super) fn finish(&mut self) -> Option<String> {
        let raw = std::mem::take(&mut self.partial);
        self.take(&raw)
    }

    fn take(&mut self, raw: &str) -> Option<String> {
        let line = raw.trim_end_matches(['\n', '\r']);
        let line = line.rsplit('\r').next().unwrap_or(line).trim_end();
        if line.is_empty() {
            return None;
        }
        if self.tail.len() == TAIL_LINES {
            self.tail.pop_front();
        }
        self.tail.push_back(line.to_string());
        Some(line.to_string())
    }
}

/// The classic builder's `stream` text: `Step 3/5 : RUN ...` then that step's output.
#[derive(Default)]
pub(super) struct ClassicProgress {
    lines: LineBuffer,
    step: Option<String>,
    step_output: VecDeque<String>,
}

impl ClassicProgress {
    pub(super) fn push(&mut self, text: &str) -> Vec<String> {
        let lines = self.lines.push(text);
        for line in &lines {
            self.observe(line);
        }
        lines
    }

    pub(super) fn finish(&mut self) -> Option<String> {
        let line = self.lines.finish()?;
        self.observe(&line);
        Some(line)
    }

    fn observe(&mut self, line: &str) {
        if let Some(rest) = line.strip_prefix("Step ") {
            // "Step 3/5 : RUN go build" → "[3/5] RUN go build"
            let step = match rest.split_once(" : ") {
                Some((n, instruction)) => format!("[{n}] {instruction}"),
                None => rest.to_string(),
            };
            self.step = Some(step);
            self.step_output.clear();
        } else if !line.starts_with(" ---> ") {
            if self.step_output.len() == TAIL_LINES {
                self.step_output.pop_front();
            }
            self.step_output.push_back(line.to_string());
        }
    }

    pub(super) fn failure(&self, error: &str) -> DockerError {
        DockerError::BuildFailed {
            step: self.step.clone().unwrap_or_else(|| "build".into()),
            message: with_tail(error, &self.step_output),
        }
    }
}

/// For the classic builder, which builds only for the engine's own platform and leaves
/// `$BUILDPLATFORM` empty: blanks `--platform=$BUILDPLATFORM` out of the Dockerfile's FROM lines
/// (there it means the same as no flag). Overwrites with spaces, so the tar's sizes and header
/// checksums stay valid. Returns whether anything changed.
pub(super) fn blank_buildplatform_flags(context_tar: &mut [u8], dockerfile: &str) -> bool {
    let wanted = dockerfile.trim_start_matches("./");
    let mut range = None;
    if let Ok(entries) = tar::Archive::new(&*context_tar).entries() {
        for entry in entries.flatten() {
            let is_it = entry.header().entry_type().is_file()
                && entry
                    .path()
                    .map(|p| p.to_string_lossy().trim_start_matches("./") == wanted)
                    .unwrap_or(false);
            if is_it {
                let start = entry.raw_file_position() as usize;
                range = Some(start..start + entry.size() as usize);
            }
        }
    }
    let Some(range) = range.filter(|r| r.end <= context_tar.len()) else {
        return false;
    };
    let text = &mut context_tar[range];
    let mut changed = false;
    for flag in [
        &b"--platform=$BUILDPLATFORM"[..],
        b"--platform=${BUILDPLATFORM}",
    ] {
        let mut i = 0;
        while i + flag.len() <= text.len() {
            if &text[i..i + flag.len()] == flag {
                text[i..i + flag.len()].fill(b' ');
                changed = true;
                i += flag.len();
            } else {
                i += 1;
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::moby::buildkit::v1::{Vertex, VertexLog};

    /// A vertex with times as (seconds, nanos); the Timestamp type is not re-exported by bollard.
    fn timed(mut v: Vertex, started: Option<(i64, i32)>, completed: Option<(i64, i32)>) -> Vertex {
        if let Some((s, n)) = started {
            let mut t = v.started.take().unwrap_or_default();
            t.seconds = s;
            t.nanos = n;
            v.started = Some(t);
        }
        if let Some((s, n)) = completed {
            let mut t = v.completed.take().unwrap_or_default();
            t.seconds = s;
            t.nanos = n;
            v.completed = Some(t);
        }
        v
    }

    fn vertex(digest: &str, name: &str) -> Vertex {
        Vertex {
            digest: digest.into(),
            name: name.into(),
            ..Default::default()
        }
    }

    fn logs(out: &[Output]) -> Vec<String> {
        out.iter()
            .filter_map(|o| match o {
                Output::Log(l) => Some(l.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn repeated_vertexes_are_announced_once_when_started_and_once_when_done() {
        let mut t = VertexTracker::default();
        let name = "[build 3/5] RUN go mod download";
        let queued = vertex("sha256:a", name);
        let started = timed(vertex("sha256:a", name), Some((10, 0)), None);
        let done = timed(
            vertex("sha256:a", name),
            Some((10, 0)),
            Some((11, 500_000_000)),
        );
        let mut all = Vec::new();
        for v in [queued, started.clone(), started, done.clone(), done] {
            all.extend(t.update(&StatusResponse {
                vertexes: vec![v],
                ..Default::default()
            }));
        }
        assert_eq!(
            logs(&all),
            vec![name.to_string(), format!("{name}: done in 1.5s")]
        );
        assert!(all.contains(&Output::Progress {
            current: 1,
            total: 1
        }));
    }

    #[test]
    fn steps_are_counted_once_the_build_itself_is_known() {
        let mut t = VertexTracker::default();
        let done =
            |digest: &str, name: &str| timed(vertex(digest, name), Some((1, 0)), Some((2, 0)));
        let mut progress = Vec::new();
        for vertexes in [
            vec![done(
                "sha256:a",
                "[internal] load build definition from Dockerfile",
            )],
            vec![vertex(
                "sha256:b",
                "[internal] load metadata for golang:1.22",
            )],
            vec![done("sha256:e", "copy /context /")],
            vec![
                done("sha256:b", "[internal] load metadata for golang:1.22"),
                vertex("sha256:c", "[build 1/2] FROM golang:1.22"),
                vertex("sha256:d", "[build 2/2] RUN go build"),
            ],
            vec![done("sha256:c", "[build 1/2] FROM golang:1.22")],
        ] {
            for out in t.update(&StatusResponse {
                vertexes,
                ..Default::default()
            }) {
                if let Output::Progress { current, total } = out {
                    progress.push((current, total));
                }
            }
        }
        assert_eq!(progress, [(3, 5), (4, 5)]);
    }

    #[test]
    fn cached_steps_say_cached_and_logs_are_split_into_lines() {
        let mut t = VertexTracker::default();
        let out = t.update(&StatusResponse {
            vertexes: vec![
                Vertex {
                    cached: true,
                    ..timed(
                        vertex("sha256:c", "[2/3] COPY . ."),
                        Some((1, 0)),
                        Some((1, 0)),
                    )
                },
                timed(vertex("sha256:r", "[3/3] RUN make"), Some((1, 0)), None),
            ],
            logs: vec![
                VertexLog {
                    vertex: "sha256:r".into(),
                    msg: b"one\ntw".to_vec(),
                    ..Default::default()
                },
                VertexLog {
                    vertex: "sha256:r".into(),
                    msg: b"o\r\n50%\r100%\n".to_vec(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        });
        assert_eq!(
            logs(&out),
            vec![
                "[2/3] COPY . .: CACHED",
                "[3/3] RUN make",
                "one",
                "two",
                "100%"
            ]
        );
    }

    #[test]
    fn a_failed_step_names_itself_and_quotes_its_last_lines() {
        let mut t = VertexTracker::default();
        t.update(&StatusResponse {
            vertexes: vec![timed(
                vertex("sha256:r", "[2/2] RUN go build"),
                Some((1, 0)),
                None,
            )],
            logs: (0..30)
                .map(|i| VertexLog {
                    vertex: "sha256:r".into(),
                    msg: format!("line {i}\n").into_bytes(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        });
        t.update(&StatusResponse {
            vertexes: vec![
                Vertex {
                    error: "exit code: 2".into(),
                    ..timed(
                        vertex("sha256:r", "[2/2] RUN go build"),
                        Some((1, 0)),
                        Some((2, 0)),
                    )
                },
                Vertex {
                    error: "context canceled".into(),
                    ..vertex("sha256:o", "[other 1/1] RUN true")
                },
            ],
            ..Default::default()
        });
        match t.failure("executor failed", "linux/amd64") {
            DockerError::BuildFailed { step, message } => {
                assert_eq!(step, "[2/2] RUN go build");
                assert!(message.starts_with("exit code: 2\nlast output:"));
                assert!(message.contains("line 29") && message.contains("line 10"));
                assert!(!message.contains("line 9\n"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn buildplatform_flags_are_blanked_in_place_for_the_classic_builder() {
        let dockerfile = "FROM --platform=$BUILDPLATFORM golang AS build\n\
                          FROM --platform=${BUILDPLATFORM} x\nFROM --platform=linux/amd64 y\n";
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(dockerfile.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, "sub/Dockerfile", dockerfile.as_bytes())
            .unwrap();
        let mut tar_bytes = b.into_inner().unwrap();
        assert!(blank_buildplatform_flags(
            &mut tar_bytes,
            "./sub/Dockerfile"
        ));
        let mut archive = tar::Archive::new(tar_bytes.as_slice());
        let mut entry = archive.entries().unwrap().next().unwrap().unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
        let lines: Vec<String> = text
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(
            lines,
            vec![
                "FROM golang AS build",
                "FROM x",
                "FROM --platform=linux/amd64 y"
            ]
        );
        assert!(!blank_buildplatform_flags(&mut tar_bytes, "Dockerfile"));
    }

    #[test]
    fn classic_builder_failures_name_the_step() {
        let mut p = ClassicProgress::default();
        let lines = p.push(
            "Step 1/2 : FROM base\n ---> abc\nStep 2/2 : RUN exit 3\n ---> Running in x\nboom\n",
        );
        assert_eq!(lines.len(), 5);
        match p.failure("The command '/bin/sh -c exit 3' returned a non-zero code: 3") {
            DockerError::BuildFailed { step, message } => {
                assert_eq!(step, "[2/2] RUN exit 3");
                assert!(message.ends_with("last output:\n  boom"), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
