//! Doc comments from description text. Markdown is kept, but made safe for rustdoc and
//! clippy in the user's crate: code blocks never become doctests, stray `<Tag>`s and
//! `[brackets]` are escaped, bare URLs become links, and invisible or bidirectional
//! control characters are dropped.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = " line"]` attributes for `text`, one per line.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = sanitize(text);
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
pub fn own_doc_attrs(text: &str) -> TokenStream {
    let attrs = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
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

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}' | '\u{feff}')
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

/// Width of a list marker (`* `, `- `, `+ `, `1. `) at the start of `line`.
fn list_marker_width(line: &str) -> Option<usize> {
    if line.starts_with("* ") || line.starts_with("- ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && line[digits..].starts_with(". ")).then_some(digits + 2)
}

/// Escapes what rustdoc would misread in one line of prose; code spans stay verbatim.
fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut link_closers: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..].iter().take(8).collect();
        match c {
            '`' => {
                let run = chars[i..].iter().take_while(|c| **c == '`').count();
                let ticks: String = "`".repeat(run);
                let after: String = chars[i + run..].iter().collect();
                match after.find(&ticks) {
                    Some(end) => {
                        out.push_str(&ticks);
                        out.push_str(&after[..end + run]);
                        i += run + after[..end + run].chars().count();
                    }
                    None => {
                        out.push_str(&ticks);
                        i += run;
                    }
                }
                continue;
            }
            '<' if rest.starts_with("<http://") || rest.starts_with("<https:/") => {
                let end = chars[i..]
                    .iter()
                    .position(|c| *c == '>' || c.is_whitespace());
                if let Some(end) = end.filter(|end| chars[i + end] == '>') {
                    out.extend(&chars[i..=i + end]);
                    i += end + 1;
                    continue;
                }
                out.push_str("&lt;");
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => {
                let close = chars[i..].iter().position(|c| *c == ']').map(|p| p + i);
                match close {
                    Some(close) if chars.get(close + 1) == Some(&'(') => {
                        link_closers.push(close);
                        out.push('[');
                    }
                    _ => out.push_str("\\["),
                }
            }
            ']' if link_closers.contains(&i) => out.push(']'),
            ']' => out.push_str("\\]"),
            'h' if rest.starts_with("http://") || rest.starts_with("https://") => {
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
    fn lists_keep_their_continuations() {
        check(
            "* item\ncontinued\n\nafter",
            &["* item", "  continued", "", "after"],
        );
    }
}
