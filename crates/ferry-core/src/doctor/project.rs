//! Checks of the build context (size, line endings, encodings) and `go.mod` (its Go version,
//! and an embedded database that cannot run twice at once under the start-first strategy).

use super::config_edit::{edit_config, set};
use super::context_files::{self, ContextFile, ContextScan};
use super::dockerfile_parse::{runs_go, Stage};
use super::finding::{AutoFix, FileEdit, Finding, FixAction};
use super::image_ref::{substitute, GoVersion, ImageRef};
use super::used_dockerfile::{
    self, line_text, project_path, replace_lines, Origin, Resolved, UsedDockerfile,
};
use crate::catalog::Msg;
use crate::formats::config::{Platform, Project, Strategy};
use crate::formats::dockerignore::{self, DockerIgnore};
use crate::formats::gomod::{self, Requirement};
use crate::msg;
use std::collections::BTreeMap;

/// Above this, a context sent without a `.dockerignore` makes every build slow.
const LARGE_CONTEXT_BYTES: u64 = 50_000_000;
/// A top-level entry this big is worth naming in the `.dockerignore` Ferry suggests.
const BIG_ENTRY_BYTES: u64 = 10_000_000;
/// Files bigger than this are not read for line endings or encodings.
const TEXT_LIMIT: u64 = 10 << 20;
const TEXT_EXTENSIONS: &[&str] = &[
    "sh",
    "conf",
    "yaml",
    "yml",
    "json",
    "toml",
    "properties",
    "ini",
    "txt",
    "html",
    "tmpl",
    "sql",
    "env",
    "go",
];
const DEFAULT_IGNORES: &[&str] = &[
    ".git",
    ".idea",
    ".vscode",
    "*.exe",
    "bin/",
    "dist/",
    "node_modules/",
    "tmp/",
    "*.log",
];

/// Findings about the build context and the Go module.
pub fn check(project: &Project, target: Option<Platform>) -> Vec<Finding> {
    // The architecture does not change what the context holds.
    let _ = target;
    let scan = context_files::scan(&project.context_dir());
    let used = match used_dockerfile::resolve(project) {
        Resolved::Used(df) => Some(df),
        Resolved::Missing { .. } | Resolved::Unknown => None,
    };
    let used = used.as_deref();
    [
        large_without_dockerignore(project, &scan, used),
        crlf_scripts(project, &scan),
        non_utf8(project, &scan),
        used.and_then(|df| go_too_new(project, df)),
        start_first_embedded_db(project),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn file_edits(label: Msg, files: Vec<FileEdit>) -> Option<AutoFix> {
    (!files.is_empty()).then(|| AutoFix::new(label, FixAction::EditFiles { files }))
}

/// `180 MB`, `1.2 GB`, `640 KB`.
fn human(bytes: u64) -> String {
    match bytes {
        b if b >= 1_000_000_000 => format!("{:.1} GB", b as f64 / 1e9),
        b if b >= 1_000_000 => format!("{} MB", b / 1_000_000),
        b => format!("{} KB", b.div_ceil(1000)),
    }
}

// --- context.large_without_dockerignore -------------------------------------------------

struct TopEntry {
    /// `.git/` for a folder, `data.zip` for a file.
    pattern: String,
    size: u64,
    /// Holds Go code or module files the build needs.
    needed: bool,
}

fn top_entries(scan: &ContextScan) -> Vec<TopEntry> {
    let mut entries: BTreeMap<String, TopEntry> = BTreeMap::new();
    for file in &scan.files {
        let (top, below) = match file.rel.split_once('/') {
            Some((top, _)) => (format!("{top}/"), true),
            None => (file.rel.clone(), file.is_dir),
        };
        let name = top.trim_end_matches('/');
        let entry = entries.entry(top.clone()).or_insert(TopEntry {
            pattern: if below { top.clone() } else { name.to_string() },
            size: 0,
            needed: matches!(name, "vendor" | "go.mod" | "go.sum"),
        });
        entry.size += file.size;
        entry.needed |= file.rel.ends_with(".go");
    }
    let mut entries: Vec<TopEntry> = entries.into_values().collect();
    entries.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.pattern.cmp(&b.pattern)));
    entries
}

fn large_without_dockerignore(
    project: &Project,
    scan: &ContextScan,
    used: Option<&UsedDockerfile>,
) -> Option<Finding> {
    let total = scan.total_bytes();
    if scan.has_dockerignore || total <= LARGE_CONTEXT_BYTES {
        return None;
    }
    let entries = top_entries(scan);
    let biggest: Vec<String> = entries
        .iter()
        .take(5)
        .map(|e| format!("{} {}", e.pattern, human(e.size)))
        .collect();
    let content = suggested_dockerignore(&entries, used);
    let finding = Finding::warning(
        "context.large_without_dockerignore",
        msg!(
            "check-context-large_without_dockerignore",
            total = human(total)
        ),
    )
    .evidence(format!(
        "{} in the build context; biggest: {}",
        human(total),
        biggest.join(", ")
    ))
    .fix(msg!(
        "check-context-large_without_dockerignore-fix",
        content = &content
    ));
    let path = project_path(project, dockerignore::FILE_NAME)?;
    let auto = file_edits(
        msg!("check-context-large_without_dockerignore-autofix"),
        vec![FileEdit::create(path, content)],
    );
    Some(finding.with_auto_fix(auto))
}

/// The usual leftovers plus the big top-level entries the build does not need, minus anything
/// the Dockerfile copies by name.
fn suggested_dockerignore(entries: &[TopEntry], used: Option<&UsedDockerfile>) -> String {
    let copied = copied_sources(used);
    let dockerfile = used.map(|u| u.name.clone()).unwrap_or_default();
    let mut lines: Vec<String> = Vec::new();
    let keeps_copied = |pattern: &str| {
        DockerIgnore::parse(pattern).is_ok_and(|ignore| {
            !copied.iter().any(|c| ignore.is_excluded(c)) && !ignore.is_excluded(&dockerfile)
        })
    };
    for pattern in DEFAULT_IGNORES {
        if keeps_copied(pattern) {
            lines.push(pattern.to_string());
        }
    }
    for entry in entries
        .iter()
        .filter(|e| e.size >= BIG_ENTRY_BYTES && !e.needed)
    {
        let plain = !entry.pattern.contains(['*', '?', '[', '\\', '!', '#']);
        let covered = DockerIgnore::parse(&lines.join("\n"))
            .is_ok_and(|ignore| ignore.is_excluded(entry.pattern.trim_end_matches('/')));
        if plain && !covered && keeps_copied(&entry.pattern) {
            lines.push(entry.pattern.clone());
        }
    }
    let mut content =
        "# What the build does not need (made by ferry doctor; edit freely).\n".to_string();
    for line in lines {
        content.push_str(&line);
        content.push('\n');
    }
    content
}

/// Paths the Dockerfile copies from the context by name (not `.`).
fn copied_sources(used: Option<&UsedDockerfile>) -> Vec<String> {
    let Some(used) = used else {
        return Vec::new();
    };
    used.parsed
        .stages
        .iter()
        .flat_map(|s| s.body.iter())
        .filter(|i| (i.is("COPY") || i.is("ADD")) && i.flag("from").is_none())
        .flat_map(|i| {
            let mut words = i.words();
            words.pop();
            words
        })
        .map(|w| w.trim_start_matches("./").trim_end_matches('/').to_string())
        .filter(|w| !w.is_empty() && w != "." && !w.contains(['*', '?']))
        .collect()
}

// --- context.crlf_scripts ---------------------------------------------------------------

fn crlf_scripts(project: &Project, scan: &ContextScan) -> Option<Finding> {
    let mut lines = Vec::new();
    let mut edits = Vec::new();
    let mut unconverted = false;
    for file in readable(scan) {
        let is_sh = file.rel.ends_with(".sh");
        if !is_sh && !starts_with_shebang(file) {
            continue;
        }
        let Ok(bytes) = std::fs::read(&file.path) else {
            continue;
        };
        let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
        if crlf == 0 || bytes.contains(&0) {
            continue;
        }
        // The same test as the context packer, which sends these with LF.
        let converted = bytes.starts_with(b"#!");
        unconverted |= !converted;
        let note = if converted {
            "Ferry sends it with LF"
        } else {
            "no #! line: sent as it is"
        };
        lines.push(format!(
            "{}: {crlf} lines end with \\r\\n ({note})",
            file.rel
        ));
        let fixed = String::from_utf8(bytes.clone())
            .ok()
            .map(|t| t.replace("\r\n", "\n"));
        if let (Some(fixed), Some(path)) = (fixed, project_path(project, &file.rel)) {
            edits.push(FileEdit::replace(path, &bytes, fixed));
        }
    }
    if lines.is_empty() {
        return None;
    }
    let finding = if unconverted {
        Finding::warning("context.crlf_scripts", msg!("check-context-crlf_scripts"))
    } else {
        Finding::info(
            "context.crlf_scripts",
            msg!("check-context-crlf_scripts-converted"),
        )
    };
    let finding = finding
        .evidence(lines.join("\n"))
        .fix(msg!("check-context-crlf_scripts-fix"));
    let auto = file_edits(msg!("check-context-crlf_scripts-autofix"), edits);
    Some(finding.with_auto_fix(auto))
}

/// Regular files with UTF-8 names small enough to read.
fn readable(scan: &ContextScan) -> impl Iterator<Item = &ContextFile> {
    scan.files
        .iter()
        .filter(|f| !f.is_dir && f.utf8_name && f.size <= TEXT_LIMIT && f.path.is_file())
}

fn starts_with_shebang(file: &ContextFile) -> bool {
    use std::io::Read;
    let mut head = [0u8; 2];
    std::fs::File::open(&file.path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"#!"
}

// --- context.non_utf8 -------------------------------------------------------------------

fn non_utf8(project: &Project, scan: &ContextScan) -> Option<Finding> {
    let mut lines: Vec<String> = scan
        .files
        .iter()
        .filter(|f| !f.utf8_name)
        .map(|f| format!("{}: the name is not UTF-8", f.rel))
        .collect();
    let mut edits = Vec::new();
    for file in readable(scan).filter(|f| is_text_name(&f.rel)) {
        let Ok(bytes) = std::fs::read(&file.path) else {
            continue;
        };
        let Err(e) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        match as_gbk(&bytes) {
            Some(text) => {
                let shown: String = text
                    .lines()
                    .nth(line - 1)
                    .unwrap_or("")
                    .trim()
                    .chars()
                    .take(60)
                    .collect();
                lines.push(format!("{}: line {line} (as GBK: {shown})", file.rel));
                if let Some(path) = project_path(project, &file.rel) {
                    edits.push(FileEdit::replace(path, &bytes, text));
                }
            }
            None => lines.push(format!("{}: line {line}", file.rel)),
        }
    }
    if lines.is_empty() {
        return None;
    }
    let finding = Finding::warning("context.non_utf8", msg!("check-context-non_utf8"))
        .evidence(lines.join("\n"))
        .fix(msg!("check-context-non_utf8-fix"));
    let auto = file_edits(msg!("check-context-non_utf8-autofix"), edits);
    Some(finding.with_auto_fix(auto))
}

fn is_text_name(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name == ".env"
        || name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| TEXT_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// The text, when the bytes are GBK without a flaw (and not UTF-16, whose zero bytes GBK
/// would take as text).
fn as_gbk(bytes: &[u8]) -> Option<String> {
    if bytes.contains(&0) || bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return None;
    }
    encoding_rs::GBK
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|t| t.into_owned())
}

// --- gomod.go_too_new -------------------------------------------------------------------

fn go_too_new(project: &Project, used: &UsedDockerfile) -> Option<Finding> {
    let go_mod = std::fs::read_to_string(project.context_dir().join("go.mod")).ok()?;
    let directive = |name: &str| {
        go_mod.lines().find_map(|l| {
            l.split("//")
                .next()?
                .trim()
                .strip_prefix(name)
                .filter(|rest| rest.starts_with([' ', '\t']))
                .map(|rest| rest.trim().to_string())
        })
    };
    let go_line = directive("go")?;
    let required = GoVersion::parse_requirement(&go_line)?;
    let (image, evidence, auto) = builder(project, used, &required)?;
    let have = image.go_version()?;
    if have.satisfies(&required) {
        return None;
    }
    let toolchain = directive("toolchain");
    // Go 1.21 made the go line a minimum it enforces (it refuses, or fetches a toolchain, which
    // fails offline and in the official images). Before, it was advice: the build only fails
    // where the code uses something newer, and then says which Go the module wanted; unless
    // go.mod is written in Go 1.21's syntax, which older Go cannot read at all.
    let finding = if have.at_least(1, 21) {
        Finding::error(
            "gomod.go_too_new",
            msg!(
                "check-gomod-go_too_new-enforced",
                required = required.to_string(),
                have = have.to_string()
            ),
        )
    } else if let Some((line, says)) = unreadable_before_1_21(&go_line, toolchain.as_deref()) {
        Finding::error(
            "gomod.go_too_new",
            msg!(
                "check-gomod-go_too_new-unreadable",
                required = required.to_string(),
                have = have.to_string(),
                line = line,
                says = says
            ),
        )
    } else {
        Finding::warning(
            "gomod.go_too_new",
            msg!(
                "check-gomod-go_too_new-not_enforced",
                required = required.to_string(),
                have = have.to_string()
            ),
        )
    };
    let go_mod_lines = match &toolchain {
        Some(t) => format!("go.mod: go {go_line}, toolchain {t}"),
        None => format!("go.mod: go {go_line}"),
    };
    let finding = finding
        .evidence(format!("{go_mod_lines}\n{evidence}"))
        .fix(msg!(
            "check-gomod-go_too_new-fix",
            image = new_image(&image, &required),
            required = required.to_string()
        ));
    Some(finding.with_auto_fix(auto))
}

/// What Go before 1.21 stops at in go.mod, which reads only `go 1.N` and knows no toolchain
/// line: the line, and Go's error.
fn unreadable_before_1_21(go_line: &str, toolchain: Option<&str>) -> Option<(String, String)> {
    if GoVersion::parse_exact(go_line).is_none_or(|v| v.patch.is_some()) {
        return Some((
            format!("go {go_line}"),
            format!("invalid go version '{go_line}': must match format 1.23"),
        ));
    }
    toolchain.map(|t| {
        (
            format!("toolchain {t}"),
            "unknown directive: toolchain".to_string(),
        )
    })
}

/// `golang:<major.minor of required>` with the registry and variant (`-alpine`) kept.
fn new_image(image: &ImageRef, required: &GoVersion) -> String {
    image.with_tag(&format!(
        "{}{}",
        required.major_minor(),
        image.tag_variant()
    ))
}

/// The Go image that compiles, where it is set, and the fix that updates it there.
fn builder(
    project: &Project,
    used: &UsedDockerfile,
    required: &GoVersion,
) -> Option<(ImageRef, String, Option<AutoFix>)> {
    let label = |image: &str| msg!("check-gomod-go_too_new-autofix", image = image);
    if let Origin::Generated { spec } = &used.origin {
        let image = ImageRef::parse(&spec.builder_image);
        let target = new_image(&image, required);
        let edit = edit_config(project, |doc| {
            set(doc, "app", "builder_image", target.as_str())
        });
        let auto =
            edit.map(|e| AutoFix::new(label(&target), FixAction::EditFiles { files: vec![e] }));
        let evidence = format!(
            "ferry.toml [app] builder_image = \"{}\"",
            spec.builder_image
        );
        return Some((image, evidence, auto));
    }
    let stage = go_stage(project, used)?;
    let values = used
        .parsed
        .global_arg_values(&project.config.app.build_args);
    let image = ImageRef::parse(&substitute(&stage.base, &values)?);
    let target = new_image(&image, required);
    let auto = line_text(&used.text, stage.from.line)
        .filter(|line| {
            stage.from.line == stage.from.end_line
                && !stage.base.contains('$')
                && line.contains(&stage.base)
        })
        .map(|line| line.replacen(&stage.base, &target, 1))
        .and_then(|line| {
            used.edit(replace_lines(
                &used.text,
                stage.from.line,
                stage.from.line,
                &[line],
            ))
        })
        .map(|e| AutoFix::new(label(&target), FixAction::EditFiles { files: vec![e] }));
    Some((image, stage.from.evidence(&used.name), auto))
}

/// The stage that compiles: the first `golang` stage that runs `go build`, else the first
/// `golang` stage.
fn go_stage<'a>(project: &Project, used: &'a UsedDockerfile) -> Option<&'a Stage> {
    let values = used
        .parsed
        .global_arg_values(&project.config.app.build_args);
    let golang: Vec<&Stage> = used
        .parsed
        .stages
        .iter()
        .filter(|s| substitute(&s.base, &values).is_some_and(|b| ImageRef::parse(&b).is_golang()))
        .collect();
    let builds = |s: &&&Stage| {
        used.parsed
            .stages
            .iter()
            .filter(|t| used.parsed.lineage(t).iter().any(|l| l.index == s.index))
            .flat_map(|t| t.body.iter())
            .any(|i| i.is("RUN") && runs_go(&i.args, &["build"]))
    };
    golang.iter().find(builds).or(golang.first()).copied()
}

// --- container.start_first_embedded_db --------------------------------------------------

/// An embedded database that keeps its files locked while the app runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Store {
    Bolt,
    Badger,
    LevelDb,
    Pebble,
    Sqlite,
}

/// The modules of each store, by module path (a `/vN` major version suffix matches too).
const EMBEDDED_STORES: &[(&str, Store)] = &[
    ("go.etcd.io/bbolt", Store::Bolt),
    ("github.com/etcd-io/bbolt", Store::Bolt),
    ("github.com/coreos/bbolt", Store::Bolt),
    ("github.com/boltdb/bolt", Store::Bolt),
    ("github.com/dgraph-io/badger", Store::Badger),
    ("github.com/syndtr/goleveldb", Store::LevelDb),
    ("github.com/jmhodges/levigo", Store::LevelDb),
    ("github.com/cockroachdb/pebble", Store::Pebble),
    ("github.com/mattn/go-sqlite3", Store::Sqlite),
    ("modernc.org/sqlite", Store::Sqlite),
    ("github.com/glebarez/sqlite", Store::Sqlite),
    ("github.com/glebarez/go-sqlite", Store::Sqlite),
    ("gorm.io/driver/sqlite", Store::Sqlite),
    ("zombiezen.com/go/sqlite", Store::Sqlite),
    ("crawshaw.io/sqlite", Store::Sqlite),
    ("github.com/ncruces/go-sqlite3", Store::Sqlite),
];

impl Store {
    /// The store a module path belongs to: the path itself or a major version of it
    /// (`github.com/dgraph-io/badger/v4`), never a look-alike (`github.com/foo/sqlite-docs`).
    fn of(path: &str) -> Option<Store> {
        EMBEDDED_STORES.iter().find_map(|(known, store)| {
            let rest = path.strip_prefix(known)?;
            let major = rest
                .strip_prefix("/v")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            (rest.is_empty() || major).then_some(*store)
        })
    }

    fn name(self) -> &'static str {
        match self {
            Store::Bolt => "BoltDB",
            Store::Badger => "BadgerDB",
            Store::LevelDb => "LevelDB",
            Store::Pebble => "Pebble",
            Store::Sqlite => "SQLite",
        }
    }

    /// Whether the copy started beside the running one never passes the health gate: then
    /// every start-first deploy fails.
    fn second_copy_fails(self, health_path: bool) -> bool {
        match self {
            // Bolt's Open waits for the lock: the copy hangs, but stays up, which is all a
            // gate without a health path asks.
            Store::Bolt => health_path,
            Store::Badger | Store::LevelDb | Store::Pebble => true,
            Store::Sqlite => false,
        }
    }

    /// What happens when a second copy opens the store the running copy has open.
    fn second_copy(self, health_path: bool) -> Msg {
        match self {
            Store::Bolt if health_path => {
                msg!("check-container-start_first_embedded_db-bolt_health")
            }
            Store::Bolt => msg!("check-container-start_first_embedded_db-bolt"),
            Store::Badger => msg!("check-container-start_first_embedded_db-badger"),
            Store::LevelDb => msg!("check-container-start_first_embedded_db-leveldb"),
            Store::Pebble => msg!("check-container-start_first_embedded_db-pebble"),
            Store::Sqlite => msg!("check-container-start_first_embedded_db-sqlite"),
        }
    }
}

/// A module of an embedded store, and where the project names it.
struct StoreHit {
    store: Store,
    path: String,
    /// `go.mod:7: go.etcd.io/bbolt v1.3.10 // indirect`
    evidence: String,
}

/// The embedded stores go.mod and `vendor/modules.txt` name, in file order.
fn embedded_stores(project: &Project) -> Vec<StoreHit> {
    let context = project.context_dir();
    type Read = fn(&str) -> Vec<Requirement>;
    let sources: [(&str, Read); 2] = [
        ("go.mod", gomod::requirements),
        ("vendor/modules.txt", gomod::vendored_modules),
    ];
    let mut hits = Vec::new();
    for (file, read) in sources {
        let Ok(text) = std::fs::read_to_string(context.join(file)) else {
            continue;
        };
        let shown = project_path(project, file).unwrap_or_else(|| file.to_string());
        for require in read(&text) {
            let Some(store) = Store::of(&require.path) else {
                continue;
            };
            let line = line_text(&text, require.line).unwrap_or_default();
            hits.push(StoreHit {
                store,
                path: require.path,
                evidence: format!("{shown}:{}: {}", require.line, line.trim()),
            });
        }
    }
    hits
}

/// `a and b and c` (Chinese `a和b和c`): the items joined pairwise by `pair`.
fn joined(items: Vec<Msg>, pair: fn(Msg, Msg) -> Msg) -> Msg {
    items
        .into_iter()
        .rev()
        .reduce(|rest, first| pair(first, rest))
        .unwrap_or_default()
}

/// Start-first runs the new release beside the running one, both with the same volumes: an
/// embedded database there is opened twice at once.
fn start_first_embedded_db(project: &Project) -> Option<Finding> {
    let container = &project.config.container;
    if container.strategy != Strategy::StartFirst || container.volumes.is_empty() {
        return None;
    }
    let hits = embedded_stores(project);
    if hits.is_empty() {
        return None;
    }
    let health = project
        .config
        .health
        .as_ref()
        .and_then(|h| h.path.as_deref());
    let health_path = health.is_some();
    // Each store once, with its modules once each, in the order found.
    let mut stores: Vec<(Store, Vec<&str>)> = Vec::new();
    for hit in &hits {
        match stores.iter_mut().find(|(s, _)| *s == hit.store) {
            Some((_, paths)) if paths.contains(&hit.path.as_str()) => {}
            Some((_, paths)) => paths.push(&hit.path),
            None => stores.push((hit.store, vec![&hit.path])),
        }
    }
    let uses: Vec<Msg> = stores
        .iter()
        .map(|(s, paths)| {
            let modules: Vec<Msg> = paths.iter().map(|p| msg!("as-is", text = *p)).collect();
            msg!(
                "check-container-start_first_embedded_db-store",
                store = s.name(),
                modules = modules
            )
        })
        .collect();
    // What happens, per store (named when there are several).
    let said: Vec<Msg> = stores
        .iter()
        .map(|(store, _)| {
            let said = store.second_copy(health_path);
            if stores.len() == 1 {
                said
            } else {
                msg!(
                    "check-container-start_first_embedded_db-store_said",
                    store = store.name(),
                    said = said
                )
            }
        })
        .collect();
    let volumes = container
        .volumes
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let message = msg!(
        "check-container-start_first_embedded_db",
        uses = joined(uses, |a, b| msg!("check-join-and", first = a, rest = b)),
        count = container.volumes.len(),
        volumes = &volumes,
        said = joined(said, |a, b| msg!(
            "check-join-semicolon",
            first = a,
            rest = b
        ))
    );
    let fails = stores.iter().any(|(s, _)| s.second_copy_fails(health_path));
    let finding = if fails {
        Finding::error("container.start_first_embedded_db", message)
    } else {
        Finding::warning("container.start_first_embedded_db", message)
    };
    let mut evidence: Vec<String> = hits.iter().map(|h| h.evidence.clone()).collect();
    evidence.push(format!(
        "ferry.toml [container]: strategy {}, volumes {volumes}",
        container.strategy.as_str()
    ));
    if stores.iter().any(|(s, _)| *s == Store::Bolt) {
        evidence.push(match health {
            Some(path) => format!("ferry.toml [health]: path \"{path}\""),
            None => "ferry.toml: no [health] path".to_string(),
        });
    }
    let finding = finding
        .evidence(evidence.join("\n"))
        .fix(msg!("check-container-start_first_embedded_db-fix"));
    let edit = edit_config(project, |doc| {
        set(doc, "container", "strategy", Strategy::StopFirst.as_str())
    });
    let auto = file_edits(
        msg!("check-container-start_first_embedded_db-autofix"),
        edit.into_iter().collect(),
    );
    Some(finding.with_auto_fix(auto))
}

#[cfg(test)]
mod tests;
