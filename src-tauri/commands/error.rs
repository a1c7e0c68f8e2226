//! The one error every command returns: `{"code": "...", "message": "..."}`. The code is stable
//! (the UI and scripts branch on it); the message is a sentence a shop owner understands.

use serde::Serialize;

use crate::domain::deep_link::LinkError;
use crate::domain::phone::PhoneError;
use crate::domain::send_rules::SendRefusal;
use crate::domain::template::ParamError;
use crate::domain::text::{TextError, MAX_TEXT_CHARS};
use crate::store::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    DataDirUnwritable,
    AlreadyRunning,
    DbNotSqlite,
    DbNotCubedesk,
    DbCorrupt,
    DbNewerSchema,
    DbUnavailable,
    DiskFull,
    InvalidPhone,
    TextEmpty,
    TextTooLong,
    WindowClosed,
    InboundOnlyType,
    TemplateParamsMismatch,
    TemplateParamInvalid,
    AccountFormInvalid,
    AccountUnreachable,
    AccountNotCubeconnect,
    AccountKeyRejected,
    AccountNoTenant,
    AccountTenantRejected,
    AccountForbidden,
    AccountUnknownNumber,
    AccountCheckFailed,
    AccountExists,
    NoAccount,
    KeychainUnavailable,
    DemoUnavailable,
    NotFound,
    CustomerBlocked,
    TemplateUnavailable,
    TemplateHeaderMedia,
    NotRetriable,
    ReceiverUnavailable,
    /// A search filter or page token the archive cannot use.
    SearchInvalid,
    /// An export, backup or restore could not write or read the file chosen.
    FileUnwritable,
    FileUnreadable,
    /// A file offered for import is empty, binary, too large or not a WhatsApp chat export.
    ImportEmpty,
    ImportBinary,
    ImportTooLarge,
    ImportUnknownLayout,
    /// A file offered as a backup is not a usable CubeDesk archive.
    BackupInvalid,
    /// A `cubedesk://` link CubeDesk does not follow (another action, a bad phone).
    LinkRefused,
    /// Looking for, downloading or installing a new version failed.
    UpdateFailed,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError { code, message: message.into() }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        use ErrorCode::*;
        let code = match &e {
            StoreError::DataDirUnwritable { .. } | StoreError::NoDataDir => DataDirUnwritable,
            StoreError::AlreadyRunning { .. } => AlreadyRunning,
            StoreError::NotSqlite { .. } => DbNotSqlite,
            StoreError::NotCubeDesk { .. } => DbNotCubedesk,
            StoreError::Corrupt { .. } => DbCorrupt,
            StoreError::NewerSchema { .. } => DbNewerSchema,
            StoreError::DiskFull { .. } => DiskFull,
            StoreError::Open { .. } => DbUnavailable,
            StoreError::Sqlx(_) | StoreError::Invalid(_) => Internal,
        };
        let message = match &e {
            StoreError::DataDirUnwritable { path, reason } => format!(
                "CubeDesk cannot save its data in the folder {} ({reason}). Choose a folder you can write to.",
                path.display()
            ),
            StoreError::NoDataDir => {
                "CubeDesk could not find a folder for its data. Start it with --data-dir and a folder of your choice.".into()
            }
            StoreError::AlreadyRunning { path, holder } => format!(
                "CubeDesk is already open on the data folder {}{}. Close the other window (or stop the daemon) first.",
                path.display(),
                holder.map(|p| format!(" (process {p})")).unwrap_or_default()
            ),
            StoreError::NotSqlite { path } => format!(
                "The file {} is not a CubeDesk archive. It was left untouched; move it away or choose another data folder.",
                path.display()
            ),
            StoreError::NotCubeDesk { path } => format!(
                "The file {} belongs to another program, not CubeDesk. It was left untouched; choose another data folder.",
                path.display()
            ),
            StoreError::Corrupt { path, .. } => format!(
                "The archive file {} is damaged and cannot be read. It was left untouched; restore it from a backup.",
                path.display()
            ),
            StoreError::NewerSchema { path, .. } => format!(
                "The archive file {} was saved by a newer version of CubeDesk. Update CubeDesk to open it; the file was left untouched.",
                path.display()
            ),
            StoreError::DiskFull { path } => format!(
                "The disk holding {} is full. Free some space; nothing was lost.",
                path.display()
            ),
            StoreError::Open { path, detail } => {
                format!("The archive file {} could not be opened ({detail}).", path.display())
            }
            StoreError::Sqlx(inner) => format!("Something went wrong inside CubeDesk's archive ({inner})."),
            StoreError::Invalid(why) => format!("Something went wrong inside CubeDesk ({why})."),
        };
        AppError { code, message }
    }
}

impl From<PhoneError> for AppError {
    fn from(e: PhoneError) -> Self {
        let message = match e {
            PhoneError::Empty => "Enter a phone number with its country code, for example +966 50 123 4567.".into(),
            PhoneError::InvalidCharacter(c) => {
                format!("A phone number can only contain digits, spaces and a leading +; \"{c}\" is not allowed.")
            }
            PhoneError::TooShort { digits } => format!(
                "This phone number has {digits} digits; a number with its country code has at least 8."
            ),
            PhoneError::TooLong { digits } => {
                format!("This phone number has {digits} digits; a phone number has at most 15.")
            }
        };
        AppError::new(ErrorCode::InvalidPhone, message)
    }
}

impl From<TextError> for AppError {
    fn from(e: TextError) -> Self {
        match e {
            TextError::Empty => AppError::new(ErrorCode::TextEmpty, "Write a message before sending."),
            TextError::TooLong { chars, max } => AppError::new(
                ErrorCode::TextTooLong,
                format!("This message has {chars} characters; WhatsApp allows at most {max}. Shorten it or split it in two."),
            ),
        }
    }
}

impl From<SendRefusal> for AppError {
    fn from(e: SendRefusal) -> Self {
        match e {
            SendRefusal::WindowClosed(kind) => AppError::new(
                ErrorCode::WindowClosed,
                format!(
                    "The customer last wrote more than 24 hours ago, so WhatsApp only allows an approved template now, not a {kind} message."
                ),
            ),
            SendRefusal::InboundOnly(kind) => AppError::new(
                ErrorCode::InboundOnlyType,
                format!("WhatsApp does not let businesses send {kind} messages; customers can only send them to you."),
            ),
        }
    }
}

impl From<ParamError> for AppError {
    fn from(e: ParamError) -> Self {
        match e {
            ParamError::CountMismatch { expected, got } => AppError::new(
                ErrorCode::TemplateParamsMismatch,
                format!("This template needs {expected} value(s), but {got} were given."),
            ),
            ParamError::Empty { index } => {
                AppError::new(ErrorCode::TemplateParamInvalid, format!("Fill in value {{{{{index}}}}} before sending."))
            }
            ParamError::LineBreakOrTab { index } => AppError::new(
                ErrorCode::TemplateParamInvalid,
                format!("Value {{{{{index}}}}} cannot contain line breaks or tabs; WhatsApp refuses them."),
            ),
            ParamError::TooManySpaces { index } => AppError::new(
                ErrorCode::TemplateParamInvalid,
                format!("Value {{{{{index}}}}} has more than four spaces in a row; WhatsApp refuses that."),
            ),
        }
    }
}

impl From<crate::store::secrets::SecretError> for AppError {
    fn from(e: crate::store::secrets::SecretError) -> Self {
        AppError::new(
            ErrorCode::KeychainUnavailable,
            format!("CubeDesk could not use your system keychain, where it keeps your API key safely ({}). Unlock the keychain and try again.", e.0),
        )
    }
}

impl From<LinkError> for AppError {
    fn from(e: LinkError) -> Self {
        let message = match e {
            LinkError::NotOurs => "This is not a CubeDesk link, so CubeDesk did not follow it.".to_string(),
            LinkError::UnknownAction(action) => format!(
                "CubeDesk only follows links that open a conversation (cubedesk://conversation/ and a phone); \"{action}\" is not something it does, so nothing was done."
            ),
            LinkError::BadPhone(Some(p)) => {
                format!("The link does not hold a usable phone number, so no conversation was opened. {}", AppError::from(p).message)
            }
            LinkError::BadPhone(None) => {
                "The link does not hold a phone number, so no conversation was opened.".to_string()
            }
            LinkError::Unexpected => "The link has more in it than a phone number, so CubeDesk did not follow it.".to_string(),
        };
        AppError::new(ErrorCode::LinkRefused, message)
    }
}

/// Keep the message lengths honest with the rule they explain.
const _: () = assert!(MAX_TEXT_CHARS == 4096);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::PathBuf;

    #[test]
    fn serialises_as_code_and_message_only() {
        let e = AppError::new(ErrorCode::WindowClosed, "closed");
        assert_eq!(serde_json::to_value(&e).unwrap(), json!({"code": "WINDOW_CLOSED", "message": "closed"}));
    }

    #[test]
    fn every_code_has_its_stable_spelling() {
        use ErrorCode::*;
        let pinned = [
            (DataDirUnwritable, "DATA_DIR_UNWRITABLE"),
            (AlreadyRunning, "ALREADY_RUNNING"),
            (DbNotSqlite, "DB_NOT_SQLITE"),
            (DbNotCubedesk, "DB_NOT_CUBEDESK"),
            (DbCorrupt, "DB_CORRUPT"),
            (DbNewerSchema, "DB_NEWER_SCHEMA"),
            (DbUnavailable, "DB_UNAVAILABLE"),
            (DiskFull, "DISK_FULL"),
            (InvalidPhone, "INVALID_PHONE"),
            (TextEmpty, "TEXT_EMPTY"),
            (TextTooLong, "TEXT_TOO_LONG"),
            (WindowClosed, "WINDOW_CLOSED"),
            (InboundOnlyType, "INBOUND_ONLY_TYPE"),
            (TemplateParamsMismatch, "TEMPLATE_PARAMS_MISMATCH"),
            (TemplateParamInvalid, "TEMPLATE_PARAM_INVALID"),
            (AccountFormInvalid, "ACCOUNT_FORM_INVALID"),
            (AccountUnreachable, "ACCOUNT_UNREACHABLE"),
            (AccountNotCubeconnect, "ACCOUNT_NOT_CUBECONNECT"),
            (AccountKeyRejected, "ACCOUNT_KEY_REJECTED"),
            (AccountNoTenant, "ACCOUNT_NO_TENANT"),
            (AccountTenantRejected, "ACCOUNT_TENANT_REJECTED"),
            (AccountForbidden, "ACCOUNT_FORBIDDEN"),
            (AccountUnknownNumber, "ACCOUNT_UNKNOWN_NUMBER"),
            (AccountCheckFailed, "ACCOUNT_CHECK_FAILED"),
            (AccountExists, "ACCOUNT_EXISTS"),
            (NoAccount, "NO_ACCOUNT"),
            (KeychainUnavailable, "KEYCHAIN_UNAVAILABLE"),
            (DemoUnavailable, "DEMO_UNAVAILABLE"),
            (NotFound, "NOT_FOUND"),
            (CustomerBlocked, "CUSTOMER_BLOCKED"),
            (TemplateUnavailable, "TEMPLATE_UNAVAILABLE"),
            (TemplateHeaderMedia, "TEMPLATE_HEADER_MEDIA"),
            (NotRetriable, "NOT_RETRIABLE"),
            (ReceiverUnavailable, "RECEIVER_UNAVAILABLE"),
            (LinkRefused, "LINK_REFUSED"),
            (UpdateFailed, "UPDATE_FAILED"),
            (Internal, "INTERNAL"),
        ];
        for (code, spelling) in pinned {
            assert_eq!(serde_json::to_value(code).unwrap(), json!(spelling));
        }
    }

    #[test]
    fn archive_errors_name_the_file() {
        let path = PathBuf::from("/data/cubedesk.db");
        for e in [
            StoreError::NotSqlite { path: path.clone() },
            StoreError::NotCubeDesk { path: path.clone() },
            StoreError::Corrupt { path: path.clone(), detail: "x".into() },
            StoreError::NewerSchema { path: path.clone(), found: 9, supported: 1 },
        ] {
            let app = AppError::from(e);
            assert!(app.message.contains("/data/cubedesk.db"), "{app:?}");
            assert!(app.message.contains("untouched"), "{app:?}");
        }
    }

    #[test]
    fn rule_refusals_map_to_their_codes() {
        assert_eq!(AppError::from(PhoneError::TooShort { digits: 5 }).code, ErrorCode::InvalidPhone);
        assert_eq!(AppError::from(TextError::TooLong { chars: 5000, max: 4096 }).code, ErrorCode::TextTooLong);
        assert!(AppError::from(TextError::TooLong { chars: 5000, max: 4096 }).message.contains("5000"));
        assert_eq!(
            AppError::from(SendRefusal::WindowClosed(crate::domain::message_type::MessageType::Text)).code,
            ErrorCode::WindowClosed
        );
        assert_eq!(AppError::from(ParamError::Empty { index: 2 }).message, "Fill in value {{2}} before sending.");
        assert_eq!(
            AppError::from(ParamError::CountMismatch { expected: 2, got: 1 }).code,
            ErrorCode::TemplateParamsMismatch
        );
    }
}
