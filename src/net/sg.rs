//! Security groups: does a set of groups let TCP 2049 through between a task and a mount target?
//!
//! AWS semantics this module follows:
//!
//! - Security groups are stateful and only allow: "If you send a request from your instance, the
//!   response traffic for that request is allowed to flow in regardless of inbound security group
//!   rules", and the rules of all groups of an interface are aggregated into one set
//!   (<https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html>). So the mount
//!   needs exactly two things: an *inbound* rule on one of the mount target's groups and an
//!   *outbound* rule on one of the task's groups, both open for TCP 2049
//!   (<https://docs.aws.amazon.com/efs/latest/ug/network-access.html>).
//! - A rule's protocol is a name or number; `-1` is every protocol, and then the port range does
//!   not apply; `tcp`/`6` carry NFS when `FromPort..=ToPort` holds 2049
//!   (<https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html>).
//! - A peer is a security group (`UserIdGroupPairs`): the rule matches traffic from (to) any
//!   interface in that group, including the group itself when it references itself, as the VPC
//!   default group does (<https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html>);
//!   an IPv4 or IPv6 block (`IpRanges`, `Ipv6Ranges`, never across families); or a managed prefix
//!   list, which stands for its entries
//!   (<https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists-referencing.html>).
//! - A task's address is not known before it starts: it is any address of its subnet. A block
//!   must hold the whole subnet for the rule to hold for every task; blocks that together hold
//!   only part of it give [`SgVerdict::Partial`].
//!
//! Depends on the snapshot model, [`super::cidr`] and nothing else.

use std::fmt;

use ipnet::IpNet;

use super::cidr::{self, Cidr, Family, SpanSet};
use super::{PortSpan, PrefixListLookup, Protocol, NFS_PORT};
use crate::snapshot::{IpPermission, SecurityGroup};

/// Which rules of a group are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `IpPermissions`: traffic into the interfaces of the group.
    Inbound,
    /// `IpPermissionsEgress`: traffic out of them.
    Outbound,
}

/// The other end of the connection, as a security-group rule can name it.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint<'a> {
    /// The security groups of that end (task groups, or mount-target groups).
    pub groups: &'a [&'a str],
    /// Its addresses: the task subnet's block (every address a task may get), or the mount
    /// target's host block.
    pub addresses: IpNet,
}

/// What a rule names as its peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Peer {
    /// A security group (`UserIdGroupPairs[].GroupId`).
    Group(String),
    /// An address block (`IpRanges[].CidrIp` or `Ipv6Ranges[].CidrIpv6`).
    Cidr(IpNet),
    /// A managed prefix list; `entry` is the entry that matched, when one did.
    PrefixList {
        /// `pl-...`
        id: String,
        /// The matching entry.
        entry: Option<IpNet>,
    },
}

/// One rule of one group that is open for TCP 2049, with the peer it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The group holding the rule.
    pub group_id: String,
    /// Inbound or outbound.
    pub direction: Direction,
    /// Its protocol.
    pub protocol: Protocol,
    /// Its ports (every port for protocol `-1`).
    pub ports: PortSpan,
    /// Its peer.
    pub peer: Peer,
}

impl Grant {
    /// Whether the rule references the group that holds it.
    pub fn is_self_reference(&self) -> bool {
        matches!(&self.peer, Peer::Group(g) if *g == self.group_id)
    }
}

impl fmt::Display for Grant {
    /// `sg-0efs allows TCP 2049 from sg-0app`, for messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} allows ", self.group_id)?;
        match self.protocol {
            Protocol::Tcp => write!(f, "TCP {}", self.ports)?,
            _ => write!(f, "{}", self.protocol)?,
        }
        f.write_str(match self.direction {
            Direction::Inbound => " from ",
            Direction::Outbound => " to ",
        })?;
        match &self.peer {
            Peer::Group(_) if self.is_self_reference() => f.write_str("itself"),
            Peer::Group(g) => f.write_str(g),
            Peer::Cidr(n) => write!(f, "{}", Cidr(n)),
            Peer::PrefixList { id, entry: Some(e) } => {
                write!(f, "prefix list {id} (entry {})", Cidr(e))
            }
            Peer::PrefixList { id, entry: None } => write!(f, "prefix list {id}"),
        }
    }
}

/// Rules for messages: `sg-a allows TCP 2049 from sg-b; sg-a allows all traffic from 10.0.0.0/16`.
pub fn describe(grants: &[Grant]) -> String {
    let parts: Vec<String> = grants.iter().map(ToString::to_string).collect();
    parts.join("; ")
}

/// Whether the groups let the connection through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SgVerdict {
    /// Allowed for every address of the endpoint, by these rules (one, or several blocks that
    /// together hold the whole subnet).
    Allowed(Vec<Grant>),
    /// Address rules hold only part of the endpoint's block: tasks that get an address in
    /// `uncovered` are refused.
    Partial {
        /// The rules that hold part of the block.
        grants: Vec<Grant>,
        /// The addresses no rule holds.
        uncovered: Vec<IpNet>,
    },
    /// No rule found allows it, but some data needed to be sure is missing (a prefix list whose
    /// entries were not collected, an unreadable CIDR): one sentence fragment each.
    Unknown(Vec<String>),
    /// No rule allows it. `open_to_others` are the rules open for TCP 2049 that name other peers
    /// (for the message: "allows TCP 2049 only from ...").
    Denied {
        /// Rules open for TCP 2049 to other peers.
        open_to_others: Vec<Grant>,
    },
}

impl SgVerdict {
    /// How bad the verdict is, worst first: denied, unknown, partial, allowed. Used to report
    /// the worst of several address families.
    pub fn rank(&self) -> u8 {
        match self {
            SgVerdict::Denied { .. } => 0,
            SgVerdict::Unknown(_) => 1,
            SgVerdict::Partial { .. } => 2,
            SgVerdict::Allowed(_) => 3,
        }
    }
}

/// Whether the mount target's groups allow inbound TCP 2049 from the task (by group reference,
/// a block holding the whole task subnet, or a prefix-list entry doing so).
pub fn inbound_nfs(
    mount_target_groups: &[&SecurityGroup],
    task: &Endpoint<'_>,
    prefix_lists: &PrefixListLookup<'_>,
) -> SgVerdict {
    evaluate(mount_target_groups, Direction::Inbound, task, prefix_lists)
}

/// Whether the task's groups allow outbound TCP 2049 to the mount target (to one of its groups,
/// or a block or prefix-list entry holding its address).
pub fn outbound_nfs(
    task_groups: &[&SecurityGroup],
    mount_target: &Endpoint<'_>,
    prefix_lists: &PrefixListLookup<'_>,
) -> SgVerdict {
    evaluate(task_groups, Direction::Outbound, mount_target, prefix_lists)
}

/// Protocol and ports of a rule when it carries TCP 2049.
fn nfs_ports(p: &IpPermission) -> Option<(Protocol, PortSpan)> {
    let protocol = Protocol::parse(&p.ip_protocol);
    let ports = match protocol {
        // "-1 ... allows traffic on all ports, regardless of any port range you specify".
        Protocol::All => PortSpan::ALL,
        Protocol::Tcp => PortSpan::from_bounds(p.from_port, p.to_port),
        Protocol::Other(_) => return None,
    };
    ports.contains(NFS_PORT).then_some((protocol, ports))
}

fn evaluate(
    guards: &[&SecurityGroup],
    direction: Direction,
    peer: &Endpoint<'_>,
    prefix_lists: &PrefixListLookup<'_>,
) -> SgVerdict {
    let family = Family::of(&peer.addresses);
    let mut missing: Vec<String> = Vec::new();
    let mut by_address: Vec<(IpNet, Grant)> = Vec::new();
    let mut open_to_others: Vec<Grant> = Vec::new();

    for sg in guards {
        let rules = match direction {
            Direction::Inbound => &sg.ip_permissions,
            Direction::Outbound => &sg.ip_permissions_egress,
        };
        for p in rules {
            let Some((protocol, ports)) = nfs_ports(p) else {
                continue;
            };
            let grant = |peer: Peer| Grant {
                group_id: sg.group_id.clone(),
                direction,
                protocol: protocol.clone(),
                ports,
                peer,
            };
            for pair in &p.user_id_group_pairs {
                let Some(id) = pair.group_id.as_deref() else {
                    continue;
                };
                let g = grant(Peer::Group(id.to_owned()));
                if peer.groups.contains(&id) {
                    return SgVerdict::Allowed(vec![g]);
                }
                open_to_others.push(g);
            }
            let blocks = p
                .ip_ranges
                .iter()
                .map(|r| (Family::V4, r.cidr_ip.as_str()))
                .chain(
                    p.ipv6_ranges
                        .iter()
                        .map(|r| (Family::V6, r.cidr_ipv6.as_str())),
                );
            for (block_family, text) in blocks {
                match cidr::parse_net(text) {
                    Ok(n) if Family::of(&n) == family => by_address.push((n, grant(Peer::Cidr(n)))),
                    Ok(n) => open_to_others.push(grant(Peer::Cidr(n))),
                    // An unreadable block of the other family cannot matter.
                    Err(e) if block_family == family => {
                        missing.push(format!("{} has a rule whose {e}", sg.group_id));
                    }
                    Err(_) => {}
                }
            }
            for pl in &p.prefix_list_ids {
                let id = pl.prefix_list_id.as_str();
                let list = match prefix_lists(id) {
                    Ok(list) => list,
                    Err(why) => {
                        missing.push(why);
                        continue;
                    }
                };
                let Some(entries) = &list.entries else {
                    missing.push(format!(
                        "the entries of prefix list {id} were not collected"
                    ));
                    continue;
                };
                let mut any = false;
                for e in entries {
                    match cidr::parse_net(&e.cidr) {
                        Ok(n)
                            if Family::of(&n) == family && cidr::overlaps(&n, &peer.addresses) =>
                        {
                            any = true;
                            by_address.push((
                                n,
                                grant(Peer::PrefixList {
                                    id: id.to_owned(),
                                    entry: Some(n),
                                }),
                            ));
                        }
                        Ok(_) => {}
                        Err(e) => missing.push(format!("prefix list {id} has an entry whose {e}")),
                    }
                }
                if !any {
                    open_to_others.push(grant(Peer::PrefixList {
                        id: id.to_owned(),
                        entry: None,
                    }));
                }
            }
        }
    }

    let target = &peer.addresses;
    if let Some((_, g)) = by_address.iter().find(|(n, _)| cidr::contains(n, target)) {
        return SgVerdict::Allowed(vec![g.clone()]);
    }
    let mut left = SpanSet::of(target);
    let mut used = Vec::new();
    for (n, g) in &by_address {
        if left.remove(n) {
            used.push(g.clone());
        } else if !cidr::overlaps(n, target) {
            open_to_others.push(g.clone());
        }
    }
    if left.is_empty() {
        return SgVerdict::Allowed(used);
    }
    if !missing.is_empty() {
        let mut seen = Vec::new();
        missing.retain(|m| {
            let fresh = !seen.contains(m);
            seen.push(m.clone());
            fresh
        });
        return SgVerdict::Unknown(missing);
    }
    if !used.is_empty() {
        return SgVerdict::Partial {
            grants: used,
            uncovered: left.cidrs(),
        };
    }
    SgVerdict::Denied { open_to_others }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{ManagedPrefixList, PrefixListEntry};

    fn sg(json: &str) -> SecurityGroup {
        serde_json::from_str(json).unwrap()
    }

    fn net(s: &str) -> IpNet {
        cidr::parse_net(s).unwrap()
    }

    fn no_lists(id: &str) -> Result<&'static ManagedPrefixList, String> {
        Err(format!("{id} is not in ec2.ManagedPrefixLists"))
    }

    fn task<'a>(groups: &'a [&'a str], subnet: &str) -> Endpoint<'a> {
        Endpoint {
            groups,
            addresses: net(subnet),
        }
    }

    fn inbound(json: &str, task_groups: &[&str], subnet: &str) -> SgVerdict {
        inbound_nfs(&[&sg(json)], &task(task_groups, subnet), &no_lists)
    }

    fn allowed_by(v: &SgVerdict) -> Vec<String> {
        match v {
            SgVerdict::Allowed(g) => g.iter().map(ToString::to_string).collect(),
            other => panic!("not allowed: {other:?}"),
        }
    }

    /// The default security group: "Allow inbound traffic from network interfaces (and their
    /// associated instances) that are assigned to the same security group" and all outbound
    /// (<https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html>).
    const DEFAULT_SG: &str = r#"{"GroupId":"sg-default","GroupName":"default","VpcId":"vpc-1",
        "IpPermissions":[{"IpProtocol":"-1","UserIdGroupPairs":[{"GroupId":"sg-default","UserId":"123456789012"}]}],
        "IpPermissionsEgress":[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]}"#;

    #[test]
    fn default_group_admits_its_own_members_only() {
        let v = inbound(DEFAULT_SG, &["sg-default"], "10.0.1.0/24");
        assert_eq!(
            allowed_by(&v),
            ["sg-default allows all traffic from itself"]
        );
        let SgVerdict::Allowed(g) = &v else {
            unreachable!()
        };
        assert!(g[0].is_self_reference());

        match inbound(DEFAULT_SG, &["sg-app"], "10.0.1.0/24") {
            SgVerdict::Denied { open_to_others } => {
                assert_eq!(open_to_others.len(), 1);
                assert!(open_to_others[0].is_self_reference());
            }
            other => panic!("{other:?}"),
        }
        // Its outbound rule reaches any IPv4 mount target address, but not IPv6.
        let mt = Endpoint {
            groups: &["sg-efs"],
            addresses: net("10.0.2.10"),
        };
        assert_eq!(
            allowed_by(&outbound_nfs(&[&sg(DEFAULT_SG)], &mt, &no_lists)),
            ["sg-default allows all traffic to 0.0.0.0/0"]
        );
        let mt6 = Endpoint {
            groups: &["sg-efs"],
            addresses: net("2001:db8:0:2::10"),
        };
        assert!(matches!(
            outbound_nfs(&[&sg(DEFAULT_SG)], &mt6, &no_lists),
            SgVerdict::Denied { .. }
        ));
    }

    /// The EFS guide's pair of groups: the mount-target group admits NFS from the instance
    /// group, and the instance group keeps its default all-outbound rule
    /// (<https://docs.aws.amazon.com/efs/latest/ug/accessing-fs-create-security-groups.html>).
    #[test]
    fn efs_guide_example() {
        let efs = sg(
            r#"{"GroupId":"sg-efs","IpPermissions":[{"IpProtocol":"tcp","FromPort":2049,"ToPort":2049,
            "UserIdGroupPairs":[{"GroupId":"sg-ec2"}]}],
            "IpPermissionsEgress":[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]}"#,
        );
        let ec2 = sg(
            r#"{"GroupId":"sg-ec2","IpPermissions":[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,
            "IpRanges":[{"CidrIp":"0.0.0.0/0"}]}],
            "IpPermissionsEgress":[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]}"#,
        );
        let t = task(&["sg-ec2"], "10.0.1.0/24");
        assert_eq!(
            allowed_by(&inbound_nfs(&[&efs], &t, &no_lists)),
            ["sg-efs allows TCP 2049 from sg-ec2"]
        );
        let mt = Endpoint {
            groups: &["sg-efs"],
            addresses: net("10.0.2.10"),
        };
        assert!(matches!(
            outbound_nfs(&[&ec2], &mt, &no_lists),
            SgVerdict::Allowed(_)
        ));
        // The instance group's own inbound SSH rule does not make it a mount target group.
        assert!(matches!(
            inbound_nfs(&[&ec2], &t, &no_lists),
            SgVerdict::Denied { .. }
        ));
    }

    #[test]
    fn protocols_and_ports() {
        let rule = |proto: &str, from: i64, to: i64| {
            format!(
                r#"{{"GroupId":"sg-efs","IpPermissions":[{{"IpProtocol":"{proto}","FromPort":{from},"ToPort":{to},
                "UserIdGroupPairs":[{{"GroupId":"sg-app"}}]}}]}}"#
            )
        };
        let ok = |json: String| {
            matches!(
                inbound(&json, &["sg-app"], "10.0.1.0/24"),
                SgVerdict::Allowed(_)
            )
        };
        assert!(ok(rule("tcp", 2049, 2049)));
        assert!(ok(rule("6", 2049, 2049)));
        assert!(ok(rule("TCP", 2000, 3000)));
        assert!(ok(rule("-1", -1, -1)));
        // -1 ignores whatever port range is written.
        assert!(ok(rule("-1", 22, 22)));
        assert!(!ok(rule("tcp", 2050, 3000)));
        assert!(!ok(rule("tcp", 111, 111)));
        assert!(!ok(rule("udp", 2049, 2049)));
        assert!(!ok(rule("17", 2049, 2049)));
    }

    #[test]
    fn any_group_of_the_union_may_allow() {
        let a = sg(r#"{"GroupId":"sg-a","IpPermissions":[]}"#);
        let b = sg(
            r#"{"GroupId":"sg-b","IpPermissions":[{"IpProtocol":"tcp","FromPort":2049,"ToPort":2049,
            "UserIdGroupPairs":[{"GroupId":"sg-app2"}]}]}"#,
        );
        let t = task(&["sg-app1", "sg-app2"], "10.0.1.0/24");
        assert_eq!(
            allowed_by(&inbound_nfs(&[&a, &b], &t, &no_lists)),
            ["sg-b allows TCP 2049 from sg-app2"]
        );
    }

    #[test]
    fn blocks_must_hold_the_whole_subnet() {
        let with = |cidrs: &str| {
            format!(
                r#"{{"GroupId":"sg-efs","IpPermissions":[{{"IpProtocol":"tcp","FromPort":2049,"ToPort":2049,
                "IpRanges":[{cidrs}]}}]}}"#
            )
        };
        let v = inbound(
            &with(r#"{"CidrIp":"10.0.0.0/16"}"#),
            &["sg-app"],
            "10.0.1.0/24",
        );
        assert_eq!(allowed_by(&v), ["sg-efs allows TCP 2049 from 10.0.0.0/16"]);

        match inbound(
            &with(r#"{"CidrIp":"10.0.1.0/25"}"#),
            &["sg-app"],
            "10.0.1.0/24",
        ) {
            SgVerdict::Partial { grants, uncovered } => {
                assert_eq!(grants.len(), 1);
                assert_eq!(uncovered, vec![net("10.0.1.128/25")]);
            }
            other => panic!("{other:?}"),
        }
        // Two halves together hold it.
        let v = inbound(
            &with(r#"{"CidrIp":"10.0.1.0/25"},{"CidrIp":"10.0.1.128/25"}"#),
            &["sg-app"],
            "10.0.1.0/24",
        );
        assert_eq!(allowed_by(&v).len(), 2);
        // A block elsewhere in the VPC is a near miss.
        match inbound(
            &with(r#"{"CidrIp":"10.0.9.0/24"}"#),
            &["sg-app"],
            "10.0.1.0/24",
        ) {
            SgVerdict::Denied { open_to_others } => {
                assert_eq!(
                    open_to_others[0].to_string(),
                    "sg-efs allows TCP 2049 from 10.0.9.0/24"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ipv6_blocks_match_ipv6_paths_only() {
        let json = r#"{"GroupId":"sg-efs","IpPermissions":[{"IpProtocol":"tcp","FromPort":2049,"ToPort":2049,
            "Ipv6Ranges":[{"CidrIpv6":"::/0"}]}]}"#;
        assert!(matches!(
            inbound(json, &["sg-app"], "10.0.1.0/24"),
            SgVerdict::Denied { .. }
        ));
        assert!(matches!(
            inbound(json, &["sg-app"], "2001:db8:0:1::/64"),
            SgVerdict::Allowed(_)
        ));
    }

    #[test]
    fn prefix_lists_resolve_to_their_entries() {
        let json = r#"{"GroupId":"sg-efs","IpPermissions":[{"IpProtocol":"tcp","FromPort":2049,"ToPort":2049,
            "PrefixListIds":[{"PrefixListId":"pl-app"}]}]}"#;
        let collected = ManagedPrefixList {
            prefix_list_id: "pl-app".into(),
            entries: Some(vec![PrefixListEntry {
                cidr: "10.0.0.0/20".into(),
                description: None,
            }]),
            ..ManagedPrefixList::default()
        };
        let not_collected = ManagedPrefixList {
            prefix_list_id: "pl-app".into(),
            ..ManagedPrefixList::default()
        };
        let lookup = |_: &str| -> Result<&ManagedPrefixList, String> { Ok(&collected) };
        let t = task(&["sg-app"], "10.0.1.0/24");
        assert_eq!(
            allowed_by(&inbound_nfs(&[&sg(json)], &t, &lookup)),
            ["sg-efs allows TCP 2049 from prefix list pl-app (entry 10.0.0.0/20)"]
        );
        let outside = task(&["sg-app"], "10.0.16.0/24");
        assert!(matches!(
            inbound_nfs(&[&sg(json)], &outside, &lookup),
            SgVerdict::Denied { .. }
        ));

        let lookup = |_: &str| -> Result<&ManagedPrefixList, String> { Ok(&not_collected) };
        assert_eq!(
            inbound_nfs(&[&sg(json)], &t, &lookup),
            SgVerdict::Unknown(vec![
                "the entries of prefix list pl-app were not collected".into()
            ])
        );
        assert_eq!(
            inbound_nfs(&[&sg(json)], &t, &no_lists),
            SgVerdict::Unknown(vec!["pl-app is not in ec2.ManagedPrefixLists".into()])
        );
    }

    #[test]
    fn a_reference_decides_even_when_other_data_is_missing() {
        let json = r#"{"GroupId":"sg-efs","IpPermissions":[
            {"IpProtocol":"tcp","FromPort":2049,"ToPort":2049,"PrefixListIds":[{"PrefixListId":"pl-x"}]},
            {"IpProtocol":"tcp","FromPort":2049,"ToPort":2049,"IpRanges":[{"CidrIp":"not-a-cidr"}]},
            {"IpProtocol":"tcp","FromPort":2049,"ToPort":2049,"UserIdGroupPairs":[{"GroupId":"sg-app"}]}]}"#;
        assert!(matches!(
            inbound(json, &["sg-app"], "10.0.1.0/24"),
            SgVerdict::Allowed(_)
        ));
        match inbound(json, &["sg-other"], "10.0.1.0/24") {
            SgVerdict::Unknown(why) => assert_eq!(
                why,
                [
                    "pl-x is not in ec2.ManagedPrefixLists",
                    "sg-efs has a rule whose `not-a-cidr` is not a valid CIDR"
                ]
            ),
            other => panic!("{other:?}"),
        }
    }

    /// Egress allowed to one AZ's mount target only: the task in the other AZ cannot connect.
    #[test]
    fn egress_to_one_mount_target_address_only() {
        let app = sg(
            r#"{"GroupId":"sg-app","IpPermissionsEgress":[{"IpProtocol":"tcp","FromPort":2049,"ToPort":2049,
            "IpRanges":[{"CidrIp":"10.0.1.10/32"}]}]}"#,
        );
        let to = |ip: &str| Endpoint {
            groups: &["sg-efs"],
            addresses: net(ip),
        };
        assert!(matches!(
            outbound_nfs(&[&app], &to("10.0.1.10"), &no_lists),
            SgVerdict::Allowed(_)
        ));
        assert!(matches!(
            outbound_nfs(&[&app], &to("10.0.2.10"), &no_lists),
            SgVerdict::Denied { .. }
        ));
    }

    #[test]
    fn egress_by_reference_to_the_mount_target_group() {
        let app = sg(
            r#"{"GroupId":"sg-app","IpPermissionsEgress":[{"IpProtocol":"tcp","FromPort":2049,"ToPort":2049,
            "UserIdGroupPairs":[{"GroupId":"sg-efs"}]}]}"#,
        );
        let mt = Endpoint {
            groups: &["sg-efs"],
            addresses: net("10.0.2.10"),
        };
        assert_eq!(
            allowed_by(&outbound_nfs(&[&app], &mt, &no_lists)),
            ["sg-app allows TCP 2049 to sg-efs"]
        );
        let other = Endpoint {
            groups: &["sg-other"],
            addresses: net("10.0.2.10"),
        };
        assert!(matches!(
            outbound_nfs(&[&app], &other, &no_lists),
            SgVerdict::Denied { .. }
        ));
    }
}
