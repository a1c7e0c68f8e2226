//! Where the archive lives, and the lock that keeps a second CubeDesk (app or daemon) off it.

use std::ffi::OsString;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::error::StoreError;

pub const DATA_DIR_ENV: &str = "CUBEDESK_DATA_DIR";
pub const DB_FILE: &str = "cubedesk.db";
pub const LOCK_FILE: &str = "cubedesk.lock";

/// The platform's app-data folder for CubeDesk: `~/.local/share/cubedesk` on Linux,
/// `~/Library/Application Support/io.CubeConnect.CubeDesk` on macOS,
/// `%APPDATA%\CubeConnect\CubeDesk\data` on Windows.
pub fn platform_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("io", "CubeConnect", "CubeDesk").map(|d| d.data_dir().to_path_buf())
}

/// The `--data-dir` flag wins over `CUBEDESK_DATA_DIR`, which wins over the platform folder.
/// Empty values count as unset; relative paths are taken from the current folder.
pub fn resolve_data_dir(
    flag: Option<PathBuf>,
    env: Option<OsString>,
    platform: Option<PathBuf>,
) -> Result<PathBuf, StoreError> {
    let chosen = flag
        .filter(|p| !p.as_os_str().is_empty())
        .or_else(|| env.filter(|v| !v.is_empty()).map(PathBuf::from))
        .or(platform)
        .ok_or(StoreError::NoDataDir)?;
    std::path::absolute(&chosen)
        .map_err(|e| StoreError::DataDirUnwritable { path: chosen.clone(), reason: e.to_string() })
}

/// Held for as long as CubeDesk uses a data folder; the OS releases it if the process dies.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
    dir: PathBuf,
}

impl DataDirLock {
    /// Creates the folder if needed and takes its lock, or says who holds it.
    pub fn acquire(dir: &Path) -> Result<DataDirLock, StoreError> {
        let unwritable = |e: std::io::Error| StoreError::DataDirUnwritable { path: dir.to_path_buf(), reason: plain_io(&e) };
        std::fs::create_dir_all(dir).map_err(unwritable)?;
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(dir.join(LOCK_FILE))
            .map_err(unwritable)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                return Err(StoreError::AlreadyRunning { path: dir.to_path_buf(), holder: holder.trim().parse().ok() });
            }
            Err(TryLockError::Error(e)) => return Err(unwritable(e)),
        }
        // Who holds it, for the message a second instance shows.
        file.set_len(0).and_then(|_| file.seek(SeekFrom::Start(0))).and_then(|_| {
            write!(file, "{}", std::process::id())?;
            file.sync_all()
        })
        .map_err(unwritable)?;
        Ok(DataDirLock { _file: file, dir: dir.to_path_buf() })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

fn plain_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        PermissionDenied => "permission denied".into(),
        ReadOnlyFilesystem => "the disk is read-only".into(),
        NotADirectory => "part of the path is a file, not a folder".into(),
        StorageFull => "the disk is full".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_beats_env_beats_platform() {
        let p = |s: &str| Some(PathBuf::from(s));
        assert_eq!(resolve_data_dir(p("/flag"), Some("/env".into()), p("/plat")).unwrap(), PathBuf::from("/flag"));
        assert_eq!(resolve_data_dir(None, Some("/env".into()), p("/plat")).unwrap(), PathBuf::from("/env"));
        assert_eq!(resolve_data_dir(None, None, p("/plat")).unwrap(), PathBuf::from("/plat"));
    }

    #[test]
    fn empty_values_count_as_unset() {
        let got = resolve_data_dir(Some(PathBuf::new()), Some(OsString::new()), Some("/plat".into())).unwrap();
        assert_eq!(got, PathBuf::from("/plat"));
        assert!(matches!(resolve_data_dir(None, Some(OsString::new()), None), Err(StoreError::NoDataDir)));
    }

    #[test]
    fn relative_paths_become_absolute() {
        let got = resolve_data_dir(Some("rel/dir".into()), None, None).unwrap();
        assert!(got.is_absolute());
        assert!(got.ends_with("rel/dir"));
    }

    #[test]
    fn the_platform_folder_is_named_for_cubedesk() {
        if let Some(dir) = platform_data_dir() {
            assert!(dir.to_string_lossy().to_lowercase().contains("cubedesk"), "{dir:?}");
        }
    }
}
