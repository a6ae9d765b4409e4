//! The documentation is checked against what it documents, so that it cannot
//! drift from the code:
//!
//! - `docs/diagnostics.md`: every case names its trybuild test
//!   (`` `tests/ui/<case>.rs` ``), and the `text` block after it is that case's
//!   `.stderr`, its `rust` block (when shown) the case's source, byte for byte
//!   (trailing blank lines aside). Every `tests/ui/*.rs` case is documented
//!   exactly once, and the counts in the contents match the sections.
//! - `README.md` and the `#[cors]` docs in `cors-macros/src/lib.rs`: the
//!   compile-error sample is `tests/ui/origin-trailing-slash.stderr` with the
//!   case's path written as the `src/main.rs` of a user's crate.
//! - `docs/server-requirements.md` has the entries R1 to R44, and every `R<n>`
//!   (or `R<n>–R<m>` range) cited anywhere in the repository names one of them.
//!
//! When a `.stderr` changes (`TRYBUILD=overwrite`), copy it into the doc: the
//! failure message says which block differs and shows the expected text.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A fenced code block of a Markdown text: its info string, its content with
/// the fence's indentation removed, and the (1-based) line of its opening fence.
#[derive(Debug)]
struct Block {
    info: String,
    text: String,
    line: usize,
}

/// One line of Markdown outside code blocks, or a code block.
#[derive(Debug)]
enum Item {
    Line(usize, String),
    Block(Block),
}

/// Splits Markdown into lines and fenced blocks (```` ``` ```` fences only,
/// indented or not, as in list items).
fn markdown(text: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let trimmed = line.trim_start();
        let Some(info) = trimmed.strip_prefix("```") else {
            items.push(Item::Line(i + 1, line.to_string()));
            continue;
        };
        let indent = line.len() - trimmed.len();
        let mut body = Vec::new();
        let mut closed = false;
        for (_, line) in lines.by_ref() {
            if line.trim() == "```" {
                closed = true;
                break;
            }
            let strip = line.len() - line.trim_start().len();
            body.push(&line[strip.min(indent)..]);
        }
        assert!(closed, "unclosed code block at line {}", i + 1);
        items.push(Item::Block(Block {
            info: info.trim().to_string(),
            text: body.join("\n"),
            line: i + 1,
        }));
    }
    items
}

/// Where two texts first differ, for a readable failure.
fn difference(doc: &str, expected: &str) -> Option<String> {
    let (doc, expected) = (doc.trim_end(), expected.trim_end());
    if doc == expected {
        return None;
    }
    let (a, b): (Vec<_>, Vec<_>) = (doc.lines().collect(), expected.lines().collect());
    let at = (0..a.len().max(b.len()))
        .find(|&i| a.get(i) != b.get(i))
        .unwrap_or(0);
    Some(format!(
        "first difference at line {} of the block:\n    doc:      {:?}\n    expected: {:?}\n  expected block:\n{expected}\n",
        at + 1,
        a.get(at).copied().unwrap_or("<end of block>"),
        b.get(at).copied().unwrap_or("<end of block>"),
    ))
}

fn ui_cases() -> Vec<String> {
    let mut cases: Vec<String> = fs::read_dir(root().join("tests/ui"))
        .expect("tests/ui exists")
        .map(|entry| entry.expect("readable tests/ui").file_name())
        .filter_map(|name| name.to_str()?.strip_suffix(".rs").map(str::to_string))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no trybuild cases found in tests/ui");
    cases
}

#[test]
fn diagnostics_doc_matches_the_ui_tests() {
    let doc = read(&root().join("docs/diagnostics.md"));
    let mut problems = Vec::new();
    // (section title, cases) in order, and every case with its section.
    let mut sections: Vec<(String, usize)> = Vec::new();
    let mut documented: Vec<String> = Vec::new();
    // The case whose blocks come next, and whether its `text` block was seen.
    let mut current: Option<(String, usize, bool)> = None;
    let close = |current: &mut Option<(String, usize, bool)>, problems: &mut Vec<String>| {
        if let Some((case, line, false)) = current.take() {
            problems.push(format!(
                "docs/diagnostics.md:{line}: `tests/ui/{case}.rs` has no ```text block"
            ));
        }
    };
    for item in markdown(&doc) {
        match item {
            Item::Line(line, text) => {
                if let Some(title) = text.strip_prefix("## ") {
                    close(&mut current, &mut problems);
                    sections.push((title.trim().to_string(), 0));
                } else if text.starts_with("### ") {
                    close(&mut current, &mut problems);
                } else if let Some(case) = text
                    .trim()
                    .strip_prefix("`tests/ui/")
                    .and_then(|rest| rest.strip_suffix(".rs`"))
                {
                    close(&mut current, &mut problems);
                    current = Some((case.to_string(), line, false));
                    documented.push(case.to_string());
                    match sections.last_mut() {
                        Some((_, count)) => *count += 1,
                        None => problems.push(format!(
                            "docs/diagnostics.md:{line}: `{case}` is outside any `##` section"
                        )),
                    }
                }
            }
            Item::Block(block) => {
                let Some((case, _, seen_text)) = current.as_mut() else {
                    continue;
                };
                let file = match block.info.as_str() {
                    "text" if *seen_text => {
                        problems.push(format!(
                            "docs/diagnostics.md:{}: a second ```text block for `{case}`",
                            block.line
                        ));
                        continue;
                    }
                    "text" => {
                        *seen_text = true;
                        format!("tests/ui/{case}.stderr")
                    }
                    "rust" => format!("tests/ui/{case}.rs"),
                    other => {
                        problems.push(format!(
                            "docs/diagnostics.md:{}: unexpected ```{other} block for `{case}`",
                            block.line
                        ));
                        continue;
                    }
                };
                let path = root().join(&file);
                let Ok(expected) = fs::read_to_string(&path) else {
                    problems.push(format!(
                        "docs/diagnostics.md:{}: `{file}` does not exist",
                        block.line
                    ));
                    continue;
                };
                if let Some(diff) = difference(&block.text, &expected) {
                    problems.push(format!(
                        "docs/diagnostics.md:{}: the ```{} block differs from `{file}`; {diff}",
                        block.line, block.info
                    ));
                }
            }
        }
    }
    close(&mut current, &mut problems);

    // Every case documented exactly once.
    let cases = ui_cases();
    for case in &cases {
        match documented.iter().filter(|d| *d == case).count() {
            1 => {}
            0 => problems.push(format!(
                "tests/ui/{case}.rs is not documented in docs/diagnostics.md"
            )),
            n => problems.push(format!(
                "tests/ui/{case}.rs is documented {n} times in docs/diagnostics.md"
            )),
        }
    }

    // The contents list `- [Title](#anchor) (count)` for every section with cases.
    for (title, count) in sections.iter().filter(|(_, count)| *count > 0) {
        let entry = format!("- [{title}](");
        let listed = doc
            .lines()
            .find(|line| line.starts_with(&entry))
            .and_then(|line| line.rsplit_once(" ("))
            .and_then(|(_, n)| n.strip_suffix(')')?.parse::<usize>().ok());
        if listed != Some(*count) {
            problems.push(format!(
                "docs/diagnostics.md contents: section `{title}` has {count} cases, listed as {listed:?}"
            ));
        }
    }
    let total = doc
        .lines()
        .find_map(|line| line.split_once(" tests: ")?.0.parse::<usize>().ok());
    if total != Some(cases.len()) {
        problems.push(format!(
            "docs/diagnostics.md says `{total:?} tests`, tests/ui has {} cases",
            cases.len()
        ));
    }

    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// The UI case the README and the `#[cors]` docs show, and how its output
/// reads in a user's crate.
const SAMPLE_CASE: &str = "origin-trailing-slash";

fn expected_sample() -> String {
    read(&root().join(format!("tests/ui/{SAMPLE_CASE}.stderr")))
        .replace(&format!("ui/{SAMPLE_CASE}.rs"), "src/main.rs")
}

/// The one ```text block of `doc` that shows compiler output for `src/main.rs`.
fn sample_block(doc: &str, name: &str) -> Block {
    let mut samples: Vec<Block> = markdown(doc)
        .into_iter()
        .filter_map(|item| match item {
            Item::Block(block)
                if block.info == "text"
                    && block.text.starts_with("error")
                    && block.text.contains("--> src/main.rs:") =>
            {
                Some(block)
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        samples.len(),
        1,
        "{name} should have exactly one ```text block of compiler output for src/main.rs"
    );
    samples.remove(0)
}

#[test]
fn readme_error_sample_is_a_ui_test_output() {
    let readme = read(&root().join("README.md"));
    let block = sample_block(&readme, "README.md");
    if let Some(diff) = difference(&block.text, &expected_sample()) {
        panic!(
            "README.md:{}: the compile-error sample differs from tests/ui/{SAMPLE_CASE}.stderr \
             (with `ui/{SAMPLE_CASE}.rs` written as `src/main.rs`); {diff}",
            block.line
        );
    }
}

#[test]
fn cors_macro_docs_error_sample_is_a_ui_test_output() {
    let source = read(&root().join("cors-macros/src/lib.rs"));
    // The doc comments as Markdown.
    let docs: String = source
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("///"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n");
    let block = sample_block(&docs, "the doc comments of cors-macros/src/lib.rs");
    if let Some(diff) = difference(&block.text, &expected_sample()) {
        panic!(
            "cors-macros/src/lib.rs: the `#[cors]` docs' error sample differs from \
             tests/ui/{SAMPLE_CASE}.stderr; {diff}"
        );
    }
}

/// The requirement numbers an `R<n>` or `R<n>–R<m>` citation covers, with the
/// text around it, for every citation in `text`.
fn citations(text: &str) -> Vec<(usize, usize, String)> {
    let bytes = text.as_bytes();
    let number = |at: usize| -> Option<(usize, usize)> {
        let digits = bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let n = text.get(at..at + digits)?.parse().ok()?;
        Some((n, at + digits))
    };
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i] == b'R' && (i == 0 || !word(bytes[i - 1]));
        let Some((first, end)) = starts.then(|| number(i + 1)).flatten() else {
            i += 1;
            continue;
        };
        if end < bytes.len() && word(bytes[end]) {
            i = end;
            continue;
        }
        // A range: `R1–R9` (en dash) or `R1-R9`.
        let rest = &text[end..];
        let dash = ["–R", "-R"].iter().find(|d| rest.starts_with(**d));
        let (last, end) = match dash.and_then(|d| number(end + d.len())) {
            Some((last, after)) if after == bytes.len() || !word(bytes[after]) => (last, after),
            _ => (first, end),
        };
        found.push((first, last, text[i..end].to_string()));
        i = end;
    }
    found
}

/// The files of the repository a citation may sit in.
fn repository_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable directory") {
        let path = entry.expect("readable entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            repository_files(&path, files);
        } else if ["rs", "md", "toml", "sh", "py", "stderr"]
            .iter()
            .any(|ext| path.extension().is_some_and(|e| e == *ext))
        {
            files.push(path);
        }
    }
}

#[test]
fn every_requirement_reference_resolves() {
    const LAST: usize = 44;
    let checklist = read(&root().join("docs/server-requirements.md"));
    // Entries are paragraphs that start with `**R<n>.**`, in order.
    let entries: Vec<usize> = checklist
        .lines()
        .filter_map(|line| line.strip_prefix("**R")?.split_once(".**")?.0.parse().ok())
        .collect();
    assert_eq!(
        entries,
        (1..=LAST).collect::<Vec<_>>(),
        "docs/server-requirements.md must have the entries **R1.** to **R{LAST}.**, once each, in order"
    );

    let mut files = Vec::new();
    repository_files(&root(), &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut cited = 0;
    for file in &files {
        // This file cites bad numbers on purpose, in the scan's own test.
        let this_file = file.ends_with("tests/docs.rs");
        let in_checklist = file.ends_with("docs/server-requirements.md");
        let Ok(text) = fs::read_to_string(file) else {
            continue;
        };
        if this_file {
            continue;
        }
        for (first, last, citation) in citations(&text) {
            cited += usize::from(!in_checklist);
            if first == 0 || first > last || last > LAST {
                let file = file.strip_prefix(root()).unwrap_or(file).display();
                problems.push(format!(
                    "{file}: `{citation}` names no entry of docs/server-requirements.md (R1 to R{LAST})"
                ));
            }
        }
    }
    assert!(
        cited >= 10,
        "found only {cited} requirement citations outside the checklist: is the scan broken?"
    );
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn citation_scan_reads_ranges_and_skips_other_words() {
    let found: Vec<(usize, usize)> = citations("R1, (R2–R9) R10-R12 R7x VR8 R 3 R45.")
        .into_iter()
        .map(|(first, last, _)| (first, last))
        .collect();
    assert_eq!(found, [(1, 1), (2, 9), (10, 12), (45, 45)]);
}
