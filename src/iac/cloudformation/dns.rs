//! Route 53 private hosted zones and Route 53 Resolver rules of a template
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53-hostedzone.html>,
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53resolver-resolverrule.html>,
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53resolver-resolverruleassociation.html>,
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53-recordset.html>,
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53-recordsetgroup.html>).

// Every converter has the one signature of the resource table, fallible or not.
#![allow(clippy::unnecessary_wraps)]

use super::{Convert, Res, Template};
use crate::iac::overlay::{Builder, ZoneRef};
use crate::iac::shared::dns::{self, NewZone};
use crate::iac::shared::Targets;
use crate::iac::value::{Got, Val};
use crate::iac::IacError;

/// The DNS resource types a template may hold.
pub(super) const RESOURCES: &[(&str, Convert)] = &[
    ("AWS::Route53::HostedZone", hosted_zone),
    ("AWS::Route53Resolver::ResolverRule", resolver_rule),
    (
        "AWS::Route53Resolver::ResolverRuleAssociation",
        resolver_rule_association,
    ),
    ("AWS::Route53::RecordSet", record_set),
    ("AWS::Route53::RecordSetGroup", record_set_group),
];

/// A zone with `VPCs` is private; one without is public and cannot shadow a name in a VPC.
fn hosted_zone(
    t: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let lid = r.lid;
    let vpcs = match r.p("VPCs") {
        Val::Null => return Ok(()),
        Val::List(items) if items.is_empty() => return Ok(()),
        Val::List(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, vpc)| b.id(vpc.field("VPCId").str(), &format!("VPCs[{i}].VPCId"), lid))
            .collect(),
        other => b.ids(
            Got::Unknown(other.first_unknown().unwrap_or("").to_owned()),
            "VPCs",
            lid,
        ),
    };
    dns::private_zone(
        b,
        NewZone {
            id: lid.to_owned(),
            name: r.p("Name").str(),
            vpcs,
            region: t.base.region.clone(),
            // A zone the stack creates starts without records.
            records: Some(Vec::new()),
        },
        "Name",
        lid,
    );
    Ok(())
}

fn resolver_rule(
    t: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    dns::resolver_rule(
        b,
        r.lid,
        r.p("DomainName").str(),
        r.p("RuleType").str(),
        ["DomainName", "RuleType"],
        r.lid,
        t.owner(),
    );
    Ok(())
}

fn resolver_rule_association(
    _: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let lid = r.lid;
    let rule = b
        .id(r.p("ResolverRuleId").str(), "ResolverRuleId", lid)
        .unwrap_or_default();
    let vpc = b.id(r.p("VPCId").str(), "VPCId", lid).unwrap_or_default();
    dns::resolver_rule_association(b, lid, rule, vpc);
    Ok(())
}

/// The zone of a record set (group): `HostedZoneId`, else `HostedZoneName`.
fn zone_of(props: &Val) -> Got<ZoneRef> {
    match props.field("HostedZoneId").str() {
        Got::Absent => props.field("HostedZoneName").str().map(ZoneRef::Name),
        other => other.map(ZoneRef::Id),
    }
}

fn record_set(
    _: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    dns::record(b, zone_of(&r.props), r.p("Name").str(), r.p("Type").str());
    Ok(())
}

fn record_set_group(
    _: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    match r.p("RecordSets").items() {
        Got::Known(sets) => {
            for set in sets {
                dns::record(
                    b,
                    zone_of(&r.props),
                    set.field("Name").str(),
                    set.field("Type").str(),
                );
            }
        }
        Got::Unknown(_) => b.overlay.records_of_unknown_zone = true,
        Got::Absent => {}
    }
    Ok(())
}
