//! What the storage keeps of an upload: its length, its first and last 512 KiB (the whole
//! body up to 1 MiB), and digests of those. Hashing every byte of a 1 GB upload would make the
//! emulator, not the client, the bottleneck of an upload benchmark (especially in a debug
//! build), so large bodies are fingerprinted by a sample instead.

use bytes::{Bytes, BytesMut};
use md5::Md5;
use sha2::{Digest, Sha256};
use std::collections::VecDeque;

/// Bodies up to this size are hashed whole (and kept, so `srcURL` can serve them).
pub const FULL_LIMIT: usize = 1024 * 1024;
/// Larger bodies are sampled: this much from each end.
pub const EDGE: usize = 512 * 1024;

pub struct Digests {
    pub sha256: [u8; 32],
    /// Quoted hex, as S3's `ETag`.
    pub etag: String,
    pub len: u64,
    /// The body, when small enough to keep.
    pub bytes: Option<Bytes>,
    /// Width and height when the body starts like a PNG, JPEG, GIF or WebP picture.
    pub dims: Option<(u32, u32)>,
}

/// Width and height of a PNG, JPEG, GIF or WebP picture, read from its header.
pub fn picture_size(head: &[u8]) -> Option<(u32, u32)> {
    let size = imagesize::blob_size(head).ok()?;
    let w = u32::try_from(size.width).ok().filter(|w| *w > 0)?;
    let h = u32::try_from(size.height).ok().filter(|h| *h > 0)?;
    Some((w, h))
}

/// The bytes the digests are computed over: the body itself up to `FULL_LIMIT`, else its
/// first `EDGE` bytes, its last `EDGE` bytes and its length as 8 big-endian bytes.
pub fn fingerprint_input(body: &[u8]) -> Vec<u8> {
    if body.len() <= FULL_LIMIT {
        return body.to_vec();
    }
    let mut v = Vec::with_capacity(2 * EDGE + 8);
    v.extend_from_slice(body.get(..EDGE).unwrap_or_default());
    v.extend_from_slice(body.get(body.len() - EDGE..).unwrap_or_default());
    v.extend_from_slice(&(body.len() as u64).to_be_bytes());
    v
}

/// Collects the sample as the body streams in, without copying the chunks.
#[derive(Default)]
pub struct Sampler {
    head: Vec<Bytes>,
    head_len: usize,
    tail: VecDeque<Bytes>,
    tail_len: usize,
    len: u64,
}

impl Sampler {
    pub fn push(&mut self, chunk: Bytes) {
        self.len = self.len.saturating_add(chunk.len() as u64);
        if self.head_len < EDGE {
            self.head_len += chunk.len();
            self.head.push(chunk);
            return;
        }
        self.tail_len += chunk.len();
        self.tail.push_back(chunk);
        // Drop whole chunks from the front while the rest still covers the last EDGE bytes.
        while let Some(front) = self.tail.front() {
            if self.tail_len - front.len() >= EDGE {
                self.tail_len -= front.len();
                self.tail.pop_front();
            } else {
                break;
            }
        }
    }

    pub fn finish(self) -> Digests {
        let mut retained = BytesMut::with_capacity(self.head_len + self.tail_len);
        for c in self.head.iter().chain(self.tail.iter()) {
            retained.extend_from_slice(c);
        }
        let small = self.len <= FULL_LIMIT as u64;
        let input: Vec<u8> = if small {
            retained.to_vec()
        } else {
            // `retained` is the body with a gap somewhere after the first EDGE bytes and
            // before the last EDGE bytes.
            let r = &retained[..];
            let mut v = Vec::with_capacity(2 * EDGE + 8);
            v.extend_from_slice(r.get(..EDGE).unwrap_or_default());
            v.extend_from_slice(r.get(r.len().saturating_sub(EDGE)..).unwrap_or_default());
            v.extend_from_slice(&self.len.to_be_bytes());
            v
        };
        // The head holds at least the first EDGE bytes: enough for any of these headers.
        let dims = picture_size(retained.get(..self.head_len).unwrap_or_default());
        Digests {
            dims,
            sha256: Sha256::digest(&input).into(),
            etag: format!("\"{}\"", hex::encode(Md5::digest(&input))),
            len: self.len,
            bytes: small.then(|| retained.freeze()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 31 % 251) as u8).collect()
    }

    #[test]
    fn streaming_matches_the_definition() {
        for n in [1, 1000, FULL_LIMIT, FULL_LIMIT + 1, 3 * FULL_LIMIT + 17] {
            let b = body(n);
            let expected: [u8; 32] = Sha256::digest(fingerprint_input(&b)).into();
            for chunk in [1000, 65_536, 400_000, 2 * FULL_LIMIT] {
                let mut s = Sampler::default();
                for c in b.chunks(chunk) {
                    s.push(Bytes::copy_from_slice(c));
                }
                let d = s.finish();
                assert_eq!(d.len, n as u64);
                assert_eq!(d.sha256, expected, "n={n} chunk={chunk}");
                assert_eq!(d.bytes.is_some(), n <= FULL_LIMIT);
            }
        }
    }

    #[test]
    fn small_bodies_get_s3s_etag() {
        let mut s = Sampler::default();
        s.push(Bytes::from_static(b"hello"));
        assert_eq!(s.finish().etag, "\"5d41402abc4b2a76b9719d911017c592\"");
    }

    #[test]
    fn picture_sizes_from_headers() {
        // PNG: signature, IHDR length and type, width 300, height 200.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&300u32.to_be_bytes());
        png.extend_from_slice(&200u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(picture_size(&png), Some((300, 200)));
        // GIF: logical screen width and height, little-endian.
        let gif = b"GIF89a\x40\x01\xf0\x00\x00\x00\x00";
        assert_eq!(picture_size(gif), Some((320, 240)));
        assert_eq!(picture_size(b"not a picture at all"), None);
        assert_eq!(picture_size(b""), None);
        let mut s = Sampler::default();
        s.push(Bytes::from(png));
        assert_eq!(s.finish().dims, Some((300, 200)));
    }
}
