//! API requests as values: the facade only sends them.

use crate::core::config::{Auth, Config};
use crate::core::error::Error;
use crate::core::json::write_str;
use crate::core::text::decimal;
use crate::core::url::{job_segment, mid_segment};

/// One request to the Authenta API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

/// What a route returns on success, so the response can be checked against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    CreateMedia,
    GetMedia,
    ListMedia,
    DeleteMedia,
    CreateJob,
    GetJob,
    ListJobs,
    FinalizeJob,
    CancelJob,
    DeleteJob,
}

impl Route {
    /// Every route: the one table. The client builds its requests from it (`Config::at`) and
    /// the server handler matches incoming paths against it (`core::server`).
    pub const ALL: [Route; 10] = [
        Route::CreateMedia,
        Route::GetMedia,
        Route::ListMedia,
        Route::DeleteMedia,
        Route::CreateJob,
        Route::GetJob,
        Route::ListJobs,
        Route::FinalizeJob,
        Route::CancelJob,
        Route::DeleteJob,
    ];

    /// The route's one method.
    pub fn method(self) -> &'static str {
        match self {
            Route::CreateMedia | Route::CreateJob | Route::FinalizeJob | Route::CancelJob => "POST",
            Route::GetMedia | Route::ListMedia | Route::GetJob | Route::ListJobs => "GET",
            Route::DeleteMedia | Route::DeleteJob => "DELETE",
        }
    }

    /// The path under the base URL: what comes before the id, and what follows the id (`None`
    /// for a route without one).
    pub fn path(self) -> (&'static str, Option<&'static str>) {
        match self {
            Route::CreateMedia | Route::ListMedia => ("/media", None),
            Route::GetMedia | Route::DeleteMedia => ("/media/", Some("")),
            Route::CreateJob | Route::ListJobs => ("/v1/jobs", None),
            Route::GetJob | Route::DeleteJob => ("/v1/jobs/", Some("")),
            Route::FinalizeJob => ("/v1/jobs/", Some("/finalize")),
            Route::CancelJob => ("/v1/jobs/", Some("/cancel")),
        }
    }

    /// The route as the API documents it, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Route::CreateMedia => "POST /media",
            Route::GetMedia => "GET /media/{mid}",
            Route::ListMedia => "GET /media",
            Route::DeleteMedia => "DELETE /media/{mid}",
            Route::CreateJob => "POST /v1/jobs",
            Route::GetJob => "GET /v1/jobs/{id}",
            Route::ListJobs => "GET /v1/jobs",
            Route::FinalizeJob => "POST /v1/jobs/{id}/finalize",
            Route::CancelJob => "POST /v1/jobs/{id}/cancel",
            Route::DeleteJob => "DELETE /v1/jobs/{id}",
        }
    }

    /// Deletes answer 204, or 200 with or without a body.
    pub fn is_delete(self) -> bool {
        matches!(self, Route::DeleteMedia | Route::DeleteJob)
    }

    /// Routes of the Jobs API (their 404 is about a job id).
    pub fn is_job(self) -> bool {
        matches!(
            self,
            Route::CreateJob
                | Route::GetJob
                | Route::ListJobs
                | Route::FinalizeJob
                | Route::CancelJob
                | Route::DeleteJob
        )
    }
}

impl Config {
    /// The headers of every API request. `token` is the provider's answer when `apiKey` is a
    /// function.
    pub fn api_headers(&self, token: Option<&str>, json_body: bool) -> Vec<(String, String)> {
        let mut h: Vec<(String, String)> = self.headers.clone();
        h.push(("accept".into(), "application/json".into()));
        if json_body {
            h.push(("content-type".into(), "application/json".into()));
        }
        match (&self.auth, token) {
            (Auth::Bearer(_), Some(t)) => h.push(("authorization".into(), cat!("Bearer ", t))),
            (Auth::Bearer(Some(k)), None) => h.push(("authorization".into(), cat!("Bearer ", k))),
            (Auth::Client { id, secret }, _) => {
                h.push(("x-client-id".into(), id.clone()));
                h.push(("x-client-secret".into(), secret.clone()));
            }
            _ => {}
        }
        h
    }

    /// The request for `route`, from the route table: `id` (checked by the id rules, and
    /// encoded) when the route has one, and `query` (`""`, or starting with `?`).
    pub fn at(
        &self,
        route: Route,
        id: Option<&str>,
        query: &str,
        body: Option<String>,
        token: Option<&str>,
    ) -> Result<ApiRequest, Error> {
        let (before, after) = route.path();
        let mut url = cat!(self.base_url, before);
        if let Some(after) = after {
            let id = id.unwrap_or("");
            url.push_str(&if route.is_job() {
                job_segment(id)?
            } else {
                mid_segment(id)?
            });
            url.push_str(after);
        }
        url.push_str(query);
        Ok(ApiRequest {
            method: route.method(),
            url,
            headers: self.api_headers(token, body.is_some()),
            body,
        })
    }
}

/// `listJobs` paging and filter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JobPageParams {
    pub page: Option<u64>,
    pub limit: Option<u32>,
    pub status: Option<String>,
}

impl JobPageParams {
    /// Checks `page` (a whole number ≥ 1) and `limit` (1..=100).
    pub fn new(
        page: Option<f64>,
        limit: Option<f64>,
        status: Option<String>,
    ) -> Result<JobPageParams, Error> {
        let page = match page {
            None => None,
            Some(p) if p.is_finite() && p >= 1.0 && p.fract() == 0.0 && p <= 9e15 => Some(p as u64),
            Some(_) => return Err(Error::argument("page must be a whole number ≥ 1")),
        };
        let limit = limit.map(|l| page_size("limit", l)).transpose()?;
        Ok(JobPageParams {
            page,
            limit,
            status: status.filter(|s| !s.is_empty()),
        })
    }

    /// `?page&limit&status`, each when set (`""` when none is).
    pub fn query(&self) -> String {
        let mut q = String::new();
        let mut sep = '?';
        let mut add = |name: &str, v: String| {
            q.push(sep);
            q.push_str(name);
            q.push('=');
            q.push_str(&v);
            sep = '&';
        };
        if let Some(page) = self.page {
            add("page", decimal(page));
        }
        if let Some(limit) = self.limit {
            add("limit", decimal(limit.into()));
        }
        if let Some(status) = &self.status {
            add("status", crate::core::url::encode_segment(status));
        }
        q
    }
}

/// `listMedia` paging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListParams {
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

pub const MAX_PAGE_SIZE: u32 = 100;
pub const DEFAULT_PAGE_SIZE: u32 = 50;

impl ListParams {
    /// Checks `limit` (1..=100) and `offset` (≥ 0), both whole numbers.
    pub fn new(limit: Option<f64>, offset: Option<f64>) -> Result<ListParams, Error> {
        let limit = limit.map(|l| page_size("limit", l)).transpose()?;
        let offset = match offset {
            None => None,
            Some(o) if o.is_finite() && o >= 0.0 && o.fract() == 0.0 && o <= 9e15 => Some(o as u64),
            Some(_) => return Err(Error::argument("offset must be a whole number ≥ 0")),
        };
        Ok(ListParams { limit, offset })
    }

    /// `?limit&offset`, each when set (`""` when none is); unset values are left to the
    /// server's defaults.
    pub fn query(&self) -> String {
        let mut q = String::new();
        let mut sep = '?';
        for (name, v) in [
            ("limit", self.limit.map(u64::from)),
            ("offset", self.offset),
        ] {
            if let Some(v) = v {
                q.push(sep);
                q.push_str(&cat!(name, "=", decimal(v)));
                sep = '&';
            }
        }
        q
    }
}

/// A page size: a whole number from 1 to 100.
pub fn page_size(what: &str, v: f64) -> Result<u32, Error> {
    if v.is_finite() && v.fract() == 0.0 && (1.0..=f64::from(MAX_PAGE_SIZE)).contains(&v) {
        Ok(v as u32)
    } else {
        Err(Error::argument(cat!(
            what,
            " must be a whole number from 1 to ",
            decimal(MAX_PAGE_SIZE.into())
        )))
    }
}

/// The `POST /media` body `upload()` sends. `metadata_json` is the caller's metadata, already
/// serialised.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateMediaBody<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub size: f64,
    pub model_type: &'a str,
    pub metadata_json: Option<&'a str>,
}

impl CreateMediaBody<'_> {
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"name\":");
        write_str(&mut out, self.name);
        out.push_str(",\"contentType\":");
        write_str(&mut out, self.content_type);
        // Sizes are whole numbers (checked before); integer formatting keeps float printing
        // out of the wasm.
        out.push_str(&cat!(",\"size\":", decimal(self.size as u64)));
        out.push_str(",\"modelType\":");
        write_str(&mut out, self.model_type);
        if let Some(m) = self.metadata_json {
            out.push_str(",\"metadata\":");
            out.push_str(m);
        }
        out.push('}');
        out
    }
}

/// Checks the fields of a `POST /media` body that the client can check without the server.
pub fn check_create_media(
    name: Option<&str>,
    content_type: Option<&str>,
    size: Option<f64>,
    model_type: Option<&str>,
) -> Result<(), Error> {
    if model_type.is_none_or(|m| m.trim().is_empty()) {
        return Err(Error::argument(
            "modelType is required (\"DF-1\", \"AC-1\", \"FI-1\", \"FE-1\", …)",
        ));
    }
    if name.is_none_or(str::is_empty) {
        return Err(Error::argument("name is required"));
    }
    if content_type.is_none_or(|c| c.trim().is_empty()) {
        return Err(Error::argument(
            "contentType is required (for example \"video/mp4\")",
        ));
    }
    match size {
        Some(s) if s.is_finite() && s > 0.0 && s.fract() == 0.0 => Ok(()),
        _ => Err(Error::argument(
            "size must be the file's size in bytes, a whole number > 0",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::{RawKey, RawOptions};

    fn cfg(auth: RawOptions) -> Config {
        Config::validate(RawOptions {
            base_url: Some("http://127.0.0.1:8787/api/".into()),
            headers: vec![("x-trace".into(), "t1".into())],
            ..auth
        })
        .unwrap()
    }

    fn bearer() -> Config {
        cfg(RawOptions {
            api_key: Some(RawKey::Static("api_k".into())),
            ..Default::default()
        })
    }

    fn list_media(c: &Config, p: ListParams) -> ApiRequest {
        c.at(Route::ListMedia, None, &p.query(), None, None)
            .unwrap()
    }

    fn header<'a>(r: &'a ApiRequest, name: &str) -> Option<&'a str> {
        r.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn bearer_requests() {
        let c = bearer();
        let r = c
            .at(
                Route::GetMedia,
                Some("692f406f9f68d4b70080bb80"),
                "",
                None,
                None,
            )
            .unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(
            r.url,
            "http://127.0.0.1:8787/api/media/692f406f9f68d4b70080bb80"
        );
        assert_eq!(header(&r, "authorization"), Some("Bearer api_k"));
        assert_eq!(header(&r, "x-trace"), Some("t1"));
        assert_eq!(header(&r, "content-type"), None);
        assert!(r.body.is_none());
        // A provider's fresh token wins over nothing.
        let p = cfg(RawOptions {
            api_key: Some(RawKey::Provider),
            ..Default::default()
        });
        let r = p
            .at(Route::DeleteMedia, Some("m1"), "", None, Some("tok_2"))
            .unwrap();
        assert_eq!(
            (r.method, header(&r, "authorization")),
            ("DELETE", Some("Bearer tok_2"))
        );
    }

    #[test]
    fn legacy_and_proxy_headers() {
        let c = cfg(RawOptions {
            client_id: Some("cid".into()),
            client_secret: Some("csec".into()),
            ..Default::default()
        });
        let r = list_media(&c, ListParams::default());
        assert_eq!(header(&r, "x-client-id"), Some("cid"));
        assert_eq!(header(&r, "x-client-secret"), Some("csec"));
        assert_eq!(header(&r, "authorization"), None);
        let proxy = cfg(RawOptions::default());
        let r = list_media(&proxy, ListParams::default());
        assert!(r
            .headers
            .iter()
            .all(|(n, _)| n != "authorization" && !n.starts_with("x-client")));
    }

    #[test]
    fn hostile_mids_are_encoded_or_refused() {
        let c = bearer();
        assert_eq!(
            c.at(Route::GetMedia, Some("%2e%2e"), "", None, None)
                .unwrap()
                .url,
            "http://127.0.0.1:8787/api/media/%252e%252e"
        );
        assert!(c.at(Route::GetMedia, Some("../x"), "", None, None).is_err());
        assert!(c
            .at(Route::DeleteMedia, Some("a?b"), "", None, None)
            .is_err());
        assert!(c.at(Route::DeleteJob, Some(""), "", None, None).is_err());
    }

    #[test]
    fn list_query() {
        let c = bearer();
        let p = ListParams::new(Some(5.0), Some(10.0)).unwrap();
        assert_eq!(
            list_media(&c, p).url,
            "http://127.0.0.1:8787/api/media?limit=5&offset=10"
        );
        let p = ListParams::new(None, Some(3.0)).unwrap();
        assert_eq!(
            list_media(&c, p).url,
            "http://127.0.0.1:8787/api/media?offset=3"
        );
        for (l, o) in [
            (Some(0.0), None),
            (Some(101.0), None),
            (Some(1.5), None),
            (None, Some(-1.0)),
        ] {
            assert_eq!(ListParams::new(l, o).unwrap_err().code, "INVALID_ARGUMENT");
        }
    }

    #[test]
    fn create_body_is_json() {
        let b = CreateMediaBody {
            name: "clip \"1\".mp4",
            content_type: "video/mp4",
            size: 1024000.0,
            model_type: "DF-1",
            metadata_json: Some("{\"isSingleFace\":true}"),
        };
        let v: serde_json::Value = serde_json::from_str(&b.to_json()).unwrap();
        assert_eq!(v["name"], "clip \"1\".mp4");
        assert_eq!(v["size"], 1024000);
        assert_eq!(v["metadata"]["isSingleFace"], true);
        let r = bearer()
            .at(Route::CreateMedia, None, "", Some(b.to_json()), None)
            .unwrap();
        assert_eq!(
            (r.method, header(&r, "content-type")),
            ("POST", Some("application/json"))
        );
    }

    #[test]
    fn create_checks() {
        assert!(check_create_media(Some("a"), Some("video/mp4"), Some(1.0), Some("DF-1")).is_ok());
        assert!(check_create_media(Some("a"), Some("video/mp4"), Some(1.0), None).is_err());
        assert!(check_create_media(Some(""), Some("video/mp4"), Some(1.0), Some("DF-1")).is_err());
        assert!(check_create_media(Some("a"), None, Some(1.0), Some("DF-1")).is_err());
        assert!(check_create_media(Some("a"), Some("v/m"), Some(0.0), Some("DF-1")).is_err());
        assert!(check_create_media(Some("a"), Some("v/m"), Some(1.5), Some("DF-1")).is_err());
    }
}
