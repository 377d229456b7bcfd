//! The catalog is complete: both languages hold the same messages with the same arguments, and
//! every message the code names exists with the arguments the code gives it.

use super::*;
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Message (and `message.attribute`) ids of a language, each with the variables it uses.
fn entries(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut all = BTreeMap::new();
    for (file, source) in sources(lang) {
        let resource = fluent_syntax::parser::parse(source)
            .unwrap_or_else(|(_, e)| panic!("locales/{}/{file}: {e:?}", lang.dir()));
        for entry in resource.body {
            match entry {
                ast::Entry::Message(m) => {
                    let id = m.id.name.to_string();
                    if let Some(value) = &m.value {
                        let previous = all.insert(id.clone(), variables(value));
                        assert!(previous.is_none(), "{id} twice in {}", lang.dir());
                    }
                    for attribute in &m.attributes {
                        all.insert(
                            format!("{id}.{}", attribute.id.name),
                            variables(&attribute.value),
                        );
                    }
                }
                ast::Entry::Junk { content } => {
                    panic!("locales/{}/{file}: cannot parse `{content}`", lang.dir())
                }
                _ => {}
            }
        }
    }
    all
}

fn variables(pattern: &ast::Pattern<&str>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, &mut found);
        }
    }
    found
}

fn expression_variables(expression: &ast::Expression<&str>, found: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, found);
            for variant in variants {
                found.extend(variables(&variant.value));
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, found),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, found: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            found.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, found),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for positional in &arguments.positional {
                inline_variables(positional, found);
            }
        }
        _ => {}
    }
}

#[test]
fn both_languages_hold_the_same_messages_with_the_same_arguments() {
    let en = entries(Lang::En);
    let zh = entries(Lang::Zh);
    let missing: Vec<_> = en.keys().filter(|id| !zh.contains_key(*id)).collect();
    let extra: Vec<_> = zh.keys().filter(|id| !en.contains_key(*id)).collect();
    assert!(missing.is_empty(), "not in Chinese: {missing:?}");
    assert!(extra.is_empty(), "only in Chinese: {extra:?}");
    let differ: Vec<_> = en
        .iter()
        .filter(|(id, vars)| zh[*id] != **vars)
        .map(|(id, vars)| format!("{id}: en {vars:?}, zh {:?}", zh[id]))
        .collect();
    assert!(differ.is_empty(), "arguments differ: {differ:#?}");
}

#[test]
fn no_message_is_empty_in_either_language() {
    for lang in Lang::ALL {
        for (file, source) in sources(lang) {
            let resource = fluent_syntax::parser::parse(source).unwrap();
            for entry in resource.body {
                if let ast::Entry::Message(m) = entry {
                    assert!(
                        m.value.is_some() || !m.attributes.is_empty(),
                        "locales/{}/{file}: {} is empty",
                        lang.dir(),
                        m.id.name
                    );
                }
            }
        }
    }
}

/// A `msg!("id", a = ..., b = ...)` in the code: the id and the argument names.
#[derive(Debug)]
struct Use {
    at: String,
    id: String,
    args: BTreeSet<String>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The `msg!` uses of a source file (a scanner, not a parser: enough for the macro's shape).
fn uses(path: &Path) -> Vec<Use> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut found = Vec::new();
    for (start, _) in text.match_indices("msg!(\"") {
        let rest = &text[start + 6..];
        let id: String = rest.chars().take_while(|c| *c != '"').collect();
        let body = &rest[id.len() + 1..];
        let mut depth = 1;
        let mut args = BTreeSet::new();
        let mut in_string = false;
        // The identifier just before, for `name = value`.
        let mut word = String::new();
        let mut chars = body.chars().peekable();
        let mut previous = ' ';
        while let Some(c) = chars.next() {
            let before = std::mem::replace(&mut previous, c);
            if in_string {
                if c == '\\' {
                    chars.next();
                } else if c == '"' {
                    in_string = false;
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                '=' if depth == 1
                    && !matches!(chars.peek(), Some('=' | '>'))
                    && !matches!(before, '=' | '!' | '<' | '>') =>
                {
                    args.insert(std::mem::take(&mut word));
                }
                _ => {}
            }
            if c.is_alphanumeric() || c == '_' {
                word.push(c);
            } else if !c.is_whitespace() {
                word.clear();
            }
        }
        let line = text[..start].lines().count();
        found.push(Use {
            at: format!("{}:{line}", path.display()),
            id,
            args,
        });
    }
    found
}

#[test]
fn every_message_the_code_names_is_in_the_catalog_with_its_arguments() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in [
        "crates/ferry-core/src",
        "crates/ferry-cli/src",
        "src-tauri/src",
    ] {
        rust_files(&root.join(dir), &mut files);
    }
    let en = entries(Lang::En);
    let mut problems = Vec::new();
    let mut count = 0;
    let catalog = |p: &&PathBuf| p.ends_with("catalog/tests.rs") || p.ends_with("src/catalog.rs");
    for path in files.iter().filter(|p| !catalog(p)) {
        for u in uses(path) {
            count += 1;
            match en.get(&u.id) {
                None => problems.push(format!("{}: no message `{}`", u.at, u.id)),
                Some(vars) => {
                    let attrs = en
                        .iter()
                        .filter(|(k, _)| k.starts_with(&format!("{}.", u.id)))
                        .flat_map(|(_, v)| v.iter());
                    let needed: BTreeSet<&String> = vars.iter().chain(attrs).collect();
                    let lacking: Vec<_> = needed.iter().filter(|v| !u.args.contains(**v)).collect();
                    if !lacking.is_empty() {
                        problems.push(format!("{}: `{}` lacks {lacking:?}", u.at, u.id));
                    }
                }
            }
        }
    }
    assert!(count > 0, "the scanner found no msg! at all");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_scanner_finds_ids_and_argument_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.rs");
    std::fs::write(
        &path,
        "let a = msg!(\"one-id\", host = f(x, y), n = if a == b { 1 } else { 2 });\n\
         let b = msg!(\"two\");",
    )
    .unwrap();
    let found = uses(&path);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].id, "one-id");
    assert_eq!(found[0].args.iter().collect::<Vec<_>>(), vec!["host", "n"]);
    assert_eq!(found[1].id, "two");
    assert!(found[1].args.is_empty());
}

#[test]
fn a_message_renders_its_arguments_in_each_language() {
    let m = crate::msg!("cancelled");
    assert_ne!(m.render(Lang::En), m.render(Lang::Zh));
    assert!(!m.render(Lang::Zh).is_empty());
}

#[test]
fn a_message_serializes_with_id_args_and_text_and_reads_back() {
    let m = crate::msg!("test-plural", count = 2);
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["id"], "test-plural");
    assert_eq!(json["args"]["count"], 2);
    assert_eq!(json["text"], m.render(lang()));
    let back: Msg = serde_json::from_value(json).unwrap();
    assert_eq!(back, m);
}

#[test]
fn plurals_follow_the_language() {
    assert_eq!(
        crate::msg!("test-plural", count = 1).render(Lang::En),
        "1 problem"
    );
    assert_eq!(
        crate::msg!("test-plural", count = 3).render(Lang::En),
        "3 problems"
    );
    assert_eq!(
        crate::msg!("test-plural", count = 3).render(Lang::Zh),
        "3 个问题"
    );
}

#[test]
fn an_unknown_id_renders_as_itself() {
    assert_eq!(
        Msg::new("no-such-message").render(Lang::Zh),
        "no-such-message"
    );
}
