//! Text for the full-text archive: what goes into the index, how a typed query becomes an FTS5
//! MATCH expression, and how matches are shown.
//!
//! The index and the queries must agree character for character, so both go through the same
//! per-character rules ([`normalize_for_index`]). SQLite's `unicode61 remove_diacritics 2`
//! tokenizer then folds case and Latin diacritics again on both sides, which is harmless.
//! Arabic needs more than the tokenizer offers: people type with or without tashkeel, with or
//! without hamza on the alef, and with or without the article, and should still find each other.
//!
//! Snippets are built here from the original text rather than with FTS5's `snippet()`, because
//! the index is contentless and holds normalised text the user never wrote.

use serde::Serialize;

/// An over-long paste would otherwise become a giant MATCH expression; FTS5 has depth limits
/// and nobody means 500 words as a search.
const MAX_QUERY_ITEMS: usize = 32;

/// The article alone and with a one-letter proclitic. Longer forms first so `وال` wins over
/// nothing; no two of them start with the same letter pair, so the first match decides.
const ARTICLE_PREFIXES: [&str; 6] = ["وال", "بال", "كال", "فال", "ال", "لل"];

const ELLIPSIS: &str = "…";

/// Text as it goes into the index. Same function is used for queries' words.
/// - lowercase (Unicode)
/// - strip Arabic tashkeel (U+064B..=U+065F, U+0670, U+06D6..=U+06ED) and tatweel U+0640
/// - unify alef forms أ إ آ ٱ -> ا ; ى -> ي ; ة -> ه ; (also ؤ -> و and ئ -> ي)
/// - Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits -> ASCII
/// - remove directional marks/isolates (U+200E, U+200F, U+202A..=U+202E, U+2066..=U+2069) and
///   zero-width joiners/non-joiners
/// - for every Arabic word that starts with the definite article or an article with a one-letter
///   prefix (ال, وال, بال, كال, فال, لل) and has at least 2 letters after it, the index text gets
///   the word AND the word without that prefix (so `طلب` finds `الطلب` and `بالطلب`); words are
///   otherwise kept as they are, separators kept as spaces
///
/// Also (so Persian keyboards and decomposed Latin find the same words): Farsi yeh ی -> ي,
/// keheh ک -> ك, combining diacritics U+0300..=U+036F dropped, common precomposed Latin letters
/// folded to their base letter (`é` -> `e`).
///
/// The article-less forms are appended after all the words instead of next to each word, so a
/// phrase typed with its articles (`"الطلب جاهز"`) still finds its words adjacent in the index.
pub fn normalize_for_index(text: &str) -> String {
    let words = scan_words(text);
    let mut out = String::with_capacity(text.len());
    for word in &words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.norm);
    }
    for bare in words.iter().filter_map(|w| strip_article(&w.norm)) {
        out.push(' ');
        out.push_str(bare);
    }
    out
}

/// One word of a query after normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub prefix: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// The FTS5 MATCH expression: every word double-quoted (so `"`, `*`, `NEAR(`, `-`, `AND`,
    /// `OR`, `NOT`, `:`, `^`, parentheses are always searched as text, never as syntax), terms
    /// ANDed by juxtaposition, a prefix term written `"word"*`, a phrase as one quoted string
    /// `"a b c"`.
    pub fts: String,
    /// Every term, for highlighting (phrase words included individually).
    pub terms: Vec<Term>,
}

/// Parses what the user typed. Rules:
/// - words are split on anything that is not a letter, mark or digit (Unicode); each word
///   normalised with normalize_for_index's character rules; a query word with an Arabic article
///   prefix is searched WITHOUT the prefix (`الطلب` -> `طلب`), since the index holds both forms
/// - a word immediately followed by `*` is a prefix term (`ord*`); a lone `*` is ignored
/// - text inside a BALANCED pair of double quotes is a phrase; an unbalanced quote is ignored
///   (treated as a separator)
/// - returns None when nothing searchable remains (empty, only punctuation)
///
/// Words inside quotes keep their article: quoting asks for exactly those words, and the
/// article-less forms are not adjacent to their neighbours in the index. A quoted phrase
/// directly followed by `*` makes its last word a prefix (`"new ord"*`). At most
/// `MAX_QUERY_ITEMS` (32) words/phrases are kept; repeated ones count once.
pub fn parse_query(input: &str) -> Option<SearchQuery> {
    let quotes: Vec<usize> = input.match_indices('"').map(|(i, _)| i).collect();
    // Quotes pair up in order; an odd one out is just a separator.
    let pairs: Vec<(usize, usize)> = quotes.chunks_exact(2).map(|p| (p[0], p[1])).collect();
    let phrase_of =
        |w: &Word| pairs.iter().position(|&(open, close)| w.start > open && w.end <= close);
    let star_at = |at: usize| input.get(at..).is_some_and(|rest| rest.starts_with('*'));

    let words = scan_words(input);
    let mut items: Vec<String> = Vec::new();
    let mut terms: Vec<Term> = Vec::new();
    let mut i = 0;
    while i < words.len() && items.len() < MAX_QUERY_ITEMS {
        let (item, item_terms) = match phrase_of(&words[i]) {
            Some(k) => {
                let mut j = i;
                while j < words.len() && phrase_of(&words[j]) == Some(k) {
                    j += 1;
                }
                let prefix = pairs.get(k).is_some_and(|&(_, close)| star_at(close + 1));
                let texts: Vec<&str> = words[i..j].iter().map(|w| w.norm.as_str()).collect();
                let last = texts.len().saturating_sub(1);
                let item_terms = texts
                    .iter()
                    .enumerate()
                    .map(|(n, t)| Term { text: (*t).to_string(), prefix: prefix && n == last })
                    .collect();
                i = j;
                (quoted(&texts.join(" "), prefix), item_terms)
            }
            None => {
                let word = &words[i];
                let text = strip_article(&word.norm).unwrap_or(&word.norm).to_string();
                let prefix = star_at(word.end);
                i += 1;
                (quoted(&text, prefix), vec![Term { text, prefix }])
            }
        };
        if !items.contains(&item) {
            items.push(item);
        }
        for term in item_terms {
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
    }
    if items.is_empty() {
        return None;
    }
    Some(SearchQuery { fts: items.join(" "), terms })
}

/// If the query looks like a phone number (only digits incl. Arabic-Indic, spaces, `+`, `-`, `.`,
/// `(`, `)`, at least 4 digits) -> its ASCII digits (e.g. "+966 50-123 4567" -> "966501234567",
/// "٠٥٠١٢٣" -> "050123"). Otherwise None.
///
/// Any whitespace and the invisible direction marks are also accepted, because a number copied
/// out of WhatsApp arrives wrapped in U+202A/U+202C or U+200E.
pub fn phone_digits(input: &str) -> Option<String> {
    let mut digits = String::new();
    for c in input.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}' => digits.push(ascii_digit(c)),
            '+' | '-' | '.' | '(' | ')' => {}
            c if c.is_whitespace() || is_invisible_format(c) => {}
            _ => return None,
        }
    }
    (digits.len() >= 4).then_some(digits)
}

/// A piece of text for display; `hit` pieces matched a term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

/// Splits ORIGINAL text (with tashkeel, any case, marks) into segments, marking every word whose
/// normalised form equals a non-prefix term, or starts with a prefix term — also when the word
/// carries an Arabic article prefix (`الطلب` is a hit for term `طلب`, and the hit covers the
/// whole word). Matching is done on normalised characters mapped back to the original char
/// positions, so `مَرْحَبًا` is highlighted as one hit for the term `مرحبا`, and `HELLO` for
/// `hello`. Concatenating the segments' text gives back the original exactly. Adjacent segments
/// never share the same `hit` value.
///
/// Term texts are normalised again here, so hand-made terms work too; empty terms are ignored
/// (an empty prefix would otherwise light up every word).
pub fn highlight(original: &str, terms: &[Term]) -> Vec<Segment> {
    let keys: Vec<(String, bool)> = terms
        .iter()
        .map(|t| {
            let mut key = String::new();
            for c in t.text.chars() {
                push_normalized(c, &mut key);
            }
            (key, t.prefix)
        })
        .filter(|(key, _)| !key.is_empty())
        .collect();
    let mut segments = Vec::new();
    let mut cursor = 0;
    if !keys.is_empty() {
        for word in scan_words(original) {
            if word_matches(&word.norm, &keys) {
                push_segment(&mut segments, &original[cursor..word.start], false);
                push_segment(&mut segments, &original[word.start..word.end], true);
                cursor = word.end;
            }
        }
    }
    push_segment(&mut segments, &original[cursor..], false);
    segments
}

/// A short excerpt of at most about `max_chars` characters (counted in chars) around the first
/// hit, with "…" added where text was cut (at word boundaries where possible), whitespace
/// runs/newlines collapsed to single spaces; the whole text highlighted if it is short. With no
/// hit, the start of the text.
///
/// The ellipses count towards `max_chars`, so the result never exceeds it when `max_chars >= 3`.
/// Leading and trailing whitespace is dropped. A hit longer than the budget is cut like any text.
pub fn snippet(original: &str, terms: &[Term], max_chars: usize) -> Vec<Segment> {
    let collapsed = collapse_whitespace(original);
    if max_chars == 0 || collapsed.is_empty() {
        return Vec::new();
    }
    let segments = highlight(&collapsed, terms);
    let chars: Vec<(char, bool)> =
        segments.iter().flat_map(|s| s.text.chars().map(move |c| (c, s.hit))).collect();
    let len = chars.len();
    if len <= max_chars {
        return segments;
    }
    let is_space = |i: usize| chars.get(i).is_some_and(|&(c, _)| c == ' ');

    let first_hit = chars.iter().position(|&(_, hit)| hit);
    let (hit_start, hit_end) = match first_hit {
        Some(s) => (s, chars[s..].iter().position(|&(_, hit)| !hit).map_or(len, |n| s + n)),
        None => (0, 0),
    };
    // A quarter of the room goes to what precedes the hit: enough to read it in context while
    // keeping the hit itself well inside the excerpt.
    let mut start = hit_start.saturating_sub(max_chars / 4);
    // Near the end of the text, slide back so the excerpt is still full.
    start = start.min(len.saturating_sub(max_chars.saturating_sub(1)));
    if start > 0 && !is_space(start - 1) {
        let limit = if first_hit.is_some() { hit_start } else { start };
        if let Some(p) = (start..limit).find(|&i| is_space(i)) {
            start = p + 1;
        }
    }
    let budget = max_chars.saturating_sub(usize::from(start > 0));
    let mut end = (start + budget).min(len);
    if end < len {
        // Room for the trailing ellipsis.
        end = end.saturating_sub(1).max(start + 1);
        if !is_space(end) && !is_space(end - 1) {
            let lo = hit_end.max(start + 1);
            if let Some(p) = (lo..end).rev().find(|&i| is_space(i)) {
                end = p;
            }
        }
    }
    while end > start + 1 && is_space(end - 1) {
        end -= 1;
    }
    while start + 1 < end && is_space(start) {
        start += 1;
    }

    let mut out = Vec::new();
    if start > 0 {
        push_segment(&mut out, ELLIPSIS, false);
    }
    let mut run = String::new();
    let mut run_hit = false;
    for &(c, hit) in &chars[start..end] {
        if hit != run_hit && !run.is_empty() {
            push_segment(&mut out, &run, run_hit);
            run.clear();
        }
        run_hit = hit;
        run.push(c);
    }
    push_segment(&mut out, &run, run_hit);
    if end < len {
        push_segment(&mut out, ELLIPSIS, false);
    }
    out
}

/// How one original character takes part in a word.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Part of a word and of its normalised form.
    Word,
    /// Part of a word on screen (a vowel sign stays with its letter) but absent from the
    /// normalised form, so `مَرْحَبًا` is one word equal to `مرحبا`.
    Dropped,
    Separator,
}

struct Word {
    /// Byte range in the scanned text, always on char boundaries.
    start: usize,
    end: usize,
    norm: String,
}

fn is_tashkeel(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// Characters that change how text is laid out or joined but never what it says.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{200C}' | '\u{200D}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2060}' | '\u{FEFF}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// Combining marks that `char::is_alphanumeric` misses; std has no general-category lookup and
/// the common scripts' marks are enough to keep a base letter and its marks in one word.
fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0483}'..='\u{0489}'
            | '\u{0591}'..='\u{05BD}'
            | '\u{05BF}'
            | '\u{05C1}'..='\u{05C2}'
            | '\u{05C4}'..='\u{05C5}'
            | '\u{05C7}'
            | '\u{0610}'..='\u{061A}'
            | '\u{0900}'..='\u{0903}'
            | '\u{093A}'..='\u{094F}'
            | '\u{0E31}'
            | '\u{0E34}'..='\u{0E3A}'
            | '\u{0E47}'..='\u{0E4E}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

fn class(c: char) -> Class {
    if is_tashkeel(c)
        || c == '\u{0640}'
        || is_invisible_format(c)
        || ('\u{0300}'..='\u{036F}').contains(&c)
    {
        Class::Dropped
    } else if c.is_alphanumeric() || is_combining_mark(c) {
        Class::Word
    } else {
        Class::Separator
    }
}

fn ascii_digit(c: char) -> char {
    let value = match c {
        '\u{0660}'..='\u{0669}' => c as u32 - 0x0660,
        '\u{06F0}'..='\u{06F9}' => c as u32 - 0x06F0,
        _ => return c,
    };
    char::from_digit(value, 10).unwrap_or(c)
}

/// Folds the precomposed Latin letters people actually type in names to their base letter, so
/// the Rust side agrees with the tokenizer's `remove_diacritics`.
fn fold_latin(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ţ' | 'ť' | 'ŧ' => 't',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        _ => c,
    }
}

fn push_normalized(c: char, out: &mut String) {
    if class(c) == Class::Dropped {
        return;
    }
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
        'ى' | 'ئ' | 'ی' => out.push('ي'),
        'ة' => out.push('ه'),
        'ؤ' => out.push('و'),
        'ک' => out.push('ك'),
        '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}' => out.push(ascii_digit(c)),
        _ => {
            for lower in c.to_lowercase() {
                // `İ` lowercases to `i` plus a combining dot, which is a diacritic like any other.
                if class(lower) != Class::Dropped {
                    out.push(fold_latin(lower));
                }
            }
        }
    }
}

/// Words are maximal runs of word and dropped characters. A run whose normalised form holds no
/// letter or digit (a stray vowel sign, a lone joiner) is no word at all.
fn scan_words(text: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let finish = |current: &mut Option<(usize, String)>, end: usize, words: &mut Vec<Word>| {
        if let Some((start, norm)) = current.take() {
            if norm.chars().any(char::is_alphanumeric) {
                words.push(Word { start, end, norm });
            }
        }
    };
    for (i, c) in text.char_indices() {
        if class(c) == Class::Separator {
            finish(&mut current, i, &mut words);
        } else {
            let (_, norm) = current.get_or_insert_with(|| (i, String::new()));
            push_normalized(c, norm);
        }
    }
    finish(&mut current, text.len(), &mut words);
    words
}

/// The word without its article, when enough remains to be a word of its own (`ال` and `الا`
/// keep their meaning only whole).
fn strip_article(norm: &str) -> Option<&str> {
    let prefix = ARTICLE_PREFIXES.iter().find(|p| norm.starts_with(**p))?;
    let rest = norm.get(prefix.len()..)?;
    (rest.chars().filter(|c| c.is_alphabetic()).count() >= 2).then_some(rest)
}

fn word_matches(norm: &str, keys: &[(String, bool)]) -> bool {
    let bare = strip_article(norm);
    keys.iter().any(|(key, prefix)| {
        let hit = |w: &str| if *prefix { w.starts_with(key.as_str()) } else { w == key };
        hit(norm) || bare.is_some_and(hit)
    })
}

/// Inside an FTS5 string, only `"` is special, and doubling it is the escape. Normalised words
/// never hold one, but the quoting must not depend on that.
fn quoted(text: &str, prefix: bool) -> String {
    let mut out = format!("\"{}\"", text.replace('"', "\"\""));
    if prefix {
        out.push('*');
    }
    out
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Keeps the segment list minimal: no empty pieces, and neighbours with the same flag merged.
fn push_segment(segments: &mut Vec<Segment>, text: &str, hit: bool) {
    if text.is_empty() {
        return;
    }
    match segments.last_mut() {
        Some(last) if last.hit == hit => last.text.push_str(text),
        _ => segments.push(Segment { text: text.to_string(), hit }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str) -> Term {
        Term { text: text.to_string(), prefix: false }
    }

    fn prefix_term(text: &str) -> Term {
        Term { text: text.to_string(), prefix: true }
    }

    fn seg(text: &str, hit: bool) -> Segment {
        Segment { text: text.to_string(), hit }
    }

    fn joined(segments: &[Segment]) -> String {
        segments.iter().map(|s| s.text.as_str()).collect()
    }

    fn hits(segments: &[Segment]) -> Vec<&str> {
        segments.iter().filter(|s| s.hit).map(|s| s.text.as_str()).collect()
    }

    /// The MATCH grammar this module promises: quoted strings (with `""` as the only escape),
    /// each optionally followed by `*`, separated by single spaces. Nothing else can reach FTS5.
    fn is_safe_fts(fts: &str) -> bool {
        let chars: Vec<char> = fts.chars().collect();
        let mut i = 0;
        let mut items = 0;
        while i < chars.len() {
            if items > 0 {
                if chars[i] != ' ' {
                    return false;
                }
                i += 1;
            }
            if chars.get(i) != Some(&'"') {
                return false;
            }
            i += 1;
            loop {
                match chars.get(i) {
                    None => return false,
                    Some('"') if chars.get(i + 1) == Some(&'"') => i += 2,
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            if chars.get(i) == Some(&'*') {
                i += 1;
            }
            items += 1;
        }
        items > 0
    }

    fn assert_segments_well_formed(original: &str, segments: &[Segment]) {
        assert_eq!(joined(segments), original);
        assert!(segments.iter().all(|s| !s.text.is_empty()));
        assert!(segments.windows(2).all(|w| w[0].hit != w[1].hit));
    }

    #[test]
    fn lowercases_any_script() {
        assert_eq!(normalize_for_index("HELLO World"), "hello world");
        assert_eq!(normalize_for_index("ΣΟΦΙΑ"), "σοφια");
    }

    #[test]
    fn strips_tashkeel_from_each_range() {
        // U+064B fathatan, U+064E fatha, U+0652 sukun, U+065F wavy hamza below.
        assert_eq!(normalize_for_index("ب\u{064B}ب\u{064E}ب\u{0652}ب\u{065F}"), "بببب");
        // U+0670 superscript alef (as in هٰذا).
        assert_eq!(normalize_for_index("ه\u{0670}ذا"), "هذا");
        // U+06D6 and U+06ED, the ends of the Quranic annotation range.
        assert_eq!(normalize_for_index("ق\u{06D6}ل\u{06ED}"), "قل");
        assert_eq!(normalize_for_index("مَرْحَبًا"), "مرحبا");
    }

    #[test]
    fn strips_tatweel() {
        assert_eq!(normalize_for_index("مـــرحبا"), "مرحبا");
    }

    #[test]
    fn unifies_alef_forms() {
        assert_eq!(normalize_for_index("أحمد"), "احمد");
        assert_eq!(normalize_for_index("إسلام"), "اسلام");
        assert_eq!(normalize_for_index("آمن"), "امن");
        assert_eq!(normalize_for_index("ٱسم"), "اسم");
        // Decomposed hamza/madda are tashkeel and land on the same letter.
        assert_eq!(normalize_for_index("ا\u{0654}حمد"), "احمد");
        assert_eq!(normalize_for_index("ا\u{0653}من"), "امن");
    }

    #[test]
    fn unifies_yeh_teh_marbuta_waw_and_yeh_hamza() {
        assert_eq!(normalize_for_index("مصطفى"), "مصطفي");
        assert_eq!(normalize_for_index("فاطمة"), "فاطمه");
        assert_eq!(normalize_for_index("مؤمن"), "مومن");
        assert_eq!(normalize_for_index("قائمة"), "قايمه");
        // Persian keyboard letters.
        assert_eq!(normalize_for_index("کریم"), "كريم");
    }

    #[test]
    fn converts_arabic_digits() {
        assert_eq!(normalize_for_index("٠١٢٣٤٥٦٧٨٩"), "0123456789");
        assert_eq!(normalize_for_index("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
        assert_eq!(normalize_for_index("طلب ٤٥"), "طلب 45");
    }

    #[test]
    fn removes_direction_marks_and_joiners_without_splitting_words() {
        assert_eq!(normalize_for_index("\u{200F}مرحبا\u{200E}"), "مرحبا");
        assert_eq!(normalize_for_index("ab\u{200C}cd\u{200D}ef"), "abcdef");
        assert_eq!(normalize_for_index("\u{202A}+966\u{202C} \u{2066}x\u{2069}"), "966 x");
        assert_eq!(normalize_for_index("\u{202B}\u{202E}\u{2067}\u{2068}"), "");
    }

    #[test]
    fn folds_latin_diacritics() {
        assert_eq!(normalize_for_index("Café José"), "cafe jose");
        assert_eq!(normalize_for_index("cafe\u{0301}"), "cafe");
        assert_eq!(normalize_for_index("İstanbul"), "istanbul");
    }

    #[test]
    fn separators_become_single_spaces() {
        assert_eq!(normalize_for_index("  hi,\n\tthere!! (ok) "), "hi there ok");
        assert_eq!(normalize_for_index("!!!"), "");
        assert_eq!(normalize_for_index(""), "");
    }

    #[test]
    fn article_words_are_indexed_with_and_without_article() {
        assert_eq!(normalize_for_index("الطلب جاهز"), "الطلب جاهز طلب");
        assert_eq!(normalize_for_index("والطلب"), "والطلب طلب");
        assert_eq!(normalize_for_index("بالطلب"), "بالطلب طلب");
        assert_eq!(normalize_for_index("كالطلب"), "كالطلب طلب");
        assert_eq!(normalize_for_index("فالطلب"), "فالطلب طلب");
        assert_eq!(normalize_for_index("للطلب"), "للطلب طلب");
        // With hamza on the article's alef and tashkeel, after the character rules.
        assert_eq!(normalize_for_index("أَلطَّلَب"), "الطلب طلب");
    }

    #[test]
    fn short_article_words_stay_whole() {
        assert_eq!(normalize_for_index("ال"), "ال");
        assert_eq!(normalize_for_index("الا"), "الا");
        assert_eq!(normalize_for_index("لله"), "لله");
        assert_eq!(normalize_for_index("والد"), "والد");
        // Two letters left is enough.
        assert_eq!(normalize_for_index("الحج"), "الحج حج");
    }

    #[test]
    fn tashkeel_spelling_equals_plain_spelling() {
        assert_eq!(normalize_for_index("مرحبا"), normalize_for_index("مَرْحَبًا"));
        let q = parse_query("مَرْحَبًا").expect("query");
        assert_eq!(q.fts, "\"مرحبا\"");
    }

    #[test]
    fn query_without_article_finds_article_word() {
        let q = parse_query("طلب").expect("query");
        assert_eq!(q.fts, "\"طلب\"");
        assert!(normalize_for_index("الطلب جاهز").split(' ').any(|w| w == "طلب"));
        let q = parse_query("الطلب").expect("query");
        assert_eq!(q.fts, "\"طلب\"");
        assert_eq!(q.terms, vec![term("طلب")]);
        let q = parse_query("بالطلب").expect("query");
        assert_eq!(q.fts, "\"طلب\"");
    }

    #[test]
    fn english_query_is_lowercased_and_anded() {
        let q = parse_query("Hello WORLD").expect("query");
        assert_eq!(q.fts, "\"hello\" \"world\"");
        assert_eq!(q.terms, vec![term("hello"), term("world")]);
    }

    #[test]
    fn repeated_words_count_once() {
        let q = parse_query("a a A").expect("query");
        assert_eq!(q.fts, "\"a\"");
        assert_eq!(q.terms, vec![term("a")]);
    }

    #[test]
    fn prefix_terms() {
        let q = parse_query("ord*").expect("query");
        assert_eq!(q.fts, "\"ord\"*");
        assert_eq!(q.terms, vec![prefix_term("ord")]);
        let q = parse_query("new ord* *").expect("query");
        assert_eq!(q.fts, "\"new\" \"ord\"*");
        // A star that does not touch a word is just punctuation.
        let q = parse_query("ord *").expect("query");
        assert_eq!(q.fts, "\"ord\"");
        let q = parse_query("الطل*").expect("query");
        assert_eq!(q.fts, "\"طل\"*");
        assert_eq!(parse_query("*"), None);
        assert_eq!(parse_query("* ** ***"), None);
    }

    #[test]
    fn phrases() {
        let q = parse_query("\"Order Ready\" now").expect("query");
        assert_eq!(q.fts, "\"order ready\" \"now\"");
        assert_eq!(q.terms, vec![term("order"), term("ready"), term("now")]);
        let q = parse_query("\"new ord\"*").expect("query");
        assert_eq!(q.fts, "\"new ord\"*");
        assert_eq!(q.terms, vec![term("new"), prefix_term("ord")]);
        // Quoted words keep their article so the phrase lines up with the indexed words.
        let q = parse_query("\"الطلب جاهز\"").expect("query");
        assert_eq!(q.fts, "\"الطلب جاهز\"");
        let q = parse_query("\"a\" \"b c\"").expect("query");
        assert_eq!(q.fts, "\"a\" \"b c\"");
        assert_eq!(parse_query("\"\""), None);
        assert_eq!(parse_query("\" \""), None);
    }

    #[test]
    fn unbalanced_quote_is_a_separator() {
        let q = parse_query("say \"hello world").expect("query");
        assert_eq!(q.fts, "\"say\" \"hello\" \"world\"");
        let q = parse_query("\"a b\" \"c").expect("query");
        assert_eq!(q.fts, "\"a b\" \"c\"");
    }

    #[test]
    fn nothing_searchable_is_none() {
        for input in ["", "   ", "!?.,", "\u{200F}\u{200E}", "\u{064E}\u{0651}", "🙂🙂", "((("]
        {
            assert_eq!(parse_query(input), None, "{input:?}");
        }
    }

    #[test]
    fn query_items_are_capped() {
        let input: String = (0..100).map(|i| format!("w{i} ")).collect();
        let q = parse_query(&input).expect("query");
        assert_eq!(q.fts.split(' ').count(), MAX_QUERY_ITEMS);
        assert!(q.fts.starts_with("\"w0\" \"w1\""));
    }

    fn hostile_inputs() -> Vec<String> {
        let mut inputs: Vec<String> = [
            "\"",
            "\"\"",
            "*",
            "NEAR(",
            "a NEAR(b",
            "NEAR(a b, 2)",
            "(((",
            ")",
            "-x",
            "a OR",
            "AND",
            "NOT a",
            "a AND b OR c NOT d",
            "col:val",
            "{x y}: z",
            "^start",
            "x + y",
            "'; DROP TABLE x; --",
            "🙂 👨\u{200D}👩\u{200D}👧",
            "\u{200F}\u{200E}\u{202B}\u{202C}\u{2067}\u{2069}",
            "a\"b\"c\"",
            "\"*\"*",
            "ab*cd*",
            "**a**",
            "\"x\"\"y\"",
            "\u{0000}null\u{0000}",
            "مرحبا OR أهلا",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        inputs.push("(".repeat(10_000));
        inputs.push("\"".repeat(10_001));
        inputs.push("a ".repeat(5_000));
        inputs
    }

    #[test]
    fn hostile_queries_only_produce_quoted_tokens() {
        for input in hostile_inputs() {
            if let Some(q) = parse_query(&input) {
                assert!(is_safe_fts(&q.fts), "{input:?} -> {:?}", q.fts);
                assert!(q.terms.iter().all(|t| !t.text.is_empty()));
            }
        }
        assert_eq!(parse_query("NOT a").map(|q| q.fts), Some("\"not\" \"a\"".to_string()));
        assert_eq!(parse_query("col:val").map(|q| q.fts), Some("\"col\" \"val\"".to_string()));
        assert_eq!(
            parse_query("a NEAR(b").map(|q| q.fts),
            Some("\"a\" \"near\" \"b\"".to_string())
        );
        assert_eq!(parse_query("(".repeat(10_000).as_str()), None);
        assert_eq!(parse_query("\""), None);
        assert_eq!(parse_query(")"), None);
    }

    #[test]
    fn checker_rejects_syntax() {
        assert!(is_safe_fts("\"a\" \"b\"*"));
        assert!(is_safe_fts("\"a \"\"b\""));
        assert!(!is_safe_fts("a"));
        assert!(!is_safe_fts("\"a\" OR \"b\""));
        assert!(!is_safe_fts("\"a"));
        assert!(!is_safe_fts("\"a\"**"));
        assert!(!is_safe_fts(""));
    }

    #[test]
    fn phone_digits_positives() {
        assert_eq!(phone_digits("+966 50-123 4567").as_deref(), Some("966501234567"));
        assert_eq!(phone_digits("٠٥٠١٢٣").as_deref(), Some("050123"));
        assert_eq!(phone_digits("۰۵۰۱").as_deref(), Some("0501"));
        assert_eq!(phone_digits("(050) 123.45").as_deref(), Some("05012345"));
        assert_eq!(phone_digits("1234").as_deref(), Some("1234"));
        assert_eq!(
            phone_digits("\u{202A}+966 50 123 4567\u{202C}").as_deref(),
            Some("966501234567")
        );
    }

    #[test]
    fn phone_digits_negatives() {
        assert_eq!(phone_digits("call me 123"), None);
        assert_eq!(phone_digits("12"), None);
        assert_eq!(phone_digits("123"), None);
        assert_eq!(phone_digits("+-()."), None);
        assert_eq!(phone_digits(""), None);
        assert_eq!(phone_digits("0501234x"), None);
        assert_eq!(phone_digits("طلب 1234"), None);
    }

    #[test]
    fn highlight_arabic_with_tashkeel() {
        let original = "قال: مَرْحَبًا يا صديقي";
        let segments = highlight(original, &[term("مرحبا")]);
        assert_eq!(
            segments,
            vec![seg("قال: ", false), seg("مَرْحَبًا", true), seg(" يا صديقي", false)]
        );
    }

    #[test]
    fn highlight_article_word_covers_whole_word() {
        let original = "الطلب جاهز وبالطلب، طلب";
        let segments = highlight(original, &[term("طلب")]);
        assert_eq!(hits(&segments), vec!["الطلب", "طلب"]);
        // وبالطلب has two proclitics; only one is understood.
        let segments = highlight("بالطلب", &[term("طلب")]);
        assert_eq!(segments, vec![seg("بالطلب", true)]);
    }

    #[test]
    fn highlight_mixed_arabic_and_english() {
        let original = "Your ORDER رقم ٤٥ is الجاهز now, order-ready!";
        let q = parse_query("order 45 جاهز").expect("query");
        let segments = highlight(original, &q.terms);
        assert_eq!(hits(&segments), vec!["ORDER", "٤٥", "الجاهز", "order"]);
        assert_segments_well_formed(original, &segments);
    }

    #[test]
    fn highlight_case_and_prefix() {
        let segments = highlight("HELLO there, Hello!", &[term("hello")]);
        assert_eq!(
            segments,
            vec![seg("HELLO", true), seg(" there, ", false), seg("Hello", true), seg("!", false)]
        );
        let segments = highlight("ordering orders or", &[prefix_term("ord")]);
        assert_eq!(hits(&segments), vec!["ordering", "orders"]);
        // Without the star a longer word is not a hit.
        assert_eq!(hits(&highlight("ordering", &[term("ord")])), Vec::<&str>::new());
    }

    #[test]
    fn highlight_keeps_marks_and_joiners_with_their_word() {
        let original = "\u{200F}أَهْلاً\u{200E} و سهلاً";
        let segments = highlight(original, &[term("اهلا")]);
        assert_eq!(segments, vec![seg("\u{200F}أَهْلاً\u{200E}", true), seg(" و سهلاً", false)]);
    }

    #[test]
    fn highlight_edge_cases() {
        assert_eq!(highlight("", &[term("a")]), Vec::<Segment>::new());
        assert_eq!(highlight("abc", &[]), vec![seg("abc", false)]);
        // An empty prefix term must not match everything.
        assert_eq!(highlight("abc", &[prefix_term("")]), vec![seg("abc", false)]);
        assert_eq!(
            highlight("a b", &[term("a"), term("b")]),
            vec![seg("a", true), seg(" ", false), seg("b", true)]
        );
    }

    #[test]
    fn segments_round_trip() {
        let terms = [term("طلب"), prefix_term("he"), term("مرحبا")];
        for original in [
            "مَرْحَبًا hello الطلب",
            "\n\n  hello\t\tworld  ",
            "🙂 he said: \"hey\" — بالطلب!",
            "İİİ ﷺ ﷽ e\u{0301}",
            "no hits here",
        ] {
            assert_segments_well_formed(original, &highlight(original, &terms));
        }
    }

    #[test]
    fn snippet_short_text_is_whole_and_collapsed() {
        let segments = snippet("Hello\n\n   world  ", &[term("world")], 50);
        assert_eq!(segments, vec![seg("Hello ", false), seg("world", true)]);
        assert_eq!(snippet("", &[term("a")], 50), Vec::<Segment>::new());
        assert_eq!(snippet("abc", &[term("a")], 0), Vec::<Segment>::new());
    }

    #[test]
    fn snippet_cuts_both_sides_at_word_boundaries() {
        let original = "one two three four five six seven eight nine ten eleven twelve thirteen \
                        fourteen fifteen target sixteen seventeen eighteen nineteen twenty \
                        twentyone twentytwo";
        let segments = snippet(original, &[term("target")], 40);
        let text = joined(&segments);
        assert!(text.starts_with('…'), "{text:?}");
        assert!(text.ends_with('…'), "{text:?}");
        assert!(text.chars().count() <= 40, "{text:?}");
        assert_eq!(hits(&segments), vec!["target"]);
        assert_eq!(text, "…fifteen target sixteen seventeen…");
        // Whole words only between the ellipses.
        let inner = text.trim_matches('…');
        for word in inner.split(' ') {
            assert!(original.split_whitespace().any(|w| w == word), "{word:?}");
        }
    }

    #[test]
    fn snippet_without_hit_is_the_start() {
        let original = "alpha beta gamma delta epsilon zeta eta theta";
        let segments = snippet(original, &[term("nothing")], 20);
        assert_eq!(segments, vec![seg("alpha beta gamma…", false)]);
    }

    #[test]
    fn snippet_hit_at_end_and_start() {
        let original = "alpha beta gamma delta epsilon zeta eta theta";
        let segments = snippet(original, &[term("theta")], 20);
        let text = joined(&segments);
        assert!(text.starts_with('…') && text.ends_with("theta"), "{text:?}");
        assert!(text.chars().count() <= 20);
        let segments = snippet(original, &[term("alpha")], 20);
        assert_eq!(segments, vec![seg("alpha", true), seg(" beta gamma…", false)]);
    }

    #[test]
    fn snippet_arabic_keeps_tashkeel_and_hit() {
        let original = "السلام عليكم ورحمة الله وبركاته، نود إبلاغكم أن الطَّلَب رقم ١٢ جاهز للاستلام من الفرع الرئيسي اليوم";
        let segments = snippet(original, &parse_query("طلب").expect("query").terms, 40);
        let text = joined(&segments);
        assert_eq!(hits(&segments), vec!["الطَّلَب"]);
        assert!(text.starts_with('…') && text.ends_with('…'), "{text:?}");
        assert!(text.chars().count() <= 40);
    }

    /// xorshift: enough randomness to explore, deterministic so a failure reproduces.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }

        fn char(&mut self) -> char {
            const POOL: &[char] = &[
                'a', 'Z', ' ', ' ', '\n', '\t', '"', '*', '(', ')', '-', ':', '^', '\'', 'ا', 'ل',
                'ط', 'ب', 'و', 'أ', 'ة', 'ى', '\u{064E}', '\u{0651}', '\u{0640}', '٣', '۷',
                '\u{200F}', '\u{200D}', '\u{202B}', '\u{0301}', 'İ', 'ß', 'ﷺ', '🙂', '…',
                '\u{FEFF}',
            ];
            match self.below(3) {
                0 => char::from_u32(self.below(0x11_0000) as u32).unwrap_or('?'),
                _ => POOL[self.below(POOL.len() as u64) as usize],
            }
        }

        fn string(&mut self, max_len: u64) -> String {
            let len = self.below(max_len + 1);
            (0..len).map(|_| self.char()).collect()
        }
    }

    #[test]
    fn random_unicode_never_panics_and_round_trips() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..3_000 {
            let text = rng.string(80);
            let query = rng.string(12);
            let _ = normalize_for_index(&text);
            let _ = phone_digits(&query);
            let terms = match parse_query(&query) {
                Some(q) => {
                    assert!(is_safe_fts(&q.fts), "{query:?} -> {:?}", q.fts);
                    q.terms
                }
                None => vec![term("ا"), prefix_term("a")],
            };
            assert_segments_well_formed(&text, &highlight(&text, &terms));
            let max = rng.below(40) as usize;
            let snip = snippet(&text, &terms, max);
            assert!(snip.windows(2).all(|w| w[0].hit != w[1].hit));
            assert!(snip.iter().all(|s| !s.text.is_empty()));
            if max >= 3 {
                assert!(joined(&snip).chars().count() <= max, "{text:?} {max}");
            }
        }
    }
}
