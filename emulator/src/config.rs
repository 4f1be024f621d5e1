//! Start-up configuration and command-line parsing.

use std::path::PathBuf;

/// Everything the emulator is started with. Ports of 0 pick a free port.
#[derive(Clone, Debug)]
pub struct Config {
    pub api_port: u16,
    pub storage_port: u16,
    pub web_port: u16,
    /// Full-permission Bearer keys with 1000 credits each; one is generated when empty.
    pub api_keys: Vec<String>,
    /// Time from the upload landing to `PROCESSED`.
    pub processing_ms: u64,
    /// Enables `/__emulator/*` on the API origin.
    pub test_controls: bool,
    /// Enables the older `x-client-id` / `x-client-secret` scheme.
    pub legacy_auth: bool,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub www_dir: PathBuf,
    pub pkg_dir: PathBuf,
    /// `expiresIn` / `X-Amz-Expires` of upload URLs, seconds.
    pub upload_expires: u64,
    /// `X-Amz-Expires` of `resultURL` / `srcURL`, seconds.
    pub result_expires: u64,
    /// Answer the Jobs API in the reference page's flat variants (numeric `jobId`,
    /// `waiting_for_finalize`, flat finalize answer, inline `result` only).
    pub jobs_flat: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_port: 8787,
            storage_port: 8788,
            web_port: 8080,
            api_keys: Vec::new(),
            processing_ms: 3000,
            test_controls: false,
            legacy_auth: false,
            client_id: None,
            client_secret: None,
            www_dir: PathBuf::from("www"),
            pkg_dir: PathBuf::from("pkg"),
            upload_expires: 3600,
            result_expires: 3600,
            jobs_flat: false,
        }
    }
}

impl Config {
    /// A configuration for in-process tests: every port picked by the OS, a fixed key,
    /// test controls on and fast processing.
    pub fn for_tests() -> Self {
        Config {
            api_port: 0,
            storage_port: 0,
            web_port: 0,
            api_keys: vec!["api_test_key".to_string()],
            processing_ms: 200,
            test_controls: true,
            ..Config::default()
        }
    }
}

pub const USAGE: &str = "\
authenta-emulator: a local EMULATOR of the Authenta Media and Jobs APIs and their S3 storage (not the platform)

USAGE: authenta-emulator [OPTIONS]

  --api-port N          API origin port (default 8787; 0 picks a free port)
  --storage-port N      storage (S3-like) origin port (default 8788; 0 picks a free port)
  --web-port N          web origin port for the sample page (default 8080; 0 picks a free port)
  --api-key KEY         a full-permission key with 1000 credits (repeatable; default: generated)
  --processing-ms N     time from upload (Media) or finalize (Jobs) to the verdict (default 3000)
  --upload-expires N    seconds an upload URL stays valid (default 3600)
  --result-expires N    seconds a resultURL / srcURL stays valid (default 3600)
  --jobs-variant V      live (default): the Jobs API's live shapes; flat: the reference
                        page's flat variants
  --test-controls       enable /__emulator/* on the API origin
  --legacy-auth         accept the older x-client-id / x-client-secret scheme
  --client-id ID        legacy client id (default: generated)
  --client-secret S     legacy client secret (default: generated)
  --www DIR             directory served at / on the web origin (default ./www; alias --web-root)
  --pkg DIR             directory served at /pkg/ on the web origin (default ./pkg)
  -h, --help            print this help
";

pub enum Parsed {
    Run(Config),
    Help,
}

fn number<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag}: expected a non-negative integer, got {v:?}"))
}

/// Parses `--flag value` and `--flag=value` forms.
pub fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<Parsed, String> {
    let mut cfg = Config::default();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let takes_value = !matches!(
            flag.as_str(),
            "--test-controls" | "--legacy-auth" | "-h" | "--help"
        );
        let value = if takes_value {
            match inline {
                Some(v) => v,
                None => it.next().ok_or_else(|| format!("{flag} needs a value"))?,
            }
        } else {
            if inline.is_some() {
                return Err(format!("{flag} takes no value"));
            }
            String::new()
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--test-controls" => cfg.test_controls = true,
            "--legacy-auth" => cfg.legacy_auth = true,
            "--api-port" => cfg.api_port = number(&flag, &value)?,
            "--storage-port" => cfg.storage_port = number(&flag, &value)?,
            "--web-port" => cfg.web_port = number(&flag, &value)?,
            "--processing-ms" => cfg.processing_ms = number(&flag, &value)?,
            "--upload-expires" => cfg.upload_expires = number(&flag, &value)?,
            "--result-expires" => cfg.result_expires = number(&flag, &value)?,
            "--jobs-variant" => {
                cfg.jobs_flat = match value.as_str() {
                    "live" => false,
                    "flat" => true,
                    _ => {
                        return Err(format!(
                            "--jobs-variant: expected live or flat, got {value:?}"
                        ))
                    }
                }
            }
            "--api-key" => {
                if !valid_key(&value) {
                    return Err(format!("--api-key: {value:?} is not a usable key"));
                }
                cfg.api_keys.push(value);
            }
            "--client-id" => {
                if !valid_key(&value) {
                    return Err(format!("--client-id: {value:?} is not usable"));
                }
                cfg.client_id = Some(value);
            }
            "--client-secret" => {
                if !valid_key(&value) {
                    return Err(format!("--client-secret: {value:?} is not usable"));
                }
                cfg.client_secret = Some(value);
            }
            "--www" | "--web-root" => cfg.www_dir = PathBuf::from(value),
            "--pkg" => cfg.pkg_dir = PathBuf::from(value),
            other => return Err(format!("unknown option {other:?} (see --help)")),
        }
    }
    Ok(Parsed::Run(cfg))
}

/// Keys and secrets travel in headers: visible ASCII without spaces.
pub fn valid_key(k: &str) -> bool {
    !k.is_empty() && k.len() <= 512 && k.bytes().all(|c| c.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn parses_flags() {
        let Ok(Parsed::Run(c)) = parse_args(args(&[
            "--api-port",
            "0",
            "--storage-port=0",
            "--api-key",
            "a",
            "--api-key",
            "b",
            "--test-controls",
            "--www",
            "/x",
        ])) else {
            panic!("should parse")
        };
        assert_eq!(c.api_port, 0);
        assert_eq!(c.storage_port, 0);
        assert_eq!(c.web_port, 8080);
        assert_eq!(c.api_keys, vec!["a", "b"]);
        assert!(c.test_controls);
        assert_eq!(c.www_dir, PathBuf::from("/x"));
        assert!(parse_args(args(&["--api-port", "x"])).is_err());
        assert!(parse_args(args(&["--api-port"])).is_err());
        assert!(parse_args(args(&["--bogus"])).is_err());
        assert!(parse_args(args(&["--test-controls=1"])).is_err());
        assert!(!c.jobs_flat);
        let Ok(Parsed::Run(flat)) = parse_args(args(&["--jobs-variant=flat"])) else {
            panic!("should parse")
        };
        assert!(flat.jobs_flat);
        assert!(parse_args(args(&["--jobs-variant", "wide"])).is_err());
        assert!(matches!(parse_args(args(&["-h"])), Ok(Parsed::Help)));
    }
}
