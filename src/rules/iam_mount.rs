//! The mount of an EFS volume as the IAM rules (IAM001-IAM006) see it: [`resolve`] reads a
//! volume's mount from the estate (the file-system policy, the access point ARN, and with `iam`
//! ENABLED the task role and its policies); [`writers`] names the containers that need write
//! access.
//!
//! Depends on the rule context and [`crate::iam`]; no rule module.

use std::ops::Deref;
use std::rc::Rc;

use super::context::EvaluationKey;
use super::{Context, EfsVolume};
use crate::graph::Missing;
use crate::iam::{AccessPointUse, Decision, EfsAction, Evaluation, Mount};
use crate::snapshot::RoleDetail;

/// A volume's mount with what its IAM decisions depend on: [`Resolved::evaluate`] decides each
/// question once per target, however many rules ask it. Reads as the [`Mount`] otherwise.
pub(crate) struct Resolved<'a> {
    mount: Mount<'a>,
    access_point: Option<&'a str>,
    role: Option<*const RoleDetail>,
}

impl<'a> Deref for Resolved<'a> {
    type Target = Mount<'a>;

    fn deref(&self) -> &Mount<'a> {
        &self.mount
    }
}

impl<'a> Resolved<'a> {
    /// Decides an action as the volume is configured.
    pub fn evaluate(&self, cx: &Context<'a>, action: EfsAction) -> Rc<Evaluation> {
        self.evaluate_tls(cx, action, self.mount.tls())
    }

    /// Decides an action with transit encryption on or off.
    pub fn evaluate_tls(&self, cx: &Context<'a>, action: EfsAction, tls: bool) -> Rc<Evaluation> {
        let key = EvaluationKey {
            fs_id: self.mount.fs_id(),
            access_point: self.access_point,
            role: self.role,
            action,
            tls,
        };
        cx.mount_evaluation(key, || self.mount.evaluate_tls(action, tls))
    }
}

/// Why a volume's mount cannot be resolved.
#[derive(Clone)]
pub(crate) enum Unresolved {
    /// `iam` ENABLED without a task role: ECS007 reports it; nothing to evaluate.
    NoTaskRole,
    /// Data is missing: the resource most to blame, and what is missing.
    Missing(String, Missing),
}

/// Reads a volume's mount from the estate (once per target: every IAM rule reads it).
pub(crate) fn resolve<'a>(
    cx: &Context<'a>,
    v: &EfsVolume<'a>,
) -> Result<Rc<Resolved<'a>>, Unresolved> {
    cx.resolved_mount(v.config, || read(cx, v).map(Rc::new))
}

fn read<'a>(cx: &Context<'a>, v: &EfsVolume<'a>) -> Result<Resolved<'a>, Unresolved> {
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
    let role_key = role.as_ref().map(|(r, _)| std::ptr::from_ref(*r));
    let mount = Mount::with_policies(
        fs_id,
        fs_arn,
        fs_document,
        cx.file_system_policy(fs_id, fs_document),
        access_point,
        v.config.tls(),
        role,
    )
    .map_err(|e| Unresolved::Missing(fs_id.to_owned(), Missing::new(e)))?;
    Ok(Resolved {
        mount,
        access_point: v.config.access_point_id(),
        role: role_key,
    })
}

/// `Missing` from an unknown evaluation.
pub(crate) fn unknown_reason(e: &Evaluation) -> Missing {
    Missing::new(e.unknown.join("; "))
}

/// The containers that mount a volume read-write (`readOnly` absent or false).
pub(crate) fn writers(cx: &Context<'_>, v: &EfsVolume<'_>) -> Vec<String> {
    cx.task_definition()
        .ok()
        .into_iter()
        .flat_map(|td| td.container_definitions.iter())
        .filter(|c| {
            c.mount_points
                .iter()
                .any(|m| m.source_volume.as_deref() == Some(v.name) && m.read_only != Some(true))
        })
        .map(|c| c.name.clone())
        .collect()
}

/// When `action` is refused only for want of TLS and IAM003 reports that (transit encryption is
/// off, the mount itself is refused without TLS and allowed with it, and `action` is allowed with
/// TLS): a rule then says the denial once, through IAM003, whose fix works.
pub(crate) fn denied_only_without_tls<'a>(
    cx: &Context<'a>,
    mount: &Resolved<'a>,
    action: EfsAction,
) -> bool {
    if mount.tls() {
        return false;
    }
    let mount_plain = mount
        .evaluate_tls(cx, EfsAction::ClientMount, false)
        .decision;
    let mount_tls = mount
        .evaluate_tls(cx, EfsAction::ClientMount, true)
        .decision;
    if matches!(mount_plain, Decision::Allowed | Decision::Unknown)
        || mount_tls != Decision::Allowed
    {
        return false;
    }
    mount.evaluate_tls(cx, action, true).decision == Decision::Allowed
}

/// Whether the mount itself is refused (`ClientMount` denied: IAM001, IAM002 or IAM003 fail).
/// Write and root access are then moot: IAM004 and IAM005 report nothing of their own.
pub(crate) fn mount_denied<'a>(cx: &Context<'a>, mount: &Resolved<'a>) -> bool {
    matches!(
        mount.evaluate(cx, EfsAction::ClientMount).decision,
        Decision::ExplicitDeny | Decision::ImplicitDeny
    )
}
