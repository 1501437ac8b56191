//! IAM resources of a plan: roles, inline role policies, managed policies and attachments.

// Every converter has the one signature of the resource table, fallible or not.
#![allow(clippy::unnecessary_wraps)]

use super::{bad_value, Convert, Plan, Res};
use crate::iac::overlay::Builder;
use crate::iac::shared::iam;
use crate::iac::shared::Targets;
use crate::iac::value::Got;
use crate::iac::IacError;
use crate::snapshot::{InlinePolicy, PolicyDocument, RoleDetail};

/// The IAM resource types a plan may hold.
pub(super) const RESOURCES: &[(&str, Convert)] = &[
    ("aws_iam_role", role),
    ("aws_iam_role_policy", role_policy),
    ("aws_iam_role_policy_attachment", role_policy_attachment),
    ("aws_iam_policy", policy),
];

const NOT_A_POLICY: &str = "is not a JSON policy document";

fn policy_doc(text: &str) -> Option<PolicyDocument> {
    PolicyDocument::from_text(text).ok()
}

fn role(_: &Plan<'_>, r: &Res<'_>, b: &mut Builder, _: &mut Targets) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let trust = match v.field("assume_role_policy").str() {
        Got::Known(p) => {
            Some(policy_doc(&p).ok_or_else(|| bad_value(r, "assume_role_policy", NOT_A_POLICY))?)
        }
        Got::Unknown(c) => {
            b.gap(&r.s.arn, "assume_role_policy", addr, &c);
            None
        }
        Got::Absent => None,
    };
    let mut inline = Vec::new();
    match v.field("inline_policy").items() {
        Got::Unknown(c) => {
            b.omit(&r.s.arn, "inline_policy", addr, &c);
            return Ok(());
        }
        Got::Absent => {}
        Got::Known(items) => {
            for p in items {
                let name = p.field("name").str().known().unwrap_or_default();
                match p.field("policy").str() {
                    Got::Known(text) if !text.is_empty() => match policy_doc(&text) {
                        Some(d) => inline.push(InlinePolicy {
                            policy_name: name,
                            policy_document: d,
                        }),
                        None => return Err(bad_value(r, "inline_policy.policy", NOT_A_POLICY)),
                    },
                    Got::Unknown(c) => {
                        b.omit(&r.s.arn, "inline_policy.policy", addr, &c);
                        return Ok(());
                    }
                    _ => {}
                }
            }
        }
    }
    let (attached, unknown) = iam::managed_policy_arns(&v.field("managed_policy_arns"), "");
    if let Some((_, c)) = unknown.into_iter().next() {
        b.omit(&r.s.arn, "managed_policy_arns", addr, &c);
        return Ok(());
    }
    b.overlay.roles.push(RoleDetail {
        path: v.field("path").str().known(),
        role_name: r.s.name.clone(),
        role_id: v.field("unique_id").str().known(),
        arn: r.s.arn.clone(),
        assume_role_policy_document: trust,
        role_policy_list: inline,
        attached_managed_policies: attached,
        permissions_boundary: v
            .field("permissions_boundary")
            .str()
            .known()
            .filter(|p| !p.is_empty())
            .map(iam::permissions_boundary),
    });
    Ok(())
}

fn role_policy(
    plan: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let Some(role) = b.id(v.field("role").str(), "role", addr) else {
        return Ok(());
    };
    let name = v
        .field("name")
        .str()
        .known()
        .unwrap_or_else(|| addr.to_owned());
    match v.field("policy").str() {
        Got::Known(p) => {
            let doc = policy_doc(&p).ok_or_else(|| bad_value(r, "policy", NOT_A_POLICY))?;
            b.overlay.role_inline_policies.push((
                role,
                InlinePolicy {
                    policy_name: name,
                    policy_document: doc,
                },
            ));
        }
        Got::Unknown(c) => {
            let arn = plan.role_arn_by_name(&role);
            b.omit(&arn, "policy", addr, &c);
        }
        Got::Absent => {}
    }
    Ok(())
}

fn role_policy_attachment(
    _: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    let role = b.id(v.field("role").str(), "role", addr);
    let arn = b.id(v.field("policy_arn").str(), "policy_arn", addr);
    if let (Some(role), Some(arn)) = (role, arn) {
        b.overlay.role_attachments.push((role, iam::attached(arn)));
    }
    Ok(())
}

fn policy(_: &Plan<'_>, r: &Res<'_>, b: &mut Builder, _: &mut Targets) -> Result<(), IacError> {
    let (v, addr) = (r.values(), r.address());
    match v.field("policy").str() {
        Got::Known(p) => {
            let doc = policy_doc(&p).ok_or_else(|| bad_value(r, "policy", NOT_A_POLICY))?;
            b.overlay.policies.push(iam::managed_policy(
                Some(r.s.name.clone()),
                r.s.arn.clone(),
                doc,
            ));
        }
        Got::Unknown(c) => b.omit(&r.s.arn, "policy", addr, &c),
        Got::Absent => {}
    }
    Ok(())
}
