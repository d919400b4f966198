//! The plan of the output: the files a run asks for ([`Planned`]), from the descriptions
//! read and lowered ([`Described`]), and the command their headers name.

use super::layout::{standalone_crate, workspace_crate, Crate, Described};
use super::planned::Planned;
use crate::config::{Config, Reach, Runtime, Source};
use crate::diagnostics::Result;
use crate::settings::Settings;

/// The files of the output `config` asks for, from the descriptions read with
/// `settings` (those of `config`, read from its file if it names one).
pub fn plan<'a>(
    config: &Config,
    settings: &'a Settings,
    described: &'a [Described],
) -> Result<Vec<Planned<'a>>> {
    match &config.source {
        Source::Spec { name, .. } | Source::Text { name, .. } => {
            let command = config
                .command
                .clone()
                .unwrap_or_else(|| spec_command(config, name));
            let krate = Crate {
                name,
                command: &command,
                runtime: &config.runtime,
                settings,
            };
            standalone_crate(&described[0], &krate)
        }
        Source::Workspace { root } => {
            let command = config
                .command
                .clone()
                .unwrap_or_else(|| "cargo xtask codegen".to_owned());
            Ok(workspace_crate(described, root, &command))
        }
    }
}

/// `cargo xtask codegen` with the options of a standalone run, for headers.
fn spec_command(config: &Config, name: &str) -> String {
    let shown = config.source.path().display();
    let mut flags = config.filter.flags();
    if config.reach == Reach::AnyFile {
        flags.push_str(" --allow-outside-refs");
    }
    if let Runtime::Path(path) = &config.runtime {
        flags.push_str(&format!(" --runtime-path {}", path.display()));
    }
    if let Some(file) = &config.settings_file {
        flags.push_str(&format!(" --settings {}", file.display()));
    }
    format!("cargo xtask codegen --spec {shown} --out <DIR> --name {name}{flags}")
}
