//! A small JSON reader and string writer.
//!
//! The core only needs a few fields out of each response (`mid`, `status`, `code`, …), and the
//! caller gets the runtime's own `JSON.parse` of the body, so every field survives untouched.
//! Hand-written instead of `serde_json` because it costs a fraction of the wasm size, and it is
//! total: any input gives `Ok` or `Err`, never a panic, and nesting is bounded so that hostile
//! input cannot exhaust the stack.

// The parser's only error is "not JSON": callers say what they expected instead.
#![allow(clippy::result_unit_err)]

/// A parsed JSON value. Objects keep their keys in order, duplicates included (last one wins on
/// look-up, as in `JSON.parse`).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

/// Deeper nesting than this is refused: no Authenta response comes close.
pub const MAX_DEPTH: usize = 128;

impl Json {
    /// Parses a whole document; trailing non-space content is an error.
    pub fn parse(text: &str) -> Result<Json, ()> {
        let mut p = Parser {
            s: text.as_bytes(),
            text,
            i: 0,
        };
        p.ws();
        let v = p.value(0)?;
        p.ws();
        if p.i == p.s.len() {
            Ok(v)
        } else {
            Err(())
        }
    }

    /// The member `key` of an object (the last one, as `JSON.parse` keeps).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Num(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Arr(a) => Some(a),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Json::Obj(_))
    }

    /// A string member, if present and a string.
    pub fn str_field(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Json::as_str)
    }
}

struct Parser<'a> {
    /// The text as bytes; `text` is the same, as `str`, so runs between ASCII delimiters can be
    /// copied without validating UTF-8 again.
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &[u8]) -> Result<(), ()> {
        if self.s.get(self.i..self.i + lit.len()) == Some(lit) {
            self.i += lit.len();
            Ok(())
        } else {
            Err(())
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, ()> {
        if depth > MAX_DEPTH {
            return Err(());
        }
        match self.peek().ok_or(())? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.string().map(Json::Str),
            b't' => self.eat(b"true").map(|_| Json::Bool(true)),
            b'f' => self.eat(b"false").map(|_| Json::Bool(false)),
            b'n' => self.eat(b"null").map(|_| Json::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(()),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, ()> {
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(Json::Obj(members));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(());
            }
            let key = self.string()?;
            self.ws();
            self.eat(b":")?;
            self.ws();
            let v = self.value(depth + 1)?;
            members.push((key, v));
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Json::Obj(members));
                }
                _ => return Err(()),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, ()> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(Json::Arr(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Json::Arr(items));
                }
                _ => return Err(()),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ()> {
        let digits = self.s.get(self.i..self.i + 4).ok_or(())?;
        let mut v = 0u32;
        for d in digits {
            v = v * 16 + (*d as char).to_digit(16).ok_or(())?;
        }
        self.i += 4;
        Ok(v)
    }

    fn string(&mut self) -> Result<String, ()> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character in one go.
            let start = self.i;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.push_str(self.text.get(start..self.i).ok_or(())?);
            match self.peek().ok_or(())? {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.i += 1;
                    let esc = self.peek().ok_or(())?;
                    self.i += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi)
                                && self.s.get(self.i..self.i + 2) == Some(b"\\u")
                            {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    // Not a pair: keep the lone half as U+FFFD, as
                                    // a lenient decoder does, and re-read the second escape.
                                    self.i = save;
                                    0xFFFD
                                }
                            } else {
                                hi
                            };
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err(()),
                    }
                }
                _ => return Err(()), // raw control character
            }
        }
    }

    fn number(&mut self) -> Result<Json, ()> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(()),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(());
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(());
            }
            self.digits();
        }
        let text = self.text.get(start..self.i).ok_or(())?;
        parse_decimal(text).map(Json::Num).ok_or(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
    }
}

/// Decimal text (JSON's number grammar) to `f64`. Exact for integers up to 2^53 and within a
/// few ulps otherwise, which is plenty for counts, sizes and scores. Written out because
/// `str::parse::<f64>` brings about 20 KB of exact-rounding tables into the wasm.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut i = 0;
    let negative = b.first() == Some(&b'-');
    if negative {
        i += 1;
    }
    let mut mantissa: u64 = 0;
    let mut exp10: i32 = 0;
    let mut digits = 0;
    let mut seen_point = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                if mantissa < 1_000_000_000_000_000_000 {
                    mantissa = mantissa * 10 + u64::from(c - b'0');
                    if seen_point {
                        exp10 -= 1;
                    }
                } else if !seen_point {
                    exp10 += 1; // digits beyond u64 precision still scale the value
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let exp_negative = b.get(i) == Some(&b'-');
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        let mut e: i32 = 0;
        let start = i;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            e = (e * 10 + i32::from(c - b'0')).min(100_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp10 += if exp_negative { -e } else { e };
    }
    if i != b.len() {
        return None;
    }
    let m = mantissa as f64;
    // Dividing by an exact power of ten rounds better than multiplying by an inexact one.
    let v = if exp10 >= 0 {
        m * 10f64.powi(exp10.min(400))
    } else if exp10 >= -300 {
        m / 10f64.powi(-exp10)
    } else {
        m / 10f64.powi(300) / 10f64.powi((-exp10 - 300).min(400))
    };
    Some(if negative { -v } else { v })
}

/// Writes `s` as a JSON string literal (with quotes) onto `out`.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                let n = c as u32;
                out.push(hex_digit(n >> 4));
                out.push(hex_digit(n & 0xF));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn hex_digit(n: u32) -> char {
    char::from_digit(n, 16).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documented_media_record() {
        let v = Json::parse(
            r#"{"mid":"692f406f9f68d4b70080bb80","name":"video_sample","type":"Video",
            "status":"INITED","modelType":"DF-1","createdAt":"2025-12-02T19:39:27.525Z","size":1024000}"#,
        )
        .unwrap();
        assert_eq!(v.str_field("mid"), Some("692f406f9f68d4b70080bb80"));
        assert_eq!(v.str_field("status"), Some("INITED"));
        assert_eq!(v.get("size").and_then(Json::as_f64), Some(1024000.0));
        assert_eq!(v.get("nope"), None);
    }

    #[test]
    fn scalars_arrays_and_nesting() {
        assert_eq!(Json::parse(" null ").unwrap(), Json::Null);
        assert_eq!(Json::parse("true").unwrap(), Json::Bool(true));
        assert_eq!(Json::parse("-1.5e3").unwrap(), Json::Num(-1500.0));
        assert_eq!(
            Json::parse("[1, [2], {}]").unwrap(),
            Json::Arr(vec![
                Json::Num(1.0),
                Json::Arr(vec![Json::Num(2.0)]),
                Json::Obj(vec![])
            ])
        );
        assert_eq!(
            Json::parse(r#"{"a":1,"a":2}"#).unwrap().get("a"),
            Some(&Json::Num(2.0))
        );
    }

    #[test]
    fn string_escapes_and_unicode() {
        let v = Json::parse(r#""a\"b\\c\/\n\u00e9\ud83d\ude00é""#).unwrap();
        assert_eq!(v, Json::Str("a\"b\\c/\né😀é".into()));
        // A lone surrogate becomes U+FFFD instead of failing the whole body.
        assert_eq!(
            Json::parse(r#""\ud800x""#).unwrap(),
            Json::Str("\u{FFFD}x".into())
        );
        assert_eq!(
            Json::parse(r#""\ud800\u0041""#).unwrap(),
            Json::Str("\u{FFFD}A".into())
        );
    }

    #[test]
    fn rejects_malformed_input() {
        for bad in [
            "",
            "   ",
            "{",
            "{\"mid\":",
            "{\"mid\":\"abc",
            "[1,]",
            "{,}",
            "01",
            "1.",
            "1e",
            "-",
            "tru",
            "nul",
            "{\"a\" 1}",
            "\"\u{1}\"",
            "\"\\x\"",
            "\"\\u12\"",
            "<html><body>Bad gateway</body></html>",
            "{} trailing",
            "{\"a\":1}}",
        ] {
            assert!(Json::parse(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn decimals() {
        for (text, want) in [
            ("0", 0.0),
            ("-0", -0.0),
            ("97.5", 97.5),
            ("1024000", 1024000.0),
            ("9007199254740993", 9007199254740992.0),
            ("1e3", 1000.0),
            ("2.5E-3", 0.0025),
            ("-1.5e+2", -150.0),
            ("0.1", 0.1),
            ("0.30000000000000004", 0.30000000000000004),
            ("123456789012345678901234567890", 1.2345678901234568e29),
        ] {
            let got = parse_decimal(text).unwrap();
            assert!(
                (got - want).abs() <= want.abs() * 1e-15,
                "{text}: {got} vs {want}"
            );
        }
        assert_eq!(parse_decimal("1e400"), Some(f64::INFINITY));
        assert_eq!(parse_decimal("1e-400"), Some(0.0));
        for bad in ["", "-", ".", "e5", "1e", "1x", "1.2.3"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        assert!(Json::parse(&deep).is_err());
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(Json::parse(&ok).is_ok());
    }

    #[test]
    fn writes_strings_that_parse_back() {
        for s in [
            "plain",
            "quo\"te",
            "back\\slash",
            "ctl\u{1}\u{1f}",
            "nl\n\r\t",
            "ünï😀",
        ] {
            let mut out = String::new();
            write_str(&mut out, s);
            assert_eq!(Json::parse(&out).unwrap(), Json::Str(s.into()), "{out}");
        }
    }
}
