//! Deterministic verdicts: every number is a function of the SHA-256 of the uploaded bytes
//! (see emulator/README.md, "Verdicts"), so tests can predict them.

use crate::state::{Job, Landed, Record};
use crate::tasks::TaskType;
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

/// The frame of a video or anything that is not a picture the storage can read.
pub const DEFAULT_FRAME: (u32, u32) = (1280, 720);

/// `frames` frames (0, 30, …) of a face box that drifts a little, always inside a `width` x
/// `height` picture. For 640x480 it is the emulator's older fixed-frame formula.
fn boxes(h: &[u8; 32], at: usize, frames: usize, (width, height): (u32, u32)) -> Value {
    let (pw, ph) = (u64::from(width.max(1)), u64::from(height.max(1)));
    let side = pw.min(ph);
    let b = |i| u64::from(byte(h, i));
    let w = (side / 8 + b(at) % (side * 5 / 24).max(1)).clamp(1, pw);
    let hh = (w + w / 4).min(ph);
    let x0 = b(at + 1) * pw.saturating_sub(20 + w) / 255;
    let y0 = b(at + 2) * ph.saturating_sub(20 + hh) / 255;
    let mut m = Map::new();
    for k in 0..frames {
        let k = u64::try_from(k).unwrap_or(0);
        m.insert(
            (k * 30).to_string(),
            json!([(x0 + k * 4).min(pw - w), (y0 + k * 2).min(ph - hh), w, hh]),
        );
    }
    Value::Object(m)
}

/// The picture's size, or the default frame.
fn frame_of(landed: &Landed) -> (u32, u32) {
    landed.dims.unwrap_or(DEFAULT_FRAME)
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

/// DF-1: identity predictions and boxes, and whether any identity is a deepfake.
fn df1(h: &[u8; 32], frame: (u32, u32)) -> (Vec<Value>, Map<String, Value>, bool) {
    let (n, fakes) = df1_counts(h);
    let mut preds = Vec::new();
    let mut bb = Map::new();
    for i in 0..n {
        let f = (byte(h, 0) >> i) & 1 == 1;
        let idx = usize::try_from(i).unwrap_or(0);
        preds.push(json!({"identityId": i.to_string(), "isDeepFake": f}));
        bb.insert(
            i.to_string(),
            json!({
                "boundingBox": boxes(h, 8 + 4 * idx, 5, frame),
                "class": if f { "fake" } else { "real" },
                "confidence": confidence(byte(h, 2 + idx)),
            }),
        );
    }
    (preds, bb, fakes > 0)
}

/// The face box of FI-1: one frame for a picture, five for a video.
fn face_box(h: &[u8; 32], frames: usize, frame: (u32, u32)) -> Value {
    let fake = is_deepfake(h);
    json!({"0": {
        "boundingBox": boxes(h, 8, frames, frame),
        "class": if fake { "fake" } else { "real" },
        "confidence": confidence(byte(h, 2)),
    }})
}

/// A verdict in percent: `{ isFake, confidencePercent, fakeConfidencePercent,
/// realConfidencePercent }` (AC-1's documented shape).
fn percent_verdict(h: &[u8; 32]) -> Value {
    let fake = is_deepfake(h);
    let c = round(confidence(byte(h, 1)) * 100.0, 2);
    let other = round(100.0 - c, 2);
    let (fake_pct, real_pct) = if fake { (c, other) } else { (other, c) };
    json!({
        "isFake": fake,
        "confidencePercent": c,
        "fakeConfidencePercent": fake_pct,
        "realConfidencePercent": real_pct,
    })
}

/// The `result.json` of a processed record, or `None` when nothing landed.
pub fn result_json(rec: &Record) -> Option<Value> {
    let original = rec.original.as_ref()?;
    let h = &original.sha256;
    let frame = frame_of(original);
    let fake = is_deepfake(h);
    Some(match rec.model {
        "DF-1" => {
            let (preds, bb, _) = df1(h, frame);
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
                "isLiveness": is_live(h),
                "isSimilar": is_similar,
                "similarityScore": score,
                "boundingBoxes": face_box(h, frames, frame),
            })
        }
        "FE-1" => json!({"resultType": "face-embed", "faceVector": face_vector(h)}),
        // AC-1: AI-generated image detection.
        _ => percent_verdict(h),
    })
}

fn is_live(h: &[u8; 32]) -> bool {
    (byte(h, 0) >> 1) & 1 == 0
}

/// The result of a completed job, or `None` when its original never landed.
pub fn job_result(job: &Job) -> Option<Value> {
    let original = job.input("original")?.landed.as_ref()?;
    let h = &original.sha256;
    let frame = frame_of(original);
    let fake = is_deepfake(h);
    let task: &TaskType = job.task;
    Some(match task.code {
        "DF-1" => {
            let (preds, bb, any) = df1(h, frame);
            json!({"resultType": "video", "isDeepFake": any, "identityPredictions": preds,
                   "boundingBoxes": bb})
        }
        "DI-1" => json!({"isFake": fake, "isTampered": fake || (byte(h, 0) >> 1) & 1 == 1}),
        "FI-1" => {
            let video = original
                .content_type
                .as_deref()
                .is_some_and(|c| c.starts_with("video/"));
            let (is_similar, score) = match job.input("reference").and_then(|r| r.landed.as_ref()) {
                Some(r) if job.flag("isSimilarityCheck") => {
                    let s = similarity(h, &r.sha256);
                    (json!(s >= 70.0), json!(s))
                }
                _ => (Value::Null, Value::Null),
            };
            let checked = |flag: &str, v: bool| {
                if job.flag(flag) {
                    json!(v)
                } else {
                    Value::Null
                }
            };
            json!({
                "isDeepFake": checked("isFaceswapCheck", fake),
                "isLiveness": checked("isLivenessCheck", is_live(h)),
                "isSimilar": is_similar,
                "similarityScore": score,
                "boundingBoxes": face_box(h, if video { 5 } else { 1 }, frame),
            })
        }
        "FE-1" => json!({"faceVector": face_vector(h)}),
        "AC-1" => percent_verdict(h),
        // Not documented: a plausible verdict.
        _ => json!({"isFake": fake, "confidencePercent": round(confidence(byte(h, 1)) * 100.0, 2)}),
    })
}

/// The heatmap artifact of a completed AC-1 or DI-1 job: a PNG of the picture's proportions
/// (at most 256 pixels a side), red where the "manipulation" is, transparent elsewhere.
pub fn heatmap_png(job: &Job) -> Option<Vec<u8>> {
    let original = job.input("original")?.landed.as_ref()?;
    let h = &original.sha256;
    let (pw, ph) = heatmap_size(frame_of(original));
    let (cx, cy) = (
        f64::from(byte(h, 20)) / 255.0 * f64::from(pw),
        f64::from(byte(h, 21)) / 255.0 * f64::from(ph),
    );
    let sigma = f64::from(pw.min(ph)) * (0.1 + f64::from(byte(h, 22)) / 1275.0);
    let peak = if is_deepfake(h) { 230.0 } else { 60.0 };
    let mut data = Vec::with_capacity(usize::try_from(pw * ph * 4).unwrap_or(0));
    for y in 0..ph {
        for x in 0..pw {
            let (dx, dy) = (f64::from(x) - cx, f64::from(y) - cy);
            let v = peak * (-(dx * dx + dy * dy) / (2.0 * sigma * sigma)).exp();
            // 0..=255 by construction.
            let a = v.round().clamp(0.0, 255.0) as u8;
            data.extend_from_slice(&[255, 0, 0, a]);
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, pw, ph);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().ok()?;
        writer.write_image_data(&data).ok()?;
    }
    Some(out)
}

/// The heatmap's width and height: the picture's, scaled down to at most 256 a side.
pub fn heatmap_size((w, h): (u32, u32)) -> (u32, u32) {
    let (w, h) = (u64::from(w.max(1)), u64::from(h.max(1)));
    let side = w.max(h);
    if side <= 256 {
        return (u32::try_from(w).unwrap_or(1), u32::try_from(h).unwrap_or(1));
    }
    let scale = |x: u64| u32::try_from((x * 256 / side).max(1)).unwrap_or(1);
    (scale(w), scale(h))
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
            for (w, hh) in [
                (640, 480),
                (1280, 720),
                (300, 200),
                (64, 64),
                (1, 1),
                (30, 5000),
            ] {
                let v = boxes(&h, 8, 5, (w, hh));
                for (_, bx) in v.as_object().unwrap() {
                    let a: Vec<u64> = bx
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_u64().unwrap())
                        .collect();
                    assert!(a[2] >= 1 && a[3] >= 1, "{a:?}");
                    assert!(
                        a[0] + a[2] <= u64::from(w) && a[1] + a[3] <= u64::from(hh),
                        "{a:?} in {w}x{hh}"
                    );
                }
            }
        }
    }

    #[test]
    fn boxes_at_640x480_keep_the_fixed_frame_formula() {
        let mut h = [0u8; 32];
        h[8] = 250;
        h[9] = 255;
        h[10] = 128;
        // w = 60 + 250 % 100, hh = w + w/4, x0 = 255*(620-w)/255, y0 = 128*(460-hh)/255.
        let v = boxes(&h, 8, 2, (640, 480));
        assert_eq!(v["0"], json!([510, 162, 110, 137]));
        assert_eq!(v["30"], json!([514, 164, 110, 137]));
    }

    #[test]
    fn percent_verdict_adds_up() {
        for b in [0u8, 1, 2, 3, 200, 255] {
            let mut h = [b; 32];
            h[1] = b.wrapping_mul(7);
            let v = percent_verdict(&h);
            let f = v["fakeConfidencePercent"].as_f64().unwrap();
            let r = v["realConfidencePercent"].as_f64().unwrap();
            assert!((f + r - 100.0).abs() < 1e-9, "{v}");
            assert_eq!(v["isFake"], b % 2 == 1);
            let c = v["confidencePercent"].as_f64().unwrap();
            assert!((50.0..=100.0).contains(&c));
            assert_eq!(c, if b % 2 == 1 { f } else { r });
        }
    }

    #[test]
    fn heatmap_keeps_the_proportions() {
        assert_eq!(heatmap_size((640, 480)), (256, 192));
        assert_eq!(heatmap_size((100, 50)), (100, 50));
        assert_eq!(heatmap_size((1, 100_000)), (1, 256));
    }

    #[test]
    fn similarity_of_identical_is_100() {
        assert_eq!(similarity(&[1; 32], &[1; 32]), 100.0);
        let s = similarity(&[1; 32], &[2; 32]);
        assert!((0.0..=100.0).contains(&s));
    }
}
