//! Split assignment: by article, from a keyed hash of the article's fingerprint.
//!
//! Guarantees: an article's split depends only on the seed, the ratios and its own fingerprint, so
//! adding articles never moves an existing one, and articles with the same fingerprint (duplicates)
//! always share a split: nothing leaks across splits by duplication.

use sha2::{Digest, Sha256};

pub const SPLITS: [&str; 3] = ["train", "validation", "test"];

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitConfig {
    #[serde(default = "default_seed")]
    pub seed: String,
    /// Fractions for train, validation and test; they must sum to 1.
    #[serde(default = "default_ratios")]
    pub ratios: [f64; 3],
}

fn default_seed() -> String {
    "claimset".to_string()
}

fn default_ratios() -> [f64; 3] {
    [0.8, 0.1, 0.1]
}

impl Default for SplitConfig {
    fn default() -> Self {
        SplitConfig {
            seed: default_seed(),
            ratios: default_ratios(),
        }
    }
}

impl SplitConfig {
    pub fn check(&self) -> Result<(), String> {
        let sum: f64 = self.ratios.iter().sum();
        if self.ratios.iter().any(|r| !r.is_finite() || *r < 0.0) || (sum - 1.0).abs() > 1e-9 {
            return Err(format!(
                "split ratios must be three non-negative numbers summing to 1, got {:?}",
                self.ratios
            ));
        }
        Ok(())
    }

    /// The split of an article with this fingerprint: the first 8 bytes of
    /// sha256("split" ‖ 0 ‖ seed ‖ 0 ‖ fingerprint) as a big-endian u64, compared against the
    /// cumulative ratios scaled to 2^64.
    pub fn assign(&self, fingerprint: &[u8; 32]) -> usize {
        let point = keyed_point(b"split", self.seed.as_bytes(), fingerprint);
        let mut bound = 0.0;
        for (i, ratio) in self.ratios.iter().enumerate() {
            bound += ratio;
            if (point as f64) < bound * 18_446_744_073_709_551_616.0 {
                return i;
            }
        }
        // Rounding can leave the last sliver unassigned; it belongs to the last non-empty split.
        self.ratios.iter().rposition(|r| *r > 0.0).unwrap_or(0)
    }
}

/// A keyed 64-bit point for `key`: used for splits and for shards.
pub fn keyed_point(domain: &[u8], seed: &[u8], key: &[u8]) -> u64 {
    let mut h = Sha256::new();
    h.update(domain);
    h.update([0]);
    h.update(seed);
    h.update([0]);
    h.update(key);
    let digest = h.finalize();
    u64::from_be_bytes(digest[..8].try_into().expect("sha256 has 32 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_are_respected_roughly() {
        let config = SplitConfig::default();
        let mut counts = [0usize; 3];
        for i in 0u32..10_000 {
            let fp: [u8; 32] = Sha256::digest(i.to_le_bytes()).into();
            counts[config.assign(&fp)] += 1;
        }
        assert!((7700..8300).contains(&counts[0]), "{counts:?}");
        assert!((800..1200).contains(&counts[1]), "{counts:?}");
        assert!((800..1200).contains(&counts[2]), "{counts:?}");
    }

    #[test]
    fn zero_ratio_splits_stay_empty() {
        let config = SplitConfig {
            seed: "s".into(),
            ratios: [1.0, 0.0, 0.0],
        };
        for i in 0u32..1000 {
            let fp: [u8; 32] = Sha256::digest(i.to_le_bytes()).into();
            assert_eq!(config.assign(&fp), 0);
        }
    }

    #[test]
    fn bad_ratios_are_refused() {
        let config = SplitConfig {
            seed: "s".into(),
            ratios: [0.5, 0.5, 0.5],
        };
        assert!(config.check().is_err());
    }
}
