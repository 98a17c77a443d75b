//! Reachability matrices: for one service (protocol + destination port), the outcome of
//! the flow from every endpoint to every other endpoint (workload ENIs, on-prem sites,
//! the Internet), with its inspection, hop count and (with `both_ways`) the reply.
//!
//! Two engines compute the same [`Matrix`]: [`fast`] (the dataplane's address classes,
//! shared work) and [`engine::per_pair`] (one [`crate::sim::trace`] per pair, the
//! reference). A proptest holds them equal cell for cell.
//!
//! Stable JSON contract of `lztwin matrix --format json` (issue 5):
//! `{"service": {...}, "endpoints": [...], "cells": [{"src": {"id", "name", "ip", "group"},
//! "dst": {...}, "verdict", "inspected_by": [...], "reason", "hops", "return": ...}]}`,
//! plus `"groups"` with `--group-by`. Cells are in endpoint order (that of
//! [`crate::sim::endpoint::all_endpoints`]), source-major; a flow from an endpoint to
//! itself is not a cell.

pub mod engine;
pub mod fast;

use crate::dataplane::Dataplane;
use crate::model::{Environment, Model, Protocol};
use crate::sim::{Endpoint, Flow, Trace, Verdict};
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};
use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// The source port of every matrix flow (the first IANA ephemeral port), as `lztwin trace`.
pub const SRC_PORT: u16 = 49152;

/// Which engine computes a matrix.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Engine {
    /// Shared work over address classes ([`fast`]).
    #[default]
    Fast,
    /// One trace per pair ([`engine::per_pair`]), the reference.
    PerPair,
}

impl FromStr for Engine {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "fast" => Ok(Engine::Fast),
            "per-pair" => Ok(Engine::PerPair),
            _ => Err(format!("unknown engine `{s}` (expected fast or per-pair)")),
        }
    }
}

/// What endpoints are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupBy {
    /// The endpoint's subnet.
    Subnet,
    /// The endpoint's VPC.
    Vpc,
    /// The owning account.
    Account,
    /// The environment (the ENI's `environment` tag, else its account's environment).
    Environment,
}

impl GroupBy {
    /// The name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Subnet => "subnet",
            GroupBy::Vpc => "vpc",
            GroupBy::Account => "account",
            GroupBy::Environment => "environment",
        }
    }
}

impl FromStr for GroupBy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "subnet" => Ok(GroupBy::Subnet),
            "vpc" => Ok(GroupBy::Vpc),
            "account" => Ok(GroupBy::Account),
            "environment" => Ok(GroupBy::Environment),
            _ => Err(format!(
                "unknown group `{s}` (expected subnet, vpc, account or environment)"
            )),
        }
    }
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Options of a matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatrixOptions {
    /// Protocol of the service (`all` for any).
    pub protocol: Protocol,
    /// Destination port of the service (TCP/UDP).
    pub dst_port: u16,
    /// Aggregate into groups (endpoint `group` fields and the `groups` table).
    pub group_by: Option<GroupBy>,
    /// Also evaluate the reply of every accepted flow.
    pub both_ways: bool,
    /// Which engine computes the cells (the result is the same).
    pub engine: Engine,
}

impl Default for MatrixOptions {
    fn default() -> Self {
        MatrixOptions {
            protocol: Protocol::Tcp,
            dst_port: 443,
            group_by: None,
            both_ways: false,
            engine: Engine::Fast,
        }
    }
}

/// The service a matrix is about (the `service` object of the JSON contract).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceInfo {
    /// Protocol.
    pub protocol: Protocol,
    /// Destination port (meaningful for TCP and UDP).
    pub dst_port: u16,
    /// Source port of every flow.
    pub src_port: u16,
    /// Whether replies were evaluated.
    pub both_ways: bool,
    /// The grouping (`account` when none was asked: endpoint groups are accounts).
    pub group_by: String,
}

/// What kind of endpoint a matrix endpoint is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EndpointKind {
    /// A workload network interface.
    Interface,
    /// An on-premises site.
    OnPrem,
    /// The Internet.
    Internet,
}

/// One endpoint of a matrix. Serialises as `{"id", "name", "ip", "group"}`; the other
/// fields are for grouping and plots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixEndpoint {
    /// AWS id (the name when none is known); `onprem:<site>` or `internet` otherwise.
    pub id: String,
    /// Name in the model.
    pub name: String,
    /// The address of the endpoint (a representative one for on-prem and the Internet).
    pub ip: IpAddr,
    /// Its group under the matrix's grouping (the account without one).
    pub group: String,
    /// The simulation endpoint.
    pub endpoint: Endpoint,
    /// Interface, on-prem site or Internet.
    pub kind: EndpointKind,
    /// Subnet name (`onprem:<site>` / `internet` for the others).
    pub subnet: String,
    /// VPC name (`onprem:<site>` / `internet` for the others).
    pub vpc: String,
    /// Account name (`onprem` / `internet` for the others).
    pub account: String,
    /// Environment name (`onprem` / `internet` for the others).
    pub environment: String,
    /// The public IPv4 address of an interface (the Internet addresses it there).
    pub public_ip: Option<IpAddr>,
}

impl MatrixEndpoint {
    /// Describe a simulation endpoint of `m`.
    ///
    /// Builds name look-ups of the model on every call: describe many endpoints with
    /// [`endpoints`].
    pub fn describe(m: &Model, e: &Endpoint) -> MatrixEndpoint {
        Self::describe_in(m, &Names::new(m), e)
    }

    fn describe_in(m: &Model, names: &Names<'_>, e: &Endpoint) -> MatrixEndpoint {
        match e {
            Endpoint::Interface { eni, ip } => {
                let n = m.network_interfaces.get(*eni);
                let name = n.map(|n| n.name.clone()).unwrap_or_default();
                let subnet = n.and_then(|n| names.subnets.get(n.subnet.as_str()));
                let subnet = subnet.and_then(|&k| m.subnets.get(k));
                let vpc = subnet.and_then(|s| names.vpcs.get(s.vpc.as_str()));
                let vpc = vpc.and_then(|&k| m.vpcs.get(k));
                let account = vpc.and_then(|v| names.accounts.get(v.account.as_str()));
                let account = account.and_then(|&k| m.accounts.get(k));
                // An ENI's `environment` tag overrides its account's (the reference's shared
                // dev VPC lives in the network account, its workloads are tagged dev).
                let env = n
                    .and_then(|n| n.tags.get("environment"))
                    .and_then(|t| {
                        serde_json::from_value::<Environment>(serde_json::Value::String(t.clone()))
                            .ok()
                    })
                    .or(account.map(|a| a.environment))
                    .unwrap_or(Environment::Other);
                MatrixEndpoint {
                    id: n.and_then(|n| n.id.clone()).unwrap_or_else(|| name.clone()),
                    name,
                    ip: *ip,
                    group: String::new(),
                    endpoint: e.clone(),
                    kind: EndpointKind::Interface,
                    subnet: subnet.map(|s| s.name.clone()).unwrap_or_default(),
                    vpc: vpc.map(|v| v.name.clone()).unwrap_or_default(),
                    account: vpc.map(|v| v.account.clone()).unwrap_or_default(),
                    environment: env.as_str().to_string(),
                    public_ip: n.and_then(|n| n.public_ip).map(IpAddr::V4),
                }
            }
            Endpoint::OnPrem { site, ip } => {
                let name = m
                    .onprem_sites
                    .get(*site)
                    .map(|s| s.name.clone())
                    .unwrap_or_default();
                let id = format!("onprem:{name}");
                MatrixEndpoint {
                    id: id.clone(),
                    name,
                    ip: *ip,
                    group: String::new(),
                    endpoint: e.clone(),
                    kind: EndpointKind::OnPrem,
                    subnet: id.clone(),
                    vpc: id,
                    account: "onprem".into(),
                    environment: "onprem".into(),
                    public_ip: None,
                }
            }
            Endpoint::Internet { ip } => MatrixEndpoint {
                id: "internet".into(),
                name: "internet".into(),
                ip: *ip,
                group: String::new(),
                endpoint: e.clone(),
                kind: EndpointKind::Internet,
                subnet: "internet".into(),
                vpc: "internet".into(),
                account: "internet".into(),
                environment: "internet".into(),
                public_ip: None,
            },
        }
    }

    /// The endpoint's group under `g`.
    pub fn group_of(&self, g: GroupBy) -> &str {
        match g {
            GroupBy::Subnet => &self.subnet,
            GroupBy::Vpc => &self.vpc,
            GroupBy::Account => &self.account,
            GroupBy::Environment => &self.environment,
        }
    }
}

impl Serialize for MatrixEndpoint {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Endpoint", 4)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("ip", &self.ip)?;
        st.serialize_field("group", &self.group)?;
        st.end()
    }
}

/// Subnets, VPCs and accounts by name (the first of a name, as a linear search finds it).
/// Look-ups only, so a fast hasher.
struct Names<'a> {
    subnets: foldhash::HashMap<&'a str, usize>,
    vpcs: foldhash::HashMap<&'a str, usize>,
    accounts: foldhash::HashMap<&'a str, usize>,
}

impl<'a> Names<'a> {
    fn new(m: &'a Model) -> Names<'a> {
        fn first<'a>(
            names: impl ExactSizeIterator<Item = &'a str>,
        ) -> foldhash::HashMap<&'a str, usize> {
            use foldhash::HashMapExt;
            let mut out = foldhash::HashMap::with_capacity(names.len());
            for (k, n) in names.enumerate() {
                out.entry(n).or_insert(k);
            }
            out
        }
        let (subnets, (vpcs, accounts)) = rayon::join(
            || first(m.subnets.iter().map(|s| s.name.as_str())),
            || {
                rayon::join(
                    || first(m.vpcs.iter().map(|v| v.name.as_str())),
                    || first(m.accounts.iter().map(|a| a.name.as_str())),
                )
            },
        );
        Names {
            subnets,
            vpcs,
            accounts,
        }
    }
}

/// The matrix endpoints of `m` (in [`crate::sim::endpoint::all_endpoints`] order) with
/// their groups under `group_by` (accounts when `None`).
pub fn endpoints(m: &Model, group_by: Option<GroupBy>) -> Vec<MatrixEndpoint> {
    let g = group_by.unwrap_or(GroupBy::Account);
    use rayon::prelude::*;
    let names = Names::new(m);
    crate::sim::endpoint::all_endpoints(m)
        .par_iter()
        .map(|e| {
            let mut d = MatrixEndpoint::describe_in(m, &names, e);
            d.group = d.group_of(g).to_string();
            d
        })
        .collect()
}

/// The destination as the source addresses it: the Internet reaches an interface by its
/// public IPv4 address (the IGW translates it to the private one,
/// <https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html>); every
/// other source uses the private address.
pub fn addressed_destination(src: &MatrixEndpoint, dst: &MatrixEndpoint) -> Endpoint {
    match (&src.kind, &dst.endpoint, dst.public_ip) {
        (EndpointKind::Internet, Endpoint::Interface { eni, .. }, Some(public)) => {
            Endpoint::Interface {
                eni: *eni,
                ip: public,
            }
        }
        _ => dst.endpoint.clone(),
    }
}

/// The flow a matrix evaluates from `src` to `dst` ([`crate::sim::flow_between`]: the
/// Internet addresses an interface by its public IP).
pub fn flow_for(
    m: &Model,
    src: &MatrixEndpoint,
    dst: &MatrixEndpoint,
    opts: &MatrixOptions,
) -> Flow {
    crate::sim::flow_between(
        m,
        &src.endpoint,
        &dst.endpoint,
        opts.protocol,
        SRC_PORT,
        opts.dst_port,
    )
}

/// The inspection and explanation of a path, shared by many cells (interned in
/// [`Matrix::details`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Detail {
    /// Firewall endpoints, GWLB endpoints or appliances passed, in path order.
    pub inspected_by: Vec<String>,
    /// Explanation code, when there is one.
    pub reason: Option<String>,
}

/// The outcome of one direction of a flow, as engines produce it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Verdict.
    pub verdict: Verdict,
    /// Number of hops.
    pub hops: u32,
    /// Inspection and explanation.
    pub detail: Detail,
}

impl Outcome {
    /// From a trace (one direction).
    pub fn from_trace(t: &Trace) -> Outcome {
        Outcome {
            verdict: t.verdict,
            hops: t.hops.len() as u32,
            detail: Detail {
                inspected_by: t.inspected_by.clone(),
                reason: t.reason.clone(),
            },
        }
    }
}

/// One direction of a cell, with its detail interned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Half {
    /// Verdict.
    pub verdict: Verdict,
    /// Number of hops.
    pub hops: u32,
    /// Index into [`Matrix::details`].
    pub detail: u32,
}

/// One cell: the flow from endpoint `src` to endpoint `dst` (indices into
/// [`Matrix::endpoints`]), as [`Matrix::cells`] yields it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cell {
    /// Source endpoint index.
    pub src: u32,
    /// Destination endpoint index.
    pub dst: u32,
    /// The forward direction.
    pub fwd: Half,
    /// The reply (with `both_ways`, when the forward direction succeeded).
    pub ret: Option<Half>,
}

impl Cell {
    /// Whether the flow got through (and, when evaluated, its reply too).
    pub fn reachable(&self) -> bool {
        self.outcome().reachable()
    }

    /// The cell's outcome without its endpoints.
    pub fn outcome(&self) -> CellOutcome {
        CellOutcome {
            fwd: self.fwd,
            ret: self.ret,
        }
    }
}

/// What a cell found, without its endpoints: shared by many cells (interned in
/// [`Matrix::outcomes`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CellOutcome {
    /// The forward direction.
    pub fwd: Half,
    /// The reply (with `both_ways`, when the forward direction succeeded).
    pub ret: Option<Half>,
}

impl CellOutcome {
    /// Whether the flow got through (and, when evaluated, its reply too).
    pub fn reachable(&self) -> bool {
        self.fwd.verdict.is_success() && self.ret.is_none_or(|r| r.verdict.is_success())
    }
}

/// Interns [`Detail`]s so the millions of cells of a large estate share a few of them.
#[derive(Clone, Debug, Default)]
pub struct DetailInterner {
    details: Vec<Detail>,
    /// Look-ups only (the order is `details`'), so a fast hasher.
    index: foldhash::HashMap<Detail, u32>,
}

impl DetailInterner {
    /// The index of `d`, adding it when new.
    pub fn intern(&mut self, d: Detail) -> u32 {
        if let Some(&i) = self.index.get(&d) {
            return i;
        }
        let i = self.details.len() as u32;
        self.details.push(d.clone());
        self.index.insert(d, i);
        i
    }

    /// Intern an outcome into a [`Half`].
    pub fn half(&mut self, o: Outcome) -> Half {
        Half {
            verdict: o.verdict,
            hops: o.hops,
            detail: self.intern(o.detail),
        }
    }

    /// The interned details, by index.
    pub fn into_details(self) -> Vec<Detail> {
        self.details
    }
}

/// A group cell: how many endpoint pairs from one group to another are reachable,
/// inspected (reachable through at least one inspection component), and in total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupCell {
    /// Source group.
    pub src: String,
    /// Destination group.
    pub dst: String,
    /// Pairs reachable.
    pub reachable: usize,
    /// Pairs reachable and inspected.
    pub inspected: usize,
    /// Pairs in total.
    pub total: usize,
}

/// A reachability matrix.
///
/// Cells are stored compactly: each ordered pair of distinct endpoints holds the index
/// of its [`CellOutcome`] (a large estate has millions of cells and a few hundred
/// distinct outcomes); [`Matrix::cells`] yields them as [`Cell`]s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matrix {
    /// The service.
    pub service: ServiceInfo,
    /// The endpoints, in [`crate::sim::endpoint::all_endpoints`] order.
    pub endpoints: Vec<MatrixEndpoint>,
    /// The distinct cell outcomes, numbered by first use (source-major).
    pub outcomes: Vec<CellOutcome>,
    /// The outcome (index into [`Self::outcomes`]) of every ordered pair of distinct
    /// endpoints, source-major: row `s` holds every destination `d != s` in order.
    pub cell_outcomes: Vec<u32>,
    /// Interned inspection/explanation details the outcomes point to.
    pub details: Vec<Detail>,
    /// The grouping asked for, if any (the `groups` table of the JSON).
    pub group_by: Option<GroupBy>,
}

impl Matrix {
    /// Assemble a matrix from per-source rows of `(dst index, forward, reply)` outcomes.
    /// Rows must be in source order and each row must hold every other endpoint in
    /// destination order.
    pub fn from_rows<I>(opts: &MatrixOptions, endpoints: Vec<MatrixEndpoint>, rows: I) -> Matrix
    where
        I: IntoIterator<Item = Vec<(u32, Outcome, Option<Outcome>)>>,
    {
        let mut interner = DetailInterner::default();
        let mut outcomes: Vec<CellOutcome> = Vec::new();
        let mut ids: HashMap<CellOutcome, u32> = HashMap::new();
        let mut cell_outcomes = Vec::new();
        for row in rows {
            for (_, fwd, ret) in row {
                let fwd = interner.half(fwd);
                let ret = ret.map(|r| interner.half(r));
                let o = CellOutcome { fwd, ret };
                let id = *ids.entry(o).or_insert_with(|| {
                    outcomes.push(o);
                    outcomes.len() as u32 - 1
                });
                cell_outcomes.push(id);
            }
        }
        Matrix {
            service: service_info(opts),
            endpoints,
            outcomes,
            cell_outcomes,
            details: interner.into_details(),
            group_by: opts.group_by,
        }
    }

    /// The number of cells (ordered pairs of distinct endpoints).
    pub fn cell_count(&self) -> usize {
        self.cell_outcomes.len()
    }

    /// Every cell, source-major.
    pub fn cells(&self) -> impl Iterator<Item = Cell> + '_ {
        let n = self.endpoints.len();
        let m = n.saturating_sub(1).max(1);
        self.cell_outcomes
            .chunks(m)
            .enumerate()
            .flat_map(move |(s, row)| {
                row.iter().enumerate().map(move |(r, &o)| {
                    let d = if r < s { r } else { r + 1 };
                    self.cell_of(s as u32, d as u32, o)
                })
            })
    }

    /// The cell from endpoint `src` to endpoint `dst` (distinct), if both exist.
    pub fn cell(&self, src: usize, dst: usize) -> Option<Cell> {
        let n = self.endpoints.len();
        if src == dst || src >= n || dst >= n {
            return None;
        }
        let k = src * (n - 1) + if dst < src { dst } else { dst - 1 };
        let o = *self.cell_outcomes.get(k)?;
        Some(self.cell_of(src as u32, dst as u32, o))
    }

    fn cell_of(&self, src: u32, dst: u32, o: u32) -> Cell {
        let unknown = CellOutcome {
            fwd: Half {
                verdict: Verdict::Unreachable,
                hops: 0,
                detail: u32::MAX,
            },
            ret: None,
        };
        let o = self.outcomes.get(o as usize).copied().unwrap_or(unknown);
        Cell {
            src,
            dst,
            fwd: o.fwd,
            ret: o.ret,
        }
    }

    /// The detail a half points to.
    pub fn detail(&self, h: &Half) -> &Detail {
        static EMPTY: Detail = Detail {
            inspected_by: Vec::new(),
            reason: None,
        };
        self.details.get(h.detail as usize).unwrap_or(&EMPTY)
    }

    /// Whether a cell is reachable through inspection.
    pub fn inspected(&self, c: &Cell) -> bool {
        c.reachable() && !self.detail(&c.fwd).inspected_by.is_empty()
    }

    /// The class of a cell for plots and summaries.
    pub fn class(&self, c: &Cell) -> CellClass {
        if c.reachable() {
            if self.inspected(c) {
                CellClass::Inspected
            } else {
                CellClass::NotInspected
            }
        } else {
            let v = match c.ret {
                Some(r) if c.fwd.verdict.is_success() => r.verdict,
                _ => c.fwd.verdict,
            };
            if v == Verdict::Denied {
                CellClass::Denied
            } else {
                CellClass::NoRoute
            }
        }
    }

    /// Aggregate the cells by `g` into group cells: every (source group, destination
    /// group) pair that has endpoint pairs, groups in order of first appearance.
    pub fn aggregate(&self, g: GroupBy) -> (Vec<String>, Vec<GroupCell>) {
        let mut names: Vec<String> = Vec::new();
        let mut pos: HashMap<&str, usize> = HashMap::new();
        let of: Vec<usize> = self
            .endpoints
            .iter()
            .map(|e| {
                let k = e.group_of(g);
                *pos.entry(k).or_insert_with(|| {
                    names.push(k.to_string());
                    names.len() - 1
                })
            })
            .collect();
        let n = names.len();
        let flags = self.outcome_flags();
        let mut counts = vec![(0usize, 0usize, 0usize); n * n];
        let m = self.endpoints.len().saturating_sub(1).max(1);
        for (s, row) in self.cell_outcomes.chunks(m).enumerate() {
            for (r, &o) in row.iter().enumerate() {
                let d = if r < s { r } else { r + 1 };
                let (Some(&a), Some(&b)) = (of.get(s), of.get(d)) else {
                    continue;
                };
                let e = &mut counts[a * n + b];
                let (reachable, inspected) = flags.get(o as usize).copied().unwrap_or_default();
                e.2 += 1;
                e.0 += usize::from(reachable);
                e.1 += usize::from(inspected);
            }
        }
        let mut out = Vec::new();
        for a in 0..n {
            for b in 0..n {
                let (reachable, inspected, total) = counts[a * n + b];
                if total > 0 {
                    out.push(GroupCell {
                        src: names[a].clone(),
                        dst: names[b].clone(),
                        reachable,
                        inspected,
                        total,
                    });
                }
            }
        }
        (names, out)
    }

    /// Counts over all cells: (total, reachable, inspected).
    pub fn totals(&self) -> (usize, usize, usize) {
        let flags = self.outcome_flags();
        let mut t = (self.cell_outcomes.len(), 0, 0);
        for &o in &self.cell_outcomes {
            let (reachable, inspected) = flags.get(o as usize).copied().unwrap_or_default();
            t.1 += usize::from(reachable);
            t.2 += usize::from(inspected);
        }
        t
    }

    /// Per outcome: (reachable, reachable through inspection).
    fn outcome_flags(&self) -> Vec<(bool, bool)> {
        self.outcomes
            .iter()
            .map(|o| {
                let r = o.reachable();
                (r, r && !self.detail(&o.fwd).inspected_by.is_empty())
            })
            .collect()
    }
}

/// The four classes of the heatmap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CellClass {
    /// Accepted (or exits the network) through inspection.
    Inspected,
    /// Accepted without inspection.
    NotInspected,
    /// Denied by a security group, NACL or firewall rule.
    Denied,
    /// No route, blackhole, loop or otherwise unreachable.
    NoRoute,
}

impl CellClass {
    /// All classes in legend order.
    pub const ALL: [CellClass; 4] = [
        CellClass::Inspected,
        CellClass::NotInspected,
        CellClass::Denied,
        CellClass::NoRoute,
    ];

    /// Legend text.
    pub fn label(self) -> &'static str {
        match self {
            CellClass::Inspected => "accepted, inspected",
            CellClass::NotInspected => "accepted, not inspected",
            CellClass::Denied => "denied",
            CellClass::NoRoute => "no route / unreachable",
        }
    }
}

fn service_info(opts: &MatrixOptions) -> ServiceInfo {
    ServiceInfo {
        protocol: opts.protocol,
        dst_port: opts.dst_port,
        src_port: SRC_PORT,
        both_ways: opts.both_ways,
        group_by: opts.group_by.unwrap_or(GroupBy::Account).as_str().into(),
    }
}

/// Progress callback: called with the number of source rows just finished (any thread).
pub type Progress<'a> = &'a (dyn Fn(u64) + Sync);

/// Compute the matrix of `model` (compiled as `dp`) with the engine `opts.engine` asks for.
pub fn compute(dp: &Dataplane, model: &Model, opts: &MatrixOptions) -> Matrix {
    compute_with_progress(dp, model, opts, &|_| {})
}

/// [`compute`], reporting finished source rows to `progress`.
pub fn compute_with_progress(
    dp: &Dataplane,
    model: &Model,
    opts: &MatrixOptions,
    progress: Progress<'_>,
) -> Matrix {
    match opts.engine {
        Engine::Fast => fast::compute(dp, model, opts, progress),
        Engine::PerPair => engine::per_pair(dp, model, opts, progress),
    }
}

/// The matrix (fast engine whatever `opts.engine` says) and the cells (source,
/// destination), row-major, whose walks either way consulted a routing entry `dp`
/// watches ([`Dataplane::watching`]): with the watch of
/// [`crate::dataplane::routing_delta`], the only cells that can differ on the changed
/// dataplane.
pub fn compute_watched(
    dp: &Dataplane,
    model: &Model,
    opts: &MatrixOptions,
) -> (Matrix, Vec<(u32, u32)>) {
    fast::compute_watched(dp, model, opts, &|_| {})
}

// --- serialisation of the JSON contract ---------------------------------------------------

struct HalfView<'a> {
    m: &'a Matrix,
    h: &'a Half,
}

impl Serialize for HalfView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.m.detail(self.h);
        let mut st = s.serialize_map(Some(4))?;
        st.serialize_entry("verdict", &self.h.verdict)?;
        st.serialize_entry("inspected_by", &d.inspected_by)?;
        st.serialize_entry("reason", &d.reason)?;
        st.serialize_entry("hops", &self.h.hops)?;
        st.end()
    }
}

/// The destination as the cell addressed it (public address from the Internet).
pub fn cell_dst_ip(m: &Matrix, c: &Cell) -> Option<IpAddr> {
    let src = m.endpoints.get(c.src as usize)?;
    let dst = m.endpoints.get(c.dst as usize)?;
    Some(addressed_destination(src, dst).ip())
}

struct CellView<'a> {
    m: &'a Matrix,
    c: Cell,
}

struct EndpointAt<'a> {
    e: Option<&'a MatrixEndpoint>,
    ip: Option<IpAddr>,
}

impl Serialize for EndpointAt<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_map(Some(4))?;
        let e = self.e;
        st.serialize_entry("id", &e.map(|e| e.id.as_str()))?;
        st.serialize_entry("name", &e.map(|e| e.name.as_str()))?;
        st.serialize_entry("ip", &self.ip.or(e.map(|e| e.ip)))?;
        st.serialize_entry("group", &e.map(|e| e.group.as_str()))?;
        st.end()
    }
}

impl Serialize for CellView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (m, c) = (self.m, &self.c);
        let d = m.detail(&c.fwd);
        let mut st = s.serialize_map(Some(7))?;
        st.serialize_entry(
            "src",
            &EndpointAt {
                e: m.endpoints.get(c.src as usize),
                ip: None,
            },
        )?;
        st.serialize_entry(
            "dst",
            &EndpointAt {
                e: m.endpoints.get(c.dst as usize),
                ip: cell_dst_ip(m, c),
            },
        )?;
        st.serialize_entry("verdict", &c.fwd.verdict)?;
        st.serialize_entry("inspected_by", &d.inspected_by)?;
        st.serialize_entry("reason", &d.reason)?;
        st.serialize_entry("hops", &c.fwd.hops)?;
        st.serialize_entry("return", &c.ret.as_ref().map(|h| HalfView { m, h }))?;
        st.end()
    }
}

struct CellsView<'a>(&'a Matrix);

impl Serialize for CellsView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.cells().map(|c| CellView { m: self.0, c }))
    }
}

impl Serialize for Matrix {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_map(None)?;
        st.serialize_entry("service", &self.service)?;
        st.serialize_entry("endpoints", &self.endpoints)?;
        st.serialize_entry("cells", &CellsView(self))?;
        if let Some(g) = self.group_by {
            st.serialize_entry("groups", &self.aggregate(g).1)?;
        }
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(v: Verdict, insp: &[&str]) -> Outcome {
        Outcome {
            verdict: v,
            hops: 3,
            detail: Detail {
                inspected_by: insp.iter().map(|s| s.to_string()).collect(),
                reason: None,
            },
        }
    }

    fn ep(name: &str, account: &str, env: &str) -> MatrixEndpoint {
        MatrixEndpoint {
            id: name.into(),
            name: name.into(),
            ip: "10.0.0.1".parse().unwrap(),
            group: account.into(),
            endpoint: Endpoint::Internet {
                ip: "10.0.0.1".parse().unwrap(),
            },
            kind: EndpointKind::Interface,
            subnet: format!("{name}-subnet"),
            vpc: format!("{account}-vpc"),
            account: account.into(),
            environment: env.into(),
            public_ip: None,
        }
    }

    fn sample() -> Matrix {
        let eps = vec![
            ep("a", "acct1", "prod"),
            ep("b", "acct1", "prod"),
            ep("c", "acct2", "dev"),
        ];
        let rows = vec![
            vec![
                (1, out(Verdict::Accepted, &["fw-a"]), None),
                (2, out(Verdict::Denied, &[]), None),
            ],
            vec![
                (0, out(Verdict::Accepted, &[]), None),
                (2, out(Verdict::NoRoute, &[]), None),
            ],
            vec![
                (0, out(Verdict::ExitsNetwork, &["fw-a"]), None),
                (
                    1,
                    out(Verdict::Accepted, &["fw-a"]),
                    Some(out(Verdict::Denied, &[])),
                ),
            ],
        ];
        Matrix::from_rows(
            &MatrixOptions {
                group_by: Some(GroupBy::Account),
                ..MatrixOptions::default()
            },
            eps,
            rows,
        )
    }

    #[test]
    fn details_are_interned() {
        let m = sample();
        assert_eq!(m.cell_count(), 6);
        assert_eq!(m.cells().count(), 6);
        // ["fw-a"] and [] with no reason: two distinct details.
        assert_eq!(m.details.len(), 2);
    }

    #[test]
    fn classes_and_aggregation() {
        let m = sample();
        let classes: Vec<_> = m.cells().map(|c| m.class(&c)).collect();
        assert_eq!(
            classes,
            vec![
                CellClass::Inspected,
                CellClass::Denied,
                CellClass::NotInspected,
                CellClass::NoRoute,
                CellClass::Inspected,
                CellClass::Denied // reply denied
            ]
        );
        let (names, groups) = m.aggregate(GroupBy::Account);
        assert_eq!(names, vec!["acct1", "acct2"]);
        let g11 = groups
            .iter()
            .find(|g| g.src == "acct1" && g.dst == "acct1")
            .unwrap();
        assert_eq!((g11.reachable, g11.inspected, g11.total), (2, 1, 2));
        let g21 = groups
            .iter()
            .find(|g| g.src == "acct2" && g.dst == "acct1")
            .unwrap();
        assert_eq!((g21.reachable, g21.inspected, g21.total), (1, 1, 2));
        assert_eq!(m.totals(), (6, 3, 2));
    }

    #[test]
    fn json_contract_shape() {
        let m = sample();
        let v: serde_json::Value = serde_json::to_value(&m).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(|s| s.as_str()).collect();
        for k in ["service", "endpoints", "cells", "groups"] {
            assert!(keys.contains(&k), "{k} missing");
        }
        let c = &v["cells"][5];
        for k in [
            "src",
            "dst",
            "verdict",
            "inspected_by",
            "reason",
            "hops",
            "return",
        ] {
            assert!(c.get(k).is_some(), "cell key {k} missing");
        }
        for k in ["id", "name", "ip", "group"] {
            assert!(c["src"].get(k).is_some(), "endpoint key {k} missing");
        }
        assert_eq!(c["src"]["name"], "c");
        assert_eq!(c["dst"]["name"], "b");
        assert_eq!(c["verdict"], "accepted");
        assert_eq!(c["inspected_by"][0], "fw-a");
        assert_eq!(c["return"]["verdict"], "denied");
        assert!(v["cells"][0]["return"].is_null());
        assert_eq!(v["service"]["protocol"], "tcp");
        assert_eq!(v["service"]["dst_port"], 443);
    }

    #[test]
    fn options_parse() {
        assert_eq!("per-pair".parse::<Engine>().unwrap(), Engine::PerPair);
        assert!("slow".parse::<Engine>().is_err());
        assert_eq!("vpc".parse::<GroupBy>().unwrap(), GroupBy::Vpc);
        assert!("region".parse::<GroupBy>().is_err());
    }
}
