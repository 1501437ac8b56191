//! The NFS path of a task to its mount target, shared by the network rules NET005-NET008: for
//! each EFS volume and task subnet, the mount target in that subnet's AZ and the addresses on
//! both ends, or the `unknown` finding that says why the path cannot be built. No mount target
//! in the AZ gives no path (NET001 reports it).
//!
//! Address families ("legs"). A task gets an IPv4 address from its subnet; it also gets an IPv6
//! address when its subnet has an IPv6 CIDR, dual-stack being on
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html>).
//! Here a task counts as dual-stack only when its subnet also has `AssignIpv6AddressOnCreation`
//! on, the setting users report turning off to stop tasks from using IPv6
//! (<https://github.com/aws/containers-roadmap/issues/2456>). The mount can use IPv4 when both
//! ends have an IPv4 address and IPv6 when both have an IPv6 address; which one the client picks
//! is up to its resolver (efs-utils asks for any family), so every usable family is checked and
//! the worst outcome counts. An IPv4-only mount target is reached over IPv4; the IPv6 paths
//! that cannot reach it (an IPv6-only task subnet, or DNS64 answers to dual-stack tasks) are
//! NET009's, and an IPv6-only task subnet with such a mount target gives no path here.
//!
//! Depends on the graph and the rule context; the evaluation itself lives in [`crate::net`].

use ipnet::IpNet;

use super::{Context, Finding, Rule};
use crate::graph::{List, Missing};
use crate::net::cidr::{self, Cidr};
use crate::snapshot::{ManagedPrefixList, MountTarget, SecurityGroup, Subnet};

/// The path of one volume's mounts from one task subnet.
#[derive(Clone)]
pub(crate) struct NfsPath<'a> {
    /// The task-definition volume.
    pub volume: &'a str,
    /// The file system.
    pub fs_id: &'a str,
    /// The task subnet.
    pub subnet: &'a Subnet,
    /// The mount target in that subnet's AZ.
    pub mount_target: &'a MountTarget,
    /// The AZ id.
    pub az_id: &'a str,
    /// The address families the mount may use (at least one).
    pub legs: Vec<Leg>,
}

impl NfsPath<'_> {
    /// Whether the task subnet is the mount target's subnet.
    pub fn same_subnet(&self) -> bool {
        self.subnet.subnet_id == self.mount_target.subnet_id
    }
}

/// One address family of a path.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Leg {
    /// Every address a task may get: the subnet's block of this family.
    pub task_range: IpNet,
    /// The mount target's address of this family, as a block: its host block (`/32`,
    /// `/128`), or the block of its subnet when the address is not assigned yet (a mount target
    /// that a plan or template creates gets its address at creation, from its subnet).
    pub mount_target: IpNet,
}

impl Leg {
    /// The mount target's address block.
    pub fn mount_target_block(&self) -> IpNet {
        self.mount_target
    }

    /// Whether the mount target's address is known (a host block).
    pub fn mount_target_known(&self) -> bool {
        self.mount_target.prefix_len() == self.mount_target.max_prefix_len()
    }

    /// The mount target's address for messages: `10.0.1.5`, or `an address in 10.0.1.0/24`.
    pub fn mount_target_label(&self) -> String {
        if self.mount_target_known() {
            self.mount_target.addr().to_string()
        } else {
            format!(
                "an address in {} assigned at creation",
                Cidr(&self.mount_target)
            )
        }
    }

    /// Whether this is the IPv6 leg.
    pub fn is_ipv6(&self) -> bool {
        self.mount_target.addr().is_ipv6()
    }

    /// `" over IPv6"` for IPv6 legs, empty for IPv4, for messages.
    pub fn over(&self) -> &'static str {
        if self.is_ipv6() {
            " over IPv6"
        } else {
            ""
        }
    }

    /// The task subnet block as written in fixes.
    pub fn task_cidr(&self) -> String {
        Cidr(&self.task_range).to_string()
    }

    /// The mount target block as written in fixes.
    pub fn mount_target_cidr(&self) -> String {
        Cidr(&self.mount_target_block()).to_string()
    }
}

/// Why a path cannot be built: what is missing, for which volume and task subnet.
pub(crate) struct PathGap<'a> {
    missing: Missing,
    volume: Option<&'a str>,
    subnet: Option<&'a str>,
}

/// Every path of a target, or why it cannot be built.
pub(crate) type Paths<'a> = Vec<Result<NfsPath<'a>, PathGap<'a>>>;

/// Every path of the target, or the finding that replaces it. The paths are built once per
/// target; each rule gets its own `unknown` findings for the gaps.
pub(crate) fn nfs_paths<'a>(
    cx: &Context<'a>,
    rule: &'static Rule,
) -> Vec<Result<NfsPath<'a>, Finding>> {
    cx.nfs_paths(|| build(cx))
        .iter()
        .map(|p| match p {
            Ok(path) => Ok(path.clone()),
            Err(gap) => {
                let mut f = cx.unknown(rule, &gap.missing);
                if let Some(volume) = gap.volume {
                    f = f.volume(volume);
                }
                if let Some(subnet) = gap.subnet {
                    f = f.resource(subnet);
                }
                Err(f)
            }
        })
        .collect()
}

fn build<'a>(cx: &Context<'a>) -> Paths<'a> {
    let gap = |missing: Missing, volume: Option<&'a str>, subnet: Option<&'a str>| {
        Err(PathGap {
            missing,
            volume,
            subnet,
        })
    };
    let volumes = match cx.task_definition() {
        Ok(_) => cx.efs_volumes(),
        Err(m) => return vec![gap(m, None, None)],
    };
    let mut out = Vec::new();
    for v in volumes {
        let fs_id = v.config.file_system_id.as_str();
        let subnets = match cx.task_subnet_zones() {
            Ok(s) => s,
            Err(m) => {
                out.push(gap(m, Some(v.name), None));
                continue;
            }
        };
        let mut seen: Vec<&str> = Vec::new();
        for (subnet_id, zone) in subnets {
            if seen.contains(&subnet_id) {
                continue;
            }
            seen.push(subnet_id);
            let unknown = |m: Missing| gap(m, Some(v.name), Some(subnet_id));
            let (subnet, az_id) = match zone {
                Ok(z) => z,
                Err(m) => {
                    out.push(unknown(m));
                    continue;
                }
            };
            let mount_target = match cx.graph.mount_target_in_az(fs_id, &subnet.vpc_id, az_id) {
                Ok(Some(mt)) => mt,
                // No mount target in this AZ: NET001's finding.
                Ok(None) => continue,
                Err(m) => {
                    out.push(unknown(m));
                    continue;
                }
            };
            // An IPv6-only task subnet and a mount target without an IPv6 address share no
            // address family: NET009's finding, not a gap in the data.
            if subnet.is_ipv6_only() && mount_target.ipv6_address.is_none() {
                continue;
            }
            let mt_subnet = cx.graph.subnet(&mount_target.subnet_id).ok();
            out.push(match legs(subnet, mount_target, mt_subnet) {
                Ok(legs) => Ok(NfsPath {
                    volume: v.name,
                    fs_id,
                    subnet,
                    mount_target,
                    az_id,
                    legs,
                }),
                Err(m) => unknown(unresolved_address(cx, subnet, mount_target).unwrap_or(m)),
            });
        }
    }
    out
}

/// The unresolved infrastructure-as-code expression behind an address range that is not known:
/// the task subnet's CIDR, or (for a mount target without an address yet) its subnet's CIDR.
fn unresolved_address(cx: &Context<'_>, subnet: &Subnet, mt: &MountTarget) -> Option<Missing> {
    let task = subnet
        .cidr_block
        .is_none()
        .then(|| cx.graph.iac_unknown(&format!("cidr:{}", subnet.subnet_id)))
        .flatten();
    task.or_else(|| {
        if mt.ip_address.is_some() || mt.ipv6_address.is_some() {
            return None;
        }
        cx.graph
            .iac_unknown(&format!("cidr:{}", mt.subnet_id))
            .or_else(|| cx.graph.iac_unknown(&mt.subnet_id))
            .or_else(|| cx.graph.iac_unknown(&mt.mount_target_id))
    })
}

/// Whether tasks in the subnet get an IPv6 address (see the module docs).
fn task_gets_ipv6(subnet: &Subnet) -> bool {
    subnet.assign_ipv6_address_on_creation == Some(true)
}

fn legs(
    subnet: &Subnet,
    mt: &MountTarget,
    mt_subnet: Option<&Subnet>,
) -> Result<Vec<Leg>, Missing> {
    let sid = &subnet.subnet_id;
    let mid = &super::mount_target_name(mt);
    let unreadable = |what: String, e: cidr::BadCidr| Missing::new(format!("{what} {e}"));
    let task_v4 = match subnet.cidr_block.as_deref() {
        Some(t) => {
            Some(cidr::parse_net(t).map_err(|e| unreadable(format!("the CidrBlock of {sid}"), e))?)
        }
        None => None,
    };
    let task_v6 = if task_gets_ipv6(subnet) {
        subnet
            .ipv6_cidr_block_association_set
            .iter()
            .filter(|a| {
                a.ipv6_cidr_block_state
                    .as_ref()
                    .and_then(|s| s.state.as_deref())
                    .is_none_or(|s| s.eq_ignore_ascii_case("associated"))
            })
            .find_map(|a| a.ipv6_cidr_block.as_deref())
            .map(|t| {
                cidr::parse_net(t).map_err(|e| unreadable(format!("the IPv6 CIDR of {sid}"), e))
            })
            .transpose()?
    } else {
        None
    };
    let mt_v4 = match mt.ip_address.as_deref() {
        Some(t) => {
            Some(cidr::host(cidr::parse_addr(t).map_err(|e| {
                unreadable(format!("the IpAddress of {mid}"), e)
            })?))
        }
        // Not assigned yet (the mount target is planned): an IPv4 mount target gets an address
        // of its subnet. Mount targets are IPv4 unless created otherwise.
        None if mt.ipv6_address.is_none() => mt_subnet
            .and_then(|s| s.cidr_block.as_deref())
            .and_then(|c| cidr::parse_net(c).ok()),
        None => None,
    };
    let mt_v6 = match mt.ipv6_address.as_deref() {
        Some(t) => {
            Some(cidr::host(cidr::parse_addr(t).map_err(|e| {
                unreadable(format!("the Ipv6Address of {mid}"), e)
            })?))
        }
        None => None,
    };
    let mut legs = Vec::new();
    if let (Some(task_range), Some(mount_target)) = (task_v4, mt_v4) {
        legs.push(Leg {
            task_range,
            mount_target,
        });
    }
    if let (Some(task_range), Some(mount_target)) = (task_v6, mt_v6) {
        legs.push(Leg {
            task_range,
            mount_target,
        });
    }
    if !legs.is_empty() {
        return Ok(legs);
    }
    Err(Missing::new(match (mt_v4, mt_v6, task_v4) {
        (None, None, _) => format!("mount target {mid} has neither IpAddress nor Ipv6Address in the collected state"),
        (None, Some(_), _) => format!(
            "mount target {mid} is IPv6-only and tasks in {sid} get no IPv6 address (AssignIpv6AddressOnCreation is off or the subnet has no IPv6 CIDR)"
        ),
        (Some(_), _, None) => format!("subnet {sid} has no IPv4 CidrBlock in the collected state"),
        (Some(_), _, Some(_)) => format!("no address family is shared by {sid} and mount target {mid}"),
    }))
}

/// The security groups of a mount target, resolved in the snapshot. `SecurityGroups` absent
/// from the mount target means `DescribeMountTargetSecurityGroups` was not collected.
pub(crate) fn mount_target_groups<'a>(
    cx: &Context<'a>,
    mt: &MountTarget,
) -> Result<Vec<&'a SecurityGroup>, Missing> {
    let ids = mount_target_group_ids(cx, mt)?;
    ids.iter().map(|id| cx.graph.security_group(id)).collect()
}

/// The security-group ids of a mount target.
pub(crate) fn mount_target_group_ids<'m>(
    cx: &Context<'_>,
    mt: &'m MountTarget,
) -> Result<&'m [String], Missing> {
    mt.security_groups.as_deref().ok_or_else(|| {
        let gaps: Vec<String> = cx
            .graph
            .gaps_for(List::MountTargets, Some(&mt.mount_target_id))
            .iter()
            .map(|g| format!("{}: {}", g.call, g.error))
            .collect();
        Missing::new(format!(
            "the security groups of mount target {} were not collected{}",
            super::mount_target_name(mt),
            if gaps.is_empty() {
                String::new()
            } else {
                format!(" ({})", gaps.join("; "))
            }
        ))
    })
}

/// A prefix-list lookup for [`crate::net`]: the list, or why its entries are not available.
pub(crate) fn prefix_list_lookup<'a>(
    cx: &Context<'a>,
) -> impl Fn(&str) -> Result<&'a ManagedPrefixList, String> + 'a {
    let graph = cx.graph;
    move |id: &str| {
        let list = graph.prefix_list(id).map_err(|m| m.to_string())?;
        if list.entries.is_none() {
            let gaps: Vec<String> = graph
                .gaps_for(List::PrefixLists, Some(id))
                .iter()
                .map(|g| format!("{}: {}", g.call, g.error))
                .collect();
            return Err(format!(
                "the entries of prefix list {id} were not collected{}",
                if gaps.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", gaps.join("; "))
                }
            ));
        }
        Ok(list)
    }
}

/// The item with the lowest rank (the worst outcome across legs), or `None` for no items.
pub(crate) fn worst<T>(items: impl IntoIterator<Item = T>, rank: impl Fn(&T) -> u8) -> Option<T> {
    items.into_iter().min_by_key(|t| rank(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subnet(json: &str) -> Subnet {
        serde_json::from_str(json).unwrap()
    }

    fn mount_target(json: &str) -> MountTarget {
        serde_json::from_str(json).unwrap()
    }

    const DUAL: &str = r#"{"SubnetId":"subnet-ds","VpcId":"vpc-1","CidrBlock":"10.0.3.0/24",
        "Ipv6CidrBlockAssociationSet":[{"Ipv6CidrBlock":"2600:1f18:aaaa:3::/64","Ipv6CidrBlockState":{"State":"associated"}}],
        "AssignIpv6AddressOnCreation":true}"#;

    fn families(legs: &[Leg]) -> Vec<String> {
        legs.iter()
            .map(|l| format!("{} -> {}", l.task_cidr(), l.mount_target_label()))
            .collect()
    }

    #[test]
    fn every_family_both_ends_share_is_a_leg() {
        let dual_mt = mount_target(
            r#"{"MountTargetId":"fsmt-1","FileSystemId":"fs-1","SubnetId":"subnet-m","IpAddress":"10.0.13.5","Ipv6Address":"2600:1f18:aaaa:13::5"}"#,
        );
        assert_eq!(
            families(&legs(&subnet(DUAL), &dual_mt, None).unwrap()),
            [
                "10.0.3.0/24 -> 10.0.13.5",
                "2600:1f18:aaaa:3::/64 -> 2600:1f18:aaaa:13::5"
            ]
        );
        // Without AssignIpv6AddressOnCreation the task is IPv4-only.
        let v4_task = subnet(&DUAL.replace(
            "\"AssignIpv6AddressOnCreation\":true",
            "\"AssignIpv6AddressOnCreation\":false",
        ));
        assert_eq!(
            families(&legs(&v4_task, &dual_mt, None).unwrap()),
            ["10.0.3.0/24 -> 10.0.13.5"]
        );
        // An IPv4-only mount target is reached over IPv4 even by a dual-stack task.
        let v4_mt = mount_target(
            r#"{"MountTargetId":"fsmt-1","FileSystemId":"fs-1","SubnetId":"subnet-m","IpAddress":"10.0.13.5"}"#,
        );
        assert_eq!(
            families(&legs(&subnet(DUAL), &v4_mt, None).unwrap()),
            ["10.0.3.0/24 -> 10.0.13.5"]
        );
    }

    #[test]
    fn no_shared_family_says_why() {
        let v6_mt = mount_target(
            r#"{"MountTargetId":"fsmt-6","FileSystemId":"fs-1","SubnetId":"subnet-m","Ipv6Address":"2600:1f18:aaaa:13::5"}"#,
        );
        let v4_task =
            subnet(r#"{"SubnetId":"subnet-a","VpcId":"vpc-1","CidrBlock":"10.0.1.0/24"}"#);
        assert_eq!(
            legs(&v4_task, &v6_mt, None).unwrap_err().to_string(),
            "mount target fsmt-6 is IPv6-only and tasks in subnet-a get no IPv6 address (AssignIpv6AddressOnCreation is off or the subnet has no IPv6 CIDR)"
        );
        let bad = subnet(r#"{"SubnetId":"subnet-a","VpcId":"vpc-1","CidrBlock":"10.0.1/24"}"#);
        assert_eq!(
            legs(&bad, &v6_mt, None).unwrap_err().to_string(),
            "the CidrBlock of subnet-a `10.0.1/24` is not a valid CIDR"
        );
        let no_address = mount_target(
            r#"{"MountTargetId":"fsmt-0","FileSystemId":"fs-1","SubnetId":"subnet-m"}"#,
        );
        assert_eq!(
            legs(&v4_task, &no_address, None).unwrap_err().to_string(),
            "mount target fsmt-0 has neither IpAddress nor Ipv6Address in the collected state"
        );
        // A planned mount target without an address yet gets one from its subnet.
        let mt_subnet =
            subnet(r#"{"SubnetId":"subnet-m","VpcId":"vpc-1","CidrBlock":"10.0.13.0/24"}"#);
        assert_eq!(
            families(&legs(&v4_task, &no_address, Some(&mt_subnet)).unwrap()),
            ["10.0.1.0/24 -> an address in 10.0.13.0/24 assigned at creation"]
        );
    }
}
