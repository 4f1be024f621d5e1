//! Which route a request is: its path matched against the client's route table
//! (`Route::ALL`), its id decoded and checked before anything else looks at it.

use crate::core::request::{JobPageParams, ListParams, Route};

/// The longest id the handler accepts, in bytes (ids of both APIs are far shorter).
pub const MAX_ID_LEN: usize = 256;

/// What a method and a path are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matched {
    /// A route of the table, with its decoded, checked id when it has one.
    Route { route: Route, id: Option<String> },
    /// `OPTIONS` on a path of the table: the methods that path takes.
    Preflight { methods: Vec<&'static str> },
    /// A path of the table with another method: 405, `Allow` these.
    WrongMethod { allow: Vec<&'static str> },
    /// Anything else: outside the base path, not in the table, or an id that fails the checks.
    NotFound,
}

/// Matches `raw_path` (the request's path as it arrived, still percent-encoded) under
/// `base_path`. Static segments match byte for byte; the id segment is decoded once and must
/// then be a plain id (see [`check_id`]), so nothing a caller writes can turn into another path.
pub fn match_path(base_path: &str, method: &str, raw_path: &str) -> Matched {
    let Some(rest) = raw_path.strip_prefix(base_path) else {
        return Matched::NotFound;
    };
    let mut same_path: Vec<(Route, Option<String>)> = vec![];
    for route in Route::ALL {
        let (before, after) = route.path();
        match after {
            None if rest == before => same_path.push((route, None)),
            None => {}
            Some(after) => {
                let Some(tail) = rest.strip_prefix(before) else {
                    continue;
                };
                let Some(raw_id) = tail.strip_suffix(after) else {
                    continue;
                };
                if raw_id.contains('/') {
                    continue;
                }
                match decode_id(raw_id) {
                    Some(id) => same_path.push((route, Some(id))),
                    // The path has the shape of this route but an id that cannot be one.
                    None => return Matched::NotFound,
                }
            }
        }
    }
    if let Some((route, id)) = same_path.iter().find(|(r, _)| r.method() == method) {
        return Matched::Route {
            route: *route,
            id: id.clone(),
        };
    }
    let methods: Vec<&'static str> = same_path.iter().map(|(r, _)| r.method()).collect();
    if methods.is_empty() {
        Matched::NotFound
    } else if method == "OPTIONS" {
        Matched::Preflight { methods }
    } else {
        Matched::WrongMethod { allow: methods }
    }
}

/// Percent-decodes one path segment and checks the id it holds.
pub fn decode_id(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            out.push(hex_byte(bytes.get(i + 1..i + 3)?)?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    let id = String::from_utf8(out).ok()?;
    check_id(&id).then_some(id)
}

/// An id the handler passes on: 1 to 256 of letters, digits, `-`, `_` and `~`. Stricter than the
/// client's rules (which encode what they do not refuse) on purpose: with no `.`, `%`, `/` or
/// `\` left, no decoding anywhere upstream can make it a dot segment or another path, and the
/// id is its own encoding. Ids of both APIs (hex object ids, numbers, UUIDs) pass.
pub fn check_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~'))
}

/// The query a list route passes upstream: only that route's parameters, each checked by the
/// client's own rules. `Err` is the message of a 400.
pub fn list_query(route: Route, raw_query: &str) -> Result<ListQuery, String> {
    // The route's own parameters; any other is dropped, and so never named in an answer (an
    // answer that echoed a caller's text could carry anything, the key included).
    let own: &[&str] = match route {
        Route::ListJobs => &["page", "limit", "status"],
        Route::ListMedia => &["limit", "offset"],
        _ => &[],
    };
    let mut seen: Vec<(String, String)> = vec![];
    for pair in raw_query.trim_start_matches('?').split('&') {
        if pair.is_empty() {
            continue;
        }
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (Some(name), Some(value)) = (decode_query(name), decode_query(value)) else {
            return Err("the query string is not valid percent-encoded UTF-8".into());
        };
        if !own.contains(&name.as_str()) {
            continue;
        }
        if seen.iter().any(|(n, _)| *n == name) {
            return Err(format!("the query parameter {name} is given twice"));
        }
        seen.push((name, value));
    }
    let get = |name: &str| seen.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let number = |name: &str| -> Result<Option<f64>, String> {
        match get(name) {
            None => Ok(None),
            Some(v) => crate::core::retry::small_int(&v)
                .map(|n| Some(n as f64))
                .ok_or_else(|| format!("{name} must be a whole number")),
        }
    };
    match route {
        Route::ListJobs => JobPageParams::new(number("page")?, number("limit")?, get("status"))
            .map(ListQuery::Jobs)
            .map_err(|e| e.message.clone()),
        Route::ListMedia => ListParams::new(number("limit")?, number("offset")?)
            .map(ListQuery::Media)
            .map_err(|e| e.message.clone()),
        _ => Err("not a list".into()),
    }
}

/// A list's checked parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListQuery {
    Jobs(JobPageParams),
    Media(ListParams),
}

/// `application/x-www-form-urlencoded` decoding of one name or value (`+` is a space).
fn decode_query(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                out.push(hex_byte(bytes.get(i + 1..i + 3)?)?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Two hex digits (exactly: `from_str_radix` would also take a sign).
fn hex_byte(two: &[u8]) -> Option<u8> {
    let digit = |b: u8| char::from(b).to_digit(16);
    match two {
        [hi, lo] => Some(u8::try_from(digit(*hi)? * 16 + digit(*lo)?).ok()?),
        _ => None,
    }
}
