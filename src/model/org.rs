//! The organisation: accounts, regions, availability zones.

use serde::{Deserialize, Serialize};

/// The role an account plays in the landing zone. Used for grouping and policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Environment {
    /// Network hub accounts (`network-prod`): Transit Gateway, inspection, ingress.
    Network,
    /// Shared services: DNS resolvers, VPC endpoints.
    SharedServices,
    /// Builder accounts: CI/CD, artifact repositories.
    Builder,
    /// Development workloads.
    Dev,
    /// Test workloads.
    Test,
    /// Production workloads.
    Prod,
    /// Anything else (imported accounts without a tag).
    Other,
}

impl Environment {
    /// The kebab-case name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Network => "network",
            Environment::SharedServices => "shared-services",
            Environment::Builder => "builder",
            Environment::Dev => "dev",
            Environment::Test => "test",
            Environment::Prod => "prod",
            Environment::Other => "other",
        }
    }
}

/// An AWS account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Unique name (`network-prod`, `workloads-prod`, …).
    pub name: String,
    /// The 12-digit AWS account id, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The environment tag.
    pub environment: Environment,
}

/// A region and its availability zones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Region name, e.g. `eu-west-1`.
    pub name: String,
    /// Availability-zone names, e.g. `eu-west-1a`.
    pub availability_zones: Vec<String>,
}
