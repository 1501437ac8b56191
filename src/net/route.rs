//! Routes: which route of a subnet's route table carries traffic towards an address range, and
//! whether it is the VPC's `local` route.
//!
//! AWS semantics this module follows
//! (<https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html>):
//!
//! - "We direct traffic using the most specific route that matches the traffic" (longest prefix
//!   match). IPv4 and IPv6 routes are independent.
//! - On equal prefix length, a static route to a CIDR block beats a route to a prefix list, which
//!   beats a propagated route; for routes that overlap, "more specific routes always take priority
//!   irrespective of whether they are propagated routes, static routes, or routes that reference
//!   prefix lists". A prefix-list route is as specific as its longest entry holding the
//!   destination. Prefix lists of equal specificity with different targets: AWS picks one, so
//!   the non-`local` one is reported.
//! - Every table has a `local` route per VPC CIDR, and "you can add a route ... that is more
//!   specific than the local route" (a whole subnet CIDR, to a NAT gateway, network interface or
//!   Gateway Load Balancer endpoint), or replace the local route's target, to send traffic
//!   between subnets through an appliance
//!   (<https://docs.aws.amazon.com/vpc/latest/userguide/intra-vpc-route.html>,
//!   <https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html>). The appliance must
//!   then pass TCP 2049 and see both directions ("asymmetric routing is not supported").
//! - A route in state `blackhole` has lost its target ("the specified gateway isn't attached to
//!   the VPC, or the specified NAT instance has been terminated",
//!   <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Route.html>); traffic it wins is
//!   dropped.
//! - Routing applies to traffic that leaves a subnet; traffic between interfaces of one subnet
//!   does not use the route table: callers skip same-subnet paths.
//!
//! Depends on the snapshot model, [`super::cidr`] and nothing else.

use std::cmp::Reverse;
use std::fmt;

use ipnet::IpNet;

use super::cidr::{self, Cidr, Family};
use super::PrefixListLookup;
use crate::snapshot::{Route, RouteTable};

/// How a route names its destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteDestination {
    /// `DestinationCidrBlock` / `DestinationIpv6CidrBlock`.
    Cidr(IpNet),
    /// `DestinationPrefixListId`, with the entry that matched.
    PrefixList {
        /// `pl-...`
        id: String,
        /// The entry.
        entry: IpNet,
    },
}

impl RouteDestination {
    /// The destination options of `aws ec2 delete-route` / `replace-route` for this route.
    pub fn cli_args(&self) -> String {
        match self {
            RouteDestination::Cidr(n @ IpNet::V4(_)) => {
                format!("--destination-cidr-block {}", Cidr(n))
            }
            RouteDestination::Cidr(n @ IpNet::V6(_)) => {
                format!("--destination-ipv6-cidr-block {}", Cidr(n))
            }
            RouteDestination::PrefixList { id, .. } => format!("--destination-prefix-list-id {id}"),
        }
    }
}

impl fmt::Display for RouteDestination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteDestination::Cidr(n) => write!(f, "{}", Cidr(n)),
            RouteDestination::PrefixList { id, entry } => {
                write!(f, "prefix list {id} (entry {})", Cidr(entry))
            }
        }
    }
}

/// The route that carries the traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenRoute {
    /// Its destination.
    pub destination: RouteDestination,
    /// Its target (`local`, `vpce-...`, `eni-...`, `nat-...`), when the snapshot names one.
    pub target: Option<String>,
}

impl ChosenRoute {
    /// The target id, or a placeholder for messages.
    pub fn target_or_unknown(&self) -> &str {
        self.target.as_deref().unwrap_or("an unnamed target")
    }
}

/// Where a route table sends traffic for a destination range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteVerdict {
    /// The `local` route: the VPC router delivers it directly.
    Local(ChosenRoute),
    /// A route to another target (an appliance, a Gateway Load Balancer endpoint, a NAT
    /// gateway ...), for all or part of the range.
    Middlebox(ChosenRoute),
    /// A blackhole route: the traffic is dropped.
    Blackhole(ChosenRoute),
    /// No route holds the range.
    NoRoute,
    /// A route that might win could not be read (prefix-list entries not collected, an
    /// unreadable destination): one sentence fragment each.
    Unknown(Vec<String>),
}

/// Priority class on equal prefix length (lower wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    StaticCidr,
    PrefixList,
    Propagated,
}

struct Candidate<'r> {
    prefix_len: u8,
    class: Class,
    route: &'r Route,
    destination: RouteDestination,
}

fn is_local(route: &Route) -> bool {
    route.target() == Some("local")
}

fn is_blackhole(route: &Route) -> bool {
    route
        .state
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("blackhole"))
}

fn chosen(c: &Candidate<'_>) -> ChosenRoute {
    ChosenRoute {
        destination: c.destination.clone(),
        target: c.route.target().map(str::to_owned),
    }
}

/// The route a table uses for traffic to `destination` (the mount target's host block, or the
/// task subnet's block for replies).
pub fn route_to(
    table: &RouteTable,
    destination: IpNet,
    prefix_lists: &PrefixListLookup<'_>,
) -> RouteVerdict {
    let family = Family::of(&destination);
    let mut holding: Vec<Candidate<'_>> = Vec::new();
    // Routes more specific than the destination range: they carry part of it.
    let mut inside: Vec<Candidate<'_>> = Vec::new();
    let mut unreadable: Vec<String> = Vec::new();
    let id = &table.route_table_id;

    for route in &table.routes {
        let propagated = route
            .origin
            .as_deref()
            .is_some_and(|o| o.eq_ignore_ascii_case("EnableVgwRoutePropagation"));
        let block = match family {
            Family::V4 => route.destination_cidr_block.as_deref(),
            Family::V6 => route.destination_ipv6_cidr_block.as_deref(),
        };
        if let Some(text) = block {
            match cidr::parse_net(text) {
                Ok(net) if cidr::contains(&net, &destination) => holding.push(Candidate {
                    prefix_len: net.prefix_len(),
                    class: if propagated {
                        Class::Propagated
                    } else {
                        Class::StaticCidr
                    },
                    route,
                    destination: RouteDestination::Cidr(net),
                }),
                Ok(net) if cidr::contains(&destination, &net) => inside.push(Candidate {
                    prefix_len: net.prefix_len(),
                    class: Class::StaticCidr,
                    route,
                    destination: RouteDestination::Cidr(net),
                }),
                Ok(_) => {}
                Err(e) => unreadable.push(format!("{id} has a route whose {e}")),
            }
        } else if let Some(pl) = route.destination_prefix_list_id.as_deref() {
            let list = match prefix_lists(pl) {
                Ok(list) => list,
                Err(why) => {
                    unreadable.push(why);
                    continue;
                }
            };
            let Some(entries) = &list.entries else {
                unreadable.push(format!(
                    "the entries of prefix list {pl} were not collected"
                ));
                continue;
            };
            let mut best: Option<IpNet> = None;
            for e in entries {
                match cidr::parse_net(&e.cidr) {
                    Ok(net) if cidr::contains(&net, &destination) => {
                        if best.is_none_or(|b| net.prefix_len() > b.prefix_len()) {
                            best = Some(net);
                        }
                    }
                    Ok(net) if cidr::contains(&destination, &net) && net != destination => {
                        inside.push(Candidate {
                            prefix_len: net.prefix_len(),
                            class: Class::PrefixList,
                            route,
                            destination: RouteDestination::PrefixList {
                                id: pl.to_owned(),
                                entry: net,
                            },
                        });
                    }
                    Ok(_) => {}
                    Err(e) => unreadable.push(format!("prefix list {pl} has an entry whose {e}")),
                }
            }
            if let Some(net) = best {
                holding.push(Candidate {
                    prefix_len: net.prefix_len(),
                    class: if propagated {
                        Class::Propagated
                    } else {
                        Class::PrefixList
                    },
                    route,
                    destination: RouteDestination::PrefixList {
                        id: pl.to_owned(),
                        entry: net,
                    },
                });
            }
        }
    }

    let best_key = holding
        .iter()
        .map(|c| (c.prefix_len, Reverse(c.class)))
        .max();
    if !unreadable.is_empty() {
        // An unreadable route decides nothing only when the winner is a static route exactly as
        // specific as the destination: nothing can beat it.
        let settled = best_key.is_some_and(|(len, Reverse(class))| {
            len == destination.prefix_len() && class == Class::StaticCidr
        });
        if !settled {
            return RouteVerdict::Unknown(unreadable);
        }
    }
    let winners: Vec<&Candidate<'_>> = holding
        .iter()
        .filter(|c| Some((c.prefix_len, Reverse(c.class))) == best_key)
        .collect();
    // Equal prefix lists with different targets: AWS picks one; report the non-local one.
    let winner = winners
        .iter()
        .find(|c| !is_local(c.route))
        .or_else(|| winners.first())
        .copied();
    let detour = inside.iter().find(|c| !is_local(c.route));
    match winner {
        Some(w) if is_blackhole(w.route) => RouteVerdict::Blackhole(chosen(w)),
        Some(w) if !is_local(w.route) => RouteVerdict::Middlebox(chosen(w)),
        Some(w) => match detour {
            Some(d) if is_blackhole(d.route) => RouteVerdict::Blackhole(chosen(d)),
            Some(d) => RouteVerdict::Middlebox(chosen(d)),
            None => RouteVerdict::Local(chosen(w)),
        },
        None => match detour {
            Some(d) => RouteVerdict::Middlebox(chosen(d)),
            None => RouteVerdict::NoRoute,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{ManagedPrefixList, PrefixListEntry};

    fn net(s: &str) -> IpNet {
        cidr::parse_net(s).unwrap()
    }

    fn table(routes: &str) -> RouteTable {
        serde_json::from_str(&format!(
            r#"{{"RouteTableId":"rtb-1","Routes":[{routes}]}}"#
        ))
        .unwrap()
    }

    fn no_lists(id: &str) -> Result<&'static ManagedPrefixList, String> {
        Err(format!("{id} is not in ec2.ManagedPrefixLists"))
    }

    fn target(v: &RouteVerdict) -> (&'static str, String, String) {
        match v {
            RouteVerdict::Local(c) => (
                "local",
                c.destination.to_string(),
                c.target_or_unknown().into(),
            ),
            RouteVerdict::Middlebox(c) => (
                "middlebox",
                c.destination.to_string(),
                c.target_or_unknown().into(),
            ),
            RouteVerdict::Blackhole(c) => (
                "blackhole",
                c.destination.to_string(),
                c.target_or_unknown().into(),
            ),
            RouteVerdict::NoRoute => ("none", String::new(), String::new()),
            RouteVerdict::Unknown(why) => ("unknown", why.join("; "), String::new()),
        }
    }

    const LOCAL: &str = r#"{"DestinationCidrBlock":"10.0.0.0/16","GatewayId":"local","State":"active","Origin":"CreateRouteTable"}"#;

    /// The guide's longest-prefix example: local VPC route, a peering route and a default route
    /// (<https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html>).
    #[test]
    fn guide_longest_prefix_example() {
        let t = table(&format!(
            r#"{LOCAL},
            {{"DestinationCidrBlock":"172.31.0.0/16","VpcPeeringConnectionId":"pcx-11223344556677889","State":"active"}},
            {{"DestinationCidrBlock":"0.0.0.0/0","GatewayId":"igw-12345678901234567","State":"active"}}"#
        ));
        let to = |ip: &str| target(&route_to(&t, net(ip), &no_lists));
        assert_eq!(
            to("10.0.2.10"),
            ("local", "10.0.0.0/16".into(), "local".into())
        );
        assert_eq!(to("172.31.5.5").2, "pcx-11223344556677889");
        assert_eq!(to("8.8.8.8").2, "igw-12345678901234567");
        // No IPv6 route at all.
        assert_eq!(to("2001:db8::1").0, "none");
    }

    /// The middlebox example: subnet A's table sends subnet B's CIDR to an appliance ENI
    /// (<https://docs.aws.amazon.com/vpc/latest/userguide/intra-vpc-route.html>).
    #[test]
    fn more_specific_route_to_an_appliance() {
        let a = table(&format!(
            r#"{LOCAL},{{"DestinationCidrBlock":"10.0.2.0/24","NetworkInterfaceId":"eni-0appliance","State":"active"}}"#
        ));
        assert_eq!(
            target(&route_to(&a, net("10.0.2.10"), &no_lists)),
            ("middlebox", "10.0.2.0/24".into(), "eni-0appliance".into())
        );
        // Other subnets still use the local route.
        assert_eq!(
            target(&route_to(&a, net("10.0.3.10"), &no_lists)).0,
            "local"
        );
        // The reply path is judged for the whole task subnet.
        assert_eq!(
            target(&route_to(&a, net("10.0.2.0/24"), &no_lists)).0,
            "middlebox"
        );
        assert_eq!(
            target(&route_to(&a, net("10.0.1.0/24"), &no_lists)).0,
            "local"
        );
    }

    #[test]
    fn firewall_endpoint_and_replaced_local_target() {
        let fw = table(&format!(
            r#"{LOCAL},{{"DestinationCidrBlock":"10.0.2.0/24","VpcEndpointId":"vpce-0firewall","State":"active"}}"#
        ));
        assert_eq!(
            target(&route_to(&fw, net("10.0.2.10"), &no_lists)).2,
            "vpce-0firewall"
        );
        // The local route's own target replaced by an appliance.
        let replaced = table(
            r#"{"DestinationCidrBlock":"10.0.0.0/16","NetworkInterfaceId":"eni-0inspect","State":"active","Origin":"CreateRouteTable"}"#,
        );
        assert_eq!(
            target(&route_to(&replaced, net("10.0.2.10"), &no_lists)),
            ("middlebox", "10.0.0.0/16".into(), "eni-0inspect".into())
        );
    }

    #[test]
    fn blackhole_route_drops_traffic() {
        let t = table(&format!(
            r#"{LOCAL},{{"DestinationCidrBlock":"10.0.2.0/24","NetworkInterfaceId":"eni-0gone","State":"blackhole"}}"#
        ));
        let v = route_to(&t, net("10.0.2.10"), &no_lists);
        assert_eq!(target(&v).0, "blackhole");
        let RouteVerdict::Blackhole(c) = v else {
            unreachable!()
        };
        assert_eq!(
            c.destination.cli_args(),
            "--destination-cidr-block 10.0.2.0/24"
        );
    }

    #[test]
    fn prefix_list_routes_count_with_their_entries() {
        let list = ManagedPrefixList {
            prefix_list_id: "pl-inspect".into(),
            entries: Some(vec![
                PrefixListEntry {
                    cidr: "10.0.2.0/24".into(),
                    description: None,
                },
                PrefixListEntry {
                    cidr: "192.168.0.0/16".into(),
                    description: None,
                },
            ]),
            ..ManagedPrefixList::default()
        };
        let lookup = |_: &str| -> Result<&ManagedPrefixList, String> { Ok(&list) };
        let t = table(&format!(
            r#"{LOCAL},{{"DestinationPrefixListId":"pl-inspect","TransitGatewayId":"tgw-1","State":"active"}}"#
        ));
        assert_eq!(
            target(&route_to(&t, net("10.0.2.10"), &lookup)),
            (
                "middlebox",
                "prefix list pl-inspect (entry 10.0.2.0/24)".into(),
                "tgw-1".into()
            )
        );
        assert_eq!(target(&route_to(&t, net("10.0.3.10"), &lookup)).0, "local");
        // Entries not collected: it might be more specific than local.
        let (kind, why, _) = target(&route_to(&t, net("10.0.3.10"), &no_lists));
        assert_eq!(
            (kind, why.as_str()),
            ("unknown", "pl-inspect is not in ec2.ManagedPrefixLists")
        );
    }

    #[test]
    fn equal_length_static_cidr_beats_prefix_list_and_propagated() {
        let list = ManagedPrefixList {
            prefix_list_id: "pl-1".into(),
            entries: Some(vec![PrefixListEntry {
                cidr: "10.0.2.0/24".into(),
                description: None,
            }]),
            ..ManagedPrefixList::default()
        };
        let lookup = |_: &str| -> Result<&ManagedPrefixList, String> { Ok(&list) };
        let t = table(
            r#"{"DestinationPrefixListId":"pl-1","NetworkInterfaceId":"eni-pl","State":"active"},
               {"DestinationCidrBlock":"10.0.2.0/24","GatewayId":"vgw-1","State":"active","Origin":"EnableVgwRoutePropagation"},
               {"DestinationCidrBlock":"10.0.2.0/24","NetworkInterfaceId":"eni-static","State":"active","Origin":"CreateRoute"}"#,
        );
        assert_eq!(
            target(&route_to(&t, net("10.0.2.10"), &lookup)).2,
            "eni-static"
        );
        // Without the static route, the prefix list beats the propagated route.
        let t = table(
            r#"{"DestinationPrefixListId":"pl-1","NetworkInterfaceId":"eni-pl","State":"active"},
               {"DestinationCidrBlock":"10.0.2.0/24","GatewayId":"vgw-1","State":"active","Origin":"EnableVgwRoutePropagation"}"#,
        );
        assert_eq!(target(&route_to(&t, net("10.0.2.10"), &lookup)).2, "eni-pl");
        // A more specific propagated route still wins.
        let t = table(
            r#"{"DestinationCidrBlock":"10.0.0.0/16","GatewayId":"local","State":"active"},
               {"DestinationCidrBlock":"10.0.2.0/25","GatewayId":"vgw-1","State":"active","Origin":"EnableVgwRoutePropagation"}"#,
        );
        assert_eq!(target(&route_to(&t, net("10.0.2.10"), &lookup)).2, "vgw-1");
    }

    #[test]
    fn ipv6_routes_for_ipv6_destinations() {
        let t = table(&format!(
            r#"{LOCAL},{{"DestinationIpv6CidrBlock":"2001:db8::/56","GatewayId":"local","State":"active"}},
            {{"DestinationIpv6CidrBlock":"2001:db8:0:2::/64","VpcEndpointId":"vpce-0fw6","State":"active"}}"#
        ));
        assert_eq!(
            target(&route_to(&t, net("2001:db8:0:2::10"), &no_lists)).2,
            "vpce-0fw6"
        );
        assert_eq!(
            target(&route_to(&t, net("2001:db8:0:3::10"), &no_lists)).0,
            "local"
        );
        assert_eq!(
            target(&route_to(&t, net("10.0.2.10"), &no_lists)).0,
            "local"
        );
    }

    #[test]
    fn unreadable_routes_only_matter_when_they_could_win() {
        let t = table(&format!(
            r#"{LOCAL},{{"DestinationCidrBlock":"10.0.2.x/24","NetworkInterfaceId":"eni-1","State":"active"}}"#
        ));
        assert_eq!(
            target(&route_to(&t, net("10.0.2.10"), &no_lists)).0,
            "unknown"
        );
        let t = table(&format!(
            r#"{LOCAL},{{"DestinationCidrBlock":"10.0.2.10/32","GatewayId":"local","State":"active"}},
            {{"DestinationCidrBlock":"bad","NetworkInterfaceId":"eni-1","State":"active"}}"#
        ));
        assert_eq!(
            target(&route_to(&t, net("10.0.2.10"), &no_lists)).0,
            "local"
        );
    }
}
