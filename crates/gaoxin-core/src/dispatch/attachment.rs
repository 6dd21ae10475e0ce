//! Attachments to progress reports: what is accepted (PDF, PNG, JPEG, and Office Open XML
//! documents without macros), recognised by content rather than by the name a browser sends,
//! and how big. A file whose content and extension disagree is refused.

/// The largest attachment, in bytes.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// The most attachments one report carries.
pub const MAX_PER_REPORT: usize = 5;
/// Longest kept file name, in characters.
const NAME_MAX_CHARS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Pptx,
}

impl FileKind {
    pub const ALL: [FileKind; 6] = [
        FileKind::Pdf,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Pptx,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Pptx => "pptx",
        }
    }

    pub fn parse(s: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.code() == s)
    }

    /// The Content-Type a download is served with.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
        }
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Png => &["png"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Docx => &["docx"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Pptx => &["pptx"],
        }
    }
}

/// Why a file is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentError {
    Empty,
    TooBig {
        bytes: usize,
    },
    /// Not one of the accepted kinds (by content).
    Kind {
        name: String,
    },
    /// The content is one kind and the extension says another.
    Mismatch {
        name: String,
        is: FileKind,
    },
    /// An Office document carrying macros.
    Macros {
        name: String,
    },
    TooMany,
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn contains_ignoring_case(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// What the content is, whatever the name says.
fn kind_of(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileKind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if bytes.starts_with(b"PK\x03\x04") && contains(bytes, b"[Content_Types].xml") {
        // The part names are stored uncompressed in the zip's headers.
        if contains(bytes, b"word/") {
            Some(FileKind::Docx)
        } else if contains(bytes, b"xl/") {
            Some(FileKind::Xlsx)
        } else if contains(bytes, b"ppt/") {
            Some(FileKind::Pptx)
        } else {
            None
        }
    } else {
        None
    }
}

/// The name kept for a file: no folders, no control characters, at most 100 characters.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.');
    let mut out: String = cleaned.chars().rev().take(NAME_MAX_CHARS).collect();
    out = out.chars().rev().collect();
    if out.is_empty() {
        super::messages::UNNAMED_ATTACHMENT.to_string()
    } else {
        out
    }
}

/// An uploaded file as accepted: what it is, its clean name and its SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub kind: FileKind,
    pub file_name: String,
    pub sha256: String,
}

/// Checks an uploaded file ([`check`]) and cleans its name ([`clean_name`]): a report's or an
/// order answer's attachment alike.
pub fn accept(name: &str, bytes: &[u8]) -> Result<Accepted, AttachmentError> {
    use sha2::{Digest, Sha256};
    Ok(Accepted {
        kind: check(name, bytes)?,
        file_name: clean_name(name),
        sha256: format!("{:x}", Sha256::digest(bytes)),
    })
}

/// Checks a file: its kind by content, its extension, its size, macros.
pub fn check(name: &str, bytes: &[u8]) -> Result<FileKind, AttachmentError> {
    let name = clean_name(name);
    if bytes.is_empty() {
        return Err(AttachmentError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(AttachmentError::TooBig { bytes: bytes.len() });
    }
    let kind = kind_of(bytes).ok_or_else(|| AttachmentError::Kind { name: name.clone() })?;
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !kind.extensions().contains(&ext.as_str()) {
        return Err(AttachmentError::Mismatch { name, is: kind });
    }
    // Part names are case-insensitive to Office: `VBAPROJECT.BIN` runs as well.
    if matches!(kind, FileKind::Docx | FileKind::Xlsx | FileKind::Pptx)
        && [b"vbaproject.bin".as_slice(), b"vbadata.xml"]
            .iter()
            .any(|part| contains_ignoring_case(bytes, part))
    {
        return Err(AttachmentError::Macros { name });
    }
    Ok(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_content() {
        assert_eq!(check("a.pdf", b"%PDF-1.7 ..."), Ok(FileKind::Pdf));
        assert_eq!(check("图.PNG", b"\x89PNG\r\n\x1a\nxxxx"), Ok(FileKind::Png));
        assert_eq!(
            check("p.jpg", &[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok(FileKind::Jpeg)
        );
        let docx = b"PK\x03\x04....[Content_Types].xml....word/document.xml";
        assert_eq!(check("报告.docx", docx), Ok(FileKind::Docx));
        assert_eq!(
            check("报告.pdf", docx),
            Err(AttachmentError::Mismatch {
                name: "报告.pdf".into(),
                is: FileKind::Docx
            })
        );
        let xlsm = b"PK\x03\x04[Content_Types].xml xl/workbook.xml xl/vbaProject.bin";
        assert!(matches!(
            check("表.xlsx", xlsm),
            Err(AttachmentError::Macros { .. })
        ));
        // Office reads part names whatever their case.
        let upper = b"PK\x03\x04[Content_Types].xml word/document.xml WORD/VBAPROJECT.BIN";
        assert!(matches!(
            check("报告.docx", upper),
            Err(AttachmentError::Macros { .. })
        ));
        for (name, bytes) in [
            ("run.exe", b"MZ\x90\x00".as_slice()),
            ("page.html", b"<html><script>".as_slice()),
            ("fake.pdf", b"<html>%PDF-".as_slice()),
            ("z.zip", b"PK\x03\x04 plain zip".as_slice()),
        ] {
            assert!(
                matches!(check(name, bytes), Err(AttachmentError::Kind { .. })),
                "{name}"
            );
        }
        assert_eq!(check("a.pdf", b""), Err(AttachmentError::Empty));
        let big = vec![b'%'; MAX_BYTES + 1];
        assert!(matches!(
            check("a.pdf", &big),
            Err(AttachmentError::TooBig { .. })
        ));
        assert!(
            AttachmentError::TooBig {
                bytes: MAX_BYTES + 1
            }
            .zh()
            .contains("20 MB")
        );
    }

    #[test]
    fn names_lose_folders_and_tricks() {
        assert_eq!(clean_name("C:\\Users\\x\\进展.pdf"), "进展.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\r\n\"<x>.pdf"), "abx.pdf");
        assert_eq!(clean_name(".."), "附件");
        assert_eq!(
            clean_name(&format!("{}.pdf", "长".repeat(200)))
                .chars()
                .count(),
            100
        );
        assert!(clean_name(&format!("{}.pdf", "长".repeat(200))).ends_with(".pdf"));
    }
}
