//! CloudFormation templates (JSON or YAML, `cdk synth` output included) converted to an
//! overlay and to the ECS targets they declare.
//!
//! YAML short-form tags (`!Ref`, `!GetAtt A.B`, `!Sub`, `!Join`, `!Select`, `!GetAZs`, `!If`,
//! `!Condition` ...) are rewritten to the long JSON form first, so one resolver handles both
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html>).
//! `Ref` to a resource yields its synthetic id (the logical id); `Fn::GetAtt` of an ARN builds
//! the ARN from that id, the base state's account and the Region, the same string the overlay
//! gives the resource, so references join. Values that cannot be computed before deployment
//! (`Fn::ImportValue`, a parameter without a value or read from SSM, a condition that cannot be
//! decided, an attribute only AWS assigns) become unknown with the cause, and the dependent
//! rules say "cannot be resolved from the template".
//!
//! Property names follow the resource reference
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html>).
//!
//! Depends on the snapshot model, `value`, `overlay` and `common`; never on rules or reports.

mod dns;
mod ecs;
mod efs;
mod iam;
mod intrinsics;
mod kms;
mod network;
mod parse;
mod schema;

use std::collections::{BTreeMap, HashMap};

use serde_json::Value as Json;

use super::common::{self, Account};
use super::overlay::{Builder, Front, Overlay};
use super::shared::Targets;
use super::value::{Got, Val};
use super::{IacError, IacTarget};
use crate::snapshot::{PolicyDocument, Snapshot};
use intrinsics::{contiguous_az_names, Template};

pub use parse::{parse_template, read_parameters, yaml_to_json};

/// What a template contributes: the overlay, the targets and every logical id.
#[derive(Debug)]
pub struct Converted {
    /// Resources to merge over the base state.
    pub overlay: Overlay,
    /// Services and lone task definitions, by logical id.
    pub targets: Vec<IacTarget>,
    /// Logical ids of the template's resources.
    pub logical_ids: Vec<String>,
}

#[allow(clippy::implicit_hasher)]
pub fn convert(
    text: &str,
    name: &str,
    params: &HashMap<String, String>,
    base: &Snapshot,
) -> Result<Converted, IacError> {
    let doc = parse_template(text, name)?;
    let template = Template {
        doc: &doc,
        params,
        account: Account::of(base),
        base,
        az_names: contiguous_az_names(base),
        az_ids: common::az_ids_by_name(base),
    };
    // Every resource needs a Type; CloudFormation rejects the template otherwise.
    for (lid, res) in template.resources() {
        if res.get("Type").and_then(Json::as_str).is_none() {
            let (line, column) = super::logical_id_position(text, lid).unwrap_or((1, 1));
            return Err(IacError::Invalid {
                path: name.to_owned(),
                line,
                column,
                message: format!("resource {lid} has no `Type`"),
            });
        }
    }
    // A misspelt property of a type the rules read would be dropped silently; CloudFormation
    // refuses it at deployment.
    for (lid, res) in template.resources() {
        let rtype = res.get("Type").and_then(Json::as_str).unwrap_or("");
        let Some(props) = res.get("Properties") else {
            continue;
        };
        if let Some((path, expected)) = schema::misspelt(rtype, props) {
            let (line, column) = super::logical_id_position(text, lid).unwrap_or((1, 1));
            return Err(IacError::Invalid {
                path: name.to_owned(),
                line,
                column,
                message: format!(
                    "{lid} ({rtype}): `{path}` is not a property CloudFormation knows; did you mean `{expected}`?"
                ),
            });
        }
    }
    let mut b = Builder::new(Front::CloudFormation);
    b.aliases = expression_aliases(&template);
    let targets = build(&template, &mut b, text, name)?;
    Ok(Converted {
        overlay: b.overlay,
        targets,
        logical_ids: template.resources().map(|(k, _)| k.clone()).collect(),
    })
}

/// A value CloudFormation would reject, located at the resource's logical id.
fn bad_value(r: &Res<'_>, prop: &str, what: &str) -> IacError {
    let lid = r.lid;
    let (line, column) = super::logical_id_position(r.text, lid).unwrap_or((1, 1));
    IacError::Invalid {
        path: r.file.to_owned(),
        line,
        column,
        message: format!("`{prop}` of {lid} {what}"),
    }
}

/// A policy document property (an object, or a JSON string).
fn policy(v: &Val) -> Got<Option<PolicyDocument>> {
    match v {
        Val::Null => Got::Absent,
        other => match other.to_json() {
            Ok(j) => Got::Known(PolicyDocument::from_value(j).ok()),
            Err(c) => Got::Unknown(c),
        },
    }
}

/// The actions whose grant the rules judge: what a role policy can change for an EFS mount,
/// and what a trust policy can change for ECS assuming the role.
const EFS_CLIENT_ACTIONS: &[&str] = &[
    "elasticfilesystem:ClientMount",
    "elasticfilesystem:ClientWrite",
    "elasticfilesystem:ClientRootAccess",
];
const ASSUME_ROLE_ACTIONS: &[&str] = &["sts:AssumeRole"];

/// A policy document resolved statement by statement: a statement that cannot be resolved but
/// whose `Action` cannot match any of `actions` cannot change a verdict and is left out.
/// Unknown when an unresolved statement may matter (its cause is then the statement's).
fn policy_by_statement(v: &Val, actions: &[&str]) -> Got<Option<PolicyDocument>> {
    let whole = policy(v);
    let Got::Unknown(cause) = whole else {
        return whole;
    };
    let statements = match v.field("Statement") {
        Val::List(items) => items,
        map @ Val::Map(_) => vec![map],
        _ => return Got::Unknown(cause),
    };
    let mut kept = Vec::new();
    for (i, st) in statements.iter().enumerate() {
        match st.to_json() {
            Ok(j) => kept.push(j),
            Err(c) => {
                let irrelevant = matches!(st.field("NotAction"), Val::Null)
                    && match st.field("Action").strs() {
                        Got::Known(items) => items.iter().all(|a| match a {
                            Got::Known(pattern) => !actions
                                .iter()
                                .any(|act| crate::iam::pattern::glob(pattern, act, true)),
                            _ => false,
                        }),
                        _ => false,
                    };
                if !irrelevant {
                    return Got::Unknown(format!("Statement[{i}]: {c}"));
                }
            }
        }
    }
    let mut doc = serde_json::Map::new();
    if let Ok(version) = v.field("Version").to_json() {
        doc.insert("Version".to_owned(), version);
    }
    doc.insert("Statement".to_owned(), Json::Array(kept));
    Got::Known(PolicyDocument::from_value(Json::Object(doc)).ok())
}

/// Converts one resource of a type the template may hold.
type Convert = fn(&Template<'_>, &Res<'_>, &mut Builder, &mut Targets) -> Result<(), IacError>;

/// The resource tables, by family.
const FAMILIES: &super::shared::Families<Convert> = &[
    network::RESOURCES,
    efs::RESOURCES,
    ecs::RESOURCES,
    iam::RESOURCES,
    kms::RESOURCES,
    dns::RESOURCES,
];

/// The converter of a resource type.
fn converter(rtype: &str) -> Option<Convert> {
    super::shared::converter(FAMILIES, rtype)
}

/// The resource types this module reads.
pub fn supported() -> impl Iterator<Item = &'static str> {
    super::shared::resource_types(FAMILIES)
}

/// One resource being converted, its properties resolved.
struct Res<'a> {
    lid: &'a str,
    rtype: &'a str,
    props: Val,
    /// The template's text and file name, for messages.
    text: &'a str,
    file: &'a str,
}

impl Res<'_> {
    /// A resolved property (`Null` when absent).
    fn p(&self, key: &str) -> Val {
        self.props.field(key)
    }
}

impl Template<'_> {
    /// The account that owns what the template creates.
    fn owner(&self) -> Option<String> {
        self.base.account_id.clone()
    }
}

fn build(
    t: &Template<'_>,
    b: &mut Builder,
    text: &str,
    file: &str,
) -> Result<Vec<IacTarget>, IacError> {
    let mut out = Targets::default();
    for (lid, res) in t.resources() {
        let rtype = res.get("Type").and_then(Json::as_str).unwrap_or("");
        let Some(convert) = converter(rtype) else {
            continue;
        };
        if let Some(cond) = res.get("Condition").and_then(Json::as_str) {
            match t.condition(cond, 0) {
                Some(true) => {}
                Some(false) => continue,
                None => {
                    b.gap(
                        lid,
                        "Condition",
                        lid,
                        &format!("condition {cond} cannot be decided"),
                    );
                    continue;
                }
            }
        }
        let props = res
            .get("Properties")
            .and_then(|p| t.resolve(p, 0))
            .unwrap_or(Val::Map(BTreeMap::new()));
        let r = Res {
            lid,
            rtype,
            props,
            text,
            file,
        };
        convert(t, &r, b, &mut out)?;
    }
    ecs::lone_task_definitions(b, &mut out);
    Ok(out.targets)
}

/// Placeholders of equal intrinsic expressions (see [`Builder::aliases`]): every later
/// occurrence of an expression in the resources' properties points to the first, by the
/// `LOGICAL_ID.PROPERTY.PATH` its placeholder would have.
fn expression_aliases(t: &Template<'_>) -> HashMap<String, String> {
    fn walk(
        v: &Json,
        here: &str,
        first: &mut HashMap<String, String>,
        out: &mut HashMap<String, String>,
    ) {
        match v {
            Json::Object(m)
                if m.len() == 1 && m.keys().all(|k| k == "Ref" || k.starts_with("Fn::")) =>
            {
                match first.get(&v.to_string()) {
                    Some(f) => {
                        out.insert(here.to_owned(), f.clone());
                    }
                    None => {
                        first.insert(v.to_string(), here.to_owned());
                    }
                }
            }
            Json::Object(m) => {
                for (k, child) in m {
                    walk(child, &format!("{here}.{k}"), first, out);
                }
            }
            Json::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &format!("{here}[{i}]"), first, out);
                }
            }
            _ => {}
        }
    }
    let mut first = HashMap::new();
    let mut out = HashMap::new();
    for (lid, res) in t.resources() {
        if let Some(Json::Object(props)) = res.get("Properties") {
            for (k, v) in props {
                walk(v, &format!("{lid}.{k}"), &mut first, &mut out);
            }
        }
    }
    out
}
