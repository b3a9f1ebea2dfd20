//! The `claimset` binary: parse arguments, run, map the result to an exit code (0 ok, 1 finished
//! with problems, 2 failed).

use std::process::ExitCode;

// glibc's malloc fragments under the pipeline's many short-lived per-thread strings (15% of CPU
// in profiles, and freed memory kept); mimalloc is faster there and returns memory.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its position in `mi_option_t`, v2 and v3 alike).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Freed memory goes back to the OS at once instead of after mimalloc's default delay (1 s):
    // a build's phases (process, audit, verify) each free what the last one used, and with the
    // delay every phase's peak stacks on the previous one's (about 290 MB instead of 210 MB on
    // the real corpus, `benches/pipeline.sh`).
    // SAFETY: set before any other thread exists; mi_option_set only stores the value.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    let code = claimset::cli::main(std::env::args_os());
    ExitCode::from(code)
}
