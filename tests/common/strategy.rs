//! proptest strategies for [`lztwin::model::Model`]: every object type, every enum
//! variant, optional fields present or absent. References are drawn from a small pool
//! of names, so generated models are structurally complete but not necessarily valid
//! (the round trip and the validator must cope with both).
//!
//! Protocols are generated canonically (`Protocol::from_number`): the model treats
//! `Number(6)` and `Tcp` as the same protocol and serialises both as `tcp`.

#![allow(dead_code, clippy::type_complexity)]

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use lztwin::model::*;
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A short name from a small pool, so references often hit existing objects.
pub fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-c][a-c0-2]{0,2}",
        1 => ".{0,6}",
    ]
}

fn id() -> impl Strategy<Value = Option<String>> {
    option::of("[a-z]{2,4}-[0-9a-f]{4,8}")
}

pub fn ipv4() -> impl Strategy<Value = Ipv4Addr> {
    any::<u32>().prop_map(Ipv4Addr::from)
}

pub fn ipv4net() -> impl Strategy<Value = Ipv4Net> {
    (any::<u32>(), 0u8..=32).prop_map(|(a, l)| Ipv4Net::new(Ipv4Addr::from(a), l).unwrap())
}

pub fn ipv6net() -> impl Strategy<Value = Ipv6Net> {
    (any::<u128>(), 0u8..=128).prop_map(|(a, l)| Ipv6Net::new(Ipv6Addr::from(a), l).unwrap())
}

pub fn ipnet() -> impl Strategy<Value = IpNet> {
    prop_oneof![
        3 => ipv4net().prop_map(IpNet::V4),
        1 => ipv6net().prop_map(IpNet::V6),
    ]
}

pub fn ipaddr() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        3 => ipv4().prop_map(IpAddr::V4),
        1 => any::<u128>().prop_map(|a| IpAddr::V6(Ipv6Addr::from(a))),
    ]
}

pub fn protocol() -> impl Strategy<Value = Protocol> {
    prop_oneof![
        Just(Protocol::All),
        any::<u8>().prop_map(Protocol::from_number),
    ]
}

pub fn ports() -> impl Strategy<Value = PortRange> {
    (any::<u16>(), any::<u16>()).prop_map(|(a, b)| PortRange {
        from: a.min(b),
        to: a.max(b),
    })
}

fn environment() -> impl Strategy<Value = Environment> {
    prop_oneof![
        Just(Environment::Network),
        Just(Environment::SharedServices),
        Just(Environment::Builder),
        Just(Environment::Dev),
        Just(Environment::Test),
        Just(Environment::Prod),
        Just(Environment::Other),
    ]
}

fn account() -> impl Strategy<Value = Account> {
    (name(), id(), environment()).prop_map(|(name, id, environment)| Account {
        name,
        id,
        environment,
    })
}

fn region() -> impl Strategy<Value = Region> {
    (name(), vec(name(), 0..3)).prop_map(|(name, availability_zones)| Region {
        name,
        availability_zones,
    })
}

fn vpc() -> impl Strategy<Value = Vpc> {
    (name(), id(), name(), name(), vec(ipnet(), 0..3)).prop_map(
        |(name, id, account, region, cidrs)| Vpc {
            name,
            id,
            account,
            region,
            cidrs,
        },
    )
}

fn subnet() -> impl Strategy<Value = Subnet> {
    (
        name(),
        id(),
        name(),
        name(),
        ipv4net(),
        option::of(ipv6net()),
    )
        .prop_map(|(name, id, vpc, az, cidr, ipv6_cidr)| Subnet {
            name,
            id,
            vpc,
            az,
            cidr,
            ipv6_cidr,
        })
}

pub fn route_target() -> impl Strategy<Value = RouteTarget> {
    prop_oneof![
        Just(RouteTarget::Local),
        name().prop_map(RouteTarget::InternetGateway),
        name().prop_map(RouteTarget::EgressOnlyInternetGateway),
        name().prop_map(RouteTarget::NatGateway),
        name().prop_map(RouteTarget::VpnGateway),
        name().prop_map(RouteTarget::TransitGateway),
        name().prop_map(RouteTarget::VpcPeeringConnection),
        name().prop_map(RouteTarget::NetworkInterface),
        name().prop_map(RouteTarget::VpcEndpoint),
    ]
}

fn route() -> impl Strategy<Value = Route> {
    (
        option::of(ipnet()),
        option::of(name()),
        route_target(),
        prop_oneof![
            Just(RouteOrigin::Static),
            Just(RouteOrigin::Local),
            Just(RouteOrigin::Propagated)
        ],
        option::of(prop_oneof![
            Just(PropagationSource::DirectConnect),
            Just(PropagationSource::VpnStatic),
            Just(PropagationSource::VpnBgp)
        ]),
        prop_oneof![Just(RouteState::Active), Just(RouteState::Blackhole)],
    )
        .prop_map(
            |(destination, destination_prefix_list, target, origin, propagation, state)| Route {
                destination,
                destination_prefix_list,
                target,
                origin,
                propagation,
                state,
            },
        )
}

fn route_table() -> impl Strategy<Value = RouteTable> {
    (
        name(),
        id(),
        name(),
        any::<bool>(),
        vec(name(), 0..3),
        vec(name(), 0..2),
        vec(name(), 0..2),
        vec(route(), 0..4),
    )
        .prop_map(
            |(name, id, vpc, main, subnets, edge_associations, propagating_vgws, routes)| {
                RouteTable {
                    name,
                    id,
                    vpc,
                    main,
                    subnets,
                    edge_associations,
                    propagating_vgws,
                    routes,
                }
            },
        )
}

fn vgw_connection() -> impl Strategy<Value = VgwConnection> {
    (
        name(),
        id(),
        name(),
        prop_oneof![
            Just(ConnectionKind::Vpn),
            Just(ConnectionKind::DirectConnect)
        ],
        prop_oneof![Just(VpnRouting::Bgp), Just(VpnRouting::Static)],
        vec(ipnet(), 0..3),
        vec(ipv4(), 0..3),
    )
        .prop_map(
            |(name, id, site, kind, routing, advertised_prefixes, tunnel_outside_ips)| {
                VgwConnection {
                    name,
                    id,
                    site,
                    kind,
                    routing,
                    advertised_prefixes,
                    tunnel_outside_ips,
                }
            },
        )
}

fn listener_protocol() -> impl Strategy<Value = ListenerProtocol> {
    prop_oneof![
        Just(ListenerProtocol::Tcp),
        Just(ListenerProtocol::Udp),
        Just(ListenerProtocol::TcpUdp),
        Just(ListenerProtocol::Tls)
    ]
}

/// Network Load Balancers and target groups (any shape: serde round trips).
fn elb_part() -> impl Strategy<Value = (Vec<NetworkLoadBalancer>, Vec<TargetGroup>)> {
    let listener = (id(), listener_protocol(), any::<u16>(), name()).prop_map(
        |(id, protocol, port, target_group)| Listener {
            id,
            protocol,
            port,
            target_group,
        },
    );
    let nlb = (
        name(),
        id(),
        name(),
        prop_oneof![
            Just(LoadBalancerScheme::Internal),
            Just(LoadBalancerScheme::InternetFacing)
        ],
        vec(name(), 0..3),
        any::<bool>(),
        vec(listener, 0..3),
    )
        .prop_map(|(name, id, vpc, scheme, nodes, cross_zone, listeners)| {
            NetworkLoadBalancer {
                name,
                id,
                vpc,
                scheme,
                nodes,
                cross_zone,
                listeners,
            }
        });
    let target = (
        option::of(name()),
        option::of(ipaddr()),
        option::of(any::<u16>()),
        any::<bool>(),
    )
        .prop_map(|(interface, ip, port, healthy)| LbTarget {
            interface,
            ip,
            port,
            healthy,
        });
    let tg = (
        (name(), id(), name(), listener_protocol(), any::<u16>()),
        (
            prop_oneof![Just(TargetType::Instance), Just(TargetType::Ip)],
            option::of(any::<bool>()),
            vec(target, 0..3),
        ),
    )
        .prop_map(
            |((name, id, vpc, protocol, port), (target_type, preserve_client_ip, targets))| {
                TargetGroup {
                    name,
                    id,
                    vpc,
                    protocol,
                    port,
                    target_type,
                    preserve_client_ip,
                    targets,
                }
            },
        );
    (vec(nlb, 0..2), vec(tg, 0..2))
}

/// The VPC-level gateways and connections.
fn gateways() -> impl Strategy<
    Value = (
        Vec<InternetGateway>,
        Vec<EgressOnlyInternetGateway>,
        Vec<NatGateway>,
        Vec<VpnGateway>,
        Vec<VpcPeeringConnection>,
        Vec<PrefixList>,
        Vec<VpcEndpoint>,
    ),
> {
    (
        vec(
            (name(), id(), option::of(name())).prop_map(|(name, id, vpc)| InternetGateway {
                name,
                id,
                vpc,
            }),
            0..2,
        ),
        vec(
            (name(), id(), name()).prop_map(|(name, id, vpc)| EgressOnlyInternetGateway {
                name,
                id,
                vpc,
            }),
            0..2,
        ),
        vec(
            (
                name(),
                id(),
                name(),
                prop_oneof![
                    Just(NatConnectivity::Public),
                    Just(NatConnectivity::Private)
                ],
                ipv4(),
                option::of(ipv4()),
            )
                .prop_map(|(name, id, subnet, connectivity, private_ip, public_ip)| {
                    NatGateway {
                        name,
                        id,
                        subnet,
                        connectivity,
                        private_ip,
                        public_ip,
                    }
                }),
            0..2,
        ),
        vec(
            (
                name(),
                id(),
                option::of(name()),
                option::of(any::<u32>()),
                vec(vgw_connection(), 0..2),
            )
                .prop_map(|(name, id, vpc, asn, connections)| VpnGateway {
                    name,
                    id,
                    vpc,
                    asn,
                    connections,
                }),
            0..2,
        ),
        vec(
            (name(), id(), name(), name()).prop_map(|(name, id, requester_vpc, accepter_vpc)| {
                VpcPeeringConnection {
                    name,
                    id,
                    requester_vpc,
                    accepter_vpc,
                }
            }),
            0..2,
        ),
        vec(
            (name(), id(), vec(ipnet(), 0..3)).prop_map(|(name, id, entries)| PrefixList {
                name,
                id,
                entries,
            }),
            0..2,
        ),
        vec(vpc_endpoint(), 0..2),
    )
}

fn vpc_endpoint() -> impl Strategy<Value = VpcEndpoint> {
    (
        name(),
        id(),
        name(),
        prop_oneof![
            Just(VpcEndpointType::GatewayLoadBalancer),
            Just(VpcEndpointType::Interface),
            Just(VpcEndpointType::Gateway)
        ],
        option::of(name()),
        option::of(name()),
        option::of("[a-z.0-9-]{3,20}"),
        vec(ipaddr(), 0..2),
        option::of(name()),
    )
        .prop_map(
            |(
                name,
                id,
                vpc,
                endpoint_type,
                subnet,
                gateway_load_balancer,
                service_name,
                private_ips,
                prefix_list,
            )| VpcEndpoint {
                name,
                id,
                vpc,
                endpoint_type,
                subnet,
                gateway_load_balancer,
                service_name,
                private_ips,
                prefix_list,
            },
        )
}

fn attachment_type() -> impl Strategy<Value = AttachmentType> {
    prop_oneof![
        Just(AttachmentType::Vpc),
        Just(AttachmentType::Vpn),
        Just(AttachmentType::DirectConnectGateway),
        Just(AttachmentType::Peering),
        Just(AttachmentType::Connect),
    ]
}

fn attachment() -> impl Strategy<Value = TransitGatewayAttachment> {
    (
        (name(), id(), name(), attachment_type(), option::of(name())),
        (
            option::of(name()),
            vec(name(), 0..3),
            any::<bool>(),
            option::of(name()),
            prop_oneof![Just(VpnRouting::Bgp), Just(VpnRouting::Static)],
            vec(ipnet(), 0..2),
        ),
        (
            option::of(name()),
            option::of(name()),
            option::of(name()),
            vec(name(), 0..3),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (name, id, transit_gateway, attachment_type, account),
                (vpc, subnets, appliance_mode, site, routing, advertised_prefixes),
                (peer_transit_gateway, transport_attachment, association, propagations, available),
            )| TransitGatewayAttachment {
                name,
                id,
                transit_gateway,
                attachment_type,
                account,
                vpc,
                subnets,
                appliance_mode,
                site,
                routing,
                advertised_prefixes,
                peer_transit_gateway,
                transport_attachment,
                association,
                propagations,
                available,
            },
        )
}

/// Transit Gateways, their route tables, attachments and on-prem sites.
fn tgw_part() -> impl Strategy<
    Value = (
        Vec<TransitGateway>,
        Vec<TransitGatewayRouteTable>,
        Vec<TransitGatewayAttachment>,
        Vec<OnPremSite>,
    ),
> {
    let tgw = (
        name(),
        id(),
        name(),
        name(),
        option::of(any::<u32>()),
        any::<bool>(),
        any::<bool>(),
        option::of(name()),
    )
        .prop_map(
            |(name, id, account, region, asn, dra, drp, default_route_table)| TransitGateway {
                name,
                id,
                account,
                region,
                asn,
                default_route_table_association: dra,
                default_route_table_propagation: drp,
                default_route_table,
            },
        );
    let rt = (
        name(),
        id(),
        name(),
        vec(
            (ipnet(), option::of(name()), any::<bool>()).prop_map(
                |(destination, attachment, blackhole)| TransitGatewayRoute {
                    destination,
                    attachment,
                    blackhole,
                },
            ),
            0..3,
        ),
        vec(
            (name(), option::of(name()), any::<bool>()).prop_map(
                |(prefix_list, attachment, blackhole)| TransitGatewayPrefixListReference {
                    prefix_list,
                    attachment,
                    blackhole,
                },
            ),
            0..2,
        ),
    )
        .prop_map(
            |(name, id, transit_gateway, routes, prefix_list_references)| {
                TransitGatewayRouteTable {
                    name,
                    id,
                    transit_gateway,
                    routes,
                    prefix_list_references,
                }
            },
        );
    (
        vec(tgw, 0..2),
        vec(rt, 0..3),
        vec(attachment(), 0..4),
        vec(
            (name(), vec(ipnet(), 0..3)).prop_map(|(name, prefixes)| OnPremSite { name, prefixes }),
            0..2,
        ),
    )
}

fn rule_group() -> impl Strategy<Value = RuleGroup> {
    let stateless = (
        any::<u32>(),
        vec("aws:(pass|drop|forward_to_sfe)|custom", 0..3),
        vec(ipnet(), 0..2),
        vec(ipnet(), 0..2),
        vec(ports(), 0..2),
        vec(ports(), 0..2),
        vec(protocol(), 0..2),
    )
        .prop_map(
            |(
                priority,
                actions,
                sources,
                destinations,
                source_ports,
                destination_ports,
                protocols,
            )| {
                StatelessRule {
                    priority,
                    actions,
                    sources,
                    destinations,
                    source_ports,
                    destination_ports,
                    protocols,
                }
            },
        );
    let stateful = (
        prop_oneof![
            Just(StatefulAction::Pass),
            Just(StatefulAction::Drop),
            Just(StatefulAction::Reject),
            Just(StatefulAction::Alert)
        ],
        protocol(),
        option::of(ipnet()),
        ports(),
        option::of(ipnet()),
        ports(),
        prop_oneof![
            Just(StatefulDirection::Forward),
            Just(StatefulDirection::Any)
        ],
        option::of(any::<u64>()),
    )
        .prop_map(
            |(
                action,
                protocol,
                source,
                source_port,
                destination,
                destination_port,
                direction,
                sid,
            )| {
                StatefulRule {
                    action,
                    protocol,
                    source,
                    source_port,
                    destination,
                    destination_port,
                    direction,
                    sid,
                }
            },
        );
    (
        name(),
        id(),
        prop_oneof![
            Just(RuleGroupType::Stateless),
            Just(RuleGroupType::Stateful)
        ],
        vec(stateless, 0..2),
        vec(stateful, 0..3),
        option::of(
            (
                vec("\\.?[a-z]{1,8}\\.com", 0..3),
                vec("TLS_SNI|HTTP_HOST", 0..2),
                "ALLOWLIST|DENYLIST",
            )
                .prop_map(|(targets, target_types, generated_rules_type)| DomainList {
                    targets,
                    target_types,
                    generated_rules_type,
                }),
        ),
        option::of(".{0,30}"),
    )
        .prop_map(
            |(name, id, group_type, stateless_rules, stateful_rules, domain_list, rules_string)| {
                RuleGroup {
                    name,
                    id,
                    group_type,
                    stateless_rules,
                    stateful_rules,
                    domain_list,
                    rules_string,
                }
            },
        )
}

/// Firewalls, policies, rule groups and Gateway Load Balancers.
fn inspection_part() -> impl Strategy<
    Value = (
        Vec<Firewall>,
        Vec<FirewallPolicy>,
        Vec<RuleGroup>,
        Vec<GatewayLoadBalancer>,
    ),
> {
    let policy = (
        name(),
        id(),
        vec("aws:(pass|drop|forward_to_sfe)", 0..2),
        vec("aws:(pass|drop|forward_to_sfe)", 0..2),
        vec(rgref(), 0..2),
        vec(rgref(), 0..2),
        prop_oneof![
            Just(RuleOrder::DefaultActionOrder),
            Just(RuleOrder::StrictOrder)
        ],
        vec("aws:(drop|alert)_(strict|established)", 0..2),
    )
        .prop_map(
            |(name, id, sda, sfda, slr, sfr, order, sfa)| FirewallPolicy {
                name,
                id,
                stateless_default_actions: sda,
                stateless_fragment_default_actions: sfda,
                stateless_rule_groups: slr,
                stateful_rule_groups: sfr,
                stateful_rule_order: order,
                stateful_default_actions: sfa,
            },
        );
    let firewall = (
        name(),
        id(),
        name(),
        name(),
        vec(
            (name(), id(), name()).prop_map(|(name, id, subnet)| FirewallEndpoint {
                name,
                id,
                subnet,
            }),
            0..3,
        ),
    )
        .prop_map(|(name, id, vpc, policy, endpoints)| Firewall {
            name,
            id,
            vpc,
            policy,
            endpoints,
        });
    let gwlb = (name(), id(), name(), vec(name(), 0..2), vec(name(), 0..2)).prop_map(
        |(name, id, vpc, subnets, appliances)| GatewayLoadBalancer {
            name,
            id,
            vpc,
            subnets,
            appliances,
        },
    );
    (
        vec(firewall, 0..2),
        vec(policy, 0..2),
        vec(rule_group(), 0..2),
        vec(gwlb, 0..2),
    )
}

fn rgref() -> impl Strategy<Value = RuleGroupReference> {
    (name(), option::of(any::<u32>())).prop_map(|(rule_group, priority)| RuleGroupReference {
        rule_group,
        priority,
    })
}

fn sg_rule() -> impl Strategy<Value = SecurityGroupRule> {
    (
        protocol(),
        ports(),
        option::of(ipnet()),
        option::of(name()),
        option::of(name()),
        option::of(".{0,10}"),
    )
        .prop_map(
            |(protocol, ports, cidr, prefix_list, security_group, description)| SecurityGroupRule {
                protocol,
                ports,
                cidr,
                prefix_list,
                security_group,
                description,
            },
        )
}

/// Security groups, NACLs and network interfaces.
fn filters_part(
) -> impl Strategy<Value = (Vec<SecurityGroup>, Vec<NetworkAcl>, Vec<NetworkInterface>)> {
    let sg = (
        name(),
        id(),
        name(),
        vec(sg_rule(), 0..3),
        vec(sg_rule(), 0..3),
    )
        .prop_map(|(name, id, vpc, ingress, egress)| SecurityGroup {
            name,
            id,
            vpc,
            ingress,
            egress,
        });
    let entry = (
        any::<u16>(),
        any::<bool>(),
        protocol(),
        ports(),
        ipnet(),
        prop_oneof![Just(RuleAction::Allow), Just(RuleAction::Deny)],
    )
        .prop_map(
            |(rule_number, egress, protocol, ports, cidr, action)| NetworkAclEntry {
                rule_number,
                egress,
                protocol,
                ports,
                cidr,
                action,
            },
        );
    let nacl = (
        name(),
        id(),
        name(),
        any::<bool>(),
        vec(name(), 0..3),
        vec(entry, 0..4),
    )
        .prop_map(|(name, id, vpc, default, subnets, entries)| NetworkAcl {
            name,
            id,
            vpc,
            default,
            subnets,
            entries,
        });
    let eni = (
        (name(), id(), option::of("i-[0-9a-f]{8}"), name()),
        (
            vec(ipaddr(), 0..3),
            option::of(ipv4()),
            vec(name(), 0..2),
            any::<bool>(),
            prop_oneof![
                Just(InterfaceRole::Workload),
                Just(InterfaceRole::Appliance),
                Just(InterfaceRole::LoadBalancer)
            ],
            btree_map("[a-z]{1,6}", ".{0,8}", 0..3),
        ),
    )
        .prop_map(
            |(
                (name, id, instance, subnet),
                (private_ips, public_ip, security_groups, source_dest_check, role, tags),
            )| NetworkInterface {
                name,
                id,
                instance,
                subnet,
                private_ips,
                public_ip,
                security_groups,
                source_dest_check,
                role,
                tags,
            },
        );
    (vec(sg, 0..2), vec(nacl, 0..2), vec(eni, 0..3))
}

/// A whole model: every collection, possibly empty.
pub fn model() -> impl Strategy<Value = Model> {
    (
        (
            name(),
            option::of(".{0,20}"),
            vec(region(), 0..2),
            vec(account(), 0..3),
            vec(vpc(), 0..3),
            vec(subnet(), 0..4),
            vec(route_table(), 0..3),
        ),
        gateways(),
        tgw_part(),
        inspection_part(),
        filters_part(),
        elb_part(),
    )
        .prop_map(
            |(
                (name, description, regions, accounts, vpcs, subnets, route_tables),
                (igws, eigws, nats, vgws, pcxs, pls, vpces),
                (tgws, tgw_rts, atts, sites),
                (fws, fw_policies, rgs, gwlbs),
                (sgs, nacls, enis),
                (nlbs, tgs),
            )| Model {
                name,
                description,
                regions,
                accounts,
                vpcs,
                subnets,
                route_tables,
                internet_gateways: igws,
                egress_only_internet_gateways: eigws,
                nat_gateways: nats,
                vpn_gateways: vgws,
                vpc_peering_connections: pcxs,
                prefix_lists: pls,
                vpc_endpoints: vpces,
                transit_gateways: tgws,
                transit_gateway_route_tables: tgw_rts,
                transit_gateway_attachments: atts,
                onprem_sites: sites,
                firewalls: fws,
                firewall_policies: fw_policies,
                rule_groups: rgs,
                gateway_load_balancers: gwlbs,
                network_load_balancers: nlbs,
                target_groups: tgs,
                security_groups: sgs,
                network_acls: nacls,
                network_interfaces: enis,
            },
        )
}
