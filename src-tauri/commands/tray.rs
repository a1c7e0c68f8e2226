//! The tray icon: the unread count in its tooltip, and a menu to open the window, pause sync and
//! quit. Many minimal Linux desktops have no tray; CubeDesk then runs without one and says so in
//! the log and the diagnostics.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime};

use super::app::AppState;

const OPEN: &str = "tray-open";
const PAUSE: &str = "tray-pause";
const QUIT: &str = "tray-quit";

/// Why there is no tray icon, when there is none (for the diagnostics).
pub static UNAVAILABLE: Mutex<Option<String>> = Mutex::new(None);
static SHOWN_UNREAD: Mutex<Option<i64>> = Mutex::new(None);
static REFRESHING: AtomicBool = AtomicBool::new(false);
static DIRTY: AtomicBool = AtomicBool::new(false);

/// The tray's menu entry that pauses or resumes, kept to change its text.
pub struct TrayState<R: Runtime> {
    pub icon: TrayIcon<R>,
    pause: MenuItem<R>,
}

/// Brings the window back: shown, unminimised, in front.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}

/// On Linux the tray needs the AppIndicator library, which the tray code would otherwise demand
/// with a crash; look for it first.
fn tray_library_missing() -> Option<String> {
    #[cfg(target_os = "linux")]
    {
        let names = ["libayatana-appindicator3.so.1", "libappindicator3.so.1", "libayatana-appindicator3.so", "libappindicator3.so"];
        // SAFETY: loading a system library whose initialisers have no preconditions; it is
        // closed again at once.
        if !names.iter().any(|n| unsafe { libloading::Library::new(n) }.is_ok()) {
            return Some("this desktop has no AppIndicator library (libayatana-appindicator3), so CubeDesk shows no tray icon".into());
        }
    }
    None
}

pub fn install<R: Runtime>(app: &AppHandle<R>) {
    if let Some(why) = tray_library_missing() {
        tracing::warn!("{why}");
        *UNAVAILABLE.lock().unwrap_or_else(|e| e.into_inner()) = Some(why);
        return;
    }
    match build(app) {
        Ok(state) => {
            app.manage(state);
        }
        Err(e) => {
            let why = format!("the tray icon could not be shown ({e})");
            tracing::warn!("{why}");
            *UNAVAILABLE.lock().unwrap_or_else(|e| e.into_inner()) = Some(why);
        }
    }
}

fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<TrayState<R>> {
    let open = MenuItem::with_id(app, OPEN, "Open CubeDesk", true, None::<&str>)?;
    let pause = MenuItem::with_id(app, PAUSE, "Pause sync", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, QUIT, "Quit CubeDesk", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &pause, &PredefinedMenuItem::separator(app)?, &quit])?;
    let mut tray = TrayIconBuilder::with_id("main").menu(&menu).tooltip("CubeDesk").show_menu_on_left_click(false);
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    let icon = tray
        .on_menu_event(|app, event| match event.id().as_ref() {
            OPEN => show_main(app),
            PAUSE => {
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    let state = app.state::<AppState>();
                    let paused = !state.sync_paused.fetch_xor(true, Ordering::SeqCst);
                    super::set_sync_paused(&state, paused).await;
                    show_paused(&app, paused);
                });
            }
            QUIT => app.exit(0),
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click { button: MouseButton::Left, button_state: MouseButtonState::Up, .. } = event {
                show_main(tray.app_handle());
            }
        })
        .build(app)?;
    Ok(TrayState { icon, pause })
}

/// The menu says what choosing it will do.
pub fn show_paused<R: Runtime>(app: &AppHandle<R>, paused: bool) {
    if let Some(t) = app.try_state::<TrayState<R>>() {
        let _ = t.pause.set_text(if paused { "Resume sync" } else { "Pause sync" });
    }
}

/// The tooltip's text for `unread` messages.
pub fn tooltip(unread: i64) -> String {
    match unread {
        0 => "CubeDesk: no unread messages".into(),
        1 => "CubeDesk: 1 unread message".into(),
        n => format!("CubeDesk: {n} unread messages"),
    }
}

/// Recounts unread messages for the tooltip after a change. One recount runs at a time; changes
/// during it are picked up by one more recount, so the last change is always counted.
pub fn refresh_unread<R: Runtime>(app: &AppHandle<R>) {
    if app.try_state::<TrayState<R>>().is_none() {
        return;
    }
    DIRTY.store(true, Ordering::SeqCst);
    if REFRESHING.swap(true, Ordering::SeqCst) {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            while DIRTY.swap(false, Ordering::SeqCst) {
                let unread = super::unread_total_of(&app.state::<AppState>()).await.unwrap_or(0);
                show_unread(&app, unread);
            }
            REFRESHING.store(false, Ordering::SeqCst);
            // A change that came after the last recount but before the line above.
            if !DIRTY.load(Ordering::SeqCst) || REFRESHING.swap(true, Ordering::SeqCst) {
                break;
            }
        }
    });
}

fn show_unread<R: Runtime>(app: &AppHandle<R>, unread: i64) {
    let mut shown = SHOWN_UNREAD.lock().unwrap_or_else(|e| e.into_inner());
    if *shown == Some(unread) {
        return;
    }
    *shown = Some(unread);
    if let Some(t) = app.try_state::<TrayState<R>>() {
        let _ = t.icon.set_tooltip(Some(tooltip(unread)));
        // Linux trays show no tooltips; the count stands beside the icon instead.
        #[cfg(target_os = "linux")]
        let _ = t.icon.set_title(Some(if unread > 0 { unread.to_string() } else { String::new() }));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tooltip_counts_in_words() {
        assert_eq!(super::tooltip(0), "CubeDesk: no unread messages");
        assert_eq!(super::tooltip(1), "CubeDesk: 1 unread message");
        assert_eq!(super::tooltip(12), "CubeDesk: 12 unread messages");
    }
}
