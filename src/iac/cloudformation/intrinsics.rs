//! Intrinsic functions and references: `Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`,
//! `Fn::Select`, `Fn::Split`, `Fn::GetAZs`, `Fn::FindInMap`, `Fn::If` and conditions,
//! parameters and pseudo parameters
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html>).
//! `Ref` to a resource yields its synthetic id (the logical id); `Fn::GetAtt` of an ARN builds
//! the ARN from that id, the base state's account and the Region, the same string the overlay
//! gives the resource, so references join.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value as Json;

use super::parse::scalar_text;
use crate::iac::common::Account;
use crate::iac::value::{Got, Val};
use crate::snapshot::Snapshot;

const MAX_DEPTH: usize = 32;

pub(super) struct Template<'a> {
    pub(super) doc: &'a Json,
    pub(super) params: &'a HashMap<String, String>,
    pub(super) account: Account,
    pub(super) base: &'a Snapshot,
    /// Known AZ names of the Region, `a`, `b`, ... without gaps.
    pub(super) az_names: Vec<String>,
    /// AZ name -> AZ id from the base state.
    pub(super) az_ids: HashMap<String, String>,
}

impl<'a> Template<'a> {
    pub(super) fn resources(&self) -> impl Iterator<Item = (&'a String, &'a Json)> {
        self.doc
            .get("Resources")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
    }

    pub(super) fn resource(&self, lid: &str) -> Option<&'a Json> {
        self.doc.get("Resources")?.get(lid)
    }

    pub(super) fn rtype(&self, lid: &str) -> Option<&'a str> {
        self.resource(lid)?.get("Type")?.as_str()
    }

    pub(super) fn prop(&self, lid: &str, key: &str, depth: usize) -> Val {
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
            t if super::converter(t).is_some() => Val::Str(lid.to_owned()),
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

    /// The name of a role of the template. A name known only at deployment
    /// (`!Sub "${AWS::StackName}-task"`) does not change which role it is: the logical id
    /// stands for it, as for every resource the template creates.
    pub(super) fn role_name(&self, lid: &str, depth: usize) -> Val {
        match self.prop(lid, "RoleName", depth) {
            Val::Str(s) if !s.is_empty() => Val::Str(s),
            _ => Val::Str(lid.to_owned()),
        }
    }

    pub(super) fn managed_policy_arn(&self, lid: &str, depth: usize) -> Val {
        let name = match self.prop(lid, "ManagedPolicyName", depth) {
            Val::Str(s) if !s.is_empty() => s,
            Val::Unknown(c) => return Val::Unknown(c),
            _ => lid.to_owned(),
        };
        let path = self.prop(lid, "Path", depth).str().known();
        Val::Str(self.account.iam_arn("policy", path.as_deref(), &name))
    }

    pub(super) fn get_att(&self, lid: &str, attr: &str, depth: usize) -> Val {
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
            | ("AWS::ECS::Service", "ServiceArn")
            | ("AWS::KMS::Key", "KeyId")
            | ("AWS::Route53::HostedZone", "Id")
            | ("AWS::Route53Resolver::ResolverRule", "ResolverRuleId")
            | ("AWS::Route53Resolver::ResolverRuleAssociation", "ResolverRuleAssociationId") => {
                id()
            }
            ("AWS::KMS::Key", "Arn") => Val::Str(super::kms::key_arn(self, lid)),
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
            | ("AWS::EFS::MountTarget", "IpAddress")
            | ("AWS::Route53Resolver::ResolverRule", "DomainName") => p(attr),
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
    pub(super) fn condition(&self, name: &str, depth: usize) -> Option<bool> {
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
    pub(super) fn resolve(&self, v: &Json, depth: usize) -> Option<Val> {
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
                        Some(match list.get(index).or_else(|| list.last()) {
                            // The unknown rest of a list whose known prefix is shorter
                            // (Fn::GetAZs): the cause names the expression, so that equal
                            // ones compare equal.
                            Some(Val::Unknown(c))
                                if c.starts_with("Fn::GetAZs") && c.contains(": ") =>
                            {
                                let (expr, why) = c.split_once(": ").unwrap_or_default();
                                Val::Unknown(format!("Fn::Select [{index}, {expr}]: {why}"))
                            }
                            Some(v) if index < list.len() => v.clone(),
                            _ => match list.last() {
                                Some(Val::Unknown(c)) => Val::Unknown(c.clone()),
                                _ => Val::Unknown(format!(
                                    "Fn::Select index {index} is out of range"
                                )),
                            },
                        })
                    }
                    "Fn::Cidr" => {
                        let parts = arg.as_array()?;
                        let get = |i: usize| self.resolve(parts.get(i)?, d);
                        let (block, count, bits) = (get(0)?, get(1)?, get(2)?);
                        Some(match (block.str(), count.int(), bits.int()) {
                            (Got::Known(block), Got::Known(count), Got::Known(bits)) => {
                                cidr(&block, count, bits)
                            }
                            (Got::Unknown(c), _, _)
                            | (_, Got::Unknown(c), _)
                            | (_, _, Got::Unknown(c)) => Val::Unknown(format!("Fn::Cidr: {c}")),
                            _ => Val::Unknown(
                                "Fn::Cidr needs an IP block, a count and a number of subnet bits"
                                    .into(),
                            ),
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

/// `Fn::Cidr [block, count, bits]`: the first `count` blocks with `bits` host bits each
/// (`/24` for 8 bits in IPv4)
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-cidr.html>).
fn cidr(block: &str, count: i64, bits: i64) -> Val {
    let Ok(net) = block.trim().parse::<ipnet::IpNet>() else {
        return Val::Unknown(format!("Fn::Cidr: {block} is not a CIDR block"));
    };
    let max = net.max_prefix_len();
    let prefix = u8::try_from(bits)
        .ok()
        .filter(|b| (1..=max).contains(b))
        .map(|b| max - b)
        .filter(|p| *p >= net.prefix_len());
    let (Some(prefix), Ok(count)) = (prefix, usize::try_from(count)) else {
        return Val::Unknown(format!(
            "Fn::Cidr: {bits} subnet bits do not fit in {block}"
        ));
    };
    let Ok(subnets) = net.subnets(prefix) else {
        return Val::Unknown(format!("Fn::Cidr: {block} cannot be split into /{prefix}"));
    };
    let out: Vec<Val> = subnets
        .take(count)
        .map(|n| Val::Str(n.to_string()))
        .collect();
    if out.len() < count {
        return Val::Unknown(format!(
            "Fn::Cidr: {block} holds fewer than {count} blocks of /{prefix}"
        ));
    }
    Val::List(out)
}

/// AZ names of a Region that the base state proves, `REGIONa`, `REGIONb` ... up to the first
/// letter with no subnet (later indexes could shift).
pub(super) fn contiguous_az_names(base: &Snapshot) -> Vec<String> {
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
            az_ids: HashMap::new(),
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
    fn cidr_splits_the_block() {
        let t = "{}";
        assert_eq!(
            eval(t, r#"{"Fn::Cidr":["10.0.0.0/16", 3, 8]}"#, &[]),
            Val::List(vec![s("10.0.0.0/24"), s("10.0.1.0/24"), s("10.0.2.0/24")])
        );
        assert_eq!(
            eval(
                t,
                r#"{"Fn::Select":[1, {"Fn::Cidr":["2001:db8::/56", 2, 64]}]}"#,
                &[]
            ),
            s("2001:db8:0:1::/64")
        );
        assert!(matches!(
            eval(t, r#"{"Fn::Cidr":["10.0.0.0/24", 3, 8]}"#, &[]),
            Val::Unknown(c) if c.contains("holds fewer than 3")
        ));
        assert!(matches!(
            eval(t, r#"{"Fn::Cidr":[{"Fn::ImportValue":"vpc-cidr"}, 3, 8]}"#, &[]),
            Val::Unknown(c) if c.starts_with("Fn::Cidr: Fn::ImportValue vpc-cidr")
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
}
