//! IAM resources of a template: roles, inline policies (`AWS::IAM::Policy`) and managed
//! policies.

// Every converter has the one signature of the resource table, fallible or not.
#![allow(clippy::unnecessary_wraps)]

use serde_json::Value as Json;

use super::{bad_value, policy, Convert, Res, Template};
use crate::iac::overlay::Builder;
use crate::iac::shared::ecs::known_strs;
use crate::iac::shared::iam;
use crate::iac::shared::Targets;
use crate::iac::value::{Got, Val};
use crate::iac::IacError;
use crate::snapshot::{InlinePolicy, RoleDetail};

/// The IAM resource types a template may hold.
pub(super) const RESOURCES: &[(&str, Convert)] = &[
    ("AWS::IAM::Role", role),
    ("AWS::IAM::Policy", policy_resource),
    ("AWS::IAM::ManagedPolicy", policy_resource),
];

fn role(t: &Template<'_>, r: &Res<'_>, b: &mut Builder, _: &mut Targets) -> Result<(), IacError> {
    let lid = r.lid;
    let name = match t.role_name(lid, 0) {
        Val::Str(s) => s,
        _ => lid.to_owned(),
    };
    let path = r.p("Path").str().known();
    let arn = t.account.iam_arn("role", path.as_deref(), &name);
    let trust = match policy(&r.p("AssumeRolePolicyDocument")) {
        Got::Known(Some(d)) => Some(d),
        Got::Known(None) => {
            return Err(bad_value(
                r,
                "AssumeRolePolicyDocument",
                "is not a policy document",
            ))
        }
        Got::Unknown(c) => {
            b.gap(&arn, "AssumeRolePolicyDocument", lid, &c);
            None
        }
        Got::Absent => None,
    };
    let mut inline = Vec::new();
    let mut unknown = None;
    for (i, pol) in r
        .p("Policies")
        .items()
        .known()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        match policy(&pol.field("PolicyDocument")) {
            Got::Known(Some(doc)) => inline.push(InlinePolicy {
                policy_name: pol.field("PolicyName").str().known().unwrap_or_default(),
                policy_document: doc,
            }),
            Got::Unknown(c) => {
                unknown = Some((format!("Policies[{i}].PolicyDocument"), c));
            }
            _ => {}
        }
    }
    let (attached, unknown_arns) =
        iam::managed_policy_arns(&r.p("ManagedPolicyArns"), "ManagedPolicyArns");
    if let Some((attr, cause)) = unknown_arns.into_iter().last().or(unknown) {
        b.omit(&arn, &attr, lid, &cause);
        return Ok(());
    }
    b.overlay.roles.push(RoleDetail {
        path,
        role_name: name,
        role_id: None,
        arn,
        assume_role_policy_document: trust,
        role_policy_list: inline,
        attached_managed_policies: attached,
        permissions_boundary: r
            .p("PermissionsBoundary")
            .str()
            .known()
            .map(iam::permissions_boundary),
    });
    Ok(())
}

/// `AWS::IAM::Policy` (inline policies of the roles it names) and `AWS::IAM::ManagedPolicy`.
fn policy_resource(
    t: &Template<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let lid = r.lid;
    let doc = match policy(&r.p("PolicyDocument")) {
        Got::Known(Some(d)) => d,
        Got::Known(None) => return Err(bad_value(r, "PolicyDocument", "is not a policy document")),
        Got::Unknown(c) => {
            // The roles it applies to have unknown permissions.
            for role in known_strs(&r.p("Roles")) {
                let arn = role_arn(t, &role);
                b.omit(&arn, "PolicyDocument", lid, &c);
            }
            return Ok(());
        }
        Got::Absent => return Ok(()),
    };
    let roles = known_strs(&r.p("Roles"));
    if r.rtype == "AWS::IAM::Policy" {
        let name = r
            .p("PolicyName")
            .str()
            .known()
            .unwrap_or_else(|| lid.to_owned());
        for role in roles {
            b.overlay.role_inline_policies.push((
                role,
                InlinePolicy {
                    policy_name: name.clone(),
                    policy_document: doc.clone(),
                },
            ));
        }
    } else {
        let arn = match t.managed_policy_arn(lid, 0) {
            Val::Str(s) => s,
            _ => lid.to_owned(),
        };
        for role in roles {
            b.overlay
                .role_attachments
                .push((role, iam::attached(arn.clone())));
        }
        b.overlay.policies.push(iam::managed_policy(
            arn.rsplit('/').next().map(str::to_owned),
            arn,
            doc,
        ));
    }
    Ok(())
}

/// The ARN of a role named `name`: one of the template's roles, or the base state's.
fn role_arn(t: &Template<'_>, name: &str) -> String {
    t.resources()
        .filter(|(_, r)| r.get("Type").and_then(Json::as_str) == Some("AWS::IAM::Role"))
        .find_map(|(lid, _)| match t.role_name(lid, 0) {
            Val::Str(n) if n == name => match t.get_att(lid, "Arn", 0) {
                Val::Str(a) => Some(a),
                _ => None,
            },
            _ => None,
        })
        .or_else(|| {
            t.base
                .iam
                .roles
                .iter()
                .flatten()
                .find(|r| r.role_name == name)
                .map(|r| r.arn.clone())
        })
        .unwrap_or_else(|| name.to_owned())
}
