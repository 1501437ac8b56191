//! Network reachability between a Fargate task and an EFS mount target: security groups, network
//! ACLs, managed prefix lists and route tables, evaluated the way AWS evaluates them.
//!
//! An NFS mount is one TCP connection from the task's ENI to the mount target's ENI on port 2049
//! (<https://docs.aws.amazon.com/efs/latest/ug/network-access.html>). Four layers decide whether it
//! gets through:
//!
//! - [`sg`]: security groups, stateful: the mount target's groups must allow *inbound* TCP 2049
//!   from the task, the task's groups *outbound* TCP 2049 to the mount target; replies are allowed
//!   automatically (<https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html>).
//! - [`nacl`]: network ACLs, stateless and per subnet: four flows when the task and the mount
//!   target sit in different subnets (request out of and into a subnet, reply out of and into the
//!   other), none when they share a subnet
//!   (<https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html>).
//! - [`route`]: the longest-prefix-match route towards the mount target (and back), which is
//!   `local` unless a more specific route sends the traffic through an appliance
//!   (<https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html>).
//! - [`cidr`]: the address arithmetic all three share: lenient parsing, containment, partial
//!   overlap, and sets of address ranges.
//!
//! What a task's address is before it starts: any address of its subnet. So a rule that must hold
//! for "the task" must hold for the *whole* subnet CIDR; when it holds for part of it only, the
//! verdict is `partial` (some tasks mount, others time out).
//!
//! This module depends only on the snapshot model and `ipnet`. It must not depend on the graph,
//! the rules or the reports: callers hand it the resources and a prefix-list lookup.

pub mod cidr;
pub mod nacl;
pub mod route;
pub mod sg;

use std::fmt;

use crate::snapshot::ManagedPrefixList;

/// The NFS port every EFS mount uses (TLS mounts too: stunnel connects to 2049 on the mount
/// target; `transitEncryptionPort` is the local end only).
pub const NFS_PORT: u16 = 2049;

/// The reply ports AWS recommends opening in network ACLs: "1024-65535"
/// (<https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html>).
pub const EPHEMERAL_PORTS: PortSpan = PortSpan::new(1024, 65535);

/// The client ports Linux picks by default: 32768-60999 (`ip_local_port_range`, "The default
/// values are 32768 and 60999 respectively" in current kernels,
/// <https://www.kernel.org/doc/Documentation/networking/ip-sysctl.txt>). AWS's page still says
/// 32768-61000 for "many Linux kernels (including the Amazon Linux kernel)"
/// (<https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html>), the upper bound
/// of older kernels; a range open on 32768-60999 lets the replies of either through.
pub const LINUX_EPHEMERAL_PORTS: PortSpan = PortSpan::new(32768, 60999);

/// How a caller finds a managed prefix list by id: the list, or a sentence saying why it is not
/// available (not collected, absent from the snapshot).
pub type PrefixListLookup<'a> = dyn Fn(&str) -> Result<&'a ManagedPrefixList, String> + 'a;

/// An inclusive range of TCP ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PortSpan {
    /// First port.
    pub from: u16,
    /// Last port (inclusive).
    pub to: u16,
}

impl PortSpan {
    /// Every TCP port.
    pub const ALL: PortSpan = PortSpan::new(0, 65535);

    /// A span; `from > to` is an empty span that contains nothing.
    pub const fn new(from: u16, to: u16) -> Self {
        Self { from, to }
    }

    /// One port.
    pub const fn single(port: u16) -> Self {
        Self::new(port, port)
    }

    /// From the `i64` pair the AWS CLI prints (`FromPort`/`ToPort`, `PortRange.From`/`To`).
    /// Absent or negative bounds mean "open on that side"; values above 65535 are clamped.
    pub fn from_bounds(from: Option<i64>, to: Option<i64>) -> Self {
        let clamp = |v: i64| u16::try_from(v.clamp(0, 65535)).unwrap_or(u16::MAX);
        let from = from.filter(|v| *v >= 0).map_or(0, clamp);
        let to = to.filter(|v| *v >= 0).map_or(65535, clamp);
        Self::new(from, to)
    }

    /// Whether the span holds no port.
    pub fn is_empty(self) -> bool {
        self.from > self.to
    }

    /// Whether a port is in the span.
    pub fn contains(self, port: u16) -> bool {
        self.from <= port && port <= self.to
    }

    /// Whether every port of `other` is in the span.
    pub fn covers(self, other: PortSpan) -> bool {
        other.is_empty() || (self.from <= other.from && other.to <= self.to)
    }

    /// The ports in both spans (possibly empty).
    #[must_use]
    pub fn intersect(self, other: PortSpan) -> PortSpan {
        PortSpan::new(self.from.max(other.from), self.to.min(other.to))
    }
}

impl fmt::Display for PortSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

/// The protocol of a security-group or network-ACL rule, as far as TCP is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protocol {
    /// `-1` (or `all`): every protocol on every port.
    All,
    /// `tcp` or its number `6`.
    Tcp,
    /// Anything else (`udp`, `17`, `icmp`, ...): never carries NFS.
    Other(String),
}

impl Protocol {
    /// Reads a protocol leniently, ignoring case and blanks. Security groups print names (`tcp`),
    /// network ACLs numbers (`6`); both are accepted everywhere.
    pub fn parse(text: &str) -> Protocol {
        let t = text.trim();
        if t == "-1" || t.eq_ignore_ascii_case("all") {
            Protocol::All
        } else if t == "6" || t.eq_ignore_ascii_case("tcp") {
            Protocol::Tcp
        } else {
            Protocol::Other(t.to_owned())
        }
    }

    /// Whether TCP traffic matches.
    pub fn carries_tcp(&self) -> bool {
        matches!(self, Protocol::All | Protocol::Tcp)
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Protocol::All => f.write_str("all traffic"),
            Protocol::Tcp => f.write_str("TCP"),
            Protocol::Other(p) => write!(f, "protocol {p}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocols_by_name_and_number() {
        assert_eq!(Protocol::parse("-1"), Protocol::All);
        assert_eq!(Protocol::parse("ALL"), Protocol::All);
        assert_eq!(Protocol::parse("tcp"), Protocol::Tcp);
        assert_eq!(Protocol::parse(" TCP "), Protocol::Tcp);
        assert_eq!(Protocol::parse("6"), Protocol::Tcp);
        assert_eq!(Protocol::parse("17"), Protocol::Other("17".into()));
        assert!(!Protocol::parse("udp").carries_tcp());
        assert!(Protocol::parse("-1").carries_tcp());
    }

    #[test]
    fn port_bounds_from_aws_values() {
        assert_eq!(
            PortSpan::from_bounds(Some(2049), Some(2049)),
            PortSpan::single(2049)
        );
        assert_eq!(PortSpan::from_bounds(Some(-1), Some(-1)), PortSpan::ALL);
        assert_eq!(PortSpan::from_bounds(None, None), PortSpan::ALL);
        assert_eq!(
            PortSpan::from_bounds(Some(1024), Some(70000)),
            EPHEMERAL_PORTS
        );
        assert!(PortSpan::from_bounds(Some(3000), Some(2000)).is_empty());
        assert!(!PortSpan::from_bounds(Some(3000), Some(2000)).contains(2049));
        assert!(PortSpan::new(2000, 3000).contains(2049));
        assert!(!PortSpan::new(2050, 3000).contains(2049));
    }

    #[test]
    fn spans_cover_and_intersect() {
        assert!(EPHEMERAL_PORTS.covers(LINUX_EPHEMERAL_PORTS));
        assert!(!LINUX_EPHEMERAL_PORTS.covers(EPHEMERAL_PORTS));
        assert_eq!(
            EPHEMERAL_PORTS.intersect(PortSpan::new(0, 2048)),
            PortSpan::new(1024, 2048)
        );
        assert!(PortSpan::new(1024, 2048)
            .intersect(LINUX_EPHEMERAL_PORTS)
            .is_empty());
        assert_eq!(PortSpan::new(1024, 65535).to_string(), "1024-65535");
        assert_eq!(PortSpan::single(2049).to_string(), "2049");
    }
}
