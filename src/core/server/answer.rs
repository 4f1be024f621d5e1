//! What the handler writes back: a status, headers and an optional JSON body.

use super::codes;
use serde_json::json;

/// A response, as the facade writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// Lower-case names. Every answer has `cache-control: no-store`; the flow adds the CORS ones.
    pub headers: Vec<(String, String)>,
    /// JSON text, or nothing (204, a preflight).
    pub body: Option<String>,
}

impl Answer {
    /// A JSON answer with the headers every answer has.
    pub fn json(status: u16, body: String) -> Answer {
        Answer {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Some(body),
        }
        .common()
    }

    /// An answer without a body.
    pub fn empty(status: u16) -> Answer {
        Answer {
            status,
            headers: vec![],
            body: None,
        }
        .common()
    }

    /// The handler's own refusal, in the API's error shape `{code, statusCode, message}`.
    pub fn error(status: u16, code: &str, message: &str) -> Answer {
        let body = json!({ "code": code, "statusCode": status, "message": message });
        Answer::json(status, body.to_string())
    }

    pub fn not_found() -> Answer {
        Answer::error(404, codes::NOT_FOUND, "Not found")
    }

    /// Something the application's hook (or store) threw: the body says nothing of it.
    pub fn handler_error() -> Answer {
        Answer::error(
            500,
            codes::HANDLER_ERROR,
            "The server could not complete this request",
        )
    }

    pub fn upstream_failed(message: &str) -> Answer {
        Answer::error(502, codes::UPSTREAM_FAILED, message)
    }

    pub fn header(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The value of a header, for tests and the flow.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn common(self) -> Answer {
        self.header("cache-control", "no-store")
            .header("x-content-type-options", "nosniff")
    }
}
