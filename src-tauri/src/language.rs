//! The interface language, shared by the window and the system notifications: the merchant's
//! choice (saved in the profile, `ui.language`), else the operating system's locale (`ro…` →
//! Romanian), else English. The window tells the backend the language it shows
//! (`set_ui_language`), so notifications sent while it is closed speak the same language.

use std::sync::RwLock;

use chrono::Utc;
use serde::Serialize;
use tauri::State;

use crate::backend::Backend;
use crate::commands::{invalid, store_error};
use crate::{Arg, CommandError};

/// The profile setting holding the merchant's choice.
pub const SETTING: &str = "ui.language";

/// A language the interface speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ro,
    En,
}

impl Lang {
    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "ro" => Some(Self::Ro),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Self::Ro => "ro",
            Self::En => "en",
        }
    }
}

/// The language notifications use now (managed state).
pub struct UiLanguage(RwLock<Lang>);

impl UiLanguage {
    /// Starts with the operating system's language.
    pub fn from_os() -> Self {
        Self(RwLock::new(os_language().unwrap_or(Lang::En)))
    }

    pub fn get(&self) -> Lang {
        *self
            .0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn set(&self, lang: Lang) {
        *self
            .0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = lang;
    }
}

/// The language of a POSIX locale name ("ro_RO.UTF-8", "ro", "en_GB"); `None` for "C"/"POSIX".
pub fn locale_language(name: &str) -> Option<Lang> {
    let lang = name
        .split(['_', '.', '@', '-'])
        .next()?
        .to_ascii_lowercase();
    match lang.as_str() {
        "" | "c" | "posix" => None,
        "ro" | "mo" => Some(Lang::Ro),
        _ => Some(Lang::En),
    }
}

/// The OS locale from the environment (LC_ALL, then LC_MESSAGES, then LANG), as on Linux and
/// macOS terminals; `None` when none is set.
pub fn os_language() -> Option<Lang> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .and_then(|v| locale_language(&v))
}

/// What `ui_language` answers.
#[derive(Debug, Serialize)]
pub struct LanguageView {
    /// The merchant's saved choice.
    pub saved: Option<Lang>,
    /// The operating system's language, when it says.
    pub os: Option<Lang>,
}

#[tauri::command]
pub async fn ui_language(backend: State<'_, Backend>) -> Result<LanguageView, CommandError> {
    let store = backend.profile().await?;
    let saved = store
        .call(|s| s.setting(SETTING))
        .await
        .map_err(store_error)?
        .and_then(|v| v.as_str().and_then(Lang::parse));
    Ok(LanguageView {
        saved,
        os: os_language(),
    })
}

/// The window shows `language`; with `chosen`, the merchant picked it and it is saved.
#[tauri::command]
pub async fn set_ui_language(
    backend: State<'_, Backend>,
    current: State<'_, UiLanguage>,
    language: Arg<String>,
    chosen: Arg<Option<bool>>,
) -> Result<LanguageView, CommandError> {
    let word = language.get("language")?;
    let chosen = chosen.get("chosen")?.unwrap_or(false);
    let lang = Lang::parse(&word).ok_or_else(|| {
        invalid("Limba este ro sau en / The language is ro or en").with("arg", "language")
    })?;
    current.set(lang);
    if chosen {
        let store = backend.profile().await?;
        store
            .call(move |s| s.set_setting(SETTING, &serde_json::json!(lang.word()), Utc::now()))
            .await
            .map_err(store_error)?;
    }
    ui_language(backend).await
}

/// Sets the notifications' language from the saved choice, once the profile opens.
pub fn load_saved<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    use tauri::Manager;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let Some(backend) = app.try_state::<Backend>() else {
            return;
        };
        let Ok(store) = backend.profile().await else {
            return;
        };
        let saved = store.call(|s| s.setting(SETTING)).await.ok().flatten();
        if let Some(lang) = saved.and_then(|v| v.as_str().and_then(Lang::parse))
            && let Some(current) = app.try_state::<UiLanguage>()
        {
            current.set(lang);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_romanian_locale_means_romanian() {
        assert_eq!(locale_language("ro_RO.UTF-8"), Some(Lang::Ro));
        assert_eq!(locale_language("ro"), Some(Lang::Ro));
        assert_eq!(locale_language("en_GB.UTF-8"), Some(Lang::En));
        assert_eq!(locale_language("de_DE@euro"), Some(Lang::En));
        assert_eq!(locale_language("C.UTF-8"), None);
        assert_eq!(locale_language("POSIX"), None);
    }
}
