//! Figures about how the business answers its customers, computed from a conversation's messages
//! in time order: how long the first answer took, and which 24-hour windows closed unanswered.

use chrono::{DateTime, Duration, Utc};

use super::window::window_length;

/// One message as these figures see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Beat {
    pub conversation_id: i64,
    pub at: DateTime<Utc>,
    pub inbound: bool,
}

/// A window that closed while the customer's message waited for an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unanswered {
    pub conversation_id: i64,
    pub last_inbound_at: DateTime<Utc>,
    pub closed_at: DateTime<Utc>,
}

/// For each time a customer wrote after our last answer (or first): when they wrote, and how long
/// until we answered. Messages must be grouped by conversation and in time order within each.
pub fn first_responses(beats: &[Beat]) -> Vec<(DateTime<Utc>, Duration)> {
    let mut out = Vec::new();
    let mut waiting: Option<(i64, DateTime<Utc>)> = None;
    for b in beats {
        if waiting.is_some_and(|(c, _)| c != b.conversation_id) {
            waiting = None;
        }
        match (b.inbound, waiting) {
            (true, None) => waiting = Some((b.conversation_id, b.at)),
            (false, Some((_, since))) => {
                out.push((since, b.at - since));
                waiting = None;
            }
            _ => {}
        }
    }
    out
}

/// The median in minutes (the mean of the middle two for an even count); None for no data.
pub fn median_minutes(durations: &[Duration]) -> Option<f64> {
    let mut ms: Vec<i64> = durations.iter().map(|d| d.num_milliseconds()).collect();
    if ms.is_empty() {
        return None;
    }
    ms.sort_unstable();
    let mid = ms.len() / 2;
    let median = if ms.len() % 2 == 1 { ms[mid] as f64 } else { (ms[mid - 1] + ms[mid]) as f64 / 2.0 };
    Some(median / 60_000.0)
}

/// Windows that closed before `now` with the customer's last message unanswered: the customer
/// wrote, we never replied, and 24 hours passed since their last message. Grouped and ordered as
/// for [`first_responses`].
pub fn unanswered_windows(beats: &[Beat], now: DateTime<Utc>) -> Vec<Unanswered> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < beats.len() {
        let conv = beats[i].conversation_id;
        let mut pending_last: Option<DateTime<Utc>> = None;
        while i < beats.len() && beats[i].conversation_id == conv {
            let b = beats[i];
            if let Some(last) = pending_last {
                let closes = last + window_length();
                if b.at >= closes {
                    out.push(Unanswered { conversation_id: conv, last_inbound_at: last, closed_at: closes });
                }
            }
            pending_last = if b.inbound { Some(b.at) } else { None };
            i += 1;
        }
        if let Some(last) = pending_last {
            let closes = last + window_length();
            if closes <= now {
                out.push(Unanswered { conversation_id: conv, last_inbound_at: last, closed_at: closes });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(h)
    }
    fn b(c: i64, minute: i64, inbound: bool) -> Beat {
        Beat { conversation_id: c, at: t(minute), inbound }
    }

    #[test]
    fn the_first_answer_after_the_first_unanswered_message_counts_once() {
        // Customer writes at 0 and 5; we answer at 12 and 13; customer again at 100, we answer at 130.
        let beats = [b(1, 0, true), b(1, 5, true), b(1, 12, false), b(1, 13, false), b(1, 100, true), b(1, 130, false)];
        let r = first_responses(&beats);
        assert_eq!(r, vec![(t(0), Duration::minutes(12)), (t(100), Duration::minutes(30))]);
        let d: Vec<Duration> = r.iter().map(|x| x.1).collect();
        assert_eq!(median_minutes(&d), Some(21.0));
    }

    #[test]
    fn a_conversation_change_forgets_the_waiting_message() {
        let beats = [b(1, 0, true), b(2, 10, false), b(2, 20, true), b(2, 21, false)];
        assert_eq!(first_responses(&beats), vec![(t(20), Duration::minutes(1))]);
    }

    #[test]
    fn our_message_first_is_not_a_response() {
        assert!(first_responses(&[b(1, 0, false), b(1, 3, false)]).is_empty());
        assert_eq!(median_minutes(&[]), None);
        assert_eq!(median_minutes(&[Duration::minutes(7)]), Some(7.0));
    }

    #[test]
    fn a_window_closes_unanswered_24_hours_after_the_last_customer_message() {
        let day = 24 * 60;
        // Conversation 1: customer at 0 and 60, nothing from us, customer again two days later.
        // Conversation 2: answered in time. Conversation 3: still open at `now`.
        let beats = [
            b(1, 0, true),
            b(1, 60, true),
            b(1, 3 * day, true),
            b(2, 0, true),
            b(2, 30, false),
            b(3, 4 * day, true),
        ];
        let now = t(4 * day + 60);
        let r = unanswered_windows(&beats, now);
        assert_eq!(
            r,
            vec![
                Unanswered { conversation_id: 1, last_inbound_at: t(60), closed_at: t(60 + day) },
                Unanswered { conversation_id: 1, last_inbound_at: t(3 * day), closed_at: t(4 * day) },
            ]
        );
    }

    #[test]
    fn an_answer_after_the_window_closed_does_not_undo_it() {
        let day = 24 * 60;
        let beats = [b(1, 0, true), b(1, day + 5, false)];
        assert_eq!(unanswered_windows(&beats, t(2 * day)).len(), 1);
        // Exactly at the boundary the window has closed.
        let beats = [b(1, 0, true)];
        assert_eq!(unanswered_windows(&beats, t(day)).len(), 1);
        assert_eq!(unanswered_windows(&beats, t(day) - Duration::milliseconds(1)).len(), 0);
    }
}
