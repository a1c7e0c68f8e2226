//! The message types of the seed's table, and the direction a message travels.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageType {
    Text,
    Image,
    Video,
    Audio,
    Document,
    Template,
    Interactive,
    Location,
    Sticker,
    Reaction,
}

impl MessageType {
    pub const ALL: [MessageType; 10] = [
        MessageType::Text,
        MessageType::Image,
        MessageType::Video,
        MessageType::Audio,
        MessageType::Document,
        MessageType::Template,
        MessageType::Interactive,
        MessageType::Location,
        MessageType::Sticker,
        MessageType::Reaction,
    ];

    /// The wire and storage name (`message_type` in the contract).
    pub fn as_str(self) -> &'static str {
        match self {
            MessageType::Text => "text",
            MessageType::Image => "image",
            MessageType::Video => "video",
            MessageType::Audio => "audio",
            MessageType::Document => "document",
            MessageType::Template => "template",
            MessageType::Interactive => "interactive",
            MessageType::Location => "location",
            MessageType::Sticker => "sticker",
            MessageType::Reaction => "reaction",
        }
    }

    pub fn is_media(self) -> bool {
        matches!(
            self,
            MessageType::Image | MessageType::Video | MessageType::Audio | MessageType::Document | MessageType::Sticker
        )
    }
}

impl fmt::Display for MessageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownMessageType(pub String);

impl FromStr for MessageType {
    type Err = UnknownMessageType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MessageType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownMessageType(s.to_string()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Inbound,
    Outbound,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_round_trips_through_its_name() {
        for t in MessageType::ALL {
            assert_eq!(t.as_str().parse::<MessageType>(), Ok(t));
        }
    }

    #[test]
    fn names_are_case_insensitive_and_unknown_names_are_refused() {
        assert_eq!("IMAGE".parse::<MessageType>(), Ok(MessageType::Image));
        assert_eq!("voice".parse::<MessageType>(), Err(UnknownMessageType("voice".into())));
    }

    #[test]
    fn media_types() {
        let media: Vec<_> = MessageType::ALL.into_iter().filter(|t| t.is_media()).collect();
        assert_eq!(
            media,
            vec![MessageType::Image, MessageType::Video, MessageType::Audio, MessageType::Document, MessageType::Sticker]
        );
    }
}
