//! Phase timings: with `SCRUTINY_TIMINGS=1` in the environment, each step of a build prints how
//! long it took to stderr, and the memory the process holds at its end (where the system tells
//! it), so a slow or large site can be diagnosed without a profiler.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("SCRUTINY_TIMINGS").is_some_and(|v| v != "0"))
}

/// Times one step; prints `step: N ms` when dropped, if timings are enabled.
pub struct Step {
    name: &'static str,
    started: Instant,
}

impl Step {
    /// Starts timing `name`.
    pub fn start(name: &'static str) -> Step {
        Step {
            name,
            started: Instant::now(),
        }
    }
}

impl Drop for Step {
    fn drop(&mut self) {
        if enabled() {
            let resident = resident_mib()
                .map(|mib| format!(", {mib} MiB resident"))
                .unwrap_or_default();
            eprintln!(
                "timing: {:<28} {:>8.1} ms{resident}",
                self.name,
                self.started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

/// Runs `step`, timed as `name`.
pub fn timed<T>(name: &'static str, step: impl FnOnce() -> T) -> T {
    let _step = Step::start(name);
    step()
}

/// Prints `count: name n`, if timings are enabled: how many things of a kind a build handled
/// (pages rendered, files written, left unchanged, removed).
pub fn count(name: &str, n: usize) {
    if enabled() {
        eprintln!("count: {name} {n}");
    }
}

/// The memory the process holds now (its resident set), in MiB: read from `/proc/self/statm`
/// where there is one (Linux), with 4 KiB pages.
fn resident_mib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4 / 1024)
}
