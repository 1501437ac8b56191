//! Route 53 private hosted zones and Route 53 Resolver rules of a template
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53-hostedzone.html>,
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53resolver-resolverrule.html>,
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53resolver-resolverruleassociation.html>).

// Every converter has the one signature of the resource table, fallible or not.
#![allow(clippy::unnecessary_wraps)]

use serde_json::Value as Json;

use super::{Convert, Res, Template};
use crate::iac::overlay::Builder;
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
];

/// Resource types that add records to zones; they are not read, so a zone the template creates
/// next to one of them has records the rules cannot see.
const RECORDS: &[&str] = &["AWS::Route53::RecordSet", "AWS::Route53::RecordSetGroup"];

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
    let records_unread = t.resources().any(|(_, res)| {
        res.get("Type")
            .and_then(Json::as_str)
            .is_some_and(|ty| RECORDS.contains(&ty))
    });
    dns::private_zone(
        b,
        NewZone {
            id: lid.to_owned(),
            name: r.p("Name").str(),
            vpcs,
            region: t.base.region.clone(),
            records_unread,
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
