//! Drift against the parent release (`manifest.dataset.parent`), read from `../<parent version>`
//! beside the release: rows and articles per split, Jensen-Shannon divergence of the `stance`
//! distribution, rule coverage.

use super::load;
use super::report::*;
use crate::error::Result;
use crate::manifest::{Manifest, SplitStats};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const LABELS: [&str; 4] = ["cooperation", "threat", "reassurance", "none"];

/// Jensen-Shannon divergence, base 2 (0 = same distribution, 1 = disjoint), of two count maps over
/// [`LABELS`]. 0 when both are empty, 1 when only one is.
pub fn jensen_shannon(p: &BTreeMap<String, u64>, q: &BTreeMap<String, u64>) -> f64 {
    let get = |m: &BTreeMap<String, u64>| -> Vec<f64> {
        LABELS
            .iter()
            .map(|l| m.get(*l).copied().unwrap_or(0) as f64)
            .collect()
    };
    let (p, q) = (get(p), get(q));
    let (sp, sq): (f64, f64) = (p.iter().sum(), q.iter().sum());
    if sp == 0.0 || sq == 0.0 {
        return if sp == sq { 0.0 } else { 1.0 };
    }
    let mut js = 0.0;
    for k in 0..LABELS.len() {
        let (a, b) = (p[k] / sp, q[k] / sq);
        let m = (a + b) / 2.0;
        if a > 0.0 {
            js += 0.5 * a * (a / m).log2();
        }
        if b > 0.0 {
            js += 0.5 * b * (b / m).log2();
        }
    }
    round(js.clamp(0.0, 1.0))
}

fn shares(m: &BTreeMap<String, u64>) -> BTreeMap<String, f64> {
    let total: u64 = LABELS.iter().map(|l| m.get(*l).copied().unwrap_or(0)).sum();
    LABELS
        .iter()
        .map(|l| (l.to_string(), rate(m.get(*l).copied().unwrap_or(0), total)))
        .collect()
}

pub(crate) fn check(
    release: &Path,
    manifest: &Manifest,
    labels: &LabelReport,
    rules: &RuleReport,
) -> Result<DriftReport> {
    let mut report = DriftReport {
        parent: manifest.dataset.parent.clone(),
        found: false,
        note: None,
        rows: Vec::new(),
        label_jsd: BTreeMap::new(),
        labels_parent: BTreeMap::new(),
        labels_current: BTreeMap::new(),
        rules: Vec::new(),
    };
    let Some(parent) = &manifest.dataset.parent else {
        report.note = Some("no parent release declared".into());
        return Ok(report);
    };
    let dir = release.join("..").join(parent);
    if !dir.join(crate::manifest::MANIFEST_FILE).exists() {
        report.note = Some(format!(
            "parent release {parent} not found beside this release (../{parent})"
        ));
        return Ok(report);
    }
    let pm = match Manifest::read(&dir) {
        Ok(m) => m,
        Err(e) => {
            report.note = Some(format!("parent release {parent} is unreadable: {e}"));
            return Ok(report);
        }
    };
    if pm.dataset.name != manifest.dataset.name {
        report.note = Some(format!(
            "../{parent} holds dataset `{}`, not `{}`",
            pm.dataset.name, manifest.dataset.name
        ));
        return Ok(report);
    }
    report.found = true;
    let parent_total = pm.totals();
    let parent_split = |name: &str| -> SplitStats {
        if name == "all" {
            return parent_total.clone();
        }
        pm.splits
            .iter()
            .find(|s| s.split == name)
            .cloned()
            .unwrap_or_default()
    };
    for s in &labels.splits {
        let ps = parent_split(&s.split);
        report.rows.push(RowDrift {
            split: s.split.clone(),
            parent_rows: ps.rows,
            rows: s.sentences,
            parent_articles: ps.articles,
            articles: s.articles,
        });
        report
            .label_jsd
            .insert(s.split.clone(), jensen_shannon(&ps.stance, &s.stance));
        if s.split == "all" {
            report.labels_parent = shares(&ps.stance);
            report.labels_current = shares(&s.stance);
        }
    }
    let (rows, coverage) = load::rule_coverage(&dir, &pm)?;
    let mut codes: BTreeSet<String> = coverage.keys().cloned().collect();
    codes.extend(rules.rules.iter().map(|r| r.rule.clone()));
    for code in codes {
        let parent_coverage = rate(coverage.get(&code).copied().unwrap_or(0), rows);
        let current = rules
            .rules
            .iter()
            .find(|r| r.rule == code)
            .map(|r| r.coverage)
            .unwrap_or(0.0);
        report.rules.push(RuleDrift {
            rule: code,
            parent_coverage,
            coverage: current,
            delta: round(current - parent_coverage),
        });
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn jensen_shannon_bounds() {
        let a = m(&[("threat", 5), ("none", 5)]);
        assert_eq!(jensen_shannon(&a, &a), 0.0);
        assert_eq!(
            jensen_shannon(&m(&[("threat", 3)]), &m(&[("none", 7)])),
            1.0
        );
        let js = jensen_shannon(&a, &m(&[("threat", 1), ("none", 9)]));
        assert!(js > 0.0 && js < 1.0, "{js}");
        assert_eq!(jensen_shannon(&m(&[]), &m(&[])), 0.0);
    }
}
