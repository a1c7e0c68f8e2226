//! Phone numbers (contract decision 3): stored as digits with the country code
//! (`966501234567`), sent as `+` and digits, and refused before any network call when they cannot
//! be made into 8 to 15 digits.

use std::fmt;

pub const MIN_DIGITS: usize = 8;
pub const MAX_DIGITS: usize = 15;

/// A phone in canonical form: 8-15 ASCII digits, country code first, no `+`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneError {
    Empty,
    /// A character that is neither a digit nor usual punctuation.
    InvalidCharacter(char),
    TooShort { digits: usize },
    TooLong { digits: usize },
}

impl Phone {
    /// Accepts what people type and paste: `+966 50 123 4567`, `00966-50-123-4567`,
    /// `(966) 501234567`, Arabic-Indic digits `٩٦٦٥٠١٢٣٤٥٦٧`, invisible direction marks.
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let mut digits = String::with_capacity(input.len());
        let mut saw_plus = false;
        for c in input.trim().chars() {
            if let Some(d) = ascii_digit(c) {
                digits.push(d);
            } else if c == '+' && digits.is_empty() && !saw_plus {
                saw_plus = true;
            } else if matches!(c, ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}')
                || is_invisible_mark(c)
            {
                continue;
            } else {
                return Err(PhoneError::InvalidCharacter(c));
            }
        }
        if digits.is_empty() {
            return Err(PhoneError::Empty);
        }
        // `00` is the international call prefix: `00966...` means `+966...`.
        let digits = if !saw_plus && digits.starts_with("00") { digits[2..].to_string() } else { digits };
        match digits.len() {
            n if n < MIN_DIGITS => Err(PhoneError::TooShort { digits: n }),
            n if n > MAX_DIGITS => Err(PhoneError::TooLong { digits: n }),
            _ => Ok(Phone(digits)),
        }
    }

    /// Canonical digits, as stored and as `{customer}` in session-status.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The form requests carry: `+966501234567`.
    pub fn e164(&self) -> String {
        format!("+{}", self.0)
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}", self.0)
    }
}

fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        // Arabic-Indic and Extended Arabic-Indic (Persian/Urdu) digits.
        '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10),
        '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10),
        _ => None,
    }
}

fn is_invisible_mark(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        Phone::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e:?}")).digits().to_string()
    }

    #[test]
    fn usual_spellings_become_the_same_digits() {
        for input in [
            "966501234567",
            "+966501234567",
            "+966 50 123 4567",
            "00966501234567",
            "00966-50-123-4567",
            "(966) 50.123.4567",
            " +966 50 123 4567 ",
            "\u{200e}+966 50 123 4567\u{200f}",
            "+٩٦٦٥٠١٢٣٤٥٦٧",
            "۹۶۶۵۰۱۲۳۴۵۶۷",
        ] {
            assert_eq!(ok(input), "966501234567", "{input:?}");
        }
    }

    #[test]
    fn requests_carry_a_plus() {
        let p = Phone::parse("966501234567").unwrap();
        assert_eq!(p.e164(), "+966501234567");
        assert_eq!(p.to_string(), "+966501234567");
    }

    #[test]
    fn length_boundaries() {
        assert_eq!(Phone::parse("1234567"), Err(PhoneError::TooShort { digits: 7 }));
        assert_eq!(ok("12345678"), "12345678");
        assert_eq!(ok("123456789012345"), "123456789012345");
        assert_eq!(Phone::parse("1234567890123456"), Err(PhoneError::TooLong { digits: 16 }));
        // `00` is a prefix, not part of the number: 00 + 7 digits is too short.
        assert_eq!(Phone::parse("001234567"), Err(PhoneError::TooShort { digits: 7 }));
        // ...but after a `+` the zeros are digits.
        assert_eq!(ok("+0012345678"), "0012345678");
    }

    #[test]
    fn garbage_is_refused_with_the_offending_character() {
        assert_eq!(Phone::parse(""), Err(PhoneError::Empty));
        assert_eq!(Phone::parse("  - "), Err(PhoneError::Empty));
        assert_eq!(Phone::parse("+966 50 CALL ME"), Err(PhoneError::InvalidCharacter('C')));
        assert_eq!(Phone::parse("966+501234567"), Err(PhoneError::InvalidCharacter('+')));
        assert_eq!(Phone::parse("++966501234567"), Err(PhoneError::InvalidCharacter('+')));
        assert_eq!(Phone::parse("966501234567;DROP"), Err(PhoneError::InvalidCharacter(';')));
    }
}
