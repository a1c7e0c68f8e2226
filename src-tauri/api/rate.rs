//! One rate-limit budget per account (decision 11): what `X-RateLimit-*` last said, so the client
//! slows down before the service refuses it. The plan's limit is per minute.

use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Default)]
pub struct RateBudget {
    limit: Option<u32>,
    remaining: Option<u32>,
    /// When the current minute's figures were read.
    observed_at: Option<Instant>,
    /// Not before this instant (after a 429, or an exhausted budget).
    hold_until: Option<Instant>,
    last_request: Option<Instant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RateSnapshot {
    pub limit: Option<u32>,
    pub remaining: Option<u32>,
}

impl RateBudget {
    /// Records the headers of a response.
    pub fn observe(&mut self, limit: Option<u32>, remaining: Option<u32>, now: Instant) {
        if limit.is_some() {
            self.limit = limit;
        }
        if remaining.is_some() {
            self.remaining = remaining;
            self.observed_at = Some(now);
        }
    }

    /// Records a 429: wait `cool_down` (the caller's back-off) before the next request. When the
    /// refusal carried `X-RateLimit-Remaining: 0`, [`observe`](Self::observe) already holds
    /// requests until the minute is over.
    pub fn refused(&mut self, cool_down: Duration, now: Instant) {
        let until = now + cool_down;
        self.hold_until = Some(self.hold_until.map_or(until, |h| h.max(until)));
    }

    /// How long to wait before the next request, and counts that request as made.
    pub fn acquire(&mut self, now: Instant) -> Duration {
        let mut wait = Duration::ZERO;
        if let Some(h) = self.hold_until {
            wait = wait.max(h.saturating_duration_since(now));
        }
        if let (Some(remaining), Some(at)) = (self.remaining, self.observed_at) {
            let window_end = at + WINDOW;
            if now < window_end {
                if remaining == 0 {
                    wait = wait.max(window_end - now);
                } else if let (Some(limit), Some(last)) = (self.limit, self.last_request) {
                    // Under a tenth of the budget left: spread what remains over the minute.
                    if limit > 0 && remaining * 10 < limit {
                        let spacing = WINDOW / limit;
                        wait = wait.max((last + spacing).saturating_duration_since(now));
                    }
                }
                self.remaining = Some(remaining.saturating_sub(1));
            } else {
                // A new minute: the old figures say nothing any more.
                self.remaining = None;
                self.observed_at = None;
            }
        }
        self.last_request = Some(now + wait);
        wait
    }

    pub fn snapshot(&self) -> RateSnapshot {
        RateSnapshot { limit: self.limit, remaining: self.remaining }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_budget_never_waits() {
        let mut b = RateBudget::default();
        let now = Instant::now();
        assert_eq!(b.acquire(now), Duration::ZERO);
        assert_eq!(b.acquire(now), Duration::ZERO);
    }

    #[test]
    fn an_exhausted_budget_waits_for_the_next_minute() {
        let mut b = RateBudget::default();
        let t0 = Instant::now();
        b.observe(Some(60), Some(0), t0);
        let wait = b.acquire(t0 + Duration::from_secs(20));
        assert_eq!(wait, Duration::from_secs(40));
        // After the minute, figures are forgotten.
        assert_eq!(b.acquire(t0 + Duration::from_secs(61)), Duration::ZERO);
    }

    #[test]
    fn a_nearly_used_budget_spaces_requests_out() {
        let t0 = Instant::now();
        let mut plenty = RateBudget::default();
        plenty.observe(Some(60), Some(30), t0);
        assert_eq!(plenty.acquire(t0), Duration::ZERO);
        assert_eq!(plenty.acquire(t0), Duration::ZERO, "plenty left: no spacing");

        let mut low = RateBudget::default();
        low.observe(Some(60), Some(5), t0);
        // 5 of 60 left: one request per second (60 s / 60), queued one after another.
        assert_eq!(low.acquire(t0), Duration::ZERO, "no request made yet");
        assert_eq!(low.acquire(t0), Duration::from_secs(1));
        assert_eq!(low.acquire(t0), Duration::from_secs(2));
    }

    #[test]
    fn local_counting_prevents_overshoot_between_responses() {
        let mut b = RateBudget::default();
        let t0 = Instant::now();
        b.observe(Some(10), Some(2), t0);
        b.acquire(t0);
        b.acquire(t0 + Duration::from_secs(10));
        assert_eq!(b.snapshot().remaining, Some(0));
        assert!(b.acquire(t0 + Duration::from_secs(11)) >= Duration::from_secs(48));
    }

    #[test]
    fn a_refusal_holds_the_next_request() {
        let mut b = RateBudget::default();
        let t0 = Instant::now();
        b.refused(Duration::from_secs(2), t0);
        assert_eq!(b.acquire(t0 + Duration::from_millis(500)), Duration::from_millis(1_500));
        // With headers saying the minute is used up, it waits for the minute.
        b.observe(Some(60), Some(0), t0);
        assert_eq!(b.acquire(t0 + Duration::from_secs(10)), Duration::from_secs(50));
    }
}
