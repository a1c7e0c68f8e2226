//! The outbound status order of contract decision 8.
//!
//! `pending < queued|scheduled < sent < delivered < read`; `failed` may follow any state but
//! `read`; `unconfirmed` marks a send whose outcome is unknown (a timeout). Updates arrive out of
//! order from webhooks and polling, so a status never moves backwards: such an update is ignored,
//! and [`transition`] says why.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// In the local outbox, not yet accepted by CubeConnect.
    Pending,
    /// The send timed out: CubeConnect may or may not have accepted it.
    Unconfirmed,
    Queued,
    Scheduled,
    Sent,
    Delivered,
    Read,
    Failed,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Pending,
        Status::Unconfirmed,
        Status::Queued,
        Status::Scheduled,
        Status::Sent,
        Status::Delivered,
        Status::Read,
        Status::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Unconfirmed => "unconfirmed",
            Status::Queued => "queued",
            Status::Scheduled => "scheduled",
            Status::Sent => "sent",
            Status::Delivered => "delivered",
            Status::Read => "read",
            Status::Failed => "failed",
        }
    }

    /// Position on the delivery ladder. `Failed` is off the ladder.
    fn rank(self) -> Option<u8> {
        match self {
            Status::Pending => Some(0),
            Status::Unconfirmed => Some(1),
            Status::Queued | Status::Scheduled => Some(2),
            Status::Sent => Some(3),
            Status::Delivered => Some(4),
            Status::Read => Some(5),
            Status::Failed => None,
        }
    }

    /// No further update can change it (only an explicit retry can, see [`may_retry`]).
    pub fn is_final(self) -> bool {
        matches!(self, Status::Read | Status::Failed)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStatus(pub String);

impl FromStr for Status {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

/// What to do with a status update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Apply,
    /// The message already has this status.
    Unchanged,
    /// The update is older news than what we hold (e.g. `delivered` after `read`).
    IgnoredBackwards,
    /// The message is `read` or `failed`; nothing moves it but a retry.
    IgnoredFinal,
}

/// Whether a message at `from` takes the update `to`.
pub fn transition(from: Status, to: Status) -> Transition {
    if from == to {
        return Transition::Unchanged;
    }
    if from.is_final() {
        return Transition::IgnoredFinal;
    }
    match (from, to) {
        // A scheduled message becomes queued when its time comes.
        (Status::Scheduled, Status::Queued) => Transition::Apply,
        // `pending` and `unconfirmed` are local states: nothing from outside moves a message back
        // into them.
        (_, Status::Pending) | (_, Status::Unconfirmed) if from.rank() >= to.rank() => {
            Transition::IgnoredBackwards
        }
        (_, Status::Failed) => Transition::Apply,
        _ => match (from.rank(), to.rank()) {
            (Some(a), Some(b)) if b > a => Transition::Apply,
            _ => Transition::IgnoredBackwards,
        },
    }
}

/// Failed and unconfirmed messages may be sent again through the outbox.
pub fn may_retry(status: Status) -> bool {
    matches!(status, Status::Failed | Status::Unconfirmed)
}

/// A failed or unconfirmed text may be changed and sent again (as a new message to WhatsApp);
/// other types are retried as they are.
pub fn may_edit(kind: super::message_type::MessageType, status: Status) -> bool {
    kind == super::message_type::MessageType::Text && may_retry(status)
}

/// A message that never reached the customer (still pending, failed or unconfirmed) may be removed
/// from this computer; one that reached WhatsApp is part of the record.
pub fn may_delete_locally(status: Status) -> bool {
    matches!(status, Status::Pending | Status::Failed | Status::Unconfirmed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;
    use Transition::*;

    /// Every pair, written out, so a change to the rule shows up as a failing row.
    #[test]
    fn the_whole_table() {
        #[rustfmt::skip]
        let table: [(Status, [Transition; 8]); 8] = [
            //          to: Pending           Unconfirmed       Queued            Scheduled         Sent              Delivered         Read              Failed
            (Pending,     [Unchanged,        Apply,            Apply,            Apply,            Apply,            Apply,            Apply,            Apply]),
            (Unconfirmed, [IgnoredBackwards, Unchanged,        Apply,            Apply,            Apply,            Apply,            Apply,            Apply]),
            (Queued,      [IgnoredBackwards, IgnoredBackwards, Unchanged,        IgnoredBackwards, Apply,            Apply,            Apply,            Apply]),
            (Scheduled,   [IgnoredBackwards, IgnoredBackwards, Apply,            Unchanged,        Apply,            Apply,            Apply,            Apply]),
            (Sent,        [IgnoredBackwards, IgnoredBackwards, IgnoredBackwards, IgnoredBackwards, Unchanged,        Apply,            Apply,            Apply]),
            (Delivered,   [IgnoredBackwards, IgnoredBackwards, IgnoredBackwards, IgnoredBackwards, IgnoredBackwards, Unchanged,        Apply,            Apply]),
            (Read,        [IgnoredFinal,     IgnoredFinal,     IgnoredFinal,     IgnoredFinal,     IgnoredFinal,     IgnoredFinal,     Unchanged,        IgnoredFinal]),
            (Failed,      [IgnoredFinal,     IgnoredFinal,     IgnoredFinal,     IgnoredFinal,     IgnoredFinal,     IgnoredFinal,     IgnoredFinal,     Unchanged]),
        ];
        for (from, row) in table {
            for (to, expected) in Status::ALL.into_iter().zip(row) {
                assert_eq!(transition(from, to), expected, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn out_of_order_webhooks_converge_on_the_furthest_status() {
        // `read` arrives before `delivered` and `sent`: the message ends `read` whatever the order.
        let orders = [[Sent, Delivered, Read], [Read, Delivered, Sent], [Delivered, Read, Sent]];
        for order in orders {
            let mut s = Queued;
            for update in order {
                if transition(s, update) == Apply {
                    s = update;
                }
            }
            assert_eq!(s, Read, "order {order:?}");
        }
    }

    #[test]
    fn failed_after_read_is_ignored_but_after_delivered_applies() {
        assert_eq!(transition(Read, Failed), IgnoredFinal);
        assert_eq!(transition(Delivered, Failed), Apply);
    }

    #[test]
    fn only_failed_and_unconfirmed_may_be_retried() {
        let retriable: Vec<_> = Status::ALL.into_iter().filter(|s| may_retry(*s)).collect();
        assert_eq!(retriable, vec![Unconfirmed, Failed]);
    }

    #[test]
    fn only_undelivered_texts_may_be_edited_and_only_undelivered_messages_deleted() {
        use crate::domain::message_type::MessageType;
        let editable: Vec<_> = Status::ALL.into_iter().filter(|s| may_edit(MessageType::Text, *s)).collect();
        assert_eq!(editable, vec![Unconfirmed, Failed]);
        for t in MessageType::ALL.into_iter().filter(|t| *t != MessageType::Text) {
            assert!(Status::ALL.into_iter().all(|s| !may_edit(t, s)), "{t:?} is never edited");
        }
        let deletable: Vec<_> = Status::ALL.into_iter().filter(|s| may_delete_locally(*s)).collect();
        assert_eq!(deletable, vec![Pending, Unconfirmed, Failed]);
    }

    #[test]
    fn names_round_trip() {
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>(), Ok(s));
        }
        assert_eq!("DELIVERED".parse::<Status>(), Ok(Delivered));
        assert!("undelivered".parse::<Status>().is_err());
    }
}
