//! Table tests of the EFS client decision and the trust decision, drawn from AWS's policy
//! evaluation documentation, EFS's policy examples, and the policy shapes that break ECS mounts
//! in practice (CDK, Terraform, console).

use serde_json::{json, Value};

use super::*;
use crate::snapshot::PolicyDocument;

const ACCOUNT: &str = "111122223333";
const FS: &str = "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-0abc";
const AP: &str = "arn:aws:elasticfilesystem:us-east-1:111122223333:access-point/fsap-1";
const OTHER_AP: &str = "arn:aws:elasticfilesystem:us-east-1:111122223333:access-point/fsap-2";
const ROLE: &str = "arn:aws:iam::111122223333:role/app-task";
const EXEC: &str = "arn:aws:iam::111122223333:role/app-exec";

fn task_role() -> Caller {
    Caller::RoleSession(RoleSession::from_role_arn(ROLE, Some("AROATASK")).expect("role ARN"))
}

fn request(action: EfsAction, tls: bool, caller: Caller) -> EfsRequest {
    EfsRequest {
        action,
        file_system_arn: Some(FS.into()),
        access_point: AccessPointUse::None,
        secure_transport: tls,
        caller,
    }
}

fn mount(tls: bool, caller: Caller) -> EfsRequest {
    request(EfsAction::ClientMount, tls, caller)
}

fn fs_policy(doc: &Value) -> FileSystemPolicy {
    FileSystemPolicy::Policy(NamedPolicy::parse(
        PolicyKind::FileSystem,
        "the file-system policy of fs-0abc",
        doc,
    ))
}

fn stmt(effect: &str, principal: &Value, actions: &[&str], condition: Option<Value>) -> Value {
    let mut s =
        json!({"Effect": effect, "Principal": principal, "Action": actions, "Resource": FS});
    if let (Some(c), Some(obj)) = (condition, s.as_object_mut()) {
        obj.insert("Condition".into(), c);
    }
    s
}

fn policy(statements: &[Value]) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn inline(doc: &Value) -> NamedPolicy {
    NamedPolicy::parse(
        PolicyKind::Inline,
        "inline policy efs of role app-task",
        doc,
    )
}

fn roles(identity: Vec<NamedPolicy>, boundary: Option<NamedPolicy>) -> RolePolicies {
    RolePolicies {
        identity: identity.into_iter().map(std::rc::Rc::new).collect(),
        boundary: boundary.map(std::rc::Rc::new),
    }
}

fn allow_identity(actions: &[&str], resource: &str) -> NamedPolicy {
    inline(
        &json!({"Statement": [{"Sid": "EfsClient", "Effect": "Allow", "Action": actions, "Resource": resource}]}),
    )
}

/// CDK's `@aws-cdk/aws-efs:denyAnonymousAccess` policy and the console's "Prevent anonymous
/// access": root access and write, but no `ClientMount`.
fn cdk_policy() -> Value {
    policy(&[stmt(
        "Allow",
        &json!({"AWS": "*"}),
        &[
            "elasticfilesystem:ClientRootAccess",
            "elasticfilesystem:ClientWrite",
        ],
        Some(json!({"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}})),
    )])
}

fn decide(req: &EfsRequest, fs: &FileSystemPolicy, role: Option<&RolePolicies>) -> Decision {
    evaluate_efs(req, fs, role).decision
}

#[test]
fn no_policy_means_the_default_policy_for_everyone() {
    let nothing = roles(vec![], None);
    for action in [
        EfsAction::ClientMount,
        EfsAction::ClientWrite,
        EfsAction::ClientRootAccess,
    ] {
        assert_eq!(
            decide(
                &request(action, false, Caller::Anonymous),
                &FileSystemPolicy::Default,
                None
            ),
            Decision::Allowed
        );
        // SPEC: with no file-system policy the task role needs no EFS permission at all.
        assert_eq!(
            decide(
                &request(action, true, task_role()),
                &FileSystemPolicy::Default,
                Some(&nothing)
            ),
            Decision::Allowed
        );
    }
    // An explicit deny in the role still applies under the default policy.
    let deny = roles(
        vec![inline(
            &json!({"Statement": {"Effect": "Deny", "Action": "elasticfilesystem:*", "Resource": "*"}}),
        )],
        None,
    );
    assert_eq!(
        decide(
            &mount(true, task_role()),
            &FileSystemPolicy::Default,
            Some(&deny)
        ),
        Decision::ExplicitDeny
    );
}

#[test]
fn cdk_deny_anonymous_policy_blocks_the_anonymous_mount_but_allows_write() {
    let fs = fs_policy(&cdk_policy());
    let e = evaluate_efs(&mount(false, Caller::Anonymous), &fs, None);
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert!(e.deciding.is_empty());
    assert_eq!(
        decide(
            &request(EfsAction::ClientWrite, false, Caller::Anonymous),
            &fs,
            None
        ),
        Decision::Allowed
    );
    assert_eq!(
        decide(
            &request(EfsAction::ClientRootAccess, true, Caller::Anonymous),
            &fs,
            None
        ),
        Decision::Allowed
    );
    // With IAM on, the task role's own ClientMount permission is enough.
    let r = roles(
        vec![allow_identity(&["elasticfilesystem:ClientMount"], FS)],
        None,
    );
    let e = evaluate_efs(&mount(true, task_role()), &fs, Some(&r));
    assert_eq!(e.decision, Decision::Allowed);
    assert_eq!(
        e.deciding_text(),
        "statement \"EfsClient\" of inline policy efs of role app-task"
    );
}

#[test]
fn a_policy_naming_the_execution_role_grants_the_task_nothing() {
    let fs = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": EXEC}),
        &[
            "elasticfilesystem:ClientMount",
            "elasticfilesystem:ClientWrite",
        ],
        None,
    )]));
    assert_eq!(
        decide(&mount(false, Caller::Anonymous), &fs, None),
        Decision::ImplicitDeny
    );
    let nothing = roles(vec![], None);
    assert_eq!(
        decide(&mount(true, task_role()), &fs, Some(&nothing)),
        Decision::ImplicitDeny
    );
    // Naming the task role instead allows it.
    let fs = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": ROLE}),
        &["elasticfilesystem:ClientMount"],
        None,
    )]));
    let e = evaluate_efs(&mount(true, task_role()), &fs, Some(&nothing));
    assert_eq!(e.decision, Decision::Allowed);
    assert_eq!(
        e.deciding_text(),
        "statement #1 of the file-system policy of fs-0abc"
    );
}

#[test]
fn secure_transport_deny_with_tls_off() {
    // The AWS-recommended "enforce in-transit encryption" policy plus an allow for everyone.
    let fs = fs_policy(&policy(&[
        stmt(
            "Allow",
            &json!({"AWS": "*"}),
            &[
                "elasticfilesystem:ClientMount",
                "elasticfilesystem:ClientWrite",
            ],
            None,
        ),
        json!({"Sid": "DenyInsecure", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "*", "Resource": FS,
               "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
    ]));
    let e = evaluate_efs(&mount(false, Caller::Anonymous), &fs, None);
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert_eq!(
        e.deciding_text(),
        "statement \"DenyInsecure\" of the file-system policy of fs-0abc"
    );
    assert_eq!(
        decide(&mount(true, Caller::Anonymous), &fs, None),
        Decision::Allowed
    );
    // terraform-aws-efs before v1.4.0: the deny alone, which also removes the default allow.
    let deny_only = fs_policy(&policy(&[
        json!({"Effect": "Deny", "Principal": "*", "Action": "*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
    ]));
    assert_eq!(
        decide(&mount(false, Caller::Anonymous), &deny_only, None),
        Decision::ExplicitDeny
    );
    assert_eq!(
        decide(&mount(true, Caller::Anonymous), &deny_only, None),
        Decision::ImplicitDeny
    );
}

#[test]
fn allow_only_over_tls() {
    // EFS user guide, example 1: ClientMount and ClientWrite only with aws:SecureTransport.
    let fs = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": "*"}),
        &[
            "elasticfilesystem:ClientMount",
            "elasticfilesystem:ClientWrite",
        ],
        Some(json!({"Bool": {"aws:SecureTransport": "true"}})),
    )]));
    let e = evaluate_efs(&mount(false, Caller::Anonymous), &fs, None);
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(
        e.unmet_text(),
        "statement #1 of the file-system policy of fs-0abc"
    );
    assert_eq!(
        decide(&mount(true, Caller::Anonymous), &fs, None),
        Decision::Allowed
    );
}

#[test]
fn access_point_condition() {
    let fs = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": "*"}),
        &["elasticfilesystem:ClientMount"],
        Some(json!({"StringEquals": {"elasticfilesystem:AccessPointArn": OTHER_AP}})),
    )]));
    let mut req = mount(true, Caller::Anonymous);
    req.access_point = AccessPointUse::Arn(AP.into());
    let e = evaluate_efs(&req, &fs, None);
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(e.unmet.len(), 1);
    req.access_point = AccessPointUse::Arn(OTHER_AP.into());
    assert_eq!(decide(&req, &fs, None), Decision::Allowed);
    // Without an access point the key is absent: a plain operator is false.
    req.access_point = AccessPointUse::None;
    assert_eq!(decide(&req, &fs, None), Decision::ImplicitDeny);
    req.access_point = AccessPointUse::UnknownArn("fsap-1 is not in efs.AccessPoints".into());
    let e = evaluate_efs(&req, &fs, None);
    assert_eq!(e.decision, Decision::Unknown);
    assert!(
        e.unknown[0].contains("fsap-1 is not in efs.AccessPoints"),
        "{:?}",
        e.unknown
    );
}

#[test]
fn account_grants_need_an_identity_allow() {
    for principal in [
        json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}),
        json!({"AWS": ACCOUNT}),
    ] {
        let fs = fs_policy(&policy(&[stmt(
            "Allow",
            &principal,
            &["elasticfilesystem:ClientMount"],
            None,
        )]));
        let nothing = roles(vec![], None);
        assert_eq!(
            decide(&mount(true, task_role()), &fs, Some(&nothing)),
            Decision::ImplicitDeny,
            "{principal}"
        );
        let granted = roles(
            vec![allow_identity(&["elasticfilesystem:Client*"], "*")],
            None,
        );
        let e = evaluate_efs(&mount(true, task_role()), &fs, Some(&granted));
        assert_eq!(e.decision, Decision::Allowed, "{principal}");
        assert_eq!(e.deciding[0].kind, PolicyKind::Inline);
        // The anonymous client is no member of the account.
        assert_eq!(
            decide(&mount(true, Caller::Anonymous), &fs, None),
            Decision::ImplicitDeny
        );
    }
}

#[test]
fn an_explicit_deny_in_the_task_role_wins_over_the_file_system_policy() {
    let fs = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": "*"}),
        &["elasticfilesystem:ClientMount"],
        None,
    )]));
    let r = roles(
        vec![
            allow_identity(&["elasticfilesystem:ClientMount"], FS),
            inline(
                &json!({"Statement": [{"Sid": "NoEfs", "Effect": "Deny", "Action": "elasticfilesystem:Client*", "Resource": "*"}]}),
            ),
        ],
        None,
    );
    let e = evaluate_efs(&mount(true, task_role()), &fs, Some(&r));
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert_eq!(
        e.deciding_text(),
        "statement \"NoEfs\" of inline policy efs of role app-task"
    );
    // The same role policies do not apply to an anonymous client.
    assert_eq!(
        decide(&mount(true, Caller::Anonymous), &fs, Some(&r)),
        Decision::Allowed
    );
}

#[test]
fn permissions_boundary_without_efs_actions() {
    let boundary = || {
        Some(NamedPolicy::parse(
            PolicyKind::Boundary,
            "permissions boundary arn:aws:iam::111122223333:policy/boundary",
            &json!({"Statement": [{"Effect": "Allow", "Action": ["s3:*", "logs:*"], "Resource": "*"}]}),
        ))
    };
    let r = roles(
        vec![allow_identity(&["elasticfilesystem:ClientMount"], FS)],
        boundary(),
    );
    // An identity allow is cut by the boundary.
    let only_identity = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": EXEC}),
        &["elasticfilesystem:ClientMount"],
        None,
    )]));
    assert_eq!(
        decide(&mount(true, task_role()), &only_identity, Some(&r)),
        Decision::ImplicitDeny
    );
    // So is a grant to the role ARN.
    let role_grant = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": ROLE}),
        &["elasticfilesystem:ClientMount"],
        None,
    )]));
    assert_eq!(
        decide(&mount(true, task_role()), &role_grant, Some(&r)),
        Decision::ImplicitDeny
    );
    // A grant that reaches the session directly is not: "*" narrowed by aws:PrincipalArn
    // (AWS: boundaries do not limit it), and the default policy.
    let direct = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": "*"}),
        &["elasticfilesystem:ClientMount"],
        Some(json!({"ArnEquals": {"aws:PrincipalArn": ROLE}})),
    )]));
    let e = evaluate_efs(&mount(true, task_role()), &direct, Some(&r));
    assert_eq!(e.decision, Decision::Allowed);
    assert_eq!(e.deciding[0].kind, PolicyKind::FileSystem);
    assert_eq!(
        decide(
            &mount(true, task_role()),
            &FileSystemPolicy::Default,
            Some(&r)
        ),
        Decision::Allowed
    );
    // The same aws:PrincipalArn grant does not reach an anonymous client.
    assert_eq!(
        decide(&mount(true, Caller::Anonymous), &direct, None),
        Decision::ImplicitDeny
    );
    // A boundary that allows EFS lets the identity allow through.
    let open = Some(NamedPolicy::parse(
        PolicyKind::Boundary,
        "permissions boundary b",
        &json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
    ));
    let r = roles(
        vec![allow_identity(&["elasticfilesystem:ClientMount"], FS)],
        open,
    );
    assert_eq!(
        decide(&mount(true, task_role()), &only_identity, Some(&r)),
        Decision::Allowed
    );
    assert_eq!(
        decide(&mount(true, task_role()), &role_grant, Some(&r)),
        Decision::Allowed
    );
}

#[test]
fn a_grant_to_a_session_arn_cannot_match_a_task() {
    let session = "arn:aws:sts::111122223333:assumed-role/app-task/0f1e2d3c4b5a";
    let fs = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": session}),
        &["elasticfilesystem:ClientMount"],
        None,
    )]));
    let e = evaluate_efs(&mount(true, task_role()), &fs, Some(&roles(vec![], None)));
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(e.notes.len(), 1);
    assert!(
        e.notes[0].starts_with(
            "Statement #1 of the file-system policy of fs-0abc names the role session"
        ),
        "{:?}",
        e.notes
    );
}

#[test]
fn a_deleted_role_shows_as_a_unique_id_and_matches_nothing() {
    let fs = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": "AROAOLDTASKROLE"}),
        &["elasticfilesystem:ClientMount"],
        None,
    )]));
    let e = evaluate_efs(&mount(true, task_role()), &fs, Some(&roles(vec![], None)));
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert!(e.notes[0].contains("AROAOLDTASKROLE"), "{:?}", e.notes);
}

#[test]
fn not_principal_deny_cannot_spare_a_task_session() {
    let fs = fs_policy(&policy(&[
        stmt(
            "Allow",
            &json!({"AWS": "*"}),
            &["elasticfilesystem:ClientMount"],
            None,
        ),
        json!({"Effect": "Deny", "NotPrincipal": {"AWS": [ROLE, format!("arn:aws:iam::{ACCOUNT}:root")]},
               "Action": "elasticfilesystem:*", "Resource": FS}),
    ]));
    let e = evaluate_efs(&mount(true, task_role()), &fs, Some(&roles(vec![], None)));
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert!(e.notes[0].contains("NotPrincipal"), "{:?}", e.notes);
    assert_eq!(
        decide(&mount(true, Caller::Anonymous), &fs, None),
        Decision::ExplicitDeny
    );
    // NotPrincipal "*" excludes everyone: the Deny applies to no one.
    let fs = fs_policy(&policy(&[
        stmt(
            "Allow",
            &json!({"AWS": "*"}),
            &["elasticfilesystem:ClientMount"],
            None,
        ),
        json!({"Effect": "Deny", "NotPrincipal": {"AWS": "*"}, "Action": "*", "Resource": FS}),
    ]));
    assert_eq!(
        decide(&mount(true, Caller::Anonymous), &fs, None),
        Decision::Allowed
    );
}

#[test]
fn collection_gaps_make_the_decision_unknown_unless_it_is_decided_without_them() {
    let missing = NamedPolicy::unavailable(
        PolicyKind::Managed,
        "managed policy arn:aws:iam::111122223333:policy/efs",
        "managed policy arn:aws:iam::111122223333:policy/efs is not in iam.Policies",
    );
    let r = roles(vec![missing.clone()], None);
    // An allow for everyone could still be overridden by a deny in the missing policy.
    let allow_all = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": "*"}),
        &["elasticfilesystem:ClientMount"],
        None,
    )]));
    let e = evaluate_efs(&mount(true, task_role()), &allow_all, Some(&r));
    assert_eq!(e.decision, Decision::Unknown);
    assert_eq!(
        e.unknown,
        vec!["managed policy arn:aws:iam::111122223333:policy/efs is not in iam.Policies"]
    );
    // Nothing else allows: the missing policy might.
    let nothing = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": EXEC}),
        &["elasticfilesystem:ClientMount"],
        None,
    )]));
    assert_eq!(
        decide(&mount(true, task_role()), &nothing, Some(&r)),
        Decision::Unknown
    );
    // An explicit deny decides without it.
    let deny = fs_policy(&policy(&[stmt(
        "Deny",
        &json!("*"),
        &["elasticfilesystem:ClientMount"],
        None,
    )]));
    assert_eq!(
        decide(&mount(true, task_role()), &deny, Some(&r)),
        Decision::ExplicitDeny
    );
    // A missing boundary leaves an identity allow undecided.
    let r = roles(
        vec![allow_identity(&["elasticfilesystem:ClientMount"], FS)],
        Some(NamedPolicy::unavailable(
            PolicyKind::Boundary,
            "permissions boundary b",
            "b is not in iam.Policies",
        )),
    );
    assert_eq!(
        decide(&mount(true, task_role()), &nothing, Some(&r)),
        Decision::Unknown
    );
    // A missing file-system policy: only a deny elsewhere decides.
    let fs = FileSystemPolicy::Policy(NamedPolicy::unavailable(
        PolicyKind::FileSystem,
        "fs",
        "not collected",
    ));
    assert_eq!(
        decide(&mount(true, Caller::Anonymous), &fs, None),
        Decision::Unknown
    );
}

#[test]
fn unknowable_condition_keys() {
    let ip_only = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": "*"}),
        &["elasticfilesystem:ClientMount"],
        Some(json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
    )]));
    let e = evaluate_efs(&mount(true, Caller::Anonymous), &ip_only, None);
    assert_eq!(e.decision, Decision::Unknown);
    assert!(e.unknown[0].contains("aws:SourceIp"), "{:?}", e.unknown);
    // When nothing could allow anyway, the unknown deny does not matter.
    let deny_by_ip = fs_policy(&policy(&[stmt(
        "Deny",
        &json!({"AWS": "*"}),
        &["elasticfilesystem:ClientMount"],
        Some(json!({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
    )]));
    assert_eq!(
        decide(&mount(true, Caller::Anonymous), &deny_by_ip, None),
        Decision::ImplicitDeny
    );
}

#[test]
fn identity_policy_resources_and_negations() {
    let fs = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": EXEC}),
        &["elasticfilesystem:ClientMount"],
        None,
    )]));
    let cases = [
        // ClientMount takes the file-system resource, not the access point.
        (
            json!({"Effect": "Allow", "Action": "elasticfilesystem:ClientMount", "Resource": AP}),
            Decision::ImplicitDeny,
        ),
        (
            json!({"Effect": "Allow", "Action": "elasticfilesystem:ClientMount", "Resource": "arn:aws:elasticfilesystem:*:*:file-system/*"}),
            Decision::Allowed,
        ),
        (
            json!({"Effect": "Allow", "Action": "ELASTICFILESYSTEM:clientmount", "Resource": FS}),
            Decision::Allowed,
        ),
        (
            json!({"Effect": "Allow", "Action": "elasticfilesystem:ClientWrite", "Resource": FS}),
            Decision::ImplicitDeny,
        ),
        (
            json!({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}),
            Decision::Allowed,
        ),
        (
            json!({"Effect": "Allow", "NotAction": "elasticfilesystem:*", "Resource": "*"}),
            Decision::ImplicitDeny,
        ),
        (
            json!({"Effect": "Allow", "Action": "*", "NotResource": FS}),
            Decision::ImplicitDeny,
        ),
        (
            json!({"Effect": "Allow", "Action": "*", "NotResource": AP}),
            Decision::Allowed,
        ),
        (
            json!({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}),
            Decision::Allowed,
        ),
        (
            json!({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
            Decision::ImplicitDeny,
        ),
        (
            json!({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}}),
            Decision::Allowed,
        ),
        (
            json!({"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringLike": {"aws:userid": "AROATASK:*"}}}),
            Decision::Allowed,
        ),
    ];
    for (statement, want) in cases {
        let r = roles(
            vec![inline(&json!({"Statement": [statement.clone()]}))],
            None,
        );
        assert_eq!(
            decide(&mount(true, task_role()), &fs, Some(&r)),
            want,
            "{statement}"
        );
    }
}

#[test]
fn unknown_file_system_arn() {
    let mut req = mount(true, task_role());
    req.file_system_arn = None;
    let fs = fs_policy(&policy(&[
        json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "elasticfilesystem:ClientMount", "Resource": "*"}),
    ]));
    assert_eq!(
        decide(&req, &fs, Some(&roles(vec![], None))),
        Decision::Allowed
    );
    let r = roles(
        vec![allow_identity(&["elasticfilesystem:ClientMount"], FS)],
        None,
    );
    let e = evaluate_efs(
        &req,
        &FileSystemPolicy::Policy(NamedPolicy::parse(
            PolicyKind::FileSystem,
            "p",
            &policy(&[]),
        )),
        Some(&r),
    );
    assert_eq!(e.decision, Decision::Unknown);
    assert!(e.unknown[0].contains("ARN is not known"), "{:?}", e.unknown);
}

#[test]
fn cross_account_needs_both_sides() {
    let other = Caller::RoleSession(
        RoleSession::from_role_arn("arn:aws:iam::444455556666:role/app", None).expect("arn"),
    );
    let granted = roles(
        vec![allow_identity(&["elasticfilesystem:ClientMount"], FS)],
        None,
    );
    let nothing = roles(vec![], None);
    let own_account = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": ACCOUNT}),
        &["elasticfilesystem:ClientMount"],
        None,
    )]));
    let their_account = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": "444455556666"}),
        &["elasticfilesystem:ClientMount"],
        None,
    )]));
    assert_eq!(
        decide(&mount(true, other.clone()), &own_account, Some(&granted)),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(&mount(true, other.clone()), &their_account, Some(&granted)),
        Decision::Allowed
    );
    assert_eq!(
        decide(&mount(true, other.clone()), &their_account, Some(&nothing)),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(
            &mount(true, other),
            &FileSystemPolicy::Default,
            Some(&nothing)
        ),
        Decision::ImplicitDeny
    );
}

#[test]
fn json_string_and_url_encoded_documents_decide_alike() {
    let object = cdk_policy();
    let text = object.to_string();
    let encoded: String = text
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    for doc in [
        PolicyDocument::from_value(object.clone()).expect("object"),
        PolicyDocument::from_value(Value::String(text.clone())).expect("JSON string"),
        PolicyDocument::from_text(&encoded).expect("URL-encoded"),
    ] {
        let fs = FileSystemPolicy::from_document("fs-0abc", Some(&doc));
        assert_eq!(
            decide(&mount(false, Caller::Anonymous), &fs, None),
            Decision::ImplicitDeny
        );
        assert_eq!(
            decide(
                &request(EfsAction::ClientWrite, false, Caller::Anonymous),
                &fs,
                None
            ),
            Decision::Allowed
        );
    }
}

#[test]
fn malformed_policies_are_unknown_not_panics() {
    let fs = fs_policy(&json!({"Statement": [{"Effect": "Permit", "Action": "*"}]}));
    let e = evaluate_efs(&mount(true, Caller::Anonymous), &fs, None);
    assert_eq!(e.decision, Decision::Unknown);
    assert_eq!(
        e.unknown,
        vec!["the file-system policy of fs-0abc is malformed: statement #1: Effect is \"Permit\", not Allow or Deny"]
    );
}

fn trust(doc: &Value) -> NamedPolicy {
    NamedPolicy::parse(PolicyKind::Trust, "the trust policy of role app-task", doc)
}

fn here() -> TrustContext {
    TrustContext {
        partition: Some("aws".into()),
        region: Some("us-east-1".into()),
        account: Some(ACCOUNT.into()),
    }
}

fn trust_decision(doc: &Value, place: &TrustContext) -> Decision {
    evaluate_trust(&trust(doc), ROLE, place).decision
}

#[test]
fn trust_policies() {
    let ecs = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    assert_eq!(trust_decision(&ecs, &here()), Decision::Allowed);
    let cases = [
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
            Decision::ImplicitDeny,
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
            Decision::ImplicitDeny,
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "sts:AssumeRole"}]}),
            Decision::ImplicitDeny,
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"]}, "Action": ["sts:AssumeRole", "sts:TagSession"]}]}),
            Decision::Allowed,
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:*"}]}),
            Decision::Allowed,
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}),
            Decision::ImplicitDeny,
        ),
        (
            json!({"Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"},
            {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}]}),
            Decision::ExplicitDeny,
        ),
        // AWS's confused-deputy advice for task roles.
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": {"ArnLike": {"aws:SourceArn": format!("arn:aws:ecs:us-east-1:{ACCOUNT}:*")}, "StringEquals": {"aws:SourceAccount": ACCOUNT}}}]}),
            Decision::Allowed,
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": {"ArnLike": {"aws:SourceArn": format!("arn:aws:ecs:eu-west-1:{ACCOUNT}:*")}}}]}),
            Decision::ImplicitDeny,
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": "444455556666"}}}]}),
            Decision::ImplicitDeny,
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": {"ArnEquals": {"aws:SourceArn": format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task/prod/0123")}}}]}),
            Decision::Unknown,
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}]}),
            Decision::ImplicitDeny,
        ),
        (
            json!({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}}),
            Decision::Allowed,
        ),
        (json!({"Statement": "nope"}), Decision::Unknown),
    ];
    for (doc, want) in cases {
        assert_eq!(trust_decision(&doc, &here()), want, "{doc}");
    }
    // Without a Region the source ARN condition cannot be checked.
    let scoped = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
        "Condition": {"ArnLike": {"aws:SourceArn": format!("arn:aws:ecs:us-east-1:{ACCOUNT}:*")}}}]});
    let nowhere = TrustContext::default();
    let e = evaluate_trust(&trust(&scoped), ROLE, &nowhere);
    assert_eq!(e.decision, Decision::Unknown);
    assert!(
        e.unknown[0].contains("no Region or account"),
        "{:?}",
        e.unknown
    );
    assert_eq!(trust_decision(&ecs, &nowhere), Decision::Allowed);
}

#[test]
fn trust_fix_appends_a_scoped_ecs_statement_and_is_confirmed() {
    let ec2 = trust(
        &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
    );
    assert_eq!(trust::trusted_principals(&ec2), vec!["ec2.amazonaws.com"]);
    let fixed = trust::with_ecs_tasks_statement(&ec2, ROLE, &here()).expect("a confirmed fix");
    assert_eq!(
        fixed["Statement"][0]["Principal"]["Service"],
        "ec2.amazonaws.com"
    );
    assert_eq!(
        fixed["Statement"][1]["Condition"]["ArnLike"]["aws:SourceArn"],
        "arn:aws:ecs:us-east-1:111122223333:*"
    );
    assert_eq!(trust_decision(&fixed, &here()), Decision::Allowed);
    // A deny for everyone cannot be fixed by adding an allow.
    let denied = trust(
        &json!({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}]}),
    );
    assert!(trust::with_ecs_tasks_statement(&denied, ROLE, &here()).is_none());
}

fn role_detail(arn: &str, boundary: Option<&str>) -> crate::snapshot::RoleDetail {
    crate::snapshot::RoleDetail {
        role_name: arn.rsplit('/').next().unwrap_or(arn).to_owned(),
        arn: arn.to_owned(),
        role_id: Some("AROATASK".into()),
        permissions_boundary: boundary.map(|b| crate::snapshot::PermissionsBoundary {
            permissions_boundary_type: Some("Policy".into()),
            permissions_boundary_arn: b.to_owned(),
        }),
        ..Default::default()
    }
}

fn document(v: &Value) -> PolicyDocument {
    PolicyDocument::from_value(v.clone()).expect("policy document")
}

#[test]
fn mount_fixes_are_confirmed_by_evaluating_the_fixed_policies() {
    // Anonymous client, CDK policy: add ClientMount for "*" through mount targets.
    let cdk = document(&cdk_policy());
    let m = Mount::new(
        "fs-0abc",
        Some(FS.into()),
        Some(&cdk),
        AccessPointUse::None,
        false,
        None,
    )
    .expect("mount");
    let e = m.evaluate(EfsAction::ClientMount);
    assert_eq!(e.decision, Decision::ImplicitDeny);
    let fix = m.grant_fix(&e, EfsAction::ClientMount, "data", false);
    assert!(
        fix.starts_with("aws efs put-file-system-policy --file-system-id fs-0abc --policy '{"),
        "{fix}"
    );
    assert!(
        fix.contains("\"Sid\":\"ClientMountViaMountTarget\""),
        "{fix}"
    );
    // An explicit deny on plain NFS: transit encryption is the fix.
    let st = document(&policy(&[
        stmt(
            "Allow",
            &json!({"AWS": "*"}),
            &["elasticfilesystem:ClientMount"],
            None,
        ),
        json!({"Sid": "DenyInsecure", "Effect": "Deny", "Principal": "*", "Action": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
    ]));
    let m = Mount::new(
        "fs-0abc",
        Some(FS.into()),
        Some(&st),
        AccessPointUse::None,
        false,
        None,
    )
    .expect("mount");
    let e = m.evaluate(EfsAction::ClientMount);
    assert!(m
        .grant_fix(&e, EfsAction::ClientMount, "data", false)
        .contains("\"transitEncryption\": \"ENABLED\""));
    // Task role capped by its boundary: only the boundary needs the grant.
    let boundary_doc = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]});
    let role = role_detail(ROLE, Some("arn:aws:iam::111122223333:policy/boundary"));
    let policies = roles(
        vec![allow_identity(&["elasticfilesystem:ClientMount"], "*")],
        Some(NamedPolicy::parse(
            PolicyKind::Boundary,
            "permissions boundary b",
            &boundary_doc,
        )),
    );
    let m = Mount::new(
        "fs-0abc",
        Some(FS.into()),
        Some(&cdk),
        AccessPointUse::None,
        true,
        Some((&role, policies)),
    )
    .expect("mount");
    let e = m.evaluate(EfsAction::ClientMount);
    assert_eq!(e.capped.len(), 1);
    assert!(m
        .denial(&e, EfsAction::ClientMount)
        .contains("but the permissions boundary b of role app-task does not"));
    let fix = m.grant_fix(&e, EfsAction::ClientMount, "data", true);
    assert!(
        fix.starts_with("aws iam create-policy-version --policy-arn arn:aws:iam::111122223333:policy/boundary --set-as-default"),
        "{fix}"
    );
}

#[test]
fn mount_texts() {
    let exec_grant = document(&policy(&[stmt(
        "Allow",
        &json!({"AWS": EXEC}),
        &["elasticfilesystem:Client*"],
        None,
    )]));
    let m = Mount::new(
        "fs-0abc",
        Some(FS.into()),
        Some(&exec_grant),
        AccessPointUse::None,
        true,
        None,
    )
    .expect("mount");
    let remark = m.execution_role_remark(Some(EXEC), EfsAction::ClientMount);
    assert!(remark.starts_with(" Statement #1 of the file-system policy of fs-0abc grants it to the execution role app-exec"), "{remark}");
    assert_eq!(
        m.execution_role_remark(Some(ROLE), EfsAction::ClientMount),
        ""
    );
    assert_eq!(m.execution_role_remark(None, EfsAction::ClientMount), "");
    let m = Mount::new(
        "fs-0abc",
        Some(FS.into()),
        None,
        AccessPointUse::None,
        false,
        None,
    )
    .expect("mount");
    let e = m.evaluate(EfsAction::ClientMount);
    assert_eq!(
        m.allowed_text(&e),
        "fs-0abc has no file-system policy, and the default policy allows every client that comes through a mount target"
    );
    assert!(Mount::new(
        "fs-0abc",
        None,
        None,
        AccessPointUse::None,
        true,
        Some((
            &role_detail("arn:aws:iam::1:user/bob", None),
            roles(vec![], None)
        ))
    )
    .is_err());
}

/// EFS never sets the VPC-endpoint keys for NFS clients: conditions on them see an absent key
/// (<https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html>).
#[test]
fn vpc_endpoint_keys_are_absent_for_nfs_clients() {
    let vpc_only = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": "*"}),
        &["elasticfilesystem:ClientMount"],
        Some(json!({"StringEquals": {"aws:SourceVpc": "vpc-1"}})),
    )]));
    assert_eq!(
        decide(&mount(true, Caller::Anonymous), &vpc_only, None),
        Decision::ImplicitDeny
    );
    // Copied from an S3 bucket policy: denies every mount, since the key is never present.
    let deny_outside_vpc = fs_policy(&policy(&[
        stmt(
            "Allow",
            &json!({"AWS": "*"}),
            &["elasticfilesystem:ClientMount"],
            None,
        ),
        stmt(
            "Deny",
            &json!({"AWS": "*"}),
            &["elasticfilesystem:*"],
            Some(json!({"StringNotEquals": {"aws:SourceVpce": "vpce-1"}})),
        ),
    ]));
    assert_eq!(
        decide(&mount(true, Caller::Anonymous), &deny_outside_vpc, None),
        Decision::ExplicitDeny
    );
    // ...IfExists on an absent key holds.
    let if_exists = fs_policy(&policy(&[stmt(
        "Allow",
        &json!({"AWS": "*"}),
        &["elasticfilesystem:ClientMount"],
        Some(json!({"StringEqualsIfExists": {"aws:VpcSourceIp": "10.0.0.1"}})),
    )]));
    assert_eq!(
        decide(&mount(true, Caller::Anonymous), &if_exists, None),
        Decision::Allowed
    );
}
