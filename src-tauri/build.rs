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
            "inbox_tags",
            "unread_total",
            "open_conversation",
            "conversation_info",
            "messages_page",
            "send_message",
            "retry_message",
            "edit_message",
            "delete_message",
            "templates_for",
            "template_preview",
            "customer_details",
            "search_archive",
            "messages_around",
            "messages_after",
            "export_archive",
            "preview_import",
            "import_chat",
            "insights",
            "export_insights",
            "backup_archive",
            "check_backup",
            "restore_archive",
            "first_paint",
        ])),
    )
    .expect("tauri build step");
}
