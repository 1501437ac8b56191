//! Route 53 Resolver collection: the rules associated with the task VPCs
//! (`ListResolverRuleAssociations` filtered by VPC, then `GetResolverRule` per rule), for
//! DNS004 and DNS005.

use std::collections::BTreeSet;

use aws_sdk_route53resolver::operation::list_resolver_rule_associations::ListResolverRuleAssociationsOutput;
use aws_sdk_route53resolver::types::Filter;
use futures::stream::{self, StreamExt};

use super::record::{Answer, ListBuilder};
use super::{owned, Ctx};
use crate::snapshot as model;

const RULE_NOT_FOUND: &[&str] = &["ResourceNotFoundException"];

/// Reads the rule associations of these VPCs and the rules they name.
pub(crate) async fn collect(cx: &Ctx, vpc_ids: &BTreeSet<String>) -> model::Route53ResolverState {
    cx.rec
        .phase("reading Route 53 Resolver rules of the task VPCs");
    let answers: Vec<Answer<Vec<model::ResolverRuleAssociation>>> = stream::iter(vpc_ids)
        .map(|vpc| associations(cx, vpc))
        .buffered(cx.concurrency)
        .collect()
        .await;
    let mut associations = ListBuilder::default();
    for answer in answers {
        associations.take(answer);
    }
    let (associations, associations_failed) = associations.into_parts();
    let rule_ids: BTreeSet<&str> = associations
        .iter()
        .map(|a| a.resolver_rule_id.as_str())
        .collect();
    let answers: Vec<Answer<model::ResolverRule>> = stream::iter(rule_ids)
        .map(|id| get_rule(cx, id))
        .buffered(cx.concurrency)
        .collect()
        .await;
    let mut rules = ListBuilder::default();
    for answer in answers {
        rules.take(answer.map(|r| [r]));
    }
    let mut association_list = ListBuilder::default();
    if associations_failed {
        association_list.fail();
    }
    association_list.extend(associations);
    let associations = association_list.finish();
    model::Route53ResolverState {
        // Without the associations the rules that matter are unknown too.
        resolver_rules: if associations.is_some() {
            rules.finish()
        } else {
            None
        },
        resolver_rule_associations: associations,
        // Every VPC whose associations were asked for; a failed query is a gap as well.
        vpcs_read: Some(vpc_ids.iter().cloned().collect()),
    }
}

async fn associations(cx: &Ctx, vpc_id: &str) -> Answer<Vec<model::ResolverRuleAssociation>> {
    let request = cx
        .route53resolver
        .list_resolver_rule_associations()
        .filters(Filter::builder().name("VPCId").values(vpc_id).build())
        .into_paginator()
        .send();
    cx.rec
        .pages(
            "route53resolver:ListResolverRuleAssociations",
            Some(vpc_id.to_owned()),
            &[],
            request,
        )
        .await
        .map(|pages| {
            pages
                .iter()
                .flat_map(ListResolverRuleAssociationsOutput::resolver_rule_associations)
                .filter_map(|a| {
                    Some(model::ResolverRuleAssociation {
                        id: owned(a.id()),
                        resolver_rule_id: a.resolver_rule_id()?.to_owned(),
                        vpc_id: a.vpc_id()?.to_owned(),
                        status: a.status().map(|s| s.as_str().to_owned()),
                    })
                })
                .collect()
        })
}

async fn get_rule(cx: &Ctx, id: &str) -> Answer<model::ResolverRule> {
    let request = cx
        .route53resolver
        .get_resolver_rule()
        .resolver_rule_id(id)
        .send();
    match cx
        .rec
        .call(
            "route53resolver:GetResolverRule",
            Some(id.to_owned()),
            RULE_NOT_FOUND,
            request,
        )
        .await
    {
        Answer::Found(out) => match out.resolver_rule() {
            Some(r) => Answer::Found(model::ResolverRule {
                id: r.id().unwrap_or(id).to_owned(),
                domain_name: owned(r.domain_name()),
                rule_type: r.rule_type().map(|t| t.as_str().to_owned()),
                name: owned(r.name()),
                status: r.status().map(|s| s.as_str().to_owned()),
                owner_id: owned(r.owner_id()),
                target_ips: r
                    .target_ips()
                    .iter()
                    .map(|t| model::TargetAddress {
                        ip: owned(t.ip()),
                        ipv6: owned(t.ipv6()),
                        port: t.port().map(i64::from),
                    })
                    .collect(),
            }),
            None => Answer::Absent,
        },
        Answer::Absent => Answer::Absent,
        Answer::Failed => Answer::Failed,
    }
}
