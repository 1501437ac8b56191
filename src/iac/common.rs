//! Facts about AWS both front ends need: ARN shapes, protocol spellings as the AWS CLI prints
//! them, the resources AWS creates with every new VPC, and AZ-name to AZ-id mapping.
//!
//! Depends on the snapshot model only.

use std::collections::HashMap;

use crate::snapshot::{
    IpPermission, IpRange, Ipv6Range, NetworkAcl, NetworkAclEntry, PortRange, PrefixListId, Route,
    RouteTable, RouteTableAssociation, SecurityGroup, Snapshot, UserIdGroupPair,
};

/// Where synthetic ARNs live: the base state's Region and account.
#[derive(Debug, Clone, Default)]
pub struct Account {
    /// Region (`REGION` in ARNs when unknown).
    pub region: Option<String>,
    /// Account id (`ACCOUNT_ID` in ARNs when unknown).
    pub account_id: Option<String>,
}

impl Account {
    /// From the base snapshot.
    pub fn of(base: &Snapshot) -> Self {
        Self {
            region: base.region.clone(),
            account_id: base.account_id.clone(),
        }
    }

    /// The Region, or `REGION`.
    pub fn region(&self) -> &str {
        self.region.as_deref().unwrap_or("REGION")
    }

    /// The account id, or `ACCOUNT_ID`.
    pub fn account(&self) -> &str {
        self.account_id.as_deref().unwrap_or("ACCOUNT_ID")
    }

    /// The partition of the Region (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>).
    pub fn partition(&self) -> &'static str {
        match self.region.as_deref() {
            Some(r) if r.starts_with("cn-") => "aws-cn",
            Some(r) if r.starts_with("us-gov-") => "aws-us-gov",
            _ => "aws",
        }
    }

    /// `amazonaws.com`, or `amazonaws.com.cn` in China.
    pub fn url_suffix(&self) -> &'static str {
        if self.partition() == "aws-cn" {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        }
    }

    /// A regional ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
    pub fn arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}:{}:{}:{resource}",
            self.partition(),
            self.region(),
            self.account()
        )
    }

    /// An IAM ARN (global): `arn:PARTITION:iam::ACCOUNT:KIND{path}NAME`.
    pub fn iam_arn(&self, kind: &str, path: Option<&str>, name: &str) -> String {
        let path = path.filter(|p| !p.is_empty()).unwrap_or("/");
        format!(
            "arn:{}:iam::{}:{kind}{path}{name}",
            self.partition(),
            self.account()
        )
    }
}

/// A security-group protocol as `describe-security-groups` prints it (`tcp`, `udp`, `icmp`,
/// `-1`, or the number).
pub fn sg_protocol(p: &str) -> String {
    match p.trim().to_ascii_lowercase().as_str() {
        "all" | "-1" => "-1".to_owned(),
        "6" | "tcp" => "tcp".to_owned(),
        "17" | "udp" => "udp".to_owned(),
        "1" | "icmp" => "icmp".to_owned(),
        "58" | "icmpv6" => "icmpv6".to_owned(),
        other => other.to_owned(),
    }
}

/// A network-ACL protocol as `describe-network-acls` prints it (a number, `-1` for all).
pub fn acl_protocol(p: &str) -> String {
    match p.trim().to_ascii_lowercase().as_str() {
        "all" | "-1" => "-1".to_owned(),
        "tcp" => "6".to_owned(),
        "udp" => "17".to_owned(),
        "icmp" => "1".to_owned(),
        "icmpv6" => "58".to_owned(),
        other => other.to_owned(),
    }
}

/// The peers of one security-group rule.
#[derive(Debug, Clone, Default)]
pub struct Peers {
    /// IPv4 CIDRs.
    pub cidrs: Vec<String>,
    /// IPv6 CIDRs.
    pub cidrs_v6: Vec<String>,
    /// Prefix lists.
    pub prefix_lists: Vec<String>,
    /// Security groups.
    pub groups: Vec<String>,
}

/// One security-group rule in `describe-security-groups` shape. Port ranges are dropped for
/// all-protocol rules, as the CLI prints them.
pub fn permission(
    protocol: &str,
    from: Option<i64>,
    to: Option<i64>,
    peers: Peers,
) -> IpPermission {
    let protocol = sg_protocol(protocol);
    let all = protocol == "-1";
    IpPermission {
        from_port: if all { None } else { from },
        to_port: if all { None } else { to },
        ip_protocol: protocol,
        ip_ranges: peers
            .cidrs
            .into_iter()
            .map(|cidr_ip| IpRange { cidr_ip })
            .collect(),
        ipv6_ranges: peers
            .cidrs_v6
            .into_iter()
            .map(|cidr_ipv6| Ipv6Range { cidr_ipv6 })
            .collect(),
        prefix_list_ids: peers
            .prefix_lists
            .into_iter()
            .map(|prefix_list_id| PrefixListId { prefix_list_id })
            .collect(),
        user_id_group_pairs: peers
            .groups
            .into_iter()
            .map(|g| UserIdGroupPair {
                group_id: Some(g),
                ..UserIdGroupPair::default()
            })
            .collect(),
    }
}

/// One network-ACL entry in `describe-network-acls` shape.
#[allow(clippy::too_many_arguments)]
pub fn acl_entry(
    rule_number: i64,
    protocol: &str,
    action: &str,
    egress: bool,
    cidr: Option<String>,
    cidr_v6: Option<String>,
    from: Option<i64>,
    to: Option<i64>,
) -> NetworkAclEntry {
    let protocol = acl_protocol(protocol);
    let ported = protocol == "6" || protocol == "17";
    NetworkAclEntry {
        rule_number,
        port_range: if ported {
            Some(PortRange { from, to })
        } else {
            None
        },
        protocol,
        rule_action: action.to_ascii_lowercase(),
        egress,
        cidr_block: cidr,
        ipv6_cidr_block: cidr_v6,
    }
}

/// The catch-all deny rules (number 32767) every network ACL ends with, both directions.
pub fn implicit_denies() -> Vec<NetworkAclEntry> {
    [false, true]
        .into_iter()
        .map(|egress| {
            acl_entry(
                32767,
                "-1",
                "deny",
                egress,
                Some("0.0.0.0/0".to_owned()),
                None,
                None,
                None,
            )
        })
        .collect()
}

/// The resources AWS creates with every new VPC: the default security group (inbound from
/// itself, all outbound), the default network ACL (allows everything) and the main route table
/// (a `local` route for the VPC CIDR).
/// <https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html>,
/// <https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html>,
/// <https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#RouteTables>.
pub fn new_vpc_defaults(
    vpc_id: &str,
    cidr: Option<&str>,
    owner: Option<&str>,
    ids: [String; 3],
) -> (SecurityGroup, NetworkAcl, RouteTable) {
    let [sg_id, acl_id, rt_id] = ids;
    let sg = SecurityGroup {
        group_id: sg_id.clone(),
        group_name: Some("default".to_owned()),
        vpc_id: Some(vpc_id.to_owned()),
        owner_id: owner.map(str::to_owned),
        ip_permissions: vec![permission(
            "-1",
            None,
            None,
            Peers {
                groups: vec![sg_id],
                ..Peers::default()
            },
        )],
        ip_permissions_egress: vec![permission(
            "-1",
            None,
            None,
            Peers {
                cidrs: vec!["0.0.0.0/0".to_owned()],
                ..Peers::default()
            },
        )],
    };
    let mut entries: Vec<NetworkAclEntry> = [false, true]
        .into_iter()
        .map(|egress| {
            acl_entry(
                100,
                "-1",
                "allow",
                egress,
                Some("0.0.0.0/0".to_owned()),
                None,
                None,
                None,
            )
        })
        .collect();
    entries.extend(implicit_denies());
    let acl = NetworkAcl {
        network_acl_id: acl_id,
        vpc_id: Some(vpc_id.to_owned()),
        is_default: true,
        associations: Vec::new(),
        entries,
    };
    let rt = RouteTable {
        route_table_id: rt_id,
        vpc_id: Some(vpc_id.to_owned()),
        associations: vec![RouteTableAssociation {
            main: true,
            ..RouteTableAssociation::default()
        }],
        routes: cidr
            .map(|c| {
                vec![Route {
                    destination_cidr_block: Some(c.to_owned()),
                    gateway_id: Some("local".to_owned()),
                    state: Some("active".to_owned()),
                    origin: Some("CreateRouteTable".to_owned()),
                    ..Route::default()
                }]
            })
            .unwrap_or_default(),
    };
    (sg, acl, rt)
}

/// AZ name -> AZ id from the base state's subnets of its own account. AZ names are mapped to
/// different locations in each account, so only the same account's subnets can say which AZ
/// id a name means (<https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html>).
pub fn az_ids_by_name(base: &Snapshot) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for s in base.ec2.subnets.iter().flatten() {
        let same_account = match (s.owner_id.as_deref(), base.account_id.as_deref()) {
            (Some(owner), Some(account)) => owner == account,
            _ => true,
        };
        if let (true, Some(name), Some(id)) = (
            same_account,
            s.availability_zone.as_deref(),
            s.availability_zone_id.as_deref(),
        ) {
            out.entry(name.to_owned()).or_insert_with(|| id.to_owned());
        }
    }
    out
}

/// The CIDR of a VPC in the base state.
pub fn base_vpc_cidr(base: &Snapshot, vpc_id: &str) -> Option<String> {
    base.ec2
        .vpcs
        .iter()
        .flatten()
        .find(|v| v.vpc_id == vpc_id)
        .and_then(|v| v.cidr_block.clone())
}

/// The highest revision of a task-definition family in the base state.
pub fn base_max_revision(base: &Snapshot, family: &str) -> i64 {
    base.ecs
        .task_definitions
        .iter()
        .flatten()
        .filter(|t| t.family == family)
        .filter_map(|t| t.revision)
        .max()
        .unwrap_or(0)
}

/// The key EFS encrypts with when a template or plan names none: the AWS managed key for EFS
/// (<https://docs.aws.amazon.com/efs/latest/ug/EFSKMS.html>).
pub(crate) const AWS_MANAGED_EFS_KEY: &str = "alias/aws/elasticfilesystem";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_and_partitions() {
        let a = Account {
            region: Some("cn-north-1".into()),
            account_id: Some("111122223333".into()),
        };
        assert_eq!(a.partition(), "aws-cn");
        assert_eq!(
            a.iam_arn("role", None, "app"),
            "arn:aws-cn:iam::111122223333:role/app"
        );
        assert_eq!(
            Account::default().arn("elasticfilesystem", "file-system/x"),
            "arn:aws:elasticfilesystem:REGION:ACCOUNT_ID:file-system/x"
        );
    }

    #[test]
    fn protocols_as_the_cli_prints_them() {
        assert_eq!(sg_protocol("6"), "tcp");
        assert_eq!(sg_protocol("all"), "-1");
        assert_eq!(acl_protocol("tcp"), "6");
        let p = permission("-1", Some(0), Some(0), Peers::default());
        assert!(p.from_port.is_none() && p.to_port.is_none());
        let e = acl_entry(
            100,
            "tcp",
            "ALLOW",
            false,
            None,
            None,
            Some(2049),
            Some(2049),
        );
        assert_eq!(e.rule_action, "allow");
        assert_eq!(e.port_range.and_then(|r| r.from), Some(2049));
    }
}
