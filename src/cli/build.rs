//! `claimset build`: arguments and spec → a checked `BuildConfig` → a release and its summary.

use super::args::BuildArgs;
use super::output::print_json;
use super::{EXIT_OK, EXIT_PROBLEMS};
use crate::read::{FieldMap, Limits};
use crate::release::{BuildConfig, BuildReport, Publication, build};
use crate::spec::{self, Spec};
use crate::write::WriterSettings;
use anyhow::{Context, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the bundled sample spec lives: the working directory's `datasets/sample`, else the source tree's.
pub fn default_spec() -> PathBuf {
    let local = PathBuf::from("datasets/sample");
    if local.join("dataset.toml").exists() {
        local
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/sample")
    }
}

/// Checks the raw arguments and the spec and resolves every path: no work starts before this holds.
pub fn config(args: &BuildArgs) -> anyhow::Result<BuildConfig> {
    let mut adhoc_roots: Option<Vec<PathBuf>> = None;
    let (spec, spec_path, base) = if args.inputs.is_empty() {
        let given = args.spec.clone().unwrap_or_else(default_spec);
        let (spec, file) = Spec::load(&given)?;
        let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let spec_path = file
            .is_relative()
            .then(|| file.to_string_lossy().replace('\\', "/"));
        (spec, spec_path, base)
    } else {
        let name = args.name.clone().context("an ad hoc build needs --name")?;
        let version = args
            .dataset_version
            .clone()
            .context("an ad hoc build needs --version")?;
        // Canonical, machine-independent: relative inputs as given, absolute ones by their last
        // component (rebuild them with --input), sorted so the order on the command line is moot.
        let mut inputs: Vec<String> = args.inputs.iter().map(|p| recorded_input(p)).collect();
        inputs.sort();
        inputs.dedup();
        let mut roots: Vec<(String, PathBuf)> = args
            .inputs
            .iter()
            .map(|p| (recorded_input(p), p.clone()))
            .collect();
        roots.sort();
        roots.dedup_by(|a, b| a.0 == b.0);
        adhoc_roots = Some(roots.into_iter().map(|(_, p)| p).collect::<Vec<_>>());
        let spec = Spec {
            name,
            version,
            parent: None,
            description: String::new(),
            license: args.license.clone().unwrap_or_else(|| "unknown".into()),
            citation: String::new(),
            inputs,
            rules: None,
            unit: crate::segment::Unit::Sentence,
            split: Default::default(),
            fields: FieldMap::default(),
            filters: Default::default(),
            audit: Default::default(),
        };
        (spec, None, PathBuf::new())
    };
    let mut spec = spec;
    if let Some(unit) = args.unit {
        spec.unit = unit.into();
    }
    spec::check_name(&spec.name).map_err(anyhow::Error::msg)?;
    spec::check_version(&spec.version).map_err(anyhow::Error::msg)?;
    spec.split.check().map_err(anyhow::Error::msg)?;
    let roots: Vec<PathBuf> = match adhoc_roots {
        Some(roots) => roots,
        None => spec.inputs.iter().map(|i| base.join(i)).collect(),
    };
    for root in &roots {
        if !root.exists() {
            bail!("input {} does not exist", root.display());
        }
    }
    let rules_dir = spec.rules.as_ref().map(|r| base.join(r));
    let threads = match args.threads {
        Some(0) => bail!("--threads must be at least 1"),
        Some(n) => n,
        None => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
    };
    if args.max_article_bytes == 0 || args.max_article_bytes > u32::MAX as usize / 2 {
        bail!("--max-article-bytes must be between 1 and {}", u32::MAX / 2);
    }
    Ok(BuildConfig {
        spec,
        spec_path,
        roots,
        rules_dir,
        out_dir: args.out.clone(),
        threads,
        on_error: args.on_error,
        limits: Limits {
            max_article_bytes: args.max_article_bytes,
        },
        without_text: args.without_text,
        writer: WriterSettings::default(),
        shard: args.shard,
        progress: !args.quiet,
    })
}

/// How an ad hoc input is recorded in the manifest's spec.
fn recorded_input(path: &Path) -> String {
    if path.is_absolute() {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        path.to_string_lossy().replace('\\', "/")
    }
}

pub fn run(args: BuildArgs) -> anyhow::Result<u8> {
    let config = config(&args)?;
    let report = build(&config).with_context(|| {
        format!(
            "building {} {} (nothing was published)",
            config.spec.name, config.spec.version
        )
    })?;
    print_summary(&report, args.json, args.quiet)?;
    Ok(exit_code(&report))
}

/// 1 when inputs were quarantined or the release's audit warns (its gates are on stderr), else 0.
fn exit_code(report: &BuildReport) -> u8 {
    let audit = crate::audit::read_stored(&report.path).ok().flatten();
    let warned = audit
        .as_ref()
        .is_some_and(|a| a.status == crate::audit::Status::Warn);
    if let Some(a) = audit.as_ref().filter(|_| warned) {
        eprintln!(
            "claimset: audit warnings: {}",
            crate::audit::missed_gates(a).join("; ")
        );
    }
    if report.manifest.quarantined.is_empty() && !warned {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    }
}

pub fn run_merge(args: super::args::MergeArgs) -> anyhow::Result<u8> {
    // One directory holding `I-of-N` shard results stands for all of them.
    let mut dirs = Vec::new();
    for dir in &args.shards {
        if dir.join(crate::manifest::MANIFEST_FILE).exists() {
            dirs.push(dir.clone());
            continue;
        }
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.join(crate::manifest::MANIFEST_FILE).exists())
            .collect();
        found.sort();
        if found.is_empty() {
            bail!(
                "{}: neither a shard result nor a directory of shard results",
                dir.display()
            );
        }
        dirs.extend(found);
    }
    let report = crate::release::merge(&dirs, &args.out)
        .context("merging shards (nothing was published)")?;
    print_summary(&report, args.json, args.quiet)?;
    Ok(exit_code(&report))
}

pub fn print_summary(report: &BuildReport, json: bool, quiet: bool) -> anyhow::Result<()> {
    let m = &report.manifest;
    let total = m.totals();
    let status = match report.publication {
        Publication::Published => "published",
        Publication::AlreadyPublished => "already_published",
    };
    let mut out = std::io::stdout().lock();
    if json {
        let value = serde_json::json!({
            "status": status,
            "path": report.path,
            "name": m.dataset.name,
            "version": m.dataset.version,
            "articles": total.articles,
            "sentences": total.rows,
            "splits": m.splits.iter().map(|s| (s.split.clone(), s.rows)).collect::<std::collections::BTreeMap<_, _>>(),
            "stance": total.stance,
            "stances": total.stances,
            "abstain": total.abstain,
            "quarantined": m.quarantined.len(),
            "content_sha256": m.content_sha256,
        });
        return print_json(&mut out, &value);
    }
    if quiet {
        return Ok(());
    }
    let verb = match report.publication {
        Publication::Published => "built",
        Publication::AlreadyPublished => "already published (identical content, nothing changed):",
    };
    writeln!(
        out,
        "{verb} {} {} → {}",
        m.dataset.name,
        m.dataset.version,
        report.path.display()
    )?;
    let splits: Vec<String> = m
        .splits
        .iter()
        .map(|s| format!("{} {}", s.split, s.rows))
        .collect();
    writeln!(
        out,
        "  articles   {}\n  sentences  {} ({})",
        total.articles,
        total.rows,
        splits.join(", ")
    )?;
    let labels: Vec<String> = ["cooperation", "threat", "reassurance"]
        .iter()
        .map(|l| format!("{l} {}", total.stances.get(*l).copied().unwrap_or(0)))
        .collect();
    writeln!(
        out,
        "  stances    {}; none {} (of which abstain {})",
        labels.join(", "),
        total.stance.get("none").copied().unwrap_or(0),
        total.abstain
    )?;
    if !m.quarantined.is_empty() {
        writeln!(
            out,
            "  quarantined {} input problem(s), listed in manifest.json",
            m.quarantined.len()
        )?;
    }
    writeln!(out, "  content    sha256:{}", m.content_sha256)?;
    Ok(())
}
