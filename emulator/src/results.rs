//! Deterministic verdicts: every number is a function of the SHA-256 of the uploaded bytes
//! (see emulator/README.md, "Verdicts"), so tests can predict them.

use crate::state::Record;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

fn byte(h: &[u8; 32], i: usize) -> u32 {
    u32::from(h.get(i % 32).copied().unwrap_or(0))
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// `0.5 + b / 510`, 4 decimals: always in 0.5..=1.0.
fn confidence(b: u32) -> f64 {
    round(0.5 + f64::from(b) / 510.0, 4)
}

/// Five frames (0, 30, …, 120) of a face box that drifts a little; always inside 640x480.
fn boxes(h: &[u8; 32], at: usize, frames: usize) -> Value {
    let w = 60 + byte(h, at) % 100;
    let hh = w + w / 4;
    let x0 = byte(h, at + 1) * (640 - w - 20) / 255;
    let y0 = byte(h, at + 2) * (480 - hh - 20) / 255;
    let mut m = Map::new();
    for k in 0..frames {
        let k32 = u32::try_from(k).unwrap_or(0);
        m.insert(
            (k * 30).to_string(),
            json!([x0 + k32 * 4, y0 + k32 * 2, w, hh]),
        );
    }
    Value::Object(m)
}

pub fn is_deepfake(h: &[u8; 32]) -> bool {
    byte(h, 0) & 1 == 1
}

/// DF-1: `(faces, deepFakes)` for the record summary.
pub fn df1_counts(h: &[u8; 32]) -> (u32, u32) {
    let n = 1 + byte(h, 1) % 3;
    let fakes = (0..n).filter(|i| (byte(h, 0) >> i) & 1 == 1).count();
    (n, u32::try_from(fakes).unwrap_or(0))
}

/// FI-1 similarity score between the original and the reference image.
pub fn similarity(h: &[u8; 32], r: &[u8; 32]) -> f64 {
    if h == r {
        return 100.0;
    }
    let mut s = Sha256::new();
    s.update(h);
    s.update(r);
    let s: [u8; 32] = s.finalize().into();
    round(f64::from(byte(&s, 0)) * 100.0 / 255.0, 1)
}

pub fn face_vector(h: &[u8; 32]) -> Vec<f64> {
    let mut raw = Vec::with_capacity(512);
    for counter in 0u32..16 {
        let mut s = Sha256::new();
        s.update(h);
        s.update(counter.to_be_bytes());
        let block: [u8; 32] = s.finalize().into();
        raw.extend(block.iter().map(|b| (f64::from(*b) - 127.5) / 127.5));
    }
    let norm = raw.iter().map(|x| x * x).sum::<f64>().sqrt();
    let norm = if norm > 0.0 { norm } else { 1.0 };
    raw.iter().map(|x| round(x / norm, 6)).collect()
}

/// The `result.json` of a processed record, or `None` when nothing landed.
pub fn result_json(rec: &Record) -> Option<Value> {
    let h = &rec.original.as_ref()?.sha256;
    let fake = is_deepfake(h);
    Some(match rec.model {
        "DF-1" => {
            let (n, _) = df1_counts(h);
            let mut preds = Vec::new();
            let mut bb = Map::new();
            for i in 0..n {
                let f = (byte(h, 0) >> i) & 1 == 1;
                let idx = usize::try_from(i).unwrap_or(0);
                preds.push(json!({"identityId": i.to_string(), "isDeepFake": f}));
                bb.insert(
                    i.to_string(),
                    json!({
                        "boundingBox": boxes(h, 8 + 4 * idx, 5),
                        "class": if f { "fake" } else { "real" },
                        "confidence": confidence(byte(h, 2 + idx)),
                    }),
                );
            }
            json!({"resultType": "video", "identityPredictions": preds, "boundingBoxes": bb})
        }
        "FI-1" => {
            let (is_similar, score) = match (rec.needs_reference, &rec.reference) {
                (true, Some(r)) => {
                    let s = similarity(h, &r.sha256);
                    (json!(s >= 70.0), json!(s))
                }
                _ => (Value::Null, Value::Null),
            };
            let frames = if rec.kind == "Video" { 5 } else { 1 };
            json!({
                "resultType": "face",
                "isDeepFake": fake,
                "isLiveness": (byte(h, 0) >> 1) & 1 == 0,
                "isSimilar": is_similar,
                "similarityScore": score,
                "boundingBoxes": {"0": {
                    "boundingBox": boxes(h, 8, frames),
                    "class": if fake { "fake" } else { "real" },
                    "confidence": confidence(byte(h, 2)),
                }},
            })
        }
        "FE-1" => json!({"resultType": "face-embed", "faceVector": face_vector(h)}),
        _ => {
            json!({"resultType": "audio", "isDeepFake": fake, "confidence": confidence(byte(h, 1))})
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_is_unit_length() {
        let h = [7u8; 32];
        let v = face_vector(&h);
        assert_eq!(v.len(), 512);
        let n: f64 = v.iter().map(|x| x * x).sum();
        assert!((n - 1.0).abs() < 1e-3);
    }

    #[test]
    fn boxes_stay_inside_the_frame() {
        for b in [0u8, 1, 127, 200, 255] {
            let h = [b; 32];
            let v = boxes(&h, 8, 5);
            for (_, bx) in v.as_object().unwrap() {
                let a: Vec<u64> = bx
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_u64().unwrap())
                    .collect();
                assert!(a[0] + a[2] <= 640 && a[1] + a[3] <= 480, "{a:?}");
            }
        }
    }

    #[test]
    fn similarity_of_identical_is_100() {
        assert_eq!(similarity(&[1; 32], &[1; 32]), 100.0);
        let s = similarity(&[1; 32], &[2; 32]);
        assert!((0.0..=100.0).contains(&s));
    }
}
