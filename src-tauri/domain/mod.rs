//! Pure rules with no IO. Everything here takes the current time as an argument (or through
//! [`clock::Clock`]) so each rule can be tested at its exact boundaries.

pub mod account_form;
pub mod category;
pub mod chat_export;
pub mod clock;
pub mod deep_link;
pub mod insights;
pub mod message_type;
pub mod phone;
pub mod search_text;
pub mod send_rules;
pub mod status;
pub mod template;
pub mod text;
pub mod updates;
pub mod window;
