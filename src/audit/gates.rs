//! The spec's `[audit]` gates → the audit's status.

use super::report::{Audit, Gate, Status};
use crate::spec::AuditThresholds;

fn gate(gate: &str, value: f64, bound: &str, limit: f64) -> Gate {
    let ok = if bound == "max" {
        value <= limit
    } else {
        value >= limit
    };
    Gate {
        gate: gate.to_string(),
        value,
        bound: bound.to_string(),
        limit,
        ok,
    }
}

/// Every gate in a fixed order (schema first, then the spec's in field order) and the status.
pub(crate) fn evaluate(a: &Audit, t: &AuditThresholds) -> (Vec<Gate>, Status) {
    let schema_problems: u64 =
        a.schema.violations.values().sum::<u64>() + u64::from(!a.schema.article_table);
    let mut gates = vec![gate(
        "schema_violations",
        schema_problems as f64,
        "max",
        0.0,
    )];
    let all = a.labels.splits.iter().find(|s| s.split == "all");
    let max: [(&str, Option<f64>, Option<f64>); 15] = [
        (
            "max_duplicate_article_rate",
            t.max_duplicate_article_rate,
            Some(a.articles.duplicate_rate),
        ),
        (
            "max_empty_article_rate",
            t.max_empty_article_rate,
            Some(a.articles.empty_rate),
        ),
        (
            "max_sentence_leakage_rate",
            t.max_sentence_leakage_rate,
            Some(a.leakage.rate),
        ),
        (
            "max_label_conflict_rate",
            t.max_label_conflict_rate,
            Some(a.label_conflicts.rate),
        ),
        (
            "max_near_duplicate_article_rate",
            t.max_near_duplicate_article_rate,
            Some(a.articles.near.rate),
        ),
        (
            "max_duplicate_sentence_rate",
            t.max_duplicate_sentence_rate,
            Some(a.sentences.duplicate_rate),
        ),
        (
            "max_near_duplicate_sentence_rate",
            t.max_near_duplicate_sentence_rate,
            Some(a.sentences.near.rate),
        ),
        (
            "max_article_leakage_rate",
            t.max_article_leakage_rate,
            Some(a.leakage.articles.rate),
        ),
        (
            "max_empty_sentence_rate",
            t.max_empty_sentence_rate,
            Some(a.sentences.empty_rate),
        ),
        (
            "max_short_sentence_rate",
            t.max_short_sentence_rate,
            Some(a.sentences.short_rate),
        ),
        (
            "max_long_sentence_rate",
            t.max_long_sentence_rate,
            Some(a.sentences.long_rate),
        ),
        (
            "max_abstain_rate",
            t.max_abstain_rate,
            all.map(|s| s.abstain_rate),
        ),
        (
            "max_class_imbalance",
            t.max_class_imbalance,
            Some(a.labels.imbalance.ratio),
        ),
        (
            "max_rule_conflict_rate",
            t.max_rule_conflict_rate,
            Some(a.rules.conflict_rate),
        ),
        (
            "max_label_drift",
            t.max_label_drift,
            // Only when the parent release was found.
            a.drift
                .found
                .then(|| a.drift.label_jsd.get("all").copied())
                .flatten(),
        ),
    ];
    // Spec field order: the first four, then min_examples_per_label, then the rest.
    for (k, (name, limit, value)) in max.iter().enumerate() {
        if k == 4
            && let Some(min) = t.min_examples_per_label
        {
            gates.push(gate(
                "min_examples_per_label",
                a.labels.min_examples.count as f64,
                "min",
                min as f64,
            ));
        }
        if let (Some(limit), Some(value)) = (limit, value) {
            gates.push(gate(name, *value, "max", *limit));
        }
    }
    let status = if gates.iter().all(|g| g.ok) {
        Status::Pass
    } else if t.fail.unwrap_or(false) {
        Status::Fail
    } else {
        Status::Warn
    };
    (gates, status)
}
