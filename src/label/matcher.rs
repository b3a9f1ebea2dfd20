//! The pattern matcher: a character trie over the normalized patterns, walked from every token
//! start and from every place right after an allowed proclitic, so one pass over the tokens
//! finds the same hits as an overlapping scan filtered by clitic (a hit that starts inside a
//! word after anything but a proclitic can never count, so it is never searched for).
//!
//! Characters are mapped to dense class ids (only characters that occur in some pattern get
//! one); every node has a dense transition row over the classes.

use crate::normalize::{LEAD, is_word_char};

pub(crate) struct Trie {
    /// per node: transitions and the pattern ending there; node 0 is the root and nodes are
    /// numbered breadth-first, so the hot top of the trie is contiguous
    nodes: Vec<Node>,
    /// dense rows (`k` entries each) for nodes with many children
    dense: Vec<u32>,
    /// sparse edges of the other nodes: class and child, sorted by class
    edge_cls: Vec<u8>,
    edge_child: Vec<u32>,
    /// class of code points below U+0800 (0: in no pattern)
    cls_lo: Vec<u8>,
    /// class of other code points, sorted
    cls_hi: Vec<(u32, u8)>,
    /// class by fast index: ASCII byte, or 256 + low byte of U+06xx
    cls_fast: [u8; 512],
}

#[derive(Debug, Clone, Copy)]
struct Node {
    /// start of the dense row (`n == DENSE`) or of the sparse edges
    first: u32,
    n: u32,
    /// pattern id + 1 ending at the node (0: none)
    term: u32,
}

const DENSE: u32 = u32::MAX;
/// Node id of the root (0 is the dead state).
const ROOT: usize = 1;
/// Nodes at depth below this (the root, its children, their children) get dense rows; they
/// are the first nodes in breadth-first order, and every walk starts through them.
const DENSE_DEPTH: usize = 3;

/// Word-character table for code points below U+0800 (same as [`is_word_char`]).
pub(crate) struct WordTable {
    lo: Vec<bool>,
}

impl WordTable {
    pub(crate) fn new() -> WordTable {
        WordTable {
            lo: (0u32..0x800)
                .map(|u| char::from_u32(u).is_some_and(is_word_char))
                .collect(),
        }
    }

    /// (is a word character, UTF-8 length) of the character starting at byte `i`.
    #[inline(always)]
    pub(crate) fn at(&self, t: &[u8], i: usize) -> (bool, usize) {
        let b = t[i];
        if b < 0x80 {
            return (self.lo[b as usize], 1);
        }
        if b < 0xE0 {
            let u = ((b as usize & 0x1F) << 6) | (t[i + 1] as usize & 0x3F);
            return (self.lo[u], 2);
        }
        let (c, l) = decode_wide(t, i);
        (char::from_u32(c).is_some_and(is_word_char), l)
    }
}

#[inline]
fn decode_wide(t: &[u8], i: usize) -> (u32, usize) {
    let b = t[i];
    if b < 0xF0 {
        let c =
            ((b as u32 & 0x0F) << 12) | ((t[i + 1] as u32 & 0x3F) << 6) | (t[i + 2] as u32 & 0x3F);
        (c, 3)
    } else {
        let c = ((b as u32 & 0x07) << 18)
            | ((t[i + 1] as u32 & 0x3F) << 12)
            | ((t[i + 2] as u32 & 0x3F) << 6)
            | (t[i + 3] as u32 & 0x3F);
        (c, 4)
    }
}

impl Trie {
    /// Builds the trie; pattern ids are the indices in `patterns` (all distinct, non-empty).
    pub(crate) fn new(patterns: &[String]) -> Result<Trie, String> {
        let mut chars: Vec<u32> = patterns
            .iter()
            .flat_map(|p| p.chars().map(|c| c as u32))
            .collect();
        chars.sort_unstable();
        chars.dedup();
        if chars.len() > 254 {
            return Err(format!(
                "too many distinct characters in patterns ({})",
                chars.len()
            ));
        }
        let mut cls_lo = vec![0u8; 0x800];
        let mut cls_hi = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            let id = (i + 1) as u8;
            if c < 0x800 {
                cls_lo[c as usize] = id;
            } else {
                cls_hi.push((c, id));
            }
        }
        let k = chars.len() + 1;
        let class = |c: u32| -> usize {
            if c < 0x800 {
                cls_lo[c as usize] as usize
            } else {
                cls_hi
                    .binary_search_by_key(&c, |x: &(u32, u8)| x.0)
                    .map(|i| cls_hi[i].1 as usize)
                    .unwrap_or(0)
            }
        };
        // plain trie first: children per node as sorted (class, child) lists
        let mut kids: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut term: Vec<u32> = vec![0];
        for (pid, p) in patterns.iter().enumerate() {
            let mut node = 0usize;
            for c in p.chars() {
                let cl = class(c as u32) as u8;
                node = match kids[node].binary_search_by_key(&cl, |x| x.0) {
                    Ok(i) => kids[node][i].1 as usize,
                    Err(i) => {
                        let new = kids.len();
                        kids.push(Vec::new());
                        term.push(0);
                        kids[node].insert(i, (cl, new as u32));
                        new
                    }
                };
            }
            term[node] = pid as u32 + 1;
        }
        // breadth-first renumbering
        let mut order = vec![0u32];
        let mut depth = vec![0usize];
        let mut new_id = vec![u32::MAX; kids.len()];
        new_id[0] = ROOT as u32;
        let mut qi = 0;
        while qi < order.len() {
            let old = order[qi] as usize;
            for &(_, ch) in &kids[old] {
                new_id[ch as usize] = (order.len() + ROOT) as u32;
                order.push(ch);
                depth.push(depth[qi] + 1);
            }
            qi += 1;
        }
        let mut cls_fast = [0u8; 512];
        for (b, c) in cls_fast.iter_mut().enumerate().take(128) {
            *c = cls_lo[b];
        }
        cls_fast[256..512].copy_from_slice(&cls_lo[0x600..0x700]);
        // node 0 is the dead state: a dense row of zeros (no child), no pattern
        let mut t = Trie {
            nodes: vec![Node {
                first: 0,
                n: DENSE,
                term: 0,
            }],
            dense: vec![0; k],
            edge_cls: Vec::new(),
            edge_child: Vec::new(),
            cls_lo: cls_lo.clone(),
            cls_hi: cls_hi.clone(),
            cls_fast,
        };
        for (q, &old) in order.iter().enumerate() {
            let ks = &kids[old as usize];
            let node = if depth[q] < DENSE_DEPTH {
                let first = t.dense.len();
                t.dense.extend(std::iter::repeat_n(0, k));
                for &(cl, ch) in ks {
                    t.dense[first + cl as usize] = new_id[ch as usize];
                }
                Node {
                    first: first as u32,
                    n: DENSE,
                    term: term[old as usize],
                }
            } else {
                let first = t.edge_cls.len();
                for &(cl, ch) in ks {
                    t.edge_cls.push(cl);
                    t.edge_child.push(new_id[ch as usize]);
                }
                Node {
                    first: first as u32,
                    n: ks.len() as u32,
                    term: term[old as usize],
                }
            };
            t.nodes.push(node);
        }
        Ok(t)
    }

    fn class(&self, c: u32) -> u8 {
        if c < 0x800 {
            self.cls_lo[c as usize]
        } else {
            self.cls_hi
                .binary_search_by_key(&c, |x| x.0)
                .map(|i| self.cls_hi[i].1)
                .unwrap_or(0)
        }
    }

    /// Number of nodes and bytes used by the trie.
    pub(crate) fn stats(&self) -> (usize, usize) {
        (
            self.nodes.len(),
            self.nodes.len() * 12 + self.dense.len() * 4 + self.edge_cls.len() * 5,
        )
    }

    /// Calls `f(pattern, end)` for every pattern that starts at byte `start` of `t`.
    #[inline]
    pub(crate) fn walk(&self, t: &[u8], start: usize, mut f: impl FnMut(usize, usize)) {
        // the first DENSE_DEPTH (3) steps without branches: dense rows, the dead state absorbs
        let (c1, l1) = self.class_at(t, start);
        let n1 = self.dense[self.nodes[ROOT].first as usize + c1 as usize] as usize;
        let i1 = start + l1;
        let (c2, l2) = self.class_at(t, i1);
        let n2 = self.dense[self.nodes[n1].first as usize + c2 as usize] as usize;
        let i2 = i1 + l2;
        let (c3, l3) = self.class_at(t, i2);
        let n3 = self.dense[self.nodes[n2].first as usize + c3 as usize] as usize;
        let i3 = i2 + l3;
        let (p1, p2, p3) = (
            self.nodes[n1].term,
            self.nodes[n2].term,
            self.nodes[n3].term,
        );
        if (p1 | p2 | p3) != 0 {
            for (p, e) in [(p1, i1), (p2, i2), (p3, i3)] {
                if p != 0 {
                    f(p as usize - 1, e);
                }
            }
        }
        if n3 == 0 {
            return;
        }
        let mut node = n3;
        let mut i = i3;
        let n = t.len();
        while i < n {
            let (cl, l) = self.class_at(t, i);
            let nx = self.sparse_child(node, cl);
            if nx == 0 {
                return;
            }
            node = nx as usize;
            i += l;
            let p = self.nodes[node].term;
            if p != 0 {
                f(p as usize - 1, i);
            }
        }
    }

    /// Class and UTF-8 length of the character at byte `i` (class 0: in no pattern).
    #[inline(always)]
    fn class_at(&self, t: &[u8], i: usize) -> (u8, usize) {
        if i >= t.len() {
            return (0, 1);
        }
        let b0 = t[i];
        let k = LEAD[b0 as usize] as usize;
        if k != 0 {
            let b1 = t[(i + 1).min(t.len() - 1)];
            let lo = (((b0 & 0x03) << 6) | (b1 & 0x3F)) as usize;
            let m = 0usize.wrapping_sub(k >> 1);
            (
                self.cls_fast[((b0 as usize & !m) | ((256 + lo) & m)) & 511],
                k,
            )
        } else {
            self.class_other(t, i)
        }
    }

    #[inline(always)]
    fn sparse_child(&self, node: usize, cl: u8) -> u32 {
        let nd = self.nodes[node];
        let s = nd.first as usize;
        let e = s + nd.n as usize;
        for j in s..e {
            if self.edge_cls[j] == cl {
                return self.edge_child[j];
            }
        }
        0
    }

    #[cold]
    fn class_other(&self, t: &[u8], i: usize) -> (u8, usize) {
        let b = t[i];
        if b < 0xE0 {
            (
                self.cls_lo[((b as usize & 0x1F) << 6) | (t[i + 1] as usize & 0x3F)],
                2,
            )
        } else {
            let (c, l) = decode_wide(t, i);
            (self.class(c), l)
        }
    }
}
