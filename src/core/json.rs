//! JSON written by hand (request bodies) and decimal text read without `str::parse::<f64>`.
//!
//! Bodies are parsed by the runtime's `JSON.parse` (see `core::value`); the wasm carries no JSON
//! parser of its own.

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
            let back: String = serde_json::from_str(&out).unwrap();
            assert_eq!(back, s, "{out}");
        }
    }
}
