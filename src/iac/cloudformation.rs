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

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::Value as Json;

use super::common::{self, Account, Peers};
use super::overlay::{Builder, Front, Overlay, SgRule};
use super::value::{Got, Val};
use super::{locate, IacError, IacTarget, IacTargetKind};
use crate::snapshot::{
    AccessPoint, AttachedPolicy, AttributeBool, AwsVpcConfiguration, CapacityProviderStrategyItem,
    ContainerDefinition, CreationInfo, EfsAuthorizationConfig, EfsVolumeConfiguration, FileSystem,
    FileSystemPolicy, FileSystemProtection, InlinePolicy, ManagedPolicyDetail, MountPoint,
    MountTarget, NetworkAcl, NetworkConfiguration, PermissionsBoundary, PolicyDocument,
    PolicyVersion, PosixUser, RoleDetail, RootDirectory, Route, RouteTable, RuntimePlatform,
    SecurityGroup, Service, Snapshot, Subnet, SubnetIpv6CidrAssociation, TaskDefinition, Volume,
    Vpc, VpcAttributes,
};

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

/// Reads `--parameters` arguments: JSON files (`[{"ParameterKey": .., "ParameterValue": ..}]`,
/// `{"Key": "Value"}` or `{"Parameters": {...}}`) and `Key=Value` pairs, later ones winning.
pub fn read_parameters(args: &[String]) -> Result<HashMap<String, String>, IacError> {
    let mut out = HashMap::new();
    for arg in args {
        let path = Path::new(arg);
        if !path.exists() {
            if let Some((k, v)) = arg.split_once('=') {
                out.insert(k.trim().to_owned(), v.to_owned());
                continue;
            }
        }
        let name = path.display().to_string();
        let text = crate::snapshot::read_text(path).map_err(IacError::from)?;
        let doc: Json = crate::snapshot::parse_typed(&text, &name).map_err(IacError::from)?;
        let wrong = || {
            IacError::Invalid {
            path: name.clone(),
            line: 1,
            column: 1,
            message: "expected CloudFormation parameters: [{\"ParameterKey\": \"K\", \"ParameterValue\": \"V\"}] or {\"K\": \"V\"}".to_owned(),
        }
        };
        let doc = doc.get("Parameters").cloned().unwrap_or(doc);
        match doc {
            Json::Array(items) => {
                for item in items {
                    let key = item
                        .get("ParameterKey")
                        .and_then(Json::as_str)
                        .ok_or_else(wrong)?;
                    if let Some(v) = item.get("ParameterValue") {
                        out.insert(key.to_owned(), scalar_text(v));
                    }
                }
            }
            Json::Object(map) => {
                for (k, v) in map {
                    out.insert(k, scalar_text(&v));
                }
            }
            _ => return Err(wrong()),
        }
    }
    Ok(out)
}

fn scalar_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// Parses a template (JSON, or YAML with short-form tags) into long-form JSON.
pub fn parse_template(text: &str, name: &str) -> Result<Json, IacError> {
    let first = text.trim_start().chars().next();
    let doc = if first == Some('{') {
        crate::snapshot::parse_typed::<Json>(text, name).map_err(IacError::from)?
    } else {
        let yaml: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            IacError::Invalid {
                path: name.to_owned(),
                line,
                column,
                message: format!("not valid YAML: {e}"),
            }
        })?;
        yaml_to_json(&yaml)
    };
    if !doc.is_object() {
        return Err(IacError::Invalid {
            path: name.to_owned(),
            line: 1,
            column: 1,
            message: "expected a CloudFormation template (a mapping with `Resources`)".to_owned(),
        });
    }
    if doc.get("Resources").and_then(Json::as_object).is_none() {
        let (line, column) = locate(text, "Resources");
        return Err(IacError::Invalid {
            path: name.to_owned(),
            line,
            column,
            message: "not a CloudFormation template: `Resources` is missing or not a mapping"
                .to_owned(),
        });
    }
    Ok(doc)
}

/// Rewrites YAML short-form tags into the long form: `!Ref X` -> `{"Ref": "X"}`,
/// `!GetAtt A.B` -> `{"Fn::GetAtt": ["A", "B"]}`, `!Condition C` -> `{"Condition": "C"}`,
/// `!Name v` -> `{"Fn::Name": v}`.
#[allow(clippy::many_single_char_names)] // v, t, s, a, b: a value, its tag, its text and halves
pub fn yaml_to_json(v: &yaml_serde::Value) -> Json {
    use yaml_serde::Value as Y;
    match v {
        Y::Null => Json::Null,
        Y::Bool(b) => Json::Bool(*b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Json::from(i)
            } else if let Some(u) = n.as_u64() {
                Json::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Json::Null, Json::Number)
            }
        }
        Y::String(s) => Json::String(s.clone()),
        Y::Sequence(items) => Json::Array(items.iter().map(yaml_to_json).collect()),
        Y::Mapping(m) => Json::Object(
            m.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s.clone(),
                        other => match yaml_to_json(other) {
                            Json::String(s) => s,
                            j => j.to_string(),
                        },
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(t) => {
            let tag = t.tag.to_string();
            let tag = tag.trim_start_matches('!');
            let inner = yaml_to_json(&t.value);
            let (key, value) = match tag {
                "Ref" => ("Ref".to_owned(), inner),
                "Condition" => ("Condition".to_owned(), inner),
                "GetAtt" => (
                    "Fn::GetAtt".to_owned(),
                    match inner {
                        Json::String(s) => match s.split_once('.') {
                            Some((a, b)) => Json::Array(vec![Json::from(a), Json::from(b)]),
                            None => Json::String(s),
                        },
                        other => other,
                    },
                ),
                other => (format!("Fn::{other}"), inner),
            };
            let mut m = serde_json::Map::new();
            m.insert(key, value);
            Json::Object(m)
        }
    }
}

const MAX_DEPTH: usize = 32;

struct Template<'a> {
    doc: &'a Json,
    params: &'a HashMap<String, String>,
    account: Account,
    base: &'a Snapshot,
    /// Known AZ names of the Region, `a`, `b`, ... without gaps.
    az_names: Vec<String>,
}

impl<'a> Template<'a> {
    fn resources(&self) -> impl Iterator<Item = (&'a String, &'a Json)> {
        self.doc
            .get("Resources")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
    }

    fn resource(&self, lid: &str) -> Option<&'a Json> {
        self.doc.get("Resources")?.get(lid)
    }

    fn rtype(&self, lid: &str) -> Option<&'a str> {
        self.resource(lid)?.get("Type")?.as_str()
    }

    fn prop(&self, lid: &str, key: &str, depth: usize) -> Val {
        self.resource(lid)
            .and_then(|r| r.get("Properties"))
            .and_then(|p| p.get(key))
            .map_or(Val::Null, |v| {
                self.resolve(v, depth + 1).unwrap_or(Val::Null)
            })
    }

    fn parameter(&self, name: &str) -> Option<Val> {
        let def = self.doc.get("Parameters")?.get(name)?;
        let ptype = def.get("Type").and_then(Json::as_str).unwrap_or("String");
        let text = self
            .params
            .get(name)
            .cloned()
            .or_else(|| def.get("Default").map(scalar_text));
        if ptype.starts_with("AWS::SSM::Parameter::Value") {
            return Some(Val::Unknown(format!(
                "parameter {name} is read from SSM Parameter Store at deployment"
            )));
        }
        let Some(text) = text else {
            return Some(Val::Unknown(format!(
                "parameter {name} has no value; pass --parameters {name}=VALUE"
            )));
        };
        if ptype.starts_with("List<") || ptype == "CommaDelimitedList" {
            Some(Val::List(
                text.split(',')
                    .map(|s| Val::Str(s.trim().to_owned()))
                    .filter(|v| *v != Val::Str(String::new()))
                    .collect(),
            ))
        } else {
            Some(Val::Str(text))
        }
    }

    /// A pseudo parameter: `None` when `name` is none, `Some(None)` for `AWS::NoValue`.
    #[allow(clippy::option_option)]
    fn pseudo(&self, name: &str) -> Option<Option<Val>> {
        let known = |v: Option<&String>, what: &str| {
            v.map_or_else(
                || Val::Unknown(format!("{what} is not in the base state")),
                |s| Val::Str(s.clone()),
            )
        };
        Some(match name {
            "AWS::NoValue" => None,
            "AWS::Region" => Some(known(self.account.region.as_ref(), "the Region")),
            "AWS::AccountId" => Some(known(self.account.account_id.as_ref(), "the account id")),
            "AWS::Partition" => Some(Val::Str(self.account.partition().to_owned())),
            "AWS::URLSuffix" => Some(Val::Str(self.account.url_suffix().to_owned())),
            "AWS::StackName" | "AWS::StackId" | "AWS::NotificationARNs" => {
                Some(Val::Unknown(format!("{name} is known only at deployment")))
            }
            _ => return None,
        })
    }

    /// `Ref` to a resource: what CloudFormation returns, with the logical id standing for
    /// the physical id AWS will assign.
    fn ref_resource(&self, lid: &str, depth: usize) -> Val {
        let Some(rtype) = self.rtype(lid) else {
            return Val::Unknown(format!("Ref {lid} names nothing in the template"));
        };
        if let Some(unknown) = self.condition_unknown(lid, depth) {
            return unknown;
        }
        let named = |key: &str| match self.prop(lid, key, depth) {
            Val::Str(s) if !s.is_empty() => Val::Str(s),
            Val::Unknown(c) => Val::Unknown(c),
            _ => Val::Str(lid.to_owned()),
        };
        match rtype {
            "AWS::ECS::Cluster" => named("ClusterName"),
            "AWS::IAM::Role" => named("RoleName"),
            "AWS::IAM::ManagedPolicy" => self.managed_policy_arn(lid, depth),
            t if SUPPORTED.contains(&t) => Val::Str(lid.to_owned()),
            other => Val::Unknown(format!(
                "Ref {lid} ({other}) is assigned by AWS at deployment"
            )),
        }
    }

    fn condition_unknown(&self, lid: &str, depth: usize) -> Option<Val> {
        let cond = self.resource(lid)?.get("Condition")?.as_str()?;
        match self.condition(cond, depth + 1) {
            Some(true) => None,
            Some(false) => Some(Val::Unknown(format!(
                "{lid} is not created: condition {cond} is false"
            ))),
            None => Some(Val::Unknown(format!(
                "{lid} exists only if condition {cond} holds, which cannot be decided"
            ))),
        }
    }

    fn role_name(&self, lid: &str, depth: usize) -> Val {
        match self.prop(lid, "RoleName", depth) {
            Val::Str(s) if !s.is_empty() => Val::Str(s),
            Val::Unknown(c) => Val::Unknown(c),
            _ => Val::Str(lid.to_owned()),
        }
    }

    fn managed_policy_arn(&self, lid: &str, depth: usize) -> Val {
        let name = match self.prop(lid, "ManagedPolicyName", depth) {
            Val::Str(s) if !s.is_empty() => s,
            Val::Unknown(c) => return Val::Unknown(c),
            _ => lid.to_owned(),
        };
        let path = self.prop(lid, "Path", depth).str().known();
        Val::Str(self.account.iam_arn("policy", path.as_deref(), &name))
    }

    fn get_att(&self, lid: &str, attr: &str, depth: usize) -> Val {
        let Some(rtype) = self.rtype(lid) else {
            return Val::Unknown(format!(
                "Fn::GetAtt {lid}.{attr} names nothing in the template"
            ));
        };
        if let Some(unknown) = self.condition_unknown(lid, depth) {
            return unknown;
        }
        let id = || Val::Str(lid.to_owned());
        let p = |key: &str| self.prop(lid, key, depth);
        #[allow(clippy::unnested_or_patterns)] // one row per resource type reads better
        let v = match (rtype, attr) {
            ("AWS::EC2::VPC", "VpcId")
            | ("AWS::EC2::Subnet", "SubnetId")
            | ("AWS::EC2::SecurityGroup", "GroupId")
            | ("AWS::EFS::FileSystem", "FileSystemId")
            | ("AWS::EFS::AccessPoint", "AccessPointId")
            | ("AWS::EFS::MountTarget", "Id")
            | ("AWS::EC2::NetworkAcl", "Id")
            | ("AWS::EC2::RouteTable", "RouteTableId")
            | ("AWS::ECS::TaskDefinition", "TaskDefinitionArn")
            | ("AWS::ECS::Service", "ServiceArn") => id(),
            ("AWS::EC2::VPC", "DefaultSecurityGroup") => {
                Val::Str(format!("{lid}.DefaultSecurityGroup"))
            }
            ("AWS::EC2::VPC", "DefaultNetworkAcl") => Val::Str(format!("{lid}.DefaultNetworkAcl")),
            ("AWS::EC2::VPC", "CidrBlock")
            | (
                "AWS::EC2::Subnet",
                "CidrBlock" | "AvailabilityZone" | "VpcId" | "AvailabilityZoneId",
            )
            | ("AWS::EC2::SecurityGroup", "VpcId")
            | ("AWS::EFS::MountTarget", "IpAddress") => p(attr),
            ("AWS::EFS::FileSystem", "Arn") => Val::Str(
                self.account
                    .arn("elasticfilesystem", &format!("file-system/{lid}")),
            ),
            ("AWS::EFS::AccessPoint", "Arn") => Val::Str(
                self.account
                    .arn("elasticfilesystem", &format!("access-point/{lid}")),
            ),
            ("AWS::ECS::Cluster", "Arn") => match self.ref_resource(lid, depth) {
                Val::Str(name) => Val::Str(self.account.arn("ecs", &format!("cluster/{name}"))),
                other => other,
            },
            ("AWS::ECS::Service", "Name") => match p("ServiceName") {
                Val::Null => id(),
                other => other,
            },
            ("AWS::IAM::Role", "Arn") => match self.role_name(lid, depth) {
                Val::Str(name) => {
                    let path = p("Path").str().known();
                    Val::Str(self.account.iam_arn("role", path.as_deref(), &name))
                }
                other => other,
            },
            ("AWS::IAM::ManagedPolicy", "PolicyArn") => self.managed_policy_arn(lid, depth),
            _ => Val::Null,
        };
        match v {
            // An attribute only AWS assigns (an ENI id, a RoleId ...) or one left unset.
            Val::Null => Val::Unknown(format!(
                "Fn::GetAtt {lid}.{attr} is assigned by AWS at deployment"
            )),
            other => other,
        }
    }

    /// Evaluates a named condition; `None` when it cannot be decided.
    fn condition(&self, name: &str, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        let body = self.doc.get("Conditions")?.get(name)?;
        self.cond_value(body, depth + 1)
    }

    fn cond_value(&self, v: &Json, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        let obj = v.as_object().filter(|o| o.len() == 1);
        let Some((key, arg)) = obj.and_then(|o| o.iter().next()) else {
            return self.resolve(v, depth + 1)?.bool().known();
        };
        let args = || arg.as_array().cloned().unwrap_or_default();
        match key.as_str() {
            "Condition" => self.condition(arg.as_str()?, depth + 1),
            "Fn::Equals" => {
                let a = args();
                let (x, y) = (a.first()?, a.get(1)?);
                let x = self.resolve(x, depth + 1)?;
                let y = self.resolve(y, depth + 1)?;
                if x.first_unknown().is_some() || y.first_unknown().is_some() {
                    return None;
                }
                Some(
                    x.str()
                        .known()
                        .map_or_else(|| x == y, |xs| Some(xs) == y.str().known()),
                )
            }
            "Fn::Not" => self.cond_value(args().first()?, depth + 1).map(|b| !b),
            "Fn::And" => {
                let vals: Vec<Option<bool>> = args()
                    .iter()
                    .map(|a| self.cond_value(a, depth + 1))
                    .collect();
                if vals.contains(&Some(false)) {
                    Some(false)
                } else if vals.iter().all(Option::is_some) {
                    Some(true)
                } else {
                    None
                }
            }
            "Fn::Or" => {
                let vals: Vec<Option<bool>> = args()
                    .iter()
                    .map(|a| self.cond_value(a, depth + 1))
                    .collect();
                if vals.contains(&Some(true)) {
                    Some(true)
                } else if vals.iter().all(Option::is_some) {
                    Some(false)
                } else {
                    None
                }
            }
            _ => self.resolve(v, depth + 1)?.bool().known(),
        }
    }

    /// Resolves intrinsic functions. `None` is `AWS::NoValue` (the property or element is
    /// removed).
    #[allow(clippy::too_many_lines, clippy::many_single_char_names)]
    fn resolve(&self, v: &Json, depth: usize) -> Option<Val> {
        if depth > MAX_DEPTH {
            return Some(Val::Unknown("the references nest too deeply".to_owned()));
        }
        let d = depth + 1;
        match v {
            Json::Array(items) => Some(Val::List(
                items.iter().filter_map(|i| self.resolve(i, d)).collect(),
            )),
            Json::Object(o) if o.len() == 1 => {
                let Some((key, arg)) = o.iter().next() else {
                    return Some(Val::Map(BTreeMap::new()));
                };
                match key.as_str() {
                    "Ref" => {
                        let name = match self.resolve(arg, d)? {
                            Val::Str(s) => s,
                            other => return Some(other),
                        };
                        if let Some(p) = self.pseudo(&name) {
                            return p;
                        }
                        if let Some(p) = self.parameter(&name) {
                            return Some(p);
                        }
                        Some(self.ref_resource(&name, d))
                    }
                    "Fn::GetAtt" => {
                        let (lid, attr) = match arg {
                            Json::String(s) => {
                                let (a, b) = s.split_once('.')?;
                                (a.to_owned(), b.to_owned())
                            }
                            Json::Array(parts) => {
                                let lid = parts.first()?.as_str()?.to_owned();
                                let attr = match self.resolve(parts.get(1)?, d)? {
                                    Val::Str(s) => s,
                                    other => return Some(other),
                                };
                                (lid, attr)
                            }
                            _ => return Some(Val::Unknown("malformed Fn::GetAtt".into())),
                        };
                        Some(self.get_att(&lid, &attr, d))
                    }
                    "Fn::Sub" => Some(self.sub(arg, d)),
                    "Fn::Join" => {
                        let parts = arg.as_array()?;
                        let delim = parts.first().and_then(Json::as_str).unwrap_or("");
                        let list = self.resolve(parts.get(1)?, d)?;
                        let items = match list.items() {
                            Got::Known(items) => items,
                            Got::Unknown(c) => return Some(Val::Unknown(c)),
                            Got::Absent => Vec::new(),
                        };
                        let mut out = Vec::new();
                        for item in items {
                            match item.str() {
                                Got::Known(s) => out.push(s),
                                Got::Unknown(c) => return Some(Val::Unknown(c)),
                                Got::Absent => {}
                            }
                        }
                        Some(Val::Str(out.join(delim)))
                    }
                    "Fn::Select" => {
                        let parts = arg.as_array()?;
                        let index = match self.resolve(parts.first()?, d)?.int() {
                            Got::Known(i) => usize::try_from(i).ok()?,
                            Got::Unknown(c) => return Some(Val::Unknown(c)),
                            Got::Absent => {
                                return Some(Val::Unknown("Fn::Select without an index".into()))
                            }
                        };
                        let list = match self.resolve(parts.get(1)?, d)?.items() {
                            Got::Known(items) => items,
                            Got::Unknown(c) => return Some(Val::Unknown(c)),
                            Got::Absent => Vec::new(),
                        };
                        Some(match list.get(index) {
                            Some(v) => v.clone(),
                            None => match list.last() {
                                // The known prefix of a list that goes on (Fn::GetAZs).
                                Some(Val::Unknown(c)) => Val::Unknown(c.clone()),
                                _ => Val::Unknown(format!(
                                    "Fn::Select index {index} is out of range"
                                )),
                            },
                        })
                    }
                    "Fn::Split" => {
                        let parts = arg.as_array()?;
                        let delim = parts.first().and_then(Json::as_str).unwrap_or(",");
                        Some(match self.resolve(parts.get(1)?, d)?.str() {
                            Got::Known(s) => {
                                Val::List(s.split(delim).map(|p| Val::Str(p.to_owned())).collect())
                            }
                            Got::Unknown(c) => Val::Unknown(c),
                            Got::Absent => Val::List(Vec::new()),
                        })
                    }
                    "Fn::GetAZs" => Some(self.get_azs(arg, d)),
                    "Fn::If" => {
                        let parts = arg.as_array()?;
                        let cond = parts.first()?.as_str()?;
                        match self.condition(cond, d) {
                            Some(true) => self.resolve(parts.get(1)?, d),
                            Some(false) => self.resolve(parts.get(2)?, d),
                            None => {
                                Some(Val::Unknown(format!("condition {cond} cannot be decided")))
                            }
                        }
                    }
                    "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Condition" => {
                        Some(self.cond_value(v, d).map_or_else(
                            || Val::Unknown(format!("{key} cannot be decided")),
                            Val::Bool,
                        ))
                    }
                    "Fn::FindInMap" => {
                        let parts = arg.as_array()?;
                        let mut keys = Vec::new();
                        for p in parts.iter().take(3) {
                            match self.resolve(p, d)?.str() {
                                Got::Known(s) => keys.push(s),
                                Got::Unknown(c) => return Some(Val::Unknown(c)),
                                Got::Absent => {
                                    return Some(Val::Unknown(
                                        "Fn::FindInMap with an empty key".into(),
                                    ))
                                }
                            }
                        }
                        let found = self
                            .doc
                            .get("Mappings")
                            .and_then(|m| m.get(keys.first()?))
                            .and_then(|m| m.get(keys.get(1)?))
                            .and_then(|m| m.get(keys.get(2)?));
                        Some(match found {
                            Some(v) => self.resolve(v, d)?,
                            None => Val::Unknown(format!(
                                "Fn::FindInMap {} has no entry",
                                keys.join(".")
                            )),
                        })
                    }
                    "Fn::ImportValue" => {
                        let name = self
                            .resolve(arg, d)
                            .and_then(|v| v.str().known())
                            .unwrap_or_else(|| "(computed name)".to_owned());
                        Some(Val::Unknown(format!(
                            "Fn::ImportValue {name} is another stack's export"
                        )))
                    }
                    "Fn::Base64" => self.resolve(arg, d),
                    "Fn::Length" => Some(match self.resolve(arg, d)?.items() {
                        Got::Known(items) => Val::Num(serde_json::Number::from(items.len())),
                        Got::Unknown(c) => Val::Unknown(c),
                        Got::Absent => Val::Num(serde_json::Number::from(0)),
                    }),
                    "Fn::ToJsonString" => {
                        let inner = self.resolve(arg, d)?;
                        Some(match inner.to_json() {
                            Ok(j) => Val::Str(j.to_string()),
                            Err(c) => Val::Unknown(c),
                        })
                    }
                    k if k.starts_with("Fn::") => Some(Val::Unknown(format!(
                        "{k} is not evaluated before deployment"
                    ))),
                    _ => {
                        let mut m = BTreeMap::new();
                        if let Some(r) = self.resolve(arg, d) {
                            m.insert(key.clone(), r);
                        }
                        Some(Val::Map(m))
                    }
                }
            }
            Json::Object(o) => Some(Val::Map(
                o.iter()
                    .filter_map(|(k, v)| self.resolve(v, d).map(|r| (k.clone(), r)))
                    .collect(),
            )),
            other => Some(Val::from_json(other)),
        }
    }

    /// `Fn::Sub`, both forms: `"text ${Name} ${Res.Attr} ${!Literal}"` and `[text, {vars}]`.
    fn sub(&self, arg: &Json, depth: usize) -> Val {
        let (text, vars) = match arg {
            Json::String(s) => (s.as_str(), None),
            Json::Array(parts) => match (parts.first().and_then(Json::as_str), parts.get(1)) {
                (Some(t), vars) => (t, vars.and_then(Json::as_object)),
                _ => return Val::Unknown("malformed Fn::Sub".into()),
            },
            _ => return Val::Unknown("malformed Fn::Sub".into()),
        };
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(rest.get(..start).unwrap_or(""));
            let after = rest.get(start + 2..).unwrap_or("");
            let Some(end) = after.find('}') else {
                out.push_str(rest.get(start..).unwrap_or(""));
                rest = "";
                break;
            };
            let name = after.get(..end).unwrap_or("").trim();
            rest = after.get(end + 1..).unwrap_or("");
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let value = if let Some(v) = vars.and_then(|m| m.get(name)) {
                self.resolve(v, depth + 1).unwrap_or(Val::Null)
            } else if let Some(p) = self.pseudo(name) {
                p.unwrap_or(Val::Null)
            } else if let Some(p) = self.parameter(name) {
                p
            } else if let Some((lid, attr)) = name.split_once('.') {
                self.get_att(lid, attr, depth + 1)
            } else {
                self.ref_resource(name, depth + 1)
            };
            match value.str() {
                Got::Known(s) => out.push_str(&s),
                Got::Unknown(c) => return Val::Unknown(c),
                Got::Absent => {}
            }
        }
        out.push_str(rest);
        Val::Str(out)
    }

    /// `Fn::GetAZs`: the Region's AZ names known from the base state (`a`, `b`, ... without a
    /// gap), followed by an unknown tail: the account may have more.
    fn get_azs(&self, arg: &Json, depth: usize) -> Val {
        let region = match self.resolve(arg, depth + 1).map(|v| v.str()) {
            Some(Got::Known(r)) if !r.is_empty() => Some(r),
            Some(Got::Unknown(c)) => return Val::Unknown(c),
            _ => self.account.region.clone(),
        };
        let Some(region) = region else {
            return Val::Unknown("Fn::GetAZs: the Region is not in the base state".into());
        };
        let mut items: Vec<Val> = if Some(&region) == self.account.region.as_ref() {
            self.az_names.iter().cloned().map(Val::Str).collect()
        } else {
            Vec::new()
        };
        items.push(Val::Unknown(format!(
            "Fn::GetAZs {region}: only {} Availability Zone name(s) are known from the base state's subnets",
            items.len()
        )));
        Val::List(items)
    }
}

/// AZ names of a Region that the base state proves, `REGIONa`, `REGIONb` ... up to the first
/// letter with no subnet (later indexes could shift).
fn contiguous_az_names(base: &Snapshot) -> Vec<String> {
    let Some(region) = base.region.as_deref() else {
        return Vec::new();
    };
    let names: Vec<&str> = base
        .ec2
        .subnets
        .iter()
        .flatten()
        .filter_map(|s| s.availability_zone.as_deref())
        .collect();
    let mut out = Vec::new();
    for letter in 'a'..='z' {
        let name = format!("{region}{letter}");
        if names.contains(&name.as_str()) {
            out.push(name);
        } else {
            break;
        }
    }
    out
}

/// Resource types this module reads.
const SUPPORTED: &[&str] = &[
    "AWS::EC2::VPC",
    "AWS::EC2::Subnet",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::NetworkAcl",
    "AWS::EC2::NetworkAclEntry",
    "AWS::EC2::SubnetNetworkAclAssociation",
    "AWS::EC2::RouteTable",
    "AWS::EC2::Route",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EFS::FileSystem",
    "AWS::EFS::MountTarget",
    "AWS::EFS::AccessPoint",
    "AWS::ECS::Cluster",
    "AWS::ECS::TaskDefinition",
    "AWS::ECS::Service",
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
];

/// Parses and converts a template against the base state.
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
    let mut b = Builder::new(Front::CloudFormation);
    let targets = build(&template, &mut b, text, name)?;
    Ok(Converted {
        overlay: b.overlay,
        targets,
        logical_ids: template.resources().map(|(k, _)| k.clone()).collect(),
    })
}

fn bad_value(text: &str, file: &str, lid: &str, prop: &str, what: &str) -> IacError {
    let (line, column) = super::logical_id_position(text, lid).unwrap_or((1, 1));
    IacError::Invalid {
        path: file.to_owned(),
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

#[allow(clippy::too_many_lines, clippy::many_single_char_names)] // t template, b builder, p property
fn build(
    t: &Template<'_>,
    b: &mut Builder,
    text: &str,
    file: &str,
) -> Result<Vec<IacTarget>, IacError> {
    let az_ids = common::az_ids_by_name(t.base);
    let owner = t.base.account_id.clone();
    let mut targets = Vec::new();
    let mut used_task_definitions = Vec::new();
    let mut task_definitions = Vec::new();
    for (lid, res) in t.resources() {
        let rtype = res.get("Type").and_then(Json::as_str).unwrap_or("");
        if !SUPPORTED.contains(&rtype) {
            continue;
        }
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
        let p = |key: &str| props.field(key);
        let lid = lid.as_str();
        match rtype {
            "AWS::EC2::VPC" => {
                let cidr = p("CidrBlock").str().known();
                b.overlay.vpcs.push(Vpc {
                    vpc_id: lid.to_owned(),
                    cidr_block: cidr.clone(),
                    owner_id: owner.clone(),
                    ..Vpc::default()
                });
                // Defaults: EnableDnsSupport true, EnableDnsHostnames false
                // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpc.html).
                let support = p("EnableDnsSupport").bool();
                let hostnames = p("EnableDnsHostnames").bool();
                match (&support, &hostnames) {
                    (Got::Unknown(c), _) | (_, Got::Unknown(c)) => {
                        b.gap(lid, "EnableDnsSupport / EnableDnsHostnames", lid, c);
                    }
                    _ => b.overlay.vpc_attributes.push(VpcAttributes {
                        vpc_id: lid.to_owned(),
                        enable_dns_support: Some(AttributeBool {
                            value: Some(support.known().unwrap_or(true)),
                        }),
                        enable_dns_hostnames: Some(AttributeBool {
                            value: Some(hostnames.known().unwrap_or(false)),
                        }),
                    }),
                }
                let (sg, acl, rt) = common::new_vpc_defaults(
                    lid,
                    cidr.as_deref(),
                    owner.as_deref(),
                    [
                        format!("{lid}.DefaultSecurityGroup"),
                        format!("{lid}.DefaultNetworkAcl"),
                        format!("{lid}.MainRouteTable"),
                    ],
                );
                b.overlay.security_groups.push(sg);
                b.overlay.network_acls.push(acl);
                b.overlay.route_tables.push(rt);
            }
            "AWS::EC2::Subnet" => {
                let vpc = b.id(p("VpcId").str(), "VpcId", lid).unwrap_or_default();
                let az = p("AvailabilityZone").str();
                let az_id_prop = p("AvailabilityZoneId").str();
                let az_id = match (&az_id_prop, &az) {
                    (Got::Known(id), _) => Ok(id.clone()),
                    (_, Got::Known(name)) => az_ids.get(name).cloned().ok_or_else(|| {
                        format!("{name} has no subnet in the base state to map it to an AZ id")
                    }),
                    (Got::Unknown(c), _) | (_, Got::Unknown(c)) => Err(c.clone()),
                    // CloudFormation picks an AZ when neither is given.
                    (Got::Absent, Got::Absent) => {
                        Err("no AvailabilityZone is set: AWS picks one".to_owned())
                    }
                };
                let az_id = match az_id {
                    Ok(id) => id,
                    Err(cause) => {
                        b.omit(lid, "AvailabilityZoneId", lid, &cause);
                        continue;
                    }
                };
                b.overlay.subnets.push(Subnet {
                    subnet_id: lid.to_owned(),
                    vpc_id: vpc,
                    availability_zone: az.known(),
                    availability_zone_id: Some(az_id),
                    cidr_block: p("CidrBlock").str().known(),
                    ipv6_cidr_block_association_set: p("Ipv6CidrBlock")
                        .str()
                        .known()
                        .map(|c| {
                            vec![SubnetIpv6CidrAssociation {
                                ipv6_cidr_block: Some(c),
                                ipv6_cidr_block_state: None,
                            }]
                        })
                        .unwrap_or_default(),
                    enable_dns64: p("EnableDns64").bool().known(),
                    assign_ipv6_address_on_creation: p("AssignIpv6AddressOnCreation")
                        .bool()
                        .known(),
                    ipv6_native: p("Ipv6Native").bool().known(),
                    owner_id: owner.clone(),
                });
            }
            "AWS::EC2::SecurityGroup" => {
                let mut sg = SecurityGroup {
                    group_id: lid.to_owned(),
                    group_name: p("GroupName").str().known(),
                    vpc_id: b.id(p("VpcId").str(), "VpcId", lid),
                    owner_id: owner.clone(),
                    ..SecurityGroup::default()
                };
                let mut unknown = None;
                for (key, egress) in [
                    ("SecurityGroupIngress", false),
                    ("SecurityGroupEgress", true),
                ] {
                    match p(key).items() {
                        Got::Unknown(c) => unknown = Some((key.to_owned(), c)),
                        Got::Absent => {}
                        Got::Known(rules) => {
                            for (i, r) in rules.iter().enumerate() {
                                match cfn_permission(r, egress) {
                                    Ok(perm) if egress => sg.ip_permissions_egress.push(perm),
                                    Ok(perm) => sg.ip_permissions.push(perm),
                                    Err(c) => unknown = Some((format!("{key}[{i}]"), c)),
                                }
                            }
                        }
                    }
                }
                // Without egress rules EC2 keeps the default allow-all egress rule
                // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html).
                if matches!(p("SecurityGroupEgress").items(), Got::Absent)
                    || p("SecurityGroupEgress")
                        .items()
                        .known()
                        .is_some_and(|r| r.is_empty())
                {
                    sg.ip_permissions_egress.push(common::permission(
                        "-1",
                        None,
                        None,
                        Peers {
                            cidrs: vec!["0.0.0.0/0".to_owned()],
                            ..Peers::default()
                        },
                    ));
                }
                if let Some((attr, cause)) = unknown {
                    b.omit(lid, &attr, lid, &cause);
                } else {
                    b.overlay.security_groups.push(sg);
                }
            }
            "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress" => {
                let Some(group) = b.id(p("GroupId").str(), "GroupId", lid) else {
                    continue;
                };
                let egress = rtype.ends_with("Egress");
                match cfn_permission(&props, egress) {
                    Ok(permission) => b.overlay.sg_rules.push(SgRule {
                        group_id: group,
                        egress,
                        permission,
                    }),
                    Err(cause) => b.omit(&group, "peer", lid, &cause),
                }
            }
            "AWS::EC2::NetworkAcl" => {
                let entries = common::implicit_denies();
                let vpc_id = b.id(p("VpcId").str(), "VpcId", lid);
                b.overlay.network_acls.push(NetworkAcl {
                    network_acl_id: lid.to_owned(),
                    vpc_id,
                    is_default: false,
                    associations: Vec::new(),
                    entries,
                });
            }
            "AWS::EC2::NetworkAclEntry" => {
                let Some(acl) = b.id(p("NetworkAclId").str(), "NetworkAclId", lid) else {
                    continue;
                };
                let ports = p("PortRange");
                b.overlay.acl_entries.push((
                    acl,
                    common::acl_entry(
                        p("RuleNumber").int().known().unwrap_or(0),
                        &p("Protocol").str().known().unwrap_or_else(|| "-1".into()),
                        &p("RuleAction")
                            .str()
                            .known()
                            .unwrap_or_else(|| "deny".into()),
                        p("Egress").bool().known().unwrap_or(false),
                        p("CidrBlock").str().known(),
                        p("Ipv6CidrBlock").str().known(),
                        ports.field("From").int().known(),
                        ports.field("To").int().known(),
                    ),
                ));
            }
            "AWS::EC2::SubnetNetworkAclAssociation" => {
                let acl = b.id(p("NetworkAclId").str(), "NetworkAclId", lid);
                let subnet = b.id(p("SubnetId").str(), "SubnetId", lid);
                if let (Some(acl), Some(subnet)) = (acl, subnet) {
                    b.overlay.acl_associations.push((acl, subnet));
                }
            }
            "AWS::EC2::RouteTable" => {
                let vpc = b.id(p("VpcId").str(), "VpcId", lid);
                let cidr = vpc.as_deref().and_then(|v| {
                    common::base_vpc_cidr(t.base, v).or_else(|| {
                        b.overlay
                            .vpcs
                            .iter()
                            .find(|x| x.vpc_id == v)
                            .and_then(|x| x.cidr_block.clone())
                    })
                });
                b.overlay.route_tables.push(RouteTable {
                    route_table_id: lid.to_owned(),
                    vpc_id: vpc,
                    associations: Vec::new(),
                    routes: cidr
                        .map(|c| {
                            vec![Route {
                                destination_cidr_block: Some(c),
                                gateway_id: Some("local".into()),
                                state: Some("active".into()),
                                origin: Some("CreateRouteTable".into()),
                                ..Route::default()
                            }]
                        })
                        .unwrap_or_default(),
                });
            }
            "AWS::EC2::Route" => {
                if let Some(rt) = b.id(p("RouteTableId").str(), "RouteTableId", lid) {
                    let s = |k: &str| p(k).str().known();
                    b.overlay.routes.push((
                        rt,
                        Route {
                            destination_cidr_block: s("DestinationCidrBlock"),
                            destination_ipv6_cidr_block: s("DestinationIpv6CidrBlock"),
                            destination_prefix_list_id: s("DestinationPrefixListId"),
                            gateway_id: s("GatewayId"),
                            nat_gateway_id: s("NatGatewayId"),
                            transit_gateway_id: s("TransitGatewayId"),
                            network_interface_id: s("NetworkInterfaceId"),
                            instance_id: s("InstanceId"),
                            vpc_peering_connection_id: s("VpcPeeringConnectionId"),
                            vpc_endpoint_id: s("VpcEndpointId"),
                            local_gateway_id: s("LocalGatewayId"),
                            carrier_gateway_id: s("CarrierGatewayId"),
                            core_network_arn: s("CoreNetworkArn"),
                            egress_only_internet_gateway_id: s("EgressOnlyInternetGatewayId"),
                            state: Some("active".into()),
                            origin: Some("CreateRoute".into()),
                        },
                    ));
                }
            }
            "AWS::EC2::SubnetRouteTableAssociation" => {
                let rt = b.id(p("RouteTableId").str(), "RouteTableId", lid);
                let subnet = b.id(p("SubnetId").str(), "SubnetId", lid);
                if let (Some(rt), Some(subnet)) = (rt, subnet) {
                    b.overlay.route_associations.push((rt, subnet));
                }
            }
            "AWS::EFS::FileSystem" => {
                let zone = p("AvailabilityZoneName").str().known();
                let zone_id = zone.as_ref().and_then(|z| az_ids.get(z).cloned());
                if zone.is_some() && zone_id.is_none() {
                    b.gap(
                        lid,
                        "AvailabilityZoneName",
                        lid,
                        "the AZ name has no subnet in the base state to map it to an AZ id",
                    );
                }
                let name = p("FileSystemTags")
                    .items()
                    .known()
                    .unwrap_or_default()
                    .iter()
                    .find(|tag| tag.field("Key").str().known().as_deref() == Some("Name"))
                    .and_then(|tag| tag.field("Value").str().known());
                b.overlay.file_systems.push(FileSystem {
                    file_system_id: lid.to_owned(),
                    file_system_arn: Some(
                        t.account
                            .arn("elasticfilesystem", &format!("file-system/{lid}")),
                    ),
                    owner_id: owner.clone(),
                    // CloudFormation completes the resource when the file system is available.
                    life_cycle_state: Some("available".into()),
                    name,
                    number_of_mount_targets: None,
                    availability_zone_name: zone,
                    availability_zone_id: zone_id,
                    // CreateFileSystem encrypts only when asked to.
                    encrypted: match p("Encrypted").bool() {
                        Got::Known(b) => Some(b),
                        Got::Absent => Some(false),
                        Got::Unknown(_) => None,
                    },
                    // Without `KmsKeyId`, EFS uses the AWS managed key for EFS.
                    kms_key_id: match p("KmsKeyId").str() {
                        Got::Known(k) => Some(k),
                        Got::Absent => Some(common::AWS_MANAGED_EFS_KEY.to_owned()),
                        Got::Unknown(_) => None,
                    },
                    file_system_protection: Some(FileSystemProtection {
                        replication_overwrite_protection: Some(
                            p("FileSystemProtection")
                                .field("ReplicationOverwriteProtection")
                                .str()
                                .known()
                                .unwrap_or_else(|| "ENABLED".into()),
                        ),
                    }),
                });
                match policy(&p("FileSystemPolicy")) {
                    Got::Known(Some(doc)) => {
                        b.overlay.file_system_policies.push(FileSystemPolicy {
                            file_system_id: lid.to_owned(),
                            policy: doc,
                        });
                    }
                    Got::Known(None) => {
                        return Err(bad_value(
                            text,
                            file,
                            lid,
                            "FileSystemPolicy",
                            "is not a policy document",
                        ))
                    }
                    Got::Unknown(c) => b.gap(&format!("policy:{lid}"), "FileSystemPolicy", lid, &c),
                    Got::Absent => {}
                }
            }
            "AWS::EFS::MountTarget" => {
                let fs = b
                    .id(p("FileSystemId").str(), "FileSystemId", lid)
                    .unwrap_or_default();
                let subnet = b
                    .id(p("SubnetId").str(), "SubnetId", lid)
                    .unwrap_or_default();
                let groups = b.ids(p("SecurityGroups").strs(), "SecurityGroups", lid);
                b.overlay.mount_targets.push(MountTarget {
                    mount_target_id: lid.to_owned(),
                    file_system_id: fs,
                    subnet_id: subnet,
                    life_cycle_state: Some("available".into()),
                    ip_address: p("IpAddress").str().known(),
                    owner_id: owner.clone(),
                    security_groups: Some(groups),
                    ..MountTarget::default()
                });
            }
            "AWS::EFS::AccessPoint" => {
                let fs = b
                    .id(p("FileSystemId").str(), "FileSystemId", lid)
                    .unwrap_or_default();
                let posix = p("PosixUser");
                let root = p("RootDirectory");
                let creation = root.field("CreationInfo");
                b.overlay.access_points.push(AccessPoint {
                    access_point_id: lid.to_owned(),
                    access_point_arn: Some(
                        t.account
                            .arn("elasticfilesystem", &format!("access-point/{lid}")),
                    ),
                    file_system_id: fs,
                    life_cycle_state: Some("available".into()),
                    name: None,
                    posix_user: match (posix.field("Uid").int(), posix.field("Gid").int()) {
                        (Got::Known(uid), Got::Known(gid)) => Some(PosixUser {
                            uid,
                            gid,
                            secondary_gids: posix
                                .field("SecondaryGids")
                                .items()
                                .known()
                                .unwrap_or_default()
                                .iter()
                                .filter_map(|g| g.int().known())
                                .collect(),
                        }),
                        _ => None,
                    },
                    root_directory: if matches!(root, Val::Null) {
                        None
                    } else {
                        Some(RootDirectory {
                            path: root.field("Path").str().known(),
                            creation_info: match (
                                creation.field("OwnerUid").int(),
                                creation.field("OwnerGid").int(),
                                creation.field("Permissions").str(),
                            ) {
                                (Got::Known(u), Got::Known(g), Got::Known(perm)) => {
                                    Some(CreationInfo {
                                        owner_uid: u,
                                        owner_gid: g,
                                        permissions: perm,
                                    })
                                }
                                _ => None,
                            },
                        })
                    },
                    owner_id: owner.clone(),
                });
            }
            "AWS::ECS::TaskDefinition" => {
                let td = task_definition(t, b, lid, &props);
                task_definitions.push(lid.to_owned());
                b.overlay.task_definitions.push(td);
            }
            "AWS::ECS::Service" => {
                let svc = service(b, lid, &props);
                if let Some(td) = &svc.task_definition {
                    used_task_definitions.push(td.clone());
                }
                targets.push(IacTarget {
                    kind: IacTargetKind::Service {
                        name: svc.service_name.clone(),
                        cluster: crate::target::service_cluster(&svc),
                    },
                    address: lid.to_owned(),
                    task_definition_address: svc
                        .task_definition
                        .clone()
                        .filter(|td| t.rtype(td) == Some("AWS::ECS::TaskDefinition")),
                    service_address: Some(lid.to_owned()),
                    // A template creates its services (or replaces them under a new name).
                    service_exists: false,
                });
                b.overlay.services.push(svc);
            }
            "AWS::IAM::Role" => {
                let name = match t.role_name(lid, 0) {
                    Val::Str(s) => s,
                    _ => lid.to_owned(),
                };
                let path = p("Path").str().known();
                let arn = t.account.iam_arn("role", path.as_deref(), &name);
                let trust = match policy(&p("AssumeRolePolicyDocument")) {
                    Got::Known(Some(d)) => Some(d),
                    Got::Known(None) => {
                        return Err(bad_value(
                            text,
                            file,
                            lid,
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
                for (i, pol) in p("Policies")
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
                let mut attached = Vec::new();
                match p("ManagedPolicyArns").strs() {
                    Got::Known(items) => {
                        for (i, item) in items.into_iter().enumerate() {
                            match item {
                                Got::Known(a) => attached.push(AttachedPolicy {
                                    policy_name: a.rsplit('/').next().map(str::to_owned),
                                    policy_arn: a,
                                }),
                                Got::Unknown(c) => {
                                    unknown = Some((format!("ManagedPolicyArns[{i}]"), c));
                                }
                                Got::Absent => {}
                            }
                        }
                    }
                    Got::Unknown(c) => unknown = Some(("ManagedPolicyArns".to_owned(), c)),
                    Got::Absent => {}
                }
                if let Some((attr, cause)) = unknown {
                    b.omit(&arn, &attr, lid, &cause);
                    continue;
                }
                b.overlay.roles.push(RoleDetail {
                    path,
                    role_name: name,
                    role_id: None,
                    arn,
                    assume_role_policy_document: trust,
                    role_policy_list: inline,
                    attached_managed_policies: attached,
                    permissions_boundary: p("PermissionsBoundary").str().known().map(|a| {
                        PermissionsBoundary {
                            permissions_boundary_type: Some("Policy".into()),
                            permissions_boundary_arn: a,
                        }
                    }),
                });
            }
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
                let doc = match policy(&p("PolicyDocument")) {
                    Got::Known(Some(d)) => Some(d),
                    Got::Known(None) => {
                        return Err(bad_value(
                            text,
                            file,
                            lid,
                            "PolicyDocument",
                            "is not a policy document",
                        ))
                    }
                    Got::Unknown(c) => {
                        // The roles it applies to have unknown permissions.
                        for role in p("Roles")
                            .strs()
                            .known()
                            .unwrap_or_default()
                            .into_iter()
                            .filter_map(Got::known)
                        {
                            let arn = role_arn(t, &role);
                            b.omit(&arn, "PolicyDocument", lid, &c);
                        }
                        continue;
                    }
                    Got::Absent => None,
                };
                let Some(doc) = doc else { continue };
                let roles: Vec<String> = p("Roles")
                    .strs()
                    .known()
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(Got::known)
                    .collect();
                if rtype == "AWS::IAM::Policy" {
                    let name = p("PolicyName")
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
                        b.overlay.role_attachments.push((
                            role,
                            AttachedPolicy {
                                policy_name: arn.rsplit('/').next().map(str::to_owned),
                                policy_arn: arn.clone(),
                            },
                        ));
                    }
                    b.overlay.policies.push(ManagedPolicyDetail {
                        policy_name: arn.rsplit('/').next().map(str::to_owned),
                        arn,
                        default_version_id: Some("v1".into()),
                        policy_version_list: vec![PolicyVersion {
                            document: Some(doc),
                            version_id: Some("v1".into()),
                            is_default_version: true,
                        }],
                    });
                }
            }
            _ => {}
        }
    }
    // Role references in attachments may be role names: keep them (the merge matches names).
    for td in task_definitions {
        if !used_task_definitions.contains(&td) {
            targets.push(IacTarget {
                kind: IacTargetKind::TaskDefinition {
                    reference: td.clone(),
                },
                address: td.clone(),
                task_definition_address: Some(td),
                service_address: None,
                service_exists: false,
            });
        }
    }
    Ok(targets)
}

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

/// One `SecurityGroupIngress` / `SecurityGroupEgress` entry (or the standalone resource).
fn cfn_permission(r: &Val, egress: bool) -> Result<crate::snapshot::IpPermission, String> {
    let mut peers = Peers::default();
    let group_key = if egress {
        "DestinationSecurityGroupId"
    } else {
        "SourceSecurityGroupId"
    };
    let prefix_key = if egress {
        "DestinationPrefixListId"
    } else {
        "SourcePrefixListId"
    };
    for (key, into) in [
        ("CidrIp", &mut peers.cidrs),
        ("CidrIpv6", &mut peers.cidrs_v6),
        (prefix_key, &mut peers.prefix_lists),
        (group_key, &mut peers.groups),
    ] {
        match r.field(key).str() {
            Got::Known(s) if !s.is_empty() => into.push(s),
            Got::Unknown(c) => return Err(c),
            _ => {}
        }
    }
    let protocol = match r.field("IpProtocol").str() {
        Got::Known(p) => p,
        Got::Unknown(c) => return Err(c),
        Got::Absent => "-1".to_owned(),
    };
    Ok(common::permission(
        &protocol,
        r.field("FromPort").int().known(),
        r.field("ToPort").int().known(),
        peers,
    ))
}

fn task_definition(t: &Template<'_>, b: &mut Builder, lid: &str, props: &Val) -> TaskDefinition {
    let p = |key: &str| props.field(key);
    // Without Family, CloudFormation names the family after the stack and logical id.
    let family = p("Family").str().known().unwrap_or_else(|| lid.to_owned());
    let mut containers = Vec::new();
    for c in p("ContainerDefinitions")
        .items()
        .known()
        .unwrap_or_default()
    {
        containers.push(ContainerDefinition {
            name: c.field("Name").str().known().unwrap_or_default(),
            image: c.field("Image").str().known(),
            user: c.field("User").str().known(),
            mount_points: c
                .field("MountPoints")
                .items()
                .known()
                .unwrap_or_default()
                .iter()
                .map(|m| MountPoint {
                    source_volume: m.field("SourceVolume").str().known(),
                    container_path: m.field("ContainerPath").str().known(),
                    read_only: m.field("ReadOnly").bool().known(),
                })
                .collect(),
            ..ContainerDefinition::default()
        });
    }
    if let Got::Unknown(c) = p("ContainerDefinitions").items() {
        b.gap(lid, "ContainerDefinitions", lid, &c);
    }
    let mut volumes = Vec::new();
    for (i, v) in p("Volumes")
        .items()
        .known()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let efs = v.field("EFSVolumeConfiguration");
        let at = |k: &str| format!("Volumes[{i}].EFSVolumeConfiguration.{k}");
        let cfg = if matches!(efs, Val::Null) {
            None
        } else {
            let auth = efs.field("AuthorizationConfig");
            Some(EfsVolumeConfiguration {
                file_system_id: b
                    .id(efs.field("FilesystemId").str(), &at("FilesystemId"), lid)
                    .unwrap_or_default(),
                root_directory: efs.field("RootDirectory").str().known(),
                transit_encryption: efs.field("TransitEncryption").str().known(),
                transit_encryption_port: efs.field("TransitEncryptionPort").int().known(),
                authorization_config: if matches!(auth, Val::Null) {
                    None
                } else {
                    Some(EfsAuthorizationConfig {
                        access_point_id: b.id(
                            auth.field("AccessPointId").str(),
                            &at("AuthorizationConfig.AccessPointId"),
                            lid,
                        ),
                        iam: auth.field("IAM").str().known(),
                    })
                },
            })
        };
        volumes.push(Volume {
            name: v.field("Name").str().known().unwrap_or_default(),
            efs_volume_configuration: cfg,
        });
    }
    TaskDefinition {
        wrapped: None,
        task_definition_arn: Some(lid.to_owned()),
        revision: Some(common::base_max_revision(t.base, &family) + 1),
        family,
        task_role_arn: b.id(p("TaskRoleArn").str(), "TaskRoleArn", lid),
        execution_role_arn: b.id(p("ExecutionRoleArn").str(), "ExecutionRoleArn", lid),
        network_mode: p("NetworkMode").str().known(),
        requires_compatibilities: p("RequiresCompatibilities")
            .strs()
            .known()
            .unwrap_or_default()
            .into_iter()
            .filter_map(Got::known)
            .collect(),
        runtime_platform: {
            let rp = p("RuntimePlatform");
            let os = rp.field("OperatingSystemFamily").str().known();
            let cpu = rp.field("CpuArchitecture").str().known();
            (os.is_some() || cpu.is_some()).then_some(RuntimePlatform {
                operating_system_family: os,
                cpu_architecture: cpu,
            })
        },
        volumes,
        container_definitions: containers,
        status: Some("ACTIVE".into()),
    }
}

fn service(b: &mut Builder, lid: &str, props: &Val) -> Service {
    let p = |key: &str| props.field(key);
    let net = p("NetworkConfiguration").field("AwsvpcConfiguration");
    let prefix = "NetworkConfiguration.AwsvpcConfiguration";
    let platform_version = match p("PlatformVersion").str() {
        Got::Known(v) => Some(v),
        Got::Unknown(c) => {
            b.gap(lid, "PlatformVersion", lid, &c);
            None
        }
        Got::Absent => None,
    };
    Service {
        service_arn: None,
        // Without ServiceName, CloudFormation generates one; the logical id stands for it.
        service_name: p("ServiceName")
            .str()
            .known()
            .unwrap_or_else(|| lid.to_owned()),
        cluster_arn: b.id(p("Cluster").str(), "Cluster", lid),
        task_definition: b.id(p("TaskDefinition").str(), "TaskDefinition", lid),
        launch_type: p("LaunchType").str().known(),
        capacity_provider_strategy: p("CapacityProviderStrategy")
            .items()
            .known()
            .unwrap_or_default()
            .iter()
            .filter_map(|c| {
                Some(CapacityProviderStrategyItem {
                    capacity_provider: c.field("CapacityProvider").str().known()?,
                    weight: c.field("Weight").int().known(),
                    base: c.field("Base").int().known(),
                })
            })
            .collect(),
        platform_version,
        network_configuration: if matches!(net, Val::Null) {
            None
        } else {
            Some(NetworkConfiguration {
                awsvpc_configuration: Some(AwsVpcConfiguration {
                    subnets: b.ids(
                        net.field("Subnets").strs(),
                        &format!("{prefix}.Subnets"),
                        lid,
                    ),
                    security_groups: b.ids(
                        net.field("SecurityGroups").strs(),
                        &format!("{prefix}.SecurityGroups"),
                        lid,
                    ),
                    assign_public_ip: net.field("AssignPublicIp").str().known(),
                }),
            })
        },
        status: Some("ACTIVE".into()),
        ..Service::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Snapshot {
        crate::snapshot::from_str(
            r#"{"efs_preflight_snapshot":1,"region":"us-east-1","account_id":"123456789012",
            "ec2":{"Subnets":[
              {"SubnetId":"subnet-a","VpcId":"vpc-1","AvailabilityZone":"us-east-1a","AvailabilityZoneId":"use1-az6"},
              {"SubnetId":"subnet-b","VpcId":"vpc-1","AvailabilityZone":"us-east-1b","AvailabilityZoneId":"use1-az1"},
              {"SubnetId":"subnet-d","VpcId":"vpc-1","AvailabilityZone":"us-east-1d","AvailabilityZoneId":"use1-az4"}]}}"#,
            "base",
        )
        .unwrap()
    }

    fn eval(template: &str, expr: &str, params: &[(&str, &str)]) -> Val {
        let mut doc: Json = serde_json::from_str(template).unwrap();
        if doc.get("Resources").is_none() {
            doc["Resources"] = serde_json::json!({});
        }
        let params: HashMap<String, String> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let base = base();
        let t = Template {
            doc: &doc,
            params: &params,
            account: Account::of(&base),
            base: &base,
            az_names: contiguous_az_names(&base),
        };
        let e: Json = serde_json::from_str(expr).unwrap();
        t.resolve(&e, 0).unwrap_or(Val::Str("<NoValue>".into()))
    }

    fn s(v: &str) -> Val {
        Val::Str(v.to_owned())
    }

    #[test]
    fn ref_parameters_defaults_lists_and_pseudo_parameters() {
        let t = r#"{"Parameters":{"Env":{"Type":"String","Default":"prod"},
            "Subnets":{"Type":"List<AWS::EC2::Subnet::Id>"},
            "Ver":{"Type":"AWS::SSM::Parameter::Value<String>","Default":"/x"}}}"#;
        assert_eq!(eval(t, r#"{"Ref":"Env"}"#, &[]), s("prod"));
        assert_eq!(eval(t, r#"{"Ref":"Env"}"#, &[("Env", "dev")]), s("dev"));
        assert_eq!(
            eval(
                t,
                r#"{"Ref":"Subnets"}"#,
                &[("Subnets", "subnet-1, subnet-2")]
            ),
            Val::List(vec![s("subnet-1"), s("subnet-2")])
        );
        match eval(t, r#"{"Ref":"Subnets"}"#, &[]) {
            Val::Unknown(c) => assert!(c.contains("--parameters Subnets=VALUE"), "{c}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(eval(t, r#"{"Ref":"Ver"}"#, &[]), Val::Unknown(c) if c.contains("SSM")));
        assert_eq!(eval(t, r#"{"Ref":"AWS::Region"}"#, &[]), s("us-east-1"));
        assert_eq!(
            eval(t, r#"{"Ref":"AWS::AccountId"}"#, &[]),
            s("123456789012")
        );
        assert_eq!(eval(t, r#"{"Ref":"AWS::Partition"}"#, &[]), s("aws"));
        assert_eq!(
            eval(t, r#"["a", {"Ref":"AWS::NoValue"}]"#, &[]),
            Val::List(vec![s("a")])
        );
    }

    #[test]
    fn get_att_of_resources_builds_consistent_ids_and_arns() {
        let t = r#"{"Resources":{
            "Fs":{"Type":"AWS::EFS::FileSystem"},
            "Role":{"Type":"AWS::IAM::Role","Properties":{"RoleName":"app-task"}},
            "Anon":{"Type":"AWS::IAM::Role"},
            "Sg":{"Type":"AWS::EC2::SecurityGroup"},
            "Ap":{"Type":"AWS::EFS::AccessPoint"},
            "Lb":{"Type":"AWS::ElasticLoadBalancingV2::LoadBalancer"}}}"#;
        assert_eq!(
            eval(t, r#"{"Fn::GetAtt":["Fs","Arn"]}"#, &[]),
            s("arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/Fs")
        );
        assert_eq!(
            eval(t, r#"{"Fn::GetAtt":["Role","Arn"]}"#, &[]),
            s("arn:aws:iam::123456789012:role/app-task")
        );
        assert_eq!(eval(t, r#"{"Ref":"Role"}"#, &[]), s("app-task"));
        assert_eq!(
            eval(t, r#"{"Fn::GetAtt":["Anon","Arn"]}"#, &[]),
            s("arn:aws:iam::123456789012:role/Anon")
        );
        assert_eq!(eval(t, r#"{"Fn::GetAtt":"Sg.GroupId"}"#, &[]), s("Sg"));
        assert_eq!(
            eval(t, r#"{"Fn::GetAtt":["Ap","AccessPointId"]}"#, &[]),
            s("Ap")
        );
        assert_eq!(eval(t, r#"{"Ref":"Fs"}"#, &[]), s("Fs"));
        assert!(matches!(eval(t, r#"{"Ref":"Lb"}"#, &[]), Val::Unknown(_)));
        assert!(matches!(
            eval(t, r#"{"Fn::GetAtt":["Role","RoleId"]}"#, &[]),
            Val::Unknown(_)
        ));
    }

    #[test]
    fn sub_both_forms_join_select_split() {
        let t = r#"{"Parameters":{"Env":{"Type":"String","Default":"prod"}},
            "Resources":{"Fs":{"Type":"AWS::EFS::FileSystem"}}}"#;
        assert_eq!(
            eval(
                t,
                r#"{"Fn::Sub":"${Env}-${AWS::Region}-${Fs}-${!Literal}"}"#,
                &[]
            ),
            s("prod-us-east-1-Fs-${Literal}")
        );
        assert_eq!(
            eval(
                t,
                r#"{"Fn::Sub":["${A}/${Fs.Arn}",{"A":{"Ref":"Env"}}]}"#,
                &[]
            ),
            s("prod/arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/Fs")
        );
        assert_eq!(
            eval(t, r#"{"Fn::Join":["-",["a",{"Ref":"Env"}]]}"#, &[]),
            s("a-prod")
        );
        assert_eq!(
            eval(
                t,
                r#"{"Fn::Select":["1",{"Fn::Split":[",","x,y,z"]}]}"#,
                &[]
            ),
            s("y")
        );
        assert!(matches!(
            eval(t, r#"{"Fn::Join":["",["a",{"Fn::ImportValue":"Shared"}]]}"#, &[]),
            Val::Unknown(c) if c.contains("Fn::ImportValue Shared")
        ));
    }

    #[test]
    fn get_azs_knows_only_the_contiguous_prefix() {
        let t = "{}";
        assert_eq!(
            eval(t, r#"{"Fn::Select":[0,{"Fn::GetAZs":""}]}"#, &[]),
            s("us-east-1a")
        );
        assert_eq!(
            eval(
                t,
                r#"{"Fn::Select":[1,{"Fn::GetAZs":{"Ref":"AWS::Region"}}]}"#,
                &[]
            ),
            s("us-east-1b")
        );
        // us-east-1c has no subnet in the base state: index 2 could be c or d.
        assert!(matches!(
            eval(t, r#"{"Fn::Select":[2,{"Fn::GetAZs":""}]}"#, &[]),
            Val::Unknown(c) if c.contains("Fn::GetAZs")
        ));
    }

    #[test]
    fn conditions_if_and_find_in_map() {
        let t = r#"{"Parameters":{"Env":{"Type":"String","Default":"prod"},"Other":{"Type":"String"}},
            "Conditions":{"IsProd":{"Fn::Equals":[{"Ref":"Env"},"prod"]},
                          "NotProd":{"Fn::Not":[{"Condition":"IsProd"}]},
                          "Open":{"Fn::Equals":[{"Ref":"Other"},"x"]},
                          "Either":{"Fn::Or":[{"Condition":"IsProd"},{"Condition":"Open"}]}},
            "Mappings":{"Ports":{"prod":{"Nfs":2049}}}}"#;
        assert_eq!(eval(t, r#"{"Fn::If":["IsProd","a","b"]}"#, &[]), s("a"));
        assert_eq!(eval(t, r#"{"Fn::If":["NotProd","a","b"]}"#, &[]), s("b"));
        assert_eq!(eval(t, r#"{"Fn::If":["Either","a","b"]}"#, &[]), s("a"));
        assert!(matches!(
            eval(t, r#"{"Fn::If":["Open","a","b"]}"#, &[]),
            Val::Unknown(c) if c.contains("condition Open cannot be decided")
        ));
        assert_eq!(
            eval(
                t,
                r#"{"Fn::If":["IsProd",{"Ref":"AWS::NoValue"},"b"]}"#,
                &[]
            ),
            s("<NoValue>")
        );
        assert_eq!(
            eval(t, r#"{"Fn::FindInMap":["Ports",{"Ref":"Env"},"Nfs"]}"#, &[]),
            Val::Num(2049.into())
        );
    }

    #[test]
    fn yaml_short_tags_become_long_form() {
        let doc = parse_template(
            "Resources:\n  X:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      AvailabilityZone: !Select [0, !GetAZs '']\n      CidrBlock: !GetAtt Vpc.CidrBlock\n      Tags:\n        - Key: n\n          Value: !Sub '${AWS::StackName}-x'\n",
            "t.yaml",
        )
        .unwrap();
        let props = &doc["Resources"]["X"]["Properties"];
        assert_eq!(props["VpcId"], serde_json::json!({"Ref": "Vpc"}));
        assert_eq!(
            props["AvailabilityZone"],
            serde_json::json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]})
        );
        assert_eq!(
            props["CidrBlock"],
            serde_json::json!({"Fn::GetAtt": ["Vpc", "CidrBlock"]})
        );
        assert_eq!(
            props["Tags"][0]["Value"],
            serde_json::json!({"Fn::Sub": "${AWS::StackName}-x"})
        );
    }

    #[test]
    fn malformed_templates_are_located() {
        let e = parse_template("Resources:\n  X: [\n", "t.yaml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.yaml:"), "{e}");
        assert!(e.contains("not valid YAML"), "{e}");
        let e = parse_template("Outputs: {}\n", "t.yaml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`Resources` is missing"), "{e}");
        let e = parse_template("{\"Resources\": {\n  \"X\": }", "t.json")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.json:2:"), "{e}");
    }

    #[test]
    fn parameters_files_and_pairs() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        std::fs::write(&a, r#"[{"ParameterKey":"Env","ParameterValue":"dev"}]"#).unwrap();
        let b = dir.path().join("b.json");
        std::fs::write(&b, r#"{"Subnets":["subnet-1","subnet-2"]}"#).unwrap();
        let p = read_parameters(&[
            a.display().to_string(),
            b.display().to_string(),
            "Extra=x=y".to_owned(),
        ])
        .unwrap();
        assert_eq!(p.get("Env").map(String::as_str), Some("dev"));
        assert_eq!(
            p.get("Subnets").map(String::as_str),
            Some("subnet-1,subnet-2")
        );
        assert_eq!(p.get("Extra").map(String::as_str), Some("x=y"));
        assert!(read_parameters(&["missing-file.json".to_owned()]).is_err());
    }
}
