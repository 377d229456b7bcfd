//! The top-level modules of ferry-core must not depend on each other in a circle through
//! `deploy` or `plan`: the plan is decided before the deploy runs, and the doctor reads the
//! plan, never the deploy. Cycles that exist elsewhere are allowed by name, so a new one fails.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Cycles known and accepted, each as its (strongly connected) set of modules.
const ALLOWED: &[&[&str]] = &[
    // The SSH, server and remote-command layers and their test fakes (`testing`).
    &["config", "docker", "remote", "server", "ssh", "testing"],
    // `Error` wraps the doctor's `FixError`, and the doctor (through `connect`) returns `Error`.
    &["connect", "doctor", "error"],
];

type Graph = BTreeMap<String, BTreeSet<String>>;

#[test]
fn no_module_cycle_runs_through_deploy_or_plan_and_no_new_one_appears() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = graph(&src);
    assert!(
        graph["deploy"].contains("doctor"),
        "the graph is read: {graph:?}"
    );
    assert!(
        graph["doctor"].contains("plan"),
        "the graph is read: {graph:?}"
    );
    let allowed: BTreeSet<BTreeSet<String>> = ALLOWED
        .iter()
        .map(|c| c.iter().map(|m| m.to_string()).collect())
        .collect();
    for cycle in cycles(&graph) {
        assert!(
            !cycle.contains("deploy") && !cycle.contains("plan"),
            "a module cycle through deploy or plan: {cycle:?}"
        );
        assert!(
            allowed.contains(&cycle),
            "a new module cycle: {cycle:?} (break it, or allow it by name in plan/cycles.rs)"
        );
    }
}

#[test]
fn references_are_read_from_paths_and_groups() {
    // Spelled out so that this file does not name these modules itself.
    let c = "crate";
    let text = format!(
        "use {c}::{{config::{{A, B}}, deploy}};\nfn f() {{ {c}::plan::compute(); }}\n\
         // {c}::lock in a comment counts too, which errs on the safe side\n$crate::x"
    );
    let found = references(&text);
    assert_eq!(
        found,
        ["config", "deploy", "plan", "lock"]
            .map(String::from)
            .to_vec()
    );
}

/// The folders that group modules by layer: their modules are the graph's nodes, by name.
const LAYERS: &[&str] = &["adapters", "formats", "flows"];

/// The modules of `dir` (its `.rs` files and folders), by name.
fn modules_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let name = p.file_stem()?.to_str()?.to_string();
            (p.is_dir() || p.extension()? == "rs").then_some(name)
        })
        .filter(|m| m != "lib" && m != "main")
        .collect()
}

/// Module → the modules its files (and its submodules' files) name as `crate::x` (or
/// `crate::<layer>::x`). A module inside a layer folder is a node of its own.
fn graph(src: &Path) -> Graph {
    let mut homes: BTreeMap<String, PathBuf> = BTreeMap::new();
    for module in modules_in(src) {
        if LAYERS.contains(&module.as_str()) {
            for inner in modules_in(&src.join(&module)) {
                homes.insert(inner, src.join(&module));
            }
        } else {
            homes.insert(module, src.to_path_buf());
        }
    }
    let modules: BTreeSet<String> = homes.keys().cloned().collect();
    let mut graph = Graph::new();
    for (module, home) in &homes {
        let mut deps = BTreeSet::new();
        for file in files_of(home, module) {
            let text = std::fs::read_to_string(&file).unwrap();
            let text = LAYERS.iter().fold(text, |t, layer| {
                t.replace(&format!("crate::{layer}::"), "crate::")
            });
            // Tests may reach anywhere: only what the library itself names counts.
            let text = match text.find("#[cfg(test)]") {
                Some(at) => &text[..at],
                None => &text[..],
            };
            deps.extend(
                references(text)
                    .into_iter()
                    .filter(|d| d != module && modules.contains(d)),
            );
        }
        graph.insert(module.clone(), deps);
    }
    graph
}

/// `src/<module>.rs` and every `.rs` file under `src/<module>/`.
fn files_of(src: &Path, module: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let file = src.join(format!("{module}.rs"));
    if file.is_file() {
        files.push(file);
    }
    let mut dirs = vec![src.join(module)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.map(|e| e.unwrap().path()) {
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !is_test_file(&path) {
                files.push(path);
            }
        }
    }
    files
}

/// A file only tests compile: `tests.rs`, anything under a `tests/` folder, the test fakes.
fn is_test_file(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "tests")
        || path
            .file_name()
            .is_some_and(|n| n == "tests.rs" || n == "fake.rs")
}

/// The first path segment after each `crate::`, and of each item of a `crate::{...}` group.
fn references(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c == '$' || c == '_' || c.is_alphanumeric()) {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            found.extend(group_heads(group));
        } else {
            found.push(module_of(ident(rest)));
        }
    }
    found.retain(|m| !m.is_empty());
    found
        .iter_mut()
        .for_each(|m| *m = module_of(std::mem::take(m)));
    found
}

/// `crate::Error` is the `error` module's.
fn module_of(ident: String) -> String {
    if ident == "Error" {
        "error".to_string()
    } else {
        ident
    }
}

/// The leading identifier of every top-level item of a `{a::b, c::{d, e}, f}` group.
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = vec![ident(group.trim_start())];
    let mut depth = 0;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => heads.push(ident(group[i + 1..].trim_start())),
            _ => {}
        }
    }
    heads
}

fn ident(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The strongly connected components with more than one module (Tarjan's algorithm is more
/// than a few dozen modules need: a module's component is what it reaches that reaches it).
fn cycles(graph: &Graph) -> BTreeSet<BTreeSet<String>> {
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for next in graph.get(&m).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|m| (m, reach(m))).collect();
    graph
        .keys()
        .filter(|m| reached[m].contains(*m))
        .map(|m| {
            reached[m]
                .iter()
                .filter(|other| reached[other].contains(m))
                .cloned()
                .collect()
        })
        .collect()
}
