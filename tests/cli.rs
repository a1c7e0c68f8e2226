//! The real binary, as scripts use it: data folder selection, JSON output, and exit codes.

use std::path::Path;
use std::process::{Command, Output};

use cubedesk::store::{Store, DB_FILE};
use serde_json::Value;

fn cubedesk(args: &[&str], env_dir: Option<&Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cubedesk"));
    cmd.args(args).env_remove("CUBEDESK_DATA_DIR").env("RUST_LOG", "warn");
    if let Some(d) = env_dir {
        cmd.env("CUBEDESK_DATA_DIR", d);
    }
    cmd.output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn status_creates_and_describes_a_fresh_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    let out = cubedesk(&["status", "--json", "--data-dir", dir.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(v["dataDir"], dir.display().to_string());
    assert_eq!(v["schemaVersion"], Store::supported_schema_version());
    assert_eq!(v["accounts"], 0);
    assert!(dir.join(DB_FILE).exists());
}

#[test]
fn the_environment_variable_chooses_the_folder_and_the_flag_wins_over_it() {
    let tmp = tempfile::tempdir().unwrap();
    let env_dir = tmp.path().join("from-env");
    let out = cubedesk(&["status", "--json"], Some(&env_dir));
    assert_eq!(json(&out)["dataDir"], env_dir.display().to_string());
    let flag_dir = tmp.path().join("from-flag");
    let out = cubedesk(&["status", "--json", "--data-dir", flag_dir.to_str().unwrap()], Some(&env_dir));
    assert_eq!(json(&out)["dataDir"], flag_dir.display().to_string());
}

#[test]
fn a_bad_archive_exits_3_with_a_message_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join(DB_FILE);
    std::fs::write(&db, b"PK\x03\x04 this is a zip file, not a database").unwrap();
    let out = cubedesk(&["status", "--data-dir", tmp.path().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&db.display().to_string()), "{stderr}");
    let out = cubedesk(&["status", "--json", "--data-dir", tmp.path().to_str().unwrap()], None);
    assert_eq!(json(&out)["code"], "DB_NOT_SQLITE");
}

#[test]
fn a_second_cubedesk_on_the_same_folder_exits_4_and_says_who_holds_it() {
    let tmp = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let held = rt.block_on(Store::open(tmp.path())).unwrap();
    let out = cubedesk(&["status", "--data-dir", tmp.path().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("already open"), "{stderr}");
    assert!(stderr.contains(&std::process::id().to_string()), "{stderr}");
    rt.block_on(held.close());
    let out = cubedesk(&["status", "--data-dir", tmp.path().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn unknown_arguments_exit_2_and_help_exits_0() {
    assert_eq!(cubedesk(&["--no-such-flag"], None).status.code(), Some(2));
    let help = cubedesk(&["--help"], None);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("--data-dir"));
}
