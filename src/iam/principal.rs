//! Who makes a request, and how a policy's `Principal` element names them.
//!
//! With IAM authorization an ECS task mounts as a session of its task role:
//! `arn:aws:sts::ACCOUNT:assumed-role/ROLE-NAME/TASK-ID` (the role path is not part of a session
//! ARN). Without it the NFS client is anonymous. A `Principal` element can name that caller in
//! four ways, which AWS evaluates differently
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html>):
//!
//! - everyone (`"*"`, `{"AWS": "*"}`), which includes the session itself: the only grant that
//!   reaches an anonymous client;
//! - the session ARN: a direct grant, but the session name is the task id, which a policy
//!   written in advance cannot name, and principals take no partial wildcards;
//! - the role ARN (exactly, path included; IAM stores it as the role's unique id, so a role
//!   deleted and recreated shows as `AROA...` and no longer matches);
//! - the account (`123456789012` or `arn:aws:iam::123456789012:root`), which delegates to the
//!   account's identity policies and grants nothing by itself.

use super::policy::{PrincipalId, PrincipalKind, Principals};

/// The caller of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// An unauthenticated NFS client (`iam` not ENABLED).
    Anonymous,
    /// A session of an IAM role (the task role, `iam` ENABLED).
    RoleSession(RoleSession),
    /// An AWS service principal (`ecs-tasks.amazonaws.com` assuming a role).
    Service(String),
}

/// A role whose session makes the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSession {
    /// The role ARN, path included.
    pub role_arn: String,
    /// The role name (last path segment).
    pub role_name: String,
    /// The role's account.
    pub account: String,
    /// The partition (`aws`, `aws-cn`, `aws-us-gov`).
    pub partition: String,
    /// The role's unique id (`AROA...`), when known.
    pub role_id: Option<String>,
}

impl RoleSession {
    /// From a role ARN (`arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`); `None` if it is not one.
    pub fn from_role_arn(role_arn: &str, role_id: Option<&str>) -> Option<Self> {
        let parts: Vec<&str> = role_arn.splitn(6, ':').collect();
        let [arn, partition, service, region, account, resource] = parts.as_slice() else {
            return None;
        };
        let name = resource.strip_prefix("role/")?.rsplit('/').next()?;
        if *arn != "arn"
            || *service != "iam"
            || !region.is_empty()
            || account.is_empty()
            || name.is_empty()
        {
            return None;
        }
        Some(Self {
            role_arn: role_arn.to_owned(),
            role_name: name.to_owned(),
            account: (*account).to_owned(),
            partition: (*partition).to_owned(),
            role_id: role_id.map(str::to_owned),
        })
    }

    /// The session ARN up to the session name: `arn:aws:sts::ACCOUNT:assumed-role/NAME/`.
    pub fn session_arn_prefix(&self) -> String {
        format!(
            "arn:{}:sts::{}:assumed-role/{}/",
            self.partition, self.account, self.role_name
        )
    }

    /// The account root ARN: `arn:aws:iam::ACCOUNT:root`.
    pub fn account_root_arn(&self) -> String {
        format!("arn:{}:iam::{}:root", self.partition, self.account)
    }

    /// `value == self.account_root_arn()`, without building it.
    fn is_account_root_arn(&self, value: &str) -> bool {
        value
            .strip_prefix("arn:")
            .and_then(|v| v.strip_prefix(self.partition.as_str()))
            .and_then(|v| v.strip_prefix(":iam::"))
            .and_then(|v| v.strip_prefix(self.account.as_str()))
            == Some(":root")
    }

    /// `value.starts_with(&self.session_arn_prefix())`, without building the prefix.
    fn is_session_arn(&self, value: &str) -> bool {
        value
            .strip_prefix("arn:")
            .and_then(|v| v.strip_prefix(self.partition.as_str()))
            .and_then(|v| v.strip_prefix(":sts::"))
            .and_then(|v| v.strip_prefix(self.account.as_str()))
            .and_then(|v| v.strip_prefix(":assumed-role/"))
            .and_then(|v| v.strip_prefix(self.role_name.as_str()))
            .is_some_and(|v| v.starts_with('/'))
    }
}

/// How a `Principal` element names the caller, strongest last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Naming {
    /// Not named.
    No,
    /// Named through its account only.
    Account,
    /// Named by its role ARN (or role unique id).
    Role,
    /// Named directly: everyone, the session itself, or the service.
    Direct,
}

/// How `principals` names `caller`, and remarks worth telling a user (a session ARN that cannot
/// match, the unique id of a deleted role, a wildcard inside an ARN).
pub fn naming(principals: &Principals, caller: &Caller) -> (Naming, Vec<String>) {
    let ids = match principals {
        Principals::Everyone => return (Naming::Direct, Vec::new()),
        Principals::Listed(ids) => ids,
    };
    let mut best = Naming::No;
    let mut notes = Vec::new();
    for id in ids {
        let n = naming_one(id, caller, &mut notes);
        best = best.max(n);
    }
    (best, notes)
}

fn naming_one(id: &PrincipalId, caller: &Caller, notes: &mut Vec<String>) -> Naming {
    let value = id.value.as_str();
    match (&id.kind, caller) {
        (PrincipalKind::Aws, _) if value == "*" => Naming::Direct,
        (PrincipalKind::Service, Caller::Service(name)) if value.eq_ignore_ascii_case(name) => {
            Naming::Direct
        }
        (PrincipalKind::Aws, Caller::RoleSession(role)) => naming_aws(value, role, notes),
        _ => Naming::No,
    }
}

fn naming_aws(value: &str, role: &RoleSession, notes: &mut Vec<String>) -> Naming {
    if value == role.role_arn || role.role_id.as_deref() == Some(value) {
        return Naming::Role;
    }
    if value == role.account || role.is_account_root_arn(value) {
        return Naming::Account;
    }
    if role.is_session_arn(value) {
        notes.push(format!(
            "names the role session {value}, but an ECS task's session name is its task id, so no session ARN written in advance matches the task"
        ));
        return Naming::No;
    }
    if value.starts_with("AROA") && !value.contains(':') {
        notes.push(format!(
            "names {value}, a role unique id: IAM shows a principal that way when the role it named was deleted, and it does not match {}{}",
            role.role_arn,
            role.role_id
                .as_deref()
                .map(|id| format!(" (unique id {id})"))
                .unwrap_or_default()
        ));
        return Naming::No;
    }
    if value.contains('*') || value.contains('?') {
        notes.push(format!(
            "names {value}, but a Principal takes no wildcard inside an ARN, so it matches nothing (the aws:PrincipalArn condition key with ArnLike does)"
        ));
    }
    Naming::No
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role() -> Caller {
        Caller::RoleSession(
            RoleSession::from_role_arn("arn:aws:iam::111122223333:role/svc/app", Some("AROAAPP"))
                .unwrap(),
        )
    }

    fn aws(values: &[&str]) -> Principals {
        Principals::Listed(
            values
                .iter()
                .map(|v| PrincipalId {
                    kind: PrincipalKind::Aws,
                    value: (*v).to_owned(),
                })
                .collect(),
        )
    }

    #[test]
    fn parses_role_arns() {
        let Caller::RoleSession(r) = role() else {
            panic!("role")
        };
        assert_eq!(r.role_name, "app");
        assert_eq!(r.account, "111122223333");
        assert_eq!(
            r.session_arn_prefix(),
            "arn:aws:sts::111122223333:assumed-role/app/"
        );
        assert!(RoleSession::from_role_arn("arn:aws:iam::1:user/bob", None).is_none());
        assert!(RoleSession::from_role_arn("app", None).is_none());
        assert!(RoleSession::from_role_arn("arn:aws:sts::1:assumed-role/app/x", None).is_none());
    }

    #[test]
    fn role_session_naming() {
        let r = role();
        assert_eq!(naming(&Principals::Everyone, &r).0, Naming::Direct);
        assert_eq!(naming(&aws(&["*"]), &r).0, Naming::Direct);
        assert_eq!(
            naming(&aws(&["arn:aws:iam::111122223333:role/svc/app"]), &r).0,
            Naming::Role
        );
        assert_eq!(naming(&aws(&["AROAAPP"]), &r).0, Naming::Role);
        // The path is part of the role ARN.
        assert_eq!(
            naming(&aws(&["arn:aws:iam::111122223333:role/app"]), &r).0,
            Naming::No
        );
        assert_eq!(naming(&aws(&["111122223333"]), &r).0, Naming::Account);
        assert_eq!(
            naming(&aws(&["arn:aws:iam::111122223333:root"]), &r).0,
            Naming::Account
        );
        assert_eq!(
            naming(&aws(&["arn:aws:iam::444455556666:root"]), &r).0,
            Naming::No
        );
        assert_eq!(
            naming(
                &aws(&[
                    "arn:aws:iam::111122223333:root",
                    "arn:aws:iam::111122223333:role/svc/app"
                ]),
                &r
            )
            .0,
            Naming::Role
        );
        assert_eq!(
            naming(&aws(&["arn:aws:iam::111122223333:role/exec"]), &r).0,
            Naming::No
        );
    }

    #[test]
    fn unmatchable_names_come_with_notes() {
        let r = role();
        let (n, notes) = naming(
            &aws(&["arn:aws:sts::111122223333:assumed-role/app/0123abcd"]),
            &r,
        );
        assert_eq!(n, Naming::No);
        assert!(notes[0].contains("task id"), "{notes:?}");
        let (n, notes) = naming(&aws(&["AROAOLDROLE"]), &r);
        assert_eq!(n, Naming::No);
        assert!(notes[0].contains("deleted"), "{notes:?}");
        let (n, notes) = naming(&aws(&["arn:aws:iam::111122223333:role/svc/*"]), &r);
        assert_eq!(n, Naming::No);
        assert!(notes[0].contains("no wildcard"), "{notes:?}");
    }

    #[test]
    fn account_root_and_session_arns_are_recognised_without_building_them() {
        let Caller::RoleSession(r) = role() else {
            panic!("role")
        };
        let cases = [
            "arn:aws:iam::111122223333:root",
            "arn:aws:iam::111122223333:root/",
            "arn:aws:iam::111122223333:roo",
            "arn:aws:iam::11112222333:root",
            "arn:aws-cn:iam::111122223333:root",
            "arn:aws:sts::111122223333:assumed-role/app/0123",
            "arn:aws:sts::111122223333:assumed-role/app/",
            "arn:aws:sts::111122223333:assumed-role/app",
            "arn:aws:sts::111122223333:assumed-role/application/0123",
            "arn:aws:sts::111122223333:assumed-role/APP/0123",
            "arn:aws:sts::444455556666:assumed-role/app/0123",
            "arn:aws:iam::111122223333:role/svc/app",
            "",
        ];
        for value in cases {
            assert_eq!(
                r.is_account_root_arn(value),
                value == r.account_root_arn(),
                "{value}"
            );
            assert_eq!(
                r.is_session_arn(value),
                value.starts_with(&r.session_arn_prefix()),
                "{value}"
            );
        }
    }

    #[test]
    fn anonymous_and_service_callers() {
        assert_eq!(naming(&aws(&["*"]), &Caller::Anonymous).0, Naming::Direct);
        assert_eq!(
            naming(&Principals::Everyone, &Caller::Anonymous).0,
            Naming::Direct
        );
        assert_eq!(
            naming(&aws(&["111122223333"]), &Caller::Anonymous).0,
            Naming::No
        );
        let ecs = Caller::Service("ecs-tasks.amazonaws.com".into());
        let svc = |v: &str| {
            Principals::Listed(vec![PrincipalId {
                kind: PrincipalKind::Service,
                value: v.into(),
            }])
        };
        assert_eq!(
            naming(&svc("ecs-tasks.amazonaws.com"), &ecs).0,
            Naming::Direct
        );
        assert_eq!(naming(&svc("ecs.amazonaws.com"), &ecs).0, Naming::No);
        assert_eq!(
            naming(&svc("ecs-tasks.amazonaws.com"), &role()).0,
            Naming::No
        );
    }
}
