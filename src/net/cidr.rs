//! Address arithmetic for reachability: lenient CIDR parsing, containment, partial overlap, and
//! sets of address ranges (what is left of a subnet after some rules matched part of it).
//!
//! Two CIDR blocks either nest or are disjoint, so "a rule CIDR covers a subnet" has three
//! answers: the whole subnet, part of it (the rule is the smaller block), or none of it.
//! IPv4 and IPv6 never match each other: "IPv4 and IPv6 traffic are separate"
//! (<https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html>), and the same holds for
//! route destinations (<https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html>).
//!
//! AWS stores CIDRs in canonical form ("if you specify 100.68.0.18/18, we modify it to
//! 100.68.0.0/18", <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkAclEntry.html>),
//! so host bits are dropped here too; a bare address is a /32 or /128. A string that is no CIDR
//! at all is a [`BadCidr`], never a panic.
//!
//! Depends on `ipnet` only.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Subnets, Ipv6Subnets};

/// A string that is not an IPv4 or IPv6 CIDR (or address).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a valid CIDR")]
pub struct BadCidr {
    /// The text as found.
    pub text: String,
}

/// Parses a CIDR leniently: surrounding blanks are ignored, host bits are dropped
/// (`10.0.1.7/24` is `10.0.1.0/24`), and a bare address is a host route (`/32`, `/128`).
pub fn parse_net(text: &str) -> Result<IpNet, BadCidr> {
    let t = text.trim();
    let bad = || BadCidr {
        text: text.to_owned(),
    };
    if t.contains('/') {
        t.parse::<IpNet>().map(|n| n.trunc()).map_err(|_| bad())
    } else {
        t.parse::<IpAddr>().map(host).map_err(|_| bad())
    }
}

/// Parses one address (a mount target's `IpAddress`), ignoring surrounding blanks.
pub fn parse_addr(text: &str) -> Result<IpAddr, BadCidr> {
    text.trim().parse::<IpAddr>().map_err(|_| BadCidr {
        text: text.to_owned(),
    })
}

/// The single-address block of an address: `/32` for IPv4, `/128` for IPv6.
pub fn host(addr: IpAddr) -> IpNet {
    IpNet::from(addr)
}

/// Whether every address of `inner` is in `outer` (same family only).
pub fn contains(outer: &IpNet, inner: &IpNet) -> bool {
    outer.contains(inner)
}

/// Whether an address is in a block (same family only).
pub fn contains_addr(net: &IpNet, addr: IpAddr) -> bool {
    net.contains(&addr)
}

/// Whether two blocks share at least one address.
pub fn overlaps(a: &IpNet, b: &IpNet) -> bool {
    contains(a, b) || contains(b, a)
}

/// How much of a range of addresses (a subnet) a rule's block covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cover {
    /// Every address of the range.
    Whole,
    /// Some addresses of the range, not all.
    Part,
    /// No address of the range.
    None,
}

/// How much of `range` the block `rule` covers.
pub fn cover(rule: &IpNet, range: &IpNet) -> Cover {
    if contains(rule, range) {
        Cover::Whole
    } else if contains(range, rule) {
        Cover::Part
    } else {
        Cover::None
    }
}

/// An address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// IPv4.
    V4,
    /// IPv6.
    V6,
}

impl Family {
    /// The family of a block.
    pub fn of(net: &IpNet) -> Family {
        match net {
            IpNet::V4(_) => Family::V4,
            IpNet::V6(_) => Family::V6,
        }
    }
}

/// A contiguous, inclusive range of addresses of one family (IPv4 addresses are held as numbers
/// below 2^32).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// The family.
    pub family: Family,
    /// First address, as a number.
    pub lo: u128,
    /// Last address, as a number.
    pub hi: u128,
}

impl Span {
    /// The addresses of a block.
    pub fn of(net: &IpNet) -> Span {
        match net {
            IpNet::V4(n) => Span {
                family: Family::V4,
                lo: u128::from(u32::from(n.network())),
                hi: u128::from(u32::from(n.broadcast())),
            },
            IpNet::V6(n) => Span {
                family: Family::V6,
                lo: u128::from(n.network()),
                hi: u128::from(n.broadcast()),
            },
        }
    }

    /// The addresses in both spans, if any.
    pub fn intersect(&self, other: &Span) -> Option<Span> {
        if self.family != other.family {
            return None;
        }
        let lo = self.lo.max(other.lo);
        let hi = self.hi.min(other.hi);
        (lo <= hi).then_some(Span {
            family: self.family,
            lo,
            hi,
        })
    }

    /// The addresses of `self` that are not in `other` (zero, one or two spans).
    pub fn subtract(&self, other: &Span) -> Vec<Span> {
        let Some(common) = self.intersect(other) else {
            return vec![*self];
        };
        let mut out = Vec::new();
        if common.lo > self.lo {
            out.push(Span {
                hi: common.lo - 1,
                ..*self
            });
        }
        if common.hi < self.hi {
            out.push(Span {
                lo: common.hi + 1,
                ..*self
            });
        }
        out
    }

    /// The smallest list of CIDR blocks that together hold exactly this span.
    pub fn cidrs(&self) -> Vec<IpNet> {
        match self.family {
            Family::V4 => {
                let lo = u32::try_from(self.lo).unwrap_or(u32::MAX);
                let hi = u32::try_from(self.hi).unwrap_or(u32::MAX);
                Ipv4Subnets::new(Ipv4Addr::from(lo), Ipv4Addr::from(hi), 0)
                    .map(IpNet::V4)
                    .collect()
            }
            Family::V6 => Ipv6Subnets::new(Ipv6Addr::from(self.lo), Ipv6Addr::from(self.hi), 0)
                .map(IpNet::V6)
                .collect(),
        }
    }
}

/// A set of addresses of one range, kept as disjoint spans: what is left of a subnet after the
/// blocks that matched have been taken out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanSet {
    spans: Vec<Span>,
}

impl SpanSet {
    /// Every address of a block.
    pub fn of(net: &IpNet) -> SpanSet {
        SpanSet {
            spans: vec![Span::of(net)],
        }
    }

    /// No address.
    pub fn empty() -> SpanSet {
        SpanSet { spans: Vec::new() }
    }

    /// Adds a span (callers add disjoint spans).
    pub fn push(&mut self, span: Span) {
        self.spans.push(span);
    }

    /// Takes out every address of `net`; returns whether anything was taken out.
    pub fn remove(&mut self, net: &IpNet) -> bool {
        self.remove_span(&Span::of(net))
    }

    /// Takes out every address of a span; returns whether anything was taken out.
    pub fn remove_span(&mut self, span: &Span) -> bool {
        let before = self.spans.clone();
        self.spans = self.spans.iter().flat_map(|s| s.subtract(span)).collect();
        self.spans != before
    }

    /// Whether no address is left.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The spans.
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// The addresses as CIDR blocks, in address order.
    pub fn cidrs(&self) -> Vec<IpNet> {
        let mut spans = self.spans.clone();
        spans.sort_by_key(|s| s.lo);
        spans.iter().flat_map(Span::cidrs).collect()
    }
}

/// A list of blocks for messages: `10.0.1.0/25, 10.0.1.128/26`.
pub fn join(nets: &[IpNet]) -> String {
    let parts: Vec<String> = nets.iter().map(ToString::to_string).collect();
    parts.join(", ")
}

/// Displays a block; a host block is shown as `10.0.1.5/32`, never shortened.
pub struct Cidr<'a>(pub &'a IpNet);

impl fmt::Display for Cidr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.0.network(), self.0.prefix_len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn net(s: &str) -> IpNet {
        parse_net(s).unwrap()
    }

    #[test]
    fn lenient_parsing() {
        assert_eq!(net("10.0.1.7/24"), net("10.0.1.0/24"));
        assert_eq!(net(" 10.0.1.5 "), net("10.0.1.5/32"));
        assert_eq!(net("2001:db8::1"), net("2001:db8::1/128"));
        assert_eq!(net("2001:db8:1234:1a00::/56").prefix_len(), 56);
        for bad in [
            "",
            "10.0.0.0/33",
            "10.0.0/8",
            "vpc-123",
            "10.0.0.0/",
            "::/129",
        ] {
            assert_eq!(
                parse_net(bad).unwrap_err().to_string(),
                format!("`{bad}` is not a valid CIDR")
            );
        }
        assert!(parse_addr("10.0.1.0/24").is_err());
        assert_eq!(parse_addr("10.0.1.5").unwrap().to_string(), "10.0.1.5");
    }

    #[test]
    fn whole_part_none() {
        let subnet = net("10.0.1.0/24");
        assert_eq!(cover(&net("10.0.0.0/16"), &subnet), Cover::Whole);
        assert_eq!(cover(&net("10.0.1.0/24"), &subnet), Cover::Whole);
        assert_eq!(cover(&net("10.0.1.0/25"), &subnet), Cover::Part);
        assert_eq!(cover(&net("10.0.2.0/24"), &subnet), Cover::None);
        // IPv6 blocks never cover IPv4 ranges, even ::/0.
        assert_eq!(cover(&net("::/0"), &subnet), Cover::None);
        assert!(!overlaps(&net("0.0.0.0/0"), &net("2001:db8::/64")));
        assert!(overlaps(&net("10.0.1.0/24"), &net("10.0.0.0/16")));
        assert!(overlaps(&net("10.0.0.0/16"), &net("10.0.1.0/24")));
        assert!(!overlaps(&net("10.0.1.0/24"), &net("10.0.2.0/24")));
        assert!(contains_addr(
            &net("0.0.0.0/0"),
            "10.9.9.9".parse().unwrap()
        ));
        assert!(!contains_addr(&net("::/0"), "10.9.9.9".parse().unwrap()));
    }

    #[test]
    fn set_difference_and_back_to_cidrs() {
        let mut left = SpanSet::of(&net("10.0.1.0/24"));
        assert!(left.remove(&net("10.0.1.0/25")));
        assert_eq!(left.cidrs(), vec![net("10.0.1.128/25")]);
        assert!(!left.remove(&net("10.0.2.0/24")));
        assert!(left.remove(&net("10.0.1.192/26")));
        assert_eq!(join(&left.cidrs()), "10.0.1.128/26");
        assert!(left.remove(&net("10.0.0.0/16")));
        assert!(left.is_empty());

        let mut v6 = SpanSet::of(&net("2001:db8:0:1::/64"));
        assert!(!v6.remove(&net("10.0.0.0/8")));
        assert!(v6.remove(&net("2001:db8:0:1::/65")));
        assert_eq!(v6.cidrs(), vec![net("2001:db8:0:1:8000::/65")]);
    }

    #[test]
    fn host_blocks_display_in_full() {
        assert_eq!(
            Cidr(&host("10.0.1.5".parse().unwrap())).to_string(),
            "10.0.1.5/32"
        );
        assert_eq!(Cidr(&net("2001:db8::5")).to_string(), "2001:db8::5/128");
    }

    fn v4_net() -> impl Strategy<Value = IpNet> {
        (any::<u32>(), 0u8..=32).prop_map(|(a, len)| {
            IpNet::new(IpAddr::V4(Ipv4Addr::from(a)), len)
                .unwrap()
                .trunc()
        })
    }

    /// Blocks around one address, so that nesting is common (random blocks rarely nest).
    fn blocks_around_one_address(n: usize) -> impl Strategy<Value = Vec<IpNet>> {
        (any::<u32>(), prop::collection::vec(0u8..=32, n)).prop_map(|(a, lens)| {
            lens.into_iter()
                .map(|len| {
                    IpNet::new(IpAddr::V4(Ipv4Addr::from(a)), len)
                        .unwrap()
                        .trunc()
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn blocks_around_an_address_nest_by_prefix_length(b in blocks_around_one_address(3)) {
            let (x, y, z) = (&b[0], &b[1], &b[2]);
            prop_assert!(overlaps(x, y) && overlaps(y, x));
            prop_assert_eq!(contains(x, y), x.prefix_len() <= y.prefix_len());
            if contains(x, y) && contains(y, z) {
                prop_assert!(contains(x, z));
            }
            let expected = if x.prefix_len() <= y.prefix_len() {
                Cover::Whole
            } else {
                Cover::Part
            };
            prop_assert_eq!(cover(x, y), expected);
        }

        #[test]
        fn a_subnet_contains_its_hosts(n in v4_net(), offset in any::<u32>()) {
            let span = Span::of(&n);
            let size = span.hi - span.lo + 1;
            let addr = span.lo + u128::from(offset) % size;
            let ip = IpAddr::V4(Ipv4Addr::from(u32::try_from(addr).unwrap()));
            prop_assert!(contains_addr(&n, ip));
            // ... and the /32 of each host.
            prop_assert!(contains(&n, &host(ip)));
            prop_assert_eq!(cover(&host(ip), &n) == Cover::Whole, n.prefix_len() == 32);
        }

        #[test]
        fn containment_is_transitive(a in v4_net(), b in v4_net(), c in v4_net()) {
            if contains(&a, &b) && contains(&b, &c) {
                prop_assert!(contains(&a, &c));
            }
        }

        #[test]
        fn blocks_nest_or_are_disjoint(a in v4_net(), b in v4_net()) {
            let nested = contains(&a, &b) || contains(&b, &a);
            let disjoint = Span::of(&a).intersect(&Span::of(&b)).is_none();
            prop_assert!(nested != disjoint);
            prop_assert_eq!(overlaps(&a, &b), nested);
        }

        #[test]
        fn removing_a_block_leaves_exactly_the_rest(a in v4_net(), b in v4_net()) {
            let mut left = SpanSet::of(&a);
            left.remove(&b);
            for rest in left.cidrs() {
                prop_assert!(contains(&a, &rest));
                prop_assert!(!overlaps(&rest, &b));
            }
            prop_assert_eq!(left.is_empty(), contains(&b, &a));
            // Sizes add up: |a| = |a - b| + |a and b|.
            let size = |s: &Span| s.hi - s.lo + 1;
            let rest: u128 = left.spans().iter().map(size).sum();
            let common = Span::of(&a).intersect(&Span::of(&b)).map_or(0, |s| size(&s));
            prop_assert_eq!(rest + common, size(&Span::of(&a)));
        }
    }
}
