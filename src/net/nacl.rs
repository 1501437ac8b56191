//! Network ACLs: which part of a TCP flow (a range of peer addresses x a range of destination
//! ports) one direction of an ACL lets through, and why.
//!
//! AWS semantics this module follows
//! (<https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html>,
//! <https://docs.aws.amazon.com/vpc/latest/userguide/nacl-basics.html>):
//!
//! - Inbound and outbound rules are separate lists (`Egress` false/true). "Rules are evaluated
//!   starting with the lowest numbered rule. As soon as a rule matches traffic, it's applied
//!   regardless of any higher-numbered rule that might contradict it." The `*` rule (printed as
//!   rule number 32767) denies whatever no numbered rule matched; it applies even when a snapshot
//!   leaves it out.
//! - A rule names a protocol number as a string (`6` TCP, `-1` all; names such as `tcp` are read
//!   too), a port range for TCP/UDP, and one block: `CidrBlock` for IPv4 or `Ipv6CidrBlock` for
//!   IPv6. "IPv4 and IPv6 traffic are separate": a rule of one family never matches the other.
//! - ACLs are stateless: the reply of a connection is judged again by the other direction's
//!   rules, on the client's ephemeral port. AWS suggests opening 1024-65535
//!   (<https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html>); Linux picks
//!   from 32768-60999 by default ([`super::LINUX_EPHEMERAL_PORTS`]).
//! - ACLs apply where traffic enters or leaves a subnet, "not as it is routed within a subnet"
//!   (<https://docs.aws.amazon.com/vpc/latest/userguide/nacl-basics.html>): callers skip them when
//!   the task and the mount target share a subnet.
//!
//! A flow here is a *range*: every address a task may get (its subnet) and every port a client may
//! pick. A rule whose block or ports cover part of that range decides that part only; the rest
//! goes on to the next rule. [`evaluate`] therefore cuts the flow into pieces, each decided by
//! exactly one rule, instead of judging it by one representative address or port.
//!
//! Depends on the snapshot model, [`super::cidr`] and nothing else.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::fmt;

use ipnet::IpNet;

use super::cidr::{self, Family, Span, SpanSet};
use super::{PortSpan, Protocol, LINUX_EPHEMERAL_PORTS};
use crate::snapshot::NetworkAclEntry;

/// The number AWS prints for the `*` rule.
pub const DEFAULT_RULE_NUMBER: i64 = 32767;

/// Which rules of an ACL apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Traffic entering the subnet (`Egress: false`); the peer is the source.
    Ingress,
    /// Traffic leaving the subnet (`Egress: true`); the peer is the destination.
    Egress,
}

impl Direction {
    /// `inbound` / `outbound`, for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "inbound",
            Direction::Egress => "outbound",
        }
    }

    /// The AWS CLI flag of `create-network-acl-entry`.
    pub fn cli_flag(self) -> &'static str {
        match self {
            Direction::Ingress => "--ingress",
            Direction::Egress => "--egress",
        }
    }
}

/// The rule that decided a piece of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleRef {
    /// A numbered rule.
    Number(i64),
    /// The `*` rule: nothing else matched.
    Default,
}

impl fmt::Display for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleRef::Number(n) => write!(f, "rule {n}"),
            RuleRef::Default => f.write_str("the default rule (*)"),
        }
    }
}

/// A part of a flow that one rule decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// Peer addresses.
    pub addresses: Span,
    /// Destination ports.
    pub ports: PortSpan,
    /// Whether the rule allows it.
    pub allowed: bool,
    /// The rule.
    pub rule: RuleRef,
}

/// An entry that cannot be read (bad CIDR, action or no block at all); the flow cannot be
/// decided past it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{direction} rule {rule_number} cannot be read: {why}")]
pub struct BadEntry {
    /// Inbound or outbound.
    pub direction: &'static str,
    /// Its number.
    pub rule_number: i64,
    /// What is wrong.
    pub why: String,
}

/// A flow cut into the pieces the rules decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The direction evaluated.
    pub direction: Direction,
    /// The peer block (source of inbound traffic, destination of outbound traffic).
    pub peer: IpNet,
    /// The destination ports of the flow.
    pub ports: PortSpan,
    /// The pieces; together they are exactly the flow.
    pub pieces: Vec<Piece>,
}

/// The outcome of a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AclVerdict {
    /// Every piece is allowed.
    Allowed,
    /// Replies only: allowed on 32768-60999 (Linux's range) for every address, refused on some
    /// other ports of 1024-65535.
    Narrow {
        /// The lowest-numbered rule that refuses a piece.
        blocking: RuleRef,
        /// Ports it refuses.
        ports: PortSpan,
    },
    /// Some pieces are allowed and others refused: tasks with some addresses, or connections from
    /// some client ports, fail.
    Partial {
        /// The lowest-numbered rule that refuses a piece.
        blocking: RuleRef,
        /// The peer addresses with a refused piece.
        addresses: Vec<IpNet>,
        /// Ports it refuses.
        ports: PortSpan,
    },
    /// Nothing of the flow is allowed.
    Denied {
        /// The lowest-numbered rule that refuses it.
        blocking: RuleRef,
    },
}

/// A rectangle of peer addresses x ports, the unit the evaluation cuts.
#[derive(Debug, Clone, Copy)]
struct Region {
    addresses: Span,
    ports: PortSpan,
}

impl Region {
    fn intersect(&self, other: &Region) -> Option<Region> {
        let addresses = self.addresses.intersect(&other.addresses)?;
        let ports = self.ports.intersect(other.ports);
        (!ports.is_empty()).then_some(Region { addresses, ports })
    }

    /// `self` minus `other`: at most four rectangles.
    fn subtract(&self, other: &Region) -> Vec<Region> {
        let Some(common) = self.intersect(other) else {
            return vec![*self];
        };
        let mut out: Vec<Region> = self
            .addresses
            .subtract(&common.addresses)
            .into_iter()
            .map(|addresses| Region {
                addresses,
                ports: self.ports,
            })
            .collect();
        if common.ports.from > self.ports.from {
            out.push(Region {
                addresses: common.addresses,
                ports: PortSpan::new(self.ports.from, common.ports.from - 1),
            });
        }
        if common.ports.to < self.ports.to {
            out.push(Region {
                addresses: common.addresses,
                ports: PortSpan::new(common.ports.to + 1, self.ports.to),
            });
        }
        out
    }
}

/// What one entry matches, once read.
struct Matcher {
    rule: RuleRef,
    region: Region,
    allow: bool,
}

/// Reads an entry for a flow of `family`; `Ok(None)` when it cannot match TCP of that family.
fn matcher(
    e: &NetworkAclEntry,
    family: Family,
    direction: Direction,
) -> Result<Option<Matcher>, BadEntry> {
    let bad = |why: String| BadEntry {
        direction: direction.as_str(),
        rule_number: e.rule_number,
        why,
    };
    let block = match (
        family,
        e.cidr_block.as_deref(),
        e.ipv6_cidr_block.as_deref(),
    ) {
        (_, None, None) => return Err(bad("it has neither CidrBlock nor Ipv6CidrBlock".into())),
        (Family::V4, Some(b), _) | (Family::V6, _, Some(b)) => b,
        _ => return Ok(None),
    };
    let net = cidr::parse_net(block).map_err(|e| bad(e.to_string()))?;
    if Family::of(&net) != family {
        return Ok(None);
    }
    let ports = match Protocol::parse(&e.protocol) {
        Protocol::All => PortSpan::ALL,
        // A TCP rule without PortRange cannot be created; read a missing bound as open.
        Protocol::Tcp => e
            .port_range
            .map_or(PortSpan::ALL, |r| PortSpan::from_bounds(r.from, r.to)),
        Protocol::Other(_) => return Ok(None),
    };
    let allow = match e.rule_action.trim().to_ascii_lowercase().as_str() {
        "allow" => true,
        "deny" => false,
        other => {
            return Err(bad(format!(
                "RuleAction `{other}` is neither allow nor deny"
            )))
        }
    };
    let rule = if e.rule_number >= DEFAULT_RULE_NUMBER {
        RuleRef::Default
    } else {
        RuleRef::Number(e.rule_number)
    };
    Ok(Some(Matcher {
        rule,
        region: Region {
            addresses: Span::of(&net),
            ports,
        },
        allow,
    }))
}

/// The entries of one direction, in evaluation order: ascending rule number (on a duplicate
/// number, which AWS does not allow, a deny goes first).
fn ordered(entries: &[NetworkAclEntry], direction: Direction) -> Vec<&NetworkAclEntry> {
    let egress = direction == Direction::Egress;
    let mut out: Vec<&NetworkAclEntry> = entries.iter().filter(|e| e.egress == egress).collect();
    out.sort_by(|a, b| match a.rule_number.cmp(&b.rule_number) {
        Ordering::Equal => is_allow(a).cmp(&is_allow(b)),
        other => other,
    });
    out
}

fn is_allow(e: &NetworkAclEntry) -> bool {
    e.rule_action.trim().eq_ignore_ascii_case("allow")
}

/// Evaluates TCP traffic to `ports` with peer addresses `peer` against one direction of an ACL.
pub fn evaluate(
    entries: &[NetworkAclEntry],
    direction: Direction,
    peer: IpNet,
    ports: PortSpan,
) -> Result<Evaluation, BadEntry> {
    let family = Family::of(&peer);
    let mut left = vec![Region {
        addresses: Span::of(&peer),
        ports,
    }];
    let mut pieces = Vec::new();
    for e in ordered(entries, direction) {
        if left.is_empty() {
            break;
        }
        let Some(m) = matcher(e, family, direction)? else {
            continue;
        };
        let mut next = Vec::new();
        for r in &left {
            if let Some(hit) = r.intersect(&m.region) {
                pieces.push(Piece {
                    addresses: hit.addresses,
                    ports: hit.ports,
                    allowed: m.allow,
                    rule: m.rule,
                });
                next.extend(r.subtract(&m.region));
            } else {
                next.push(*r);
            }
        }
        left = next;
    }
    // The `*` rule: "if a packet doesn't match any of the other numbered rules, it's denied".
    pieces.extend(left.into_iter().map(|r| Piece {
        addresses: r.addresses,
        ports: r.ports,
        allowed: false,
        rule: RuleRef::Default,
    }));
    Ok(Evaluation {
        direction,
        peer,
        ports,
        pieces,
    })
}

impl Evaluation {
    /// The verdict for a request on one port (TCP 2049): allowed, allowed for some task
    /// addresses only, or denied.
    pub fn request(&self) -> AclVerdict {
        self.judge(self.ports)
    }

    /// The verdict for replies to the client's ephemeral port: the flow should span 1024-65535;
    /// open on all of it is allowed, open on 32768-60999 only is [`AclVerdict::Narrow`],
    /// otherwise the 32768-60999 window decides.
    pub fn reply(&self) -> AclVerdict {
        let full = self.judge(self.ports);
        if full == AclVerdict::Allowed {
            return full;
        }
        let linux = self.ports.intersect(LINUX_EPHEMERAL_PORTS);
        if linux.is_empty() {
            return full;
        }
        match self.judge(linux) {
            AclVerdict::Allowed => {
                let first = self
                    .refused(self.ports)
                    .into_iter()
                    .min_by_key(|p| (p.rule, p.ports.from));
                match first {
                    Some(p) => AclVerdict::Narrow {
                        blocking: p.rule,
                        ports: p.ports,
                    },
                    None => AclVerdict::Allowed,
                }
            }
            other => other,
        }
    }

    /// The rules that allowed some piece, in order.
    pub fn allowing_rules(&self) -> Vec<RuleRef> {
        let set: BTreeSet<RuleRef> = self
            .pieces
            .iter()
            .filter(|p| p.allowed)
            .map(|p| p.rule)
            .collect();
        set.into_iter().collect()
    }

    /// The lowest-numbered rule that refuses any piece: a new allow rule must come before it.
    pub fn first_refusing_rule(&self) -> Option<RuleRef> {
        self.refused(self.ports).iter().map(|p| p.rule).min()
    }

    /// Refused pieces, cut to a port window.
    fn refused(&self, window: PortSpan) -> Vec<Piece> {
        self.pieces
            .iter()
            .filter(|p| !p.allowed)
            .filter_map(|p| {
                let ports = p.ports.intersect(window);
                (!ports.is_empty()).then_some(Piece { ports, ..*p })
            })
            .collect()
    }

    fn judge(&self, window: PortSpan) -> AclVerdict {
        let refused = self.refused(window);
        let Some(first) = refused
            .iter()
            .min_by_key(|p| (p.rule, p.ports.from))
            .copied()
        else {
            return AclVerdict::Allowed;
        };
        let any_allowed = self
            .pieces
            .iter()
            .any(|p| p.allowed && !p.ports.intersect(window).is_empty());
        if !any_allowed {
            return AclVerdict::Denied {
                blocking: first.rule,
            };
        }
        let mut addresses = SpanSet::empty();
        for p in &refused {
            // Pieces overlap in addresses when they differ in ports; count each address once.
            let mut fresh = SpanSet::empty();
            fresh.push(p.addresses);
            for s in addresses.spans() {
                fresh.remove_span(s);
            }
            for s in fresh.spans().to_vec() {
                addresses.push(s);
            }
        }
        AclVerdict::Partial {
            blocking: first.rule,
            addresses: addresses.cidrs(),
            ports: first.ports,
        }
    }
}

/// The four flows of an NFS connection between a task subnet and the mount target's subnet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NfsFlow {
    /// TCP 2049 leaving the task subnet (its ACL's outbound rules), peer = the mount target.
    RequestOut,
    /// TCP 2049 entering the mount target's subnet (inbound rules), peer = the task subnet.
    RequestIn,
    /// Replies to the client port leaving the mount target's subnet, peer = the task subnet.
    ReplyOut,
    /// Replies entering the task subnet, peer = the mount target.
    ReplyIn,
}

impl NfsFlow {
    /// All four, in the order packets take them.
    pub const ALL: [NfsFlow; 4] = [
        NfsFlow::RequestOut,
        NfsFlow::RequestIn,
        NfsFlow::ReplyOut,
        NfsFlow::ReplyIn,
    ];

    /// Whether the task subnet's ACL judges it (else the mount target subnet's).
    pub fn in_task_subnet(self) -> bool {
        matches!(self, NfsFlow::RequestOut | NfsFlow::ReplyIn)
    }

    /// Whether it carries replies (to the client's ephemeral port).
    pub fn is_reply(self) -> bool {
        matches!(self, NfsFlow::ReplyOut | NfsFlow::ReplyIn)
    }

    /// The direction of the ACL rules that judge it.
    pub fn direction(self) -> Direction {
        match self {
            NfsFlow::RequestOut | NfsFlow::ReplyOut => Direction::Egress,
            NfsFlow::RequestIn | NfsFlow::ReplyIn => Direction::Ingress,
        }
    }

    /// Its destination ports: 2049 for requests, the ephemeral range for replies.
    pub fn ports(self) -> PortSpan {
        match self {
            NfsFlow::RequestOut | NfsFlow::RequestIn => PortSpan::single(super::NFS_PORT),
            NfsFlow::ReplyOut | NfsFlow::ReplyIn => super::EPHEMERAL_PORTS,
        }
    }

    /// The peer block the ACL sees: the mount target's host block or the task subnet.
    pub fn peer(self, task_subnet: IpNet, mount_target: IpNet) -> IpNet {
        if self.in_task_subnet() {
            mount_target
        } else {
            task_subnet
        }
    }

    /// Evaluates the flow on the entries of the ACL that judges it.
    pub fn check(
        self,
        entries: &[NetworkAclEntry],
        task_subnet: IpNet,
        mount_target: IpNet,
    ) -> Result<(Evaluation, AclVerdict), BadEntry> {
        let e = evaluate(
            entries,
            self.direction(),
            self.peer(task_subnet, mount_target),
            self.ports(),
        )?;
        let verdict = if self.is_reply() {
            e.reply()
        } else {
            e.request()
        };
        Ok((e, verdict))
    }
}

/// The `aws ec2 create-network-acl-entry` command that opens an evaluated flow: an allow rule
/// for its peer and ports, numbered before the first rule that refuses part of it. `None` when
/// no number below that rule is free.
pub fn allow_command(acl_id: &str, entries: &[NetworkAclEntry], e: &Evaluation) -> Option<String> {
    let before = e.first_refusing_rule()?;
    let number = free_rule_number(entries, e.direction, before)?;
    let block = if e.peer.addr().is_ipv6() {
        "--ipv6-cidr-block"
    } else {
        "--cidr-block"
    };
    Some(format!(
        "aws ec2 create-network-acl-entry --network-acl-id {acl_id} {} --rule-number {number} --protocol tcp --port-range From={},To={} {block} {} --rule-action allow",
        e.direction.cli_flag(),
        e.ports.from,
        e.ports.to,
        cidr::Cidr(&e.peer)
    ))
}

/// A free rule number for a new allow rule in one direction: the highest free number below
/// `before` (so the new rule is evaluated first), or, before the `*` rule, the next multiple of
/// 100 after the highest rule in use. `None` when no number is free.
pub fn free_rule_number(
    entries: &[NetworkAclEntry],
    direction: Direction,
    before: RuleRef,
) -> Option<i64> {
    let egress = direction == Direction::Egress;
    let used: BTreeSet<i64> = entries
        .iter()
        .filter(|e| e.egress == egress)
        .map(|e| e.rule_number)
        .collect();
    let free = |n: &i64| !used.contains(n);
    match before {
        RuleRef::Number(n) => (1..n).rev().find(free),
        RuleRef::Default => {
            let highest = used
                .iter()
                .copied()
                .filter(|n| *n < DEFAULT_RULE_NUMBER)
                .max()
                .unwrap_or(0);
            let next = (highest / 100 + 1) * 100;
            if next < DEFAULT_RULE_NUMBER && free(&next) {
                Some(next)
            } else {
                (1..DEFAULT_RULE_NUMBER).rev().find(free)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::{EPHEMERAL_PORTS, NFS_PORT};
    use proptest::prelude::*;

    fn net(s: &str) -> IpNet {
        cidr::parse_net(s).unwrap()
    }

    /// Entries from a compact table: (number, egress, protocol, from, to, cidr, action).
    fn entries(rows: &[(i64, bool, &str, i64, i64, &str, &str)]) -> Vec<NetworkAclEntry> {
        rows.iter()
            .map(|&(n, egress, proto, from, to, block, action)| {
                let v6 = block.contains(':');
                NetworkAclEntry {
                    rule_number: n,
                    protocol: proto.to_owned(),
                    rule_action: action.to_owned(),
                    egress,
                    cidr_block: (!v6).then(|| block.to_owned()),
                    ipv6_cidr_block: v6.then(|| block.to_owned()),
                    port_range: (proto == "6").then_some(crate::snapshot::PortRange {
                        from: Some(from),
                        to: Some(to),
                    }),
                }
            })
            .collect()
    }

    fn request(acl: &[NetworkAclEntry], d: Direction, peer: &str) -> AclVerdict {
        evaluate(acl, d, net(peer), PortSpan::single(NFS_PORT))
            .unwrap()
            .request()
    }

    fn reply(acl: &[NetworkAclEntry], d: Direction, peer: &str) -> AclVerdict {
        evaluate(acl, d, net(peer), EPHEMERAL_PORTS)
            .unwrap()
            .reply()
    }

    const IN: bool = false;
    const OUT: bool = true;

    /// The default ACL of an IPv4-only VPC: rule 100 allows all, `*` denies
    /// (<https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html>).
    fn default_acl() -> Vec<NetworkAclEntry> {
        entries(&[
            (100, IN, "-1", 0, 0, "0.0.0.0/0", "allow"),
            (32767, IN, "-1", 0, 0, "0.0.0.0/0", "deny"),
            (100, OUT, "-1", 0, 0, "0.0.0.0/0", "allow"),
            (32767, OUT, "-1", 0, 0, "0.0.0.0/0", "deny"),
        ])
    }

    #[test]
    fn default_acl_allows_all_four_flows() {
        let acl = default_acl();
        assert_eq!(
            request(&acl, Direction::Egress, "10.0.2.10"),
            AclVerdict::Allowed
        );
        assert_eq!(
            request(&acl, Direction::Ingress, "10.0.1.0/24"),
            AclVerdict::Allowed
        );
        assert_eq!(
            reply(&acl, Direction::Egress, "10.0.1.0/24"),
            AclVerdict::Allowed
        );
        assert_eq!(
            reply(&acl, Direction::Ingress, "10.0.2.10"),
            AclVerdict::Allowed
        );
        let e = evaluate(
            &acl,
            Direction::Ingress,
            net("10.0.1.0/24"),
            PortSpan::single(2049),
        )
        .unwrap();
        assert_eq!(e.allowing_rules(), [RuleRef::Number(100)]);
        // IPv4-only default ACL: IPv6 traffic falls to the `*` rule.
        assert_eq!(
            request(&acl, Direction::Ingress, "2001:db8:0:1::/64"),
            AclVerdict::Denied {
                blocking: RuleRef::Default
            }
        );
    }

    /// The custom ACL example of the VPC guide (inbound HTTP/HTTPS/SSH/RDP, replies on
    /// 32768-65535, `*` deny; <https://docs.aws.amazon.com/vpc/latest/userguide/nacl-examples.html>).
    fn guide_custom_acl() -> Vec<NetworkAclEntry> {
        entries(&[
            (100, IN, "6", 80, 80, "0.0.0.0/0", "allow"),
            (110, IN, "6", 443, 443, "0.0.0.0/0", "allow"),
            (120, IN, "6", 22, 22, "192.0.2.0/24", "allow"),
            (130, IN, "6", 3389, 3389, "192.0.2.0/24", "allow"),
            (140, IN, "6", 32768, 65535, "0.0.0.0/0", "allow"),
            (100, OUT, "6", 80, 80, "0.0.0.0/0", "allow"),
            (110, OUT, "6", 443, 443, "0.0.0.0/0", "allow"),
            (120, OUT, "6", 32768, 65535, "0.0.0.0/0", "allow"),
        ])
    }

    #[test]
    fn guide_custom_acl_both_directions() {
        let acl = guide_custom_acl();
        let on =
            |d, peer: &str, port| evaluate(&acl, d, net(peer), PortSpan::single(port)).unwrap();
        // "If the packet is destined for the SSL port (443) ... It does match the second rule
        // (110), which allows the packet into the subnet."
        let https = on(Direction::Ingress, "198.51.100.7", 443);
        assert_eq!(https.request(), AclVerdict::Allowed);
        assert_eq!(https.allowing_rules(), [RuleRef::Number(110)]);
        // "If the packet had been destined for port 139 (NetBIOS), ... the * rule ultimately
        // denies the packet."
        assert_eq!(
            on(Direction::Ingress, "198.51.100.7", 139).request(),
            AclVerdict::Denied {
                blocking: RuleRef::Default
            }
        );
        // SSH from the home network only.
        assert_eq!(
            on(Direction::Ingress, "192.0.2.9", 22).request(),
            AclVerdict::Allowed
        );
        assert!(matches!(
            on(Direction::Ingress, "203.0.113.9", 22).request(),
            AclVerdict::Denied { .. }
        ));
        // NFS is not in the list, in either direction.
        assert!(matches!(
            request(&acl, Direction::Ingress, "10.0.1.0/24"),
            AclVerdict::Denied { .. }
        ));
        assert!(matches!(
            request(&acl, Direction::Egress, "10.0.2.10"),
            AclVerdict::Denied { .. }
        ));
        // Replies on 32768-65535 cover Linux's 32768-60999 but not all of 1024-65535.
        let narrow = AclVerdict::Narrow {
            blocking: RuleRef::Default,
            ports: PortSpan::new(1024, 32767),
        };
        assert_eq!(reply(&acl, Direction::Ingress, "10.0.2.10"), narrow);
        assert_eq!(reply(&acl, Direction::Egress, "10.0.1.0/24"), narrow);
    }

    #[test]
    fn lower_numbered_deny_wins_over_allow() {
        let acl = entries(&[
            (90, IN, "6", 2049, 2049, "0.0.0.0/0", "deny"),
            (100, IN, "-1", 0, 0, "0.0.0.0/0", "allow"),
        ]);
        assert_eq!(
            request(&acl, Direction::Ingress, "10.0.1.0/24"),
            AclVerdict::Denied {
                blocking: RuleRef::Number(90)
            }
        );
        // The same rules with the numbers swapped.
        let acl = entries(&[
            (100, IN, "6", 2049, 2049, "0.0.0.0/0", "deny"),
            (90, IN, "-1", 0, 0, "0.0.0.0/0", "allow"),
        ]);
        assert_eq!(
            request(&acl, Direction::Ingress, "10.0.1.0/24"),
            AclVerdict::Allowed
        );
    }

    #[test]
    fn block_holding_part_of_the_subnet() {
        let acl = entries(&[
            (100, IN, "6", 2049, 2049, "10.0.1.0/25", "allow"),
            (110, IN, "6", 2049, 2049, "10.0.1.192/26", "deny"),
            (120, IN, "6", 2049, 2049, "10.0.0.0/16", "allow"),
        ]);
        assert_eq!(
            request(&acl, Direction::Ingress, "10.0.1.0/24"),
            AclVerdict::Partial {
                blocking: RuleRef::Number(110),
                addresses: vec![net("10.0.1.192/26")],
                ports: PortSpan::single(2049),
            }
        );
        let e = evaluate(
            &acl,
            Direction::Ingress,
            net("10.0.1.0/24"),
            PortSpan::single(2049),
        )
        .unwrap();
        assert_eq!(e.pieces.len(), 3);
        assert_eq!(
            e.allowing_rules(),
            [RuleRef::Number(100), RuleRef::Number(120)]
        );
        // A single host in the allowed half.
        assert_eq!(
            request(&acl, Direction::Ingress, "10.0.1.5"),
            AclVerdict::Allowed
        );
    }

    #[test]
    fn ephemeral_ranges() {
        let only = |from, to| entries(&[(100, OUT, "6", from, to, "10.0.0.0/16", "allow")]);
        assert_eq!(
            reply(&only(1024, 65535), Direction::Egress, "10.0.1.0/24"),
            AclVerdict::Allowed
        );
        assert_eq!(
            reply(&only(0, 65535), Direction::Egress, "10.0.1.0/24"),
            AclVerdict::Allowed
        );
        assert_eq!(
            reply(&only(32768, 61000), Direction::Egress, "10.0.1.0/24"),
            AclVerdict::Narrow {
                blocking: RuleRef::Default,
                ports: PortSpan::new(1024, 32767)
            }
        );
        // Linux's default range exactly (AWS's page says 61000; the kernel stops at 60999).
        assert!(matches!(
            reply(&only(32768, 60999), Direction::Egress, "10.0.1.0/24"),
            AclVerdict::Narrow { .. }
        ));
        assert_eq!(
            reply(&only(1024, 2048), Direction::Egress, "10.0.1.0/24"),
            AclVerdict::Denied {
                blocking: RuleRef::Default
            }
        );
        // Open on part of Linux's range: some connections fail.
        assert_eq!(
            reply(&only(1024, 40000), Direction::Egress, "10.0.1.0/24"),
            AclVerdict::Partial {
                blocking: RuleRef::Default,
                addresses: vec![net("10.0.1.0/24")],
                ports: PortSpan::new(40001, 60999)
            }
        );
    }

    #[test]
    fn deny_on_a_sub_range_before_allow_all() {
        let acl = entries(&[
            (50, OUT, "6", 40000, 40100, "0.0.0.0/0", "deny"),
            (100, OUT, "-1", 0, 0, "0.0.0.0/0", "allow"),
        ]);
        assert_eq!(
            reply(&acl, Direction::Egress, "10.0.1.0/24"),
            AclVerdict::Partial {
                blocking: RuleRef::Number(50),
                addresses: vec![net("10.0.1.0/24")],
                ports: PortSpan::new(40000, 40100)
            }
        );
        // Outside Linux's range the same deny only narrows the replies.
        let acl = entries(&[
            (50, OUT, "6", 2000, 3000, "0.0.0.0/0", "deny"),
            (100, OUT, "-1", 0, 0, "0.0.0.0/0", "allow"),
        ]);
        assert_eq!(
            reply(&acl, Direction::Egress, "10.0.1.0/24"),
            AclVerdict::Narrow {
                blocking: RuleRef::Number(50),
                ports: PortSpan::new(2000, 3000)
            }
        );
    }

    #[test]
    fn ipv6_entries_only_for_ipv6_flows() {
        let acl = entries(&[
            (100, IN, "-1", 0, 0, "::/0", "allow"),
            (110, IN, "6", 2049, 2049, "10.0.0.0/16", "deny"),
        ]);
        assert_eq!(
            request(&acl, Direction::Ingress, "10.0.1.0/24"),
            AclVerdict::Denied {
                blocking: RuleRef::Number(110)
            }
        );
        assert_eq!(
            request(&acl, Direction::Ingress, "2001:db8:0:1::/64"),
            AclVerdict::Allowed
        );
    }

    #[test]
    fn protocols_by_number_and_name() {
        for proto in ["6", "tcp", "-1", "all"] {
            let mut acl = entries(&[(100, IN, "6", 2049, 2049, "0.0.0.0/0", "allow")]);
            acl[0].protocol = proto.into();
            assert_eq!(
                request(&acl, Direction::Ingress, "10.0.1.0/24"),
                AclVerdict::Allowed,
                "{proto}"
            );
        }
        let acl = entries(&[(100, IN, "17", 0, 0, "0.0.0.0/0", "allow")]);
        assert!(matches!(
            request(&acl, Direction::Ingress, "10.0.1.0/24"),
            AclVerdict::Denied { .. }
        ));
    }

    #[test]
    fn unreadable_entries_stop_the_evaluation_only_when_reached() {
        let mut acl = entries(&[
            (100, IN, "-1", 0, 0, "0.0.0.0/0", "allow"),
            (200, IN, "-1", 0, 0, "0.0.0.0/0", "allow"),
        ]);
        acl[1].cidr_block = Some("10.0.0/8".into());
        assert!(evaluate(
            &acl,
            Direction::Ingress,
            net("10.0.1.0/24"),
            PortSpan::single(2049)
        )
        .is_ok());
        acl[0].rule_action = "maybe".into();
        let err = evaluate(
            &acl,
            Direction::Ingress,
            net("10.0.1.0/24"),
            PortSpan::single(2049),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "inbound rule 100 cannot be read: RuleAction `maybe` is neither allow nor deny"
        );
    }

    #[test]
    fn four_flows_of_a_mount_and_the_command_that_opens_one() {
        let task_acl = entries(&[
            (100, OUT, "6", 2049, 2049, "10.0.2.10/32", "allow"),
            (100, IN, "6", 32768, 61000, "10.0.2.10/32", "allow"),
        ]);
        let mt_acl = entries(&[
            (100, IN, "6", 2049, 2049, "10.0.1.0/24", "allow"),
            (90, OUT, "6", 1024, 65535, "10.0.1.0/25", "deny"),
            (100, OUT, "6", 1024, 65535, "10.0.0.0/16", "allow"),
        ]);
        let (task, mt) = (net("10.0.1.0/24"), net("10.0.2.10/32"));
        let verdict = |f: NfsFlow| {
            let acl = if f.in_task_subnet() {
                &task_acl
            } else {
                &mt_acl
            };
            f.check(acl, task, mt).unwrap().1
        };
        assert_eq!(verdict(NfsFlow::RequestOut), AclVerdict::Allowed);
        assert_eq!(verdict(NfsFlow::RequestIn), AclVerdict::Allowed);
        assert!(matches!(
            verdict(NfsFlow::ReplyOut),
            AclVerdict::Partial {
                blocking: RuleRef::Number(90),
                ..
            }
        ));
        assert!(matches!(
            verdict(NfsFlow::ReplyIn),
            AclVerdict::Narrow { .. }
        ));

        let (e, _) = NfsFlow::ReplyOut.check(&mt_acl, task, mt).unwrap();
        assert_eq!(
            allow_command("acl-mt", &mt_acl, &e).unwrap(),
            "aws ec2 create-network-acl-entry --network-acl-id acl-mt --egress --rule-number 89 --protocol tcp --port-range From=1024,To=65535 --cidr-block 10.0.1.0/24 --rule-action allow"
        );
        let (e, _) = NfsFlow::ReplyIn.check(&task_acl, task, mt).unwrap();
        assert_eq!(
            allow_command("acl-task", &task_acl, &e).unwrap(),
            "aws ec2 create-network-acl-entry --network-acl-id acl-task --ingress --rule-number 200 --protocol tcp --port-range From=1024,To=65535 --cidr-block 10.0.2.10/32 --rule-action allow"
        );
        let (e, _) = NfsFlow::RequestOut.check(&task_acl, task, mt).unwrap();
        assert_eq!(allow_command("acl-task", &task_acl, &e), None);
    }

    #[test]
    fn free_numbers_for_a_new_rule() {
        let acl = entries(&[
            (90, IN, "6", 2049, 2049, "0.0.0.0/0", "deny"),
            (89, IN, "6", 22, 22, "0.0.0.0/0", "allow"),
            (100, IN, "-1", 0, 0, "0.0.0.0/0", "allow"),
            (32767, IN, "-1", 0, 0, "0.0.0.0/0", "deny"),
        ]);
        assert_eq!(
            free_rule_number(&acl, Direction::Ingress, RuleRef::Number(90)),
            Some(88)
        );
        assert_eq!(
            free_rule_number(&acl, Direction::Ingress, RuleRef::Default),
            Some(200)
        );
        assert_eq!(
            free_rule_number(&acl, Direction::Egress, RuleRef::Default),
            Some(100)
        );
        assert_eq!(
            free_rule_number(&acl, Direction::Ingress, RuleRef::Number(1)),
            None
        );
    }

    /// Random ACL entries: (number, protocol, port range, block, allow).
    fn arb_entries() -> impl Strategy<Value = Vec<NetworkAclEntry>> {
        let entry = (
            prop::sample::select(vec!["6", "-1", "17"]),
            0u16..4,
            0u16..4,
            prop::sample::select(vec![
                "0.0.0.0/0",
                "10.0.0.0/16",
                "10.0.1.0/24",
                "10.0.1.0/25",
                "10.0.1.128/26",
                "10.0.2.10/32",
                "::/0",
            ]),
            any::<bool>(),
        );
        prop::collection::vec(entry, 0..8)
            .prop_flat_map(|rows| {
                let n = rows.len();
                (Just(rows), prop::collection::hash_set(1i64..500, n..=n))
            })
            .prop_map(|(rows, numbers)| {
                let ports = [0i64, 2049, 32768, 61001];
                rows.into_iter()
                    .zip(numbers)
                    .map(|((proto, a, b, block, allow), n)| {
                        let (a, b) = (ports[usize::from(a)], ports[usize::from(b)]);
                        let v6 = block.contains(':');
                        NetworkAclEntry {
                            rule_number: n,
                            protocol: proto.into(),
                            rule_action: if allow { "allow" } else { "deny" }.into(),
                            egress: false,
                            cidr_block: (!v6).then(|| block.into()),
                            ipv6_cidr_block: v6.then(|| block.into()),
                            port_range: Some(crate::snapshot::PortRange {
                                from: Some(a.min(b)),
                                to: Some(a.max(b) + 2000),
                            }),
                        }
                    })
                    .collect()
            })
    }

    proptest! {
        #[test]
        fn input_order_does_not_matter(acl in arb_entries(), seed in any::<u64>()) {
            let mut shuffled = acl.clone();
            // A deterministic shuffle from the seed.
            let len = shuffled.len();
            for i in (1..len).rev() {
                let j = usize::try_from(seed.rotate_left(u32::try_from(i).unwrap()) % (u64::try_from(i).unwrap() + 1)).unwrap();
                shuffled.swap(i, j);
            }
            let peer = net("10.0.1.0/24");
            let a = evaluate(&acl, Direction::Ingress, peer, EPHEMERAL_PORTS).unwrap();
            let b = evaluate(&shuffled, Direction::Ingress, peer, EPHEMERAL_PORTS).unwrap();
            prop_assert_eq!(a.reply(), b.reply());
            prop_assert_eq!(a.request(), b.request());
            prop_assert_eq!(a.allowing_rules(), b.allowing_rules());
        }

        #[test]
        fn pieces_are_exactly_the_flow(acl in arb_entries()) {
            let peer = net("10.0.1.0/24");
            let e = evaluate(&acl, Direction::Ingress, peer, EPHEMERAL_PORTS).unwrap();
            let size: u128 = e.pieces.iter()
                .map(|p| (p.addresses.hi - p.addresses.lo + 1) * u128::from(p.ports.to - p.ports.from + 1))
                .sum();
            prop_assert_eq!(size, 256 * u128::from(EPHEMERAL_PORTS.to - EPHEMERAL_PORTS.from + 1));
        }

        #[test]
        fn first_match_wins(acl in arb_entries(), allow in any::<bool>()) {
            // A rule numbered below every other one that matches the whole flow decides it alone.
            let mut with_first = acl.clone();
            with_first.push(entries(&[(0, IN, "6", 2049, 2049, "10.0.0.0/16", if allow { "allow" } else { "deny" })]).remove(0));
            let v = evaluate(&with_first, Direction::Ingress, net("10.0.1.0/24"), PortSpan::single(2049)).unwrap().request();
            if allow {
                prop_assert_eq!(v, AclVerdict::Allowed);
            } else {
                prop_assert_eq!(v, AclVerdict::Denied { blocking: RuleRef::Number(0) });
            }
        }

        #[test]
        fn an_allow_before_a_deny_changes_the_outcome(deny_at in 2i64..32766) {
            let deny = entries(&[(deny_at, IN, "6", 2049, 2049, "0.0.0.0/0", "deny")]);
            let denied = matches!(request(&deny, Direction::Ingress, "10.0.1.0/24"), AclVerdict::Denied { .. });
            prop_assert!(denied);
            let mut before = deny.clone();
            before.extend(entries(&[(deny_at - 1, IN, "6", 2049, 2049, "10.0.0.0/16", "allow")]));
            prop_assert_eq!(request(&before, Direction::Ingress, "10.0.1.0/24"), AclVerdict::Allowed);
            let mut after = deny.clone();
            after.extend(entries(&[(deny_at + 1, IN, "6", 2049, 2049, "10.0.0.0/16", "allow")]));
            let still_denied = matches!(request(&after, Direction::Ingress, "10.0.1.0/24"), AclVerdict::Denied { .. });
            prop_assert!(still_denied);
        }
    }
}
