//! Stage 2, segment (interim version, replaced by the Arabic-aware segmenter).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SentenceKind {
    Headline,
    Dateline,
    Byline,
    Body,
}

impl SentenceKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            SentenceKind::Headline => "headline",
            SentenceKind::Dateline => "dateline",
            SentenceKind::Byline => "byline",
            SentenceKind::Body => "body",
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Sentence,
    Clause,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub byte_start: usize,
    pub byte_end: usize,
    pub char_start: usize,
    pub char_end: usize,
    pub kind: SentenceKind,
}

#[derive(Debug, Clone)]
pub struct Segmenter {
    unit: Unit,
}

impl Segmenter {
    pub fn new(unit: Unit) -> Self {
        Segmenter { unit }
    }
    pub fn unit(&self) -> Unit {
        self.unit
    }
    pub fn segment(&self, text: &str) -> Vec<Sentence> {
        let mut spans = Vec::new();
        let mut start = 0;
        let bytes = text.as_bytes();
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            let brk = c == '\n'
                || (matches!(c, '.' | '!' | '?' | '؟' | '…')
                    && bytes.get(end).is_none_or(|b| b.is_ascii_whitespace()));
            if brk {
                spans.push((start, if c == '\n' { i } else { end }));
                start = end;
            }
        }
        spans.push((start, text.len()));
        let multi_line = text.trim().contains('\n');
        let mut out: Vec<Sentence> = Vec::new();
        for (s, e) in spans {
            let piece = &text[s..e];
            let trimmed = piece.trim();
            if trimmed.is_empty() {
                continue;
            }
            let bs = s + (piece.len() - piece.trim_start().len());
            let be = bs + trimmed.len();
            let kind = if out.is_empty() && multi_line {
                SentenceKind::Headline
            } else {
                SentenceKind::Body
            };
            out.push(Sentence {
                byte_start: bs,
                byte_end: be,
                char_start: text[..bs].chars().count(),
                char_end: text[..be].chars().count(),
                kind,
            });
        }
        out
    }
}
