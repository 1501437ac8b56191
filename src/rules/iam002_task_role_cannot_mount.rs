//! IAM002: with IAM authorization, nothing lets the task role mount the file system.
//!
//! [`resolve`] (shared by IAM001-IAM005) reads a volume's mount from the estate: the file-system
//! policy, the access point ARN, and with `iam` ENABLED the task role and its policies.

use super::{Context, EfsVolume, Finding, Rule, Severity};
use crate::graph::Missing;
use crate::iam::{AccessPointUse, Decision, EfsAction, Evaluation, Mount};

pub(crate) static RULE: Rule = Rule {
    id: "IAM002",
    name: "task-role-cannot-mount",
    severity: Severity::Error,
    summary: "IAM authorization is on and nothing allows the task role to mount the file system",
    doc: include_str!("../../rules/IAM002.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    let mut out = Vec::new();
    for v in volumes.iter().filter(|v| v.config.iam()) {
        let mount = match resolve(cx, v) {
            Ok(m) => m,
            Err(Unresolved::NoTaskRole) => continue,
            Err(Unresolved::Missing(resource, m)) => {
                out.push(cx.unknown(&RULE, &m).volume(v.name).resource(resource));
                continue;
            }
        };
        let Some(role) = mount.role() else { continue };
        let e = mount.evaluate(EfsAction::ClientMount);
        let f = match e.decision {
            Decision::Unknown => cx.unknown(&RULE, &unknown_reason(&e)),
            Decision::Allowed => cx.pass(&RULE).message(format!(
                "Task role {} may mount {}: {}.",
                role.role_name,
                mount.fs_id(),
                mount.allowed_text(&e)
            )),
            Decision::ExplicitDeny | Decision::ImplicitDeny => {
                let exec = mount.execution_role_remark(
                    cx.task_definition()
                        .ok()
                        .and_then(|td| td.execution_role_arn.as_deref()),
                    EfsAction::ClientMount,
                );
                let writes = !super::iam004_write_not_allowed::writers(cx, v).is_empty();
                cx.broken(&RULE)
                    .message(format!(
                        "Volume '{}' mounts {} as task role {}, and {}; the mount fails with 'access denied by server'.{exec}{}",
                        v.name,
                        mount.fs_id(),
                        role.role_name,
                        mount.denial(&e, EfsAction::ClientMount),
                        mount.remarks(&e)
                    ))
                    .fix(mount.grant_fix(&e, EfsAction::ClientMount, v.name, writes))
            }
        };
        out.push(f.volume(v.name).resource(role.arn.clone()));
    }
    out
}

/// Why a volume's mount cannot be resolved.
pub(super) enum Unresolved {
    /// `iam` ENABLED without a task role: ECS007 reports it; nothing to evaluate.
    NoTaskRole,
    /// Data is missing: the resource most to blame, and what is missing.
    Missing(String, Missing),
}

/// Reads a volume's mount from the estate.
pub(super) fn resolve<'a>(cx: &Context<'a>, v: &EfsVolume<'a>) -> Result<Mount<'a>, Unresolved> {
    let fs_id = v.config.file_system_id.as_str();
    let fs_document = cx
        .graph
        .file_system_policy(fs_id)
        .map_err(|m| Unresolved::Missing(fs_id.to_owned(), m))?;
    let snapshot = cx.graph.snapshot();
    let build_arn = |kind: &str, id: &str| {
        let (region, account) = (snapshot.region.as_deref()?, snapshot.account_id.as_deref()?);
        Some(format!(
            "arn:aws:elasticfilesystem:{region}:{account}:{kind}/{id}"
        ))
    };
    let fs_arn = cx
        .graph
        .file_system(fs_id)
        .ok()
        .and_then(|fs| fs.file_system_arn.clone())
        .or_else(|| build_arn("file-system", fs_id));
    let access_point = match v.config.access_point_id() {
        None => AccessPointUse::None,
        Some(ap_id) => match cx.graph.access_point(ap_id) {
            Ok(ap) => match ap
                .access_point_arn
                .clone()
                .or_else(|| build_arn("access-point", ap_id))
            {
                Some(arn) => AccessPointUse::Arn(arn),
                None => AccessPointUse::UnknownArn(format!(
                    "the ARN of access point {ap_id} is not known"
                )),
            },
            Err(m) => AccessPointUse::UnknownArn(m.to_string()),
        },
    };
    let role = if v.config.iam() {
        let role_ref = cx
            .task_definition()
            .ok()
            .and_then(|td| td.task_role_arn.as_deref())
            .filter(|r| !r.is_empty())
            .ok_or(Unresolved::NoTaskRole)?;
        let role = cx
            .graph
            .role(role_ref)
            .map_err(|m| Unresolved::Missing(role_ref.to_owned(), m))?;
        Some((role, cx.role_policies(role)))
    } else {
        None
    };
    Mount::with_policies(
        fs_id,
        fs_arn,
        fs_document,
        cx.file_system_policy(fs_id, fs_document),
        access_point,
        v.config.tls(),
        role,
    )
    .map_err(|e| Unresolved::Missing(fs_id.to_owned(), Missing::new(e)))
}

/// `Missing` from an unknown evaluation.
pub(super) fn unknown_reason(e: &Evaluation) -> Missing {
    Missing::new(e.unknown.join("; "))
}
