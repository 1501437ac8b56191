//! Route 53 private hosted zones and Route 53 Resolver rules of a plan
//! (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_zone>,
//! <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_resolver_rule>,
//! <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_resolver_rule_association>,
//! <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_record>).

// Every converter has the one signature of the resource table, fallible or not.
#![allow(clippy::unnecessary_wraps)]

use super::{Convert, Plan, Res};
use crate::iac::overlay::{Builder, ZoneRef};
use crate::iac::shared::dns::{self, NewZone};
use crate::iac::shared::Targets;
use crate::iac::value::{Got, Val};
use crate::iac::IacError;

/// The DNS resource types a plan may hold.
pub(super) const RESOURCES: &[(&str, Convert)] = &[
    ("aws_route53_zone", zone),
    ("aws_route53_resolver_rule", resolver_rule),
    (
        "aws_route53_resolver_rule_association",
        resolver_rule_association,
    ),
    ("aws_route53_record", record),
    ("aws_route53_zone_association", zone_association),
];

/// A zone with `vpc` blocks is private; one without is public and cannot shadow a name in a VPC.
fn zone(plan: &Plan<'_>, r: &Res<'_>, b: &mut Builder, _: &mut Targets) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let vpcs = match v.field("vpc") {
        Val::Null => return Ok(()),
        Val::List(blocks) if blocks.is_empty() => return Ok(()),
        Val::List(blocks) => blocks
            .iter()
            .enumerate()
            .filter_map(|(i, blk)| {
                b.id(blk.field("vpc_id").str(), &format!("vpc[{i}].vpc_id"), addr)
            })
            .collect(),
        // The blocks themselves are unknown: the zone is private for an unknown VPC.
        other => b.ids(
            Got::Unknown(other.first_unknown().unwrap_or("").to_owned()),
            "vpc",
            addr,
        ),
    };
    dns::private_zone(
        b,
        NewZone {
            id: r.s.id.clone(),
            name: v.field("name").str(),
            vpcs,
            region: plan.base.region.clone(),
            // A zone the plan creates (its id is unknown) starts without records; an existing
            // one keeps those of the base state.
            records: if r.s.id == addr {
                Some(Vec::new())
            } else {
                dns::base_records(plan.base, &r.s.id)
            },
        },
        "name",
        addr,
    );
    Ok(())
}

fn resolver_rule(
    plan: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let v = r.values();
    dns::resolver_rule(
        b,
        &r.s.id,
        v.field("domain_name").str(),
        v.field("rule_type").str(),
        ["domain_name", "rule_type"],
        r.address(),
        plan.owner(),
    );
    Ok(())
}

fn resolver_rule_association(
    _: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let rule = b
        .id(v.field("resolver_rule_id").str(), "resolver_rule_id", addr)
        .unwrap_or_default();
    let vpc = b
        .id(v.field("vpc_id").str(), "vpc_id", addr)
        .unwrap_or_default();
    dns::resolver_rule_association(b, &r.s.id, rule, vpc);
    Ok(())
}

/// A record of a zone: `name` is completed with the zone's name when it is not fully
/// qualified, as the provider does.
fn record(_: &Plan<'_>, r: &Res<'_>, b: &mut Builder, _: &mut Targets) -> Result<(), IacError> {
    let v = r.values();
    dns::record(
        b,
        v.field("zone_id").str().map(ZoneRef::Id),
        v.field("name").str(),
        v.field("type").str(),
    );
    Ok(())
}

/// A VPC association of a zone the plan or the base state holds
/// (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_zone_association>).
fn zone_association(
    _: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let (Some(zone), Some(vpc)) = (
        b.id(v.field("zone_id").str(), "zone_id", addr),
        b.id(v.field("vpc_id").str(), "vpc_id", addr),
    ) else {
        return Ok(());
    };
    b.overlay
        .zone_associations
        .push((zone, vpc, addr.to_owned()));
    Ok(())
}
