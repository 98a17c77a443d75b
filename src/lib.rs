//! lztwin: an offline digital twin of a multi-account AWS network.
//!
//! The pipeline is one-way: [`ingest`] → [`model`] → [`dataplane`] → [`sim`] /
//! [`analysis`] → [`report`]. See ARCHITECTURE.md.

#![deny(missing_docs)]

pub mod analysis;
pub mod dataplane;
pub mod diag;
pub mod ingest;
pub mod model;
pub mod report;
pub mod rng;
pub mod sim;
