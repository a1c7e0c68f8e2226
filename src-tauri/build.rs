fn main() {
    // App commands are listed here so that each needs an explicit permission in
    // capabilities/default.json: the webview can call only what the UI uses.
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(&[
            "app_status",
            "start_demo",
            "stop_demo",
            "inbox_page",
            "check_account_form",
            "connect_account",
            "update_account",
            "remove_account",
            "account_secrets",
            "sync_status",
        ])),
    )
    .expect("tauri build step");
}
