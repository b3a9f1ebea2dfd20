/// Which JSON fields hold what. For each role the first field present wins.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FieldMap {
    pub text: Vec<String>,
    pub title: Vec<String>,
    pub id: Vec<String>,
    pub publisher: Vec<String>,
    pub url: Vec<String>,
    pub date: Vec<String>,
    pub author: Vec<String>,
}

impl Default for FieldMap {
    /// The defaults of design.md, which fit common news dumps.
    fn default() -> Self {
        let v = |names: &[&str]| names.iter().map(|s| s.to_string()).collect();
        FieldMap {
            text: v(&["content", "text"]),
            title: v(&["title"]),
            id: v(&["id", "url"]),
            publisher: v(&["source", "publisher"]),
            url: v(&["url"]),
            date: v(&["date", "date_extracted"]),
            author: v(&["author"]),
        }
    }
}
