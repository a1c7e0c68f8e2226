//! `cubedesk://` links: which ones CubeDesk follows. A link can come from any web page or
//! program on the computer, so only the one documented form is accepted and everything else is
//! refused with the reason, never half-followed.

use super::phone::{Phone, PhoneError};

pub const SCHEME: &str = "cubedesk";

/// What a link asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeepLink {
    /// `cubedesk://conversation/<phone>`: open the conversation with this customer.
    Conversation(Phone),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Not a `cubedesk://` link at all.
    NotOurs,
    /// A `cubedesk://` link asking for something CubeDesk does not do.
    UnknownAction(String),
    /// `cubedesk://conversation/` with no phone, or a phone that cannot be one.
    BadPhone(Option<PhoneError>),
    /// Anything after the phone (more path, a query, a fragment): refused rather than ignored.
    Unexpected,
}

/// Longer than any real link; a page cannot make us parse megabytes.
const MAX_LEN: usize = 200;

pub fn parse(link: &str) -> Result<DeepLink, LinkError> {
    let link = link.trim();
    if link.len() > MAX_LEN {
        return Err(LinkError::Unexpected);
    }
    let rest = link
        .get(..SCHEME.len() + 3)
        .filter(|head| head.eq_ignore_ascii_case(&format!("{SCHEME}://")))
        .map(|_| &link[SCHEME.len() + 3..])
        .ok_or(LinkError::NotOurs)?;
    let (action, arg) = rest.split_once('/').unwrap_or((rest, ""));
    if !action.eq_ignore_ascii_case("conversation") {
        return Err(LinkError::UnknownAction(action.chars().take(40).collect()));
    }
    let arg = arg.strip_suffix('/').unwrap_or(arg);
    if arg.contains(['/', '?', '#']) {
        return Err(LinkError::Unexpected);
    }
    let phone = percent_decode(arg).ok_or(LinkError::BadPhone(None))?;
    if phone.is_empty() {
        return Err(LinkError::BadPhone(None));
    }
    Phone::parse(&phone).map(DeepLink::Conversation).map_err(|e| LinkError::BadPhone(Some(e)))
}

/// `%2B966…` is how a browser writes `+966…`; a broken escape is refused.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The first argument that is a `cubedesk://` link: how a link reaches a program on Linux and
/// Windows (as a command-line argument, also when it is passed on to the window already open).
pub fn find_in_args<S: AsRef<str>>(args: &[S]) -> Option<&str> {
    args.iter().map(AsRef::as_ref).find(|a| a.get(..SCHEME.len() + 1).is_some_and(|h| h.eq_ignore_ascii_case(&format!("{SCHEME}:"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(s: &str) -> DeepLink {
        DeepLink::Conversation(Phone::parse(s).unwrap())
    }

    #[test]
    fn a_conversation_link_opens_that_customer_in_any_spelling_of_the_phone() {
        assert_eq!(parse("cubedesk://conversation/966501234567"), Ok(phone("966501234567")));
        assert_eq!(parse("cubedesk://conversation/+966501234567"), Ok(phone("966501234567")));
        assert_eq!(parse("cubedesk://conversation/%2B966501234567"), Ok(phone("966501234567")));
        assert_eq!(parse("cubedesk://conversation/%2B966%2050%20123%204567/"), Ok(phone("966501234567")));
        assert_eq!(parse("CubeDesk://Conversation/966501234567"), Ok(phone("966501234567")));
        assert_eq!(parse("  cubedesk://conversation/966501234567\n"), Ok(phone("966501234567")));
    }

    #[test]
    fn other_links_are_refused_with_their_reason() {
        assert_eq!(parse("https://conversation/966501234567"), Err(LinkError::NotOurs));
        assert_eq!(parse("cubedesk:conversation/966501234567"), Err(LinkError::NotOurs));
        assert_eq!(parse(""), Err(LinkError::NotOurs));
        assert_eq!(parse("cubedesk://"), Err(LinkError::UnknownAction(String::new())));
        assert_eq!(parse("cubedesk://delete/966501234567"), Err(LinkError::UnknownAction("delete".into())));
        assert_eq!(parse("cubedesk://send/966501234567?text=hi"), Err(LinkError::UnknownAction("send".into())));
    }

    #[test]
    fn a_bad_phone_or_anything_extra_is_refused() {
        assert_eq!(parse("cubedesk://conversation/"), Err(LinkError::BadPhone(None)));
        assert_eq!(parse("cubedesk://conversation"), Err(LinkError::BadPhone(None)));
        assert_eq!(parse("cubedesk://conversation/%zz"), Err(LinkError::BadPhone(None)));
        assert_eq!(parse("cubedesk://conversation/%FF%FE"), Err(LinkError::BadPhone(None)));
        assert_eq!(parse("cubedesk://conversation/12345"), Err(LinkError::BadPhone(Some(PhoneError::TooShort { digits: 5 }))));
        assert!(matches!(parse("cubedesk://conversation/<script>"), Err(LinkError::BadPhone(Some(PhoneError::InvalidCharacter('<'))))));
        assert_eq!(parse("cubedesk://conversation/966501234567/messages"), Err(LinkError::Unexpected));
        assert_eq!(parse("cubedesk://conversation/966501234567?x=1"), Err(LinkError::Unexpected));
        assert_eq!(parse("cubedesk://conversation/966501234567#m"), Err(LinkError::Unexpected));
        assert_eq!(parse(&format!("cubedesk://conversation/{}", "9".repeat(300))), Err(LinkError::Unexpected));
    }

    #[test]
    fn the_link_is_found_among_the_arguments() {
        assert_eq!(find_in_args(&["/usr/bin/cubedesk", "--data-dir", "/x", "cubedesk://conversation/966501234567"]), Some("cubedesk://conversation/966501234567"));
        assert_eq!(find_in_args(&["/usr/bin/cubedesk", "CUBEDESK://x"]), Some("CUBEDESK://x"));
        assert_eq!(find_in_args(&["/usr/bin/cubedesk", "--data-dir", "/cubedesk"]), None);
        assert_eq!(find_in_args::<&str>(&[]), None);
    }
}
