//! The command line: arguments → checked configuration → run → exit code. Data and JSON go to
//! stdout; progress and messages to stderr.

mod args;
mod audit;
mod build;
mod eval;
mod output;
mod release_tools;
mod rules;
mod segment;
mod verify;

pub use args::Cli;
use args::Command;
use clap::Parser;
use std::ffi::OsString;

/// Finished, all good.
pub const EXIT_OK: u8 = 0;
/// Finished, with problems worth a look (quarantined inputs, audit warnings, a too-small version bump).
pub const EXIT_PROBLEMS: u8 = 1;
/// Failed: nothing was published.
pub const EXIT_FAILED: u8 = 2;

/// Runs the command line and returns the process exit code. Errors are printed once, as a chain.
pub fn main(args: impl IntoIterator<Item = OsString>) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_FAILED } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if output::is_broken_pipe(&e) {
                return EXIT_OK;
            }
            eprintln!("claimset: error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            EXIT_FAILED
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        None => build::run(args::DefaultBuild::parse_from(["claimset"]).args),
        Some(Command::Build(a)) => build::run(a),
        Some(Command::Segment(a)) => segment::run_segment(a),
        Some(Command::Label(a)) => segment::run_label(a),
        Some(Command::Verify(a)) => verify::run(a),
        Some(Command::Merge(a)) => build::run_merge(a),
        Some(Command::Diff(a)) => release_tools::run_diff(a),
        Some(Command::Export(a)) => release_tools::run_export(a),
        Some(Command::Hydrate(a)) => release_tools::run_hydrate(a),
        Some(Command::Rules(c)) => rules::run(c),
        Some(Command::Eval(a)) => eval::run(a),
        Some(Command::Audit(a)) => audit::run(a),
    }
}
