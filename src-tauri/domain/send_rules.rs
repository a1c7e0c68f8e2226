//! What may be sent when. Templates may go at any time; the free-form types only while the
//! 24-hour window is open; location and sticker messages only ever come from customers.

use super::message_type::MessageType;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendRefusal {
    /// A free-form type outside the 24-hour window.
    WindowClosed(MessageType),
    /// A type CubeConnect only delivers inbound.
    InboundOnly(MessageType),
}

/// Whether a message of `kind` may be sent now.
pub fn may_send(kind: MessageType, window_active: bool) -> Result<(), SendRefusal> {
    match kind {
        MessageType::Template => Ok(()),
        MessageType::Location | MessageType::Sticker => Err(SendRefusal::InboundOnly(kind)),
        MessageType::Text
        | MessageType::Image
        | MessageType::Video
        | MessageType::Audio
        | MessageType::Document
        | MessageType::Interactive
        | MessageType::Reaction => {
            if window_active {
                Ok(())
            } else {
                Err(SendRefusal::WindowClosed(kind))
            }
        }
    }
}

/// The types the composer may offer right now, in display order.
pub fn sendable_types(window_active: bool) -> Vec<MessageType> {
    MessageType::ALL.into_iter().filter(|t| may_send(*t, window_active).is_ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use MessageType::*;

    #[test]
    fn every_type_in_and_out_of_the_window() {
        // (type, allowed inside, allowed outside)
        let table = [
            (Text, true, false),
            (Image, true, false),
            (Video, true, false),
            (Audio, true, false),
            (Document, true, false),
            (Template, true, true),
            (Interactive, true, false),
            (Location, false, false),
            (Sticker, false, false),
            (Reaction, true, false),
        ];
        assert_eq!(table.len(), MessageType::ALL.len(), "every type has a row");
        for (kind, inside, outside) in table {
            assert_eq!(may_send(kind, true).is_ok(), inside, "{kind} inside the window");
            assert_eq!(may_send(kind, false).is_ok(), outside, "{kind} outside the window");
        }
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(may_send(Text, false), Err(SendRefusal::WindowClosed(Text)));
        assert_eq!(may_send(Location, true), Err(SendRefusal::InboundOnly(Location)));
        assert_eq!(may_send(Sticker, false), Err(SendRefusal::InboundOnly(Sticker)));
    }

    #[test]
    fn outside_the_window_only_templates_are_offered() {
        assert_eq!(sendable_types(false), vec![Template]);
        assert_eq!(
            sendable_types(true),
            vec![Text, Image, Video, Audio, Document, Template, Interactive, Reaction]
        );
    }
}
