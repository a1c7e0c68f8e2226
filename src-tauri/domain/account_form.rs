//! The account form's rules: every field checked before anything is saved or sent, each problem
//! explained in a sentence that names the field.

use serde::Serialize;

pub const MAX_NUMBERS: usize = 20;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountForm {
    pub name: String,
    pub base_url: String,
    pub api_key: String,
    pub tenant_id: String,
    pub webhook_secret: String,
    pub numbers: Vec<NumberField>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NumberField {
    pub api_id: String,
    pub display_name: String,
}

/// One problem, tied to the field the UI should point at (`numbers.1.api_id` for the second
/// number's API ID).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

fn problem(field: impl Into<String>, message: impl Into<String>) -> FieldProblem {
    FieldProblem { field: field.into(), message: message.into() }
}

/// Every problem with the form, in the order the fields appear; empty when it may be submitted.
/// `existing_key` is true when editing an account whose key is already in the keychain (an empty
/// key field then means "keep it").
pub fn check_form(form: &AccountForm, existing_key: bool) -> Vec<FieldProblem> {
    let mut out = Vec::new();

    let name = form.name.trim();
    if name.is_empty() {
        out.push(problem("name", "Give the account a name, for example the name of your shop."));
    } else if name.chars().count() > 80 {
        out.push(problem("name", "Keep the account name under 80 characters."));
    }

    let url = form.base_url.trim();
    match check_base_url(url) {
        Ok(()) => {}
        Err(m) => out.push(problem("base_url", m)),
    }

    let key = form.api_key.trim();
    if key.is_empty() {
        if !existing_key {
            out.push(problem("api_key", "Paste the API key from CubeConnect (Settings → API Keys)."));
        }
    } else if key.chars().any(char::is_whitespace) {
        out.push(problem("api_key", "An API key has no spaces or line breaks; copy it again from CubeConnect."));
    } else if key.len() < 8 || key.len() > 512 {
        out.push(problem("api_key", "This does not look like a CubeConnect API key; copy it again from Settings → API Keys."));
    }

    let tenant = form.tenant_id.trim();
    if !tenant.is_empty() && (tenant.len() > 64 || !tenant.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')) {
        out.push(problem("tenant_id", "A tenant ID is letters, digits, '-' or '_'. Leave it empty unless CubeConnect gave you one."));
    }

    let secret = form.webhook_secret.trim();
    if !secret.is_empty() && (secret.len() < 8 || secret.chars().any(char::is_whitespace)) {
        out.push(problem(
            "webhook_secret",
            "The webhook signing secret is the long code from CubeConnect (Settings → Webhook), without spaces.",
        ));
    }

    if form.numbers.is_empty() {
        out.push(problem("numbers", "Add at least one WhatsApp number (its API ID is under Dashboard → WhatsApp Numbers)."));
    } else if form.numbers.len() > MAX_NUMBERS {
        out.push(problem("numbers", format!("CubeDesk handles up to {MAX_NUMBERS} numbers per account.")));
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, n) in form.numbers.iter().enumerate() {
        let id = n.api_id.trim();
        if id.is_empty() {
            out.push(problem(format!("numbers.{i}.api_id"), "Paste this number's API ID from Dashboard → WhatsApp Numbers."));
        } else if id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            out.push(problem(format!("numbers.{i}.api_id"), "An API ID is letters and digits, like 01JXK9…; copy it again."));
        } else if seen.contains(&id) {
            out.push(problem(format!("numbers.{i}.api_id"), "This number is already in the list."));
        } else {
            seen.push(id);
        }
        let label = n.display_name.trim();
        if label.is_empty() {
            out.push(problem(format!("numbers.{i}.display_name"), "Give this number a name you will recognise, like \"Main shop\"."));
        } else if label.chars().count() > 60 {
            out.push(problem(format!("numbers.{i}.display_name"), "Keep the number's name under 60 characters."));
        }
    }
    out
}

/// A base URL is `https://host[:port][/path]`; plain `http` only for this computer (the simulator).
pub fn check_base_url(url: &str) -> Result<(), &'static str> {
    let (scheme, rest) = match url.split_once("://") {
        Some(p) => p,
        None => return Err("Enter the CubeConnect address, starting with https:// (normally https://cubeconnect.io)."),
    };
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host_port.rsplit_once(':').map_or(host_port, |(h, p)| if p.chars().all(|c| c.is_ascii_digit()) { h } else { host_port });
    if host.is_empty() || host.contains(char::is_whitespace) || host.contains('@') {
        return Err("This address has no valid host name; it should look like https://cubeconnect.io.");
    }
    let loopback = host == "localhost" || host == "[::1]" || host.starts_with("127.");
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err("Use https:// so your API key is never sent unencrypted."),
        _ => Err("Enter the CubeConnect address, starting with https:// (normally https://cubeconnect.io)."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> AccountForm {
        AccountForm {
            name: "Al Noor Pharmacy".into(),
            base_url: "https://cubeconnect.io".into(),
            api_key: "ck_live_0123456789".into(),
            tenant_id: String::new(),
            webhook_secret: "whsec_0123456789abcdef".into(),
            numbers: vec![NumberField { api_id: "01JXK9ABCDEF".into(), display_name: "Main shop".into() }],
        }
    }

    fn fields(form: &AccountForm) -> Vec<String> {
        check_form(form, false).into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_complete_form_passes() {
        assert!(check_form(&good(), false).is_empty());
    }

    #[test]
    fn each_field_is_checked() {
        let cases: Vec<(fn(&mut AccountForm), &str)> = vec![
            (|f| f.name = "  ".into(), "name"),
            (|f| f.base_url = "cubeconnect.io".into(), "base_url"),
            (|f| f.base_url = "http://cubeconnect.io".into(), "base_url"),
            (|f| f.base_url = "https://".into(), "base_url"),
            (|f| f.base_url = "ftp://cubeconnect.io".into(), "base_url"),
            (|f| f.api_key = "".into(), "api_key"),
            (|f| f.api_key = "ck live key".into(), "api_key"),
            (|f| f.api_key = "short".into(), "api_key"),
            (|f| f.tenant_id = "tenant 1".into(), "tenant_id"),
            (|f| f.webhook_secret = "abc".into(), "webhook_secret"),
            (|f| f.numbers.clear(), "numbers"),
            (|f| f.numbers[0].api_id = "".into(), "numbers.0.api_id"),
            (|f| f.numbers[0].api_id = "01JX/../x".into(), "numbers.0.api_id"),
            (|f| f.numbers[0].display_name = "".into(), "numbers.0.display_name"),
        ];
        for (spoil, field) in cases {
            let mut f = good();
            spoil(&mut f);
            assert_eq!(fields(&f), vec![field.to_string()], "{field}");
        }
    }

    #[test]
    fn duplicate_numbers_point_at_the_second() {
        let mut f = good();
        f.numbers.push(NumberField { api_id: " 01JXK9ABCDEF ".into(), display_name: "Branch".into() });
        assert_eq!(fields(&f), vec!["numbers.1.api_id"]);
    }

    #[test]
    fn loopback_may_use_plain_http() {
        for url in ["http://127.0.0.1:8080", "http://localhost:3000/", "https://staging.cubeconnect.io/base"] {
            assert_eq!(check_base_url(url), Ok(()), "{url}");
        }
        assert!(check_base_url("http://192.168.1.5").is_err());
    }

    #[test]
    fn an_empty_key_keeps_the_saved_one_when_editing() {
        let mut f = good();
        f.api_key.clear();
        assert!(check_form(&f, true).is_empty());
        assert_eq!(fields(&f), vec!["api_key"]);
    }

    #[test]
    fn optional_fields_may_stay_empty() {
        let mut f = good();
        f.webhook_secret.clear();
        f.tenant_id.clear();
        assert!(check_form(&f, false).is_empty());
    }
}
