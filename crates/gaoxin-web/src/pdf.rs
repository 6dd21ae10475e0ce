//! PDF of a document gaoxin writes as `.docx`, by LibreOffice when the server has it
//! (`soffice`, Debian's `libreoffice-writer-nogui`; CJK fonts such as `fonts-noto-cjk` for the
//! text). Why LibreOffice and not a Rust typesetting library: the `.docx` is already the document
//! in its official layout (GB/T 9704), and LibreOffice lays it out as Word does, with the fonts
//! the intranet already has; a second typesetter would be a second layout to keep equal. Without
//! LibreOffice there is no PDF: the link is not shown and the address answers 404.
//!
//! One conversion at a time (LibreOffice is heavy on a small server), each in its own
//! directory with its own profile (`HOME`), stopped after 50 s (within the request deadline),
//! the directory removed after.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Semaphore;

// Within the request deadline (60 s).
const TIMEOUT: Duration = Duration::from_secs(50);
/// A PDF larger than this is not a bulletin: refused rather than held in memory.
const MAX_PDF_BYTES: u64 = 50 * 1024 * 1024;

static GATE: Semaphore = Semaphore::const_new(1);

/// The LibreOffice program, if the server has one (looked up once).
fn program() -> Option<&'static Path> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .flat_map(|d| [d.join("soffice"), d.join("libreoffice")])
                .find(|p| p.is_file())
        })
        .as_deref()
}

/// Whether PDFs can be made here.
pub fn available() -> bool {
    program().is_some()
}

/// Why no PDF was made.
#[derive(Debug)]
pub enum PdfError {
    Missing,
    TimedOut(Duration),
    Failed(String),
    Io(std::io::Error),
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Missing => write!(f, "LibreOffice is not installed"),
            PdfError::TimedOut(t) => write!(f, "LibreOffice did not finish within {t:?}"),
            PdfError::Failed(why) => write!(f, "LibreOffice failed: {why}"),
            PdfError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<std::io::Error> for PdfError {
    fn from(e: std::io::Error) -> Self {
        PdfError::Io(e)
    }
}

/// `docx` as PDF.
pub async fn from_docx(docx: &[u8]) -> Result<Vec<u8>, PdfError> {
    let program = program().ok_or(PdfError::Missing)?;
    let _turn = GATE
        .acquire()
        .await
        .map_err(|e| PdfError::Failed(e.to_string()))?;
    let tag = gaoxin_store::random::token().map_err(|e| PdfError::Failed(e.to_string()))?;
    let dir = std::env::temp_dir().join(format!("gaoxin-pdf-{}-{tag}", std::process::id()));
    tokio::fs::create_dir_all(&dir).await?;
    let result = convert(program, &dir, docx).await;
    if let Err(e) = tokio::fs::remove_dir_all(&dir).await {
        tracing::warn!(error = %e, dir = %dir.display(), "could not remove a PDF work directory");
    }
    result
}

async fn convert(program: &Path, dir: &Path, docx: &[u8]) -> Result<Vec<u8>, PdfError> {
    let input = dir.join("document.docx");
    tokio::fs::write(&input, docx).await?;
    let mut child = tokio::process::Command::new(program)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir)
        .arg(&input)
        .env("HOME", dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let status = match tokio::time::timeout(TIMEOUT, child.wait()).await {
        Ok(s) => s?,
        Err(_) => {
            child.kill().await.ok();
            return Err(PdfError::TimedOut(TIMEOUT));
        }
    };
    let output = dir.join("document.pdf");
    let meta = tokio::fs::metadata(&output).await;
    if !status.success() || meta.is_err() {
        return Err(PdfError::Failed(format!("{status}")));
    }
    if meta.is_ok_and(|m| m.len() > MAX_PDF_BYTES) {
        return Err(PdfError::Failed("the PDF is too large".into()));
    }
    let pdf = tokio::fs::read(&output).await?;
    if !pdf.starts_with(b"%PDF") {
        return Err(PdfError::Failed("not a PDF".into()));
    }
    Ok(pdf)
}
