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

/// The archive commands as a script uses them: every answer in JSON, exit codes that mean
/// something, and the same results the window gets.
#[test]
fn search_export_import_stats_backup_and_restore_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("d");
    let dir = d.to_str().unwrap();
    let out = cubedesk(&["gen", "--messages", "3000", "--customers", "40", "--seed", "7", "--json", "--data-dir", dir], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json(&out)["messages"], 3000);

    let out = cubedesk(&["search", "الطلب", "--json", "--limit", "5", "--data-dir", dir], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let hits = json(&out)["hits"].as_array().unwrap().clone();
    assert_eq!(hits.len(), 5);
    assert!(hits.iter().all(|h| h["snippet"].as_array().unwrap().iter().any(|s| s["hit"] == true)));
    let out = cubedesk(&["search", "no-such-word-anywhere", "--data-dir", dir], None);
    assert_eq!(out.status.code(), Some(5), "nothing found");
    let out = cubedesk(&["search", "NEAR( \"x", "--direction", "inbound", "--data-dir", dir], None);
    assert!(matches!(out.status.code(), Some(0) | Some(5)), "FTS syntax is text: {}", String::from_utf8_lossy(&out.stderr));
    let out = cubedesk(&["search", "x", "--from", "yesterday", "--data-dir", dir], None);
    assert_eq!(out.status.code(), Some(7), "a bad date is refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));

    let export = tmp.path().join("all.json");
    let out = cubedesk(&["export", "--format", "json", "--out", export.to_str().unwrap(), "--json", "--data-dir", dir], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json(&out)["messages"], 3000);
    let out = cubedesk(&["export", "--out", tmp.path().join("no/such/dir/x.csv").to_str().unwrap(), "--json", "--data-dir", dir], None);
    assert_eq!((out.status.code(), json(&out)["code"].as_str()), (Some(7), Some("FILE_UNWRITABLE")));

    // A CubeDesk export is read back as is: every message is already there.
    let out = cubedesk(&["import", export.to_str().unwrap(), "--json", "--data-dir", dir], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!((json(&out)["imported"].as_u64(), json(&out)["duplicates"].as_u64()), (Some(0), Some(3000)));

    let chat = format!("{}/tests/fixtures/whatsapp/android_24h_day_first.txt", env!("CARGO_MANIFEST_DIR"));
    let out = cubedesk(&["import", &chat, "--phone", "+966 50 123 4567", "--dry-run", "--json", "--data-dir", dir], None);
    assert_eq!(out.status.code(), Some(0));
    let preview = json(&out);
    assert_eq!(preview["suggestedMe"], "Cube Store");
    let out = cubedesk(&["import", &chat, "--phone", "+966 50 123 4567", "--utc-offset", "-60", "--json", "--data-dir", dir], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json(&out)["imported"], preview["messages"]);
    let out = cubedesk(&["import", &chat, "--data-dir", dir], None);
    assert_eq!(out.status.code(), Some(7), "a chat file needs the customer's phone");
    let problems = format!("{}/tests/fixtures/whatsapp/problems.txt", env!("CARGO_MANIFEST_DIR"));
    let out = cubedesk(&["import", &problems, "--phone", "+966 50 999 0000", "--dry-run", "--data-dir", dir], None);
    assert_eq!(out.status.code(), Some(6), "unreadable lines are reported: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line "));

    let out = cubedesk(&["stats", "--from", "2000-01-01", "--to", "2100-01-01", "--json", "--data-dir", dir], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let s = json(&out);
    let total: i64 = s["days"].as_array().unwrap().iter().map(|d| d["inbound"].as_i64().unwrap() + d["outbound"].as_i64().unwrap()).sum();
    assert!(total > 2500 && total <= 3000 + 20, "every message but reactions counted: {total}");

    let backup = tmp.path().join("b.db");
    let out = cubedesk(&["backup", backup.to_str().unwrap(), "--json", "--data-dir", dir], None);
    assert_eq!(out.status.code(), Some(0));
    let out = cubedesk(&["restore", export.to_str().unwrap(), "--json", "--data-dir", dir], None);
    assert_eq!((out.status.code(), json(&out)["code"].as_str()), (Some(7), Some("BACKUP_INVALID")));
    let out = cubedesk(&["restore", backup.to_str().unwrap(), "--json", "--data-dir", dir], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(json(&out)["messages"].as_i64().unwrap() > 3000);

    for sub in ["search", "export", "import", "stats", "backup", "restore", "gen"] {
        let out = cubedesk(&[sub, "--help"], None);
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stdout).contains("Exit codes"), "{sub} --help explains its exit codes");
    }
}
