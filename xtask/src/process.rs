//! The one way xtask runs a server (the sandbox, the token proxy, the CDN, a whole demo): spawned
//! with its stdout forwarded under its name, waited for until it says it is ready, and always
//! stopped when dropped, so every exit path (errors, panics) stops it.
//!
//! Each server prints one readiness line on stdout once it listens; [`Process::start`] waits for
//! exactly that line (with an upper bound so a broken build cannot hang CI) instead of sleeping.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::util::{Result, describe};

/// How long a process may linger after SIGTERM on drop before it is killed.
const TERM_PATIENCE: Duration = Duration::from_secs(5);
/// How long Ctrl-C ([`Process::interrupt`]) waits for a clean exit.
const INTERRUPT_PATIENCE: Duration = Duration::from_secs(20);

/// A running child process; dropping it stops it (SIGTERM, then SIGKILL if it lingers).
pub struct Process {
    name: &'static str,
    child: Child,
    /// The rest of the readiness line (after the prefix): where the process listens. Empty for a
    /// process started with [`Process::spawn`].
    pub address: String,
}

impl Process {
    /// Spawns `command` with its stdout forwarded line by line as `[name] …` (stderr is inherited)
    /// and waits up to `within` for the first line starting with `ready_prefix`; that line is not
    /// forwarded, its rest becomes [`Process::address`].
    pub fn start(
        name: &'static str,
        command: Command,
        ready_prefix: &str,
        within: Duration,
    ) -> Result<Process> {
        let (mut process, ready) = launch(name, command, Some(ready_prefix.to_string()))?;
        match ready.recv_timeout(within) {
            Ok(address) => {
                process.address = address;
                Ok(process)
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                Err(format!("{name} did not report ready within {within:?}"))
            }
            // Its stdout closed without the line: it has exited, or is about to.
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Err(match process.wait_for_exit(TERM_PATIENCE) {
                    Some(status) => format!(
                        "{name} exited before it was ready ({status}); its errors are above"
                    ),
                    None => format!(
                        "{name} closed its output before it was ready; its errors are above"
                    ),
                })
            }
        }
    }

    /// Spawns `command` without waiting for anything (the caller decides when it is ready), with
    /// its stdout forwarded as in [`Process::start`].
    pub fn spawn(name: &'static str, command: Command) -> Result<Process> {
        launch(name, command, None).map(|(process, _)| process)
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The exit status once the process has exited; None while it runs.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Ctrl-C, as a user stops it; true when the process then exits successfully. (If it
    /// lingers, dropping it still terminates it.)
    pub fn interrupt(mut self) -> bool {
        self.signal("-INT");
        self.wait_for_exit(INTERRUPT_PATIENCE)
            .is_some_and(|status| status.success())
    }

    /// Sends `signal` (`-INT`, `-TERM`) to the process.
    fn signal(&self, signal: &str) {
        let _ = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status();
    }

    /// Polls for the exit status for up to `patience` (std has no wait with a time limit).
    fn wait_for_exit(&mut self, patience: Duration) -> Option<ExitStatus> {
        let step = Duration::from_millis(100);
        for _ in 0..=patience.as_millis() / step.as_millis() {
            if let Some(status) = self.exited() {
                return Some(status);
            }
            std::thread::sleep(step);
        }
        None
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if self.exited().is_none() {
            // SIGTERM first so the servers shut down gracefully; SIGKILL if they linger.
            self.signal("-TERM");
            if self.wait_for_exit(TERM_PATIENCE).is_none() {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
    }
}

/// Spawns `command` and a thread that forwards its stdout, keeping the pipe drained so the child
/// never blocks on it. With `ready_prefix`, the rest of the first line that starts with it is sent
/// on the returned channel instead of being printed.
fn launch(
    name: &'static str,
    mut command: Command,
    ready_prefix: Option<String>,
) -> Result<(Process, mpsc::Receiver<String>)> {
    command.stdout(Stdio::piped()).stdin(Stdio::null());
    let mut child = command
        .spawn()
        .map_err(|e| format!("could not start {name} (`{}`): {e}", describe(&command)))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut ready = ready_prefix.map(|prefix| (prefix, tx));
        for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
            if let Some((prefix, _)) = &ready
                && let Some(rest) = line.strip_prefix(prefix.as_str())
            {
                let rest = rest.trim().to_string();
                if let Some((_, tx)) = ready.take() {
                    let _ = tx.send(rest);
                }
                continue;
            }
            println!("[{name}] {line}");
        }
    });
    let process = Process {
        name,
        child,
        address: String::new(),
    };
    Ok((process, rx))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    #[test]
    fn the_readiness_line_gives_the_address() {
        let mut process = Process::start(
            "echo",
            shell("echo starting; echo 'ready at http://127.0.0.1:1 '; exec sleep 60"),
            "ready at ",
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(process.address, "http://127.0.0.1:1");
        assert_eq!(process.exited(), None);
    }

    #[test]
    fn an_exit_before_the_readiness_line_is_reported_at_once() {
        let error = match Process::start(
            "quitter",
            shell("exit 3"),
            "ready ",
            Duration::from_secs(60),
        ) {
            Ok(_) => panic!("a process that never printed its readiness line was taken as ready"),
            Err(error) => error,
        };
        assert!(
            error.starts_with("quitter exited before it was ready"),
            "{error}"
        );
    }

    #[test]
    fn a_silent_process_times_out() {
        let error = match Process::start(
            "mute",
            shell("exec sleep 60"),
            "ready ",
            Duration::from_millis(200),
        ) {
            Ok(_) => panic!("a process that printed nothing was taken as ready"),
            Err(error) => error,
        };
        assert_eq!(error, "mute did not report ready within 200ms");
    }

    #[test]
    fn dropping_stops_the_process() {
        let process = Process::spawn("sleeper", shell("exec sleep 60")).unwrap();
        let pid = process.pid();
        drop(process);
        let alive = Command::new("kill")
            .args(["-0", &pid.to_string()])
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success();
        assert!(!alive, "process {pid} still runs after drop");
    }

    #[test]
    fn interrupt_is_a_clean_ctrl_c() {
        let process = Process::start(
            "trap",
            shell("trap 'exit 0' INT; echo ready; while :; do sleep 0.05; done"),
            "ready",
            Duration::from_secs(10),
        )
        .unwrap();
        assert!(process.interrupt());
    }
}
