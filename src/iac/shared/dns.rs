//! Route 53 private hosted zones and Route 53 Resolver rules and their VPC associations: what
//! decides who answers a file system's DNS name in the task VPC (DNS004, DNS005).
//!
//! A value unknown before deployment is kept where the rules look for it, with a gap: a zone or
//! rule whose name or type is unknown keeps its id (the gap is keyed by it), a VPC or rule id
//! that is unknown becomes a placeholder. The rules then say `unknown` for any name the entry
//! might match, never pass.

use super::super::overlay::Builder;
use super::super::overlay::{ZoneRecord, ZoneRef};
use super::super::value::Got;
use crate::snapshot::{
    HostedZone, HostedZoneConfig, HostedZoneVpc, ResolverRule, ResolverRuleAssociation,
    ResourceRecordSet, Snapshot,
};

/// The records of a zone the base state holds (`None` when it does not hold the zone or its
/// records were not collected).
pub fn base_records(base: &Snapshot, zone_id: &str) -> Option<Vec<ResourceRecordSet>> {
    let short = zone_id.rsplit('/').next().unwrap_or(zone_id);
    base.route53
        .hosted_zones
        .iter()
        .flatten()
        .find(|z| z.short_id() == short)
        .and_then(|z| z.resource_record_sets.clone())
}

/// Adds a record to its zone. A record whose zone, name or type is known only at deployment
/// leaves every zone's records unknown (it may answer the file system's name anywhere).
pub fn record(b: &mut Builder, zone: Got<ZoneRef>, name: Got<String>, record_type: Got<String>) {
    match (zone, name, record_type) {
        (Got::Known(zone), Got::Known(name), Got::Known(record_type)) => {
            b.overlay.zone_records.push(ZoneRecord {
                zone,
                record: ResourceRecordSet { name, record_type },
            });
        }
        (Got::Absent, ..) | (_, Got::Absent, _) | (.., Got::Absent) => {}
        _ => b.overlay.records_of_unknown_zone = true,
    }
}

/// A private hosted zone the input creates.
#[derive(Debug)]
pub struct NewZone {
    /// Its (synthetic) id.
    pub id: String,
    /// Its domain name.
    pub name: Got<String>,
    /// The VPCs it is associated with (already resolved; placeholders for unknown ones).
    pub vpcs: Vec<String>,
    /// The Region of the VPCs (the input's Region).
    pub region: Option<String>,
    /// Its records before the input's own are added: none for a zone the input creates, the
    /// base state's for one it changes (`None`: not known).
    pub records: Option<Vec<ResourceRecordSet>>,
}

/// Adds a private hosted zone. A zone the input creates holds only its SOA and NS records
/// (<https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/SOA-NSrecords.html>), none of
/// which answers an A or AAAA query, and the records the input adds ([`record`]).
pub fn private_zone(b: &mut Builder, z: NewZone, attr: &str, address: &str) {
    let name = match z.name {
        Got::Known(n) => n,
        Got::Unknown(cause) => {
            b.gap(&z.id, attr, address, &cause);
            format!("{}.{attr}", z.id)
        }
        Got::Absent => return,
    };
    b.overlay.hosted_zones.push(HostedZone {
        id: z.id,
        name,
        config: Some(HostedZoneConfig {
            comment: None,
            private_zone: Some(true),
        }),
        vpcs: Some(
            z.vpcs
                .into_iter()
                .map(|vpc_id| HostedZoneVpc {
                    vpc_region: z.region.clone(),
                    vpc_id,
                })
                .collect(),
        ),
        owner: None,
        resource_record_sets: z.records,
    });
}

/// Adds a Resolver rule; an unknown domain name or rule type is recorded against its id.
pub fn resolver_rule(
    b: &mut Builder,
    id: &str,
    domain: Got<String>,
    rule_type: Got<String>,
    names: [&str; 2],
    address: &str,
    owner: Option<String>,
) {
    let [domain_attr, type_attr] = names;
    let mut known = |got: Got<String>, attr: &str| match got {
        Got::Known(v) => Some(v),
        Got::Unknown(cause) => {
            b.gap(id, attr, address, &cause);
            None
        }
        Got::Absent => None,
    };
    let domain_name = known(domain, domain_attr);
    let rule_type = known(rule_type, type_attr).map(|t| t.to_ascii_uppercase());
    b.overlay.resolver_rules.push(ResolverRule {
        id: id.to_owned(),
        domain_name,
        rule_type,
        name: None,
        status: Some("COMPLETE".to_owned()),
        owner_id: owner,
        target_ips: Vec::new(),
    });
}

/// Adds the association of a rule with a VPC (both resolved; placeholders when unknown).
pub fn resolver_rule_association(b: &mut Builder, id: &str, rule: String, vpc: String) {
    b.overlay
        .resolver_rule_associations
        .push(ResolverRuleAssociation {
            id: Some(id.to_owned()),
            resolver_rule_id: rule,
            vpc_id: vpc,
            status: Some("COMPLETE".to_owned()),
        });
}
