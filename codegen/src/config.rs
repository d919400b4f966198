//! What a run is asked to do ([`Config`]) and what it did ([`Generated`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::diagnostics::Diagnostics;
use crate::filter::Filter;
use crate::load::Reach;
use crate::model::Api;
use crate::output::File;
use crate::write::Change;

/// One run of the generator: what to read, what to keep, and where the output goes.
///
/// Build one with [`Config::spec`] (a description becomes a standalone crate) or
/// [`Config::workspace`] (every description of a project's `specs/` becomes a module of
/// its `generated` crate), then adjust it with the builder methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub source: Source,
    /// The directory the output is written to, or compared with in [`Mode::Check`];
    /// `None` keeps it in memory ([`Generated::files`]).
    pub out: Option<PathBuf>,
    pub mode: Mode,
    /// The operations to keep (a standalone crate only); everything by default.
    pub filter: Filter,
    /// Which files `$ref`s may reach.
    pub reach: Reach,
    /// Fail, writing nothing, when the description gives any warning.
    pub deny_warnings: bool,
    /// The command that regenerates the output, named in the header of every file;
    /// `cargo xtask codegen …` with this run's options by default.
    pub command: Option<String>,
}

/// What a run reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// One description (OpenAPI 3.0/3.1 or Swagger 2.0, YAML or JSON), which becomes a
    /// standalone crate named `name`.
    Spec { path: PathBuf, name: String },
    /// A description already in memory; `path` names it in diagnostics and headers,
    /// and `$ref`s to other files are read relative to it.
    Text {
        path: PathBuf,
        text: String,
        name: String,
    },
    /// Every description (`*.yaml`, `*.yml`, `*.json`) in `root/specs/`, each a module of
    /// the crate `root/generated/`.
    Workspace { root: PathBuf },
}

impl Source {
    /// The description, or the project, read: what diagnostics of the whole run name.
    pub fn path(&self) -> &Path {
        match self {
            Source::Spec { path, .. } | Source::Text { path, .. } => path,
            Source::Workspace { root } => root,
        }
    }
}

/// Whether a run writes its output or only compares it with what is there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Write,
    /// Change nothing; report in [`Generated::changes`] what `Write` would change.
    Check,
}

impl Config {
    /// A standalone crate from the description at `path`, named after its file stem,
    /// kept in memory until [`Config::out`] says where to write it.
    pub fn spec(path: impl Into<PathBuf>) -> Config {
        let path = path.into();
        let name = package_name(&path);
        Config::new(Source::Spec { path, name })
    }

    /// A standalone crate from `text`, a description said to be at `path`.
    pub fn text(path: impl Into<PathBuf>, text: impl Into<String>) -> Config {
        let path = path.into();
        let name = package_name(&path);
        Config::new(Source::Text {
            path,
            text: text.into(),
            name,
        })
    }

    /// The `generated` crate of the project at `root`, from its `specs/`, written to
    /// `root/generated/`.
    pub fn workspace(root: impl Into<PathBuf>) -> Config {
        let root = root.into();
        let out = root.join("generated");
        Config {
            out: Some(out),
            ..Config::new(Source::Workspace { root })
        }
    }

    fn new(source: Source) -> Config {
        Config {
            source,
            out: None,
            mode: Mode::Write,
            filter: Filter::all(),
            reach: Reach::Directory,
            deny_warnings: false,
            command: None,
        }
    }

    /// Writes the output to `dir` (or, with [`Config::check`], compares it with `dir`).
    pub fn out(mut self, dir: impl Into<PathBuf>) -> Config {
        self.out = Some(dir.into());
        self
    }

    /// Names the standalone crate's package.
    pub fn name(mut self, name: impl Into<String>) -> Config {
        match &mut self.source {
            Source::Spec { name: own, .. } | Source::Text { name: own, .. } => {
                *own = name.into();
            }
            Source::Workspace { .. } => {}
        }
        self
    }

    /// Changes nothing: [`Generated::changes`] lists what a write would change.
    pub fn check(mut self) -> Config {
        self.mode = Mode::Check;
        self
    }

    /// Keeps only the operations `filter` selects, and the types they reach.
    pub fn filter(mut self, filter: Filter) -> Config {
        self.filter = filter;
        self
    }

    /// Lets `$ref`s reach the files `reach` allows.
    pub fn reach(mut self, reach: Reach) -> Config {
        self.reach = reach;
        self
    }

    /// Fails on warnings too.
    pub fn deny_warnings(mut self, deny: bool) -> Config {
        self.deny_warnings = deny;
        self
    }

    /// Names `command` in headers as the way to regenerate the output.
    pub fn command(mut self, command: impl Into<String>) -> Config {
        self.command = Some(command.into());
        self
    }
}

/// A package name from a file name: its stem in kebab-case (`camunda-users`).
fn package_name(path: &Path) -> String {
    crate::output::module_name(path).replace('_', "-")
}

/// What a successful run produced.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Every file of the output, relative to its root, sorted by path.
    pub files: Vec<File>,
    /// What the run wrote or removed (in [`Mode::Check`]: would write or remove);
    /// empty when the output is kept in memory or was already current.
    pub changes: Vec<Change>,
    /// What the generator guessed or dropped; see [`Diagnostics::summary`].
    pub warnings: Diagnostics,
    pub timings: Timings,
    /// The lowered model of each description read, in order: for tools that want to
    /// know what a type or operation became.
    pub models: Vec<Api>,
}

/// Where a run spent its time, stage by stage.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Reading and parsing the files, and resolving which ones `$ref`s reach.
    pub load: Duration,
    /// Lowering into the model, and filtering.
    pub lower: Duration,
    /// Building tokens.
    pub emit: Duration,
    /// Parsing the tokens and printing them with `prettyplease`.
    pub format: Duration,
    /// Writing (or comparing) the files.
    pub write: Duration,
}
