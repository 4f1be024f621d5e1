//! Substring search and replace, and joining text (`cat!`). std's searches use the two-way
//! string searcher, which costs a few KB of wasm; the inputs here are short (messages) or
//! scanned once (S3 error bodies), so a plain scan is as fast in practice. `cat!` and `decimal`
//! replace `format!` and `to_string()` on numbers, which would bring `core::fmt` back.

/// Byte offset of the first `needle` in `hay` at or after `from`.
pub fn find_from(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return (from <= h.len()).then_some(from);
    }
    let first = *n.first()?;
    let last_start = h.len().checked_sub(n.len())?;
    let mut i = from;
    while i <= last_start {
        if h.get(i) == Some(&first) && h.get(i..i + n.len()) == Some(n) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Byte offset of the first `needle` in `hay`.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    find_from(hay, needle, 0)
}

pub fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// `hay` with every `needle` replaced by `with` (an empty needle changes nothing).
pub fn replace(hay: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() {
        return hay.to_string();
    }
    let mut out = String::with_capacity(hay.len());
    let mut pos = 0;
    while let Some(at) = find_from(hay, needle, pos) {
        out.push_str(hay.get(pos..at).unwrap_or(""));
        out.push_str(with);
        pos = at + needle.len();
    }
    out.push_str(hay.get(pos..).unwrap_or(""));
    out
}

/// What `cat!` joins: text (numbers go through `decimal`).
pub trait Piece {
    fn text(&self) -> &str;
}

impl Piece for str {
    fn text(&self) -> &str {
        self
    }
}

impl Piece for String {
    fn text(&self) -> &str {
        self
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn text(&self) -> &str {
        (**self).text()
    }
}

/// The parts, one after another, in one allocation.
#[inline(never)]
pub fn join(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// `n` in decimal.
#[inline(never)]
pub fn decimal(mut n: u64) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, char::from(b'0' + (n % 10) as u8));
        n /= 10;
        if n == 0 {
            return s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_and_replace() {
        assert_eq!(find("abcabc", "ca"), Some(2));
        assert_eq!(find_from("abcabc", "abc", 1), Some(3));
        assert_eq!(find("abc", "abcd"), None);
        assert_eq!(find("", "a"), None);
        assert_eq!(find("abc", ""), Some(0));
        assert!(contains("ünï😀x", "😀"));
        assert_eq!(replace("a-b-c", "-", "+="), "a+=b+=c");
        assert_eq!(replace("aaa", "aa", "b"), "ba");
        assert_eq!(replace("abc", "", "x"), "abc");
        assert_eq!(replace("😀k😀", "k", "[R]"), "😀[R]😀");
    }

    #[test]
    fn cat_joins_like_format() {
        for n in [0u64, 7, 10, 404, 2_147_483_647, u64::MAX] {
            assert_eq!(decimal(n), format!("{n}"));
        }
        let what = String::from("timeoutMs");
        assert_eq!(
            cat!(what, " must be at most ", decimal(30_000), " ms", ""),
            "timeoutMs must be at most 30000 ms"
        );
        assert_eq!(join(&[]), "");
    }
}
