//! Interning tables: strings, lists, label rows, and near-duplicate band keys by text.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use crate::audit::texts::Pos;

/// Interns values (strings, lists, label rows) as dense ids.
pub(super) struct Interner<K: ?Sized + ToOwned> {
    pub ids: HashMap<K::Owned, u32>,
    pub values: Vec<K::Owned>,
}

impl<K: ?Sized + ToOwned> Default for Interner<K> {
    fn default() -> Self {
        Interner {
            ids: HashMap::new(),
            values: Vec::new(),
        }
    }
}

impl<K> Interner<K>
where
    K: ?Sized + ToOwned + Hash + Eq,
    K::Owned: Hash + Eq + std::borrow::Borrow<K>,
{
    pub fn id(&mut self, value: &K) -> u32 {
        if let Some(&id) = self.ids.get(value) {
            return id;
        }
        let id = self.values.len() as u32;
        self.ids.insert(value.to_owned(), id);
        self.values.push(value.to_owned());
        id
    }
}

/// What a record says besides its text and position, interned: many records share one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LabelRow {
    /// String ids.
    pub kind: u32,
    pub lang: u32,
    pub stance: u32,
    /// List ids (`stances` and `actors` in the u32 lists, `evidence` in the evidence lists).
    pub stances: u32,
    pub actors: u32,
    pub evidence: u32,
}

/// Near-duplicate band keys by normalized-text key, computed once per distinct text. Each entry
/// holds the keys of the first record (by position) with that key, whichever thread got there
/// first, so the table does not depend on timing even when two texts share a 64-bit key. Filled
/// through a hash map, then [`BandTable::freeze`]s into a sorted list.
#[derive(Default)]
pub struct BandTable {
    /// Text key → (entry, position of the record it came from); entry `u32::MAX` for a text that
    /// takes no part (while filling).
    index: HashMap<u64, (u32, Pos)>,
    /// Text key → entry, sorted by key, once frozen (texts that take no part left out).
    sorted: Vec<(u64, u32)>,
    /// `stride` keys per entry.
    keys: Vec<u32>,
    stride: usize,
}

impl BandTable {
    #[cfg(test)]
    pub fn get(&self, key: u64) -> &[u32] {
        self.keys_of(self.entry(key))
    }

    /// The entry of a text key, `u32::MAX` for none: a 4-byte handle that a caller looking up
    /// the same keys many times resolves once (see [`BandTable::keys_of`]).
    pub fn entry(&self, key: u64) -> u32 {
        match self.sorted.binary_search_by_key(&key, |e| e.0) {
            Ok(k) => self.sorted[k].1,
            Err(_) => self.index.get(&key).map_or(u32::MAX, |e| e.0),
        }
    }

    /// The band keys of an entry from [`BandTable::entry`]; empty for `u32::MAX`.
    pub fn keys_of(&self, entry: u32) -> &[u32] {
        if entry == u32::MAX {
            return &[];
        }
        let at = entry as usize * self.stride;
        &self.keys[at..at + self.stride]
    }

    /// Whether the record at `pos` should give the keys of `key` (none did, or only later ones).
    pub fn wants(&self, key: u64, pos: Pos) -> bool {
        self.index.get(&key).is_none_or(|e| pos < e.1)
    }

    pub fn insert(&mut self, key: u64, pos: Pos, bands: &[u32]) {
        if !self.wants(key, pos) {
            return;
        }
        let entry = match self.index.get(&key) {
            // A later record gave this key: its entry takes these keys, when the sizes agree.
            Some(&(e, _)) if e != u32::MAX && bands.len() == self.stride => {
                let at = e as usize * self.stride;
                self.keys[at..at + self.stride].copy_from_slice(bands);
                e
            }
            _ if bands.is_empty() => u32::MAX,
            _ => {
                self.stride = bands.len();
                let e = (self.keys.len() / self.stride) as u32;
                self.keys.extend_from_slice(bands);
                e
            }
        };
        self.index.insert(key, (entry, pos));
    }

    /// Ends filling: the map becomes a sorted list.
    pub fn freeze(&mut self) {
        let mut sorted: Vec<(u64, u32)> = std::mem::take(&mut self.index)
            .into_iter()
            .filter(|e| e.1.0 != u32::MAX)
            .map(|(k, (e, _))| (k, e))
            .collect();
        sorted.sort_unstable();
        self.sorted = sorted;
        self.keys.shrink_to_fit();
    }
}

/// A band table filled by several threads.
pub type SharedBands = Mutex<BandTable>;

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(row: u32) -> Pos {
        Pos { file: 0, row }
    }

    #[test]
    fn the_first_record_wins_whatever_the_order() {
        // Two records share a key (a 64-bit collision): the earlier one's keys stay.
        let mut a = BandTable::default();
        a.insert(7, pos(5), &[1, 2]);
        a.insert(7, pos(3), &[3, 4]);
        a.insert(9, pos(1), &[]);
        let mut b = BandTable::default();
        b.insert(9, pos(1), &[]);
        b.insert(7, pos(3), &[3, 4]);
        b.insert(7, pos(5), &[1, 2]);
        for t in [&mut a, &mut b] {
            t.freeze();
            assert_eq!(t.get(7), &[3, 4]);
            assert!(t.get(9).is_empty());
            assert!(t.get(8).is_empty());
        }
    }
}
