//! Who answers a file system's DNS name in the task VPC, shared by DNS004 and DNS005.
//!
//! Route 53 Resolver's documented precedence
//! (<https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-forward-vpc-to-network-domain-name-matches.html>,
//! <https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html>,
//! <https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-forward-vpc-to-network-autodefined-rules.html>):
//!
//! - A rule or zone matches a name when its domain is the name or a parent of it (`.` matches
//!   every name); among the matches the most specific domain wins.
//! - Every private hosted zone associated with the VPC acts as a rule for its name, so a zone
//!   more specific than a forwarding rule keeps answering; a Resolver rule for the same name as
//!   a zone takes precedence over the zone.
//! - A SYSTEM rule makes the VPC resolver answer locally: its private hosted zones (the most
//!   specific matching one) and the names AWS serves.
//! - A private hosted zone that matches but has no record for the name answers NXDOMAIN; it does
//!   not fall through.
//!
//! EFS may serve its names from a private hosted zone of its own: `ListHostedZonesByVPC`
//! reports such a zone with `Owner.OwningService` `efs.amazonaws.com`
//! (<https://docs.aws.amazon.com/Route53/latest/APIReference/API_HostedZoneOwner.html>). Its
//! name is not documented. When the snapshot shows one that matches, it takes part in the
//! precedence like any zone. When it shows none, a forwarding rule or a zone for
//! `efs.<region>.amazonaws.com` or a more specific name certainly takes the name away (nothing
//! EFS serves can be more specific than the file system's own name, and a rule beats a zone of
//! the same name); a broader one (`.`, `com`, `amazonaws.com`) is `unknown`.

use crate::graph::Missing;
use crate::snapshot::{HostedZone, ResolverRule};

use super::Context;

/// The service that owns the private hosted zones EFS creates for its names.
const EFS_SERVICE: &str = "efs.amazonaws.com";

/// Who answers the name.
pub(crate) enum Answer<'a> {
    /// A FORWARD rule sends the query to other DNS servers.
    Forwarded {
        rule: &'a ResolverRule,
        domain: String,
    },
    /// A private hosted zone the user associated answers it.
    UserZone {
        zone: &'a HostedZone,
        domain: String,
    },
    /// The VPC resolver answers it as EFS serves it; the reason says why.
    Efs(String),
    /// A broad rule or zone matches and the snapshot shows no zone of EFS's own that would be
    /// more specific.
    Undecided(Missing),
}

/// The file system's DNS name in this target's Region.
pub(crate) fn file_system_name(cx: &Context<'_>, fs_id: &str) -> (String, String) {
    let arn = cx.file_system_arn(fs_id);
    let mut parts = arn.split(':');
    let partition = parts.nth(1).unwrap_or("aws");
    // arn:PARTITION:elasticfilesystem:REGION:ACCOUNT:file-system/ID
    let region = parts
        .nth(1)
        .filter(|r| !r.is_empty() && *r != "REGION")
        .or(cx.graph.snapshot().region.as_deref())
        .unwrap_or("REGION");
    let suffix = if partition == "aws-cn" {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    let efs_domain = format!("efs.{region}.{suffix}");
    (format!("{fs_id}.{efs_domain}"), efs_domain)
}

/// A domain as written (trailing dot, case), in comparable form; `.` becomes empty.
pub(crate) fn normalize(domain: &str) -> String {
    domain.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// Whether `domain` is `name` or a parent of it.
pub(crate) fn matches(domain: &str, name: &str) -> bool {
    domain.is_empty() || name == domain || name.ends_with(&format!(".{domain}"))
}

fn labels(domain: &str) -> usize {
    if domain.is_empty() {
        0
    } else {
        domain.split('.').count()
    }
}

/// Who answers `name` (normalised) in `vpc_id`.
pub(crate) fn answer<'a>(
    cx: &Context<'a>,
    vpc_id: &str,
    name: &str,
    efs_domain: &str,
) -> Result<Answer<'a>, Missing> {
    let zones = cx.graph.hosted_zones_of_vpc(vpc_id)?;
    let rules = cx.graph.resolver_rules_of_vpc(vpc_id)?;
    // A zone or rule a Terraform plan or CloudFormation template associates with a VPC known
    // only at deployment may be associated with this one.
    for (zone, why) in cx.graph.hosted_zones_of_unknown_vpc() {
        if cx.graph.iac_unknown(&zone.id).is_some() || matches(&normalize(&zone.name), name) {
            return Err(why);
        }
    }
    for (rule, why) in cx.graph.resolver_rules_of_unknown_vpc() {
        let may_match = rule.map_or(true, |r| {
            cx.graph.iac_unknown(&r.id).is_some()
                || r.domain_name
                    .as_deref()
                    .is_none_or(|d| matches(&normalize(d), name))
        });
        if may_match {
            return Err(why);
        }
    }
    // A zone whose name, or a rule whose domain or type, is known only at deployment.
    if let Some(m) = zones.iter().find_map(|z| cx.graph.iac_unknown(&z.id)) {
        return Err(m);
    }
    let mut matching_rules: Vec<(&ResolverRule, String)> = Vec::new();
    for rule in rules {
        let rule = rule?;
        if let Some(m) = cx.graph.iac_unknown(&rule.id) {
            return Err(m);
        }
        let Some(domain) = rule.domain_name.as_deref().map(normalize) else {
            return Err(Missing::new(format!(
                "Resolver rule {} has no DomainName in the snapshot",
                rule.id
            )));
        };
        if matches(&domain, name) {
            matching_rules.push((rule, domain));
        }
    }
    let matching_zones: Vec<(&HostedZone, String)> = zones
        .into_iter()
        .map(|z| (z, normalize(&z.name)))
        .filter(|(_, d)| matches(d, name))
        .collect();
    let best_rule = matching_rules
        .iter()
        .max_by_key(|(_, d)| labels(d))
        .map(|(r, d)| (*r, d.clone()));
    let best_zone = best_zone(&matching_zones)?;
    // A rule wins over a zone of the same or a less specific name.
    let rule_wins = match (&best_rule, &best_zone) {
        (Some((_, rd)), Some((_, zd))) => labels(rd) >= labels(zd),
        (Some(_), None) => true,
        _ => false,
    };
    let efs_zone_visible = matching_zones
        .iter()
        .any(|(z, _)| z.owning_service() == Some(EFS_SERVICE));
    let decisive = |domain: &str| labels(domain) >= labels(efs_domain) || efs_zone_visible;
    if rule_wins {
        let Some((rule, domain)) = best_rule else {
            unreachable!("rule_wins implies a rule")
        };
        let forward = rule
            .rule_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("FORWARD"));
        if !forward {
            // SYSTEM (or RECURSIVE): answered locally, by the most specific matching zone.
            return Ok(match best_zone {
                Some((zone, zd)) if zone.owning_service() != Some(EFS_SERVICE) => {
                    if decisive(&zd) {
                        Answer::UserZone { zone, domain: zd }
                    } else {
                        Answer::Undecided(broad_zone(zone, &zd, efs_domain))
                    }
                }
                Some((zone, _)) => Answer::Efs(format!(
                    "{} rule {} resolves it locally, where the hosted zone {} of EFS answers it",
                    rule.rule_type.as_deref().unwrap_or("SYSTEM"),
                    rule.id,
                    display(&normalize(&zone.name))
                )),
                None => Answer::Efs(format!(
                    "{} rule {} resolves it locally, as EFS serves it",
                    rule.rule_type.as_deref().unwrap_or("SYSTEM"),
                    rule.id
                )),
            });
        }
        if !decisive(&domain) {
            return Ok(Answer::Undecided(Missing::new(format!(
                "FORWARD rule {} for `{}` matches the name; EFS may serve its names from a private hosted zone of its own, which would win as more specific, but route53.HostedZones shows none for this VPC",
                rule.id,
                display(&domain)
            ))));
        }
        return Ok(Answer::Forwarded { rule, domain });
    }
    match best_zone {
        Some((zone, _)) if zone.owning_service() == Some(EFS_SERVICE) => Ok(Answer::Efs(format!(
            "the private hosted zone {} ({}) that EFS manages answers it",
            display(&normalize(&zone.name)),
            zone.short_id()
        ))),
        Some((zone, zd)) => {
            if decisive(&zd) {
                Ok(Answer::UserZone { zone, domain: zd })
            } else {
                Ok(Answer::Undecided(broad_zone(zone, &zd, efs_domain)))
            }
        }
        None => Ok(Answer::Efs(
            "no Resolver rule or private hosted zone of the VPC matches it, so the VPC resolver answers it as EFS serves it".to_owned(),
        )),
    }
}

fn broad_zone(zone: &HostedZone, domain: &str, efs_domain: &str) -> Missing {
    Missing::new(format!(
        "private hosted zone {} (`{}`) matches the name and is broader than `{efs_domain}`; EFS may serve its names from a private hosted zone of its own, which would win as more specific, but route53.HostedZones shows none for this VPC",
        zone.short_id(),
        display(domain)
    ))
}

/// The most specific matching zone; two of the same name leave the answer open.
fn best_zone<'a>(
    zones: &[(&'a HostedZone, String)],
) -> Result<Option<(&'a HostedZone, String)>, Missing> {
    let Some(max) = zones.iter().map(|(_, d)| labels(d)).max() else {
        return Ok(None);
    };
    let best: Vec<&(&HostedZone, String)> =
        zones.iter().filter(|(_, d)| labels(d) == max).collect();
    match best.as_slice() {
        [(z, d)] => Ok(Some((z, d.clone()))),
        _ => Err(Missing::new(format!(
            "several private hosted zones of the VPC are named `{}`",
            display(&best[0].1)
        ))),
    }
}

/// A normalised domain for messages (`.` for the root).
pub(crate) fn display(domain: &str) -> &str {
    if domain.is_empty() {
        "."
    } else {
        domain
    }
}

/// Whether a zone holds a record that answers `name` (an exact A, AAAA or CNAME record, or a
/// wildcard that covers it); `None` when its records were not collected.
pub(crate) fn zone_answers(zone: &HostedZone, name: &str) -> Option<bool> {
    let records = zone.resource_record_sets.as_ref()?;
    Some(records.iter().any(|r| {
        let t = r.record_type.to_ascii_uppercase();
        if !matches!(t.as_str(), "A" | "AAAA" | "CNAME") {
            return false;
        }
        let rn = normalize(&r.name).replace("\\052", "*");
        match rn.strip_prefix("*.") {
            Some(parent) => name.ends_with(&format!(".{parent}")),
            None => rn == name,
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_match_the_name_and_its_parents_only() {
        let name = "fs-1.efs.us-east-1.amazonaws.com";
        for d in [
            "",
            "com",
            "amazonaws.com",
            "efs.us-east-1.amazonaws.com",
            name,
        ] {
            assert!(matches(d, name), "{d}");
        }
        for d in [
            "s.amazonaws.com",
            "fs-1.efs.us-east-1.amazonaws.co",
            "x.fs-1.efs.us-east-1.amazonaws.com",
        ] {
            assert!(!matches(d, name), "{d}");
        }
        assert_eq!(
            normalize("EFS.us-east-1.amazonaws.com."),
            "efs.us-east-1.amazonaws.com"
        );
        assert_eq!(normalize("."), "");
    }
}
