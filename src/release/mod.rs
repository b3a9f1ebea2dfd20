//! Building, publishing and checking releases.

mod build;
mod card;
mod config;
mod croissant;
mod hydrate;
mod merge;
mod publish;

pub use build::{BuildReport, Publication, build};
pub use card::render_card;
pub use config::{BuildConfig, OnError, Shard};
pub use croissant::render_croissant;
pub use hydrate::hydrate;
pub use merge::{merge, shard_dir};
pub use publish::{file_entry as publish_file_entry, release_dir};
