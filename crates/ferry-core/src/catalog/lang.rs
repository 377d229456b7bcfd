//! Which language the process speaks: chosen once (the CLI's `--lang`, the OS locale, the app's
//! setting), read wherever a text is rendered.

use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU8, Ordering};
use unic_langid::LanguageIdentifier;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    En,
    Zh,
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// The language texts are rendered in; English until [`set_lang`].
pub fn lang() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Zh,
        _ => Lang::En,
    }
}

pub fn set_lang(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// `en`, `zh`, or a locale or BCP 47 tag: `zh_CN.UTF-8`, `zh-Hans-CN`, `en_US`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::Zh)
        } else if tag.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The user's language: from the POSIX locale variables where one is set (LC_ALL, then
    /// LC_MESSAGES, then LANG, as `gettext` reads them), otherwise from the OS (the Windows UI
    /// language). English when it is neither English nor Chinese.
    pub fn detect() -> Lang {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let posix = var("LC_ALL")
            .or_else(|| var("LC_MESSAGES"))
            .or_else(|| var("LANG"));
        match posix {
            Some(tag) => Lang::from_tag(&tag),
            None => sys_locale::get_locale().and_then(|tag| Lang::from_tag(&tag)),
        }
        .unwrap_or(Lang::En)
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// Between the items of a list.
    pub fn list_separator(self) -> &'static str {
        match self {
            Lang::En => ", ",
            Lang::Zh => "、",
        }
    }

    /// The catalog's folder under `locales/`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    pub fn langid(self) -> LanguageIdentifier {
        self.dir().parse().expect("a valid language tag")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_of_locales_and_bcp47_name_the_language() {
        assert_eq!(Lang::from_tag("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("zh-Hans-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_tag("zh"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("C.UTF-8"), None);
        assert_eq!(Lang::from_tag("de_DE"), None);
    }
}
