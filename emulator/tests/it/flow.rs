//! The whole life of a media record, per model, over real HTTP.

use crate::common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn df1_full_flow_list_and_delete() {
    let emu = Emu::start().await;
    let bytes = b"a small stand-in for a video file".repeat(100);
    let r = emu
        .create(&media("clip.mp4", "video/mp4", bytes.len(), "DF-1"))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let rec = r.json();
    let mid = rec["mid"].as_str().unwrap().to_string();
    assert_eq!(mid.len(), 24);
    assert!(mid
        .bytes()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert_eq!(rec["status"], "INITED");
    assert_eq!(rec["type"], "Video");
    assert_eq!(rec["modelType"], "DF-1");
    assert_eq!(rec["name"], "clip.mp4");
    assert_eq!(rec["contentType"], "video/mp4");
    assert_eq!(rec["size"], bytes.len());
    assert_eq!(rec["expiresIn"], 3600);
    assert!(rec["createdAt"].as_str().unwrap().ends_with('Z'));
    assert!(rec.get("referenceUploadUrl").is_none());
    let upload_url = rec["uploadUrl"].as_str().unwrap();
    assert!(upload_url.starts_with(&emu.run.storage_url));
    for p in [
        "X-Amz-Algorithm=AWS4-HMAC-SHA256",
        "X-Amz-Credential=",
        "X-Amz-Date=",
        "X-Amz-Expires=3600",
        "X-Amz-SignedHeaders=content-type%3Bhost",
        "X-Amz-Signature=",
        &format!("/media/{mid}/original.media?"),
    ] {
        assert!(upload_url.contains(p), "{p} missing from {upload_url}");
    }

    // Still INITED until the upload lands; no srcURL or resultURL yet.
    let before = emu.get(&format!("/media/{mid}")).await.json();
    assert_eq!(before["status"], "INITED");
    assert!(before.get("uploadUrl").is_none());
    assert!(before.get("resultURL").is_none());

    let put = upload(upload_url, "video/mp4", &bytes).await;
    assert_eq!(put.status, 200, "{}", put.text());
    assert!(put.body.is_empty());
    let md5 = {
        use md5::Digest;
        hex::encode(md5::Md5::digest(&bytes))
    };
    assert_eq!(put.header("etag").unwrap(), format!("\"{md5}\""));

    let after = emu.get(&format!("/media/{mid}")).await.json();
    assert!(
        matches!(after["status"].as_str(), Some("UPLOADED" | "PROCESSING")),
        "{after}"
    );
    assert!(after["srcURL"].is_string());

    let done = emu.wait_terminal(&mid).await;
    assert_eq!(done["status"], "PROCESSED");
    // README "Verdicts" worked by hand. h = SHA-256 of the bytes (sha256sum): h[0..3] = 114,
    // 200, 134; h[8..15] = 218, 18, 72, _, 47, 67, 22. n = 1 + 200 % 3 = 3 identities;
    // 114 = 0b0111_0010, so identity 1 is fake and 0 and 2 are real.
    let h = sha256(&bytes);
    assert_eq!(
        (h[0], h[1], h[2], &h[8..11], &h[12..15]),
        (114, 200, 134, &[218, 18, 72][..], &[47, 67, 22][..])
    );
    assert_eq!(done["faces"], 3);
    assert_eq!(done["deepFakes"], 1);

    let result = send("GET", done["resultURL"].as_str().unwrap(), &[], "").await;
    assert_eq!(result.status, 200, "{}", result.text());
    assert!(result
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let v = result.json();
    assert_eq!(v["resultType"], "video");
    assert_eq!(
        v["identityPredictions"],
        json!([{"identityId": "0", "isDeepFake": false}, {"identityId": "1", "isDeepFake": true},
               {"identityId": "2", "isDeepFake": false}])
    );
    // The record's counts are those of the listed identities, and each class its verdict.
    let preds = v["identityPredictions"].as_array().unwrap();
    assert_eq!(done["faces"], preds.len());
    let fake_ids: Vec<&Value> = preds.iter().filter(|p| p["isDeepFake"] == true).collect();
    assert_eq!(done["deepFakes"], fake_ids.len());
    for p in preds {
        let id = p["identityId"].as_str().unwrap();
        let fake = p["isDeepFake"].as_bool().unwrap();
        let b = &v["boundingBoxes"][id];
        assert_eq!(b["class"], if fake { "fake" } else { "real" }, "{id}");
        assert!((0.5..=1.0).contains(&b["confidence"].as_f64().unwrap()));
        // Not a picture: five frames in the default 1280 x 720 frame.
        assert_face_boxes(&b["boundingBox"], 5, (1280, 720));
    }
    let id0 = &v["boundingBoxes"]["0"];
    // conf(h[2]) = round(0.5 + 134/510, 4) = round(0.762745…, 4).
    assert_eq!(id0["confidence"], 0.7627);
    // Identity 0, a = 8, s = 720: w = 720/8 + 218 % (3600/24) = 90 + 68 = 158,
    // hh = 158 + 39 = 197, x0 = 18 * (1280-20-158) / 255 = 19836/255 = 77,
    // y0 = 72 * (720-20-197) / 255 = 36216/255 = 142; then +4, +2 a frame.
    assert_eq!(
        id0["boundingBox"],
        json!({"0": [77, 142, 158, 197], "30": [81, 144, 158, 197], "60": [85, 146, 158, 197],
               "90": [89, 148, 158, 197], "120": [93, 150, 158, 197]})
    );
    // Identity 1, a = 12: w = 90 + 47 = 137, hh = 137 + 34 = 171,
    // x0 = 67 * 1123 / 255 = 75241/255 = 295, y0 = 22 * 529 / 255 = 11638/255 = 45.
    assert_eq!(
        v["boundingBoxes"]["1"]["boundingBox"]["0"],
        json!([295, 45, 137, 171])
    );

    // The source comes back from srcURL (small objects are kept).
    let src = send("GET", done["srcURL"].as_str().unwrap(), &[], "").await;
    assert_eq!(src.status, 200);
    assert_eq!(src.body, bytes);

    // Two more records, then list.
    for n in ["two", "three"] {
        assert_eq!(
            emu.create(&media(n, "video/webm", 10, "DF-1")).await.status,
            200
        );
    }
    let all = emu.get("/media").await.json();
    assert_eq!(all["limit"], 10);
    assert_eq!(all["offset"], 0);
    assert_eq!(all["total"], 3);
    let names: Vec<&str> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["three", "two", "clip.mp4"]);
    assert!(all["data"][0].get("uploadUrl").is_none());
    let page = emu.get("/media?limit=2&offset=1").await.json();
    assert_eq!(page["limit"], 2);
    assert_eq!(page["offset"], 1);
    assert_eq!(page["total"], 3);
    let names: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["two", "clip.mp4"]);
    let past = emu.get("/media?limit=5&offset=7").await.json();
    assert_eq!(past["total"], 3);
    assert_eq!(past["data"].as_array().unwrap().len(), 0);

    // Delete, then it is gone.
    let auth = emu.auth();
    let del = send(
        "DELETE",
        &emu.api(&format!("/media/{mid}")),
        &[("authorization", &auth)],
        "",
    )
    .await;
    assert_eq!(del.status, 200, "{}", del.text());
    assert!(del.json()["message"].is_string());
    let gone = emu.get(&format!("/media/{mid}")).await;
    assert_eq!(gone.status, 404);
    assert_eq!(
        gone.json(),
        json!({"code": "NOT_FOUND", "statusCode": 404, "message": "Media not found"})
    );
    let again = send(
        "DELETE",
        &emu.api(&format!("/media/{mid}")),
        &[("authorization", &auth)],
        "",
    )
    .await;
    assert_eq!(again.status, 404);
    assert_eq!(emu.get("/media").await.json()["total"], 2);
}

#[tokio::test]
async fn ac1_fi1_fe1_result_shapes() {
    let emu = Emu::start().await;

    // AC-1 (AI-generated image detection) on a JPEG.
    let jpeg = b"\xff\xd8\xff\xe0 pretend this is a JPEG".to_vec();
    let rec = emu
        .create(&media("photo.jpg", "image/jpeg", jpeg.len(), "AC-1"))
        .await;
    assert_eq!(rec.status, 200, "{}", rec.text());
    let rec = rec.json();
    assert_eq!(rec["type"], "Image");
    let mid = rec["mid"].as_str().unwrap();
    assert_eq!(
        upload(rec["uploadUrl"].as_str().unwrap(), "image/jpeg", &jpeg)
            .await
            .status,
        200
    );
    let done = emu.wait_terminal(mid).await;
    assert_eq!(done["status"], "PROCESSED");
    assert!(done.get("faces").is_none());
    let v = send("GET", done["resultURL"].as_str().unwrap(), &[], "")
        .await
        .json();
    let h = sha256(&jpeg);
    let fake = h[0] % 2 == 1;
    let c = ((0.5 + f64::from(h[1]) / 510.0) * 10_000.0).round() / 10_000.0;
    let pct = (c * 100.0 * 100.0).round() / 100.0;
    let other = ((100.0 - pct) * 100.0).round() / 100.0;
    assert_eq!(
        v,
        json!({"isFake": fake, "confidencePercent": pct,
               "fakeConfidencePercent": if fake { pct } else { other },
               "realConfidencePercent": if fake { other } else { pct }})
    );

    // FI-1 on an image with a similarity check: processing waits for the reference.
    let face = b"face image bytes".to_vec();
    let mut body = media("face.jpg", "image/jpeg", face.len(), "FI-1");
    body["metadata"] =
        json!({"faceSimilarityCheck": true, "livenessCheck": true, "isSingleFace": true});
    let rec = emu.create(&body).await.json();
    assert_eq!(rec["type"], "Image");
    assert_eq!(rec["metadata"]["faceSimilarityCheck"], true);
    let mid = rec["mid"].as_str().unwrap().to_string();
    let reference_url = rec["referenceUploadUrl"].as_str().unwrap().to_string();
    assert!(reference_url.contains("/reference.media?"));
    assert_eq!(
        upload(rec["uploadUrl"].as_str().unwrap(), "image/jpeg", &face)
            .await
            .status,
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        emu.get(&format!("/media/{mid}")).await.json()["status"],
        "UPLOADED"
    );
    // The reference URL does not sign a content type: any image type goes.
    assert_eq!(upload(&reference_url, "image/png", &face).await.status, 200);
    let done = emu.wait_terminal(&mid).await;
    assert_eq!(done["status"], "PROCESSED");
    let v = send("GET", done["resultURL"].as_str().unwrap(), &[], "")
        .await
        .json();
    let h = sha256(&face);
    assert_eq!(v["resultType"], "face");
    assert_eq!(v["isDeepFake"], h[0] % 2 == 1);
    assert_eq!(v["isLiveness"], (h[0] >> 1) & 1 == 0);
    // Identical reference → 100.
    assert_eq!(v["similarityScore"].as_f64().unwrap(), 100.0);
    assert_eq!(v["isSimilar"], true);
    assert_eq!(
        v["boundingBoxes"]["0"]["boundingBox"]
            .as_object()
            .unwrap()
            .len(),
        1
    );

    // FI-1 on a video without a similarity check: nulls.
    let vid = b"face video".to_vec();
    let mut body = media("face.mp4", "video/mp4", vid.len(), "FI-1");
    body["metadata"] = json!({"faceswapCheck": true});
    let rec = emu.create(&body).await.json();
    assert!(rec.get("referenceUploadUrl").is_none());
    upload(rec["uploadUrl"].as_str().unwrap(), "video/mp4", &vid).await;
    let done = emu.wait_terminal(rec["mid"].as_str().unwrap()).await;
    let v = send("GET", done["resultURL"].as_str().unwrap(), &[], "")
        .await
        .json();
    assert!(v["isSimilar"].is_null());
    assert!(v["similarityScore"].is_null());
    assert!(v["isLiveness"].is_boolean());

    // FE-1: a 512-number unit vector.
    let img = b"embedding input".to_vec();
    let rec = emu
        .create(&media("e.png", "image/png", img.len(), "FE-1"))
        .await
        .json();
    upload(rec["uploadUrl"].as_str().unwrap(), "image/png", &img).await;
    let done = emu.wait_terminal(rec["mid"].as_str().unwrap()).await;
    let v = send("GET", done["resultURL"].as_str().unwrap(), &[], "")
        .await
        .json();
    assert_eq!(v["resultType"], "face-embed");
    let vec = v["faceVector"].as_array().unwrap();
    assert_eq!(vec.len(), 512);
    let norm: f64 = vec.iter().map(|x| x.as_f64().unwrap().powi(2)).sum();
    assert!((norm - 1.0).abs() < 1e-3);
}

#[tokio::test]
async fn face_boxes_lie_inside_the_uploaded_picture() {
    let emu = Emu::start().await;
    // The boxes worked by hand from README "Verdicts" (a = 8, integer division), with
    // h[8..11] of each body's SHA-256 (sha256sum).
    for (name, ct, bytes, size, h8, expected) in [
        // s = 200: w = 25 + 127 % 41 = 29, hh = 29 + 7 = 36,
        // x0 = 51 * 251 / 255 = 50, y0 = 241 * 144 / 255 = 136.
        (
            "small.png",
            "image/png",
            png_header(300, 200, 1),
            (300, 200),
            [127, 51, 241],
            [50, 136, 29, 36],
        ),
        // s = 90: w = 11 + 86 % 18 = 25, hh = 25 + 6 = 31,
        // x0 = 6 * 45 / 255 = 1, y0 = 2 * 1549 / 255 = 12.
        (
            "tall.jpg",
            "image/jpeg",
            jpeg_header(90, 1600, 2),
            (90, 1600),
            [86, 6, 2],
            [1, 12, 25, 31],
        ),
        // s = 6000: w = 750 + 27 % 1250 = 777, hh = 777 + 194 = 971,
        // x0 = 197 * 7203 / 255 = 5564, y0 = 118 * 5009 / 255 = 2317.
        (
            "huge.png",
            "image/png",
            png_header(8000, 6000, 3),
            (8000, 6000),
            [27, 197, 118],
            [5564, 2317, 777, 971],
        ),
        // Labelled an image, but not one the storage can read: the default frame. s = 720:
        // w = 90 + 23 % 150 = 113, hh = 113 + 28 = 141,
        // x0 = 53 * 1147 / 255 = 238, y0 = 87 * 559 / 255 = 190.
        (
            "junk.jpg",
            "image/jpeg",
            b"no header here".to_vec(),
            (1280, 720),
            [23, 53, 87],
            [238, 190, 113, 141],
        ),
    ] {
        assert_eq!(sha256(&bytes)[8..11], h8, "{name}");
        let rec = emu
            .create(&media(name, ct, bytes.len(), "FI-1"))
            .await
            .json();
        upload(rec["uploadUrl"].as_str().unwrap(), ct, &bytes).await;
        let done = emu.wait_terminal(rec["mid"].as_str().unwrap()).await;
        let v = send("GET", done["resultURL"].as_str().unwrap(), &[], "")
            .await
            .json();
        // A picture: one frame.
        let boxes = assert_face_boxes(&v["boundingBoxes"]["0"]["boundingBox"], 1, size);
        assert_eq!(boxes, [expected], "{name}");
    }
}

#[tokio::test]
async fn same_bytes_same_verdict_and_accounts_are_separate() {
    let emu = Emu::start().await;
    emu.control_post("/keys", &json!({"key": "api_other"}))
        .await;
    let bytes = b"identical".to_vec();
    let mut results = Vec::new();
    for auth in [emu.auth(), "Bearer api_other".to_string()] {
        let rec = emu
            .create_as(&auth, &media("x", "video/mp4", bytes.len(), "DF-1"))
            .await
            .json();
        upload(rec["uploadUrl"].as_str().unwrap(), "video/mp4", &bytes).await;
        results.push((auth, rec["mid"].as_str().unwrap().to_string()));
    }
    let mine = emu.wait_terminal(&results[0].1).await;
    // The other account's record is invisible to the default key.
    assert_eq!(
        emu.get(&format!("/media/{}", results[1].1)).await.status,
        404
    );
    assert_eq!(emu.get("/media").await.json()["total"], 1);
    let other = send(
        "GET",
        &emu.api(&format!("/media/{}", results[1].1)),
        &[("authorization", "Bearer api_other")],
        "",
    )
    .await;
    assert_eq!(other.status, 200);
    assert!(!mine["uploadUrl"].is_string());
    let a = send("GET", mine["resultURL"].as_str().unwrap(), &[], "").await;
    let other = loop {
        let o = send(
            "GET",
            &emu.api(&format!("/media/{}", results[1].1)),
            &[("authorization", "Bearer api_other")],
            "",
        )
        .await
        .json();
        if o["status"] == "PROCESSED" {
            break o;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    };
    let b = send("GET", other["resultURL"].as_str().unwrap(), &[], "").await;
    assert_eq!(a.json(), b.json());
}

#[tokio::test]
async fn scripted_outcome_and_processing_timeline() {
    let emu = Emu::start().await;
    let r = emu
        .control_post("/config", &json!({"processingMs": 1500}))
        .await;
    assert_eq!(r.json()["processingMs"], 1500);
    let rec = emu.create(&media("a", "video/mp4", 3, "DF-1")).await.json();
    let mid = rec["mid"].as_str().unwrap().to_string();
    let o = emu
        .control_post(
            &format!("/media/{mid}/outcome"),
            &json!({"status": "ERROR"}),
        )
        .await;
    assert_eq!(o.status, 200, "{}", o.text());
    upload(rec["uploadUrl"].as_str().unwrap(), "video/mp4", b"abc").await;
    let mut seen = Vec::new();
    loop {
        let s = emu.get(&format!("/media/{mid}")).await.json()["status"]
            .as_str()
            .unwrap()
            .to_string();
        if seen.last() != Some(&s) {
            seen.push(s.clone());
        }
        if s == "ERROR" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(seen, ["UPLOADED", "PROCESSING", "ERROR"]);
    let done = emu.get(&format!("/media/{mid}")).await.json();
    assert!(done.get("resultURL").is_none());

    // An already processed record can be failed after the fact.
    emu.control_post("/config", &json!({"processingMs": 0}))
        .await;
    let rec = emu.create(&media("b", "video/mp4", 3, "DF-1")).await.json();
    let mid = rec["mid"].as_str().unwrap().to_string();
    upload(rec["uploadUrl"].as_str().unwrap(), "video/mp4", b"abc").await;
    assert_eq!(emu.wait_terminal(&mid).await["status"], "PROCESSED");
    emu.control_post(
        &format!("/media/{mid}/outcome"),
        &json!({"status": "FAILED"}),
    )
    .await;
    assert_eq!(
        emu.get(&format!("/media/{mid}")).await.json()["status"],
        "FAILED"
    );
    let bad = emu
        .control_post(
            "/media/000000000000000000000000/outcome",
            &json!({"status": "FAILED"}),
        )
        .await;
    assert_eq!(bad.status, 404);
}
