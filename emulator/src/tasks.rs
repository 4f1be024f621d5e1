//! The Jobs API's task types (`../shared/API-NOTES.md`, "Model codes and task types").

/// One task type: its id, model code, slug, names, the MIME types of its `original` slot, and
/// the credits a finalized job costs.
#[derive(Debug)]
pub struct TaskType {
    pub id: u32,
    pub code: &'static str,
    pub slug: &'static str,
    pub display_name: &'static str,
    pub description: &'static str,
    pub mimes: &'static [&'static str],
    pub cost: i64,
}

const JPEG_PNG: &[&str] = &["image/jpeg", "image/png"];
/// MP3, WAV, M4A, under the names browsers give them.
const AUDIO: &[&str] = &[
    "audio/mpeg",
    "audio/mp3",
    "audio/wav",
    "audio/x-wav",
    "audio/mp4",
    "audio/x-m4a",
];
const MP4_MOV: &[&str] = &["video/mp4", "video/quicktime"];
const MP4_MOV_WEBM: &[&str] = &["video/mp4", "video/quicktime", "video/webm"];

/// The FI-1 `reference` slot: the photo a face is compared with.
pub const REFERENCE_MIMES: &[&str] = JPEG_PNG;

pub const TASK_TYPES: [TaskType; 11] = [
    TaskType {
        id: 1,
        code: "AC-1",
        slug: "ai-image-detection",
        display_name: "AI Image Detection",
        description: "Detects AI-generated images",
        mimes: JPEG_PNG,
        cost: 1,
    },
    TaskType {
        id: 2,
        code: "AF-1",
        slug: "ai-audio-detection",
        display_name: "AI Audio Detection",
        description: "Detects AI-generated audio",
        mimes: AUDIO,
        cost: 1,
    },
    TaskType {
        id: 3,
        code: "VF-1",
        slug: "ai-video-detection",
        display_name: "AI Video Detection",
        description: "Detects AI-generated video",
        mimes: MP4_MOV,
        cost: 2,
    },
    TaskType {
        id: 4,
        code: "DF-1",
        slug: "faceswap-detection",
        display_name: "Faceswap Detection",
        description: "Detects face swaps and deepfakes in a video",
        mimes: MP4_MOV_WEBM,
        cost: 2,
    },
    TaskType {
        id: 5,
        code: "FD-1",
        slug: "image-forgery-detection",
        display_name: "Image Forgery Detection",
        description: "Detects forged or tampered images",
        mimes: JPEG_PNG,
        cost: 1,
    },
    TaskType {
        id: 6,
        code: "DI-1",
        slug: "document-intelligence",
        display_name: "Document Intelligence",
        description: "Detects forged or tampered documents",
        mimes: &["image/jpeg", "image/png", "application/pdf"],
        cost: 1,
    },
    TaskType {
        id: 7,
        code: "FL-1",
        slug: "face-liveness-detection",
        display_name: "Face Liveness Detection",
        description: "Detects spoofed faces (a photo of a photo, a mask)",
        mimes: JPEG_PNG,
        cost: 1,
    },
    TaskType {
        id: 8,
        code: "FI-1",
        slug: "face-intelligence",
        display_name: "Face Intelligence",
        description: "Combined face checks: liveness, face swap, similarity",
        mimes: &[
            "image/jpeg",
            "image/png",
            "video/mp4",
            "video/webm",
            "video/quicktime",
        ],
        cost: 2,
    },
    TaskType {
        id: 9,
        code: "FE-1",
        slug: "face-embedding",
        display_name: "Face Embedding",
        description: "A 512-number face vector",
        mimes: JPEG_PNG,
        cost: 1,
    },
    TaskType {
        id: 10,
        code: "AS-1",
        slug: "audio-splitter",
        display_name: "Audio Splitter",
        description: "Splits audio into foreground and background",
        mimes: AUDIO,
        cost: 1,
    },
    TaskType {
        id: 11,
        code: "ED-1",
        slug: "ekyc-deepfake",
        display_name: "eKYC Deepfake Detection",
        description: "Detects deepfakes in eKYC videos",
        mimes: MP4_MOV_WEBM,
        cost: 2,
    },
];

/// The FI-1 task, the only one with a `reference` slot.
pub const FACE_INTELLIGENCE: u32 = 8;

pub fn by_id(id: u32) -> Option<&'static TaskType> {
    TASK_TYPES.iter().find(|t| t.id == id)
}

impl TaskType {
    /// The slots this task takes, with their MIME types.
    pub fn slots(&self) -> Vec<(&'static str, &'static [&'static str])> {
        let mut v = vec![("original", self.mimes)];
        if self.id == FACE_INTELLIGENCE {
            v.push(("reference", REFERENCE_MIMES));
        }
        v
    }

    /// Whether a completed job of this task has a `heatmap` artifact.
    pub fn has_heatmap(&self) -> bool {
        matches!(self.code, "AC-1" | "DI-1")
    }
}
