//! Makes sure the front-end libraries the binary embeds are on disk.
//!
//! They come from the npm registry through `web/package-lock.json`; `npm ci` installs exactly
//! those versions into `web/node_modules`, from where `src/assets.rs` embeds them with
//! `include_bytes!`. The binary then serves them itself: nothing is fetched at run time.

use std::path::Path;
use std::process::Command;

const REQUIRED: &[&str] = &["echarts/dist/echarts.min.js", "htmx.org/dist/htmx.min.js"];

fn main() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web");
    println!(
        "cargo:rerun-if-changed={}",
        web.join("package-lock.json").display()
    );
    for file in REQUIRED {
        println!(
            "cargo:rerun-if-changed={}",
            web.join("node_modules").join(file).display()
        );
    }
    let missing = || {
        REQUIRED
            .iter()
            .any(|f| !web.join("node_modules").join(f).exists())
    };
    if !missing() {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&web)
        .status();
    match status {
        Ok(s) if s.success() && !missing() => {}
        Ok(s) => fail(&format!("`npm ci` in web/ exited with {s}")),
        Err(e) => fail(&format!("cannot run npm ({e}); install Node.js and npm")),
    }
}

fn fail(why: &str) -> ! {
    eprintln!(
        "error: gaoxin 的前端资源缺失，且自动安装失败：{why}。\n\
         请在仓库根目录运行 `npm ci --prefix web` 后重新构建。\n\
         error: gaoxin's front-end assets are missing and could not be installed: {why}.\n\
         Run `npm ci --prefix web` in the repository root, then build again."
    );
    std::process::exit(1);
}
