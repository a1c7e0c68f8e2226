//! What the archive holds of a queued message, as the request the client sends.

use crate::api::send::{HeaderMedia, Outgoing};
use crate::store::messages::Content;

/// `header_type` is the template's (`image`, `video`, `document`), needed when it has a media header.
pub fn outgoing(content: &Content, header_type: Option<&str>) -> Result<Outgoing, String> {
    Ok(match content {
        Content::Text { text } => Outgoing::Text { text: text.clone() },
        Content::Template { name, language, params, header_link, .. } => Outgoing::Template {
            name: name.clone(),
            language: language.clone(),
            params: params.clone(),
            header: header_link
                .as_ref()
                .map(|link| HeaderMedia { kind: header_type.unwrap_or("image").to_string(), link: link.clone() }),
        },
        Content::Media { kind, link, caption, filename, .. } => Outgoing::Media {
            kind: *kind,
            link: link.clone().ok_or("a media message needs a link")?,
            caption: caption.clone(),
            filename: filename.clone(),
        },
        Content::Interactive { payload } => Outgoing::Interactive { payload: payload.clone() },
        Content::Reaction { emoji, to_wamid, .. } => Outgoing::Reaction {
            message_id: to_wamid.clone().ok_or("the message reacted to has no WhatsApp id yet")?,
            emoji: emoji.clone(),
        },
        Content::Location { .. } => return Err("location messages cannot be sent".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message_type::MessageType;

    #[test]
    fn each_content_becomes_its_request() {
        assert_eq!(outgoing(&Content::Text { text: "hi".into() }, None), Ok(Outgoing::Text { text: "hi".into() }));
        let t = Content::Template {
            name: "promo".into(),
            language: "en_US".into(),
            params: vec!["20%".into()],
            header_link: Some("https://x/p.jpg".into()),
            rendered_body: "20% off".into(),
        };
        match outgoing(&t, Some("video")).unwrap() {
            Outgoing::Template { header: Some(h), params, .. } => {
                assert_eq!((h.kind.as_str(), h.link.as_str()), ("video", "https://x/p.jpg"));
                assert_eq!(params, vec!["20%"]);
            }
            other => panic!("{other:?}"),
        }
        let no_link = Content::Media { kind: MessageType::Image, caption: None, filename: None, mime: None, link: None, placeholder: None };
        assert!(outgoing(&no_link, None).is_err());
        let reaction = Content::Reaction { emoji: "👍".into(), to_id: Some(1), to_wamid: None };
        assert!(outgoing(&reaction, None).is_err(), "cannot react before the wamid is known");
        let loc = Content::Location { lat: 1.0, lng: 2.0, name: None, address: None };
        assert!(outgoing(&loc, None).is_err());
    }
}
