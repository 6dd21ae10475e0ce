//! The structure's rules, checked on the source tree: SQL only in the store; no I/O in core; no
//! import cycle between the top-level modules of any crate; routes only through the declared
//! table; the web layer reads the clock through its state; ARCHITECTURE.md names every crate and
//! every module. Each rule says where it is broken and what to do.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn crates() -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(root().join("crates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Cargo.toml").exists())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// The code of a file without its comments and without its `#[cfg(test)]` module (written last
/// in every file of ours that has one).
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => &text[..],
    };
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("//") { "" } else { l }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

const SQL_WORDS: &[&str] = &[
    "SELECT ",
    "INSERT INTO",
    "DELETE FROM",
    "CREATE TABLE",
    "ALTER TABLE",
    "DROP TABLE",
    "PRAGMA ",
    "BEGIN IMMEDIATE",
];

#[test]
fn sql_is_written_only_in_the_store() {
    let mut found = Vec::new();
    for (name, dir) in crates() {
        if name == "gaoxin-store" {
            continue;
        }
        // Tests may reach into a database as an attacker would (to tamper with the audit log);
        // the product's own code may not.
        for file in rust_files(&dir.join("src")) {
            let code = code_of(&file);
            for (n, line) in code.lines().enumerate() {
                if line.contains("sqlx") || SQL_WORDS.iter().any(|w| line.contains(w)) {
                    found.push(format!("{}:{}: {}", rel(&file), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "SQL outside gaoxin-store — move it into a Store method:\n{}",
        found.join("\n")
    );
}

/// What core may depend on: pure computation, no runtime, no files, no network.
const CORE_DEPENDENCIES: &[&str] = &[
    "argon2",
    "hmac",
    "pinyin",
    "serde",
    "serde_json",
    "sha1",
    "sha2",
    "sm3",
    "thiserror",
    "toml",
    "zxcvbn",
];
const IO_PATHS: &[&str] = &[
    "std::fs",
    "std::net",
    "std::process",
    "std::env",
    "std::io::stdin",
    "std::io::stdout",
    "SystemTime",
    "Instant::now",
    "tokio",
    "println!",
    "eprintln!",
];

#[test]
fn core_does_no_io() {
    let manifest = std::fs::read_to_string(root().join("crates/gaoxin-core/Cargo.toml")).unwrap();
    let mut section = "";
    let mut wrong = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = if line == "[dependencies]" { "deps" } else { "" };
            continue;
        }
        if section == "deps" && !line.is_empty() && !line.starts_with('#') {
            let dep = line.split(['.', '=', ' ']).next().unwrap_or("");
            if !CORE_DEPENDENCIES.contains(&dep) {
                wrong.push(format!(
                    "crates/gaoxin-core/Cargo.toml: dependency {dep} is not on the list of pure \
                     crates (tidy.rs CORE_DEPENDENCIES): I/O belongs in store, web or the binary"
                ));
            }
        }
    }
    for file in rust_files(&root().join("crates/gaoxin-core/src")) {
        let code = code_of(&file);
        for (n, line) in code.lines().enumerate() {
            for p in IO_PATHS {
                if line.contains(p) {
                    wrong.push(format!("{}:{}: uses {p}", rel(&file), n + 1));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "core does I/O:\n{}", wrong.join("\n"));
}

/// The top-level modules of a crate (`src/x.rs` or `src/x/`) and which others each refers to
/// (`crate::x`, comments and tests left out).
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for file in rust_files(src) {
        let r = file.strip_prefix(src).unwrap();
        let top = r
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        files.entry(top).or_default().push(file);
    }
    let names: BTreeSet<String> = files.keys().cloned().collect();
    let mut graph = BTreeMap::new();
    for (module, paths) in &files {
        let mut uses = BTreeSet::new();
        for p in paths {
            let code = code_of(p);
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + 7..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if names.contains(&name) && &name != module {
                    uses.insert(name);
                }
            }
        }
        graph.insert(module.clone(), uses);
    }
    graph
}

/// A cycle in `graph`, if there is one, as the modules along it.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(n) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let from = path.iter().position(|p| p == n).unwrap_or(0);
                let mut cycle = path[from..].to_vec();
                cycle.push(n.to_string());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(n.to_string(), Mark::Open);
        path.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, graph, marks, path) {
                return Some(c);
            }
        }
        path.pop();
        marks.insert(n.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for n in graph.keys() {
        if let Some(c) = visit(n, graph, &mut marks, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

#[test]
fn no_crate_has_an_import_cycle_between_its_modules() {
    let mut cycles = Vec::new();
    for (name, dir) in crates() {
        if let Some(c) = find_cycle(&module_graph(&dir.join("src"))) {
            cycles.push(format!("{name}: {}", c.join(" → ")));
        }
    }
    assert!(
        cycles.is_empty(),
        "modules that use each other — move what both need into a module below them:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn a_cycle_is_found() {
    let g: BTreeMap<String, BTreeSet<String>> = [
        ("a", &["b"][..]),
        ("b", &["c"][..]),
        ("c", &["a"][..]),
        ("d", &[][..]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
    .collect();
    assert_eq!(find_cycle(&g).unwrap(), ["a", "b", "c", "a"]);
    let mut acyclic = g.clone();
    acyclic.get_mut("c").unwrap().clear();
    assert_eq!(find_cycle(&acyclic), None);
}

/// Where Chinese may be written in code (comments and tests aside): the catalogues, and the
/// files whose Chinese is the domain's own vocabulary or a document's content rather than
/// interface text — each with the reason. Interface text anywhere else goes through a
/// catalogue: the web's `i18n/`, or a domain's `messages.rs` (`gaoxin_core::text::Message`).
const CHINESE_ALLOWED: &[(&str, &str)] = &[
    ("crates/gaoxin-web/src/i18n/", "the web's catalogues"),
    ("/messages.rs", "a domain's catalogue of messages"),
    ("/sample.rs", "sample data, marked 示例数据"),
    (
        "crates/gaoxin-store/src/bench.rs",
        "the bench's generated orders and items, titled 压测",
    ),
    (
        "crates/gaoxin-core/src/time.rs",
        "dates as each language writes them: 2026年12月15日",
    ),
    (
        "crates/gaoxin-core/src/ledger/defs.rs",
        "the ledgers' fields, by the names clerks know them",
    ),
    (
        "crates/gaoxin-core/src/ledger/value.rs",
        "what clerks type: 是/否, 年月日, 万元/亿元",
    ),
    (
        "crates/gaoxin-core/src/ledger/name.rs",
        "the pairs most enterprise names share: 有限, 公司, 股份",
    ),
    (
        "crates/gaoxin-core/src/ledger/sheet.rs",
        "the 示例 mark of a template's example row",
    ),
    (
        "crates/gaoxin-core/src/monitor/import.rs",
        "the figures template's Chinese headings, read back",
    ),
    (
        "crates/gaoxin-core/src/known.rs",
        "the counts' names and 其他",
    ),
    ("crates/gaoxin-core/src/plan/mod.rs", "Chinese numerals"),
    (
        "crates/gaoxin-core/src/bulletin.rs",
        "the bulletin, a document written in Chinese",
    ),
    (
        "crates/gaoxin-core/src/benchmarking/report.rs",
        "the 对标分析报告, a document written in Chinese",
    ),
    (
        "crates/gaoxin-core/src/supervise/sheet.rs",
        "the 督办通知单, a document written in Chinese",
    ),
    ("crates/gaoxin-docx/", "the bulletin document"),
    (
        "crates/gaoxin-excel/",
        "workbooks: headings, instructions, drop-down prompts",
    ),
    (
        "crates/gaoxin-web/src/pages/bulletin.rs",
        "the bulletin's file names",
    ),
    (
        "crates/gaoxin-web/src/openapi.rs",
        "the API description, in both languages for those who integrate with it",
    ),
    ("crates/gaoxin-web/build.rs", "build-time messages"),
    (
        "crates/gaoxin/src/",
        "the console, which prints both languages at once",
    ),
];

fn has_chinese(line: &str) -> bool {
    line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn interface_text_is_written_in_the_catalogues() {
    let mut found = Vec::new();
    let mut used = vec![false; CHINESE_ALLOWED.len()];
    for (_, dir) in crates() {
        for file in rust_files(&dir) {
            let r = rel(&file);
            if r.contains("/tests/") || r.ends_with("/tests.rs") {
                continue;
            }
            let code = code_of(&file);
            let lines: Vec<(usize, &str)> = code
                .lines()
                .enumerate()
                .filter(|(_, l)| has_chinese(l))
                .collect();
            if lines.is_empty() {
                continue;
            }
            match CHINESE_ALLOWED.iter().position(|(p, _)| r.contains(p)) {
                Some(i) => used[i] = true,
                None => {
                    for (n, l) in lines {
                        found.push(format!("{r}:{}: {}", n + 1, l.trim()));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "interface text outside a catalogue — move it into i18n/ or the domain's messages.rs:\n{}",
        found.join("\n")
    );
    // An allowance nothing needs any more is removed, so the list only shrinks.
    let stale: Vec<&str> = CHINESE_ALLOWED
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|((p, _), _)| *p)
        .collect();
    assert!(stale.is_empty(), "allowances no file needs: {stale:?}");
}

#[test]
fn no_function_takes_too_many_arguments() {
    // Clippy's limit stands: a function needing more takes a context (`Act`, `Acting`) or a
    // struct naming what its arguments are together (`FigureAt`, `ImportFile`).
    let mut found = Vec::new();
    for (_, dir) in crates() {
        for file in rust_files(&dir) {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                if line.contains(concat!("allow(clippy::", "too_many_arguments")) {
                    found.push(format!("{}:{}", rel(&file), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "too_many_arguments allowed:\n{}",
        found.join("\n")
    );
}

#[test]
fn routes_are_added_only_through_the_declared_table() {
    let mut found = Vec::new();
    for file in rust_files(&root().join("crates/gaoxin-web/src")) {
        if file.ends_with("routes.rs") {
            continue;
        }
        let code = code_of(&file);
        for (n, line) in code.lines().enumerate() {
            if line.contains("Router::new()") || line.contains(".route(") {
                found.push(format!("{}:{}: {}", rel(&file), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "a route added past routes::Routes (which makes it say what it requires):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_web_layer_reads_the_clock_through_its_state() {
    let mut found = Vec::new();
    for file in rust_files(&root().join("crates/gaoxin-web/src")) {
        let code = code_of(&file);
        for (n, line) in code.lines().enumerate() {
            if ["gaoxin_store::now", "SystemTime", "Instant::now()"]
                .iter()
                .any(|p| line.contains(p))
                && !line.contains("Instant::now() -") // durations measured, not dates read
                && !file.ends_with("lib.rs")
            {
                found.push(format!("{}:{}: {}", rel(&file), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the clock read directly — use AppState::now (tests set it):\n{}",
        found.join("\n")
    );
}

#[test]
fn architecture_names_every_crate_and_module() {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut missing = Vec::new();
    for (name, dir) in crates() {
        if !doc.contains(&format!("crates/{name}")) {
            missing.push(format!("crates/{name}"));
        }
        // The crate's own section (### name … up to the next ###) names each module file.
        let section = doc
            .split("\n### ")
            .find(|s| s.starts_with(&format!("{name}\n")))
            .unwrap_or("");
        if section.is_empty() {
            missing.push(format!("a section “### {name}”"));
            continue;
        }
        let src = dir.join("src");
        for file in rust_files(&src) {
            let r = file.strip_prefix(&src).unwrap().display().to_string();
            if r == "lib.rs" || r == "main.rs" || r.ends_with("/tests.rs") || r == "tests.rs" {
                continue;
            }
            // `dir/file.rs`, or `dir/` with `file.rs` in its entry.
            let named = match r.rsplit_once('/') {
                _ if section.contains(&r) => true,
                Some((dir, "mod.rs")) => section.contains(&format!("`{dir}/`")),
                Some((dir, file)) => {
                    section.contains(&format!("`{dir}/`")) && section.contains(&format!("`{file}`"))
                }
                None => false,
            };
            if !named {
                missing.push(format!("{name}: {r}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md does not name these — add a line saying what each is for:\n{}",
        missing.join("\n")
    );
}
