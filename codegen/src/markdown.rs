//! Markdown: text of the description shown verbatim inside the docs and messages the
//! generator writes, whatever it holds.

/// `text` (a wire name, a path, a value) as a Markdown code span that shows it verbatim,
/// whatever it holds: the fence is one backtick longer than any run inside, a space pads a
/// backtick or space at either end, and control or invisible characters show as escapes,
/// so no newline, link, tag or fence of the text can reach the doc around it. The empty
/// text shows as `""`, which reads better than an empty span.
pub fn code(text: &str) -> String {
    if text.is_empty() {
        return "`\"\"`".to_owned();
    }
    let mut shown = String::with_capacity(text.len() + 4);
    let (mut run, mut longest) = (0, 0);
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
        if c.is_control() || is_invisible(c) {
            shown.extend(c.escape_unicode());
        } else {
            shown.push(c);
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if shown.starts_with(['`', ' ']) || shown.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{shown}{pad}{fence}")
}

/// Characters that change how text around them shows without showing themselves: bidi
/// controls, zero-width characters and the byte-order mark.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::code;

    #[test]
    fn code_spans_show_any_text_verbatim() {
        assert_eq!(code("x-request-id"), "`x-request-id`");
        assert_eq!(code(""), "`\"\"`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code(" padded "), "`  padded  `");
        assert_eq!(code("[x](y) <b>"), "`[x](y) <b>`");
        assert_eq!(code("a\nb\u{202e}"), "`a\\u{a}b\\u{202e}`");
    }
}
