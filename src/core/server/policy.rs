//! `policy(caller)`: what one caller may do. Read strictly: a policy the handler cannot read is
//! a failure of the handler (500), never a wider permission.

use crate::core::request::Route;
use crate::core::tasks::task_id;
use serde_json::Value as J;

/// A caller's permissions. The default (no `policy` option, or `{}`) is every task of both
/// APIs, lists and deletes, own jobs only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Task ids (`"1"` for AC-1); `None`: every task.
    pub tasks: Option<Vec<String>>,
    pub jobs: bool,
    pub media: bool,
    pub max_bytes: Option<u64>,
    pub max_inputs: Option<u64>,
    pub list: bool,
    pub delete: bool,
    /// Sees every job and record, not only its own (an internal dashboard).
    pub all: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            tasks: None,
            jobs: true,
            media: true,
            max_bytes: None,
            max_inputs: None,
            list: true,
            delete: true,
            all: false,
        }
    }
}

impl Policy {
    /// From the JSON of `policy`'s answer (`null` for none). `Err` says what is wrong, for the
    /// application's `onEvent`; the caller only sees a 500.
    pub fn from_json(v: &J) -> Result<Policy, String> {
        let mut p = Policy::default();
        let obj = match v {
            J::Null => return Ok(p),
            J::Object(o) => o,
            _ => return Err("policy must return an object".into()),
        };
        for (key, value) in obj {
            match key.as_str() {
                "tasks" => {
                    let items = value.as_array().ok_or("policy.tasks must be an array")?;
                    let mut ids = vec![];
                    for t in items {
                        let given = match t {
                            J::String(s) => s.clone(),
                            J::Number(n) => n.to_string(),
                            _ => return Err("policy.tasks must hold codes, ids or slugs".into()),
                        };
                        ids.push(
                            task_id(&given)
                                .map_err(|_| format!("policy.tasks: unknown task \"{given}\""))?,
                        );
                    }
                    p.tasks = Some(ids);
                }
                "apis" => {
                    let items = value.as_array().ok_or("policy.apis must be an array")?;
                    p.jobs = false;
                    p.media = false;
                    for a in items {
                        match a.as_str() {
                            Some("jobs") => p.jobs = true,
                            Some("media") => p.media = true,
                            _ => return Err("policy.apis holds \"jobs\" and/or \"media\"".into()),
                        }
                    }
                }
                "maxBytes" => p.max_bytes = Some(whole(value, "maxBytes")?),
                "maxInputs" => p.max_inputs = Some(whole(value, "maxInputs")?),
                "list" => p.list = flag(value, "list")?,
                "delete" => p.delete = flag(value, "delete")?,
                "all" => p.all = flag(value, "all")?,
                other => return Err(format!("policy.{other} is not an option")),
            }
        }
        Ok(p)
    }

    /// Whether this caller may use `route` at all (the task and sizes are checked with the body).
    pub fn allows(&self, route: Route) -> Result<(), &'static str> {
        if route.is_job() && !self.jobs {
            return Err("This account may not use the Jobs API");
        }
        if !route.is_job() && !self.media {
            return Err("This account may not use the Media API");
        }
        if matches!(route, Route::ListJobs | Route::ListMedia) && !self.list {
            return Err("This account may not list jobs");
        }
        if route.is_delete() && !self.delete {
            return Err("This account may not delete jobs");
        }
        Ok(())
    }

    /// Whether a task (an id from `task_id`, or a Media model code the SDK does not know) is
    /// allowed.
    pub fn allows_task(&self, id: Option<&str>) -> bool {
        match (&self.tasks, id) {
            (None, _) => true,
            (Some(list), Some(id)) => list.iter().any(|t| t == id),
            (Some(_), None) => false,
        }
    }
}

fn whole(v: &J, name: &str) -> Result<u64, String> {
    v.as_u64()
        .ok_or_else(|| format!("policy.{name} must be a whole number ≥ 0"))
}

fn flag(v: &J, name: &str) -> Result<bool, String> {
    v.as_bool()
        .ok_or_else(|| format!("policy.{name} must be true or false"))
}
