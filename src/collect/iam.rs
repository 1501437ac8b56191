//! IAM collection: the task roles with their trust policy, inline policies, attached managed
//! policies and permissions boundary, in the shape of `get-account-authorization-details`.
//!
//! Reads role by role (`GetRole`, `ListRolePolicies` + `GetRolePolicy`,
//! `ListAttachedRolePolicies`) and managed policy by policy (`GetPolicy` + `GetPolicyVersion` of
//! the default version), so a scoped run reads only the roles its tasks use;
//! `GetAccountAuthorizationDetails` would read the whole account.
//!
//! `NoSuchEntity` on `GetRole` means the role does not exist: it is left out of a collected
//! `RoleDetailList`, which is how the rules learn that a task role is missing.
//! Policy documents come URL-encoded (RFC 3986) from the IAM API and are decoded here.
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html>

use std::collections::BTreeSet;

use aws_sdk_iam::operation::list_attached_role_policies::ListAttachedRolePoliciesOutput;
use aws_sdk_iam::operation::list_role_policies::ListRolePoliciesOutput;
use futures::stream::{self, StreamExt};

use super::record::{Answer, ListBuilder};
use super::{owned, Ctx};
use crate::snapshot::{self as model, PolicyDocument};

const NO_SUCH_ENTITY: &[&str] = &["NoSuchEntity"];

/// A role's inline policy names and attached policies (`None`: the list call failed).
type RolePolicyLists = (Option<Vec<String>>, Option<Vec<model::AttachedPolicy>>);

/// Reads the roles (ARNs or names) and every managed policy they use.
pub(crate) async fn collect(cx: &Ctx, role_arns: &BTreeSet<String>) -> model::IamState {
    cx.rec.phase("reading IAM task roles");
    let answers: Vec<Answer<model::RoleDetail>> = stream::iter(role_arns)
        .map(|arn| get_role(cx, arn))
        .buffered(cx.concurrency)
        .collect()
        .await;
    let mut roles = ListBuilder::default();
    for answer in answers {
        roles.take(answer.map(|r| [r]));
    }
    let (mut roles, roles_failed) = roles.into_parts();

    // Inline and attached policies, per role.
    let lists: Vec<RolePolicyLists> = stream::iter(&roles)
        .map(|role| async move {
            futures::join!(
                inline_policy_names(cx, &role.role_name),
                attached_policies(cx, &role.role_name)
            )
        })
        .buffered(cx.concurrency)
        .collect()
        .await;
    let mut wanted_inline = Vec::new();
    for (index, (role, (names, attached))) in roles.iter_mut().zip(lists).enumerate() {
        for name in names.unwrap_or_default() {
            wanted_inline.push((index, role.role_name.clone(), name));
        }
        role.attached_managed_policies = attached.unwrap_or_default();
    }
    let inline: Vec<(usize, Option<model::InlinePolicy>)> = stream::iter(wanted_inline)
        .map(|(index, role_name, policy_name)| async move {
            (index, get_role_policy(cx, &role_name, &policy_name).await)
        })
        .buffered(cx.concurrency)
        .collect()
        .await;
    for (index, policy) in inline {
        if let (Some(role), Some(policy)) = (roles.get_mut(index), policy) {
            role.role_policy_list.push(policy);
        }
    }

    // Managed policies: attached ones and permissions boundaries, each read once.
    let policy_arns: BTreeSet<String> = roles
        .iter()
        .flat_map(|r| {
            r.attached_managed_policies
                .iter()
                .map(|p| p.policy_arn.clone())
                .chain(
                    r.permissions_boundary
                        .iter()
                        .map(|b| b.permissions_boundary_arn.clone()),
                )
        })
        .collect();
    let answers: Vec<Answer<model::ManagedPolicyDetail>> = stream::iter(&policy_arns)
        .map(|arn| managed_policy(cx, arn))
        .buffered(cx.concurrency)
        .collect()
        .await;
    let mut policies = ListBuilder::default();
    for answer in answers {
        policies.take(answer.map(|p| [p]));
    }

    let mut role_list = ListBuilder::default();
    if roles_failed {
        role_list.fail();
    }
    role_list.extend(roles);
    let roles = role_list.finish();
    model::IamState {
        // Which managed policies matter is known only from the roles.
        policies: roles.as_ref().and(policies.finish()),
        roles,
    }
}

/// The role name in a role ARN (`arn:aws:iam::123456789012:role/path/name` -> `name`); ECS also
/// accepts a bare role name as `taskRoleArn`.
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns>
pub(crate) fn role_name(arn: &str) -> &str {
    match arn.split_once(":role/") {
        Some((_, path_and_name)) => path_and_name.rsplit('/').next().unwrap_or(path_and_name),
        None => arn,
    }
}

async fn get_role(cx: &Ctx, arn: &str) -> Answer<model::RoleDetail> {
    const CALL: &str = "iam:GetRole";
    let request = cx.iam.get_role().role_name(role_name(arn)).send();
    let answer = cx
        .rec
        .call(CALL, Some(arn.to_owned()), NO_SUCH_ENTITY, request)
        .await;
    let out = match answer {
        Answer::Found(out) => out,
        Answer::Absent => return Answer::Absent,
        Answer::Failed => return Answer::Failed,
    };
    let Some(role) = out.role() else {
        return Answer::Absent;
    };
    let trust = role
        .assume_role_policy_document()
        .and_then(|text| decode(cx, CALL, role.arn(), text));
    Answer::Found(model::RoleDetail {
        path: Some(role.path().to_owned()).filter(|p| !p.is_empty()),
        role_name: role.role_name().to_owned(),
        role_id: Some(role.role_id().to_owned()).filter(|p| !p.is_empty()),
        arn: role.arn().to_owned(),
        assume_role_policy_document: trust,
        role_policy_list: Vec::new(),
        attached_managed_policies: Vec::new(),
        permissions_boundary: role.permissions_boundary().and_then(|b| {
            Some(model::PermissionsBoundary {
                permissions_boundary_type: b
                    .permissions_boundary_type()
                    .map(|t| t.as_str().to_owned()),
                permissions_boundary_arn: b.permissions_boundary_arn()?.to_owned(),
            })
        }),
    })
}

async fn inline_policy_names(cx: &Ctx, role: &str) -> Option<Vec<String>> {
    let request = cx
        .iam
        .list_role_policies()
        .role_name(role)
        .into_paginator()
        .send();
    cx.rec
        .items(
            "iam:ListRolePolicies",
            Some(role.to_owned()),
            &[],
            request,
            ListRolePoliciesOutput::policy_names,
            |name| Some(name.clone()),
        )
        .await
        .found()
}

async fn attached_policies(cx: &Ctx, role: &str) -> Option<Vec<model::AttachedPolicy>> {
    let request = cx
        .iam
        .list_attached_role_policies()
        .role_name(role)
        .into_paginator()
        .send();
    let attached = |p: &aws_sdk_iam::types::AttachedPolicy| {
        Some(model::AttachedPolicy {
            policy_name: owned(p.policy_name()),
            policy_arn: p.policy_arn()?.to_owned(),
        })
    };
    cx.rec
        .items(
            "iam:ListAttachedRolePolicies",
            Some(role.to_owned()),
            &[],
            request,
            ListAttachedRolePoliciesOutput::attached_policies,
            attached,
        )
        .await
        .found()
}

async fn get_role_policy(cx: &Ctx, role: &str, policy: &str) -> Option<model::InlinePolicy> {
    const CALL: &str = "iam:GetRolePolicy";
    let resource = format!("{role}/{policy}");
    let request = cx
        .iam
        .get_role_policy()
        .role_name(role)
        .policy_name(policy)
        .send();
    let out = cx
        .rec
        .call(CALL, Some(resource.clone()), &[], request)
        .await
        .found()?;
    let document = decode(cx, CALL, &resource, out.policy_document())?;
    Some(model::InlinePolicy {
        policy_name: out.policy_name().to_owned(),
        policy_document: document,
    })
}

/// `GetPolicy`, then `GetPolicyVersion` of its default version.
async fn managed_policy(cx: &Ctx, arn: &str) -> Answer<model::ManagedPolicyDetail> {
    const CALL: &str = "iam:GetPolicyVersion";
    let request = cx.iam.get_policy().policy_arn(arn).send();
    let answer = cx
        .rec
        .call(
            "iam:GetPolicy",
            Some(arn.to_owned()),
            NO_SUCH_ENTITY,
            request,
        )
        .await;
    let out = match answer {
        Answer::Found(out) => out,
        Answer::Absent => return Answer::Absent,
        Answer::Failed => return Answer::Failed,
    };
    let Some(policy) = out.policy() else {
        return Answer::Absent;
    };
    let default_version_id = owned(policy.default_version_id());
    let mut detail = model::ManagedPolicyDetail {
        policy_name: owned(policy.policy_name()),
        arn: policy.arn().unwrap_or(arn).to_owned(),
        default_version_id: default_version_id.clone(),
        policy_version_list: Vec::new(),
    };
    let Some(version_id) = default_version_id else {
        // No default version named: the document stays unknown, which the rules must see.
        cx.rec
            .gap("iam:GetPolicy", Some(arn.to_owned()), "no DefaultVersionId");
        return Answer::Found(detail);
    };
    let request = cx
        .iam
        .get_policy_version()
        .policy_arn(arn)
        .version_id(&version_id)
        .send();
    let resource = format!("{arn}?versionId={version_id}");
    if let Some(out) = cx
        .rec
        .call(CALL, Some(resource.clone()), &[], request)
        .await
        .found()
    {
        if let Some(version) = out.policy_version() {
            let document = version
                .document()
                .and_then(|text| decode(cx, CALL, &resource, text));
            if document.is_some() {
                detail.policy_version_list.push(model::PolicyVersion {
                    document,
                    version_id: Some(version_id),
                    is_default_version: true,
                });
            }
        }
    }
    Answer::Found(detail)
}

/// Decodes a policy document (raw or URL-encoded JSON); an unreadable one becomes a gap.
fn decode(cx: &Ctx, call: &'static str, resource: &str, text: &str) -> Option<PolicyDocument> {
    match PolicyDocument::from_text(text) {
        Ok(document) => Some(document),
        Err(why) => {
            cx.rec.gap(call, Some(resource.to_owned()), &why);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::role_name;

    #[test]
    fn role_names_from_arns_and_names() {
        assert_eq!(
            role_name("arn:aws:iam::123456789012:role/app/efs-task-role"),
            "efs-task-role"
        );
        assert_eq!(role_name("arn:aws:iam::123456789012:role/plain"), "plain");
        assert_eq!(role_name("just-a-name"), "just-a-name");
    }
}
