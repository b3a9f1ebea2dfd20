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
    words: Vec<u32>,
}

impl Normalized {
    /// Start and end byte offsets in [`Normalized::text`] of every word (maximal run of
    /// [`is_word_char`] characters), as consecutive pairs.
    pub fn word_bounds(&self) -> &[u32] {
        &self.words
    }

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
    let mut out = Normalized::default();
    normalize_into(src, &mut out);
    out
}

/// Per-code-point action for U+0600–U+06FF in UTF-8: `[len, b0, b1]`; len 0 = remove,
/// 1 = one ASCII byte (digits), 2 = the two bytes (itself or its folded letter).
const fn build_arabic_utf8() -> [[u8; 3]; 256] {
    let t = build_arabic_table();
    let mut out = [[0u8; 3]; 256];
    let mut i = 0;
    while i < 256 {
        let r = t[i];
        let cp = if r == KEEP { 0x0600 + i as u32 } else { r };
        if r == DROP {
            out[i] = [0, 0, 0];
        } else if cp < 0x80 {
            out[i] = [1, cp as u8, 0];
        } else {
            out[i] = [2, (0xC0 | (cp >> 6)) as u8, (0x80 | (cp & 0x3F)) as u8];
        }
        i += 1;
    }
    out
}

/// Fast-path table, indexed by an ASCII byte (0..128) or by 256 + the low byte of a code point
/// U+0600–U+06FF: bits 0–1 output length, bit 2 whitespace, bit 3 word character (for the
/// output), bits 8–23 the (up to two) output bytes.
const fn build_fast() -> [u32; 512] {
    let mut t = [0u32; 512];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let (out, ws) = if c == b' ' || c == b'\t' || c == b'\n' || c == 0x0C || c == b'\r' {
            (b' ', true)
        } else {
            (c.to_ascii_lowercase(), false)
        };
        let word = out.is_ascii_alphanumeric();
        t[b] = 1 | if ws { 4 } else { 0 } | if word { 8 } else { 0 } | (out as u32) << 8;
        b += 1;
    }
    let ar = build_arabic_utf8();
    let tbl = build_arabic_table();
    let mut i = 0;
    while i < 256 {
        let r = ar[i];
        let cp = if tbl[i] == KEEP {
            0x0600 + i as u32
        } else {
            tbl[i]
        };
        let word = r[0] != 0
            && (cp < 0x80 && ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7A))
                || matches!(cp, 0x0621..=0x064A | 0x0660..=0x0669 | 0x066E..=0x066F | 0x0671..=0x06D3 | 0x06D5 | 0x06EE..=0x06FF));
        t[256 + i] =
            r[0] as u32 | if word { 8 } else { 0 } | (r[1] as u32) << 8 | (r[2] as u32) << 16;
        i += 1;
    }
    t
}

static FAST: [u32; 512] = build_fast();

/// Lead byte kinds: 1 = ASCII, 2 = lead of U+0600–U+06FF (D8–DB), 0 = anything else.
const fn build_lead() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = if b < 0x80 {
            1
        } else if b >= 0xD8 && b <= 0xDB {
            2
        } else {
            0
        };
        b += 1;
    }
    t
}

pub(crate) static LEAD: [u8; 256] = build_lead();

/// Same as [`normalize`], reusing `out`'s buffers; also splits the normalized text into words
/// ([`Normalized::word_bounds`]).
///
/// One pass over the bytes: ASCII and the Arabic block go through one lookup table (folded
/// letters keep their UTF-8 length, so the byte map needs a break only after a removal, a
/// collapsed space or a length change); anything else takes the NFKC path.
pub fn normalize_into(src: &str, out: &mut Normalized) {
    out.text.clear();
    out.breaks.clear();
    out.words.clear();
    out.src_len = src.len() as u32;
    let n = src.len();
    let mut st = St {
        o: 0,
        nb: 0,
        delta: 0,
        last_space: true,
        in_word: false,
    };
    let mut i = 0;
    loop {
        // SAFETY: `buf` and `words` have room for `n - i + 4` more entries (reserved below);
        // every byte kept in `buf` belongs to a whole UTF-8 sequence (ASCII, table letters).
        unsafe {
            let buf = out.text.as_mut_vec();
            buf.reserve(n - i + 4);
            out.words.reserve(n - i + 2);
            i = fast_run(
                src.as_bytes(),
                i,
                &mut st,
                buf.as_mut_ptr(),
                out.words.as_mut_ptr(),
                &mut out.breaks,
            );
            buf.set_len(st.o);
            out.words.set_len(st.nb);
        }
        if i >= n {
            break;
        }
        i = slow_char(src, i, &mut st, out);
    }
    let buf = unsafe { out.text.as_mut_vec() };
    // drop one trailing space
    if buf.last() == Some(&b' ') {
        buf.pop();
        let len = buf.len() as u32;
        while out.breaks.last().is_some_and(|&(bn, _)| bn >= len) {
            out.breaks.pop();
        }
    }
    if out.words.len() % 2 == 1 {
        out.words.push(buf.len() as u32);
    }
}

/// State of the normalizer between characters.
struct St {
    /// output length
    o: usize,
    /// word bounds written
    nb: usize,
    /// source offset - output offset in the current identity stretch
    delta: isize,
    last_space: bool,
    in_word: bool,
}

/// Normalizes ASCII and U+0600–U+06FF from byte `i` on, until the end or another code point;
/// returns where it stopped. Branch-light: one table lookup per character, unconditional writes.
///
/// # Safety
/// `buf` must have room for `bytes.len() - i + 2` bytes after `st.o`, `words` for
/// `bytes.len() - i + 1` entries after `st.nb`.
#[inline(always)]
unsafe fn fast_run(
    bytes: &[u8],
    mut i: usize,
    st: &mut St,
    buf: *mut u8,
    words: *mut u32,
    breaks: &mut Vec<(u32, u32)>,
) -> usize {
    let n = bytes.len();
    let (mut o, mut nb, mut delta, mut last_space, mut in_word) =
        (st.o, st.nb, st.delta, st.last_space, st.in_word);
    while i < n {
        let b0 = unsafe { *bytes.get_unchecked(i) };
        let k = LEAD[b0 as usize] as usize;
        if k == 0 {
            break;
        }
        let b1 = unsafe { *bytes.get_unchecked((i + 1).min(n - 1)) };
        let lo = (((b0 & 0x03) << 6) | (b1 & 0x3F)) as usize;
        let m = 0usize.wrapping_sub(k >> 1); // all ones for the Arabic block
        let idx = ((b0 as usize & !m) | ((256 + lo) & m)) & 511;
        let e = FAST[idx];
        let ws = e & 4 != 0;
        let len = (e & 3) as usize & !(0usize.wrapping_sub((ws & last_space) as usize));
        let w = e & 8 != 0;
        let emit = len != 0;
        unsafe {
            // word boundary: record the offset, keep it when the word-ness changes
            *words.add(nb) = o as u32;
            let p = buf.add(o);
            *p = (e >> 8) as u8;
            *p.add(1) = (e >> 16) as u8;
        }
        nb += ((w != in_word) & emit) as usize;
        in_word = (w & emit) | (in_word & !emit);
        last_space = (ws & emit) | (last_space & !emit);
        if emit && i as isize - o as isize != delta {
            add_break(breaks, o, i);
            delta = i as isize - o as isize;
        }
        o += len;
        i += k;
    }
    *st = St {
        o,
        nb,
        delta,
        last_space,
        in_word,
    };
    i
}

#[cold]
#[inline(never)]
fn add_break(breaks: &mut Vec<(u32, u32)>, o: usize, i: usize) {
    breaks.push((o as u32, i as u32));
}

/// Any other code point at byte `i`: NFKC, then the same folding. Returns the next byte.
#[cold]
#[inline(never)]
fn slow_char(src: &str, i: usize, st: &mut St, out: &mut Normalized) -> usize {
    // SAFETY: whole UTF-8 sequences only
    let buf = unsafe { out.text.as_mut_vec() };
    let c = src[i..].chars().next().unwrap();
    let mut emit = |d: char, st: &mut St| {
        let o = buf.len();
        if i as isize - o as isize != st.delta {
            out.breaks.push((o as u32, i as u32));
            st.delta = i as isize - o as isize;
        }
        let w = is_word_char(d);
        if w != st.in_word {
            out.words.push(o as u32);
            st.in_word = w;
        }
        let mut tmp = [0u8; 4];
        buf.extend_from_slice(d.encode_utf8(&mut tmp).as_bytes());
        st.last_space = d == ' ';
    };
    if c.is_whitespace() {
        if !st.last_space {
            emit(' ', st);
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
                        if !st.last_space {
                            emit(' ', st);
                        }
                        continue;
                    }
                    d.to_ascii_lowercase()
                }
            };
            emit(d, st);
        }
    }
    st.o = buf.len();
    st.nb = out.words.len();
    i + c.len_utf8()
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

#[cfg(test)]
mod word_tests {
    use super::*;

    #[test]
    fn word_bounds_are_word_runs() {
        for s in [
            "  قال، الرئيسُ «بوتين» (2015)ـ  Hello-World ﻻ ١٢ x",
            "",
            "   ",
            "،،",
            "a",
            "ـَ",
            "كلمة ـ كلمة",
        ] {
            let n = normalize(s);
            let mut want = Vec::new();
            let mut st: Option<usize> = None;
            for (i, c) in n.text.char_indices() {
                match (is_word_char(c), st) {
                    (true, None) => st = Some(i),
                    (false, Some(a)) => {
                        want.extend([a as u32, i as u32]);
                        st = None;
                    }
                    _ => {}
                }
            }
            if let Some(a) = st {
                want.extend([a as u32, n.text.len() as u32]);
            }
            assert_eq!(n.word_bounds(), &want[..], "{s:?} → {:?}", n.text);
        }
    }
}
