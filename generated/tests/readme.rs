//! The README's Rust is real: every ```` ```rust ```` block of `README.md` must be a
//! verbatim excerpt of one of `generated/examples/*.rs`, which CI compiles (clippy, all
//! targets) and the Prism test runs. So the README can show only code that builds against
//! the generated crate as it is, and a change to an example that leaves the README
//! behind fails here, naming the block.
//!
//! "Verbatim" means: the block's non-empty lines, each with its leading and trailing
//! whitespace trimmed, are a contiguous run of the example's non-empty lines, trimmed
//! alike (so a block may drop the indentation of a function body, and the blank lines
//! between statements, but nothing else). Every block whose info string starts with
//! `rust` is checked (`rust,ignore` too); snippets that are not example code, such as
//! generated output or settings, belong in `text`, `toml` or `sh` blocks.

use std::path::{Path, PathBuf};

/// One fenced block: the line of the README it starts on (1-based), and its lines.
struct Block {
    line: usize,
    lines: Vec<String>,
}

/// The fenced blocks of `text` whose info string is `rust` or starts with `rust,`.
fn rust_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(bool, Block)> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        match &mut open {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    let tag = info.trim().split(',').next().unwrap_or("").trim();
                    let block = Block {
                        line: index + 1,
                        lines: Vec::new(),
                    };
                    open = Some((tag == "rust", block));
                }
            }
            Some((is_rust, block)) => {
                if trimmed == "```" {
                    let (is_rust, block) = open.take().expect("a block is open");
                    if is_rust {
                        blocks.push(block);
                    }
                } else if *is_rust {
                    block.lines.push(line.to_owned());
                }
            }
        }
    }
    if let Some((_, block)) = open {
        panic!(
            "README.md: the block opened at line {} is never closed",
            block.line
        );
    }
    blocks
}

/// The non-empty lines of `lines`, trimmed.
fn significant<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    lines
        .into_iter()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
}

/// The longest run of `wanted`'s first lines found contiguously in `source`, and where
/// (the index in `source` of its first line).
fn longest_prefix(wanted: &[&str], source: &[&str]) -> (usize, usize) {
    let mut best = (0, 0);
    for start in 0..source.len() {
        let matched = wanted
            .iter()
            .zip(&source[start..])
            .take_while(|(a, b)| a == b)
            .count();
        if matched > best.0 {
            best = (matched, start);
        }
    }
    best
}

fn examples(root: &Path) -> Vec<(PathBuf, String)> {
    let dir = root.join("examples");
    let mut found: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            (path, text)
        })
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no example in {}", dir.display());
    found
}

#[test]
fn every_rust_block_of_the_readme_is_an_excerpt_of_an_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme_path = root.join("../README.md");
    let readme = std::fs::read_to_string(&readme_path)
        .unwrap_or_else(|error| panic!("{}: {error}", readme_path.display()));
    let examples = examples(root);
    let shown = |path: &Path| {
        format!(
            "generated/examples/{}",
            path.file_name().unwrap().to_string_lossy()
        )
    };

    let blocks = rust_blocks(&readme);
    assert!(
        !blocks.is_empty(),
        "README.md has no ```rust block: nothing was checked"
    );
    let mut failures = Vec::new();
    for block in &blocks {
        let wanted = significant(block.lines.iter().map(String::as_str));
        let Some(first) = wanted.first() else {
            failures.push(format!(
                "README.md line {}: an empty ```rust block",
                block.line
            ));
            continue;
        };
        // The example with the longest run of the block's first lines: where it is from,
        // or should be.
        let mut closest: Option<(usize, usize, &Path)> = None;
        for (path, text) in &examples {
            let source = significant(text.lines());
            let (matched, start) = longest_prefix(&wanted, &source);
            if matched == wanted.len() {
                closest = Some((matched, start, path));
                break;
            }
            if closest.is_none_or(|(best, _, _)| matched > best) {
                closest = Some((matched, start, path));
            }
        }
        match closest {
            Some((matched, _, path)) if matched == wanted.len() => {
                println!(
                    "README.md line {}: `{first}` … ({} lines) is from {}",
                    block.line,
                    wanted.len(),
                    shown(path)
                );
            }
            Some((matched, start, path)) if matched > 0 => {
                let source =
                    significant(examples.iter().find(|(p, _)| p == path).unwrap().1.lines());
                let expected = source
                    .get(start + matched)
                    .copied()
                    .unwrap_or("(the end of the file)");
                failures.push(format!(
                    "README.md line {}: the block that begins `{first}` should be an excerpt of {}: \
                     its first {matched} lines match, then the README has\n      `{}`\n    where the example has\n      `{expected}`",
                    block.line,
                    shown(path),
                    wanted[matched],
                ));
            }
            _ => {
                failures.push(format!(
                    "README.md line {}: the block that begins `{first}` is in no file of generated/examples/ \
                     (its first line is in none of {}): copy it from an example, or add the example first",
                    block.line,
                    examples.iter().map(|(p, _)| shown(p)).collect::<Vec<_>>().join(", "),
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "README.md's ```rust blocks must be verbatim excerpts of generated/examples/*.rs \
         (lines trimmed, blank lines ignored):\n  {}",
        failures.join("\n  ")
    );
}

#[test]
fn the_block_reader_finds_rust_blocks_only() {
    let text = "intro\n```rust\nlet a = 1;\n\n    let b = 2;\n```\n```toml\n[x]\n```\n  ```rust,ignore\nfoo();\n  ```\n```sh\nrust\n```\n";
    let blocks = rust_blocks(text);
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0].line, 2);
    assert_eq!(
        significant(blocks[0].lines.iter().map(String::as_str)),
        ["let a = 1;", "let b = 2;"]
    );
    assert_eq!(blocks[1].line, 10);
    assert_eq!(
        significant(blocks[1].lines.iter().map(String::as_str)),
        ["foo();"]
    );
}

#[test]
fn an_excerpt_matches_only_as_a_contiguous_run() {
    let source = ["a", "b", "c", "d"];
    assert_eq!(longest_prefix(&["b", "c"], &source), (2, 1));
    assert_eq!(longest_prefix(&["b", "d"], &source), (1, 1));
    assert_eq!(longest_prefix(&["x"], &source), (0, 0));
}
