//! Normalization of Arabic (and Latin) text for matching.
//!
//! The stored text is never changed: [`normalize`] returns a [`Normalized`] string made for
//! matching plus a map from every normalized byte back to the source byte it came from, so a
//! match found in the normalized text is reported at its exact place in the source.
//!
//! What is done, in one pass over the input (table-driven for ASCII and the Arabic block
//! U+0600–U+06FF; anything else goes through NFKC one code point at a time and is then folded by
//! the same table — since every mark that NFKC could compose across code points is removed or
//! folded anyway, this gives the same result as whole-string NFKC followed by folding):
//! - NFKC (presentation forms ﻻ ﺍﻟ… become plain letters, full-width Latin becomes ASCII, …);
//! - removed: harakat and other Arabic combining marks (U+064B–U+065F), superscript alef
//!   (U+0670), tatweel (U+0640), Quranic annotation marks (U+0610–U+061A, U+06D6–U+06ED),
//!   zero-width and bidi controls (U+200B–U+200F, U+202A–U+202E, U+2060–U+2069, U+FEFF,
//!   U+061C, U+00AD);
//! - folded: أ إ آ ٱ → ا; ى ی → ي; ة → ه; ؤ → و; ئ → ي; ک گ → ك; ڤ → ف; پ → ب; چ → ج; ژ → ز;
//!   Arabic-Indic and Persian digits → ASCII digits; ASCII letters → lower case;
//! - every run of whitespace becomes one ASCII space (so multi-word entries match across
//!   line breaks and double spaces).

use unicode_normalization::UnicodeNormalization;

/// Text normalized for matching, with a byte map back to the source.
///
/// The map is stored sparsely: `breaks` holds `(normalized_offset, source_offset)` pairs at
/// every place where the offset delta changes; in between, normalized byte `i` comes from source
/// byte `src + (i - norm)` of the last break before it. [`Normalized::source_offset`] gives the
/// source byte of any normalized byte at a character boundary.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    breaks: Vec<(u32, u32)>,
    src_len: u32,
}

impl Normalized {
    /// Source byte offset of normalized byte `i` (a char boundary of `text`, or `text.len()`,
    /// which maps to the end of the source).
    pub fn source_offset(&self, i: usize) -> usize {
        if i >= self.text.len() {
            return self.src_len as usize;
        }
        let k = self.breaks.partition_point(|&(n, _)| n as usize <= i);
        if k == 0 {
            return i;
        }
        let (n, s) = self.breaks[k - 1];
        s as usize + (i - n as usize)
    }

    /// Maps a normalized byte range back to the source byte range it came from. The end is the
    /// source position of the next normalized character, so characters removed right after the
    /// range (harakat, marks) are included and the range covers whole graphemes.
    pub fn source_range(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        let s = self.source_offset(start);
        let mut e_idx = end;
        // inside a one-to-many expansion (e.g. a ligature): move to the next source character
        while e_idx < self.text.len() && e_idx > start && self.source_offset(e_idx) <= s {
            e_idx += self.text[e_idx..]
                .chars()
                .next()
                .map(|c| c.len_utf8())
                .unwrap_or(1);
        }
        let e = self.source_offset(e_idx);
        s..e.max(s)
    }
}

// Table entry for the Arabic block: 0 = keep, 1 = remove, otherwise the replacement char.
const KEEP: u32 = 0;
const DROP: u32 = 1;

const fn build_arabic_table() -> [u32; 256] {
    let mut t = [KEEP; 256];
    let mut i = 0x10;
    while i <= 0x1A {
        t[i] = DROP;
        i += 1;
    }
    t[0x1C] = DROP; // arabic letter mark
    let mut i = 0x4B;
    while i <= 0x5F {
        t[i] = DROP;
        i += 1;
    }
    t[0x70] = DROP; // superscript alef
    t[0x40] = DROP; // tatweel
    let mut i = 0xD6;
    while i <= 0xED {
        t[i] = DROP;
        i += 1;
    }
    // Keep the Arabic full stop / signs at 06D4 etc. untouched (0xD4 < 0xD6).
    t[0x22] = 0x0627;
    t[0x23] = 0x0627;
    t[0x25] = 0x0627;
    t[0x71] = 0x0627;
    t[0x49] = 0x064A;
    t[0xCC] = 0x064A;
    t[0x29] = 0x0647;
    t[0x24] = 0x0648;
    t[0x26] = 0x064A;
    t[0xA9] = 0x0643;
    t[0xAF] = 0x0643;
    t[0xA4] = 0x0641;
    t[0x7E] = 0x0628;
    t[0x86] = 0x062C;
    t[0x98] = 0x0632;
    let mut d = 0;
    while d < 10 {
        t[0x60 + d] = '0' as u32 + d as u32;
        t[0xF0 + d] = '0' as u32 + d as u32;
        d += 1;
    }
    t
}

static ARABIC: [u32; 256] = build_arabic_table();

#[inline]
fn is_removed_other(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF | 0x00AD)
}

/// Result of folding one code point: removed, or one char.
#[inline]
fn fold_simple(c: char) -> Option<Option<char>> {
    let u = c as u32;
    if (0x0600..=0x06FF).contains(&u) {
        let r = ARABIC[(u & 0xFF) as usize];
        return Some(match r {
            KEEP => Some(c),
            DROP => None,
            r => char::from_u32(r),
        });
    }
    None
}

/// Normalizes `src` (see the module doc).
pub fn normalize(src: &str) -> Normalized {
    let mut out = Normalized {
        text: String::with_capacity(src.len()),
        breaks: Vec::new(),
        src_len: 0,
    };
    normalize_into(src, &mut out);
    out
}

struct W<'a> {
    out: &'a mut Normalized,
    // identity extrapolation state: last break
    ln: usize,
    ls: usize,
}

impl W<'_> {
    #[inline]
    fn mark(&mut self, src_pos: usize) {
        let n = self.out.text.len();
        if self.ls + (n - self.ln) != src_pos {
            self.out.breaks.push((n as u32, src_pos as u32));
            self.ln = n;
            self.ls = src_pos;
        }
    }
    #[inline]
    fn push_char(&mut self, c: char, src_pos: usize) {
        self.mark(src_pos);
        self.out.text.push(c);
    }
}

/// Same as [`normalize`], reusing `out`'s buffers. One pass; runs of characters that need no
/// change are copied in bulk.
pub fn normalize_into(src: &str, out: &mut Normalized) {
    out.text.clear();
    out.breaks.clear();
    out.src_len = src.len() as u32;
    let bytes = src.as_bytes();
    let n = bytes.len();
    let mut w = W { out, ln: 0, ls: 0 };
    let mut last_space = true; // drop leading whitespace
    let mut run = 0usize; // start of the pending identity run
    let mut i = 0;
    macro_rules! flush {
        () => {
            if run < i {
                w.mark(run);
                w.out.text.push_str(&src[run..i]);
            }
        };
    }
    while i < n {
        let b = bytes[i];
        if b < 0x80 {
            if b == b' ' {
                if last_space {
                    flush!();
                    run = i + 1;
                } else {
                    last_space = true;
                }
                i += 1;
                continue;
            }
            if b.is_ascii_whitespace() {
                flush!();
                if !last_space {
                    w.push_char(' ', i);
                    last_space = true;
                }
                i += 1;
                run = i;
                continue;
            }
            last_space = false;
            if b.is_ascii_uppercase() {
                flush!();
                w.push_char(b.to_ascii_lowercase() as char, i);
                i += 1;
                run = i;
                continue;
            }
            i += 1;
            continue;
        }
        if (0xD8..=0xDB).contains(&b) && i + 1 < n {
            let u = (((b & 0x1F) as u32) << 6) | (bytes[i + 1] & 0x3F) as u32;
            let r = ARABIC[(u & 0xFF) as usize];
            if r == KEEP {
                last_space = false;
                i += 2;
                continue;
            }
            flush!();
            if r != DROP {
                if let Some(c) = char::from_u32(r) {
                    w.push_char(c, i);
                    last_space = false;
                }
            }
            i += 2;
            run = i;
            continue;
        }
        flush!();
        let c = src[i..].chars().next().unwrap();
        let clen = c.len_utf8();
        if c.is_whitespace() {
            if !last_space {
                w.push_char(' ', i);
                last_space = true;
            }
        } else if !is_removed_other(c) {
            for d in std::iter::once(c).nfkc() {
                let d = match fold_simple(d) {
                    Some(None) => continue,
                    Some(Some(x)) => x,
                    None => {
                        if is_removed_other(d) {
                            continue;
                        }
                        if d.is_whitespace() {
                            if !last_space {
                                w.push_char(' ', i);
                                last_space = true;
                            }
                            continue;
                        }
                        d.to_ascii_lowercase()
                    }
                };
                w.push_char(d, i);
                last_space = false;
            }
        }
        i += clen;
        run = i;
    }
    flush!();
    // drop one trailing space
    if w.out.text.ends_with(' ') {
        w.out.text.pop();
        let len = w.out.text.len() as u32;
        while w.out.breaks.last().is_some_and(|&(bn, _)| bn >= len) {
            w.out.breaks.pop();
        }
    }
}

/// Normalizes a lexicon or rule string (same function; trims).
pub fn normalize_str(s: &str) -> String {
    normalize(s.trim()).text
}

/// True for characters that are part of a word (token) in normalized text.
#[inline]
pub fn is_word_char(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return c.is_ascii_alphanumeric();
    }
    if (0x0600..=0x06FF).contains(&u) {
        return matches!(u, 0x0621..=0x064A | 0x0660..=0x0669 | 0x066E..=0x066F | 0x0671..=0x06D3 | 0x06D5 | 0x06EE..=0x06FF);
    }
    c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_maps() {
        let s = " أَكَّدَ  الرئيسُ\u{200f} ـالروسيّة ۱۲٣\n";
        let n = normalize(s);
        assert_eq!(n.text, "اكد الرييس الروسيه 123");
        let p = n.text.find("الروسيه").unwrap();
        let r = n.source_range(p, p + "الروسيه".len());
        assert_eq!(&s[r], "الروسيّة");
    }

    #[test]
    fn presentation_forms() {
        let s = "ﺍلاﻧﻘﻼﺑﻴﻮﻥ ﺩﻭﻟﺔ";
        let n = normalize(s);
        assert_eq!(n.text, "الانقلابيون دوله");
        let r = n.source_range(0, n.text.find(' ').unwrap());
        assert_eq!(&s[r], "ﺍلاﻧﻘﻼﺑﻴﻮﻥ");
    }

    #[test]
    fn persian_letters() {
        assert_eq!(normalize("ڤلاديمير گ پ چ ژ ی ک").text, "فلاديمير ك ب ج ز ي ك");
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;
    #[test]
    fn map_every_char_boundary() {
        let s = "  Hello\u{064E}  ﻻ عالم\t\tأبو ظبي ٱلله ";
        let n = normalize(s);
        assert_eq!(n.text, "hello لا عالم ابو ظبي الله");
        for (i, _) in n.text.char_indices() {
            let o = n.source_offset(i);
            assert!(s.is_char_boundary(o), "{i} -> {o}");
        }
        let p = n.text.find("ابو").unwrap();
        assert_eq!(&s[n.source_range(p, p + "ابو ظبي".len())], "أبو ظبي");
    }
}
