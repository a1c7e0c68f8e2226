//! Limits on free-form text.

/// WhatsApp's maximum text message length, in characters (Unicode scalar values).
pub const MAX_TEXT_CHARS: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Empty,
    TooLong { chars: usize, max: usize },
}

/// A text message body is something other than whitespace and at most [`MAX_TEXT_CHARS`] long.
pub fn check_text(text: &str) -> Result<(), TextError> {
    if text.trim().is_empty() {
        return Err(TextError::Empty);
    }
    // Counting stops just past the limit, so a pasted megabyte costs no more than a short text.
    let chars = text.chars().take(MAX_TEXT_CHARS + 1).count();
    if chars > MAX_TEXT_CHARS {
        return Err(TextError::TooLong { chars: text.chars().count(), max: MAX_TEXT_CHARS });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries() {
        assert_eq!(check_text(&"a".repeat(MAX_TEXT_CHARS)), Ok(()));
        assert_eq!(
            check_text(&"a".repeat(MAX_TEXT_CHARS + 1)),
            Err(TextError::TooLong { chars: 4097, max: 4096 })
        );
    }

    #[test]
    fn counts_characters_not_bytes() {
        // 4096 Arabic letters are 8192 bytes and still fit.
        assert_eq!(check_text(&"م".repeat(MAX_TEXT_CHARS)), Ok(()));
        assert!(check_text(&"م".repeat(MAX_TEXT_CHARS + 1)).is_err());
    }

    #[test]
    fn blank_text_is_refused() {
        assert_eq!(check_text(""), Err(TextError::Empty));
        assert_eq!(check_text(" \n\t "), Err(TextError::Empty));
        assert_eq!(check_text(" x "), Ok(()));
    }

    #[test]
    fn a_huge_paste_reports_its_real_length() {
        assert_eq!(
            check_text(&"x".repeat(100_000)),
            Err(TextError::TooLong { chars: 100_000, max: MAX_TEXT_CHARS })
        );
    }
}
