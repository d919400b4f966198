//! Diagnostics: every problem the generator reports names the file, the JSON pointer of
//! the offending node and what is wrong, so a user can find it without reading our code.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in a description, or while writing the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The description (or output file) the problem is in.
    pub file: PathBuf,
    /// JSON pointer of the offending node, `#/paths/~1users/post/responses/409`;
    /// empty when the problem is with the file as a whole.
    pub pointer: String,
    /// What is wrong, as one sentence.
    pub message: String,
}

impl Diagnostic {
    pub fn new(file: &Path, pointer: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if !self.pointer.is_empty() {
            write!(f, " at {}", self.pointer)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// All problems of a run, reported together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    pub fn one(file: &Path, pointer: &str, message: impl Into<String>) -> Self {
        Diagnostic::new(file, pointer, message).into()
    }
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Error {
            diagnostics: vec![diagnostic],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.diagnostics.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
