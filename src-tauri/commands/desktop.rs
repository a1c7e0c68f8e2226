//! The window among the others on the desktop: one CubeDesk per archive, and starting at login.

use std::path::Path;

use sha2::{Digest, Sha256};
use tauri::{AppHandle, Runtime};
use tauri_plugin_autostart::ManagerExt;

use super::error::{AppError, ErrorCode};

/// The name a running CubeDesk holds (on Linux, on the session bus) so that a second launch on
/// the same archive hands over to it. One per data folder: CubeDesk on another folder (the
/// tests, a second business) is another instance, as the archive's own lock already says.
pub fn instance_id(data_dir: &Path) -> String {
    let dir = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    let hash = Sha256::digest(dir.to_string_lossy().as_bytes());
    format!("io.cubeconnect.cubedesk.a{}", &hex::encode(hash)[..16])
}

fn login_item_error(e: impl std::fmt::Display) -> AppError {
    AppError::new(
        ErrorCode::Internal,
        format!("CubeDesk could not change whether it starts when you log in ({e}). Your system's startup settings were left as they were."),
    )
}

pub fn autostart_enabled<R: Runtime>(app: &AppHandle<R>) -> Result<bool, AppError> {
    app.autolaunch().is_enabled().map_err(login_item_error)
}

/// Starts CubeDesk at login, or stops doing so; returns the setting as the system now has it.
pub fn set_autostart<R: Runtime>(app: &AppHandle<R>, enabled: bool) -> Result<bool, AppError> {
    let manager = app.autolaunch();
    if enabled { manager.enable() } else { manager.disable() }.map_err(login_item_error)?;
    manager.is_enabled().map_err(login_item_error)
}

#[cfg(test)]
mod tests {
    use super::instance_id;

    #[test]
    fn one_instance_name_per_data_folder_valid_on_the_bus() {
        let a = instance_id(std::path::Path::new("/no/such/folder/a"));
        let b = instance_id(std::path::Path::new("/no/such/folder/b"));
        assert_ne!(a, b);
        assert_eq!(a, instance_id(std::path::Path::new("/no/such/folder/a")));
        // D-Bus name elements start with a letter and hold only [A-Za-z0-9_].
        assert!(a.split('.').all(|e| e.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && e.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')), "{a}");
        assert!(a.len() < 255);
    }
}
