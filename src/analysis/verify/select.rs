//! Resolving selectors to the endpoints of a model: workload ENIs, and for address
//! selectors (`internet`, `onprem:*`, CIDRs) one endpoint per address class.

use super::classes::{address_classes, model_prefixes};
use crate::model::policy::{Located, Selector};
use crate::model::{InterfaceRole, Model};
use crate::sim::endpoint::INTERNET_REPRESENTATIVE;
use crate::sim::Endpoint;
use ipnet::IpNet;
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

/// The position of the object named (or with the AWS id) `key` in one collection.
/// (Names are looked up per collection: an account and a VPC may share a name.)
pub fn find<T>(
    v: &[T],
    key: &str,
    name_id: impl Fn(&T) -> (&String, Option<&str>),
) -> Option<usize> {
    v.iter()
        .position(|x| name_id(x).0 == key)
        .or_else(|| v.iter().position(|x| name_id(x).1 == Some(key)))
}

/// An endpoint picked by a selector, with a human label.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Picked {
    /// The endpoint (an ENI by its private address, a site or the Internet by an
    /// address-class representative).
    pub endpoint: Endpoint,
    /// `<eni name>`, `onprem:<site>` or `internet`.
    pub label: String,
    /// For ENIs: the public or Elastic IP, the address the Internet uses.
    pub public_ip: Option<IpAddr>,
}

/// Everything selector resolution needs from a model, built once.
pub struct Resolver<'m> {
    m: &'m Model,
    ix: crate::model::Index,
    prefixes: BTreeSet<IpNet>,
    /// Private address → ENI index.
    eni_by_ip: BTreeMap<IpAddr, usize>,
    /// Public address → ENI index.
    eni_by_public: BTreeMap<IpAddr, usize>,
    /// VPC CIDRs (addresses inside are not the Internet).
    vpc_cidrs: Vec<IpNet>,
    /// Other AWS-owned addresses (NAT gateways, endpoints): no endpoint there.
    aws_hosts: BTreeSet<IpAddr>,
}

impl<'m> Resolver<'m> {
    /// Prepare resolution over `m`; `extra` prefixes (from a policy) also cut classes.
    pub fn new(m: &'m Model, extra: &[IpNet]) -> Resolver<'m> {
        let mut prefixes = model_prefixes(m);
        prefixes.extend(extra.iter().map(|p| p.trunc()));
        let mut eni_by_ip = BTreeMap::new();
        let mut eni_by_public = BTreeMap::new();
        for (i, e) in m.network_interfaces.iter().enumerate() {
            for ip in &e.private_ips {
                eni_by_ip.entry(*ip).or_insert(i);
            }
            if let Some(p) = e.public_ip {
                eni_by_public.entry(IpAddr::V4(p)).or_insert(i);
            }
        }
        let mut aws_hosts = BTreeSet::new();
        for n in &m.nat_gateways {
            aws_hosts.insert(IpAddr::V4(n.private_ip));
            if let Some(p) = n.public_ip {
                aws_hosts.insert(IpAddr::V4(p));
            }
        }
        for e in &m.vpc_endpoints {
            aws_hosts.extend(e.private_ips.iter().copied());
        }
        Resolver {
            m,
            ix: m.index(),
            prefixes,
            eni_by_ip,
            eni_by_public,
            vpc_cidrs: m
                .vpcs
                .iter()
                .flat_map(|v| v.cidrs.iter().copied())
                .collect(),
            aws_hosts,
        }
    }

    /// The model.
    pub fn model(&self) -> &Model {
        self.m
    }

    /// The name/id index of the model.
    pub fn index(&self) -> &crate::model::Index {
        &self.ix
    }

    fn eni(&self, i: usize) -> Picked {
        let e = &self.m.network_interfaces[i];
        let ip = e
            .private_ips
            .first()
            .copied()
            .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        Picked {
            endpoint: Endpoint::Interface { eni: i, ip },
            label: e.name.clone(),
            public_ip: e.public_ip.map(IpAddr::V4),
        }
    }

    fn workload_enis(&self, keep: impl Fn(usize) -> bool) -> Vec<Picked> {
        self.m
            .network_interfaces
            .iter()
            .enumerate()
            .filter(|(i, e)| e.role == InterfaceRole::Workload && keep(*i))
            .map(|(i, _)| self.eni(i))
            .collect()
    }

    fn vpc_of_eni(&self, i: usize) -> Option<usize> {
        let e = &self.m.network_interfaces[i];
        let s = find(&self.m.subnets, &e.subnet, |x| (&x.name, x.id.as_deref()))?;
        find(&self.m.vpcs, &self.m.subnets[s].vpc, |x| {
            (&x.name, x.id.as_deref())
        })
    }

    fn account_of_eni(&self, i: usize) -> Option<usize> {
        let v = self.vpc_of_eni(i)?;
        find(&self.m.accounts, &self.m.vpcs[v].account, |x| {
            (&x.name, x.id.as_deref())
        })
    }

    /// The endpoint at one address: an ENI (private or public IP), an on-prem site, the
    /// Internet; `None` for an address inside a VPC where nothing answers.
    pub fn at_address(&self, ip: IpAddr) -> Option<Picked> {
        if let Some(i) = self.eni_by_ip.get(&ip) {
            return Some(self.eni(*i));
        }
        if let Some(i) = self.eni_by_public.get(&ip) {
            let mut p = self.eni(*i);
            p.endpoint = Endpoint::Interface { eni: *i, ip };
            return Some(p);
        }
        if self.aws_hosts.contains(&ip) {
            return None;
        }
        for (si, s) in self.m.onprem_sites.iter().enumerate() {
            if s.prefixes.iter().any(|p| p.contains(&ip)) {
                return Some(Picked {
                    endpoint: Endpoint::OnPrem { site: si, ip },
                    label: format!("onprem:{}", s.name),
                    public_ip: None,
                });
            }
        }
        if self.vpc_cidrs.iter().any(|c| c.contains(&ip)) {
            return None;
        }
        Some(Picked {
            endpoint: Endpoint::Internet { ip },
            label: "internet".into(),
            public_ip: None,
        })
    }

    /// One endpoint per address class of `cidr`.
    pub fn classes_of(&self, cidr: IpNet) -> Vec<Picked> {
        address_classes(cidr, &self.prefixes, Some(INTERNET_REPRESENTATIVE))
            .into_iter()
            .filter_map(|c| self.at_address(c.representative))
            .collect()
    }

    /// Every Internet address class (IPv4, and IPv6 when the model has IPv6 prefixes).
    pub fn internet(&self) -> Vec<Picked> {
        let mut roots: Vec<IpNet> = vec!["0.0.0.0/0".parse().expect("literal prefix")];
        if self.prefixes.iter().any(|p| matches!(p, IpNet::V6(_))) {
            roots.push("::/0".parse().expect("literal prefix"));
        }
        roots
            .into_iter()
            .flat_map(|r| self.classes_of(r))
            .filter(|p| matches!(p.endpoint, Endpoint::Internet { .. }))
            .collect()
    }

    fn onprem_site(&self, si: usize) -> Vec<Picked> {
        let s = &self.m.onprem_sites[si];
        s.prefixes
            .iter()
            .flat_map(|p| self.classes_of(*p))
            .filter(|p| matches!(p.endpoint, Endpoint::OnPrem { site, .. } if site == si))
            .collect()
    }

    /// Resolve one selector; an error names what is unknown.
    pub fn resolve(&self, sel: &Selector) -> Result<Vec<Picked>, String> {
        let m = self.m;
        let out = match sel {
            Selector::Internet => self.internet(),
            Selector::OnPremAll => (0..m.onprem_sites.len())
                .flat_map(|i| self.onprem_site(i))
                .collect(),
            Selector::OnPrem(name) => {
                let si = m
                    .onprem_sites
                    .iter()
                    .position(|s| &s.name == name)
                    .ok_or_else(|| format!("no on-premises site `{name}` in the model"))?;
                self.onprem_site(si)
            }
            Selector::Account(a) => {
                let ai = find(&m.accounts, a, |x| (&x.name, x.id.as_deref()))
                    .ok_or_else(|| format!("no account `{a}` in the model"))?;
                self.workload_enis(|i| self.account_of_eni(i) == Some(ai))
            }
            Selector::Environment(env) => {
                self.workload_enis(|i| match m.network_interfaces[i].tags.get("environment") {
                    Some(t) => t == env.as_str(),
                    None => self
                        .account_of_eni(i)
                        .is_some_and(|a| m.accounts[a].environment == *env),
                })
            }
            Selector::Vpc(v) => {
                let vi = find(&m.vpcs, v, |x| (&x.name, x.id.as_deref()))
                    .ok_or_else(|| format!("no VPC `{v}` in the model"))?;
                self.workload_enis(|i| self.vpc_of_eni(i) == Some(vi))
            }
            Selector::Subnet(s) => {
                let si = find(&m.subnets, s, |x| (&x.name, x.id.as_deref()))
                    .ok_or_else(|| format!("no subnet `{s}` in the model"))?;
                let name = &m.subnets[si].name;
                self.workload_enis(|i| &m.network_interfaces[i].subnet == name)
            }
            Selector::Cidr(c) => self.classes_of(*c),
            Selector::Endpoint(e) => {
                if let Some(i) = find(&m.network_interfaces, e, |x| (&x.name, x.id.as_deref()))
                    .or_else(|| {
                        m.network_interfaces
                            .iter()
                            .position(|n| n.instance.as_deref() == Some(e.as_str()))
                    })
                {
                    vec![self.eni(i)]
                } else if let Ok(ip) = e.parse::<IpAddr>() {
                    let p = self
                        .at_address(ip)
                        .ok_or_else(|| format!("nothing answers at {ip} in the model"))?;
                    vec![p]
                } else {
                    return Err(format!(
                        "no network interface or instance `{e}` in the model"
                    ));
                }
            }
            Selector::Tag(k, v) => {
                self.workload_enis(|i| m.network_interfaces[i].tags.get(k) == Some(v))
            }
        };
        Ok(out)
    }

    /// Resolve a list of selectors: the union, deduplicated, in endpoint order.
    /// Errors carry the selector's position.
    pub fn resolve_all(
        &self,
        sels: &[Located<Selector>],
    ) -> Result<Vec<Picked>, Vec<(crate::model::policy::Pos, String)>> {
        let mut all: BTreeMap<Endpoint, Picked> = BTreeMap::new();
        let mut errs = Vec::new();
        for s in sels {
            match self.resolve(&s.value) {
                Ok(v) => {
                    for p in v {
                        all.entry(p.endpoint.clone()).or_insert(p);
                    }
                }
                Err(e) => errs.push((s.pos, e)),
            }
        }
        if errs.is_empty() {
            Ok(all.into_values().collect())
        } else {
            Err(errs)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::policy::Selector;

    fn reference() -> Model {
        crate::ingest::load_reference()
            .expect("reference loads")
            .model
    }

    fn labels(r: &Resolver<'_>, s: &str) -> Vec<String> {
        let sel: Selector = s.parse().unwrap();
        let mut v: Vec<String> = r
            .resolve(&sel)
            .unwrap()
            .into_iter()
            .map(|p| p.label)
            .collect();
        v.sort();
        v
    }

    #[test]
    fn environment_selectors_follow_tags_then_accounts() {
        let m = reference();
        let r = Resolver::new(&m, &[]);
        // shared-dev lives in network-prod but its ENIs are tagged environment: dev.
        assert_eq!(labels(&r, "env:dev"), ["dev-app-a", "dev-app-b"]);
        assert_eq!(labels(&r, "env:prod"), ["prod-app-a", "prod-app-b"]);
        assert_eq!(
            labels(&r, "env:network"),
            ["ingress-proxy-a", "ingress-proxy-b"]
        );
        // An account and a VPC share the name workloads-prod.
        assert_eq!(
            labels(&r, "vpc:workloads-prod"),
            labels(&r, "account:workloads-prod")
        );
        assert_eq!(
            labels(&r, "account:555555555555"),
            ["prod-app-a", "prod-app-b"]
        );
        assert_eq!(
            labels(&r, "tag:service=ci-runner"),
            ["builder-runner-a", "builder-runner-b"]
        );
        assert_eq!(labels(&r, "endpoint:10.64.96.10"), ["prod-app-a"]);
        assert!(r.resolve(&"vpc:nope".parse().unwrap()).is_err());
        assert!(r.resolve(&"onprem:nowhere".parse().unwrap()).is_err());
    }

    #[test]
    fn address_selectors_split_into_classes() {
        let m = reference();
        let r = Resolver::new(&m, &[]);
        let onprem = r.resolve(&Selector::OnPremAll).unwrap();
        // Both site prefixes are represented, and 10.10.0.0/16 is cut by the firewall
        // and SG rules written for it (none split it further in the reference).
        assert!(onprem
            .iter()
            .any(|p| p.endpoint.ip().to_string().starts_with("10.10.")));
        assert!(onprem
            .iter()
            .any(|p| p.endpoint.ip().to_string().starts_with("172.20.")));
        assert!(onprem.iter().all(|p| p.label == "onprem:corporate-dc"));
        let internet = r.internet();
        assert!(!internet.is_empty());
        for p in &internet {
            let ip = p.endpoint.ip();
            assert!(
                !m.vpcs
                    .iter()
                    .any(|v| v.cidrs.iter().any(|c| c.contains(&ip))),
                "{ip}"
            );
            assert!(
                !m.onprem_sites
                    .iter()
                    .any(|s| s.prefixes.iter().any(|c| c.contains(&ip))),
                "{ip}"
            );
        }
        // A CIDR over a subnet yields its ENI and nothing for the empty rest.
        let app = r.resolve(&"cidr:10.64.96.0/22".parse().unwrap()).unwrap();
        assert_eq!(
            app.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(),
            ["prod-app-a"]
        );
        // A public address is the ENI reached from outside.
        let public = r.resolve(&"203.0.113.10".parse().unwrap()).unwrap();
        assert_eq!(public[0].label, "ingress-proxy-a");
        assert_eq!(public[0].endpoint.ip().to_string(), "203.0.113.10");
    }
}
