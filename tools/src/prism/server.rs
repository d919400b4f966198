//! Prism, the mock server: installed by `tools/prism/install.sh` (pinned in its lock
//! file), started on 127.0.0.1 on a port the system picks, and stopped when dropped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long Prism may take to read a large description and listen.
const START: Duration = Duration::from_secs(120);

/// A running Prism; dropping it stops it.
pub struct Prism {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// Where its output goes, for a look when something is off.
    pub log: PathBuf,
}

impl Prism {
    /// Installs Prism if needed, starts it on `spec` and waits until it listens.
    pub fn start(root: &Path, spec: &Path, log: PathBuf) -> Result<Prism, String> {
        let tools = root.join("tools/prism");
        let install = Command::new(tools.join("install.sh"))
            .status()
            .map_err(|e| format!("cannot run tools/prism/install.sh: {e}"))?;
        if !install.success() {
            return Err("tools/prism/install.sh failed".to_owned());
        }
        let mut child = Command::new(tools.join("node_modules/.bin/prism"))
            .args(["mock", "-h", "127.0.0.1", "-p", "0"])
            .arg(spec)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start Prism: {e}"))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        // Prism logs every request to stdout: a thread keeps reading (into the log file)
        // so the pipe never fills, and hands over the ready line.
        let (ready, wait) = mpsc::channel();
        let log_path = log.clone();
        std::thread::spawn(move || {
            let mut file = std::fs::File::create(&log_path).ok();
            let mut ready = Some(ready);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(file) = &mut file {
                    use std::io::Write as _;
                    let _ = writeln!(file, "{line}");
                }
                if let Some(at) = line.find("Prism is listening on ") {
                    if let Some(ready) = ready.take() {
                        let _ = ready.send(
                            line[at + "Prism is listening on ".len()..]
                                .trim()
                                .to_owned(),
                        );
                    }
                }
            }
        });
        let mut prism = Prism {
            child,
            url: String::new(),
            log,
        };
        match wait.recv_timeout(START) {
            Ok(url) => {
                prism.url = url;
                Ok(prism)
            }
            Err(_) => Err(format!(
                "Prism did not start within {} s; see {}",
                START.as_secs(),
                prism.log.display()
            )),
        }
    }

    /// Whether Prism is still running (some requests crash it).
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
