//! The 24-hour customer-service window (contract decision 9).
//!
//! Free-form messages may be sent only while `now < last_inbound_at + 24h`; at exactly 24 h the
//! window is closed. When CubeConnect's session-status endpoint confirmed an `expires_at`, that
//! value wins over ours, unless we hold an inbound message newer than the one the server knew
//! about (then the server's answer is stale and the local computation is the better truth).

use chrono::{DateTime, Duration, Utc};

use super::clock::ClockOffset;

/// How long a window stays open after the customer's last inbound message.
pub fn window_length() -> Duration {
    Duration::hours(24)
}

/// A window is "closing" when this little time or less remains.
pub fn closing_threshold() -> Duration {
    Duration::hours(1)
}

/// What CubeConnect's session-status endpoint said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerWindow {
    pub expires_at: DateTime<Utc>,
    /// The last inbound time the server based `expires_at` on, when it told us.
    pub last_inbound_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowSource {
    /// Confirmed by CubeConnect's session-status endpoint.
    Server,
    /// Computed on this computer from the newest inbound message we hold.
    Local,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowPhase {
    /// The customer has never written: only templates may be sent.
    NeverOpened,
    Open,
    /// Open, with an hour or less left.
    Closing,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowState {
    pub active: bool,
    pub phase: WindowPhase,
    pub expires_at: Option<DateTime<Utc>>,
    /// Whole minutes left, rounded down; 0 when closed.
    pub remaining_minutes: i64,
    pub source: Option<WindowSource>,
}

/// The window at `local_now` (this machine's clock), corrected by the service's clock offset.
pub fn window_state(
    last_inbound_at: Option<DateTime<Utc>>,
    server: Option<ServerWindow>,
    local_now: DateTime<Utc>,
    offset: ClockOffset,
) -> WindowState {
    let now = offset.correct(local_now);
    let local_expiry = last_inbound_at.map(|t| t + window_length());

    let server_is_current = |s: &ServerWindow| match (last_inbound_at, s.last_inbound_at) {
        (Some(ours), Some(theirs)) => ours <= theirs,
        _ => true,
    };

    let (expires_at, source) = match server.filter(server_is_current) {
        Some(s) => (Some(s.expires_at), Some(WindowSource::Server)),
        None => (local_expiry, local_expiry.map(|_| WindowSource::Local)),
    };

    let Some(expires_at_value) = expires_at else {
        return WindowState {
            active: false,
            phase: WindowPhase::NeverOpened,
            expires_at: None,
            remaining_minutes: 0,
            source: None,
        };
    };

    let left = expires_at_value - now;
    let active = left > Duration::zero();
    let phase = if !active {
        WindowPhase::Closed
    } else if left <= closing_threshold() {
        WindowPhase::Closing
    } else {
        WindowPhase::Open
    };
    WindowState {
        active,
        phase,
        expires_at,
        remaining_minutes: if active { left.num_minutes() } else { 0 },
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn inbound() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 26, 14, 0, 0).unwrap()
    }

    fn at(d: Duration) -> DateTime<Utc> {
        inbound() + d
    }

    fn local(now: DateTime<Utc>) -> WindowState {
        window_state(Some(inbound()), None, now, ClockOffset::default())
    }

    #[test]
    fn open_right_after_the_inbound_message() {
        let w = local(inbound());
        assert!(w.active);
        assert_eq!(w.phase, WindowPhase::Open);
        assert_eq!(w.remaining_minutes, 24 * 60);
        assert_eq!(w.expires_at, Some(at(Duration::hours(24))));
        assert_eq!(w.source, Some(WindowSource::Local));
    }

    #[test]
    fn exactly_24_hours_is_closed() {
        let w = local(at(Duration::hours(24)));
        assert!(!w.active);
        assert_eq!(w.phase, WindowPhase::Closed);
        assert_eq!(w.remaining_minutes, 0);
    }

    #[test]
    fn one_millisecond_before_24_hours_is_open_with_zero_whole_minutes() {
        let w = local(at(Duration::hours(24) - Duration::milliseconds(1)));
        assert!(w.active);
        assert_eq!(w.phase, WindowPhase::Closing);
        assert_eq!(w.remaining_minutes, 0);
    }

    #[test]
    fn remaining_minutes_round_down() {
        // 1380 minutes and 59 seconds left -> 1380.
        let w = local(at(Duration::minutes(60) - Duration::seconds(59)));
        assert_eq!(w.remaining_minutes, 1380);
        let w = local(at(Duration::minutes(60)));
        assert_eq!(w.remaining_minutes, 1380);
        let w = local(at(Duration::minutes(60) + Duration::seconds(1)));
        assert_eq!(w.remaining_minutes, 1379);
    }

    #[test]
    fn long_after_is_closed_with_zero_minutes() {
        let w = local(at(Duration::days(40)));
        assert!(!w.active);
        assert_eq!(w.remaining_minutes, 0);
    }

    #[test]
    fn closing_phase_starts_at_one_hour_left() {
        assert_eq!(local(at(Duration::hours(23) - Duration::seconds(1))).phase, WindowPhase::Open);
        assert_eq!(local(at(Duration::hours(23))).phase, WindowPhase::Closing);
        assert_eq!(local(at(Duration::hours(23) + Duration::minutes(59))).phase, WindowPhase::Closing);
    }

    #[test]
    fn never_opened_without_any_inbound_message() {
        let w = window_state(None, None, inbound(), ClockOffset::default());
        assert!(!w.active);
        assert_eq!(w.phase, WindowPhase::NeverOpened);
        assert_eq!(w.expires_at, None);
        assert_eq!(w.source, None);
    }

    #[test]
    fn server_expiry_wins_over_the_local_one() {
        // The server says the window ends 2 h earlier than our own record suggests.
        let server = ServerWindow { expires_at: at(Duration::hours(22)), last_inbound_at: Some(inbound()) };
        let now = at(Duration::hours(23));
        let w = window_state(Some(inbound()), Some(server), now, ClockOffset::default());
        assert!(!w.active, "server said closed; local alone would say open");
        assert_eq!(w.source, Some(WindowSource::Server));
        assert_eq!(w.expires_at, Some(at(Duration::hours(22))));
    }

    #[test]
    fn server_expiry_is_used_when_we_hold_no_inbound_message() {
        let server = ServerWindow { expires_at: at(Duration::hours(2)), last_inbound_at: None };
        let w = window_state(None, Some(server), inbound(), ClockOffset::default());
        assert!(w.active);
        assert_eq!(w.remaining_minutes, 120);
        assert_eq!(w.source, Some(WindowSource::Server));
    }

    #[test]
    fn a_newer_local_inbound_beats_a_stale_server_answer() {
        let newer = at(Duration::hours(30));
        let server = ServerWindow { expires_at: at(Duration::hours(24)), last_inbound_at: Some(inbound()) };
        let w = window_state(Some(newer), Some(server), at(Duration::hours(31)), ClockOffset::default());
        assert!(w.active);
        assert_eq!(w.source, Some(WindowSource::Local));
        assert_eq!(w.expires_at, Some(newer + Duration::hours(24)));
    }

    #[test]
    fn clock_offset_moves_now() {
        // Our clock reads 23:30 after the message, but the service is 31 minutes ahead: closed.
        let local_now = at(Duration::hours(23) + Duration::minutes(30));
        let ahead = ClockOffset(Duration::minutes(31));
        let w = window_state(Some(inbound()), None, local_now, ahead);
        assert!(!w.active);
        // And a service 31 minutes behind leaves 61 minutes.
        let behind = ClockOffset(Duration::minutes(-31));
        let w = window_state(Some(inbound()), None, local_now, behind);
        assert!(w.active);
        assert_eq!(w.remaining_minutes, 61);
        assert_eq!(w.phase, WindowPhase::Open);
    }
}
