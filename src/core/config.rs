//! Client options, validated once at construction.

use crate::core::error::Error;
use crate::core::text::decimal;
use crate::core::url::{is_loopback_host, parse_http_url};

pub const DEFAULT_BASE_URL: &str = "https://platform.authenta.ai/api";
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// More retries than this only hammers a server that is already failing.
pub const MAX_RETRIES_LIMIT: u32 = 10;

/// How `apiKey` was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawKey {
    Static(String),
    /// A function the facade calls before each attempt.
    Provider,
}

/// The options as the caller wrote them (the facade has already checked their JS types).
#[derive(Debug, Clone, Default)]
pub struct RawOptions {
    pub api_key: Option<RawKey>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub base_url: Option<String>,
    pub timeout_ms: Option<f64>,
    pub max_retries: Option<f64>,
    pub headers: Vec<(String, String)>,
    pub dangerously_allow_browser: bool,
    /// Whether the code runs in a browser context (see SDK.md, Details).
    pub in_browser: bool,
}

/// How requests authenticate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer …`; `None` when a provider function supplies the key.
    Bearer(Option<String>),
    /// The older `x-client-id` / `x-client-secret` pair.
    Client { id: String, secret: String },
    /// Proxy mode: the caller's own backend adds credentials.
    None,
}

/// Validated options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Without a trailing slash.
    pub base_url: String,
    pub timeout_ms: u64,
    pub max_retries: u32,
    pub headers: Vec<(String, String)>,
    pub auth: Auth,
}

impl Config {
    /// The secrets that must never appear in anything the caller can print.
    pub fn secrets(&self) -> Vec<&str> {
        match &self.auth {
            Auth::Bearer(Some(k)) => vec![k.as_str()],
            Auth::Client { secret, .. } => vec![secret.as_str()],
            _ => vec![],
        }
    }

    pub fn validate(raw: RawOptions) -> Result<Config, Error> {
        let base_url = match raw.base_url {
            None => DEFAULT_BASE_URL.to_string(),
            Some(url) => check_base_url(&url)?,
        };
        let is_default_base = base_url == DEFAULT_BASE_URL;

        let auth = match (raw.api_key, raw.client_id, raw.client_secret) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(Error::config(
                    "give either apiKey or clientId/clientSecret, not both",
                ))
            }
            (Some(RawKey::Static(key)), None, None) => {
                check_secret("apiKey", &key)?;
                Auth::Bearer(Some(key))
            }
            (Some(RawKey::Provider), None, None) => Auth::Bearer(None),
            (None, Some(id), Some(secret)) => {
                check_secret("clientId", &id)?;
                check_secret("clientSecret", &secret)?;
                Auth::Client { id, secret }
            }
            (None, Some(_), None) | (None, None, Some(_)) => {
                return Err(Error::config(
                    "clientId and clientSecret go together: give both, or use apiKey",
                ))
            }
            (None, None, None) if is_default_base => {
                return Err(Error::config(
                    "no credentials: give apiKey (or clientId and clientSecret); \
                     to send requests without credentials through your own proxy, set baseUrl",
                ))
            }
            (None, None, None) => Auth::None,
        };

        let ships_secret = matches!(auth, Auth::Bearer(Some(_)) | Auth::Client { .. });
        if ships_secret && raw.in_browser && !raw.dangerously_allow_browser {
            return Err(Error::config(
                "a string API key or client secret in a browser can be read by anyone who opens \
                 the page. Pass apiKey as a function that fetches a short-lived token from your \
                 backend, or send requests through your own proxy (baseUrl without credentials); \
                 for demos and trusted internal tools, set dangerouslyAllowBrowser: true",
            ));
        }

        let timeout_ms = match raw.timeout_ms {
            None => DEFAULT_TIMEOUT_MS,
            Some(v) => check_timeout("timeoutMs", v).map_err(Error::config)?,
        };
        let max_retries = match raw.max_retries {
            None => DEFAULT_MAX_RETRIES,
            Some(v) => check_retries(v).map_err(Error::config)?,
        };
        for (name, value) in &raw.headers {
            check_header(name, value, &auth)?;
        }
        Ok(Config {
            base_url,
            timeout_ms,
            max_retries,
            headers: raw.headers,
            auth,
        })
    }
}

fn check_base_url(url: &str) -> Result<String, Error> {
    let parsed = parse_http_url(url)
        .map_err(|why| Error::config(cat!("baseUrl must be an absolute http(s) URL: ", why)))?;
    if parsed.has_query || parsed.has_fragment {
        return Err(Error::config("baseUrl must not have a query or a fragment"));
    }
    if !parsed.https && !is_loopback_host(&parsed.host) {
        return Err(Error::config(
            "baseUrl uses http: to a host other than localhost; use https: so the key is not sent in clear",
        ));
    }
    Ok(url.trim_end_matches('/').to_string())
}

fn check_secret(what: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::config(cat!(what, " is empty")));
    }
    // Never echo the value: it is a secret.
    if value.chars().any(|c| c.is_control()) || value.trim() != value {
        return Err(Error::config(cat!(what, " contains white space or control characters (check how it was read from the environment)")));
    }
    Ok(())
}

/// The longest wait a timer takes: `setTimeout` fires at once for more (a 32-bit delay).
pub const MAX_TIMER_MS: u64 = 2_147_483_647;

/// A time-out in milliseconds: positive and at most `MAX_TIMER_MS` (about 24.8 days).
pub fn check_timeout(what: &str, v: f64) -> Result<u64, String> {
    if v > 0.0 && v <= MAX_TIMER_MS as f64 {
        Ok(v.ceil() as u64)
    } else {
        Err(cat!(
            what,
            " must be a positive number of milliseconds, at most ",
            decimal(MAX_TIMER_MS),
            " (about 24.8 days)"
        ))
    }
}

/// A retry count: a whole number from 0 to `MAX_RETRIES_LIMIT`.
pub fn check_retries(v: f64) -> Result<u32, String> {
    if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= f64::from(MAX_RETRIES_LIMIT) {
        Ok(v as u32)
    } else {
        Err(cat!(
            "maxRetries must be a whole number from 0 to ",
            decimal(MAX_RETRIES_LIMIT.into())
        ))
    }
}

fn check_header(name: &str, value: &str, auth: &Auth) -> Result<(), Error> {
    let token = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !token {
        return Err(Error::config(cat!(
            "headers: \"",
            name,
            "\" is not a valid header name"
        )));
    }
    if value.chars().any(|c| c == '\r' || c == '\n' || c == '\0') {
        return Err(Error::config(cat!(
            "headers: the value of ",
            name,
            " contains a line break"
        )));
    }
    let lower = name.to_ascii_lowercase();
    let credential_header = matches!(
        lower.as_str(),
        "authorization" | "x-client-id" | "x-client-secret"
    );
    if credential_header && *auth != Auth::None {
        return Err(Error::config(cat!(
            "headers: ",
            name,
            " is set from apiKey / clientId / clientSecret; do not set it twice"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> RawOptions {
        RawOptions {
            api_key: Some(RawKey::Static(k.into())),
            ..Default::default()
        }
    }

    #[test]
    fn defaults() {
        let c = Config::validate(key("api_123")).unwrap();
        assert_eq!(c.base_url, DEFAULT_BASE_URL);
        assert_eq!(c.timeout_ms, 30_000);
        assert_eq!(c.max_retries, 2);
        assert_eq!(c.auth, Auth::Bearer(Some("api_123".into())));
        assert_eq!(c.secrets(), vec!["api_123"]);
    }

    #[test]
    fn base_url_rules() {
        let with = |u: &str| {
            Config::validate(RawOptions {
                base_url: Some(u.into()),
                ..key("k_1")
            })
        };
        assert_eq!(
            with("http://127.0.0.1:8787/api/").unwrap().base_url,
            "http://127.0.0.1:8787/api"
        );
        assert!(with("http://localhost/api").is_ok());
        assert!(with("http://[::1]:1/api").is_ok());
        assert!(with("https://proxy.example.com").is_ok());
        for bad in [
            "http://example.com/api",
            "example.com",
            "",
            "https://x/api?a=1",
            "ws://x",
        ] {
            let e = with(bad).unwrap_err();
            assert_eq!(e.code, "CONFIGURATION", "{bad}");
            assert!(!e.retryable);
        }
    }

    #[test]
    fn credentials_rules() {
        let none = RawOptions::default();
        assert!(
            Config::validate(none.clone()).is_err(),
            "no key with the default baseUrl"
        );
        let proxy = Config::validate(RawOptions {
            base_url: Some("https://my.app/authenta".into()),
            ..none.clone()
        })
        .unwrap();
        assert_eq!(proxy.auth, Auth::None);
        assert!(Config::validate(key("")).is_err());
        assert!(Config::validate(key("  ")).is_err());
        assert!(Config::validate(key("abc\n")).is_err());
        let client = Config::validate(RawOptions {
            client_id: Some("id".into()),
            client_secret: Some("sec".into()),
            ..none.clone()
        })
        .unwrap();
        assert_eq!(client.secrets(), vec!["sec"]);
        assert!(Config::validate(RawOptions {
            client_id: Some("id".into()),
            ..none.clone()
        })
        .is_err());
        assert!(Config::validate(RawOptions {
            client_id: Some("id".into()),
            client_secret: Some("s".into()),
            ..key("k")
        })
        .is_err());
    }

    #[test]
    fn error_messages_never_contain_the_key() {
        let e = Config::validate(key("sk_live_SECRET\n")).unwrap_err();
        assert!(!e.message.contains("SECRET"), "{}", e.message);
    }

    #[test]
    fn browser_rule() {
        let browser = |k: RawOptions, allow: bool| {
            Config::validate(RawOptions {
                in_browser: true,
                dangerously_allow_browser: allow,
                ..k
            })
        };
        assert!(browser(key("k"), false).is_err());
        assert!(browser(key("k"), true).is_ok());
        let provider = RawOptions {
            api_key: Some(RawKey::Provider),
            ..Default::default()
        };
        assert!(browser(provider, false).is_ok(), "a token function is fine");
        let proxy = RawOptions {
            base_url: Some("https://my.app/api".into()),
            ..Default::default()
        };
        assert!(browser(proxy, false).is_ok(), "proxy mode is fine");
    }

    #[test]
    fn numbers() {
        assert_eq!(check_timeout("t", 1.0), Ok(1));
        assert_eq!(check_timeout("t", 1.5), Ok(2));
        // The longest a timer waits; one more would fire at once in every runtime.
        assert_eq!(check_timeout("t", 2_147_483_647.0), Ok(2_147_483_647));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 2_147_483_648.0, 1e10] {
            assert!(check_timeout("t", bad).is_err(), "{bad}");
        }
        assert_eq!(check_retries(0.0), Ok(0));
        assert_eq!(check_retries(10.0), Ok(10));
        for bad in [-1.0, 1.5, 11.0, f64::NAN] {
            assert!(check_retries(bad).is_err());
        }
    }

    #[test]
    fn headers() {
        let with = |h: (&str, &str), k: RawOptions| {
            Config::validate(RawOptions {
                headers: vec![(h.0.into(), h.1.into())],
                ..k
            })
        };
        assert!(with(("x-trace", "1"), key("k")).is_ok());
        assert!(with(("bad name", "1"), key("k")).is_err());
        assert!(with(("x-a", "1\r\nx-b: 2"), key("k")).is_err());
        assert!(with(("Authorization", "Bearer other"), key("k")).is_err());
        let proxy = RawOptions {
            base_url: Some("https://my.app/api".into()),
            ..Default::default()
        };
        assert!(with(("Authorization", "Bearer session"), proxy).is_ok());
    }
}
