//! Near-duplicate detection: MinHash signatures, LSH banding, exact Jaccard verification and
//! connected components.
//!
//! - Hashing is claimset's own ([`hash64`]), never `std`'s, so results do not change with the
//!   toolchain. Every seed is a constant: the same items always give the same pairs.
//! - Each item's shingles are hashed to u64; the signature is [`PERMUTATIONS`] 32-bit minimums
//!   (one-permutation MinHash with densification, see [`Signer::band_keys`]), a fixed size whatever
//!   the item. Only the band keys are kept (`bands` u64 per item), so memory is bounded by the item
//!   count.
//! - Banding: `rows` signature values per band, `bands = PERMUTATIONS / rows`, `rows` chosen as the
//!   largest value that still makes a pair at the threshold a candidate with probability ≥ 0.99.
//! - Candidates (items sharing a band key) are checked exactly: Jaccard of their shingle sets ≥ the
//!   threshold. In a bucket, each member is compared with the bucket's first member and with the
//!   member before it (at most two checks per member, so a huge bucket stays linear).
//! - Clusters are the connected components of the verified pairs (union-find, root = smallest index).

use rayon::prelude::*;
use std::collections::HashSet;

/// Signature length.
pub const PERMUTATIONS: usize = 64;

const K1: u64 = 0x9E37_79B9_7F4A_7C15;
const K2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const K3: u64 = 0x1656_67B1_9E37_79F9;

/// murmur3's 64-bit finalizer.
#[inline]
pub fn fmix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// A stable, seeded 64-bit hash of bytes (not cryptographic; stable across platforms and toolchains).
pub fn hash64(bytes: &[u8], seed: u64) -> u64 {
    let mut h = seed ^ (bytes.len() as u64).wrapping_mul(K1);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let v = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = (h ^ v.wrapping_mul(K2).rotate_left(31).wrapping_mul(K1))
            .rotate_left(27)
            .wrapping_mul(5)
            .wrapping_add(0x52dc_e729);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        let v = u64::from_le_bytes(buf);
        h ^= v.wrapping_mul(K3).rotate_left(29).wrapping_mul(K2);
    }
    fmix64(h)
}

/// A 64-bit key for exact-equality grouping. Two different texts share a key with probability
/// about n²/2⁶⁵ over n texts (below 10⁻⁶ for ten million sentences), small enough for a report.
pub fn key64(bytes: &[u8]) -> u64 {
    hash64(bytes, 0x6a09_e667_f3bc_c908)
}

/// A 64-bit key over the whitespace-separated words of `text` joined by one space (the
/// key of the whitespace-collapsed text), without building the collapsed copy when not needed.
pub fn collapsed_key(text: &str, buf: &mut String) -> u64 {
    buf.clear();
    for (i, w) in text.split_whitespace().enumerate() {
        if i > 0 {
            buf.push(' ');
        }
        buf.push_str(w);
    }
    key64(buf.as_bytes())
}

/// LSH banding for a Jaccard threshold (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Banding {
    pub bands: usize,
    pub rows: usize,
}

impl Banding {
    pub fn for_threshold(threshold: f64) -> Banding {
        let mut best = Banding {
            bands: PERMUTATIONS,
            rows: 1,
        };
        for rows in 1..=PERMUTATIONS {
            let bands = PERMUTATIONS / rows;
            let p = 1.0 - (1.0 - threshold.powi(rows as i32)).powi(bands as i32);
            if p >= 0.99 {
                best = Banding { bands, rows };
            }
        }
        best
    }
}

/// Computes the band keys of one item from its shingle hashes; `out` gets `banding.bands` keys.
/// Keys are 32 bits: a chance collision only adds a candidate pair, which verification rejects.
/// An item without shingles gets no keys (it is never a candidate).
pub struct Signer {
    seed: u64,
    dense: u64,
    banding: Banding,
}

impl Signer {
    pub fn new(banding: Banding) -> Signer {
        Signer {
            seed: 0x3c6e_f372_fe94_f82b,
            dense: 0xa54f_f53a_5f1d_36f1,
            banding,
        }
    }

    pub fn bands(&self) -> usize {
        self.banding.bands
    }

    /// The signature is one-permutation MinHash (Li, Owen & Zhang 2012) with optimal densification
    /// (Shrivastava 2017): each shingle is hashed once; the hash's top 6 bits pick one of the 64
    /// bins and its low 32 bits compete for the bin's minimum; an empty bin copies the bin found by
    /// probing a fixed hash sequence until a filled bin is hit. Two items agree on a bin with
    /// probability equal to their Jaccard similarity, as with 64 independent permutations, at the
    /// cost of one hash per shingle instead of 64.
    pub fn band_keys(&self, shingles: &[u64], out: &mut [u32]) {
        const _: () = assert!(
            PERMUTATIONS == 64,
            "bins are picked by 6 bits and tracked in a u64"
        );
        let mut bins = [u32::MAX; PERMUTATIONS];
        let mut filled = 0u64;
        for &x in shingles {
            let h = fmix64(x ^ self.seed);
            let bin = (h >> 58) as usize;
            bins[bin] = bins[bin].min(h as u32);
            filled |= 1 << bin;
        }
        if filled == 0 {
            return;
        }
        let mut sig = bins;
        for (j, slot) in sig.iter_mut().enumerate() {
            if filled & (1 << j) != 0 {
                continue;
            }
            let mut attempt = 1u64;
            loop {
                let b = (fmix64(self.dense ^ ((j as u64) << 32) ^ attempt) >> 58) as usize;
                if filled & (1 << b) != 0 {
                    *slot = bins[b];
                    break;
                }
                attempt += 1;
            }
        }
        let r = self.banding.rows;
        for (band, slot) in out.iter_mut().enumerate().take(self.banding.bands) {
            let mut h = (band as u64).wrapping_mul(K3) ^ K2;
            for &m in &sig[band * r..band * r + r] {
                h = fmix64(h ^ m as u64).wrapping_add(K1);
            }
            *slot = (h >> 32) as u32;
        }
    }
}

/// Exact Jaccard similarity of two sorted, deduplicated hash sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both as f64 / (a.len() + b.len() - both) as f64
}

/// Union-find whose roots are the smallest index of their component.
pub struct Components {
    parent: Vec<u32>,
}

impl Components {
    pub fn new(n: usize) -> Components {
        Components {
            parent: (0..n as u32).collect(),
        }
    }

    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }

    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi as usize] = lo;
        }
    }
}

/// The result of near-duplicate detection over `n` items.
pub struct NearDuplicates {
    /// Items that had shingles (took part).
    pub eligible: u64,
    /// Candidate pairs checked exactly.
    pub candidates: u64,
    /// Verified pairs `(i, j, similarity)` with `i < j`, sorted.
    pub pairs: Vec<(u32, u32, f64)>,
    /// Component root (smallest member) of every item.
    pub root: Vec<u32>,
}

/// Candidate pairs `(i, j)`, `i < j`, sorted and unique: items sharing a band key. `keys(i)` gives
/// item `i`'s band keys, empty for items that take no part. Returns the eligible item count too.
pub fn candidate_pairs<'a, K>(n: usize, keys: K) -> (u64, Vec<(u32, u32)>)
where
    K: Fn(usize) -> &'a [u32] + Sync,
{
    let eligible = (0..n).filter(|&i| !keys(i).is_empty()).count() as u64;
    let bands = (0..n).map(|i| keys(i).len()).max().unwrap_or(0);
    // Each band's pairs come sorted and unique and are merged two by two, so memory holds a few
    // bands' pairs at a time rather than every band's.
    let candidates = (0..bands)
        .into_par_iter()
        .map(|band| {
            let mut entries: Vec<(u32, u32)> = (0..n)
                .filter_map(|i| keys(i).get(band).map(|&k| (k, i as u32)))
                .collect();
            entries.sort_unstable();
            let mut pairs = Vec::new();
            for run in entries.chunk_by(|a, b| a.0 == b.0) {
                let first = run[0].1;
                for m in 1..run.len() {
                    pairs.push((first, run[m].1));
                    if m >= 2 {
                        pairs.push((run[m - 1].1, run[m].1));
                    }
                }
            }
            pairs.sort_unstable();
            pairs.dedup();
            pairs
        })
        .reduce(Vec::new, merge_unique);
    (eligible, candidates)
}

/// The sorted union of two sorted, unique lists.
fn merge_unique(a: Vec<(u32, u32)>, b: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Verifies candidate pairs (sorted by their first item) exactly: the pairs whose shingle sets
/// have Jaccard similarity at least `threshold`, with it.
pub fn verify<F>(candidates: &[(u32, u32)], threshold: f64, shingles: F) -> Vec<(u32, u32, f64)>
where
    F: Fn(u32, &mut Vec<u64>) + Sync,
{
    // The first item's shingles are computed once per group of pairs.
    let groups: Vec<&[(u32, u32)]> = candidates.chunk_by(|x, y| x.0 == y.0).collect();
    groups
        .par_iter()
        .map_init(
            || (Vec::new(), Vec::new()),
            |(a, b), group| {
                a.clear();
                shingles(group[0].0, a);
                sort_dedup(a);
                let mut similar = Vec::new();
                if a.is_empty() {
                    // Its content could not be read back: nothing to compare.
                    return similar;
                }
                for &(i, j) in group.iter() {
                    b.clear();
                    shingles(j, b);
                    sort_dedup(b);
                    if b.is_empty() {
                        continue;
                    }
                    let s = jaccard(a, b);
                    if s >= threshold {
                        similar.push((i, j, s));
                    }
                }
                similar
            },
        )
        .flatten_iter()
        .collect()
}

/// What near-duplicate detection needs of the items besides their band keys: their size, and
/// their shingles, which come from content loaded a batch at a time.
pub trait Items: Sync {
    /// What one batch loads (the items' texts).
    type Batch: Sync;
    /// Bytes the item's content takes once loaded.
    fn size(&self, item: u32) -> u64;
    /// Where the item's content is stored (its row group): pairs are verified in this order, so
    /// that a batch reads few row groups.
    fn block(&self, item: u32) -> u64;
    /// Loads the content of `items` (sorted).
    fn load(&self, items: &[u32]) -> crate::error::Result<Self::Batch>;
    /// Fills `out` with the item's shingle hashes from a batch that holds it.
    fn shingles(&self, batch: &Self::Batch, item: u32, out: &mut Vec<u64>);
}

/// Finds near-duplicates among `n` items with band keys `keys(i)`. Candidate pairs are verified in
/// batches whose items' content fits in `budget` bytes (one load per batch), so memory stays
/// bounded whatever the number of candidates. Runs on the current rayon pool.
pub fn near_duplicates<'a, K, I>(
    n: usize,
    threshold: f64,
    keys: K,
    items: &I,
    budget: u64,
) -> crate::error::Result<NearDuplicates>
where
    K: Fn(usize) -> &'a [u32] + Sync,
    I: Items,
{
    let mut clock = super::Clock::new();
    let (eligible, mut candidates) = candidate_pairs(n, keys);
    let blocks: Vec<u64> = (0..n as u32).map(|i| items.block(i)).collect();
    candidates.par_sort_unstable_by_key(|&(i, j)| (blocks[i as usize], blocks[j as usize], i, j));
    drop(blocks);
    clock.lap("    candidates");
    let mut pairs = Vec::new();
    let mut start = 0;
    let mut members: HashSet<u32> = HashSet::new();
    let (mut batches, mut loading) = (0usize, 0f64);
    while start < candidates.len() {
        members.clear();
        let mut bytes = 0u64;
        let mut end = start;
        while end < candidates.len() {
            let (i, j) = candidates[end];
            let add: u64 = [i, j]
                .iter()
                .filter(|x| !members.contains(x))
                .map(|&x| items.size(x))
                .sum();
            if end > start && bytes + add > budget {
                break;
            }
            members.insert(i);
            members.insert(j);
            bytes += add;
            end += 1;
        }
        let mut sorted: Vec<u32> = members.iter().copied().collect();
        sorted.sort_unstable();
        let t = std::time::Instant::now();
        let batch = items.load(&sorted)?;
        loading += t.elapsed().as_secs_f64();
        pairs.extend(verify(&candidates[start..end], threshold, |item, out| {
            items.shingles(&batch, item, out)
        }));
        batches += 1;
        start = end;
    }
    pairs.sort_by_key(|&(i, j, _)| (i, j));
    clock.lap(&format!(
        "    verification ({batches} batches, {loading:.2} s reading texts)"
    ));
    let mut components = Components::new(n);
    for &(i, j, _) in &pairs {
        components.union(i, j);
    }
    let root = (0..n as u32).map(|i| components.find(i)).collect();
    Ok(NearDuplicates {
        eligible,
        candidates: candidates.len() as u64,
        pairs,
        root,
    })
}

pub fn sort_dedup(v: &mut Vec<u64>) {
    v.sort_unstable();
    v.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<u64> {
        let w: Vec<&str> = s.split_whitespace().collect();
        let mut out: Vec<u64> = w
            .windows(2)
            .map(|p| hash64(p.join(" ").as_bytes(), 1))
            .collect();
        sort_dedup(&mut out);
        out
    }

    #[test]
    fn hash_is_stable() {
        // Fixed values (also computed by an independent Python transcription): a change here
        // changes every audit's near-duplicate results.
        assert_eq!(hash64(b"claimset", 7), 0x2030_ecf6_cb5b_553e);
        assert_eq!(hash64("مرحبا بالعالم".as_bytes(), 0), 0x4d7a_f6ff_e5e3_43c1);
        assert_ne!(hash64(b"a", 0), hash64(b"a", 1));
        assert_ne!(hash64(b"abcdefgh1", 0), hash64(b"abcdefgh2", 0));
    }

    #[test]
    fn banding_reaches_the_threshold() {
        for t in [0.5, 0.7, 0.8, 0.9, 0.95, 1.0] {
            let b = Banding::for_threshold(t);
            let p = 1.0 - (1.0 - t.powi(b.rows as i32)).powi(b.bands as i32);
            assert!(p >= 0.99, "{t}: {b:?}");
        }
        assert_eq!(Banding::for_threshold(0.8), Banding { bands: 12, rows: 5 });
    }

    #[test]
    fn finds_near_duplicates_and_not_others() {
        let items = [
            "the quick brown fox jumps over the lazy dog near the river bank today",
            "completely different words about markets and oil prices in riyadh this week",
            "the quick brown fox jumps over the lazy dog near the river bank today again",
            "another unrelated sentence on football results from the saudi league games",
        ];
        let sets: Vec<Vec<u64>> = items.iter().map(|s| words(s)).collect();
        let signer = Signer::new(Banding::for_threshold(0.8));
        let keys: Vec<Vec<u32>> = sets
            .iter()
            .map(|set| {
                let mut out = vec![0; signer.bands()];
                signer.band_keys(set, &mut out);
                out
            })
            .collect();
        struct Sets(Vec<Vec<u64>>);
        impl Items for Sets {
            type Batch = ();
            fn size(&self, _: u32) -> u64 {
                1
            }
            fn block(&self, item: u32) -> u64 {
                3 - item as u64
            }
            fn load(&self, _: &[u32]) -> crate::error::Result<()> {
                Ok(())
            }
            fn shingles(&self, _: &(), item: u32, out: &mut Vec<u64>) {
                out.extend(&self.0[item as usize]);
            }
        }
        // A budget of one item per batch still finds the pair.
        for budget in [1, 100] {
            let r = near_duplicates(items.len(), 0.8, |i| &keys[i], &Sets(sets.clone()), budget)
                .unwrap();
            assert_eq!(r.pairs.len(), 1);
            assert_eq!((r.pairs[0].0, r.pairs[0].1), (0, 2));
            assert_eq!(r.root, vec![0, 1, 0, 3]);
        }
        let r = near_duplicates(items.len(), 0.8, |i| &keys[i], &Sets(sets.clone()), 10).unwrap();
        assert_eq!(r.pairs.len(), 1);
        assert_eq!((r.pairs[0].0, r.pairs[0].1), (0, 2));
        assert_eq!(r.root, vec![0, 1, 0, 3]);
        assert!((jaccard(&sets[0], &sets[2]) - 13.0 / 14.0).abs() < 1e-9);
    }

    #[test]
    fn a_pair_whose_content_is_missing_is_not_similar() {
        let sets: Vec<Vec<u64>> = vec![vec![], vec![]];
        let pairs = verify(&[(0, 1)], 0.8, |i, out| out.extend(&sets[i as usize]));
        assert!(pairs.is_empty());
    }

    #[test]
    fn components_root_at_the_smallest() {
        let mut c = Components::new(5);
        c.union(4, 2);
        c.union(2, 3);
        c.union(3, 1);
        assert_eq!(
            (0..5).map(|i| c.find(i)).collect::<Vec<_>>(),
            vec![0, 1, 1, 1, 1]
        );
    }
}
