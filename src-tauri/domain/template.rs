//! Templates: positional `{{n}}` placeholders, parameter checks before sending, rendering (the
//! preview and the stored body of a sent template), and the direction a template's language
//! reads in.

/// The distinct placeholder numbers in `body`, ascending. `{{ 2 }}` counts like `{{2}}`;
/// anything that is not a positive number between the braces is ordinary text.
pub fn placeholders(body: &str) -> Vec<u32> {
    let mut found: Vec<u32> = scan(body).filter_map(|p| p.index).collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// How many parameters a template needs: the service's `params_count` when it gave one (it is
/// what the service checks), otherwise the highest placeholder in the body.
pub fn param_count(body: &str, declared: Option<u32>) -> u32 {
    declared.unwrap_or_else(|| placeholders(body).last().copied().unwrap_or(0))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamError {
    CountMismatch { expected: usize, got: usize },
    /// 1-based, like the placeholder it fills.
    Empty { index: usize },
    /// WhatsApp refuses parameters with line breaks or tabs.
    LineBreakOrTab { index: usize },
    /// WhatsApp refuses parameters with more than four spaces in a row.
    TooManySpaces { index: usize },
}

/// Checks `params` against a template that needs `expected` of them, before any network call.
pub fn check_params(expected: usize, params: &[String]) -> Result<(), ParamError> {
    if params.len() != expected {
        return Err(ParamError::CountMismatch { expected, got: params.len() });
    }
    for (i, p) in params.iter().enumerate() {
        let index = i + 1;
        if p.trim().is_empty() {
            return Err(ParamError::Empty { index });
        }
        if p.contains(['\n', '\r', '\t']) {
            return Err(ParamError::LineBreakOrTab { index });
        }
        if p.contains("     ") {
            return Err(ParamError::TooManySpaces { index });
        }
    }
    Ok(())
}

/// `body` with each `{{n}}` replaced by `params[n-1]`. A placeholder with no value is left as it
/// is, so a half-filled preview shows what is still missing.
pub fn render(body: &str, params: &[String]) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    for p in scan(body) {
        let (before, after) = rest.split_at(p.start - (body.len() - rest.len()));
        out.push_str(before);
        let value = p.index.and_then(|n| params.get(n as usize - 1));
        match value {
            Some(v) => out.push_str(v),
            None => out.push_str(&after[..p.len]),
        }
        rest = &after[p.len..];
    }
    out.push_str(rest);
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextDirection {
    Ltr,
    Rtl,
}

/// The direction a language code (`ar`, `en_US`, `fa-IR`, ...) is written in.
pub fn language_direction(language: &str) -> TextDirection {
    let primary = language.split(['_', '-']).next().unwrap_or("").to_ascii_lowercase();
    match primary.as_str() {
        "ar" | "fa" | "he" | "iw" | "ur" | "ps" | "sd" | "ug" | "yi" | "dv" | "ckb" => TextDirection::Rtl,
        _ => TextDirection::Ltr,
    }
}

/// Template statuses are compared case-insensitively (decision 10); only approved ones are offered.
pub fn is_approved(status: &str) -> bool {
    status.trim().eq_ignore_ascii_case("approved")
}

/// One `{{...}}` occurrence: byte offset, byte length, and its number when it is a placeholder.
struct Brace {
    start: usize,
    len: usize,
    index: Option<u32>,
}

fn scan(body: &str) -> impl Iterator<Item = Brace> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let open = from + body.get(from..)?.find("{{")?;
        let close = match body[open + 2..].find("}}") {
            Some(c) => open + 2 + c,
            None => return None,
        };
        let inner = body[open + 2..close].trim();
        from = close + 2;
        let index = if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
            inner.parse::<u32>().ok().filter(|n| *n > 0)
        } else {
            None
        };
        if index.is_some() {
            return Some(Brace { start: open, len: close + 2 - open, index });
        }
        // `{{name}}` or `{{}}`: plain text; keep scanning after it.
        continue;
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn finds_numbered_placeholders_in_order_without_duplicates() {
        assert_eq!(placeholders("Your order {{1}} is confirmed. Total: {{2}}"), vec![1, 2]);
        assert_eq!(placeholders("{{2}} then {{1}} then {{2}} again"), vec![1, 2]);
        assert_eq!(placeholders("spaced {{ 3 }}"), vec![3]);
        assert_eq!(placeholders("no placeholders"), Vec::<u32>::new());
        assert_eq!(placeholders("{{name}} {{0}} {{}} {{-1}} {{1a}}"), Vec::<u32>::new());
        assert_eq!(placeholders("unclosed {{1"), Vec::<u32>::new());
    }

    #[test]
    fn finds_placeholders_in_arabic_bodies() {
        let body = "مرحباً {{1}}، طلبك رقم {{2}} جاهز للاستلام";
        assert_eq!(placeholders(body), vec![1, 2]);
    }

    #[test]
    fn param_count_prefers_the_declared_count() {
        assert_eq!(param_count("{{1}} {{2}}", Some(3)), 3);
        assert_eq!(param_count("{{1}} {{3}}", None), 3);
        assert_eq!(param_count("hello", None), 0);
    }

    #[test]
    fn count_must_match_exactly() {
        assert_eq!(check_params(2, &s(&["A"])), Err(ParamError::CountMismatch { expected: 2, got: 1 }));
        assert_eq!(check_params(0, &s(&["A"])), Err(ParamError::CountMismatch { expected: 0, got: 1 }));
        assert_eq!(check_params(2, &s(&["A", "B"])), Ok(()));
        assert_eq!(check_params(0, &[]), Ok(()));
    }

    #[test]
    fn each_parameter_must_be_filled_and_single_line() {
        assert_eq!(check_params(2, &s(&["A", "  "])), Err(ParamError::Empty { index: 2 }));
        assert_eq!(check_params(1, &s(&["a\nb"])), Err(ParamError::LineBreakOrTab { index: 1 }));
        assert_eq!(check_params(1, &s(&["a\tb"])), Err(ParamError::LineBreakOrTab { index: 1 }));
        assert_eq!(check_params(1, &s(&["a     b"])), Err(ParamError::TooManySpaces { index: 1 }));
        assert_eq!(check_params(1, &s(&["a    b"])), Ok(()));
    }

    #[test]
    fn renders_values_into_their_places() {
        let body = "Your order {{1}} is confirmed. Total: {{2}}";
        assert_eq!(render(body, &s(&["#1042", "250 SAR"])), "Your order #1042 is confirmed. Total: 250 SAR");
        assert_eq!(render("{{2}}-{{1}}-{{2}}", &s(&["a", "b"])), "b-a-b");
    }

    #[test]
    fn renders_arabic_with_values() {
        let body = "مرحباً {{1}}، طلبك رقم {{2}} جاهز للاستلام";
        assert_eq!(
            render(body, &s(&["أحمد", "١٠٤٢"])),
            "مرحباً أحمد، طلبك رقم ١٠٤٢ جاهز للاستلام"
        );
    }

    #[test]
    fn missing_values_leave_the_placeholder_visible() {
        assert_eq!(render("Hi {{1}}, code {{2}}", &s(&["Sara"])), "Hi Sara, code {{2}}");
        assert_eq!(render("keep {{name}} and {{ 1 }}", &s(&["x"])), "keep {{name}} and x");
        assert_eq!(render("", &[]), "");
    }

    #[test]
    fn a_value_that_looks_like_a_placeholder_is_not_expanded_again() {
        assert_eq!(render("{{1}} {{2}}", &s(&["{{2}}", "b"])), "{{2}} b");
    }

    #[test]
    fn directions() {
        assert_eq!(language_direction("ar"), TextDirection::Rtl);
        assert_eq!(language_direction("ar_EG"), TextDirection::Rtl);
        assert_eq!(language_direction("he-IL"), TextDirection::Rtl);
        assert_eq!(language_direction("fa"), TextDirection::Rtl);
        assert_eq!(language_direction("ur"), TextDirection::Rtl);
        assert_eq!(language_direction("en_US"), TextDirection::Ltr);
        assert_eq!(language_direction("fr"), TextDirection::Ltr);
        assert_eq!(language_direction(""), TextDirection::Ltr);
    }

    #[test]
    fn approval_is_case_insensitive() {
        assert!(is_approved("APPROVED"));
        assert!(is_approved("approved"));
        assert!(!is_approved("PENDING"));
        assert!(!is_approved("REJECTED"));
    }
}
