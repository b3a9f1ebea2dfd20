//! `claimset audit RELEASE`: recomputes the audit of a published release and prints it (a table, or
//! `--json`), optionally writing the HTML report elsewhere. Never writes into the release. Exits 0
//! (pass), 1 (warn) or 2 (fail), as the spec's `[audit]` gates decide.

use super::{EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS};
use crate::audit::{AuditOptions, Status, audit, render_html, render_summary, to_json};
use crate::manifest::Manifest;
use anyhow::{Context, bail};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Release directory (OUT/NAME/VERSION).
    pub release: PathBuf,
    /// Print the audit as JSON (the bytes of the release's `audit.json`; with --gold, plus `gold`).
    #[arg(long)]
    pub json: bool,
    /// Also write the HTML report to PATH (anywhere but inside the release).
    #[arg(long, value_name = "PATH")]
    pub html: Option<PathBuf>,
    /// Gold file (labeling guide format) for per-rule precision and the votes each rule gets wrong.
    #[arg(long, value_name = "FILE")]
    pub gold: Option<PathBuf>,
    /// Worker threads (default: all cores). The report does not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

pub fn run(args: AuditArgs) -> anyhow::Result<u8> {
    let release = &args.release;
    let manifest = Manifest::read(release)?;
    if let Some(html) = &args.html {
        refuse_inside(release, html)?;
    }
    let mut options = AuditOptions {
        gold: args.gold.clone(),
        ..Default::default()
    };
    match args.threads {
        Some(0) => bail!("--threads must be at least 1"),
        Some(n) => options.threads = n,
        None => {}
    }
    let report = audit(release, &manifest, &options)
        .with_context(|| format!("auditing {}", release.display()))?;
    let stored = std::fs::read(release.join(crate::audit::AUDIT_JSON)).ok();
    let same_as_stored = stored.as_ref().map(|bytes| {
        let mut plain = report.clone();
        plain.gold = None;
        &to_json(&plain) == bytes
    });
    if let Some(html) = &args.html {
        std::fs::write(html, render_html(&report))
            .with_context(|| format!("writing {}", html.display()))?;
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        out.write_all(&to_json(&report))?;
    } else {
        out.write_all(render_summary(&report).as_bytes())?;
        let note = match same_as_stored {
            Some(true) => "the release's audit.json is identical to this audit".to_string(),
            Some(false) => "the release's audit.json differs from this audit (made by another claimset version?)".to_string(),
            None => "the release has no audit.json".to_string(),
        };
        writeln!(out, "\n  {note}")?;
        if let Some(html) = &args.html {
            writeln!(out, "  HTML report: {}", html.display())?;
        }
    }
    Ok(match report.status {
        Status::Pass => EXIT_OK,
        Status::Warn => EXIT_PROBLEMS,
        Status::Fail => EXIT_FAILED,
    })
}

/// `--html` may not point into the release (published releases are never modified).
fn refuse_inside(release: &Path, html: &Path) -> anyhow::Result<()> {
    let release = release
        .canonicalize()
        .with_context(|| format!("{}", release.display()))?;
    let parent = match html.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let parent = parent
        .canonicalize()
        .with_context(|| format!("--html {}: its directory does not exist", html.display()))?;
    if parent.starts_with(&release) {
        bail!(
            "--html {}: that is inside the release; a published release is never modified (write the report elsewhere)",
            html.display()
        );
    }
    Ok(())
}
