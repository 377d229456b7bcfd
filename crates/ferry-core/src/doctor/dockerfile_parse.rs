//! A small Dockerfile reader for the doctor's checks: instructions with their flags and line
//! numbers, line continuations, comments, heredocs, and the stages (`FROM ... AS name`). It
//! does not expand variables or run anything; the checks look at what is written.

/// One instruction, e.g. `COPY --from=build /out/app /app`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// 1-based line where it starts.
    pub line: usize,
    /// 1-based line where it ends (continuations and heredocs make it longer).
    pub end_line: usize,
    /// Upper case: `FROM`, `RUN`, `COPY`...
    pub keyword: String,
    /// Leading `--name=value` / `--name` options.
    pub flags: Vec<(String, Option<String>)>,
    /// What follows the keyword and flags, continuations joined.
    pub args: String,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_deref().unwrap_or(""))
    }

    pub fn is(&self, keyword: &str) -> bool {
        self.keyword == keyword
    }

    /// The arguments as words: the JSON array form (`["a", "b"]`) decoded, else split on
    /// whitespace with simple quotes.
    pub fn words(&self) -> Vec<String> {
        let args = self.args.trim();
        if args.starts_with('[') {
            if let Ok(words) = serde_json::from_str::<Vec<String>>(args) {
                return words;
            }
        }
        split_words(args)
    }

    pub fn is_json(&self) -> bool {
        let args = self.args.trim();
        args.starts_with('[') && serde_json::from_str::<Vec<String>>(args).is_ok()
    }

    /// The instruction as one line, for evidence: `RUN go build -o /app .`.
    pub fn text(&self) -> String {
        let mut parts = vec![self.keyword.clone()];
        for (name, value) in &self.flags {
            parts.push(match value {
                Some(v) => format!("--{name}={v}"),
                None => format!("--{name}"),
            });
        }
        parts.push(self.args.split_whitespace().collect::<Vec<_>>().join(" "));
        let text = parts.join(" ");
        match text.char_indices().nth(120) {
            Some((cut, _)) => format!("{}...", &text[..cut]),
            None => text,
        }
    }

    /// `Dockerfile:12: FROM alpine:3.18`.
    pub fn evidence(&self, file: &str) -> String {
        format!("{file}:{}: {}", self.line, self.text())
    }
}

/// One `FROM` and what follows it up to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    pub from: Instruction,
    /// The image (or earlier stage) it starts from, as written.
    pub base: String,
    /// The `AS` name, lower case (stage names are case-insensitive).
    pub name: Option<String>,
    pub platform: Option<String>,
    pub body: Vec<Instruction>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dockerfile {
    /// `ARG`s before the first `FROM` (usable in `FROM` lines).
    pub global_args: Vec<Instruction>,
    pub stages: Vec<Stage>,
}

impl Dockerfile {
    /// The earlier stage `name` refers to: by `AS` name or by index, as `FROM` and
    /// `COPY --from` use them.
    pub fn stage_named(&self, name: &str, before: usize) -> Option<&Stage> {
        let lower = name.to_ascii_lowercase();
        let earlier = &self.stages[..before.min(self.stages.len())];
        earlier
            .iter()
            .rev()
            .find(|s| s.name.as_deref() == Some(lower.as_str()))
            .or_else(|| lower.parse::<usize>().ok().and_then(|i| earlier.get(i)))
    }

    /// The stage and the stages it is built on, root first.
    pub fn lineage<'a>(&'a self, stage: &'a Stage) -> Vec<&'a Stage> {
        let mut chain = vec![stage];
        let mut current = stage;
        while let Some(parent) = self.stage_named(&current.base, current.index) {
            if chain.iter().any(|s| s.index == parent.index) {
                break;
            }
            chain.push(parent);
            current = parent;
        }
        chain.reverse();
        chain
    }

    /// The image a stage finally starts from, following stage names.
    pub fn root_image<'a>(&'a self, stage: &'a Stage) -> &'a str {
        self.lineage(stage)
            .first()
            .map(|s| s.base.as_str())
            .unwrap_or(stage.base.as_str())
    }

    /// Default values of the global `ARG`s, overridden by `build_args`.
    pub fn global_arg_values(
        &self,
        build_args: &std::collections::BTreeMap<String, String>,
    ) -> Vec<(String, String)> {
        let mut values: Vec<(String, String)> = Vec::new();
        for arg in &self.global_args {
            for (name, default) in arg_declarations(&arg.args) {
                let value = build_args.get(&name).cloned().or(default);
                if let Some(value) = value {
                    values.retain(|(n, _)| n != &name);
                    values.push((name, value));
                }
            }
        }
        values
    }
}

/// `ARG A=1 B` → `[("A", Some("1")), ("B", None)]`.
pub fn arg_declarations(args: &str) -> Vec<(String, Option<String>)> {
    split_words(args)
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (w, None),
        })
        .collect()
}

/// `ENV A=1 B=2` or the old `ENV A 1` → pairs.
pub fn env_assignments(args: &str) -> Vec<(String, String)> {
    let words = split_words(args);
    match words.first() {
        Some(first) if !first.contains('=') => {
            let rest = args.trim_start()[first.len()..].trim().to_string();
            vec![(first.clone(), unquote(&rest))]
        }
        _ => words
            .into_iter()
            .filter_map(|w| {
                w.split_once('=')
                    .map(|(n, v)| (n.to_string(), v.to_string()))
            })
            .collect(),
    }
}

/// Values assigned as `NAME=value` anywhere in shell text (`CGO_ENABLED=0 go build`,
/// `export GOARCH=arm64`, `go env -w CGO_ENABLED=0`).
pub fn shell_assignments(text: &str, name: &str) -> Vec<String> {
    let pattern = format!("{name}=");
    let mut values = Vec::new();
    for (at, _) in text.match_indices(&pattern) {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &text[at + pattern.len()..];
        let value: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && !";&|)".contains(*c))
            .collect();
        values.push(unquote(&value));
    }
    values
}

/// Whether shell text runs `go <sub>` (`go build`, `/usr/local/go/bin/go mod download`).
pub fn runs_go(text: &str, sub: &[&str]) -> bool {
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || ";&|()`".contains(c))
        .filter(|t| !t.is_empty())
        .collect();
    tokens.windows(1 + sub.len()).any(|w| {
        (w[0] == "go" || w[0].ends_with("/go")) && w[1..].iter().zip(sub).all(|(a, b)| a == b)
    })
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return s[1..s.len() - 1].to_string();
        }
    }
    s.to_string()
}

/// Whitespace-separated words; `"..."` and `'...'` keep spaces and lose their quotes.
pub fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            None => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

pub fn parse(text: &str) -> Dockerfile {
    let mut dockerfile = Dockerfile::default();
    for instruction in instructions(text) {
        if instruction.is("FROM") {
            let words = split_words(&instruction.args);
            let base = words.first().cloned().unwrap_or_default();
            let name = match words.as_slice() {
                [_, as_kw, name, ..] if as_kw.eq_ignore_ascii_case("as") => {
                    Some(name.to_ascii_lowercase())
                }
                _ => None,
            };
            dockerfile.stages.push(Stage {
                index: dockerfile.stages.len(),
                platform: instruction.flag("platform").map(str::to_string),
                from: instruction,
                base,
                name,
                body: Vec::new(),
            });
        } else if let Some(stage) = dockerfile.stages.last_mut() {
            stage.body.push(instruction);
        } else if instruction.is("ARG") {
            dockerfile.global_args.push(instruction);
        }
    }
    dockerfile
}

/// The instructions, in order.
pub fn instructions(text: &str) -> Vec<Instruction> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            i += 1;
            continue;
        }
        let start = i;
        let mut logical = String::new();
        loop {
            let line = lines[i].trim_end();
            match line.strip_suffix('\\') {
                Some(head) if i + 1 < lines.len() => {
                    logical.push_str(head);
                    i += 1;
                    // Comments and blank lines inside a continuation are dropped.
                    while i < lines.len() && {
                        let t = lines[i].trim();
                        t.is_empty() || t.starts_with('#')
                    } {
                        i += 1;
                    }
                    if i >= lines.len() {
                        break;
                    }
                }
                Some(head) => {
                    logical.push_str(head);
                    break;
                }
                None => {
                    logical.push_str(line);
                    break;
                }
            }
        }
        let mut end = i;
        for marker in heredoc_markers(&logical) {
            while end + 1 < lines.len() {
                end += 1;
                logical.push('\n');
                logical.push_str(lines[end]);
                if lines[end].trim() == marker {
                    break;
                }
            }
        }
        i = end + 1;
        out.push(instruction(start + 1, end + 1, &logical));
    }
    out
}

/// `RUN <<EOF` / `<<-"EOF"` → `EOF`.
fn heredoc_markers(line: &str) -> Vec<String> {
    let mut markers = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("<<") {
        let after = rest[at + 2..].trim_start_matches('-');
        let word: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || "_\"'".contains(*c))
            .collect();
        let marker = word.trim_matches(|c| c == '"' || c == '\'').to_string();
        if !marker.is_empty() && marker.chars().all(|c| c.is_alphanumeric() || c == '_') {
            markers.push(marker);
        }
        rest = &rest[at + 2..];
    }
    markers
}

fn instruction(line: usize, end_line: usize, logical: &str) -> Instruction {
    let trimmed = logical.trim_start();
    let keyword_len = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
    let keyword = trimmed[..keyword_len].to_ascii_uppercase();
    let mut rest = trimmed[keyword_len..].trim_start();
    let mut flags = Vec::new();
    while let Some(flag) = rest.strip_prefix("--") {
        let len = flag.find(char::is_whitespace).unwrap_or(flag.len());
        let (name, value) = match flag[..len].split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (flag[..len].to_string(), None),
        };
        flags.push((name, value));
        rest = flag[len..].trim_start();
    }
    Instruction {
        line,
        end_line,
        keyword,
        flags,
        args: rest.trim_end().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MULTI: &str = "# syntax=docker/dockerfile:1\n\
        ARG GO_VERSION=1.22\n\
        FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS Build\n\
        WORKDIR /src\n\
        RUN apk add --no-cache git \\\n\
        \x20   # a comment inside\n\
        \n\
        \x20   && go mod download\n\
        COPY --chown=app:app [\"a b\", \"/dst/\"]\n\
        FROM build AS test\n\
        RUN go test ./...\n\
        from scratch\n\
        COPY --from=Build /out/app /app\n\
        ENTRYPOINT [\"/app\"]\n";

    #[test]
    fn stages_lines_flags_and_continuations() {
        let df = parse(MULTI);
        assert_eq!(df.global_args.len(), 1);
        assert_eq!(df.global_args[0].args, "GO_VERSION=1.22");
        assert_eq!(df.stages.len(), 3);
        let build = &df.stages[0];
        assert_eq!(build.base, "golang:${GO_VERSION}-alpine");
        assert_eq!(build.name.as_deref(), Some("build"));
        assert_eq!(build.platform.as_deref(), Some("$BUILDPLATFORM"));
        assert_eq!(build.from.line, 3);
        let run = &build.body[1];
        assert_eq!((run.line, run.end_line), (5, 8));
        assert_eq!(run.keyword, "RUN");
        assert!(runs_go(&run.args, &["mod", "download"]), "{}", run.args);
        assert_eq!(run.text(), "RUN apk add --no-cache git && go mod download");
        let copy = &build.body[2];
        assert_eq!(copy.flag("chown"), Some("app:app"));
        assert_eq!(copy.words(), ["a b", "/dst/"]);
        assert!(copy.is_json());
        let last = &df.stages[2];
        assert_eq!((last.base.as_str(), last.from.line), ("scratch", 12));
        assert_eq!(last.body[0].flag("from"), Some("Build"));
        assert_eq!(
            last.body[0].evidence("Dockerfile"),
            "Dockerfile:13: COPY --from=Build /out/app /app"
        );
    }

    #[test]
    fn stage_names_lead_back_to_the_image() {
        let df = parse(MULTI);
        let test = &df.stages[1];
        assert_eq!(df.root_image(test), "golang:${GO_VERSION}-alpine");
        assert_eq!(df.lineage(test).len(), 2);
        assert_eq!(df.stage_named("0", 2).map(|s| s.index), Some(0));
        assert!(df.stage_named("test", 1).is_none());
        let values = df.global_arg_values(&Default::default());
        assert_eq!(values, [("GO_VERSION".to_string(), "1.22".to_string())]);
        let over = [("GO_VERSION".to_string(), "1.23".to_string())].into();
        assert_eq!(df.global_arg_values(&over)[0].1, "1.23");
    }

    #[test]
    fn heredocs_belong_to_their_instruction() {
        let df = parse("FROM golang\nRUN <<EOF\nset -e\ngo build -o /app .\nEOF\nUSER 1000\n");
        let body = &df.stages[0].body;
        assert_eq!(body.len(), 2);
        assert!(runs_go(&body[0].args, &["build"]));
        assert_eq!((body[0].line, body[0].end_line), (2, 5));
        assert_eq!((body[1].keyword.as_str(), body[1].line), ("USER", 6));
    }

    #[test]
    fn crlf_files_parse_the_same() {
        let df = parse("FROM alpine:3.19 AS a\r\nRUN echo hi \\\r\n  there\r\n");
        assert_eq!(df.stages[0].name.as_deref(), Some("a"));
        assert_eq!(df.stages[0].body[0].text(), "RUN echo hi there");
    }

    #[test]
    fn assignments_in_env_arg_and_shell() {
        assert_eq!(
            env_assignments("CGO_ENABLED=0 GOOS=linux"),
            [
                ("CGO_ENABLED".to_string(), "0".to_string()),
                ("GOOS".to_string(), "linux".to_string())
            ]
        );
        assert_eq!(
            env_assignments("TZ Asia/Shanghai"),
            [("TZ".to_string(), "Asia/Shanghai".to_string())]
        );
        assert_eq!(
            arg_declarations("GOARCH=arm64 TARGETARCH"),
            [
                ("GOARCH".to_string(), Some("arm64".to_string())),
                ("TARGETARCH".to_string(), None)
            ]
        );
        let run = "export GOARCH='arm64'; CGO_ENABLED=0 go build && MY_GOARCH=x true";
        assert_eq!(shell_assignments(run, "GOARCH"), ["arm64"]);
        assert_eq!(shell_assignments(run, "CGO_ENABLED"), ["0"]);
        assert!(!runs_go("echo go; gofmt build", &["build"]));
        assert!(runs_go("cd /src&&/usr/local/go/bin/go build .", &["build"]));
    }
}
