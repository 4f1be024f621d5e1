//! `createAuthentaHandler`'s options, checked once at creation.

use crate::core::config::{check_timeout, Config, RawKey, RawOptions, DEFAULT_TIMEOUT_MS};
use crate::core::error::Error;
use crate::core::url::is_loopback_host;
use serde_json::Value as J;

/// The options that are values (the hooks stay in JS), as the facade hands them over.
#[derive(Debug, Clone, Default)]
pub struct RawHandlerOptions {
    pub api_key: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub base_url: Option<String>,
    pub base_path: Option<String>,
    /// `cors.origins`; `None` when `cors` is absent.
    pub cors_origins: Option<Vec<String>>,
    pub timeout_ms: Option<f64>,
    /// The same test as the client's key guard.
    pub in_browser: bool,
}

/// Checked options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerConfig {
    /// The upstream API and the credentials, as the client's configuration: requests are built
    /// by the same code.
    pub upstream: Config,
    /// Where the handler is mounted, without a trailing slash (`""` at the root).
    pub base_path: String,
    /// Exact origins allowed to call across origins; empty: same-origin only.
    pub origins: Vec<String>,
    pub timeout_ms: u64,
}

impl RawHandlerOptions {
    /// From the JSON the facade builds of the options' values. A value of the wrong type is a
    /// configuration error naming the option (never its value: it may be the key).
    pub fn from_json(v: &J) -> Result<RawHandlerOptions, Error> {
        let string = |name: &str| -> Result<Option<String>, Error> {
            match v.get(name) {
                None | Some(J::Null) => Ok(None),
                Some(J::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(Error::config(format!("{name} must be a string"))),
            }
        };
        let cors_origins = match v.get("cors") {
            None | Some(J::Null) => None,
            Some(J::Object(c)) => match c.get("origins") {
                Some(J::Array(items)) => Some(
                    items
                        .iter()
                        .map(|o| {
                            o.as_str().map(str::to_string).ok_or_else(|| {
                                Error::config("cors.origins must be an array of strings")
                            })
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                ),
                _ => {
                    return Err(Error::config(
                        "cors must be { origins: [\"https://app.example\", …] }",
                    ))
                }
            },
            Some(_) => {
                return Err(Error::config(
                    "cors must be { origins: [\"https://app.example\", …] }",
                ))
            }
        };
        let timeout_ms = match v.get("timeoutMs") {
            None | Some(J::Null) => None,
            Some(J::Number(n)) => n.as_f64(),
            Some(_) => return Err(Error::config("timeoutMs must be a number")),
        };
        Ok(RawHandlerOptions {
            api_key: string("apiKey")?,
            client_id: string("clientId")?,
            client_secret: string("clientSecret")?,
            base_url: string("baseUrl")?,
            base_path: string("basePath")?,
            cors_origins,
            timeout_ms,
            in_browser: v.get("inBrowser").and_then(J::as_bool).unwrap_or(false),
        })
    }
}

impl HandlerConfig {
    pub fn validate(raw: RawHandlerOptions) -> Result<HandlerConfig, Error> {
        if raw.in_browser {
            return Err(Error::config(
                "createAuthentaHandler runs on your server (Node, Deno, Bun, a Worker), never in \
                 a browser: the key it holds would be readable by anyone who opens the page",
            ));
        }
        if raw.api_key.is_none() && raw.client_id.is_none() && raw.client_secret.is_none() {
            return Err(Error::config(
                "no credentials: give apiKey (or clientId and clientSecret); the handler adds \
                 them to every request it sends to Authenta",
            ));
        }
        let upstream = Config::validate(RawOptions {
            api_key: raw.api_key.map(RawKey::Static),
            client_id: raw.client_id,
            client_secret: raw.client_secret,
            base_url: raw.base_url,
            ..RawOptions::default()
        })?;
        let base_path = check_base_path(raw.base_path.as_deref().unwrap_or(""))?;
        let origins = match raw.cors_origins {
            None => vec![],
            Some(list) if list.is_empty() => {
                return Err(Error::config(
                    "cors.origins is empty: leave cors out to answer same-origin requests only",
                ))
            }
            Some(list) => list
                .into_iter()
                .map(|o| check_origin(&o).map(|()| o))
                .collect::<Result<Vec<_>, _>>()?,
        };
        let timeout_ms = match raw.timeout_ms {
            None => DEFAULT_TIMEOUT_MS,
            Some(v) => check_timeout("timeoutMs", v).map_err(Error::config)?,
        };
        Ok(HandlerConfig {
            upstream,
            base_path,
            origins,
            timeout_ms,
        })
    }

    /// What must never appear in an answer, an event or a log line.
    pub fn secrets(&self) -> Vec<&str> {
        self.upstream.secrets()
    }
}

/// `basePath`: `/` followed by plain segments (letters, digits, `-._~`), no trailing slash.
fn check_base_path(p: &str) -> Result<String, Error> {
    let p = if p == "/" { "" } else { p };
    let ok = p.is_empty()
        || (p.starts_with('/')
            && p.split('/').skip(1).all(|seg| {
                !seg.is_empty()
                    && !seg.bytes().all(|b| b == b'.')
                    && seg
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
            }));
    if ok {
        Ok(p.to_string())
    } else {
        Err(Error::config(
            "basePath must be a path such as \"/api/authenta\": segments of letters, digits, \
             '-', '.', '_' or '~', no trailing slash",
        ))
    }
}

/// Schemes a browser sends in `Origin` that may be listed: pages over https (http only for a
/// local development server) and extensions.
const ORIGIN_SCHEMES: [&str; 5] = [
    "https",
    "http",
    "chrome-extension",
    "moz-extension",
    "safari-web-extension",
];

/// A CORS origin exactly as a browser sends it: `scheme://host[:port]`, lower case, nothing
/// more. `*`, `null` and patterns are refused: an origin is either listed or not.
fn check_origin(o: &str) -> Result<(), Error> {
    let refuse = |why: &str| {
        Err(Error::config(format!(
            "cors.origins: \"{o}\" {why}; list each origin exactly as the browser sends it, such \
             as \"https://app.example\" or \"chrome-extension://<extension id>\""
        )))
    };
    if o == "*" || o.eq_ignore_ascii_case("null") || o.contains('*') {
        return refuse("would let any page call the handler");
    }
    let Some((scheme, host)) = o.split_once("://") else {
        return refuse("is not an origin");
    };
    if !ORIGIN_SCHEMES.contains(&scheme) {
        return refuse("has a scheme a browser does not send for a page or an extension");
    }
    if host.is_empty()
        || o != o.to_ascii_lowercase()
        || host.contains(['/', '?', '#', '@', ' ', '\\'])
        || host.chars().any(char::is_control)
    {
        return refuse("is not an origin (lower case, no path, no trailing slash)");
    }
    if scheme == "http" {
        let name = match host.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => host,
        };
        if !is_loopback_host(name) {
            return refuse("uses http: for a host other than localhost (use https:)");
        }
    }
    Ok(())
}
