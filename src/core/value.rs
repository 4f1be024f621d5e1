//! The few reads the core makes of a parsed JSON body.
//!
//! A body is parsed once, by the runtime's `JSON.parse`, and handed to the caller untouched; the
//! core reads the two to five fields it needs through this trait. The facade implements it over
//! `JsValue`; host tests and fuzz targets over `serde_json::Value` (never in the wasm).

/// A parsed JSON value, read field by field.
pub trait Value: Clone {
    /// A member of an object; `None` when absent (or when `self` is not an object).
    fn get(&self, key: &str) -> Option<Self>;
    fn as_str(&self) -> Option<String>;
    fn as_f64(&self) -> Option<f64>;
    /// A plain object: not an array, not `null`.
    fn is_object(&self) -> bool;
    fn is_null(&self) -> bool;
    /// The elements of an array.
    fn items(&self) -> Option<Vec<Self>>;

    /// A string member.
    fn str_field(&self, key: &str) -> Option<String> {
        self.get(key)?.as_str()
    }

    /// A member that is present and not `null`.
    fn present(&self, key: &str) -> Option<Self> {
        self.get(key).filter(|v| !v.is_null())
    }
}

#[cfg(any(test, feature = "serde_json"))]
impl Value for serde_json::Value {
    fn get(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key).cloned()
    }
    fn as_str(&self) -> Option<String> {
        serde_json::Value::as_str(self).map(str::to_string)
    }
    fn as_f64(&self) -> Option<f64> {
        serde_json::Value::as_f64(self)
    }
    fn is_object(&self) -> bool {
        serde_json::Value::is_object(self)
    }
    fn is_null(&self) -> bool {
        serde_json::Value::is_null(self)
    }
    fn items(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
}
