//! Who may call: exact-origin CORS, and no cross-site request from an origin not listed.

use super::{codes, Answer};

/// Request headers a page may send across origins: what the SDK sends, and `authorization` for
/// the application's own session token (read by `authenticate`; never sent upstream).
pub const ALLOWED_HEADERS: &str = "authorization, content-type, accept";

/// How long a browser may cache a preflight, in seconds.
pub const PREFLIGHT_MAX_AGE: &str = "600";

/// Where a request comes from, as far as the handler cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// No `Origin`: a same-origin `GET`, or not a browser at all.
    NoOrigin,
    /// The page's own origin (or the browser says `Sec-Fetch-Site: same-origin`).
    SameOrigin,
    /// A listed origin: every answer carries its CORS headers.
    Listed(String),
    /// Any other origin, `null` included: refused before anything else runs.
    Refused,
}

/// Classifies a request by its `Origin` (and `Sec-Fetch-Site`, which a page cannot set).
/// `own_origin` is the origin of the request's own URL.
pub fn classify(
    origins: &[String],
    origin: Option<&str>,
    own_origin: &str,
    sec_fetch_site: Option<&str>,
) -> Caller {
    match origin {
        None => Caller::NoOrigin,
        Some(o) if origins.iter().any(|l| l == o) => Caller::Listed(o.to_string()),
        Some(o) if o == own_origin || sec_fetch_site == Some("same-origin") => Caller::SameOrigin,
        Some(_) => Caller::Refused,
    }
}

/// The refusal of a request from an origin that is not listed (no CORS headers: the browser
/// shows the page nothing).
pub fn refused() -> Answer {
    Answer::error(
        403,
        codes::ORIGIN_NOT_ALLOWED,
        "This origin may not call this server",
    )
}

/// The answer to `OPTIONS` on a path of the table. The origin's own CORS headers are the flow's
/// to add, as to every answer (`decorate`, once).
pub fn preflight(caller: &Caller, methods: &[&str], requested: Option<&str>) -> Answer {
    if !matches!(caller, Caller::Listed(_)) {
        return refused();
    }
    match requested {
        Some(m) if methods.contains(&m) => Answer::empty(204)
            .header("access-control-allow-methods", &methods.join(", "))
            .header("access-control-allow-headers", ALLOWED_HEADERS)
            .header("access-control-max-age", PREFLIGHT_MAX_AGE),
        _ => Answer::error(
            405,
            codes::METHOD_NOT_ALLOWED,
            "This method is not allowed on this path",
        )
        .header("allow", &methods.join(", ")),
    }
}

/// Adds a listed origin's CORS headers to an answer.
pub fn decorate(answer: Answer, origin: &str) -> Answer {
    answer
        .header("access-control-allow-origin", origin)
        .header("access-control-expose-headers", "retry-after")
        .header("vary", "origin")
}
