//! Every text Ferry's core shows a user, as a stable id with arguments ([`Msg`]), rendered from
//! one Fluent catalog per language: `locales/en/*.ftl` and `locales/zh-CN/*.ftl` at the root of
//! the repository, which the app's UI loads too.
//!
//! Fluent (Mozilla's `fluent-bundle`) rather than a hand-rolled format: plurals and selectors
//! per language, named arguments, attributes (`.hint`), and a JavaScript implementation of the
//! same syntax for the UI, so both sides render the same files.

mod lang;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
pub use lang::{lang, set_lang, Lang};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The catalog's files, in both languages. A file holds one family of texts.
macro_rules! catalog_files {
    ($($name:literal),* $(,)?) => {
        pub const FILES: &[&str] = &[$($name),*];
        const EN: &[&str] = &[$(include_str!(concat!("../../../locales/en/", $name))),*];
        const ZH: &[&str] = &[$(include_str!(concat!("../../../locales/zh-CN/", $name))),*];
    };
}
catalog_files!(
    "core.ftl",
    "checks.ftl",
    "plan.ftl",
    "ship.ftl",
    "server.ftl",
    "gobuild.ftl",
    "images.ftl",
    "ui.ftl"
);

/// A text to show: a catalog id and its arguments. Rendered in the process's language by
/// `Display`; serialized as `{"id", "args", "text"}` so the app can render it in its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    id: Cow<'static, str>,
    args: BTreeMap<String, Arg>,
}

/// An argument of a message: a text, a number (which may select a plural), or a message of its
/// own, rendered in the same language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    Int(i64),
    Str(String),
    Msg(Msg),
    /// Messages shown as a list: `a, b, c` (Chinese: `a、b、c`).
    List(Vec<Msg>),
}

impl Msg {
    pub fn new(id: &'static str) -> Msg {
        Msg {
            id: Cow::Borrowed(id),
            args: BTreeMap::new(),
        }
    }

    pub fn arg(mut self, name: &str, value: impl Into<Arg>) -> Msg {
        self.args.insert(name.to_string(), value.into());
        self
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn args(&self) -> &BTreeMap<String, Arg> {
        &self.args
    }

    /// The text in `lang`. A message the catalog lacks shows as its id (a test keeps every id
    /// the code uses in both languages).
    pub fn render(&self, lang: Lang) -> String {
        self.format(lang, None)
            .unwrap_or_else(|| self.id.to_string())
    }

    /// An attribute of the message (`.hint`), in `lang`, when it has one.
    pub fn attribute(&self, name: &str, lang: Lang) -> Option<String> {
        self.format(lang, Some(name))
    }

    /// The text in the process's language ([`lang`]).
    pub fn text(&self) -> String {
        self.render(lang())
    }

    fn format(&self, lang: Lang, attribute: Option<&str>) -> Option<String> {
        let bundle = bundle(lang);
        let message = bundle.get_message(&self.id)?;
        let pattern = match attribute {
            Some(name) => message.get_attribute(name)?.value(),
            None => message.value()?,
        };
        let mut args = FluentArgs::new();
        for (name, value) in &self.args {
            let value = match value {
                Arg::Int(n) => FluentValue::from(*n),
                Arg::Str(s) => FluentValue::from(s.as_str()),
                Arg::Msg(m) => FluentValue::from(m.render(lang)),
                Arg::List(items) => {
                    let items: Vec<String> = items.iter().map(|m| m.render(lang)).collect();
                    FluentValue::from(items.join(lang.list_separator()))
                }
            };
            args.set(name.as_str(), value);
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
        Some(text.into_owned())
    }
}

/// Nothing to say: the `empty` message.
impl Default for Msg {
    fn default() -> Msg {
        Msg::new("empty")
    }
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

/// `msg!("id", name = value, ...)`: a [`Msg`] with its arguments.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::catalog::Msg::new($id)$(.arg(stringify!($name), $value))*
    };
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Str(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Str(s.to_string())
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Str(s.clone())
    }
}

impl From<Msg> for Arg {
    fn from(m: Msg) -> Arg {
        Arg::Msg(m)
    }
}

impl From<Vec<Msg>> for Arg {
    fn from(items: Vec<Msg>) -> Arg {
        Arg::List(items)
    }
}

impl From<&std::path::Path> for Arg {
    fn from(p: &std::path::Path) -> Arg {
        Arg::Str(p.display().to_string())
    }
}

impl From<&std::path::PathBuf> for Arg {
    fn from(p: &std::path::PathBuf) -> Arg {
        Arg::Str(p.display().to_string())
    }
}

macro_rules! int_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Int(n as i64)
            }
        }
    )*};
}
int_args!(i32, i64, u8, u16, u32, u64, usize);

impl Serialize for Msg {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown<'a> {
            id: &'a str,
            #[serde(skip_serializing_if = "BTreeMap::is_empty")]
            args: &'a BTreeMap<String, Arg>,
            text: String,
        }
        Shown {
            id: &self.id,
            args: &self.args,
            text: self.text(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Msg {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Msg, D::Error> {
        #[derive(Deserialize)]
        struct Read {
            id: String,
            #[serde(default)]
            args: BTreeMap<String, Arg>,
        }
        let read = Read::deserialize(deserializer)?;
        Ok(Msg {
            id: Cow::Owned(read.id),
            args: read.args,
        })
    }
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static EN_BUNDLE: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    static ZH_BUNDLE: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    match lang {
        Lang::En => EN_BUNDLE.get_or_init(|| build(lang, EN)),
        Lang::Zh => ZH_BUNDLE.get_or_init(|| build(lang, ZH)),
    }
}

fn build(lang: Lang, sources: &[&str]) -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang.langid()]);
    // Bidi isolation marks would end up in terminals and logs.
    bundle.set_use_isolating(false);
    for (name, source) in FILES.iter().zip(sources) {
        let resource = FluentResource::try_new(source.to_string())
            .unwrap_or_else(|(_, e)| panic!("locales/{}/{name}: {e:?}", lang.dir()));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|e| panic!("locales/{}/{name}: {e:?}", lang.dir()));
    }
    bundle
}

/// Every catalog source of `lang` with its file name, for the checks of the catalog.
pub fn sources(lang: Lang) -> impl Iterator<Item = (&'static str, &'static str)> {
    let texts = match lang {
        Lang::En => EN,
        Lang::Zh => ZH,
    };
    FILES.iter().copied().zip(texts.iter().copied())
}

/// A size for people: `512 B`, `3.0 MB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests;
