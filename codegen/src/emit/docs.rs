//! Doc comments from description text. Markdown is kept, but made safe for rustdoc and
//! clippy in the user's crate: code blocks never become doctests, stray `<Tag>`s and
//! `[brackets]` are escaped, bare URLs become links, and invisible or bidirectional
//! control characters are dropped.

use proc_macro2::TokenStream;
use quote::quote;

pub use crate::markdown::code;
use crate::markdown::is_invisible;

/// `#[doc = " line"]` attributes for `text`, one per line. Every item documented from the
/// description gets a doc, even when nothing of its text survives sanitizing (it was empty,
/// or only invisible characters), so the user's `missing_docs` lint stays quiet.
pub fn doc_attrs(text: &str) -> TokenStream {
    let mut lines = sanitize(text);
    if lines.is_empty() {
        lines.push("No description.".to_owned());
    }
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// Doc attributes for text the generator wrote itself (which may hold intra-doc links
/// such as ``[`CreateUser`]``), so it is not escaped. Never pass description text here.
///
/// Wire names may still end up inside such text, so it is made harmless line by line
/// all the same: control and bidirectional characters go, and so does indentation (which
/// would make an indented code block, a doctest), and a line that would open a code fence
/// starts with a backslash instead.
pub fn own_doc_attrs(text: &str) -> TokenStream {
    let attrs = text.lines().map(|line| {
        let line: String = line
            .chars()
            .filter(|c| !(c.is_control() || is_invisible(*c)))
            .collect();
        let line = line.trim();
        let line = if line.is_empty() {
            String::new()
        } else if fence_marker(line).is_some() {
            format!(" \\{line}")
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// `#![doc = " line"]` attributes: the doc of the module they appear in. `own` is text
/// the generator wrote, appended unescaped after the sanitized `description`.
pub fn inner_doc_attrs(description: &str, own: &str) -> TokenStream {
    let mut lines = sanitize(description);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.extend(own.lines().map(str::to_owned));
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #line])
    });
    quote!(#(#attrs)*)
}

/// Info strings rustdoc would compile and run as a doctest.
fn is_rust_fence(info: &str) -> bool {
    let first = info.split([',', ' ']).next().unwrap_or_default();
    matches!(
        first,
        "" | "rust" | "ignore" | "should_panic" | "no_run" | "compile_fail" | "test_harness"
    ) || first.starts_with("edition")
}

/// The lines of `text`, made safe. Leading and trailing blank lines are dropped.
pub fn sanitize(text: &str) -> Vec<String> {
    let text: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ")
        .chars()
        .filter(|c| *c == '\n' || !(c.is_control() || is_invisible(*c)))
        .collect();
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    let mut list_indent: Option<usize> = None;
    for raw in text.lines() {
        let trimmed = raw.trim_start();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str()) && trimmed.trim_end() == marker.as_str() {
                out.push(marker.clone());
                fence = None;
            } else {
                out.push(raw.trim_end().to_owned());
            }
            continue;
        }
        if let Some(marker) = fence_marker(trimmed) {
            let info = trimmed[marker.len()..].trim();
            let info = if is_rust_fence(info) { "text" } else { info };
            out.push(format!("{marker}{info}"));
            fence = Some(marker);
            list_indent = None;
            continue;
        }
        if trimmed.is_empty() {
            out.push(String::new());
            list_indent = None;
            continue;
        }
        // Indentation would make a code block (a doctest), so it goes; a line that
        // continues a list item is indented to the item's text instead.
        let line = escape_inline(trimmed.trim_end());
        match (list_marker_width(trimmed), list_indent) {
            (Some(width), _) => {
                list_indent = Some(width);
                out.push(line);
            }
            (None, Some(width)) => out.push(format!("{}{line}", " ".repeat(width))),
            (None, None) => out.push(line),
        }
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    let first = out.iter().position(|l| !l.is_empty()).unwrap_or(out.len());
    out.drain(..first);
    out
}

fn fence_marker(line: &str) -> Option<String> {
    for marker in ['`', '~'] {
        let run = line.chars().take_while(|c| *c == marker).count();
        if run >= 3 {
            return Some(marker.to_string().repeat(run));
        }
    }
    None
}

/// Where the text of a list item (`* `, `- `, `+ `, `1. `) at the start of `line`
/// begins: after the marker and the one to four spaces that follow it (CommonMark; with
/// more, the text begins after the first, the rest being an indented code block's).
/// Continuation lines are indented to it, or rustdoc reads them as lazy.
fn list_marker_width(line: &str) -> Option<usize> {
    let marker = if line.starts_with(['*', '-', '+']) {
        1
    } else {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || !line[digits..].starts_with('.') {
            return None;
        }
        digits + 1
    };
    let spaces = line[marker..].chars().take_while(|c| *c == ' ').count();
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// Escapes what rustdoc would misread in one line of prose; code spans stay verbatim.
///
/// Linear in the length of the line, whatever it holds: every search ahead (the end of a
/// code span, of a link text, of an autolink) is answered from a table or a cursor that
/// only moves forward, so a line of a million backticks or brackets cannot stall us.
/// (One scan with its cursors in view: split, the cursors' invariants would be spread
/// over several functions, which is why this one is long.)
fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let starts_with = |i: usize, prefix: &str| {
        let mut at = i;
        prefix.chars().all(|p| {
            let same = chars.get(at) == Some(&p);
            at += 1;
            same
        })
    };
    // Runs of backticks (start, length), and the longest run from each run on.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '`' {
            let length = chars[i..].iter().take_while(|c| **c == '`').count();
            runs.push((i, length));
            i += length;
        } else {
            i += 1;
        }
    }
    let mut longest_from = vec![0; runs.len() + 1];
    for r in (0..runs.len()).rev() {
        longest_from[r] = longest_from[r + 1].max(runs[r].1);
    }
    let closing_brackets: Vec<usize> = (0..chars.len()).filter(|&i| chars[i] == ']').collect();
    let mut next_bracket = 0;
    let mut next_stop = 0;
    let mut out = String::with_capacity(line.len() + 8);
    let mut link_closers = std::collections::BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // A code span runs to the next `run` backticks in a row (which may begin
                // a longer run); without them the backticks are plain text.
                // `i` may be inside a run, after a span that closed on its first ticks.
                let r = runs.partition_point(|(start, _)| *start <= i) - 1;
                let run = runs[r].0 + runs[r].1 - i;
                let close = (longest_from[r + 1] >= run)
                    .then(|| runs[r + 1..].iter().find(|(_, length)| *length >= run))
                    .flatten();
                let end = match close {
                    Some((start, _)) => start + run,
                    None => i + run,
                };
                out.extend(&chars[i..end]);
                i = end;
                continue;
            }
            '<' if starts_with(i, "<http://") || starts_with(i, "<https:/") => {
                next_stop = next_stop.max(i);
                while next_stop < chars.len()
                    && !(chars[next_stop] == '>' || chars[next_stop].is_whitespace())
                {
                    next_stop += 1;
                }
                if chars.get(next_stop) == Some(&'>') {
                    out.extend(&chars[i..=next_stop]);
                    i = next_stop + 1;
                    continue;
                }
                out.push_str("&lt;");
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => {
                while closing_brackets.get(next_bracket).is_some_and(|&b| b < i) {
                    next_bracket += 1;
                }
                match closing_brackets.get(next_bracket) {
                    Some(&close) if chars.get(close + 1) == Some(&'(') => {
                        link_closers.insert(close);
                        out.push('[');
                    }
                    _ => out.push_str("\\["),
                }
            }
            ']' if link_closers.contains(&i) => out.push(']'),
            ']' => out.push_str("\\]"),
            'h' if starts_with(i, "http://") || starts_with(i, "https://") => {
                let in_link_target = i >= 2 && chars[i - 1] == '(' && chars[i - 2] == ']';
                let end = chars[i..]
                    .iter()
                    .position(|c| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
                    .map_or(chars.len(), |p| p + i);
                let mut url: String = chars[i..end].iter().collect();
                if in_link_target {
                    out.push_str(&url);
                    i = end;
                    continue;
                }
                while url.ends_with(['.', ',', ';', ':', ')', '!', '?', '\'']) {
                    url.pop();
                }
                out.push('<');
                out.push_str(&url);
                out.push('>');
                i += url.chars().count();
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    fn check(input: &str, expected: &[&str]) {
        assert_eq!(sanitize(input), expected, "{input:?}");
    }

    #[test]
    fn code_blocks_never_become_doctests() {
        check("```\nlet x = 1;\n```", &["```text", "let x = 1;", "```"]);
        check("```rust\nfn f() {}\n```", &["```text", "fn f() {}", "```"]);
        check("```json\n{}\n```", &["```json", "{}", "```"]);
        check(
            "Intro:\n\n    indented code\n",
            &["Intro:", "", "indented code"],
        );
        check("```\nnever closed", &["```text", "never closed", "```"]);
    }

    #[test]
    fn prose_is_escaped() {
        check(
            "See https://example.com/a.",
            &["See <https://example.com/a>."],
        );
        check(
            "A [RFC](https://x.y/z) link",
            &["A [RFC](https://x.y/z) link"],
        );
        check(
            "Values [ACTIVE] or <Tag>",
            &["Values \\[ACTIVE\\] or &lt;Tag&gt;"],
        );
        check("Keep `a <b> [c]` code", &["Keep `a <b> [c]` code"]);
        check(
            "Already <https://x.y> linked",
            &["Already <https://x.y> linked"],
        );
        check("bidi \u{202e}gnp.exe", &["bidi gnp.exe"]);
    }

    #[test]
    fn code_spans_end_at_the_first_run_long_enough() {
        check("`a``b` c", &["`a``b` c"]);
        check("``a` b`` <c>", &["``a` b`` &lt;c&gt;"]);
        check("`open <a> and ``x``", &["`open <a> and ``x``"]);
        check("x ```a```` [b]", &["x ```a```` \\[b\\]"]);
    }

    /// A hostile line cannot make escaping quadratic: each of these took minutes when
    /// every backtick, bracket or autolink searched the rest of the line.
    #[test]
    fn long_hostile_lines_are_escaped_in_one_pass() {
        for unit in ["` ", "`` ` ", "[", "[a](", "<http://", "<https://x ", "]"] {
            let line = unit.repeat(200_000);
            let escaped = sanitize(&line);
            assert_eq!(escaped.len(), 1, "{unit:?}");
            assert!(escaped[0].len() >= line.trim().len(), "{unit:?}");
        }
    }

    #[test]
    fn text_that_sanitizes_to_nothing_still_documents() {
        for text in ["", "   ", "\u{202e}\u{2066}\u{200b}", "\u{0}\u{7}\n\n"] {
            let attrs = super::doc_attrs(text).to_string();
            assert!(attrs.contains("No description."), "{text:?}: {attrs}");
        }
    }

    /// Wire names reach the generator's own doc text: indentation and fences in them must
    /// not make a doctest, nor control characters reach the source.
    #[test]
    fn own_text_cannot_open_code_blocks() {
        let attrs = super::own_doc_attrs(
            "Values of the `x\n\n    std::process::exit(1);\n```rust\n\u{202e}fn f() {}` header.",
        )
        .to_string();
        assert!(!attrs.contains("\"    std"), "{attrs}");
        assert!(attrs.contains("\" std::process::exit(1);\""), "{attrs}");
        assert!(attrs.contains("\" \\\\```rust\""), "{attrs}");
        assert!(
            !attrs.contains("202e") && !attrs.contains('\u{202e}'),
            "{attrs}"
        );
    }

    #[test]
    fn lists_keep_their_continuations() {
        check(
            "* item\ncontinued\n\nafter",
            &["* item", "  continued", "", "after"],
        );
        // GitHub's descriptions put three spaces after the marker.
        check(
            "*   item\ncontinued\n10.  ten\nmore",
            &["*   item", "    continued", "10.  ten", "     more"],
        );
    }
}
