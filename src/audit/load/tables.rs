//! Interning tables: strings, lists, label rows, and near-duplicate band keys by text.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

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

/// Near-duplicate band keys by text key, computed once per distinct text. The keys are a function
/// of the whitespace-collapsed text alone, so which of a group's texts fills an entry does not
/// matter: the table's content does not depend on thread timing. Filled through a hash map, then
/// [`BandTable::freeze`]s into a sorted list (a third of the map's memory).
#[derive(Default)]
pub struct BandTable {
    /// Text key → offset in `keys`, or `u32::MAX` for a text that takes no part (while filling).
    index: HashMap<u64, u32>,
    /// The same, sorted by key, once frozen.
    sorted: Vec<(u64, u32)>,
    keys: Vec<u32>,
    stride: usize,
}

impl BandTable {
    pub fn get(&self, key: u64) -> &[u32] {
        let at = match self.sorted.binary_search_by_key(&key, |e| e.0) {
            Ok(k) => Some(self.sorted[k].1),
            Err(_) => self.index.get(&key).copied(),
        };
        match at {
            Some(at) if at != u32::MAX => &self.keys[at as usize..at as usize + self.stride],
            _ => &[],
        }
    }

    pub fn contains(&self, key: u64) -> bool {
        self.index.contains_key(&key)
    }

    pub fn insert(&mut self, key: u64, bands: &[u32]) {
        if self.index.contains_key(&key) {
            return;
        }
        if bands.is_empty() {
            self.index.insert(key, u32::MAX);
        } else {
            self.stride = bands.len();
            self.index.insert(key, self.keys.len() as u32);
            self.keys.extend_from_slice(bands);
        }
    }

    /// Ends filling: the map becomes a sorted list.
    pub fn freeze(&mut self) {
        let mut sorted: Vec<(u64, u32)> = std::mem::take(&mut self.index)
            .into_iter()
            .filter(|e| e.1 != u32::MAX)
            .collect();
        sorted.sort_unstable();
        self.sorted = sorted;
        self.keys.shrink_to_fit();
    }
}

/// A band table filled by several threads.
pub type SharedBands = Mutex<BandTable>;
