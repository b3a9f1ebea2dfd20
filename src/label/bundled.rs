//! The rule set compiled into this binary (`rules/` and `lexicon/` at build time, see build.rs).

include!(concat!(env!("OUT_DIR"), "/bundled_rules.rs"));

impl super::RuleSet {
    /// The rule set bundled into this binary: the same build labels the same way wherever it runs.
    pub fn bundled() -> Result<super::RuleSet, super::RuleError> {
        super::RuleSet::from_files(
            BUNDLED
                .iter()
                .map(|(path, text)| (path.to_string(), text.to_string()))
                .collect(),
        )
    }
}
