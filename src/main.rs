//! The `claimset` binary: parse arguments, run, map the result to an exit code (0 ok, 1 finished
//! with problems, 2 failed).

use std::process::ExitCode;

fn main() -> ExitCode {
    let code = claimset::cli::main(std::env::args_os());
    ExitCode::from(code)
}
