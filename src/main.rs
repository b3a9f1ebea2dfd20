//! The `claimset` binary: parse arguments, run, map the result to an exit code (0 ok, 1 finished
//! with problems, 2 failed).

use std::process::ExitCode;

// glibc's malloc fragments under the pipeline's many short-lived per-thread strings (15% of CPU
// in profiles, and freed memory kept); mimalloc is faster there and returns memory.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let code = claimset::cli::main(std::env::args_os());
    ExitCode::from(code)
}
