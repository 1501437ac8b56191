//! Route 53 collection: the private hosted zones associated with the task VPCs
//! (`ListHostedZonesByVPC`, which also lists zones that AWS services such as EFS own), each
//! zone's VPCs (`GetHostedZone`, for zones of the account), and the records
//! (`ListResourceRecordSets`) of the zones whose name is an EFS DNS name or a parent of one, for
//! DNS004 and DNS005.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_route53::types::VpcRegion;

use super::record::{Answer, ListBuilder};
use super::Ctx;
use crate::snapshot as model;

/// Reads the zones of these VPCs (`(vpc id, region)`); `efs_names` are the DNS names of the file
/// systems read, which decide whose records are listed.
pub(crate) async fn collect(
    cx: &Ctx,
    vpcs: &BTreeSet<(String, String)>,
    efs_names: &BTreeSet<String>,
) -> model::Route53State {
    cx.rec
        .phase("reading private hosted zones of the task VPCs");
    let mut zones: ListBuilder<model::HostedZone> = ListBuilder::default();
    let mut by_id: BTreeMap<String, model::HostedZone> = BTreeMap::new();
    for (vpc_id, region) in vpcs {
        match zones_of_vpc(cx, vpc_id, region).await {
            Answer::Found(summaries) => {
                for zone in summaries {
                    by_id
                        .entry(zone.id.clone())
                        .and_modify(|z| {
                            if let (Some(have), Some(add)) = (z.vpcs.as_mut(), zone.vpcs.as_ref()) {
                                have.extend(add.iter().cloned());
                            }
                        })
                        .or_insert(zone);
                }
            }
            Answer::Absent => {}
            Answer::Failed => zones.fail(),
        }
    }
    for (id, mut zone) in by_id {
        // Zones that a service owns live in its account: their details are not readable, and
        // what the rules need (name, owner) came with the listing.
        if zone
            .owner
            .as_ref()
            .is_some_and(|o| o.owning_service.is_some())
        {
            zones.push(zone);
            continue;
        }
        if let Answer::Found(out) = cx
            .rec
            .call(
                "route53:GetHostedZone",
                Some(id.clone()),
                &["NoSuchHostedZone"],
                cx.route53.get_hosted_zone().id(&id).send(),
            )
            .await
        {
            if let Some(h) = out.hosted_zone() {
                h.name().clone_into(&mut zone.name);
                zone.config = h.config().map(|c| model::HostedZoneConfig {
                    comment: c.comment().map(str::to_owned),
                    private_zone: Some(c.private_zone()),
                });
            }
            zone.vpcs = Some(
                out.vpcs()
                    .iter()
                    .filter_map(|v| {
                        Some(model::HostedZoneVpc {
                            vpc_region: v.vpc_region().map(|r| r.as_str().to_owned()),
                            vpc_id: v.vpc_id()?.to_owned(),
                        })
                    })
                    .collect(),
            );
        }
        let name = zone.name.trim_end_matches('.').to_ascii_lowercase();
        let covers_efs_name = efs_names
            .iter()
            .any(|n| *n == name || n.ends_with(&format!(".{name}")));
        if covers_efs_name {
            zone.resource_record_sets = records(cx, &id).await;
        }
        zones.push(zone);
    }
    model::Route53State {
        hosted_zones: zones.finish(),
        // Every VPC whose zones were asked for; a failed query is a gap as well.
        vpcs_read: Some(
            vpcs.iter()
                .map(|(v, _)| v.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        ),
    }
}

/// `ListHostedZonesByVPC`, page by page.
async fn zones_of_vpc(cx: &Ctx, vpc_id: &str, region: &str) -> Answer<Vec<model::HostedZone>> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let request = cx
            .route53
            .list_hosted_zones_by_vpc()
            .vpc_id(vpc_id)
            .vpc_region(VpcRegion::from(region))
            .set_next_token(token.clone())
            .send();
        let page = match cx
            .rec
            .call(
                "route53:ListHostedZonesByVPC",
                Some(vpc_id.to_owned()),
                &[],
                request,
            )
            .await
        {
            Answer::Found(page) => page,
            Answer::Absent => return Answer::Absent,
            Answer::Failed => return Answer::Failed,
        };
        out.extend(
            page.hosted_zone_summaries()
                .iter()
                .map(|s| model::HostedZone {
                    id: s.hosted_zone_id().to_owned(),
                    name: s.name().to_owned(),
                    config: Some(model::HostedZoneConfig {
                        comment: None,
                        private_zone: Some(true),
                    }),
                    vpcs: Some(vec![model::HostedZoneVpc {
                        vpc_region: Some(region.to_owned()),
                        vpc_id: vpc_id.to_owned(),
                    }]),
                    owner: s.owner().map(|o| model::HostedZoneOwner {
                        owning_account: o.owning_account().map(str::to_owned),
                        owning_service: o.owning_service().map(str::to_owned),
                    }),
                    resource_record_sets: None,
                }),
        );
        match page.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_owned()),
            _ => return Answer::Found(out),
        }
    }
}

/// Every record of a zone (names and types); `None` when a page could not be read.
async fn records(cx: &Ctx, zone_id: &str) -> Option<Vec<model::ResourceRecordSet>> {
    let mut out = Vec::new();
    let mut start: Option<(String, aws_sdk_route53::types::RrType, Option<String>)> = None;
    loop {
        let mut request = cx
            .route53
            .list_resource_record_sets()
            .hosted_zone_id(zone_id);
        if let Some((name, kind, identifier)) = &start {
            request = request
                .start_record_name(name)
                .start_record_type(kind.clone())
                .set_start_record_identifier(identifier.clone());
        }
        let page = cx
            .rec
            .call(
                "route53:ListResourceRecordSets",
                Some(zone_id.to_owned()),
                &[],
                request.send(),
            )
            .await
            .found()?;
        out.extend(
            page.resource_record_sets()
                .iter()
                .map(|r| model::ResourceRecordSet {
                    name: r.name().to_owned(),
                    record_type: r.r#type().as_str().to_owned(),
                }),
        );
        match (
            page.is_truncated(),
            page.next_record_name(),
            page.next_record_type(),
        ) {
            (true, Some(name), Some(kind)) => {
                start = Some((
                    name.to_owned(),
                    kind.clone(),
                    page.next_record_identifier().map(str::to_owned),
                ));
            }
            _ => return Some(out),
        }
    }
}
