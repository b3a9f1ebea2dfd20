use super::EXIT_OK;
use super::args::VerifyArgs;
use super::output::print_json;
use anyhow::bail;
use std::io::Write;

pub fn run(args: VerifyArgs) -> anyhow::Result<u8> {
    let report = crate::verify::verify(&args.release)?;
    if args.rebuild {
        bail!("--rebuild is not available yet");
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        print_json(
            &mut out,
            &serde_json::json!({"ok": true, "files": report.files, "rows": report.rows, "content_sha256": report.content_sha256}),
        )?;
    } else {
        writeln!(
            out,
            "ok: {} ({} files, {} rows, content sha256:{})",
            args.release.display(),
            report.files,
            report.rows,
            report.content_sha256
        )?;
    }
    Ok(EXIT_OK)
}
