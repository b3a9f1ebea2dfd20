//! Fuzzes normalize + label on arbitrary UTF-8: the bundled rule set labels the input as one
//! sentence of every kind, alone and after a headline line (so `char_start` is not 0).
//! Run: `cargo +nightly fuzz run label fuzz/corpus/label fuzz/seeds/label` (from the repository root).
//!
//! Checked: no panic; every evidence span lies inside the sentence (article code points); stances
//! and actors are sorted and unique, `stance` is `none` exactly when `stances` is empty; the
//! normalized → source byte map is monotone, lands on char boundaries and stays in range.
#![no_main]

use claimset::label::{RuleSet, Stance};
use claimset::normalize::normalize;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::bundled().expect("the bundled rules load"))
}

fn check_normalize(s: &str) {
    let n = normalize(s);
    let mut prev = 0usize;
    for (i, _) in n.text.char_indices().chain([(n.text.len(), ' ')]) {
        let o = n.source_offset(i);
        assert!(o <= s.len(), "offset {o} past the source ({})", s.len());
        assert!(s.is_char_boundary(o), "offset {o} inside a character");
        assert!(o >= prev, "map not monotone at {i}: {o} < {prev}");
        prev = o;
    }
    assert_eq!(n.source_offset(n.text.len()), s.len());
    let bounds = n.word_bounds();
    assert_eq!(bounds.len() % 2, 0);
    for w in bounds.windows(2) {
        assert!(w[0] <= w[1], "word bounds out of order");
    }
    for w in bounds.chunks_exact(2) {
        let (a, b) = (w[0] as usize, w[1] as usize);
        assert!(b <= n.text.len() && n.text.is_char_boundary(a) && n.text.is_char_boundary(b));
        let r = n.source_range(a, b);
        assert!(r.start <= r.end && r.end <= s.len());
        assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
    }
}

fn check_label(article: &str, start: usize, kind: &str) {
    let cs = article[..start].chars().count();
    let ce = article.chars().count();
    let l = rules().label(article, start, article.len(), cs, kind);
    for e in &l.evidence {
        assert!(
            cs as u32 <= e.char_start && e.char_start <= e.char_end && e.char_end as usize <= ce,
            "evidence {e:?} outside the sentence {cs}..{ce}"
        );
    }
    assert!(l.stances.windows(2).all(|w| w[0] < w[1]), "{:?}", l.stances);
    assert!(l.actors.windows(2).all(|w| w[0] < w[1]), "{:?}", l.actors);
    assert!(!l.stances.contains(&Stance::None));
    assert_eq!(l.stance == Stance::None, l.stances.is_empty(), "{l:?}");
    if !l.stances.is_empty() {
        assert!(l.stances.contains(&l.stance));
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    check_normalize(s);
    let headed = format!("عنوان الخبر\n{s}");
    let start = headed.len() - s.len();
    for kind in ["headline", "dateline", "byline", "body"] {
        check_label(s, 0, kind);
        check_label(&headed, start, kind);
    }
});
