//! Reports: JSON, CSV, Markdown, HTML, JUnit, SARIF and plots (plotters: PNG and SVG).
//!
//! Imports [`crate::analysis`], [`crate::sim`], [`crate::model`]; never the other way.

pub mod diff;
pub mod dot;
pub mod failures;
pub mod html;
pub mod inventory;
pub mod junit;
pub mod matrix;
pub mod plots;
pub mod sarif;
pub mod trace;
pub mod verify;
