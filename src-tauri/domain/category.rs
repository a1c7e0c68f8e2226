//! Conversation categories. CubeConnect decides a message's category and reports it on send; we
//! show what it said. Before it answers, the category a message is expected to carry follows from
//! its type: free-form replies are SERVICE, a template carries its template's category.

use std::str::FromStr;

use super::message_type::{Direction, MessageType};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    Service,
    Marketing,
    Utility,
    Authentication,
}

impl Category {
    pub const ALL: [Category; 4] = [Category::Service, Category::Marketing, Category::Utility, Category::Authentication];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Service => "SERVICE",
            Category::Marketing => "MARKETING",
            Category::Utility => "UTILITY",
            Category::Authentication => "AUTHENTICATION",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCategory(pub String);

impl FromStr for Category {
    type Err = UnknownCategory;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownCategory(s.to_string()))
    }
}

/// The category a message carries: what the service reported when it did, otherwise what its
/// type implies. Inbound messages are not billed and carry none.
pub fn message_category(
    direction: Direction,
    kind: MessageType,
    reported: Option<Category>,
    template_category: Option<Category>,
) -> Option<Category> {
    if direction == Direction::Inbound {
        return None;
    }
    reported.or(match kind {
        MessageType::Template => template_category,
        _ => Some(Category::Service),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_case_insensitively() {
        assert_eq!("utility".parse::<Category>(), Ok(Category::Utility));
        assert_eq!(" MARKETING ".parse::<Category>(), Ok(Category::Marketing));
        assert!("PROMO".parse::<Category>().is_err());
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>(), Ok(c));
        }
    }

    #[test]
    fn the_service_report_wins() {
        let c = message_category(Direction::Outbound, MessageType::Template, Some(Category::Utility), Some(Category::Marketing));
        assert_eq!(c, Some(Category::Utility));
    }

    #[test]
    fn before_the_report_the_type_decides() {
        assert_eq!(message_category(Direction::Outbound, MessageType::Text, None, None), Some(Category::Service));
        assert_eq!(message_category(Direction::Outbound, MessageType::Image, None, None), Some(Category::Service));
        assert_eq!(
            message_category(Direction::Outbound, MessageType::Template, None, Some(Category::Authentication)),
            Some(Category::Authentication)
        );
        assert_eq!(message_category(Direction::Outbound, MessageType::Template, None, None), None);
    }

    #[test]
    fn inbound_messages_carry_no_category() {
        assert_eq!(message_category(Direction::Inbound, MessageType::Text, Some(Category::Service), None), None);
    }
}
