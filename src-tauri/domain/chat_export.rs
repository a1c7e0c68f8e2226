//! WhatsApp "Export chat" text files (Android and iPhone), read into messages the inbox can
//! import. A shop moving to CubeDesk brings its history from the phone, and the phone writes it in
//! whatever layout its language settings dictate: day or month first, 12 or 24 hours, Arabic-Indic
//! digits, invisible direction marks. Nothing here touches the disk or the database, so every
//! layout can be tested from a string.
//!
//! Nothing is dropped silently: a line that cannot be placed becomes a [`Problem`] with its line
//! number, so the shop owner can see what was left out and why.

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
}

#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// None: decide from the file (a first field > 12 means day-first, a second field > 12 means
    /// month-first; still ambiguous -> DayFirst).
    pub date_order: Option<DateOrder>,
    /// Minutes east of UTC of the phone that wrote the file (the file's times are local, with no
    /// zone).
    pub utc_offset_minutes: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attachment {
    /// "<Media omitted>", "image omitted", "‎video omitted", "GIF omitted", "sticker omitted",
    /// "audio omitted", "document omitted", Arabic "<تم استبعاد الوسائط>" etc. The kind is None
    /// when the phone did not say (Android writes the same words for every kind).
    Omitted { kind: Option<MediaKind> },
    /// "<attached: 00000012-PHOTO-2020-12-31-23-59-59.jpg>" (iPhone) or
    /// "IMG-20201231-WA0001.jpg (file attached)" (Android), with any caption text that follows on
    /// later lines kept in `text`.
    File { filename: String, kind: MediaKind },
}

/// GIFs count as video because WhatsApp stores and sends them as MP4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    Video,
    Audio,
    Document,
    Sticker,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChatMessage {
    /// 1-based line number where the message starts.
    pub line: usize,
    pub at: DateTime<Utc>,
    pub author: String,
    /// The text, multi-line messages joined with '\n', directional marks (U+200E, U+200F,
    /// U+202A-U+202E, U+2066-U+2069) removed from the edges only. Empty when the message is only
    /// an attachment.
    pub text: String,
    pub attachment: Option<Attachment>,
    /// Stable across imports of the same file (and of a re-export of the same chat): hex SHA-256
    /// of (at, author, text, attachment) plus the count of identical earlier messages in the file,
    /// so two identical "ok" in the same minute stay two.
    pub fingerprint: String,
}

/// A system line with a time but no author ("Messages and calls are end-to-end encrypted...",
/// "X created group", "X joined using this group's invite link"). Kept apart so it is never
/// imported as something the customer said.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub line: usize,
    pub at: DateTime<Utc>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub line: usize,
    /// The line, cut to 200 characters.
    pub text: String,
    /// A plain English sentence.
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct ParsedChat {
    pub messages: Vec<ChatMessage>,
    pub notices: Vec<Notice>,
    pub problems: Vec<Problem>,
    /// Authors in order of first appearance with their message counts.
    pub authors: Vec<(String, usize)>,
    pub date_order: DateOrder,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// No bytes, or only whitespace.
    Empty,
    /// NUL bytes or not UTF-8 (a UTF-8 BOM is fine and skipped; CRLF is accepted).
    Binary,
    TooLarge {
        bytes: u64,
        limit: u64,
    },
    /// Not one line in the first 50 non-empty lines starts like a WhatsApp export.
    UnknownLayout,
}

impl ParseError {
    /// Shown to the shop owner as is, so it says what to do rather than what went wrong inside.
    pub fn message(&self) -> String {
        match self {
            ParseError::Empty => {
                "This file is empty: there are no chat messages in it. Export the chat again from WhatsApp and choose the new file.".to_string()
            }
            ParseError::Binary => {
                "This file is not a text file, so it cannot be a WhatsApp chat export. Choose the .txt file WhatsApp made (if you got a .zip, open it first).".to_string()
            }
            ParseError::TooLarge { bytes, limit } => format!(
                "This file is {} but CubeDesk can read chat exports of up to {}. Export the chat without media, or a shorter part of it.",
                describe_size(*bytes),
                describe_size(*limit)
            ),
            ParseError::UnknownLayout => {
                "This file is not a WhatsApp chat export: no line starts with a date and time the way WhatsApp writes them.".to_string()
            }
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ParseError {}

fn describe_size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{bytes} bytes")
    }
}

/// Files larger than this are refused before reading (the caller checks the file size with it
/// too).
pub const MAX_BYTES: u64 = 200 * 1024 * 1024;

/// The layout is judged on the start of the file only, so a photo or a spreadsheet is refused
/// without scanning all of it.
const LAYOUT_PROBE_LINES: usize = 50;
const PROBLEM_TEXT_CHARS: usize = 200;

/// Shared with the caller so a file can be refused from its metadata before a byte is read.
pub fn check_size(bytes: u64) -> Result<(), ParseError> {
    if bytes > MAX_BYTES {
        Err(ParseError::TooLarge { bytes, limit: MAX_BYTES })
    } else {
        Ok(())
    }
}

pub fn parse(input: &[u8], options: &ParseOptions) -> Result<ParsedChat, ParseError> {
    check_size(input.len() as u64)?;
    let text = decode(input)?;
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();

    // First pass: is this an export at all, and which date order does the whole file use? The
    // order is one decision per file because a line like 05/06 means nothing on its own.
    let mut probed = 0usize;
    let mut recognised = false;
    let mut votes = OrderVotes::default();
    for line in &lines {
        let stamp = scan_header(line).map(|h| h.stamp);
        if probed < LAYOUT_PROBE_LINES && !is_blank(line) {
            probed += 1;
            recognised |= stamp.is_some();
        }
        if let Some(stamp) = stamp {
            votes.count(&stamp);
        }
        if probed >= LAYOUT_PROBE_LINES && !recognised {
            break;
        }
    }
    if !recognised {
        return Err(ParseError::UnknownLayout);
    }
    let date_order = options.date_order.unwrap_or_else(|| votes.decide());

    let mut builder = Builder::new(date_order, options.utc_offset_minutes);
    for (index, line) in lines.iter().enumerate() {
        builder.line(index + 1, line);
    }
    Ok(builder.finish())
}

fn decode(input: &[u8]) -> Result<&str, ParseError> {
    if input.is_empty() {
        return Err(ParseError::Empty);
    }
    if input.contains(&0) {
        return Err(ParseError::Binary);
    }
    let text = std::str::from_utf8(input).map_err(|_| ParseError::Binary)?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    Ok(text)
}

/// Which author is "me" (the business) in a chat with the customer whose canonical phone digits
/// are `customer_digits` (e.g. "966501234567"): an author whose digits (ignoring +, spaces,
/// dashes, parentheses, directional marks, Arabic-Indic digits) end with the customer's last 9
/// digits is the customer, and with exactly two authors the other one is me. Returns None when it
/// cannot tell.
///
/// Only the last 9 digits are compared because the phone shows the number the way the contact
/// was saved (with or without country code, with a leading 0).
pub fn suggest_me(parsed: &ParsedChat, customer_digits: &str) -> Option<String> {
    let customer: String = customer_digits.chars().filter_map(ascii_digit).collect();
    if customer.len() < 7 {
        return None;
    }
    let tail = &customer[customer.len().saturating_sub(9)..];
    let [(first, _), (second, _)] = parsed.authors.as_slice() else {
        return None;
    };
    let is_customer = |name: &str| phone_digits(name).is_some_and(|d| d.ends_with(tail));
    match (is_customer(first), is_customer(second)) {
        (true, false) => Some(second.clone()),
        (false, true) => Some(first.clone()),
        _ => None,
    }
}

/// The digits of an author that is a bare phone number; None for a name, so "Shop 2" never
/// matches a customer.
fn phone_digits(name: &str) -> Option<String> {
    let mut digits = String::new();
    for c in name.chars() {
        if let Some(d) = ascii_digit(c) {
            digits.push(d);
        } else if !(matches!(c, '+' | '-' | '(' | ')') || is_space(c) || is_mark(c)) {
            return None;
        }
    }
    if digits.is_empty() {
        None
    } else {
        Some(digits)
    }
}

// ---------------------------------------------------------------------------------------------
// Characters

/// Phones sprinkle these through dates and names to keep right-to-left text readable; they carry
/// no meaning for us. U+061C (Arabic letter mark) plays the same role.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Recent phones put a narrow no-break space before AM/PM, older ones a no-break space.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{00A0}' | '\u{202F}' | '\u{2009}')
}

fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

fn ascii_digit(c: char) -> Option<char> {
    digit_value(c).and_then(|d| char::from_digit(d, 10))
}

fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || is_mark(c))
}

fn strip_marks(s: &str) -> &str {
    s.trim_matches(is_mark)
}

fn cut(s: &str) -> String {
    s.chars().take(PROBLEM_TEXT_CHARS).collect()
}

// ---------------------------------------------------------------------------------------------
// Timestamps

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
}

/// A number as written, with its digit count: "05" and "5" read the same but a 2-digit year
/// means 20xx.
#[derive(Debug, Clone, Copy)]
struct Field {
    value: u32,
    digits: usize,
}

/// The timestamp at the start of a line, before the date order is applied.
#[derive(Debug, Clone)]
struct Stamp {
    /// Some locales (Swedish, Chinese) write the year first; that order needs no guessing.
    year_first: bool,
    date: [Field; 3],
    separator: char,
    hour: u32,
    minute: u32,
    second: Option<u32>,
    meridiem: Option<Meridiem>,
}

struct Header<'a> {
    stamp: Stamp,
    bracketed: bool,
    rest: &'a str,
}

/// A cursor over a line that never slices off a character boundary.
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.pos..)?.chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, want: char) -> bool {
        if self.peek() == Some(want) {
            self.pos += want.len_utf8();
            true
        } else {
            false
        }
    }

    fn skip_while(&mut self, f: impl Fn(char) -> bool) -> usize {
        let mut n = 0;
        while let Some(c) = self.peek() {
            if !f(c) {
                break;
            }
            self.pos += c.len_utf8();
            n += 1;
        }
        n
    }

    fn skip_marks(&mut self) {
        self.skip_while(is_mark);
    }

    /// Up to `max` digits (ASCII or Arabic-Indic); None when there are none or too many.
    fn number(&mut self, max: usize) -> Option<Field> {
        let mut value = 0u32;
        let mut digits = 0usize;
        while let Some(c) = self.peek() {
            let Some(d) = digit_value(c) else { break };
            digits += 1;
            if digits > max {
                return None;
            }
            value = value * 10 + d;
            self.pos += c.len_utf8();
        }
        (digits > 0).then_some(Field { value, digits })
    }

    fn meridiem(&mut self) -> Option<Meridiem> {
        let start = self.pos;
        let found = match self.bump() {
            Some('ص') => Some(Meridiem::Am),
            Some('م') => Some(Meridiem::Pm),
            Some(c @ ('a' | 'A' | 'p' | 'P')) => {
                let m = if matches!(c, 'a' | 'A') { Meridiem::Am } else { Meridiem::Pm };
                self.eat('.');
                // Spanish phones write "p. m." with a space inside.
                self.skip_while(is_space);
                if self.eat('m') || self.eat('M') {
                    self.eat('.');
                    Some(m)
                } else {
                    None
                }
            }
            _ => None,
        };
        // "PM" must be a word of its own: "11:59 Pmsomething" is not a time.
        if found.is_some() && self.peek().is_none_or(|c| !c.is_alphanumeric()) {
            found
        } else {
            self.pos = start;
            None
        }
    }

    fn rest(&self) -> &'a str {
        self.s.get(self.pos..).unwrap_or("")
    }
}

/// Reads the shape of a timestamp at the start of a line without judging its values, so that
/// "31/31/2020, 10:00 - " is still recognised as a (broken) message start and reported, rather
/// than being glued onto the message before it.
fn scan_header(line: &str) -> Option<Header<'_>> {
    let mut c = Cursor { s: line, pos: 0 };
    c.skip_marks();
    let bracketed = c.eat('[');
    c.skip_marks();
    let a = c.number(4)?;
    c.skip_marks();
    let separator = c.bump()?;
    if !matches!(separator, '/' | '.' | '-') {
        return None;
    }
    c.skip_marks();
    let b = c.number(2)?;
    c.skip_marks();
    if !c.eat(separator) {
        return None;
    }
    c.skip_marks();
    let y = c.number(4)?;
    let year_first = a.digits == 4;
    if year_first {
        if y.digits > 2 {
            return None;
        }
    } else if a.digits > 2 || !matches!(y.digits, 2 | 4) {
        return None;
    }

    // Between date and time: ", " on most phones, a bare space in some locales, the Arabic
    // comma on Arabic ones.
    if c.skip_while(|ch| matches!(ch, ',' | '،') || is_space(ch) || is_mark(ch)) == 0 {
        return None;
    }
    let hour = c.number(2)?;
    c.skip_marks();
    if !c.eat(':') {
        return None;
    }
    c.skip_marks();
    let minute = c.number(2)?;
    if minute.digits != 2 {
        return None;
    }
    let second = if c.eat(':') {
        let s = c.number(2)?;
        if s.digits != 2 {
            return None;
        }
        Some(s.value)
    } else {
        None
    };
    let before_meridiem = c.pos;
    c.skip_while(|ch| is_space(ch) || is_mark(ch));
    let meridiem = c.meridiem();
    if meridiem.is_none() {
        c.pos = before_meridiem;
    }
    c.skip_while(|ch| is_space(ch) || is_mark(ch));
    if bracketed {
        if !c.eat(']') {
            return None;
        }
    } else {
        if !(c.eat('-') || c.eat('–')) {
            return None;
        }
        // "23:59 -5 degrees" inside a message is not a header: the dash is followed by a space.
        if c.peek().is_some_and(|ch| !is_space(ch)) {
            return None;
        }
    }
    c.skip_while(is_space);
    Some(Header {
        stamp: Stamp {
            year_first,
            date: [a, b, y],
            separator,
            hour: hour.value,
            minute: minute.value,
            second,
            meridiem,
        },
        bracketed,
        rest: c.rest(),
    })
}

#[derive(Default)]
struct OrderVotes {
    day_first: usize,
    month_first: usize,
}

impl OrderVotes {
    fn count(&mut self, stamp: &Stamp) {
        if stamp.year_first {
            return;
        }
        let (a, b) = (stamp.date[0].value, stamp.date[1].value);
        if (13..=31).contains(&a) && (1..=12).contains(&b) {
            self.day_first += 1;
        } else if (13..=31).contains(&b) && (1..=12).contains(&a) {
            self.month_first += 1;
        }
    }

    /// A file with a few broken lines still has one order: the majority wins, a tie (including no
    /// evidence at all) goes to day-first, which most of the world writes.
    fn decide(&self) -> DateOrder {
        if self.month_first > self.day_first {
            DateOrder::MonthFirst
        } else {
            DateOrder::DayFirst
        }
    }
}

impl Stamp {
    fn written_date(&self) -> String {
        let [a, b, c] = self.date;
        let sep = self.separator;
        format!(
            "{:0wa$}{sep}{:0wb$}{sep}{:0wc$}",
            a.value,
            b.value,
            c.value,
            wa = a.digits,
            wb = b.digits,
            wc = c.digits
        )
    }

    fn written_time(&self) -> String {
        let mut out = format!("{}:{:02}", self.hour, self.minute);
        if let Some(s) = self.second {
            out.push_str(&format!(":{s:02}"));
        }
        match self.meridiem {
            Some(Meridiem::Am) => out.push_str(" AM"),
            Some(Meridiem::Pm) => out.push_str(" PM"),
            None => {}
        }
        out
    }

    fn resolve(&self, order: DateOrder, utc_offset_minutes: i32) -> Result<DateTime<Utc>, String> {
        let [a, b, c] = self.date;
        let (year, month, day, how) = if self.year_first {
            (a, b.value, c.value, "year/month/day")
        } else {
            match order {
                DateOrder::DayFirst => (c, b.value, a.value, "day/month/year"),
                DateOrder::MonthFirst => (c, a.value, b.value, "month/day/year"),
            }
        };
        let year = if year.digits <= 2 { 2000 + year.value } else { year.value };
        let date = i32::try_from(year).ok().and_then(|y| NaiveDate::from_ymd_opt(y, month, day)).ok_or_else(|| {
            format!(
                "The date {} does not exist when read as {how}, so this line was not imported.",
                self.written_date()
            )
        })?;
        let bad_time = || format!("The time {} does not exist, so this line was not imported.", self.written_time());
        let hour = match self.meridiem {
            None => self.hour,
            Some(_) if !(1..=12).contains(&self.hour) => return Err(bad_time()),
            Some(Meridiem::Am) => self.hour % 12,
            Some(Meridiem::Pm) => self.hour % 12 + 12,
        };
        let time = NaiveTime::from_hms_opt(hour, self.minute, self.second.unwrap_or(0)).ok_or_else(bad_time)?;
        let local = NaiveDateTime::new(date, time);
        TimeDelta::try_minutes(i64::from(utc_offset_minutes))
            .and_then(|offset| local.checked_sub_signed(offset))
            .map(|utc| utc.and_utc())
            .ok_or_else(|| {
                "This time cannot be converted to UTC with the chosen time zone, so this line was not imported."
                    .to_string()
            })
    }
}

// ---------------------------------------------------------------------------------------------
// Message bodies

/// The author is everything up to the first ": ". A bare trailing ":" counts too, since an iPhone
/// message can be empty after its author.
fn split_author(rest: &str) -> Option<(&str, &str)> {
    let (author, text) = match rest.find(": ") {
        Some(i) => (&rest[..i], &rest[i + 2..]),
        None => (rest.strip_suffix(':')?, ""),
    };
    let clean = strip_marks(author.trim()).trim();
    // System lines quote group names ("X changed the subject to "Sale: 50%""); a contact name
    // with a double quote is rarer than that.
    if clean.is_empty() || clean.contains(['"', '“', '”']) {
        return None;
    }
    Some((clean, text))
}

fn detect_attachment(first_line: &str) -> Option<Attachment> {
    let plain: String = first_line.chars().filter(|c| !is_mark(*c)).collect();
    let plain = plain.trim();
    let lower = plain.to_lowercase();
    if lower == "<media omitted>" || plain == "<تم استبعاد الوسائط>" {
        return Some(Attachment::Omitted { kind: None });
    }
    if let Some(name) = plain.strip_prefix("<attached:").and_then(|r| r.strip_suffix('>')) {
        let filename = name.trim();
        if !filename.is_empty() {
            return Some(Attachment::File { filename: filename.to_string(), kind: kind_of_file(filename) });
        }
    }
    if let Some(name) = plain.strip_suffix("(file attached)").or_else(|| plain.strip_suffix("(ملف مرفق)")) {
        let filename = name.trim();
        if !filename.is_empty() && !filename.contains(char::is_whitespace) {
            return Some(Attachment::File { filename: filename.to_string(), kind: kind_of_file(filename) });
        }
    }
    let kind = match lower.as_str() {
        "image omitted" => Some(MediaKind::Image),
        "video omitted" | "gif omitted" => Some(MediaKind::Video),
        "audio omitted" => Some(MediaKind::Audio),
        "sticker omitted" => Some(MediaKind::Sticker),
        "document omitted" => Some(MediaKind::Document),
        "contact card omitted" => return Some(Attachment::Omitted { kind: None }),
        // iPhone writes "‎Invoice.pdf • ‎2 pages ‎document omitted"; the mark before "document"
        // tells it apart from a customer typing "... the document omitted".
        _ if first_line.contains("\u{200E}document omitted") => Some(MediaKind::Document),
        _ => None,
    };
    kind.map(|kind| Attachment::Omitted { kind: Some(kind) })
}

/// WhatsApp names its files by kind (IMG-, VID-, PTT-, STK- on Android; -PHOTO-, -VIDEO- on
/// iPhone); the extension decides for files the customer named.
fn kind_of_file(filename: &str) -> MediaKind {
    let upper = filename.to_uppercase();
    let has = |tags: &[&str]| tags.iter().any(|t| upper.starts_with(&t[1..]) || upper.contains(t));
    if has(&["-PHOTO-", "-IMG-"]) {
        return MediaKind::Image;
    }
    if has(&["-VIDEO-", "-VID-", "-GIF-"]) {
        return MediaKind::Video;
    }
    if has(&["-AUDIO-", "-AUD-", "-PTT-"]) {
        return MediaKind::Audio;
    }
    if has(&["-STICKER-", "-STK-"]) {
        return MediaKind::Sticker;
    }
    if has(&["-DOC-"]) {
        return MediaKind::Document;
    }
    let ext = upper.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "JPG" | "JPEG" | "PNG" | "HEIC" | "HEIF" | "GIF" | "BMP" => MediaKind::Image,
        "WEBP" => MediaKind::Sticker,
        "MP4" | "MOV" | "3GP" | "MKV" | "AVI" | "M4V" => MediaKind::Video,
        "OPUS" | "OGG" | "M4A" | "MP3" | "AAC" | "AMR" | "WAV" => MediaKind::Audio,
        _ => MediaKind::Document,
    }
}

/// Marks go from both edges; whitespace only from the end, where it is trailing empty lines.
fn clean_text(s: &str) -> String {
    s.trim_start_matches(is_mark).trim_end_matches(|c: char| c.is_whitespace() || is_mark(c)).to_string()
}

/// iPhone writes system lines under the chat's name with the text starting with U+200E (left to
/// right mark); ordinary messages never start with one unless they are media or a deletion.
fn is_iphone_notice(first_line: &str) -> bool {
    let Some(after) = first_line.strip_prefix('\u{200E}') else {
        return false;
    };
    let after = after.trim_start_matches(is_mark);
    !(after.starts_with("This message was deleted") || after.starts_with("You deleted this message"))
}

// ---------------------------------------------------------------------------------------------
// Assembly

struct PendingMessage<'a> {
    line: usize,
    at: DateTime<Utc>,
    author: String,
    lines: Vec<&'a str>,
    bracketed: bool,
}

enum Current<'a> {
    /// Nothing dated yet: lines here belong to no message.
    Start,
    Message(PendingMessage<'a>),
    Notice(Notice),
    /// The last dated line was unreadable, so what follows it cannot be placed either.
    Broken,
}

struct Builder<'a> {
    order: DateOrder,
    offset: i32,
    current: Current<'a>,
    messages: Vec<ChatMessage>,
    notices: Vec<Notice>,
    problems: Vec<Problem>,
    seen: HashMap<[u8; 32], usize>,
}

impl<'a> Builder<'a> {
    fn new(order: DateOrder, offset: i32) -> Self {
        Builder {
            order,
            offset,
            current: Current::Start,
            messages: Vec::new(),
            notices: Vec::new(),
            problems: Vec::new(),
            seen: HashMap::new(),
        }
    }

    fn line(&mut self, number: usize, line: &'a str) {
        let Some(header) = scan_header(line) else {
            self.continuation(number, line);
            return;
        };
        self.flush();
        let at = match header.stamp.resolve(self.order, self.offset) {
            Ok(at) => at,
            Err(reason) => {
                self.problems.push(Problem { line: number, text: cut(line), reason });
                self.current = Current::Broken;
                return;
            }
        };
        self.current = match split_author(header.rest) {
            Some((author, first)) => Current::Message(PendingMessage {
                line: number,
                at,
                author: author.to_string(),
                lines: vec![first],
                bracketed: header.bracketed,
            }),
            None => Current::Notice(Notice { line: number, at, text: header.rest.to_string() }),
        };
    }

    fn continuation(&mut self, number: usize, line: &'a str) {
        match &mut self.current {
            Current::Message(m) => m.lines.push(line),
            Current::Notice(n) => {
                n.text.push('\n');
                n.text.push_str(line);
            }
            Current::Start if !is_blank(line) => self.problems.push(Problem {
                line: number,
                text: cut(line),
                reason:
                    "This line comes before the first dated message, so it belongs to no message and was not imported."
                        .to_string(),
            }),
            Current::Broken if !is_blank(line) => self.problems.push(Problem {
                line: number,
                text: cut(line),
                reason: "This line continues a message whose date or time could not be read, so it was not imported."
                    .to_string(),
            }),
            Current::Start | Current::Broken => {}
        }
    }

    fn flush(&mut self) {
        match std::mem::replace(&mut self.current, Current::Start) {
            Current::Message(m) => self.finish_message(m),
            Current::Notice(mut n) => {
                n.text = clean_text(&n.text);
                self.notices.push(n);
            }
            Current::Start | Current::Broken => {}
        }
    }

    fn finish_message(&mut self, m: PendingMessage<'a>) {
        let first = m.lines.first().copied().unwrap_or("");
        let attachment = detect_attachment(first);
        if attachment.is_none() && m.bracketed && is_iphone_notice(first) {
            self.notices.push(Notice { line: m.line, at: m.at, text: clean_text(&m.lines.join("\n")) });
            return;
        }
        let body = if attachment.is_some() { m.lines.get(1..).unwrap_or(&[]) } else { &m.lines[..] };
        let text = clean_text(&body.join("\n"));
        let base = content_hash(&m.at, &m.author, &text, attachment.as_ref());
        let earlier = self.seen.entry(base).or_insert(0);
        let fingerprint = {
            let mut h = Sha256::new();
            h.update(b"cubedesk-chat-export-v1");
            h.update(base);
            h.update((*earlier as u64).to_le_bytes());
            hex::encode(h.finalize())
        };
        *earlier += 1;
        self.messages.push(ChatMessage { line: m.line, at: m.at, author: m.author, text, attachment, fingerprint });
    }

    fn finish(mut self) -> ParsedChat {
        self.flush();
        let mut authors: Vec<(String, usize)> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for m in &self.messages {
            match index.get(m.author.as_str()) {
                Some(&i) => authors[i].1 += 1,
                None => {
                    index.insert(m.author.as_str(), authors.len());
                    authors.push((m.author.clone(), 1));
                }
            }
        }
        ParsedChat {
            messages: self.messages,
            notices: self.notices,
            problems: self.problems,
            authors,
            date_order: self.order,
        }
    }
}

/// Every field is length-prefixed so ("a", "bc") and ("ab", "c") never hash alike.
fn content_hash(at: &DateTime<Utc>, author: &str, text: &str, attachment: Option<&Attachment>) -> [u8; 32] {
    let attachment = match attachment {
        None => String::new(),
        Some(Attachment::Omitted { kind }) => format!("omitted:{kind:?}"),
        Some(Attachment::File { filename, kind }) => format!("file:{kind:?}:{filename}"),
    };
    let mut h = Sha256::new();
    for field in [at.timestamp().to_string().as_str(), author, text, attachment.as_str()] {
        h.update((field.len() as u64).to_le_bytes());
        h.update(field.as_bytes());
    }
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const ANDROID_DAY_FIRST: &str = include_str!("../../tests/fixtures/whatsapp/android_24h_day_first.txt");
    const ANDROID_MONTH_FIRST: &str = include_str!("../../tests/fixtures/whatsapp/android_24h_month_first.txt");
    const ANDROID_12H: &str = include_str!("../../tests/fixtures/whatsapp/android_12h.txt");
    const ANDROID_DOTS: &str = include_str!("../../tests/fixtures/whatsapp/android_dots_no_comma.txt");
    const ANDROID_DASHES: &str = include_str!("../../tests/fixtures/whatsapp/android_dashes_seconds.txt");
    const IPHONE_24H: &str = include_str!("../../tests/fixtures/whatsapp/iphone_24h.txt");
    const IPHONE_12H: &str = include_str!("../../tests/fixtures/whatsapp/iphone_12h.txt");
    const IPHONE_DOTS: &str = include_str!("../../tests/fixtures/whatsapp/iphone_no_seconds_dots.txt");
    const ARABIC_ANDROID: &str = include_str!("../../tests/fixtures/whatsapp/arabic_android.txt");
    const ARABIC_IPHONE: &str = include_str!("../../tests/fixtures/whatsapp/arabic_iphone.txt");
    const PROBLEMS: &str = include_str!("../../tests/fixtures/whatsapp/problems.txt");
    const AMBIGUOUS: &str = include_str!("../../tests/fixtures/whatsapp/ambiguous.txt");

    const ALL: [&str; 12] = [
        ANDROID_DAY_FIRST,
        ANDROID_MONTH_FIRST,
        ANDROID_12H,
        ANDROID_DOTS,
        ANDROID_DASHES,
        IPHONE_24H,
        IPHONE_12H,
        IPHONE_DOTS,
        ARABIC_ANDROID,
        ARABIC_IPHONE,
        PROBLEMS,
        AMBIGUOUS,
    ];

    const CUSTOMER: &str = "+966 50 123 4567";

    /// Riyadh: the file's local times are three hours ahead of UTC.
    fn riyadh() -> ParseOptions {
        ParseOptions { date_order: None, utc_offset_minutes: 180 }
    }

    fn parse_str(s: &str) -> ParsedChat {
        match parse(s.as_bytes(), &riyadh()) {
            Ok(p) => p,
            Err(e) => panic!("fixture did not parse: {e:?}"),
        }
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single().expect("valid test date")
    }

    fn wrapped(name: &str) -> String {
        format!("\u{202A}{name}\u{202C}")
    }

    #[test]
    fn android_24h_day_first() {
        let p = parse_str(ANDROID_DAY_FIRST);
        assert_eq!(p.date_order, DateOrder::DayFirst);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.notices.len(), 1);
        assert_eq!(p.notices[0].line, 1);
        assert_eq!(p.notices[0].at, utc(2020, 12, 31, 20, 50, 0));
        assert!(p.notices[0].text.starts_with("Messages and calls are end-to-end encrypted."));

        let m = &p.messages;
        assert_eq!(m.len(), 10);
        assert_eq!(m[0].line, 2);
        assert_eq!(m[0].author, CUSTOMER);
        assert_eq!(m[0].at, utc(2020, 12, 31, 20, 51, 0));
        assert_eq!(m[0].text, "Hello, is the blue abaya still available?");
        assert_eq!(m[0].attachment, None);

        assert_eq!(m[1].line, 3);
        assert_eq!(m[1].author, "Cube Store");
        assert_eq!(m[1].text, "Yes! We have sizes 52, 54 and 56.\nPrice is 250 SAR.\n\nFree delivery in Riyadh.");

        assert_eq!(m[2].line, 7);
        assert_eq!(m[2].attachment, Some(Attachment::Omitted { kind: None }));
        assert_eq!(m[2].text, "");

        assert_eq!(m[3].line, 8);
        assert_eq!(
            m[3].attachment,
            Some(Attachment::File { filename: "IMG-20201231-WA0001.jpg".into(), kind: MediaKind::Image })
        );
        assert_eq!(m[3].text, "This is the 54 in blue");

        assert_eq!(m[4].text, "السلام عليكم، أريد المقاس ٥٤ من فضلك");
        assert_eq!((m[5].text.as_str(), m[6].text.as_str()), ("ok", "ok"));

        // The author stops at the first ": "; the rest is text.
        assert_eq!(m[7].author, CUSTOMER);
        assert_eq!(m[7].text, "Note: I pay on delivery");
        assert_eq!(m[7].at, utc(2020, 12, 31, 21, 5, 0));

        assert_eq!(
            m[8].attachment,
            Some(Attachment::File { filename: "PTT-20210101-WA0002.opus".into(), kind: MediaKind::Audio })
        );
        // Trailing empty lines at the end of the file are not part of the last message.
        assert_eq!(m[9].text, "Your order has shipped 🚚");
        assert_eq!(m[9].at, utc(2021, 1, 13, 6, 15, 0));

        assert_eq!(p.authors, vec![(CUSTOMER.to_string(), 5), ("Cube Store".to_string(), 5)]);
    }

    #[test]
    fn android_24h_month_first_two_digit_year() {
        let p = parse_str(ANDROID_MONTH_FIRST);
        assert_eq!(p.date_order, DateOrder::MonthFirst);
        assert!(p.problems.is_empty());
        assert_eq!(p.messages.len(), 3);
        assert_eq!(p.messages[0].at, utc(2020, 12, 31, 20, 59, 0));
        assert_eq!(p.messages[1].at, utc(2020, 12, 31, 21, 1, 0));
        assert_eq!(p.messages[2].text, "Great: I'll order tomorrow");
        assert_eq!(p.messages[2].author, "Sara");
        assert_eq!(p.notices.len(), 2);
        assert_eq!(p.notices[1].line, 5);
        assert_eq!(p.notices[1].text, "Sara joined using this group's invite link");
    }

    #[test]
    fn android_12h_every_am_pm_spelling() {
        let p = parse_str(ANDROID_12H);
        assert_eq!(p.date_order, DateOrder::MonthFirst);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let at: Vec<DateTime<Utc>> = p.messages.iter().map(|m| m.at).collect();
        assert_eq!(
            at,
            vec![
                utc(2020, 12, 31, 20, 59, 0), // 11:59 PM
                utc(2020, 12, 31, 21, 0, 0),  // 12:00 AM is midnight
                utc(2020, 12, 31, 21, 30, 0), // 12:30 am
                utc(2021, 1, 1, 10, 5, 0),    // 1:05 p.m.
                utc(2021, 1, 1, 10, 6, 0),    // 1:06<U+202F>PM
                utc(2021, 1, 1, 10, 7, 0),    // 1:07<U+00A0>PM
                utc(2021, 1, 1, 9, 15, 0),    // 12:15 PM is noon
            ]
        );
        assert_eq!(p.messages[3].text, "Yes, from 10");
        assert_eq!(p.messages[4].author, "Cube Store");
        assert_eq!(
            p.messages[6].attachment,
            Some(Attachment::File { filename: "STK-20210101-WA0003.webp".into(), kind: MediaKind::Sticker })
        );
    }

    #[test]
    fn android_dots_without_comma() {
        let p = parse_str(ANDROID_DOTS);
        assert_eq!(p.date_order, DateOrder::DayFirst);
        assert!(p.problems.is_empty());
        assert_eq!(p.notices.len(), 1);
        assert_eq!(p.messages.len(), 2);
        assert_eq!(p.messages[0].author, "Klaus Weber");
        assert_eq!(p.messages[0].at, utc(2020, 12, 31, 20, 59, 0));
        assert_eq!(p.messages[1].at, utc(2020, 12, 31, 21, 10, 0));
    }

    #[test]
    fn android_dashes_with_seconds() {
        let p = parse_str(ANDROID_DASHES);
        assert!(p.problems.is_empty());
        assert_eq!(p.notices.len(), 1);
        assert_eq!(p.notices[0].text, "Cube Store created group \"Cube VIP\"");
        assert_eq!(p.notices[0].at, utc(2020, 12, 31, 20, 59, 58));
        assert_eq!(p.messages.len(), 2);
        assert_eq!(p.messages[0].at, utc(2020, 12, 31, 20, 59, 59));
        assert_eq!(p.messages[1].at, utc(2020, 12, 31, 21, 0, 30));
        assert_eq!(
            p.messages[1].attachment,
            Some(Attachment::File { filename: "VID-20210101-WA0004.mp4".into(), kind: MediaKind::Video })
        );
        assert_eq!(p.messages[1].text, "Unboxing video 😍");
    }

    #[test]
    fn iphone_24h_with_attachments_and_notices() {
        let p = parse_str(IPHONE_24H);
        assert_eq!(p.date_order, DateOrder::DayFirst);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.notices.len(), 1);
        assert_eq!(p.notices[0].line, 1);
        assert_eq!(p.notices[0].at, utc(2020, 12, 31, 20, 59, 1));
        assert!(p.notices[0].text.starts_with("Messages and calls"));

        let m = &p.messages;
        assert_eq!(m.len(), 12);
        assert_eq!(m[0].text, "Welcome to Cube Store");
        assert_eq!(m[0].at, utc(2020, 12, 31, 20, 59, 10));
        assert_eq!(m[1].text, "Hi, I want to return an order\nThe order number is 1042");
        assert_eq!(m[1].author, "Mona Al-Harbi");
        assert_eq!(m[2].line, 5);
        assert_eq!(
            m[2].attachment,
            Some(Attachment::File {
                filename: "00000012-PHOTO-2020-12-31-23-59-30.jpg".into(),
                kind: MediaKind::Image
            })
        );
        assert_eq!(m[2].text, "");
        let kinds: Vec<Option<Attachment>> = m[3..9].iter().map(|m| m.attachment.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                Some(Attachment::Omitted { kind: Some(MediaKind::Image) }),
                Some(Attachment::Omitted { kind: Some(MediaKind::Video) }),
                Some(Attachment::Omitted { kind: Some(MediaKind::Video) }), // GIF
                Some(Attachment::Omitted { kind: Some(MediaKind::Sticker) }),
                Some(Attachment::Omitted { kind: Some(MediaKind::Audio) }),
                Some(Attachment::Omitted { kind: Some(MediaKind::Document) }),
            ]
        );
        // A deleted message is still the customer's message, not a system line.
        assert_eq!(m[9].text, "This message was deleted.");
        assert_eq!(m[9].attachment, None);
        assert_eq!(
            m[10].attachment,
            Some(Attachment::File {
                filename: "00000020-PHOTO-2021-01-01-00-01-00.jpg".into(),
                kind: MediaKind::Image
            })
        );
        assert_eq!(m[10].text, "Print this label and stick it on the box");
        assert_eq!(m[11].text, "شكراً جزيلاً");
        assert_eq!(m[11].at, utc(2020, 12, 31, 21, 2, 0));
        assert_eq!(p.authors, vec![("Cube Store".to_string(), 5), ("Mona Al-Harbi".to_string(), 7)]);
    }

    #[test]
    fn iphone_12h_month_first() {
        let p = parse_str(IPHONE_12H);
        assert_eq!(p.date_order, DateOrder::MonthFirst);
        assert!(p.problems.is_empty());
        let at: Vec<DateTime<Utc>> = p.messages.iter().map(|m| m.at).collect();
        assert_eq!(
            at,
            vec![
                utc(2020, 12, 31, 20, 59, 59),
                utc(2020, 12, 31, 21, 0, 0),
                utc(2021, 1, 1, 6, 15, 30),
                utc(2021, 1, 1, 6, 16, 0),
                utc(2021, 1, 1, 6, 20, 0),
            ]
        );
        assert_eq!(
            p.messages[2].attachment,
            Some(Attachment::File {
                filename: "00000003-STICKER-2021-01-01-09-15-30.webp".into(),
                kind: MediaKind::Sticker
            })
        );
        assert_eq!(p.messages[4].text, "Yes until 10 PM");
    }

    #[test]
    fn iphone_without_seconds_and_dots() {
        let p = parse_str(IPHONE_DOTS);
        assert!(p.problems.is_empty());
        assert_eq!(p.notices.len(), 1);
        assert_eq!(p.messages.len(), 2);
        assert_eq!(p.messages[0].author, "Lena");
        assert_eq!(p.messages[0].at, utc(2020, 12, 31, 20, 59, 0));
        assert_eq!(p.messages[1].at, utc(2021, 1, 1, 5, 0, 0));
    }

    #[test]
    fn arabic_android_digits_marks_and_meridiem() {
        let p = parse_str(ARABIC_ANDROID);
        assert_eq!(p.date_order, DateOrder::DayFirst);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.notices.len(), 1);
        assert_eq!(p.notices[0].at, utc(2020, 12, 31, 20, 50, 0));
        let m = &p.messages;
        assert_eq!(m.len(), 4);
        assert_eq!(m[0].author, "أحمد");
        assert_eq!(m[0].text, "مرحبا");
        assert_eq!(m[0].at, utc(2020, 12, 31, 20, 59, 0)); // 11:59 م
        assert_eq!(m[1].author, "متجر كيوب");
        assert_eq!(m[1].at, utc(2020, 12, 31, 20, 59, 0));
        assert_eq!(m[2].attachment, Some(Attachment::Omitted { kind: None }));
        assert_eq!(m[2].at, utc(2020, 12, 31, 21, 5, 0)); // ١٢:٠٥ ص is just after midnight
        assert_eq!(m[3].at, utc(2021, 1, 1, 6, 30, 0));
        assert_eq!(m[3].text, "الطلب رقم ١٠٤٢\nوصل اليوم، شكراً");
        assert_eq!(p.authors, vec![("أحمد".to_string(), 3), ("متجر كيوب".to_string(), 1)]);
    }

    #[test]
    fn arabic_iphone() {
        let p = parse_str(ARABIC_IPHONE);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.notices.len(), 1);
        assert_eq!(p.notices[0].text, "الرسائل والمكالمات مشفرة تمامًا بين الطرفين.");
        let m = &p.messages;
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].author, CUSTOMER);
        assert_eq!(m[0].at, utc(2020, 12, 31, 20, 59, 30));
        assert_eq!(m[1].at, utc(2020, 12, 31, 21, 0, 10));
        assert_eq!(
            m[1].attachment,
            Some(Attachment::File {
                filename: "00000007-PHOTO-2021-01-01-00-00-10.jpg".into(),
                kind: MediaKind::Image
            })
        );
        assert_eq!(suggest_me(&p, "966501234567"), Some("متجر كيوب".to_string()));
    }

    #[test]
    fn problems_keep_their_line_numbers() {
        let p = parse_str(PROBLEMS);
        let lines: Vec<usize> = p.problems.iter().map(|pr| pr.line).collect();
        assert_eq!(lines, vec![1, 4, 5, 6, 7, 8]);
        assert_eq!(p.problems[0].text, "Chat with Sara exported by Cube Store");
        assert!(p.problems[0].reason.contains("before the first dated message"));
        assert_eq!(
            p.problems[1].reason,
            "The date 31/31/2020 does not exist when read as day/month/year, so this line was not imported."
        );
        assert!(p.problems[2].reason.contains("continues a message"));
        assert_eq!(p.problems[3].reason, "The time 25:99 does not exist, so this line was not imported.");
        assert_eq!(p.problems[4].reason, "The time 13:00 PM does not exist, so this line was not imported.");
        assert!(p.problems[5].reason.contains("29/02/2021"));
        assert_eq!(p.messages.len(), 2);
        assert_eq!(p.messages[0].line, 3);
        assert_eq!(p.messages[1].line, 9);
        assert_eq!(p.messages[1].text, "Back to normal\nsecond line of the normal message");
    }

    #[test]
    fn problem_text_is_cut_to_200_characters() {
        let long = format!("{}\n01/01/2021, 10:00 - A: b\n", "ب".repeat(500));
        let p = parse_str(&long);
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].text.chars().count(), 200);
    }

    #[test]
    fn ambiguous_file_is_day_first_unless_told() {
        let p = parse_str(AMBIGUOUS);
        assert_eq!(p.date_order, DateOrder::DayFirst);
        assert_eq!(p.messages[0].at, utc(2021, 2, 1, 7, 0, 0));
        assert_eq!(p.messages[1].at, utc(2021, 4, 3, 8, 0, 0));

        let opts = ParseOptions { date_order: Some(DateOrder::MonthFirst), utc_offset_minutes: -300 };
        let p = parse(AMBIGUOUS.as_bytes(), &opts).expect("parses");
        assert_eq!(p.date_order, DateOrder::MonthFirst);
        assert_eq!(p.messages[0].at, utc(2021, 1, 2, 15, 0, 0));
        assert_eq!(p.messages[1].at, utc(2021, 3, 4, 16, 0, 0));
    }

    #[test]
    fn explicit_order_applies_to_the_whole_file() {
        // Told day-first, a month-first file's 12/31 lines are impossible and reported, while its
        // 1/1 lines still read (the order is never switched line by line).
        let opts = ParseOptions { date_order: Some(DateOrder::DayFirst), utc_offset_minutes: 180 };
        let p = parse(ANDROID_MONTH_FIRST.as_bytes(), &opts).expect("parses");
        assert_eq!(p.date_order, DateOrder::DayFirst);
        assert_eq!(p.problems.iter().map(|pr| pr.line).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(p.messages.len(), 2);
        assert_eq!(p.messages[0].at, utc(2020, 12, 31, 21, 1, 0));
    }

    #[test]
    fn detected_order_is_the_majority_of_the_file() {
        let text = "12/31/20, 10:00 - A: one\n12/30/20, 10:00 - A: two\n13/12/20, 10:00 - A: typo\n";
        let p = parse_str(text);
        assert_eq!(p.date_order, DateOrder::MonthFirst);
        assert_eq!(p.messages.len(), 2);
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].line, 3);
    }

    #[test]
    fn other_am_pm_spellings() {
        let text = "12/31/20, 11:59\u{00A0}p.\u{00A0}m. - Ana: hola\n12/31/20, 11:59PM - Ana: no space\n12/31/20, 11:58 PMx - Ana: not a time\n";
        let p = parse_str(text);
        assert_eq!(p.messages.len(), 2);
        assert_eq!(p.messages[0].at, utc(2020, 12, 31, 20, 59, 0));
        assert_eq!(p.messages[1].at, utc(2020, 12, 31, 20, 59, 0));
        assert_eq!(p.messages[1].text, "no space\n12/31/20, 11:58 PMx - Ana: not a time");
    }

    #[test]
    fn year_first_layout() {
        let p = parse_str("[2020-12-31 23:59:59] Erik: Hej\n");
        assert_eq!(p.messages[0].at, utc(2020, 12, 31, 20, 59, 59));
        assert_eq!(p.messages[0].author, "Erik");
    }

    #[test]
    fn fingerprints_are_stable_and_tell_twins_apart() {
        let a = parse_str(ANDROID_DAY_FIRST);
        let b = parse_str(ANDROID_DAY_FIRST);
        let fa: Vec<&str> = a.messages.iter().map(|m| m.fingerprint.as_str()).collect();
        let fb: Vec<&str> = b.messages.iter().map(|m| m.fingerprint.as_str()).collect();
        assert_eq!(fa, fb);
        assert_eq!(fa[0].len(), 64);
        assert!(fa[0].chars().all(|c| c.is_ascii_hexdigit()));
        // The two "ok" in the same minute.
        assert_eq!(a.messages[5].text, a.messages[6].text);
        assert_eq!(a.messages[5].at, a.messages[6].at);
        assert_ne!(a.messages[5].fingerprint, a.messages[6].fingerprint);
        let unique: std::collections::HashSet<&str> = fa.iter().copied().collect();
        assert_eq!(unique.len(), fa.len());

        // A re-export with more messages at the end keeps the earlier fingerprints, and CRLF
        // line ends or a BOM do not change them either.
        let longer = format!("{ANDROID_DAY_FIRST}14/01/2021, 10:00 - Cube Store: ok\n");
        let c = parse_str(&longer);
        assert_eq!(c.messages[..10].iter().map(|m| m.fingerprint.as_str()).collect::<Vec<_>>(), fa);
        let crlf = format!("\u{FEFF}{}", ANDROID_DAY_FIRST.replace('\n', "\r\n"));
        let d = parse_str(&crlf);
        assert_eq!(d.messages.iter().map(|m| m.fingerprint.as_str()).collect::<Vec<_>>(), fa);

        // A different time zone is a different instant, so a different fingerprint.
        let e = parse(ANDROID_DAY_FIRST.as_bytes(), &ParseOptions::default()).expect("parses");
        assert_ne!(e.messages[0].fingerprint, fa[0]);
    }

    #[test]
    fn errors() {
        let opts = ParseOptions::default();
        assert_eq!(parse(b"", &opts).unwrap_err(), ParseError::Empty);
        assert_eq!(parse(b"  \r\n\n\t ", &opts).unwrap_err(), ParseError::Empty);
        assert_eq!(parse("\u{FEFF}\n".as_bytes(), &opts).unwrap_err(), ParseError::Empty);
        assert_eq!(parse(b"31/12/2020, 23:59 - A: b\0", &opts).unwrap_err(), ParseError::Binary);
        assert_eq!(parse(b"31/12/2020, 23:59 - A: \xff\xfe", &opts).unwrap_err(), ParseError::Binary);
        assert_eq!(parse(b"%PDF-1.4\nhello\n", &opts).unwrap_err(), ParseError::UnknownLayout);
        // A timestamp on line 52 is too late to count: only the first 50 non-empty lines decide.
        let late = format!("{}31/12/2020, 23:59 - A: b\n", "hello\n\n".repeat(51));
        assert_eq!(parse(late.as_bytes(), &opts).unwrap_err(), ParseError::UnknownLayout);
        let early = format!("{}31/12/2020, 23:59 - A: b\n", "hello\n\n".repeat(49));
        let p = parse(early.as_bytes(), &opts).expect("line 50 still counts");
        assert_eq!(p.problems.len(), 49);
        assert_eq!(p.messages[0].line, 99);

        assert_eq!(check_size(MAX_BYTES), Ok(()));
        assert_eq!(check_size(MAX_BYTES + 1), Err(ParseError::TooLarge { bytes: MAX_BYTES + 1, limit: MAX_BYTES }));
        assert_eq!(
            ParseError::TooLarge { bytes: 300 * 1024 * 1024, limit: MAX_BYTES }.message(),
            "This file is 300.0 MB but CubeDesk can read chat exports of up to 200.0 MB. Export the chat without media, or a shorter part of it."
        );
        assert!(ParseError::UnknownLayout.message().starts_with("This file is not a WhatsApp chat export"));
        assert!(ParseError::Empty.message().contains("empty"));
        assert!(ParseError::Binary.message().contains("not a text file"));
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = "\u{FEFF}31/12/2020, 23:59 - Sara: first\r\nsecond\r\n\r\n01/01/2021, 00:00 - Sara: third\r\n";
        let p = parse_str(text);
        assert_eq!(p.messages.len(), 2);
        assert_eq!(p.messages[0].line, 1);
        assert_eq!(p.messages[0].text, "first\nsecond");
        assert_eq!(p.messages[1].line, 4);
        assert_eq!(p.messages[1].text, "third");
    }

    #[test]
    fn text_keeps_inner_marks_and_loses_edge_marks() {
        let p = parse_str("31/12/2020, 23:59 - Sara: \u{200F}abc \u{200E}def\u{202C}\u{2069}\n");
        assert_eq!(p.messages[0].text, "abc \u{200E}def");
    }

    #[test]
    fn lines_that_only_look_like_timestamps_are_text() {
        let p = parse_str("31/12/2020, 23:59 - Sara: see you\n1/1/2021, 10:00 at the shop\n12:00 -5 degrees\n");
        assert_eq!(p.messages.len(), 1);
        assert_eq!(p.messages[0].text, "see you\n1/1/2021, 10:00 at the shop\n12:00 -5 degrees");
        assert!(p.problems.is_empty());
    }

    #[test]
    fn subject_change_with_colon_is_a_notice() {
        let p = parse_str("31/12/2020, 23:59 - Sara changed the subject to \"Sale: 50%\"\n");
        assert!(p.messages.is_empty());
        assert_eq!(p.notices[0].text, "Sara changed the subject to \"Sale: 50%\"");
    }

    #[test]
    fn suggest_me_finds_the_business() {
        let p = parse_str(ANDROID_DAY_FIRST);
        assert_eq!(suggest_me(&p, "966501234567"), Some("Cube Store".to_string()));
        // The phone may show the number the local way, or in Arabic-Indic digits.
        let local = ANDROID_DAY_FIRST.replace(&wrapped(CUSTOMER), "050-123 4567");
        assert_eq!(suggest_me(&parse_str(&local), "966501234567"), Some("Cube Store".to_string()));
        let arabic = ANDROID_DAY_FIRST.replace(&wrapped(CUSTOMER), "\u{200F}+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧");
        assert_eq!(suggest_me(&parse_str(&arabic), "٩٦٦٥٠١٢٣٤٥٦٧"), Some("Cube Store".to_string()));
        // Another customer's chat: nobody matches.
        assert_eq!(suggest_me(&p, "966559999999"), None);
        // The customer saved as a contact name: cannot tell.
        assert_eq!(suggest_me(&parse_str(IPHONE_24H), "966501234567"), None);
        // More than two authors: cannot tell.
        let group = format!("{ANDROID_DAY_FIRST}14/01/2021, 10:00 - Sara: hi\n");
        assert_eq!(suggest_me(&parse_str(&group), "966501234567"), None);
        // Not enough digits to compare.
        assert_eq!(suggest_me(&p, "123"), None);
    }

    /// A deterministic generator so a failure can be replayed.
    struct XorShift(u64);
    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn never_panics_on_random_or_truncated_input() {
        let opts = [
            riyadh(),
            ParseOptions { date_order: Some(DateOrder::MonthFirst), utc_offset_minutes: i32::MAX },
            ParseOptions { date_order: Some(DateOrder::DayFirst), utc_offset_minutes: i32::MIN },
        ];
        // Every byte prefix of every fixture: cuts inside characters, timestamps and brackets.
        for fixture in ALL {
            let bytes = fixture.as_bytes();
            for end in 0..=bytes.len() {
                for o in &opts {
                    let _ = parse(&bytes[..end], o);
                }
            }
        }
        // Random bytes, and random mixes of the characters a header is made of.
        let alphabet: Vec<char> =
            "0123456789٠١٢٣٤٥٦٧٨٩/.-,، :[]APMapm.صم\u{200E}\u{200F}\u{202F}\u{00A0}\n\r\u{FEFF}<>attached"
                .chars()
                .collect();
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..3000 {
            let len = (rng.next() % 300) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let _ = parse(&bytes, &opts[0]);
            let text: String = (0..len).map(|_| alphabet[(rng.next() as usize) % alphabet.len()]).collect();
            for o in &opts {
                if let Ok(p) = parse(text.as_bytes(), o) {
                    let _ = suggest_me(&p, "966501234567");
                }
            }
        }
        // Even the most extreme offset stays inside chrono's range: still read, not refused.
        let far = ParseOptions { date_order: None, utc_offset_minutes: i32::MAX };
        let p = parse(ANDROID_DASHES.as_bytes(), &far).expect("parses");
        assert_eq!(p.messages.len(), 2);
        assert_eq!(p.messages[0].at.format("%Y").to_string(), "-2063");
        assert!(p.problems.is_empty());
    }
}
