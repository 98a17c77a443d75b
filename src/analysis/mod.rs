//! Analyses over the dataplane: reachability matrices, intent verification,
//! differential reachability, failure sweeps.
//!
//! Imports [`crate::sim`], [`crate::dataplane`], [`crate::model`].

pub mod diff;
pub mod failures;
pub mod matrix;
pub mod naa;
pub mod verify;
