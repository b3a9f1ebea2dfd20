//! The rule set compiled into this binary (`rules/` and `lexicon/` at build time, see build.rs).

include!(concat!(env!("OUT_DIR"), "/bundled_rules.rs"));

impl super::RuleSet {
    /// The rule set bundled into this binary.
    pub fn bundled() -> Result<super::RuleSet, super::RuleError> {
        let _ = BUNDLED;
        super::RuleSet::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
    }
}
