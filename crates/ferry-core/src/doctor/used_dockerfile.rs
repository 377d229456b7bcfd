//! Which Dockerfile the build will use, as `deploy` chooses it: `[app] dockerfile`, else the
//! context's own `Dockerfile`, else the one Ferry generates (`Dockerfile.ferry`). Read and
//! parsed once for the checks, with helpers to write line edits of it.

use super::dockerfile_parse::{self, Dockerfile};
use super::finding::FileEdit;
use crate::formats::config::Project;
use crate::formats::dockerfile::{self as generator, DockerfileSpec};
use crate::formats::gomod;
use crate::plan;

pub struct UsedDockerfile {
    /// How evidence names it: `Dockerfile`, `build/Dockerfile`, `Dockerfile.ferry (generated)`.
    pub name: String,
    pub origin: Origin,
    pub text: String,
    pub parsed: Dockerfile,
}

pub enum Origin {
    /// The project's own file. `edit_path` is relative to the project root (`None` when it is
    /// outside it or not UTF-8, so it cannot be edited); `bytes` as read.
    Own {
        edit_path: Option<String>,
        bytes: Vec<u8>,
    },
    Generated {
        spec: DockerfileSpec,
    },
}

pub enum Resolved {
    Used(Box<UsedDockerfile>),
    /// `[app] dockerfile` names a file that is not there.
    Missing {
        configured: String,
    },
    /// No Dockerfile and no Go module to generate one for (the build reports that itself).
    Unknown,
}

pub fn resolve(project: &Project) -> Resolved {
    let app = &project.config.app;
    let context = project.context_dir();
    let own = match &app.dockerfile {
        Some(df) if context.join(df).is_file() => df.clone(),
        Some(df) => {
            return Resolved::Missing {
                configured: df.clone(),
            }
        }
        None if context.join("Dockerfile").is_file() => "Dockerfile".to_string(),
        None => return generated(project),
    };
    let Ok(bytes) = std::fs::read(context.join(&own)) else {
        return Resolved::Unknown;
    };
    let utf8 = String::from_utf8(bytes.clone()).ok();
    let text = utf8
        .clone()
        .unwrap_or_else(|| String::from_utf8_lossy(&bytes).into_owned());
    let path = project_path(project, &own);
    Resolved::Used(Box::new(UsedDockerfile {
        name: path.clone().unwrap_or_else(|| own.replace('\\', "/")),
        origin: Origin::Own {
            edit_path: path.filter(|_| utf8.is_some()),
            bytes,
        },
        parsed: dockerfile_parse::parse(&text),
        text,
    }))
}

fn generated(project: &Project) -> Resolved {
    let app = &project.config.app;
    let Ok(module) = gomod::detect_with_main(&project.context_dir(), app.main.as_deref()) else {
        return Resolved::Unknown;
    };
    let spec = plan::dockerfile_spec(&project.config, &module, true);
    let text = generator::generate(&spec);
    Resolved::Used(Box::new(UsedDockerfile {
        name: format!("{} (generated)", plan::GENERATED_DOCKERFILE),
        origin: Origin::Generated { spec },
        parsed: dockerfile_parse::parse(&text),
        text,
    }))
}

impl UsedDockerfile {
    pub fn is_generated(&self) -> bool {
        matches!(self.origin, Origin::Generated { .. })
    }

    /// An edit replacing the project's own Dockerfile with `content`.
    pub fn edit(&self, content: String) -> Option<FileEdit> {
        match &self.origin {
            Origin::Own {
                edit_path: Some(path),
                bytes,
            } => Some(FileEdit::replace(path.clone(), bytes, content)),
            _ => None,
        }
    }
}

/// `relative` (to the build context) as a path relative to the project root, `/`-separated;
/// `None` when it leaves the root.
pub fn project_path(project: &Project, relative: &str) -> Option<String> {
    let joined = format!("{}/{}", project.config.app.context, relative);
    normalize_relative(&joined)
}

fn normalize_relative(path: &str) -> Option<String> {
    let path = path.replace('\\', "/");
    if path.starts_with('/') || path.get(1..2) == Some(":") {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// `text` with `new_lines` inserted before line `line` (1-based), in the file's line endings.
pub fn insert_lines(text: &str, line: usize, new_lines: &[String]) -> String {
    let eol = line_ending(text);
    let mut out = String::new();
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            for new in new_lines {
                out.push_str(new);
                out.push_str(eol);
            }
        }
        out.push_str(l);
    }
    out
}

/// `text` with lines `first..=last` (1-based) replaced by `new_lines`.
pub fn replace_lines(text: &str, first: usize, last: usize, new_lines: &[String]) -> String {
    let eol = line_ending(text);
    let mut out = String::new();
    for (i, l) in text.split_inclusive('\n').enumerate() {
        let n = i + 1;
        if n == first {
            for new in new_lines {
                out.push_str(new);
                out.push_str(eol);
            }
        }
        if n < first || n > last {
            out.push_str(l);
        }
    }
    out
}

/// Line `line` (1-based) as written, without its ending.
pub fn line_text(text: &str, line: usize) -> Option<&str> {
    text.lines().nth(line.checked_sub(1)?)
}

fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_made_relative_to_the_project_root() {
        assert_eq!(
            normalize_relative("./Dockerfile").as_deref(),
            Some("Dockerfile")
        );
        assert_eq!(
            normalize_relative("svc\\api/./build/../Dockerfile").as_deref(),
            Some("svc/api/Dockerfile")
        );
        assert_eq!(normalize_relative("../other/Dockerfile"), None);
        assert_eq!(normalize_relative("C:\\x\\Dockerfile"), None);
        assert_eq!(normalize_relative("/srv/Dockerfile"), None);
    }

    #[test]
    fn line_edits_keep_the_file_line_endings() {
        let crlf = "FROM a\r\nRUN b\r\n";
        assert_eq!(
            insert_lines(crlf, 2, &["ENV X=1".to_string()]),
            "FROM a\r\nENV X=1\r\nRUN b\r\n"
        );
        let lf = "FROM a\nCOPY x\\y \\\n  z\nUSER 1\n";
        assert_eq!(
            replace_lines(lf, 2, 3, &["COPY x/y z".to_string()]),
            "FROM a\nCOPY x/y z\nUSER 1\n"
        );
        assert_eq!(line_text(lf, 4), Some("USER 1"));
    }
}
