//! The Jobs API (`/api/v1/jobs`) over real HTTP: the flow, validation, statuses, artifacts,
//! cancel and delete rules, the flat variant, and faults on its routes.

use crate::common::*;
use serde_json::{json, Value};
use std::time::Duration;

fn assert_message(r: &Reply, status: u16, code: &str, message: &str) {
    assert_error(r, status, code);
    assert_eq!(r.json()["message"], message);
}

/// README "Verdicts", AC-1 whatever the bytes: the two percentages add up to 100 and the
/// confidence is the verdict's own, at least 50.
fn assert_percent_verdict(v: &Value) {
    let pct = v["confidencePercent"].as_f64().unwrap();
    let fake = v["fakeConfidencePercent"].as_f64().unwrap();
    let real = v["realConfidencePercent"].as_f64().unwrap();
    assert!((fake + real - 100.0).abs() < 1e-9, "{v}");
    assert!((50.0..=100.0).contains(&pct), "{v}");
    let mine = if v["isFake"].as_bool().unwrap() {
        fake
    } else {
        real
    };
    assert_eq!(pct, mine, "{v}");
}

/// `[width, height]` from a PNG's IHDR.
fn png_size(b: &[u8]) -> (u32, u32) {
    assert_eq!(&b[..8], b"\x89PNG\r\n\x1a\n");
    let w = u32::from_be_bytes(b[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(b[20..24].try_into().unwrap());
    (w, h)
}

fn artifact<'a>(job: &'a Value, kind: &str) -> Option<&'a Value> {
    job["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == kind)
}

#[tokio::test]
async fn ai_image_job_from_create_to_delete() {
    let emu = Emu::start().await;
    let bytes = png_header(300, 200, 7);
    let r = emu
        .create_job(&job_body("1", &[("original", "image/png", bytes.len())]))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let created = r.json();
    let job = &created["job"];
    let id = job["id"].as_str().unwrap().to_string();
    assert!(id.bytes().all(|c| c.is_ascii_digit()), "{id}");
    assert_eq!(job["taskTypeId"], "1");
    assert_eq!(job["status"], "initiated");
    assert_eq!(job["cost"], 0);
    assert!(job["result"].is_null());
    assert!(job["tenantId"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(job["createdAt"], job["updatedAt"]);
    let inputs = created["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 1);
    assert_eq!(inputs[0]["slotName"], "original");
    let url = inputs[0]["uploadUrl"].as_str().unwrap();
    assert!(url.starts_with(&emu.run.storage_url), "{url}");
    assert!(url.contains(&format!("/jobs/{id}/original?")), "{url}");
    assert!(
        url.contains("X-Amz-SignedHeaders=content-type%3Bhost"),
        "{url}"
    );
    // uploadUrlExpiresAt is X-Amz-Date + X-Amz-Expires: an hour after creation here, and the
    // signing time itself with an expiry of 0.
    assert!(url.contains("X-Amz-Expires=3600&"), "{url}");
    let expires = inputs[0]["uploadUrlExpiresAt"].as_str().unwrap();
    assert!(expires.ends_with(".000Z"), "{expires}");
    assert!(expires > job["createdAt"].as_str().unwrap(), "{expires}");
    emu.control_post("/config", &json!({"uploadExpiresIn": 0}))
        .await;
    let now = emu
        .create_job(&job_body("1", &[("original", "image/png", 1)]))
        .await
        .json();
    let now_url = now["inputs"][0]["uploadUrl"].as_str().unwrap();
    let d = now_url.split("X-Amz-Date=").nth(1).unwrap();
    let signed = format!(
        "{}-{}-{}T{}:{}:{}.000Z",
        &d[0..4],
        &d[4..6],
        &d[6..8],
        &d[9..11],
        &d[11..13],
        &d[13..15]
    );
    assert_eq!(now["inputs"][0]["uploadUrlExpiresAt"], signed);
    emu.control_post("/config", &json!({"uploadExpiresIn": 3600}))
        .await;

    // Before the upload: the input artifact is pending, without a download URL.
    let before = emu.call("GET", &format!("/v1/jobs/{id}"), "").await.json();
    assert_eq!(before["id"], id.as_str());
    assert_eq!(before["status"], "initiated");
    let input = artifact(&before, "input").unwrap();
    assert_eq!(input["slotName"], "original");
    assert_eq!(input["status"], "pending");
    assert_eq!(input["contentType"], "image/png");
    assert_eq!(input["metadata"]["fileName"], "original-file");
    assert_eq!(input["metadata"]["sizeBytes"], bytes.len());
    assert!(input["downloadUrl"].is_null());
    assert!(artifact(&before, "result").is_none());
    assert_eq!(
        before["taskType"],
        json!({"id": "1", "slug": "ai-image-detection", "displayName": "AI Image Detection",
               "description": "Detects AI-generated images",
               "inputSlots": [{"name": "original", "mimes": ["image/jpeg", "image/png"]}]})
    );

    let up = upload(url, "image/png", &bytes).await;
    assert_eq!(up.status, 200, "{}", up.text());
    assert!(up.header("etag").is_some());
    let landed = emu.call("GET", &format!("/v1/jobs/{id}"), "").await.json();
    // Uploading alone does not start anything: the job waits for finalize.
    assert_eq!(landed["status"], "initiated");
    let input = artifact(&landed, "input").unwrap();
    assert_eq!(input["status"], "uploaded");
    let src = send("GET", input["downloadUrl"].as_str().unwrap(), &[], "").await;
    assert_eq!(src.status, 200);
    assert_eq!(src.body, bytes);

    let credits = emu.credits("api_test_key").await;
    let f = emu
        .call("POST", &format!("/v1/jobs/{id}/finalize"), "")
        .await;
    assert_eq!(f.status, 200, "{}", f.text());
    assert_eq!(f.json(), json!({"job": {"id": id, "status": "queued"}}));
    assert_eq!(emu.credits("api_test_key").await, credits - 1);
    // A second finalize is refused, and charges nothing.
    let again = emu
        .call("POST", &format!("/v1/jobs/{id}/finalize"), "")
        .await;
    assert_message(
        &again,
        400,
        "BAD_REQUEST",
        "Job not found or already finalized",
    );
    assert_eq!(emu.credits("api_test_key").await, credits - 1);

    let done = emu.wait_job(&id).await;
    assert_eq!(done["status"], "completed");
    assert_eq!(done["cost"], 1);
    // By hand (README "Verdicts"): h[0..2] = 105, 157 (sha256sum). 105 is odd: fake.
    // pct = round(conf(157) * 100, 2) = round(0.5 + 0.307843…, 4) * 100 = 80.78.
    let h = sha256(&bytes);
    assert_eq!(h[..2], [105, 157]);
    assert_percent_verdict(&done["result"]);
    assert_eq!(
        done["result"],
        json!({"isFake": true, "confidencePercent": 80.78, "fakeConfidencePercent": 80.78,
               "realConfidencePercent": 19.22})
    );
    let result = artifact(&done, "result").unwrap();
    assert_eq!(result["contentType"], "application/json");
    assert!(result["slotName"].is_null());
    let fetched = send("GET", result["downloadUrl"].as_str().unwrap(), &[], "").await;
    assert_eq!(fetched.status, 200);
    assert!(fetched
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(fetched.json(), done["result"]);
    // AC-1 has a heatmap: a PNG of the picture's proportions.
    let heatmap = artifact(&done, "heatmap").unwrap();
    assert_eq!(heatmap["contentType"], "image/png");
    assert_eq!(heatmap["metadata"], json!({"width": 256, "height": 170}));
    let png = send("GET", heatmap["downloadUrl"].as_str().unwrap(), &[], "").await;
    assert_eq!(png.status, 200);
    assert_eq!(png.header("content-type").unwrap(), "image/png");
    assert_eq!(png_size(&png.body), (256, 170));

    // Too late to cancel; delete works, then everything is gone.
    let c = emu.call("POST", &format!("/v1/jobs/{id}/cancel"), "").await;
    assert_message(
        &c,
        409,
        "JOB_NOT_CANCELLABLE",
        "Job cannot be cancelled (already processing or completed)",
    );
    let d = emu.call("DELETE", &format!("/v1/jobs/{id}"), "").await;
    assert_eq!(d.status, 204, "{}", d.text());
    assert!(d.body.is_empty());
    let gone = emu.call("GET", &format!("/v1/jobs/{id}"), "").await;
    assert_message(
        &gone,
        404,
        "JOB_NOT_FOUND",
        &format!("Job with ID {id} does not exist"),
    );
    let stale = send("GET", result["downloadUrl"].as_str().unwrap(), &[], "").await;
    assert_eq!(stale.status, 404);
    assert_eq!(stale.s3_code(), "NoSuchKey");
}

#[tokio::test]
async fn task_type_as_string_number_or_query_and_ids_from_a_counter() {
    let emu = Emu::start().await;
    let mut body = job_body("4", &[("original", "video/mp4", 10)]);
    let a = emu.create_job(&body).await.json();
    body["taskTypeId"] = json!(4);
    let b = emu.create_job(&body).await.json();
    body.as_object_mut().unwrap().remove("taskTypeId");
    let c = emu
        .call("POST", "/v1/jobs?taskTypeId=4", &body.to_string())
        .await;
    assert_eq!(c.status, 200, "{}", c.text());
    let c = c.json();
    let ids: Vec<u64> = [&a, &b, &c]
        .iter()
        .map(|v| {
            assert_eq!(v["job"]["taskTypeId"], "4");
            v["job"]["id"].as_str().unwrap().parse().unwrap()
        })
        .collect();
    assert_eq!(ids, [ids[0], ids[0] + 1, ids[0] + 2]);
    // The body's id wins over the query's.
    body["taskTypeId"] = json!("4");
    let d = emu
        .call("POST", "/v1/jobs?taskTypeId=99", &body.to_string())
        .await;
    assert_eq!(d.status, 200, "{}", d.text());
}

#[tokio::test]
async fn create_validation() {
    let emu = Emu::start().await;
    let ok_input = json!({"slotName": "original", "contentType": "image/jpeg",
                          "fileName": "photo", "sizeBytes": 10});
    let with = |field: &str, v: Value| {
        let mut b = json!({"taskTypeId": "1", "inputs": [ok_input.clone()]});
        b[field] = v;
        b
    };
    let input_with = |field: &str, v: Value| {
        let mut i = ok_input.clone();
        if v.is_null() {
            i.as_object_mut().unwrap().remove(field);
        } else {
            i[field] = v;
        }
        json!({"taskTypeId": "1", "inputs": [i]})
    };
    let cases: Vec<(Value, &str, Option<&str>)> = vec![
        (
            with("taskTypeId", json!("99")),
            "INVALID_TASK_TYPE",
            Some("Task type ID 99 does not exist"),
        ),
        (
            with("taskTypeId", json!(12)),
            "INVALID_TASK_TYPE",
            Some("Task type ID 12 does not exist"),
        ),
        (with("taskTypeId", json!("abc")), "INVALID_TASK_TYPE", None),
        (with("taskTypeId", json!(0)), "INVALID_TASK_TYPE", None),
        (with("taskTypeId", json!(true)), "BAD_REQUEST", None),
        (
            with("taskTypeId", Value::Null),
            "BAD_REQUEST",
            Some("taskTypeId is required"),
        ),
        (
            input_with("contentType", json!("video/mp4")),
            "UNSUPPORTED_MEDIA_TYPE",
            Some("Task type 1 (ai-image-detection) does not support media type: video/mp4"),
        ),
        (
            input_with("contentType", json!("audio/wav")),
            "UNSUPPORTED_MEDIA_TYPE",
            None,
        ),
        (
            input_with("contentType", json!("image/gif")),
            "UNSUPPORTED_MEDIA_TYPE",
            None,
        ),
        (
            input_with("contentType", json!("jpeg")),
            "UNSUPPORTED_MEDIA_TYPE",
            None,
        ),
        (
            with("inputs", Value::Null),
            "BAD_REQUEST",
            Some("inputs is required"),
        ),
        (
            with("inputs", json!({})),
            "BAD_REQUEST",
            Some("inputs must be an array"),
        ),
        (
            with("inputs", json!([])),
            "BAD_REQUEST",
            Some("inputs must not be empty"),
        ),
        (with("inputs", json!(["original"])), "BAD_REQUEST", None),
        (input_with("slotName", Value::Null), "BAD_REQUEST", None),
        (input_with("slotName", json!("")), "BAD_REQUEST", None),
        (input_with("contentType", json!(5)), "BAD_REQUEST", None),
        (input_with("fileName", Value::Null), "BAD_REQUEST", None),
        (input_with("sizeBytes", Value::Null), "BAD_REQUEST", None),
        (input_with("sizeBytes", json!(0)), "BAD_REQUEST", None),
        (input_with("sizeBytes", json!(-1)), "BAD_REQUEST", None),
        (input_with("sizeBytes", json!(1.5)), "BAD_REQUEST", None),
        (input_with("sizeBytes", json!("10")), "BAD_REQUEST", None),
        (
            input_with("sizeBytes", json!(5_368_709_121u64)),
            "BAD_REQUEST",
            None,
        ),
        (
            input_with("slotName", json!("reference")),
            "BAD_REQUEST",
            Some("Task type 1 (ai-image-detection) has no input slot \"reference\""),
        ),
        (
            with("inputs", json!([ok_input.clone(), ok_input.clone()])),
            "BAD_REQUEST",
            None,
        ),
        (with("parameters", json!([1])), "BAD_REQUEST", None),
        (
            with("parameters", json!({"version": "v9"})),
            "BAD_REQUEST",
            None,
        ),
        (json!([1, 2]), "BAD_REQUEST", None),
    ];
    for (body, code, message) in cases {
        let r = emu.create_job(&body).await;
        assert_error(&r, 400, code);
        if let Some(m) = message {
            assert_eq!(r.json()["message"], m, "{body}");
        }
    }
    // Not JSON.
    let r = emu.call("POST", "/v1/jobs", "{\"taskTypeId\":").await;
    assert_error(&r, 400, "BAD_REQUEST");
    let auth = emu.auth();
    let r = send(
        "POST",
        &emu.api("/v1/jobs"),
        &[("authorization", &auth), ("content-type", "text/plain")],
        with("taskTypeId", json!("1")).to_string(),
    )
    .await;
    assert_error(&r, 400, "BAD_REQUEST");

    // What Authenta's clients send is accepted: a name without extension, 5 GB exactly, a
    // content type with parameters, `false` flags for a task that ignores them.
    for body in [
        input_with("sizeBytes", json!(5_368_709_120u64)),
        input_with("contentType", json!("image/jpeg; charset=binary")),
        with(
            "parameters",
            json!({"version": "v1", "isLivenessCheck": false}),
        ),
    ] {
        let r = emu.create_job(&body).await;
        assert_eq!(r.status, 200, "{body}: {}", r.text());
    }
    // Nothing was created by the refused requests.
    let list = emu.call("GET", "/v1/jobs", "").await.json();
    assert_eq!(list["pagination"]["total"], 3);
}

#[tokio::test]
async fn face_intelligence_rules() {
    let emu = Emu::start().await;
    let fi = |inputs: &[(&str, &str)], params: Value| {
        let inputs: Vec<Value> = inputs
            .iter()
            .map(|(slot, ct)| {
                json!({"slotName": slot, "contentType": ct, "fileName": slot, "sizeBytes": 5})
            })
            .collect();
        json!({"taskTypeId": "8", "inputs": inputs, "parameters": params})
    };
    let image = [("original", "image/jpeg")];
    let image_ref = [("original", "image/jpeg"), ("reference", "image/png")];
    let video = [("original", "video/mp4")];
    let video_ref = [("original", "video/mp4"), ("reference", "image/png")];
    let refused: Vec<(Value, &str)> = vec![
        // A reference without isSimilarityCheck, and the other way round.
        (
            fi(&image_ref, json!({"isLivenessCheck": true})),
            "BAD_REQUEST",
        ),
        (
            fi(&image_ref, json!({"isSimilarityCheck": false})),
            "BAD_REQUEST",
        ),
        (
            fi(&image, json!({"isSimilarityCheck": true})),
            "BAD_REQUEST",
        ),
        // Face swap needs a video, similarity an image; not both together.
        (
            fi(&image, json!({"isFaceswapCheck": true})),
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            fi(&video_ref, json!({"isSimilarityCheck": true})),
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            fi(
                &video_ref,
                json!({"isSimilarityCheck": true, "isFaceswapCheck": true}),
            ),
            "BAD_REQUEST",
        ),
        (fi(&image, json!({"isLivenessCheck": "yes"})), "BAD_REQUEST"),
        (
            fi(
                &[("original", "image/jpeg"), ("reference", "video/mp4")],
                json!({"isSimilarityCheck": true}),
            ),
            "UNSUPPORTED_MEDIA_TYPE",
        ),
    ];
    for (body, code) in refused {
        let r = emu.create_job(&body).await;
        assert_error(&r, 400, code);
    }
    for body in [
        fi(
            &image_ref,
            json!({"version": "v1", "isLivenessCheck": true, "isSimilarityCheck": true,
                   "isFaceswapCheck": false, "isSingleFace": true}),
        ),
        fi(
            &video,
            json!({"isFaceswapCheck": true, "isSimilarityCheck": false}),
        ),
        fi(&image, json!({"isLivenessCheck": true})),
    ] {
        let r = emu.create_job(&body).await;
        assert_eq!(r.status, 200, "{body}: {}", r.text());
    }
}

#[tokio::test]
async fn face_intelligence_with_a_reference_runs_once_both_landed() {
    let emu = Emu::start().await;
    let selfie = jpeg_header(400, 600, 11);
    let id_photo = png_header(200, 200, 12);
    let body = json!({"taskTypeId": "8", "inputs": [
        {"slotName": "original", "contentType": "image/jpeg", "fileName": "selfie", "sizeBytes": selfie.len()},
        {"slotName": "reference", "contentType": "image/png", "fileName": "id", "sizeBytes": id_photo.len()}],
        "parameters": {"version": "v1", "isLivenessCheck": true, "isSimilarityCheck": true,
                       "isFaceswapCheck": false, "isSingleFace": true}});
    let created = emu.create_job(&body).await.json();
    let id = created["job"]["id"].as_str().unwrap().to_string();
    let urls: Vec<&str> = created["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["uploadUrl"].as_str().unwrap())
        .collect();
    // In request order.
    assert_eq!(created["inputs"][0]["slotName"], "original");
    assert_eq!(created["inputs"][1]["slotName"], "reference");
    assert!(urls[1].contains("/reference?"));
    assert_eq!(upload(urls[0], "image/jpeg", &selfie).await.status, 200);
    let early = emu.finalize(&id).await;
    assert_message(
        &early,
        400,
        "BAD_REQUEST",
        "Input \"reference\" has not been uploaded",
    );
    // The reference URL signs its own content type.
    let wrong = upload(urls[1], "image/jpeg", &id_photo).await;
    assert_eq!(wrong.status, 403);
    assert_eq!(wrong.s3_code(), "SignatureDoesNotMatch");
    assert_eq!(upload(urls[1], "image/png", &id_photo).await.status, 200);
    assert_eq!(emu.finalize(&id).await.status, 200);
    let done = emu.wait_job(&id).await;
    assert_eq!(done["cost"], 2);
    assert_eq!(
        done["taskType"]["inputSlots"],
        json!([{"name": "original", "mimes": ["image/jpeg", "image/png", "video/mp4", "video/webm", "video/quicktime"]},
               {"name": "reference", "mimes": ["image/jpeg", "image/png"]}])
    );
    let h = sha256(&selfie);
    let v = &done["result"];
    // Face swap was not asked for: null.
    assert!(v["isDeepFake"].is_null(), "{v}");
    // By hand (README "Verdicts"): h[0] = 239 = 0b1110_1111, bit 1 set: not live. The
    // first byte of SHA-256(h ‖ r) is 71 (sha256sum): round(7100/255, 1) = 27.8, under 70.
    assert_eq!(h[0], 239);
    assert_eq!(v["isLiveness"], false);
    assert_eq!(v["similarityScore"], 27.8);
    assert_eq!(v["isSimilar"], false);
    // One frame for a picture, inside its 400 x 600 pixels. By hand (README "Verdicts"):
    // h[0] = 239 (odd: fake), h[8..11] = 157, 86, 234 (sha256sum); s = 400,
    // w = 50 + 157 % 83 = 124, hh = 124 + 31 = 155, x0 = 86 * 256 / 255 = 86,
    // y0 = 234 * 425 / 255 = 390.
    assert_eq!((h[0], &h[8..11]), (239, &[157, 86, 234][..]));
    let boxes = assert_face_boxes(&v["boundingBoxes"]["0"]["boundingBox"], 1, (400, 600));
    assert_eq!(boxes, [[86, 390, 124, 155]]);
    assert_eq!(v["boundingBoxes"]["0"]["class"], "fake");
    // No heatmap for FI-1; one input artifact per slot.
    assert!(artifact(&done, "heatmap").is_none());
    let inputs: Vec<&Value> = done["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "input")
        .collect();
    assert_eq!(inputs.len(), 2);
    assert_eq!(inputs[1]["slotName"], "reference");
}

#[tokio::test]
async fn result_shapes_per_task() {
    let emu = Emu::start().await;
    emu.control_post("/config", &json!({"processingMs": 0}))
        .await;
    // DF-1: identities, boxes in the default frame, isDeepFake when any identity is fake.
    let clip = b"a stand-in for a video".repeat(10);
    let id = emu.submit_job("4", "video/mp4", &clip).await;
    let done = emu.wait_job(&id).await;
    // By hand (README "Verdicts"): h[0..2] = 202, 26; h[8..11] = 50, 226, 141 (sha256sum).
    // n = 1 + 26 % 3 = 3; 202 = 0b1100_1010: identity 1 is fake, so the job is.
    let h = sha256(&clip);
    assert_eq!((h[0], h[1], &h[8..11]), (202, 26, &[50, 226, 141][..]));
    let v = &done["result"];
    assert_eq!(v["resultType"], "video");
    let fakes: Vec<bool> = v["identityPredictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["isDeepFake"].as_bool().unwrap())
        .collect();
    assert_eq!(fakes, [false, true, false]);
    assert_eq!(v["isDeepFake"], true);
    // s = 720: w = 90 + 50 % 150 = 140, hh = 140 + 35 = 175, x0 = 226 * 1120 / 255 = 992,
    // y0 = 141 * 525 / 255 = 290; frame "120" (k = 4) = [992 + 16, 290 + 8, …].
    let boxes = assert_face_boxes(&v["boundingBoxes"]["0"]["boundingBox"], 5, (1280, 720));
    assert_eq!(boxes[4], [1008, 298, 140, 175]);
    assert!(artifact(&done, "heatmap").is_none());

    // DI-1 on a PDF: isFake, isTampered, and a heatmap in the default frame's proportions.
    let pdf = b"%PDF-1.7 pretend".to_vec();
    let id = emu.submit_job("6", "application/pdf", &pdf).await;
    let done = emu.wait_job(&id).await;
    let h = sha256(&pdf);
    let fake = h[0] % 2 == 1;
    assert_eq!(
        done["result"],
        json!({"isFake": fake, "isTampered": fake || (h[0] >> 1) & 1 == 1})
    );
    let heatmap = artifact(&done, "heatmap").unwrap();
    assert_eq!(heatmap["metadata"], json!({"width": 256, "height": 144}));
    let png = send("GET", heatmap["downloadUrl"].as_str().unwrap(), &[], "").await;
    assert_eq!(png_size(&png.body), (256, 144));

    // FE-1: a 512-number unit vector.
    let face = png_header(64, 64, 3);
    let id = emu.submit_job("9", "image/png", &face).await;
    let v = emu.wait_job(&id).await["result"].clone();
    let vec = v["faceVector"].as_array().unwrap();
    assert_eq!(vec.len(), 512);
    let norm: f64 = vec.iter().map(|x| x.as_f64().unwrap().powi(2)).sum();
    assert!((norm - 1.0).abs() < 1e-3);

    // An undocumented shape: a plausible verdict.
    let audio = b"RIFF pretend wav".to_vec();
    let id = emu.submit_job("2", "audio/wav", &audio).await;
    let h = sha256(&audio);
    let c = ((0.5 + f64::from(h[1]) / 510.0) * 10_000.0).round() / 10_000.0;
    assert_eq!(
        emu.wait_job(&id).await["result"],
        json!({"isFake": h[0] % 2 == 1, "confidencePercent": (c * 10_000.0).round() / 100.0})
    );

    // Same bytes, same verdict.
    let again = emu.submit_job("2", "audio/wav", &audio).await;
    assert_eq!(
        emu.wait_job(&again).await["result"],
        emu.wait_job(&id).await["result"]
    );
}

#[tokio::test]
async fn the_eleven_task_types_and_their_formats() {
    let emu = Emu::start().await;
    let table = [
        ("1", "ai-image-detection", "image/png", "audio/mpeg"),
        ("2", "ai-audio-detection", "audio/mpeg", "image/png"),
        ("3", "ai-video-detection", "video/quicktime", "video/webm"),
        ("4", "faceswap-detection", "video/webm", "image/jpeg"),
        (
            "5",
            "image-forgery-detection",
            "image/jpeg",
            "application/pdf",
        ),
        ("6", "document-intelligence", "application/pdf", "video/mp4"),
        ("7", "face-liveness-detection", "image/png", "video/mp4"),
        ("8", "face-intelligence", "video/quicktime", "audio/wav"),
        ("9", "face-embedding", "image/jpeg", "video/mp4"),
        ("10", "audio-splitter", "audio/x-m4a", "video/mp4"),
        ("11", "ekyc-deepfake", "video/mp4", "image/png"),
    ];
    for (task, slug, takes, refuses) in table {
        let ok = emu
            .create_job(&job_body(task, &[("original", takes, 3)]))
            .await;
        assert_eq!(ok.status, 200, "{task} {takes}: {}", ok.text());
        let id = ok.json()["job"]["id"].as_str().unwrap().to_string();
        let job = emu.call("GET", &format!("/v1/jobs/{id}"), "").await.json();
        assert_eq!(job["taskType"]["slug"], slug);
        assert_eq!(job["taskType"]["id"], task);
        let no = emu
            .create_job(&job_body(task, &[("original", refuses, 3)]))
            .await;
        assert_message(
            &no,
            400,
            "UNSUPPORTED_MEDIA_TYPE",
            &format!("Task type {task} ({slug}) does not support media type: {refuses}"),
        );
    }
}

#[tokio::test]
async fn finalize_checks_what_landed_and_the_balance() {
    let emu = Emu::start().await;
    let unknown = emu.finalize("999999").await;
    assert_message(
        &unknown,
        400,
        "BAD_REQUEST",
        "Job not found or already finalized",
    );

    // Nothing uploaded, then fewer bytes than declared.
    let created = emu
        .create_job(&job_body("1", &[("original", "image/jpeg", 10)]))
        .await
        .json();
    let id = created["job"]["id"].as_str().unwrap().to_string();
    assert_error(&emu.finalize(&id).await, 400, "BAD_REQUEST");
    let url = created["inputs"][0]["uploadUrl"].as_str().unwrap();
    assert_eq!(upload(url, "image/jpeg", b"short").await.status, 200);
    let r = emu.finalize(&id).await;
    assert_message(
        &r,
        400,
        "BAD_REQUEST",
        "Input \"original\": 5 bytes were uploaded, 10 declared",
    );
    assert_eq!(
        emu.call("GET", &format!("/v1/jobs/{id}"), "").await.json()["status"],
        "initiated"
    );

    // Credits: a DF-1 job costs 2; a key with 1 gets 402 and the job stays initiated.
    emu.control_post("/keys", &json!({"key": "api_poor", "credits": 1}))
        .await;
    let created = emu
        .call_as(
            "api_poor",
            "POST",
            "/v1/jobs",
            &job_body("4", &[("original", "video/mp4", 3)]).to_string(),
        )
        .await;
    // Creating costs nothing.
    assert_eq!(created.status, 200, "{}", created.text());
    let created = created.json();
    let id = created["job"]["id"].as_str().unwrap().to_string();
    upload(
        created["inputs"][0]["uploadUrl"].as_str().unwrap(),
        "video/mp4",
        b"abc",
    )
    .await;
    let r = emu
        .call_as("api_poor", "POST", &format!("/v1/jobs/{id}/finalize"), "")
        .await;
    assert_message(
        &r,
        402,
        "INSUFFICIENT_BALANCE",
        "Insufficient balance. Please top up or enable pay-as-you-go billing",
    );
    assert_eq!(emu.credits("api_poor").await, 1);
    let job = emu
        .call_as("api_poor", "GET", &format!("/v1/jobs/{id}"), "")
        .await
        .json();
    assert_eq!(job["status"], "initiated");
    assert_eq!(job["cost"], 0);
    emu.control_post("/keys", &json!({"key": "api_poor", "credits": 5}))
        .await;
    let r = emu
        .call_as("api_poor", "POST", &format!("/v1/jobs/{id}/finalize"), "")
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(emu.credits("api_poor").await, 3);
    // A job is visible to its own key only.
    let other = emu.call("GET", &format!("/v1/jobs/{id}"), "").await;
    assert_error(&other, 404, "JOB_NOT_FOUND");
}

#[tokio::test]
async fn statuses_cancel_and_delete_rules() {
    let emu = Emu::start().await;
    // queued for the first second, processing until the third.
    emu.control_post("/config", &json!({"processingMs": 3000}))
        .await;
    let path = |id: &str, tail: &str| format!("/v1/jobs/{id}{tail}");

    // Cancel before finalize: 200, then the job is cancelled for good.
    let created = emu
        .create_job(&job_body("1", &[("original", "image/png", 3)]))
        .await
        .json();
    let a = created["job"]["id"].as_str().unwrap().to_string();
    let c = emu.call("POST", &path(&a, "/cancel"), "").await;
    assert_eq!(c.status, 200, "{}", c.text());
    let cv = c.json();
    assert_eq!(cv["jobId"], a.as_str());
    assert_eq!(cv["status"], "cancelled");
    assert_eq!(cv["message"], "Job successfully cancelled");
    assert_eq!(
        emu.call("GET", &path(&a, ""), "").await.json()["status"],
        "cancelled"
    );
    upload(
        created["inputs"][0]["uploadUrl"].as_str().unwrap(),
        "image/png",
        b"abc",
    )
    .await;
    assert_error(&emu.finalize(&a).await, 400, "BAD_REQUEST");
    assert_error(
        &emu.call("POST", &path(&a, "/cancel"), "").await,
        422,
        "INVALID_JOB_STATE",
    );

    // queued → cancel 200; then processing → cancel 409, delete 409.
    let b = emu.submit_job("1", "image/png", b"bbb").await;
    assert_eq!(
        emu.call("GET", &path(&b, ""), "").await.json()["status"],
        "queued"
    );
    let c = emu.submit_job("1", "image/png", b"ccc").await;
    assert_eq!(emu.call("POST", &path(&b, "/cancel"), "").await.status, 200);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        emu.call("GET", &path(&c, ""), "").await.json()["status"],
        "processing"
    );
    assert_error(
        &emu.call("POST", &path(&c, "/cancel"), "").await,
        409,
        "JOB_NOT_CANCELLABLE",
    );
    assert_error(
        &emu.call("DELETE", &path(&c, ""), "").await,
        409,
        "JOB_PROCESSING",
    );
    // A cancelled job stays cancelled; it can be deleted.
    assert_eq!(
        emu.call("GET", &path(&b, ""), "").await.json()["status"],
        "cancelled"
    );
    assert_eq!(emu.call("DELETE", &path(&b, ""), "").await.status, 204);
    assert_eq!(emu.wait_job(&c).await["status"], "completed");
    assert_eq!(emu.call("DELETE", &path(&c, ""), "").await.status, 204);

    // A job still queued can be deleted; unknown ids are 404 everywhere but finalize.
    let d = emu.submit_job("1", "image/png", b"ddd").await;
    assert_eq!(emu.call("DELETE", &path(&d, ""), "").await.status, 204);
    for (method, tail) in [("GET", ""), ("POST", "/cancel"), ("DELETE", "")] {
        let r = emu.call(method, &path(&d, tail), "").await;
        assert_message(
            &r,
            404,
            "JOB_NOT_FOUND",
            &format!("Job with ID {d} does not exist"),
        );
    }
    for odd in ["..", "%2e%2e", "abc", &"9".repeat(10_000)] {
        let r = emu.call("GET", &format!("/v1/jobs/{odd}"), "").await;
        assert_error(&r, 404, "JOB_NOT_FOUND");
    }
}

#[tokio::test]
async fn list_pages_newest_first_with_a_status_filter() {
    let emu = Emu::start().await;
    emu.control_post("/config", &json!({"processingMs": 60_000}))
        .await;
    let mut ids = Vec::new();
    for i in 0..5u8 {
        let created = emu
            .create_job(&job_body("1", &[("original", "image/png", 1)]))
            .await
            .json();
        let id = created["job"]["id"].as_str().unwrap().to_string();
        if i < 2 {
            upload(
                created["inputs"][0]["uploadUrl"].as_str().unwrap(),
                "image/png",
                &[i],
            )
            .await;
            emu.call("POST", &format!("/v1/jobs/{id}/finalize"), "")
                .await;
        }
        ids.push(id);
    }
    // Another account's job is not listed.
    emu.control_post("/keys", &json!({"key": "api_other"}))
        .await;
    send(
        "POST",
        &emu.api("/v1/jobs"),
        &[
            ("authorization", "Bearer api_other"),
            ("content-type", "application/json"),
        ],
        job_body("1", &[("original", "image/png", 1)]).to_string(),
    )
    .await;

    let all = emu.call("GET", "/v1/jobs", "").await.json();
    assert_eq!(
        all["pagination"],
        json!({"page": 1, "limit": 10, "total": 5, "pages": 1})
    );
    let listed: Vec<&str> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap())
        .collect();
    let newest_first: Vec<&str> = ids.iter().rev().map(String::as_str).collect();
    assert_eq!(listed, newest_first);
    assert_eq!(all["data"][0]["taskType"]["slug"], "ai-image-detection");

    let page2 = emu.call("GET", "/v1/jobs?page=2&limit=2", "").await.json();
    assert_eq!(
        page2["pagination"],
        json!({"page": 2, "limit": 2, "total": 5, "pages": 3})
    );
    let p2: Vec<&str> = page2["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap())
        .collect();
    assert_eq!(p2, newest_first[2..4]);
    let past = emu.call("GET", "/v1/jobs?page=9&limit=2", "").await.json();
    assert_eq!(past["data"], json!([]));
    assert_eq!(past["pagination"]["total"], 5);

    for (filter, n) in [
        ("initiated", 3),
        ("INITIATED", 3),
        ("queued", 2),
        ("completed", 0),
    ] {
        let r = emu
            .call("GET", &format!("/v1/jobs?status={filter}"), "")
            .await
            .json();
        assert_eq!(r["pagination"]["total"], n, "{filter}");
        assert_eq!(r["data"].as_array().unwrap().len(), n);
    }
    for bad in [
        "limit=0",
        "limit=101",
        "limit=abc",
        "page=0",
        "page=-1",
        "page=1.5",
    ] {
        let r = emu.call("GET", &format!("/v1/jobs?{bad}"), "").await;
        assert_error(&r, 400, "BAD_REQUEST");
    }
    let max = emu.call("GET", "/v1/jobs?limit=100", "").await;
    assert_eq!(max.status, 200);
}

#[tokio::test]
async fn keys_permissions_and_methods() {
    let emu = Emu::start().await;
    let id = emu.submit_job("1", "image/png", b"abc").await;
    emu.control_post("/keys", &json!({"key": "api_ro", "permissions": ["read"]}))
        .await;
    let body = job_body("1", &[("original", "image/png", 3)]).to_string();
    for (method, path) in [
        ("POST", "/v1/jobs".to_string()),
        ("POST", format!("/v1/jobs/{id}/finalize")),
        ("POST", format!("/v1/jobs/{id}/cancel")),
        ("DELETE", format!("/v1/jobs/{id}")),
    ] {
        let r = emu.call_as("api_ro", method, &path, &body).await;
        assert_message(
            &r,
            403,
            "FORBIDDEN",
            "You don't have permission to access this",
        );
    }
    assert_eq!(
        emu.call_as("api_ro", "GET", "/v1/jobs", "").await.status,
        200
    );
    // Missing or unknown key.
    for auth in [None, Some("Bearer nope")] {
        let mut headers = vec![("content-type", "application/json")];
        if let Some(a) = auth {
            headers.push(("authorization", a));
        }
        let r = send("GET", &emu.api(&format!("/v1/jobs/{id}")), &headers, "").await;
        assert_error(&r, 401, "INVALID_API_KEY");
    }
    // Wrong methods and paths.
    let r = emu.call("PUT", "/v1/jobs", "").await;
    assert_error(&r, 405, "METHOD_NOT_ALLOWED");
    assert_eq!(r.header("allow").unwrap(), "GET, POST, OPTIONS");
    let r = emu
        .call("GET", &format!("/v1/jobs/{id}/finalize"), "")
        .await;
    assert_error(&r, 405, "METHOD_NOT_ALLOWED");
    let r = emu
        .call("POST", &format!("/v1/jobs/{id}/restart"), "")
        .await;
    assert_error(&r, 404, "NOT_FOUND");
    // Trailing slash tolerated; a finalize body is tolerated too.
    assert_eq!(emu.call("GET", "/v1/jobs/", "").await.status, 200);
    let j = emu
        .create_job(&job_body("1", &[("original", "image/png", 3)]))
        .await
        .json();
    let jid = j["job"]["id"].as_str().unwrap();
    upload(
        j["inputs"][0]["uploadUrl"].as_str().unwrap(),
        "image/png",
        b"xyz",
    )
    .await;
    let f = emu
        .call("POST", &format!("/v1/jobs/{jid}/finalize"), "{}")
        .await;
    assert_eq!(f.status, 200, "{}", f.text());
}

#[tokio::test]
async fn scripted_failure_and_the_timeline() {
    let emu = Emu::start().await;
    emu.control_post("/config", &json!({"processingMs": 900}))
        .await;
    let created = emu
        .create_job(&job_body("1", &[("original", "image/png", 3)]))
        .await
        .json();
    let id = created["job"]["id"].as_str().unwrap().to_string();
    let o = emu
        .control_post(
            &format!("/jobs/{id}/outcome"),
            &json!({"status": "failed", "errorMessage": "model crashed"}),
        )
        .await;
    assert_eq!(o.status, 200, "{}", o.text());
    assert_eq!(o.json()["status"], "initiated");
    upload(
        created["inputs"][0]["uploadUrl"].as_str().unwrap(),
        "image/png",
        b"abc",
    )
    .await;
    emu.call("POST", &format!("/v1/jobs/{id}/finalize"), "")
        .await;
    let mut seen = Vec::new();
    let mut updated = Vec::new();
    loop {
        let j = emu.call("GET", &format!("/v1/jobs/{id}"), "").await.json();
        let s = j["status"].as_str().unwrap().to_string();
        if seen.last() != Some(&s) {
            seen.push(s.clone());
            updated.push(j["updatedAt"].as_str().unwrap().to_string());
        }
        if s == "failed" {
            assert_eq!(j["errorMessage"], "model crashed");
            assert!(j["result"].is_null());
            assert!(artifact(&j, "result").is_none());
            assert!(artifact(&j, "heatmap").is_none());
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(seen, ["queued", "processing", "failed"]);
    assert!(updated.windows(2).all(|w| w[0] < w[1]), "{updated:?}");

    // A failed job cannot be cancelled any more.
    assert_error(
        &emu.call("POST", &format!("/v1/jobs/{id}/cancel"), "").await,
        409,
        "JOB_NOT_CANCELLABLE",
    );

    // Back to completed, after the fact.
    let o = emu
        .control_post(
            &format!("/jobs/{id}/outcome"),
            &json!({"status": "completed"}),
        )
        .await;
    assert_eq!(o.json()["status"], "completed");
    let j = emu.call("GET", &format!("/v1/jobs/{id}"), "").await.json();
    assert!(j.get("errorMessage").is_none());
    assert!(artifact(&j, "result").is_some());

    let bad = emu
        .control_post(&format!("/jobs/{id}/outcome"), &json!({"status": "FAILED"}))
        .await;
    assert_error(&bad, 400, "BAD_REQUEST");
    let unknown = emu
        .control_post("/jobs/424242/outcome", &json!({"status": "failed"}))
        .await;
    assert_error(&unknown, 404, "JOB_NOT_FOUND");
}

#[tokio::test]
async fn flat_variant_by_control() {
    let emu = Emu::start().await;
    let cfg = emu
        .control_post(
            "/config",
            &json!({"jobsVariant": "flat", "processingMs": 0}),
        )
        .await;
    assert_eq!(cfg.json()["jobsVariant"], "flat");
    let bytes = png_header(640, 480, 1);
    let created = emu
        .create_job(&job_body("1", &[("original", "image/png", bytes.len())]))
        .await;
    assert_eq!(created.status, 200);
    let created = created.json();
    let id = created["jobId"].as_u64().expect("a numeric jobId");
    assert_eq!(created["taskTypeId"], 1);
    assert_eq!(created["status"], "waiting_for_finalize");
    assert!(created.get("job").is_none());
    assert_eq!(
        created["inputs"][0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        [
            "slotName",
            "uploadUrl",
            "contentType",
            "fileName",
            "sizeBytes"
        ]
    );
    assert_eq!(created["inputs"][0]["sizeBytes"], bytes.len());
    let url = created["inputs"][0]["uploadUrl"].as_str().unwrap();
    assert_eq!(upload(url, "image/png", &bytes).await.status, 200);

    let waiting = emu
        .call("GET", "/v1/jobs?status=waiting_for_finalize", "")
        .await
        .json();
    assert_eq!(waiting["pagination"]["total"], 1);
    assert_eq!(waiting["data"][0]["job"]["jobId"], id);
    assert_eq!(waiting["data"][0]["job"]["status"], "waiting_for_finalize");

    let f = emu
        .call("POST", &format!("/v1/jobs/{id}/finalize"), "")
        .await
        .json();
    assert_eq!(f["jobId"], id);
    assert_eq!(f["taskTypeId"], 1);
    assert_eq!(f["status"], "queued");
    assert_eq!(f["message"], "Job successfully queued for processing");
    assert!(f["queuedAt"].is_string() && f["updatedAt"].is_string());

    let job = loop {
        let j = emu.call("GET", &format!("/v1/jobs/{id}"), "").await.json();
        if j["status"] == "completed" {
            break j;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let keys: Vec<&str> = job
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "jobId",
            "taskTypeId",
            "taskTypeSlug",
            "status",
            "createdAt",
            "updatedAt",
            "completedAt",
            "errorMessage",
            "result"
        ]
    );
    assert_eq!(job["taskTypeSlug"], "ai-image-detection");
    assert!(job["errorMessage"].is_null());
    assert!(job["completedAt"].is_string());
    // By hand (README "Verdicts"): h[0..2] = 66, 210 (sha256sum). 66 is even: real.
    // pct = round(0.5 + 0.411764…, 4) * 100 = 91.18.
    assert_eq!(sha256(&bytes)[..2], [66, 210]);
    assert_percent_verdict(&job["result"]);
    assert_eq!(
        job["result"],
        json!({"isFake": false, "confidencePercent": 91.18, "fakeConfidencePercent": 8.82,
               "realConfidencePercent": 91.18})
    );

    // Cancel answers with a numeric jobId too.
    let other = emu
        .create_job(&job_body("1", &[("original", "image/png", 1)]))
        .await
        .json();
    let oid = other["jobId"].as_u64().unwrap();
    let c = emu
        .call("POST", &format!("/v1/jobs/{oid}/cancel"), "")
        .await
        .json();
    assert_eq!(c["jobId"], oid);
    assert_eq!(c["status"], "cancelled");

    // Back to the live shapes; a reset restores the start-up variant too.
    emu.control_post("/config", &json!({"jobsVariant": "live"}))
        .await;
    let live = emu.call("GET", &format!("/v1/jobs/{id}"), "").await.json();
    assert_eq!(live["id"], id.to_string());
    let bad = emu
        .control_post("/config", &json!({"jobsVariant": "round"}))
        .await;
    assert_error(&bad, 400, "BAD_REQUEST");
}

#[tokio::test]
async fn flat_variant_by_flag_survives_reset() {
    let emu = Emu::with(authenta_emulator::Config {
        jobs_flat: true,
        ..authenta_emulator::Config::for_tests()
    })
    .await;
    let r = emu
        .create_job(&job_body("9", &[("original", "image/jpeg", 1)]))
        .await
        .json();
    assert!(r["jobId"].is_u64(), "{r}");
    emu.control_post("/config", &json!({"jobsVariant": "live"}))
        .await;
    emu.control_post("/reset", &json!({})).await;
    let cfg = send("GET", &emu.control("/config"), &[], "").await.json();
    assert_eq!(cfg["jobsVariant"], "flat");
    let r = emu
        .create_job(&job_body("9", &[("original", "image/jpeg", 1)]))
        .await
        .json();
    // Ids are never reused, not even after a reset.
    assert!(r["jobId"].as_u64().unwrap() > 1, "{r}");
}

#[tokio::test]
async fn faults_on_the_job_routes_and_the_log() {
    let emu = Emu::start().await;
    let created = emu
        .create_job(&job_body("1", &[("original", "image/png", 3)]))
        .await
        .json();
    let id = created["job"]["id"].as_str().unwrap().to_string();
    upload(
        created["inputs"][0]["uploadUrl"].as_str().unwrap(),
        "image/png",
        b"abc",
    )
    .await;

    // One 503 on finalize, then the real answer.
    let q = emu
        .control_post(
            "/faults",
            &json!({"route": "POST /v1/jobs/:id/finalize", "status": 503, "retryAfter": 1,
                    "body": {"code": "SERVICE_UNAVAILABLE"}}),
        )
        .await;
    assert_eq!(q.status, 200, "{}", q.text());
    let f1 = emu
        .call("POST", &format!("/v1/jobs/{id}/finalize"), "")
        .await;
    assert_eq!(f1.status, 503);
    assert_eq!(f1.header("retry-after").unwrap(), "1");
    assert_eq!(
        f1.header("x-emulator-fault").unwrap(),
        "POST /v1/jobs/:id/finalize"
    );
    assert_eq!(f1.json()["code"], "SERVICE_UNAVAILABLE");
    let f2 = emu
        .call("POST", &format!("/v1/jobs/{id}/finalize"), "")
        .await;
    assert_eq!(f2.status, 200, "{}", f2.text());

    // A dropped connection on GET, an HTML page on create, faults for cancel, delete and list.
    emu.control_post(
        "/faults",
        &json!({"route": "GET /v1/jobs/:id", "drop": true}),
    )
    .await;
    let auth = emu.auth();
    let dropped = try_send(
        "GET",
        &emu.api(&format!("/v1/jobs/{id}")),
        &[("authorization", &auth)],
        "",
    )
    .await;
    assert!(dropped.is_err(), "expected a dropped connection");
    assert_eq!(
        emu.call("GET", &format!("/v1/jobs/{id}"), "").await.status,
        200
    );
    for (route, method, path) in [
        ("POST /v1/jobs", "POST", "/v1/jobs".to_string()),
        ("GET /v1/jobs", "GET", "/v1/jobs".to_string()),
        (
            "POST /v1/jobs/:id/cancel",
            "POST",
            format!("/v1/jobs/{id}/cancel"),
        ),
        ("DELETE /v1/jobs/:id", "DELETE", format!("/v1/jobs/{id}")),
    ] {
        emu.control_post(
            "/faults",
            &json!({"route": route, "status": 502, "body": "<html>bad gateway</html>",
                    "contentType": "text/html"}),
        )
        .await;
        let r = emu.call(method, &path, "{}").await;
        assert_eq!(r.status, 502, "{route}");
        assert_eq!(r.text(), "<html>bad gateway</html>");
        assert_eq!(r.header("x-emulator-fault").unwrap(), route);
    }
    // The job was not deleted by the faulted DELETE.
    assert_eq!(
        emu.call("GET", &format!("/v1/jobs/{id}"), "").await.status,
        200
    );
    let bad = emu
        .control_post("/faults", &json!({"route": "POST /v1/jobs/:id/restart"}))
        .await;
    assert_error(&bad, 400, "BAD_REQUEST");
    assert!(bad.text().contains("POST /v1/jobs/:id/finalize"));

    // The log has every Jobs request, with its headers; none carried Authorization to storage.
    let log = emu.log().await;
    let finals: Vec<&Value> = log
        .iter()
        .filter(|e| e["path"] == format!("/api/v1/jobs/{id}/finalize"))
        .collect();
    assert_eq!(finals.len(), 2);
    assert_eq!(finals[0]["method"], "POST");
    assert_eq!(finals[0]["headers"]["content-type"], "application/json");
    assert!(log.iter().any(|e| e["origin"] == "storage"
        && e["method"] == "PUT"
        && e["path"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/jobs/{id}/original"))));
    assert!(log
        .iter()
        .filter(|e| e["origin"] == "storage")
        .all(|e| e["headers"].get("authorization").is_none()));
}
