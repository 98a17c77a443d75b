//! The address and port classes of verification are true equivalence classes for the
//! trace: any address or port of a class is forwarded and filtered like the class's
//! representative. This is what makes `verify` exhaustive without sampling. (Which
//! endpoint of a firewall inspects a flow is chosen per flow by the Transit Gateway's
//! appliance-mode hash, so the firewall is compared, not the endpoint.)

use lztwin::analysis::verify::classes::{address_classes, model_prefixes, service_classes};
use lztwin::analysis::verify::select::Resolver;
use lztwin::dataplane::Dataplane;
use lztwin::model::{Model, Protocol};
use lztwin::sim::{trace, Endpoint, Flow, Trace, TraceOptions};
use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr};

/// The firewalls (not endpoints: with appliance mode the endpoint's AZ comes from a
/// hash of the flow) a trace was inspected by.
fn firewalls(m: &Model, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|i| {
            m.firewalls
                .iter()
                .find(|f| {
                    f.endpoints
                        .iter()
                        .any(|e| e.id.as_deref() == Some(i) || &e.name == i)
                })
                .map(|f| f.name.clone())
                .unwrap_or_else(|| i.clone())
        })
        .collect()
}

/// The outcome of a trace that does not mention the concrete addresses.
fn outcome(m: &Model, t: &Trace) -> (String, Option<String>, Vec<String>, Option<String>) {
    (
        t.verdict.as_str().to_string(),
        t.reason.clone(),
        firewalls(m, &t.inspected_by),
        t.return_trace.as_ref().map(|r| {
            format!(
                "{} {:?} {:?}",
                r.verdict.as_str(),
                r.reason,
                firewalls(m, &r.inspected_by)
            )
        }),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, max_global_rejects: 1_000_000, ..ProptestConfig::default() })]

    /// prod-app-a → any Internet or on-prem address (and the Internet → ingress-proxy-a),
    /// any TCP or UDP port: same outcome as the representative of the address's class
    /// and the port's class.
    #[test]
    fn internet_addresses_and_ports_behave_like_their_representative(
        a in any::<u32>(),
        inside in any::<Option<prop::sample::Index>>(),
        port in 1u16..,
        udp in any::<bool>(),
        inbound in any::<bool>(),
    ) {
        let m = lztwin::ingest::load_reference().unwrap().model;
        let dp = Dataplane::compile(&m);
        let r = Resolver::new(&m, &[]);
        let prefixes = model_prefixes(&m);
        // Half the time, an address inside one of the model's prefixes (where the
        // classes are small), else anywhere.
        let ip = match inside {
            Some(i) => {
                let v4: Vec<_> = prefixes.iter().filter_map(|p| match p {
                    ipnet::IpNet::V4(n) => Some(*n),
                    _ => None,
                }).collect();
                let n = v4[i.index(v4.len())];
                let size = 1u64 << (32 - n.prefix_len());
                IpAddr::V4(Ipv4Addr::from(u32::from(n.network()).wrapping_add((a as u64 % size) as u32)))
            }
            None => IpAddr::V4(Ipv4Addr::from(a)),
        };
        let picked = r.at_address(ip);
        prop_assume!(matches!(
            picked.as_ref().map(|p| &p.endpoint),
            Some(Endpoint::Internet { .. } | Endpoint::OnPrem { .. })
        ));
        let classes = address_classes("0.0.0.0/0".parse().unwrap(), &prefixes, None);
        let best = prefixes
            .iter()
            .filter(|p| p.contains(&ip))
            .max_by_key(|p| p.prefix_len())
            .copied()
            .unwrap_or_else(|| "0.0.0.0/0".parse().unwrap());
        let class = classes.iter().find(|c| c.prefix == best).expect("a class");
        let protocol = if udp { Protocol::Udp } else { Protocol::Tcp };
        let sc = service_classes(&m, &[]);
        let pc = sc
            .iter()
            .find(|c| c.protocol == protocol && c.ports.contains(port))
            .expect("a port class");
        let (eni, prod) = m
            .network_interfaces
            .iter()
            .enumerate()
            .find(|(_, e)| e.name == if inbound { "ingress-proxy-a" } else { "prod-app-a" })
            .unwrap();
        let eni_ip = if inbound {
            IpAddr::V4(prod.public_ip.unwrap())
        } else {
            prod.private_ips[0]
        };
        let local = Endpoint::Interface { eni, ip: eni_ip };
        let run = |addr: IpAddr, p: u16| {
            let remote = match picked.as_ref().map(|p| &p.endpoint) {
                Some(Endpoint::OnPrem { site, .. }) => Endpoint::OnPrem { site: *site, ip: addr },
                _ => Endpoint::Internet { ip: addr },
            };
            let (src, dst) = if inbound { (&remote, &local) } else { (&local, &remote) };
            let f = Flow { src: src.ip(), dst: dst.ip(), protocol, src_port: 49152, dst_port: p };
            outcome(&m, &trace(&dp, src, dst, &f, &TraceOptions { both_ways: true }))
        };
        prop_assert_eq!(run(ip, port), run(class.representative, pc.port));
    }
}
