//! Prism, the mock server: installed by `tools/prism/install.sh` (pinned in its lock
//! file), started on 127.0.0.1 on a port the system picks, started again when a request
//! kills it, and stopped when dropped.

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
    /// What it serves, and its program, for a restart.
    spec: PathBuf,
    program: PathBuf,
    /// How many times it was started again.
    pub restarts: usize,
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
        let program = tools.join("node_modules/.bin/prism");
        let (child, url) = launch(&program, spec, &log)?;
        Ok(Prism {
            child,
            url,
            log,
            spec: spec.to_path_buf(),
            program,
            restarts: 0,
        })
    }

    /// Starts Prism again after a request killed it (on another port, which `url` then
    /// names). Its log goes on in a numbered file beside the first.
    pub fn restart(&mut self) -> Result<(), String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.restarts += 1;
        let log = self.log.with_extension(format!("{}.log", self.restarts));
        let (child, url) = launch(&self.program, &self.spec, &log)?;
        self.child = child;
        self.url = url;
        Ok(())
    }

    /// What Prism wrote to standard error so far (why it died, when it did).
    pub fn errors(&self) -> String {
        let current = if self.restarts == 0 {
            self.log.clone()
        } else {
            self.log.with_extension(format!("{}.log", self.restarts))
        };
        std::fs::read_to_string(current.with_extension("stderr")).unwrap_or_default()
    }

    /// Whether Prism is still running (some requests crash it).
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Whether Prism died, asked after a request got no answer: the connection breaks as
    /// Prism crashes, a moment before the process is gone, so it is given that moment.
    /// Asked at once, the request that killed it looked merely unanswered and the next
    /// one was blamed.
    pub fn died(&mut self) -> bool {
        for _ in 0..40 {
            if !self.is_running() {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        false
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts Prism on `spec` with its output in `log`, and waits until it listens.
fn launch(program: &Path, spec: &Path, log: &Path) -> Result<(Child, String), String> {
    // What Prism says when it dies goes to standard error: into the log too.
    let errors = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log.with_extension("stderr"))
        .map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let mut command = Command::new(program);
    // The seed makes the dynamic mock's bodies the same on every run. Node refuses a
    // request whose line and headers pass 16 KiB with 431 before Prism sees it; values
    // at their documented `maxLength` (Chime's 1,600-character ARNs, in the path and a
    // header) pass that, and AWS takes them.
    command
        .env("NODE_OPTIONS", "--max-http-header-size=131072")
        .args(["mock", "-h", "127.0.0.1", "-p", "0", "--seed", "1"])
        .arg(spec)
        .stdout(Stdio::piped())
        .stderr(Stdio::from(errors));
    die_with_parent(&mut command);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start Prism: {e}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    // Prism logs every request to stdout: a thread keeps reading (into the log file) so
    // the pipe never fills, and hands over the ready line.
    let (ready, wait) = mpsc::channel();
    let log_path = log.to_path_buf();
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
                    let url = line[at + "Prism is listening on ".len()..]
                        .trim()
                        .to_owned();
                    let _ = ready.send(url);
                }
            }
        }
    });
    match wait.recv_timeout(START) {
        Ok(url) => Ok((child, url)),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            let _ = child.kill();
            let _ = child.wait();
            Err(format!(
                "Prism did not start within {} s; see {}",
                START.as_secs(),
                log.display()
            ))
        }
        // Its output ended before it listened: Prism stopped, and said why.
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let _ = child.kill();
            let _ = child.wait();
            let said = std::fs::read_to_string(log).unwrap_or_default()
                + &std::fs::read_to_string(log.with_extension("stderr")).unwrap_or_default();
            let last: Vec<&str> = said
                .lines()
                .filter(|line| !line.trim().is_empty())
                .rev()
                .take(3)
                .collect();
            Err(format!(
                "Prism stopped before it listened: {}",
                last.into_iter().rev().collect::<Vec<_>>().join(" / ")
            ))
        }
    }
}

/// Makes the process `command` starts die when the thread that starts it does (Linux's
/// parent-death signal): a run killed by the Prism sweep's timeout, or a test that
/// panicked, leaves no Prism behind.
pub fn die_with_parent(command: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt as _;
        // SAFETY: between fork and exec the closure only calls `prctl`, which is
        // async-signal-safe and touches no memory of the parent's.
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = command;
}

/// What Node's `RegExp` (the engine Prism's ajv compiles patterns with) makes of each
/// pattern: whether it compiles with the `u` flag (as ajv compiles them) and without.
pub fn regexp_compiles(patterns: &[String]) -> Result<Vec<(bool, bool)>, String> {
    use std::io::Write as _;
    const SCRIPT: &str = "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{\
        const ok=(p,f)=>{try{new RegExp(p,f);return true}catch(e){return false}};\
        process.stdout.write(JSON.stringify(JSON.parse(s).map(p=>[ok(p,'u'),ok(p,'')])))})";
    if patterns.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = Command::new("node")
        .args(["-e", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run node: {e}"))?;
    let input = serde_json::to_vec(patterns).map_err(|e| e.to_string())?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    let _ = writer.join();
    if !output.status.success() {
        return Err("node could not check the description's patterns".to_owned());
    }
    let answers: Vec<(bool, bool)> = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("node's answer on the patterns is not JSON: {e}"))?;
    if answers.len() != patterns.len() {
        return Err("node did not answer for every pattern".to_owned());
    }
    Ok(answers)
}
