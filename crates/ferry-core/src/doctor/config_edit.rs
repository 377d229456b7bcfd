//! Fixes that change `ferry.toml`: edited in place with `toml_edit`, so the user's comments and
//! layout stay, and checked by Ferry's own parser before they are offered.

use super::finding::FileEdit;
use crate::formats::config::{Config, Project, FILE_NAME};
use toml_edit::DocumentMut;

/// An edit of the project's `ferry.toml` made by `change`, or `None` when the file cannot be
/// read or the result would not load.
pub fn edit_config(project: &Project, change: impl FnOnce(&mut DocumentMut)) -> Option<FileEdit> {
    let before = std::fs::read_to_string(&project.path).ok()?;
    let after = edit_text(&before, change)?;
    Config::parse(&after, &project.path).ok()?;
    let relative = project
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| FILE_NAME.to_string());
    Some(FileEdit::replace(relative, before.as_bytes(), after))
}

fn edit_text(before: &str, change: impl FnOnce(&mut DocumentMut)) -> Option<String> {
    let mut doc: DocumentMut = before.parse().ok()?;
    change(&mut doc);
    Some(doc.to_string())
}

/// Sets `table.key = value` (creating the table when it is missing).
pub fn set(doc: &mut DocumentMut, table: &str, key: &str, value: impl Into<toml_edit::Value>) {
    let t = doc[table].or_insert(toml_edit::table());
    let mut value = value.into();
    // Keep the old value's surroundings (a comment after it, its spacing).
    if let Some(old) = t.get(key).and_then(|i| i.as_value()) {
        *value.decor_mut() = old.decor().clone();
    }
    t[key] = toml_edit::Item::Value(value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_keeps_comments_and_other_keys() {
        let before =
            "# my app\n[app]\nname = \"hello\" # the name\nplatform = \"linux/arm64\" # laptop\n";
        let after = edit_text(before, |doc| set(doc, "app", "platform", "auto")).unwrap();
        assert_eq!(
            after,
            "# my app\n[app]\nname = \"hello\" # the name\nplatform = \"auto\" # laptop\n"
        );
    }

    #[test]
    fn a_missing_table_is_created() {
        let after = edit_text("[app]\nname = \"a\"\n", |doc| {
            set(doc, "container", "restart", "always")
        })
        .unwrap();
        assert!(
            after.contains("[container]\nrestart = \"always\"\n"),
            "{after}"
        );
    }
}
