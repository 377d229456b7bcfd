//! Image references as written in `FROM` (`registry.cn-hangzhou.aliyuncs.com/library/golang:
//! 1.22-alpine`), what kind of runtime they are, and the Go version a `golang` tag carries.

use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry and path before the name, with its `/`: `registry.example.com/library/`.
    pub prefix: String,
    /// The last path part: `golang`, `alpine`, `static-debian12`.
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// What a final stage's image offers a Go binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// Empty: no C library, no CA certificates, no time zones.
    Scratch,
    /// distroless `static`: no C library (CA certificates and time zones are there).
    DistrolessStatic,
    /// musl instead of glibc.
    Alpine,
    Other,
}

impl ImageRef {
    pub fn parse(image: &str) -> ImageRef {
        let (rest, digest) = match image.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (image, None),
        };
        let (prefix, last) = match rest.rfind('/') {
            Some(at) => (&rest[..=at], &rest[at + 1..]),
            None => ("", rest),
        };
        let (name, tag) = match last.split_once(':') {
            Some((n, t)) => (n, Some(t.to_string())),
            None => (last, None),
        };
        ImageRef {
            prefix: prefix.to_string(),
            name: name.to_string(),
            tag,
            digest,
        }
    }

    /// The same image with another tag (and no digest).
    pub fn with_tag(&self, tag: &str) -> String {
        format!("{}{}:{tag}", self.prefix, self.name)
    }

    pub fn is_scratch(&self) -> bool {
        self.prefix.is_empty() && self.name.eq_ignore_ascii_case("scratch")
    }

    /// No tag or `latest`, and no digest pinning it. distroless images are published without
    /// version tags; `static-debian12` names its Debian release, which is what matters.
    pub fn is_unpinned(&self) -> bool {
        let by_name = self.prefix.ends_with("distroless/") && self.name.contains("-debian");
        self.digest.is_none() && !by_name && matches!(self.tag.as_deref(), None | Some("latest"))
    }

    pub fn kind(&self) -> ImageKind {
        let name = self.name.to_ascii_lowercase();
        let tag = self.tag.as_deref().unwrap_or("").to_ascii_lowercase();
        if self.is_scratch() {
            ImageKind::Scratch
        } else if self.prefix.to_ascii_lowercase().ends_with("distroless/")
            && name.starts_with("static")
        {
            ImageKind::DistrolessStatic
        } else if name == "alpine" || tag.contains("alpine") {
            ImageKind::Alpine
        } else {
            ImageKind::Other
        }
    }

    pub fn is_golang(&self) -> bool {
        self.name == "golang"
    }

    /// The Go in a `golang` image: `1.22-alpine` → 1.22 (its newest patch), `1.22.3-bookworm`
    /// → 1.22.3; `None` for other images and tags without a version (`alpine`, `latest`).
    pub fn go_version(&self) -> Option<GoVersion> {
        if !self.is_golang() {
            return None;
        }
        let tag = self.tag.as_deref()?;
        GoVersion::parse_exact(tag.split('-').next()?)
    }

    /// What follows the version in the tag: `-alpine` in `1.22-alpine`.
    pub fn tag_variant(&self) -> &str {
        let tag = self.tag.as_deref().unwrap_or("");
        tag.find('-').map_or("", |at| &tag[at..])
    }
}

/// A Go release: `1.22` (any patch of it when it names an image) or `1.22.3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: Option<u32>,
}

impl GoVersion {
    /// `1.22`, `1.22.3`; nothing else.
    pub fn parse_exact(text: &str) -> Option<GoVersion> {
        let mut parts = text.split('.');
        let number = |p: Option<&str>| -> Option<u32> {
            let p = p?;
            (!p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        let major = number(parts.next())?;
        let minor = number(parts.next())?;
        let patch = match parts.next() {
            Some(p) => Some(number(Some(p))?),
            None => None,
        };
        parts.next().is_none().then_some(GoVersion {
            major,
            minor,
            patch,
        })
    }

    /// A `go` or `toolchain` line of go.mod: `1.22.3`, `1.21rc1`, `go1.23.1`.
    pub fn parse_requirement(text: &str) -> Option<GoVersion> {
        let text = text.trim().trim_start_matches("go");
        let cut = text
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(text.len());
        GoVersion::parse_exact(&text[..cut])
    }

    pub fn major_minor(&self) -> String {
        format!("{}.{}", self.major, self.minor)
    }

    /// Whether an image with this Go builds a module that needs `required`.
    pub fn satisfies(&self, required: &GoVersion) -> bool {
        match (self.major, self.minor).cmp(&(required.major, required.minor)) {
            Ordering::Greater => true,
            Ordering::Less => false,
            // `golang:1.22` is the newest 1.22.x.
            Ordering::Equal => match self.patch {
                None => true,
                Some(p) => p >= required.patch.unwrap_or(0),
            },
        }
    }

    pub fn at_least(&self, major: u32, minor: u32) -> bool {
        (self.major, self.minor) >= (major, minor)
    }
}

impl std::fmt::Display for GoVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.patch {
            Some(p) => write!(f, "{}.{}.{p}", self.major, self.minor),
            None => write!(f, "{}.{}", self.major, self.minor),
        }
    }
}

/// Replaces `$NAME`, `${NAME}` and `${NAME:-default}` from `values`; `None` if a reference
/// is left unresolved.
pub fn substitute(text: &str, values: &[(String, String)]) -> Option<String> {
    let value = |name: &str| {
        values
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(braced) = after.strip_prefix('{') {
            let end = braced.find('}')?;
            let inner = &braced[..end];
            let (name, default) = match inner.split_once(":-") {
                Some((n, d)) => (n, Some(d)),
                None => (inner, None),
            };
            match (
                value(name).filter(|v| !v.is_empty() || default.is_none()),
                default,
            ) {
                (Some(v), _) => out.push_str(v),
                (None, Some(d)) if !d.contains('$') => out.push_str(d),
                _ => return None,
            }
            rest = &braced[end + 1..];
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            out.push_str(value(&after[..len]).filter(|_| len > 0)?);
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_into_prefix_name_tag() {
        let r = ImageRef::parse("registry.cn-hangzhou.aliyuncs.com/library/golang:1.19");
        assert_eq!(r.prefix, "registry.cn-hangzhou.aliyuncs.com/library/");
        assert_eq!(
            (r.name.as_str(), r.tag.as_deref()),
            ("golang", Some("1.19"))
        );
        assert_eq!(
            r.with_tag("1.22"),
            "registry.cn-hangzhou.aliyuncs.com/library/golang:1.22"
        );
        let r = ImageRef::parse("localhost:5000/app");
        assert_eq!(
            (r.prefix.as_str(), r.tag.as_deref()),
            ("localhost:5000/", None)
        );
        assert!(r.is_unpinned());
        assert!(ImageRef::parse("alpine:latest").is_unpinned());
        assert!(!ImageRef::parse("alpine@sha256:abc").is_unpinned());
        assert!(!ImageRef::parse("alpine:3.20").is_unpinned());
        assert!(!ImageRef::parse("gcr.io/distroless/static-debian12").is_unpinned());
        assert!(ImageRef::parse("gcr.io/distroless/static").is_unpinned());
    }

    #[test]
    fn kinds_of_runtime() {
        for (image, kind) in [
            ("scratch", ImageKind::Scratch),
            ("gcr.io/distroless/static", ImageKind::DistrolessStatic),
            (
                "gcr.io/distroless/static-debian12:nonroot",
                ImageKind::DistrolessStatic,
            ),
            ("gcr.io/distroless/base-debian12", ImageKind::Other),
            ("alpine:3.19", ImageKind::Alpine),
            ("golang:1.22-alpine3.19", ImageKind::Alpine),
            ("debian:bookworm-slim", ImageKind::Other),
            ("myorg/scratch", ImageKind::Other),
        ] {
            assert_eq!(ImageRef::parse(image).kind(), kind, "{image}");
        }
    }

    #[test]
    fn go_versions_of_golang_tags() {
        let v = |image: &str| ImageRef::parse(image).go_version().map(|v| v.to_string());
        assert_eq!(v("golang:1.19").as_deref(), Some("1.19"));
        assert_eq!(v("golang:1.21.5").as_deref(), Some("1.21.5"));
        assert_eq!(v("golang:1.22-alpine").as_deref(), Some("1.22"));
        assert_eq!(v("golang:1.22.3-bookworm").as_deref(), Some("1.22.3"));
        assert_eq!(
            v("mirror.example/library/golang:1.20").as_deref(),
            Some("1.20")
        );
        assert_eq!(v("golang:alpine"), None);
        assert_eq!(v("golang"), None);
        assert_eq!(v("golang:latest"), None);
        assert_eq!(v("alpine:3.19"), None);
        assert_eq!(
            ImageRef::parse("golang:1.22-alpine").tag_variant(),
            "-alpine"
        );
    }

    #[test]
    fn requirements_compare_with_image_versions() {
        let req = |s| GoVersion::parse_requirement(s).unwrap();
        let img = |s| GoVersion::parse_exact(s).unwrap();
        assert!(img("1.22").satisfies(&req("1.22.3")));
        assert!(!img("1.22.1").satisfies(&req("1.22.3")));
        assert!(!img("1.19").satisfies(&req("1.22")));
        assert!(img("1.23").satisfies(&req("go1.22.3")));
        assert_eq!(req("1.21rc1").to_string(), "1.21");
        assert!(GoVersion::parse_requirement("banana").is_none());
    }

    #[test]
    fn arguments_are_substituted_or_refused() {
        let values = [("GO".to_string(), "1.22".to_string())];
        assert_eq!(
            substitute("golang:${GO}-alpine", &values).as_deref(),
            Some("golang:1.22-alpine")
        );
        assert_eq!(
            substitute("golang:$GO", &values).as_deref(),
            Some("golang:1.22")
        );
        assert_eq!(substitute("golang:${OTHER}", &values), None);
        assert_eq!(substitute("golang:$", &values), None);
        assert_eq!(
            substitute("golang:${OTHER:-1.23}-${GO:-x}", &values).as_deref(),
            Some("golang:1.23-1.22")
        );
        assert_eq!(
            substitute("$GO_VERSION", &[("GO".to_string(), "1".to_string())]),
            None
        );
    }
}
