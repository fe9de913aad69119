//! Updater errors as the merchant reads them: a stable code for the UI and one Romanian /
//! English sentence saying what happened and that nothing changed when nothing did.

use crate::CommandError;

/// An updater error as the merchant reads it (RO / EN) with a stable code.
pub fn update_error(err: tauri_plugin_updater::Error) -> CommandError {
    use tauri_plugin_updater::Error as E;
    let detail = err.to_string();
    let (code, ro, en) = match &err {
        E::Minisign(_)
        | E::Base64(_)
        | E::SignatureUtf8(_)
        | E::SignedVersionMismatch { .. }
        | E::MissingSignedVersion => (
            "update.bad_signature",
            "Actualizarea nu are o semnătură validă Punte și a fost refuzată; nu s-a schimbat nimic",
            "The update does not carry a valid Punte signature and was refused; nothing was changed",
        ),
        E::Reqwest(_) | E::Network(_) | E::ReleaseNotFound => (
            "update.unreachable",
            "Serverul de actualizări nu răspunde; Punte încearcă din nou mai târziu",
            "The update server does not answer; Punte tries again later",
        ),
        E::AuthenticationFailed | E::PackageInstallFailed | E::DebInstallFailed => (
            "update.install_failed",
            "Instalarea nu s-a făcut (parola de administrator a fost refuzată sau instalarea a eșuat); versiunea curentă rămâne",
            "The install did not happen (the administrator password was refused or the install failed); the current version stays",
        ),
        _ => (
            "update.failed",
            "Actualizarea nu a reușit; versiunea curentă rămâne",
            "The update did not succeed; the current version stays",
        ),
    };
    CommandError::new(code, format!("{ro} / {en} ({detail})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_errors_say_nothing_changed_in_both_languages() {
        let err = update_error(tauri_plugin_updater::Error::MissingSignedVersion);
        assert_eq!(err.code, "update.bad_signature");
        assert!(err.message.contains("nu s-a schimbat nimic"));
        assert!(err.message.contains("nothing was changed"));
        let err = update_error(tauri_plugin_updater::Error::ReleaseNotFound);
        assert_eq!(err.code, "update.unreachable");
    }
}
