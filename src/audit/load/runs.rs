//! Runs: the rows of one article as the data files hold them, so that articles (and their
//! near-duplicate band keys) are known without keeping any text.
//!
//! A new run starts where the article id or the input changes or `sentence_index` restarts at 0 —
//! the same rule that takes articles from the data when the article table does not match. Row
//! groups are read in parallel, so the first and last run of a row group may continue in its
//! neighbours: they keep their words until [`stitch`] joins them.

use super::decode::Work;
use crate::audit::texts::Pos;

/// One run of an article's rows within a row group (or, after [`stitch`], the whole article).
pub(super) struct Run {
    pub rows: u32,
    pub first_index: u32,
    pub last_index: u32,
    /// `sentence_index` counts up by one from row to row.
    pub consecutive: bool,
    /// Its first row.
    pub pos: Pos,
    /// Keys of the article id and the input.
    pub article: u64,
    pub input_key: u64,
    /// Word hashes of the non-headline sentences, in order (until the band keys are computed).
    pub words: Vec<u64>,
    pub bands: Option<Box<[u32]>>,
}

impl Run {
    /// Whether the row (`article`, `input_key`, `index`) belongs to this run.
    pub fn continues_with(&self, article: u64, input_key: u64, index: u32) -> bool {
        index != 0 && (self.article, self.input_key) == (article, input_key)
    }

    pub fn push_row(&mut self, index: u32) {
        if self.rows > 0 {
            self.consecutive &= index == self.last_index.wrapping_add(1);
        }
        self.rows += 1;
        self.last_index = index;
    }

    /// Computes the band keys and lets the words go.
    pub fn finish(&mut self, work: &mut Work) {
        if self.bands.is_none() {
            self.bands = Some(work.article(&self.words));
        }
        self.words = Vec::new();
    }
}

/// A whole article's run, as [`stitch`] gives it.
pub(super) struct ArticleRun {
    pub pos: Pos,
    pub article: u64,
    pub rows: u32,
    /// `sentence_index` counts 0, 1, 2 … over its rows.
    pub from_zero: bool,
    pub bands: Box<[u32]>,
}

impl From<Run> for ArticleRun {
    fn from(run: Run) -> ArticleRun {
        ArticleRun {
            pos: run.pos,
            article: run.article,
            rows: run.rows,
            from_zero: run.first_index == 0 && run.consecutive,
            bands: run.bands.unwrap_or_default(),
        }
    }
}

/// Joins the runs of one split's stream (row groups in order) that continue across row group
/// boundaries; every run comes back finished, in stream order.
pub(super) fn stitch(stream: Vec<Vec<Run>>, work: &mut Work) -> Vec<ArticleRun> {
    let mut done: Vec<ArticleRun> = Vec::new();
    let mut open: Option<Run> = None;
    for runs in stream {
        let last = runs.len().saturating_sub(1);
        for (k, run) in runs.into_iter().enumerate() {
            let continues = k == 0
                && open
                    .as_ref()
                    .is_some_and(|o| o.continues_with(run.article, run.input_key, run.first_index));
            if continues {
                let o = open.as_mut().expect("checked above");
                o.consecutive &= run.consecutive && run.first_index == o.last_index.wrapping_add(1);
                o.rows += run.rows;
                o.last_index = run.last_index;
                o.words.extend_from_slice(&run.words);
            } else {
                if let Some(mut o) = open.take() {
                    o.finish(work);
                    done.push(o.into());
                }
                open = Some(run);
            }
            if k != last
                && let Some(mut o) = open.take()
            {
                o.finish(work);
                done.push(o.into());
            }
        }
    }
    if let Some(mut o) = open.take() {
        o.finish(work);
        done.push(o.into());
    }
    done
}
