//! Diagnostics: every problem the generator finds names the file, the JSON pointer of
//! the offending node, what is wrong and, where it helps, what to do. Problems are
//! collected, not thrown: a stage pushes each one into a [`Diagnostics`] and goes on, so
//! one run reports everything wrong with a description, and the run fails at the end of
//! the stage if any of them is an error.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// No meaning can be given to the input; nothing is written.
    Error,
    /// The generator guessed or dropped something; the output is still written, unless
    /// the caller denies warnings.
    Warning,
}

/// What kind of problem a diagnostic is: warnings are counted and grouped by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// A file cannot be read or written.
    Io,
    /// The text is not JSON or YAML, or not a description of a supported version.
    Syntax,
    /// A `$ref` that is refused, dangling, or part of a cycle.
    Reference,
    /// A node has the wrong type or an impossible value for its place in the format.
    Structure,
    /// Two things of the description may not share a name (`operationId`s).
    Duplicate,
    /// A schema that cannot become a Rust type (it is only itself).
    Schema,
    /// A command-line or library option that cannot be honoured.
    Option,
    /// A settings file (`*.codegen.toml`) or setting that is wrong, or asks for what
    /// cannot be (a derive a field's type cannot satisfy).
    Settings,
    /// An overlay that is malformed or does not apply.
    Overlay,
    /// A `type` that is not one of the format's types: the value is read as any JSON.
    UnknownType,
    /// A `format` the generator does not know: the plain type of `type` is used.
    UnknownFormat,
    /// A keyword whose value has the wrong type: it is ignored.
    IgnoredKeyword,
    /// A header parameter the request writes itself (`Accept`, `Content-Type` and
    /// `Authorization` in OpenAPI 3.x, `Content-Length`, `Host` …): never sent.
    IgnoredParameter,
    /// Something of the description the generator cannot express and leaves out.
    Unsupported,
    /// The generator itself failed: a bug to report.
    Internal,
}

impl DiagnosticKind {
    /// A short name for the kind, as printed in summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticKind::Io => "io",
            DiagnosticKind::Syntax => "syntax",
            DiagnosticKind::Reference => "reference",
            DiagnosticKind::Structure => "structure",
            DiagnosticKind::Duplicate => "duplicate",
            DiagnosticKind::Schema => "schema",
            DiagnosticKind::Option => "option",
            DiagnosticKind::Settings => "settings",
            DiagnosticKind::Overlay => "overlay",
            DiagnosticKind::UnknownType => "unknown-type",
            DiagnosticKind::UnknownFormat => "unknown-format",
            DiagnosticKind::IgnoredKeyword => "ignored-keyword",
            DiagnosticKind::IgnoredParameter => "ignored-parameter",
            DiagnosticKind::Unsupported => "unsupported",
            DiagnosticKind::Internal => "internal",
        }
    }
}

/// One problem found in a description, or while writing the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether the problem fails the run.
    pub severity: Severity,
    /// What kind of problem it is.
    pub kind: DiagnosticKind,
    /// The description (or output file) the problem is in; `None` for a problem of the
    /// run as a whole.
    pub file: Option<PathBuf>,
    /// JSON pointer of the offending node, `#/paths/~1users/post/responses/409`;
    /// empty when the problem is with the file as a whole.
    pub pointer: String,
    /// What is wrong, as one sentence.
    pub message: String,
    /// What to do about it, when the message alone does not say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error of `kind` at `pointer` in `file`.
    pub fn error(
        kind: DiagnosticKind,
        file: &Path,
        pointer: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind,
            file: Some(file.to_path_buf()),
            pointer: pointer.to_owned(),
            message: message.into(),
            hint: None,
        }
    }

    /// An error of `kind` of the run as a whole, in no file.
    pub fn run_error(kind: DiagnosticKind, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind,
            file: None,
            pointer: String::new(),
            message: message.into(),
            hint: None,
        }
    }

    /// A warning of `kind` at `pointer` in `file`.
    pub fn warning(
        kind: DiagnosticKind,
        file: &Path,
        pointer: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(kind, file, pointer, message)
        }
    }

    /// The same diagnostic with `hint`.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether the problem is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}: ")?;
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if !self.pointer.is_empty() {
                write!(f, " at {}", self.pointer)?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// The problems of a run: the accumulator every stage pushes into, and what a failed run
/// returns. Errors and warnings live together in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No problem yet.
    pub fn new() -> Self {
        Diagnostics::default()
    }

    /// Adds a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.list.push(diagnostic);
    }

    /// Takes every problem of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }

    /// The value of `result`, or `None` after taking its problems: how a stage goes on
    /// past one failed part to find the problems of the others.
    pub fn absorb<T>(&mut self, result: Result<T, Diagnostics>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problems) => {
                self.extend(problems);
                None
            }
        }
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Diagnostic::is_error)
    }

    /// Whether there is no problem at all.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// How many problems there are, errors and warnings.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Every problem, in the order they were found.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.list.iter()
    }

    /// The errors, in the order they were found.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter().filter(|d| d.is_error())
    }

    /// The warnings, in the order they were found.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter().filter(|d| !d.is_error())
    }

    /// Ends a stage: `value` with the warnings so far when nothing is an error, else
    /// every problem. One bad node reached from several places is reported once.
    pub fn finish<T>(mut self, value: T) -> Result<(T, Diagnostics), Diagnostics> {
        let mut seen = std::collections::BTreeSet::new();
        self.list
            .retain(|d| seen.insert((d.file.clone(), d.pointer.clone(), d.message.clone())));
        if self.has_errors() {
            Err(self)
        } else {
            Ok((value, self))
        }
    }

    /// The warnings counted and grouped by kind, each group with its first `shown` in
    /// full: what a successful run prints, so a long list does not bury the output.
    pub fn summary(&self, shown: usize) -> String {
        let mut groups: BTreeMap<DiagnosticKind, Vec<&Diagnostic>> = BTreeMap::new();
        for warning in self.warnings() {
            groups.entry(warning.kind).or_default().push(warning);
        }
        let total: usize = groups.values().map(Vec::len).sum();
        if total == 0 {
            return String::new();
        }
        let plural = if total == 1 { "" } else { "s" };
        let mut out = format!("{total} warning{plural}:\n");
        for (kind, list) in &groups {
            out.push_str(&format!("  {} ({}):\n", kind.as_str(), list.len()));
            for warning in list.iter().take(shown) {
                for line in warning.to_string().lines() {
                    out.push_str(&format!("    {line}\n"));
                }
            }
            if list.len() > shown {
                out.push_str(&format!("    … and {} more\n", list.len() - shown));
            }
        }
        out
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics {
            list: vec![diagnostic],
        }
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            list: iter.into_iter().collect(),
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.list.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// What a stage returns: its value, or every problem it found.
pub type Result<T, E = Diagnostics> = std::result::Result<T, E>;

thread_local! {
    /// The node of the description being worked on, for the report of a panic.
    static WORKING_ON: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Records that the node at `pointer` is being worked on: a panic from here on is
/// reported there.
pub(crate) fn working_on(pointer: &str) {
    WORKING_ON.with(|at| {
        let mut at = at.borrow_mut();
        at.clear();
        at.push_str(pointer);
    });
}

/// Runs `work`, turning a panic (a bug of the generator, never the description's fault)
/// into an error that names `file` and the node [`working_on`] last recorded, so no
/// input can crash a caller of the library.
pub(crate) fn guard<T>(file: &Path, work: impl FnOnce() -> Result<T>) -> Result<T> {
    working_on("");
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
    outcome.unwrap_or_else(|payload| {
        let cause = payload
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned());
        let pointer = WORKING_ON.with(|at| at.borrow().clone());
        Err(Diagnostic::error(
            DiagnosticKind::Internal,
            file,
            &pointer,
            format!("the generator failed here ({cause}); this is a bug in the generator, not in the description"),
        )
        .with_hint("please report it with the description; nothing was written")
        .into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_groups_warnings_by_kind_and_shows_the_first() {
        let file = Path::new("api.yaml");
        let mut all = Diagnostics::new();
        for index in 0..4 {
            all.push(Diagnostic::warning(
                DiagnosticKind::UnknownFormat,
                file,
                &format!("#/components/schemas/S{index}"),
                "unknown format `money`",
            ));
        }
        all.push(
            Diagnostic::warning(
                DiagnosticKind::UnknownType,
                file,
                "#/x",
                "`type: text` is not a type",
            )
            .with_hint("use `string`"),
        );
        let (_, warnings) = all.finish(()).unwrap();
        let summary = warnings.summary(2);
        assert!(summary.starts_with("5 warnings:\n"), "{summary}");
        assert!(summary.contains("unknown-format (4)"), "{summary}");
        assert!(summary.contains("… and 2 more"), "{summary}");
        assert!(summary.contains("hint: use `string`"), "{summary}");
    }

    #[test]
    fn a_panic_becomes_an_internal_error_at_the_node_worked_on() {
        let problems = guard(Path::new("api.yaml"), || -> Result<()> {
            working_on("#/components/schemas/Expression");
            let empty: Vec<usize> = Vec::new();
            let _ = empty[usize::from(empty.is_empty())];
            Ok(())
        })
        .unwrap_err();
        let only = problems.iter().next().unwrap();
        assert_eq!(only.kind, DiagnosticKind::Internal);
        assert_eq!(only.pointer, "#/components/schemas/Expression");
        assert!(only.message.contains("index out of bounds"), "{only}");
        assert!(only.message.contains("a bug in the generator"), "{only}");
    }

    #[test]
    fn an_error_fails_the_stage_and_duplicates_are_reported_once() {
        let file = Path::new("api.yaml");
        let mut all = Diagnostics::new();
        for _ in 0..2 {
            all.push(Diagnostic::error(
                DiagnosticKind::Reference,
                file,
                "#/a",
                "dangling",
            ));
        }
        let problems = all.finish(()).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems.to_string(), "error: api.yaml at #/a: dangling");
    }
}
