//! claimset: turns news articles into claim-and-stance datasets for machine learning.
//!
//! The pipeline, one module per stage: [`read`] → [`segment`] → [`normalize`] → [`label`] →
//! [`write`] → [`manifest`] / [`verify`] → [`audit`]. [`release`] runs the stages into a verified,
//! content-hashed release; [`cli`] is the command line over all of it.

pub mod audit;
pub mod cli;
pub mod diff;
pub mod error;
pub mod eval;
pub mod label;
pub mod manifest;
pub mod normalize;
pub mod pipeline;
pub mod read;
pub mod record;
pub mod release;
pub mod segment;
pub mod spec;
pub mod split;
pub mod verify;
pub mod write;

pub use error::{Error, Result};
