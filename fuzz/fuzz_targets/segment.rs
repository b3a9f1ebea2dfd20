//! Fuzzes `claimset::segment::Segmenter` against its contract on arbitrary UTF-8 input.
//! Run: `cargo +nightly fuzz run segment` (from the repository root).
#![no_main]

use claimset::segment::{Segmenter, Unit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for unit in [Unit::Sentence, Unit::Clause] {
        let out = Segmenter::new(unit).segment(text);
        let mut prev = 0usize;
        for s in &out {
            assert!(s.byte_start < s.byte_end, "empty sentence");
            assert!(s.byte_start >= prev, "overlap or disorder");
            let piece = &text[s.byte_start..s.byte_end];
            assert_eq!(piece.trim(), piece, "surrounding whitespace");
            assert!(text[prev..s.byte_start].chars().all(char::is_whitespace), "uncovered text");
            assert_eq!(text[..s.byte_start].chars().count(), s.char_start);
            assert_eq!(text[..s.byte_end].chars().count(), s.char_end);
            prev = s.byte_end;
        }
        assert!(text[prev..].chars().all(char::is_whitespace), "uncovered tail");
    }
});
