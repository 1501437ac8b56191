//! Terraform plans: the JSON of `terraform show -json PLAN` (format 1.x,
//! <https://developer.hashicorp.com/terraform/internals/json-format>) converted to an overlay
//! and to the ECS targets it declares.
//!
//! Values come from `planned_values` (root and child modules, recursively), with
//! `resource_changes[].change.after_unknown` marking what is known only after apply. An unknown
//! id is resolved through the `configuration` expression that produced it: a reference to a
//! resource the plan creates (`aws_subnet.private[0].id`, `aws_subnet.private[*].id`, a module
//! output or input variable that carries one) becomes that resource's synthetic id (its
//! address), so the graph joins new resources like existing ones. Anything else stays unknown
//! and makes the dependent rules `unknown` ("... is known after apply").
//!
//! Argument names follow the AWS provider
//! (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs>).
//!
//! Depends on the snapshot model, `value`, `overlay` and `common`; never on rules or reports.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value as Json;

use super::common::{self, Account, Peers};
use super::overlay::{Builder, Front, Overlay, SgRule};
use super::value::{Got, Val};
use super::{locate, IacError, IacTarget, IacTargetKind};
use crate::snapshot::{
    AccessPoint, AttachedPolicy, AttributeBool, AwsVpcConfiguration, CapacityProviderStrategyItem,
    ContainerDefinition, CreationInfo, EfsAuthorizationConfig, EfsVolumeConfiguration, FileSystem,
    FileSystemPolicy, FileSystemProtection, InlinePolicy, ManagedPolicyDetail, MountTarget,
    NetworkAcl, NetworkConfiguration, PermissionsBoundary, PolicyDocument, PolicyVersion,
    PosixUser, RoleDetail, RootDirectory, Route, RouteTable, RuntimePlatform, SecurityGroup,
    Service, Snapshot, Subnet, SubnetIpv6CidrAssociation, TaskDefinition, Volume, Vpc,
    VpcAttributes,
};

/// One resource instance of the plan.
#[derive(Debug, Clone)]
struct Instance {
    /// Absolute address: `module.net.aws_subnet.private[0]`.
    address: String,
    /// The module instance part with a trailing dot: `module.net.` (empty in the root).
    module_prefix: String,
    /// Module call names from the root (`["net"]`), to find the configuration.
    config_path: Vec<String>,
    managed: bool,
    rtype: String,
    name: String,
    /// `count` index or `for_each` key.
    index: Option<Json>,
    values: Val,
}

impl Instance {
    /// `aws_subnet.private` (or `data.aws_subnet.x`), the configuration address.
    fn config_address(&self) -> String {
        if self.managed {
            format!("{}.{}", self.rtype, self.name)
        } else {
            format!("data.{}.{}", self.rtype, self.name)
        }
    }

    fn str(&self, path: &[&str]) -> Got<String> {
        self.values.at(path).str()
    }
}

/// Synthetic values of an instance: what references to it resolve to.
#[derive(Debug, Clone)]
struct Synth {
    id: String,
    arn: String,
    name: String,
}

/// A parsed plan, ready to convert.
struct Plan<'a> {
    instances: Vec<Instance>,
    configuration: Json,
    account: Account,
    base: &'a Snapshot,
    synth: HashMap<String, Synth>,
}

/// What a Terraform plan contributes: the overlay and the targets it declares.
#[derive(Debug)]
pub struct Converted {
    /// Resources to merge over the base state.
    pub overlay: Overlay,
    /// Services and lone task definitions, by address.
    pub targets: Vec<IacTarget>,
}

/// Parses plan JSON text (`name` for messages) and converts it against the base state.
pub fn convert(text: &str, name: &str, base: &Snapshot) -> Result<Converted, IacError> {
    crate::snapshot::expect_object(text, name, "the output of `terraform show -json PLAN`")
        .map_err(IacError::from)?;
    let doc: Json = crate::snapshot::parse_typed(text, name).map_err(IacError::from)?;
    let invalid = |needle: &str, message: String| {
        let (line, column) = locate(text, needle);
        IacError::Invalid {
            path: name.to_owned(),
            line,
            column,
            message,
        }
    };
    let Some(version) = doc.get("format_version") else {
        return Err(invalid(
            "{",
            "not a Terraform plan: no `format_version` (expected the output of `terraform show -json PLAN`)".to_owned(),
        ));
    };
    let major = version
        .as_str()
        .and_then(|v| v.split('.').next())
        .and_then(|m| m.parse::<u64>().ok());
    if major != Some(1) {
        return Err(invalid(
            "\"format_version\"",
            format!("`format_version` is {version}; this efs-preflight reads Terraform plan JSON format 1.x"),
        ));
    }
    let Some(planned) = doc.get("planned_values") else {
        let hint = if doc.get("values").is_some() {
            " (this is `terraform show -json` of a state; pass the plan: `terraform plan -out tfplan && terraform show -json tfplan`)"
        } else {
            ""
        };
        return Err(invalid(
            "{",
            format!("not a Terraform plan: no `planned_values`{hint}"),
        ));
    };
    let changes = index_changes(&doc);
    let mut instances = Vec::new();
    if let Some(root) = planned.get("root_module") {
        collect_module(root, "", &[], &changes, &mut instances);
    }
    let mut builder = Builder::new(Front::Terraform);
    // Objects the plan deletes (alone or to replace them) are gone after apply.
    for change in doc
        .get("resource_changes")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let actions: Vec<&str> = change
            .pointer("/change/actions")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
            .collect();
        if !actions.iter().any(|a| *a == "delete" || *a == "forget") {
            continue;
        }
        let before = |k: &str| {
            change
                .pointer(&format!("/change/before/{k}"))
                .and_then(Json::as_str)
        };
        match change.get("type").and_then(Json::as_str) {
            // Its id is the file system's: only the policy goes.
            Some("aws_efs_file_system_policy") => {
                if let Some(fs) = before("file_system_id").or_else(|| before("id")) {
                    builder.overlay.removed.push(format!("policy:{fs}"));
                }
            }
            // Roles and policies are keyed by ARN in the state.
            _ => {
                for id in [before("id"), before("arn")].into_iter().flatten() {
                    builder.overlay.removed.push(id.to_owned());
                }
            }
        }
    }
    let mut plan = Plan {
        instances,
        configuration: doc.get("configuration").cloned().unwrap_or(Json::Null),
        account: Account::of(base),
        base,
        synth: HashMap::new(),
    };
    plan.synthesize();
    plan.resolve_references();
    let targets = plan.build(&mut builder, text, name)?;
    Ok(Converted {
        overlay: builder.overlay,
        targets,
    })
}

/// `resource_changes` by address (current objects only; deposed ones are being destroyed).
fn index_changes(doc: &Json) -> HashMap<String, Json> {
    let mut out = HashMap::new();
    for c in doc
        .get("resource_changes")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        if c.get("deposed").is_some() {
            continue;
        }
        if let Some(addr) = c.get("address").and_then(Json::as_str) {
            out.insert(addr.to_owned(), c.clone());
        }
    }
    out
}

fn collect_module(
    module: &Json,
    prefix: &str,
    config_path: &[String],
    changes: &HashMap<String, Json>,
    out: &mut Vec<Instance>,
) {
    for r in module
        .get("resources")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(address), Some(rtype), Some(name)) = (
            r.get("address").and_then(Json::as_str),
            r.get("type").and_then(Json::as_str),
            r.get("name").and_then(Json::as_str),
        ) else {
            continue;
        };
        let change = changes.get(address).and_then(|c| c.get("change"));
        let after = change
            .and_then(|c| c.get("after"))
            .filter(|a| !a.is_null())
            .or_else(|| r.get("values"))
            .unwrap_or(&Json::Null);
        let unknown = change
            .and_then(|c| c.get("after_unknown"))
            .unwrap_or(&Json::Null);
        out.push(Instance {
            address: address.to_owned(),
            module_prefix: prefix.to_owned(),
            config_path: config_path.to_vec(),
            managed: r.get("mode").and_then(Json::as_str) != Some("data"),
            rtype: rtype.to_owned(),
            name: name.to_owned(),
            index: r.get("index").cloned(),
            values: merge_unknown(after, unknown),
        });
    }
    for child in module
        .get("child_modules")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let Some(addr) = child.get("address").and_then(Json::as_str) else {
            continue;
        };
        // module.a[0].module.b -> ["a", "b"]
        let path: Vec<String> = addr
            .split("module.")
            .filter(|s| !s.is_empty())
            .map(|s| {
                let s = s.trim_end_matches('.');
                s.split('[').next().unwrap_or(s).to_owned()
            })
            .collect();
        collect_module(child, &format!("{addr}."), &path, changes, out);
    }
}

/// Combines `after` with `after_unknown` (same shape, `true` at unknown leaves).
fn merge_unknown(after: &Json, unknown: &Json) -> Val {
    if unknown == &Json::Bool(true) {
        return Val::Unknown(String::new());
    }
    match (after, unknown) {
        (Json::Object(a), _) => {
            let mut m: BTreeMap<String, Val> = a
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        merge_unknown(v, unknown.get(k).unwrap_or(&Json::Null)),
                    )
                })
                .collect();
            if let Json::Object(u) = unknown {
                for (k, v) in u {
                    if !m.contains_key(k) {
                        m.insert(k.clone(), merge_unknown(&Json::Null, v));
                    }
                }
            }
            Val::Map(m)
        }
        (Json::Array(a), _) => {
            let u = unknown.as_array();
            let len = a.len().max(u.map_or(0, Vec::len));
            Val::List(
                (0..len)
                    .map(|i| {
                        merge_unknown(
                            a.get(i).unwrap_or(&Json::Null),
                            u.and_then(|u| u.get(i)).unwrap_or(&Json::Null),
                        )
                    })
                    .collect(),
            )
        }
        (Json::Null, Json::Object(u)) => Val::Map(
            u.iter()
                .map(|(k, v)| (k.clone(), merge_unknown(&Json::Null, v)))
                .collect(),
        ),
        (Json::Null, Json::Array(u)) => {
            Val::List(u.iter().map(|v| merge_unknown(&Json::Null, v)).collect())
        }
        (other, _) => Val::from_json(other),
    }
}

/// A reference split into its parts: `aws_subnet.private[0].id`.
#[derive(Debug, PartialEq)]
struct Ref<'r> {
    head: &'r str,
    name: &'r str,
    index: Option<&'r str>,
    attr: Option<&'r str>,
}

fn parse_ref(r: &str) -> Option<Ref<'_>> {
    let (head, rest) = r.split_once('.')?;
    let name_end = rest.find(['.', '[']).unwrap_or(rest.len());
    let name = rest.get(..name_end)?;
    let mut rest = rest.get(name_end..).unwrap_or("");
    let mut index = None;
    if let Some(after) = rest.strip_prefix('[') {
        let close = after.find(']')?;
        index = after.get(..close);
        rest = after.get(close + 1..).unwrap_or("");
    }
    let attr = rest.strip_prefix('.').map(|a| {
        let end = a.find(['.', '[']).unwrap_or(a.len());
        a.get(..end).unwrap_or(a)
    });
    Some(Ref {
        head,
        name,
        index,
        attr,
    })
}

/// The references of an expression without the prefixes Terraform adds for each traversal
/// step (`aws_subnet.a.id` implies `aws_subnet.a`), in expression order.
fn leaf_refs(refs: &[String]) -> Vec<&str> {
    refs.iter()
        .filter(|r| {
            !refs.iter().any(|other| {
                other.len() > r.len()
                    && other.starts_with(r.as_str())
                    && matches!(other.as_bytes().get(r.len()), Some(b'.' | b'['))
            })
        })
        .map(String::as_str)
        .collect()
}

fn index_text(index: &Json) -> String {
    match index {
        Json::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

const MAX_DEPTH: usize = 8;

impl Plan<'_> {
    fn synthesize(&mut self) {
        for inst in &self.instances {
            if !inst.managed {
                continue;
            }
            let known = |k: &str| inst.str(&[k]).known().filter(|s| !s.is_empty());
            let name = known("name").unwrap_or_else(|| inst.address.clone());
            let acct = &self.account;
            let (id, arn) = match inst.rtype.as_str() {
                // The id of aws_iam_role is its name.
                "aws_iam_role" => {
                    let arn = known("arn").unwrap_or_else(|| {
                        if known("name").is_some() {
                            acct.iam_arn("role", known("path").as_deref(), &name)
                        } else {
                            inst.address.clone()
                        }
                    });
                    (name.clone(), arn)
                }
                "aws_iam_policy" => {
                    let arn = known("arn").unwrap_or_else(|| {
                        if known("name").is_some() {
                            acct.iam_arn("policy", known("path").as_deref(), &name)
                        } else {
                            inst.address.clone()
                        }
                    });
                    (arn.clone(), arn)
                }
                // The id of aws_ecs_cluster is its ARN.
                "aws_ecs_cluster" => {
                    let arn = known("arn").unwrap_or_else(|| {
                        if known("name").is_some() {
                            acct.arn("ecs", &format!("cluster/{name}"))
                        } else {
                            inst.address.clone()
                        }
                    });
                    (arn.clone(), arn)
                }
                "aws_ecs_task_definition" => {
                    let arn = known("arn").unwrap_or_else(|| inst.address.clone());
                    (arn.clone(), arn)
                }
                "aws_efs_file_system" | "aws_efs_access_point" => {
                    let id = known("id").unwrap_or_else(|| inst.address.clone());
                    let kind = if inst.rtype == "aws_efs_file_system" {
                        "file-system"
                    } else {
                        "access-point"
                    };
                    let arn = known("arn")
                        .unwrap_or_else(|| acct.arn("elasticfilesystem", &format!("{kind}/{id}")));
                    (id, arn)
                }
                _ => {
                    let id = known("id").unwrap_or_else(|| inst.address.clone());
                    let arn = known("arn").unwrap_or_else(|| id.clone());
                    (id, arn)
                }
            };
            self.synth
                .insert(inst.address.clone(), Synth { id, arn, name });
        }
    }

    fn synth_of(&self, inst: &Instance) -> Synth {
        self.synth.get(&inst.address).cloned().unwrap_or(Synth {
            id: inst.address.clone(),
            arn: inst.address.clone(),
            name: inst.address.clone(),
        })
    }

    /// The value a reference to `attr` of a planned instance stands for.
    fn synthetic_value(&self, inst: &Instance, attr: Option<&str>) -> Option<String> {
        if !inst.managed {
            // A data source names something that exists; its unknown id cannot be invented.
            return inst
                .str(&[attr.unwrap_or("id")])
                .known()
                .filter(|s| !s.is_empty());
        }
        let s = self.synth.get(&inst.address)?;
        match attr {
            None | Some("id") => Some(s.id.clone()),
            Some("arn") => Some(s.arn.clone()),
            Some("name") => Some(s.name.clone()),
            Some("family" | "arn_without_revision") if inst.rtype == "aws_ecs_task_definition" => {
                Some(s.id.clone())
            }
            Some("default_security_group_id") => {
                Some(format!("{}.default_security_group_id", inst.address))
            }
            Some("default_network_acl_id") => {
                Some(format!("{}.default_network_acl_id", inst.address))
            }
            Some("main_route_table_id") => Some(format!("{}.main_route_table_id", inst.address)),
            Some(other) => inst.str(&[other]).known(),
        }
    }

    fn module_config(&self, path: &[String]) -> Option<&Json> {
        let mut m = self.configuration.get("root_module")?;
        for call in path {
            m = m.get("module_calls")?.get(call)?.get("module")?;
        }
        Some(m)
    }

    fn resource_config(&self, inst: &Instance) -> Option<&Json> {
        let address = inst.config_address();
        self.module_config(&inst.config_path)?
            .get("resources")?
            .as_array()?
            .iter()
            .find(|r| r.get("address").and_then(Json::as_str) == Some(address.as_str()))?
            .get("expressions")
    }

    /// Instances of `TYPE.NAME` in a module instance, in index order.
    fn instances_of(&self, prefix: &str, head: &str, name: &str, data: bool) -> Vec<&Instance> {
        let mut out: Vec<&Instance> = self
            .instances
            .iter()
            .filter(|i| {
                i.module_prefix == prefix && i.rtype == head && i.name == name && i.managed != data
            })
            .collect();
        out.sort_by(|a, b| match (&a.index, &b.index) {
            (Some(Json::Number(x)), Some(Json::Number(y))) => x
                .as_f64()
                .partial_cmp(&y.as_f64())
                .unwrap_or(std::cmp::Ordering::Equal),
            (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
            _ => std::cmp::Ordering::Equal,
        });
        out
    }

    /// Resolves one reference written in a module instance to the values it stands for, and
    /// whether it names a single object (rather than every instance of a counted resource).
    fn resolve_ref(
        &self,
        prefix: &str,
        path: &[String],
        r: &str,
        depth: usize,
    ) -> Option<(Vec<String>, bool)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let parsed = parse_ref(r)?;
        match parsed.head {
            "var" => {
                // A module input: the expression the parent module passes in.
                let (call, parent_path) = path.split_last()?;
                let parent = self.module_config(parent_path)?;
                let expr = parent
                    .get("module_calls")?
                    .get(call)?
                    .get("expressions")?
                    .get(parsed.name)?;
                let parent_prefix = strip_last_module(prefix);
                let (values, single) =
                    self.resolve_expr(parent_prefix, parent_path, expr, None, depth + 1)?;
                match parsed.index.and_then(|i| i.parse::<usize>().ok()) {
                    Some(i) => values.get(i).map(|v| (vec![v.clone()], true)),
                    None => Some((values, single)),
                }
            }
            "module" => {
                let output = parsed.attr?;
                let mut child_path = path.to_vec();
                child_path.push(parsed.name.to_owned());
                let expr = self
                    .module_config(&child_path)?
                    .get("outputs")?
                    .get(output)?
                    .get("expression")?;
                // The module must have one instance to know which one is meant.
                let start = format!("{prefix}module.{}", parsed.name);
                let mut prefixes: Vec<&str> = self
                    .instances
                    .iter()
                    .map(|i| i.module_prefix.as_str())
                    .filter(|p| {
                        p.strip_prefix(start.as_str())
                            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
                    })
                    .map(|p| {
                        // Cut to this module instance: the first ". " after the start.
                        let rest_at = start.len();
                        let end = p
                            .get(rest_at..)
                            .and_then(|rest| rest.find('.'))
                            .map_or(p.len(), |e| rest_at + e + 1);
                        p.get(..end).unwrap_or(p)
                    })
                    .collect();
                prefixes.sort_unstable();
                prefixes.dedup();
                let [child_prefix] = prefixes.as_slice() else {
                    return None;
                };
                self.resolve_expr(child_prefix, &child_path, expr, None, depth + 1)
            }
            "data" => {
                // data.TYPE.NAME...: re-parse past the "data." head.
                let inner = parse_ref(r.strip_prefix("data.")?)?;
                self.resolve_resource(prefix, &inner, true)
            }
            "local" | "each" | "count" | "path" | "terraform" | "self" => None,
            _ => self.resolve_resource(prefix, &parsed, false),
        }
    }

    fn resolve_resource(
        &self,
        prefix: &str,
        r: &Ref<'_>,
        data: bool,
    ) -> Option<(Vec<String>, bool)> {
        let all = self.instances_of(prefix, r.head, r.name, data);
        if all.is_empty() {
            return None;
        }
        if let Some(idx) = r.index {
            let inst = all
                .into_iter()
                .find(|i| i.index.as_ref().map(index_text).as_deref() == Some(idx))?;
            return Some((vec![self.synthetic_value(inst, r.attr)?], true));
        }
        if let [only] = all.as_slice() {
            if only.index.is_none() {
                return Some((vec![self.synthetic_value(only, r.attr)?], true));
            }
        }
        // Every instance: a splat (`aws_subnet.private[*].id`) or a for expression.
        let values: Option<Vec<String>> = all
            .iter()
            .map(|i| self.synthetic_value(i, r.attr))
            .collect();
        Some((values?, false))
    }

    /// Resolves an expression's references. `own_index` is the referencing instance's
    /// `count.index`, for `var.ids[count.index]`.
    fn resolve_expr(
        &self,
        prefix: &str,
        path: &[String],
        expr: &Json,
        own_index: Option<usize>,
        depth: usize,
    ) -> Option<(Vec<String>, bool)> {
        if let Some(c) = expr.get("constant_value") {
            return match c {
                Json::String(s) => Some((vec![s.clone()], true)),
                Json::Array(items) => Some((
                    items
                        .iter()
                        .map(|i| i.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()?,
                    false,
                )),
                _ => None,
            };
        }
        let refs: Vec<String> = expr
            .get("references")?
            .as_array()?
            .iter()
            .filter_map(|r| r.as_str().map(str::to_owned))
            .collect();
        let leaves = leaf_refs(&refs);
        let by_count = leaves.contains(&"count.index");
        let leaves: Vec<&str> = leaves.into_iter().filter(|r| *r != "count.index").collect();
        if leaves.is_empty() {
            return None;
        }
        let mut values = Vec::new();
        let mut single = leaves.len() == 1;
        for leaf in &leaves {
            let (v, s) = self.resolve_ref(prefix, path, leaf, depth)?;
            single &= s;
            values.extend(v);
        }
        if by_count {
            let [_] = leaves.as_slice() else {
                return None;
            };
            let i = own_index?;
            return values.get(i).map(|v| (vec![v.clone()], true));
        }
        Some((values, single))
    }

    /// Replaces unknown leaves whose configuration expression references planned resources by
    /// those resources' synthetic ids.
    fn resolve_references(&mut self) {
        let mut resolved = Vec::with_capacity(self.instances.len());
        for inst in &self.instances {
            let mut values = inst.values.clone();
            if values.first_unknown().is_some() {
                if let Some(cfg) = self.resource_config(inst) {
                    let own = inst
                        .index
                        .as_ref()
                        .and_then(Json::as_u64)
                        .and_then(|i| usize::try_from(i).ok());
                    self.resolve_walk(inst, &mut values, cfg, own);
                }
            }
            resolved.push(values);
        }
        for (inst, values) in self.instances.iter_mut().zip(resolved) {
            inst.values = values;
        }
    }

    fn resolve_walk(&self, inst: &Instance, val: &mut Val, cfg: &Json, own: Option<usize>) {
        let is_expr = cfg.get("references").is_some() || cfg.get("constant_value").is_some();
        if is_expr {
            self.resolve_attribute(inst, val, cfg, own);
            return;
        }
        match val {
            Val::Map(m) => {
                for (k, v) in m.iter_mut() {
                    if v.first_unknown().is_none() {
                        continue;
                    }
                    if let Some(child) = cfg.get(k) {
                        self.resolve_walk(inst, v, child, own);
                    } else if matches!(v, Val::Unknown(_)) && is_settable_block(&inst.rtype, k) {
                        // A computed block the configuration does not set: Terraform manages
                        // none of it (an aws_security_group without inline rules).
                        *v = Val::List(Vec::new());
                    }
                }
            }
            Val::List(items) => {
                let blocks = cfg.as_array();
                let n = blocks.map_or(0, Vec::len);
                for (i, item) in items.iter_mut().enumerate() {
                    let child = blocks.and_then(|b| if n == 1 { b.first() } else { b.get(i) });
                    if let Some(child) = child {
                        self.resolve_walk(inst, item, child, own);
                    }
                }
            }
            Val::Unknown(_) => {
                // A whole block list unknown (a set with unknown members): rebuild it from
                // the configuration's block expressions.
                if let Some(blocks) = cfg.as_array() {
                    let rebuilt: Vec<Val> = blocks
                        .iter()
                        .map(|b| self.eval_block(inst, b, own))
                        .collect();
                    *val = Val::List(rebuilt);
                }
            }
            _ => {}
        }
    }

    fn eval_block(&self, inst: &Instance, block: &Json, own: Option<usize>) -> Val {
        let Some(obj) = block.as_object() else {
            return Val::Null;
        };
        let mut m = BTreeMap::new();
        for (k, e) in obj {
            let v = if e.get("constant_value").is_some() {
                e.get("constant_value").map_or(Val::Null, Val::from_json)
            } else if e.get("references").is_some() {
                let mut v = Val::Unknown(String::new());
                self.resolve_attribute(inst, &mut v, e, own);
                v
            } else if let Some(items) = e.as_array() {
                Val::List(
                    items
                        .iter()
                        .map(|b| self.eval_block(inst, b, own))
                        .collect(),
                )
            } else {
                Val::Unknown(String::new())
            };
            m.insert(k.clone(), v);
        }
        Val::Map(m)
    }

    fn resolve_attribute(&self, inst: &Instance, val: &mut Val, expr: &Json, own: Option<usize>) {
        match val {
            Val::Unknown(_) => {
                if let Some((values, single)) =
                    self.resolve_expr(&inst.module_prefix, &inst.config_path, expr, own, 0)
                {
                    *val = match (single, values.as_slice()) {
                        (true, [only]) => Val::Str(only.clone()),
                        _ => Val::List(values.into_iter().map(Val::Str).collect()),
                    };
                }
            }
            Val::List(items) => {
                let unknown = items
                    .iter()
                    .filter(|i| matches!(i, Val::Unknown(_)))
                    .count();
                if unknown == 0 {
                    return;
                }
                // `[aws_subnet.a.id, aws_subnet.b.id]`: each reference fills one unknown
                // element, in order.
                let Some(refs) = expr.get("references").and_then(Json::as_array) else {
                    return;
                };
                let refs: Vec<String> = refs
                    .iter()
                    .filter_map(|r| r.as_str().map(str::to_owned))
                    .collect();
                let singles: Option<Vec<String>> = leaf_refs(&refs)
                    .into_iter()
                    .map(|r| {
                        self.resolve_ref(&inst.module_prefix, &inst.config_path, r, 0)
                            .and_then(
                                |(v, single)| {
                                    if single {
                                        v.into_iter().next()
                                    } else {
                                        None
                                    }
                                },
                            )
                    })
                    .collect();
                if let Some(singles) = singles.filter(|s| s.len() == unknown) {
                    let mut next = singles.into_iter();
                    for item in items.iter_mut() {
                        if matches!(item, Val::Unknown(_)) {
                            if let Some(v) = next.next() {
                                *item = Val::Str(v);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Computed nested attributes that are empty when the configuration does not set them.
fn is_settable_block(rtype: &str, key: &str) -> bool {
    matches!(
        (rtype, key),
        ("aws_security_group", "ingress" | "egress")
            | ("aws_network_acl", "ingress" | "egress" | "subnet_ids")
            | ("aws_route_table", "route")
            | ("aws_iam_role", "inline_policy" | "managed_policy_arns")
    )
}

fn strip_last_module(prefix: &str) -> &str {
    // "module.a.module.b[0]." -> "module.a."
    let trimmed = prefix.strip_suffix('.').unwrap_or(prefix);
    match trimmed.rfind("module.") {
        Some(0) | None => "",
        Some(i) => prefix.get(..i).unwrap_or(""),
    }
}

fn policy_doc(text: &str) -> Option<PolicyDocument> {
    PolicyDocument::from_text(text).ok()
}

impl Plan<'_> {
    #[allow(clippy::too_many_lines, clippy::many_single_char_names)] // b builder, s synthetic values, v values
    fn build(&self, b: &mut Builder, text: &str, file: &str) -> Result<Vec<IacTarget>, IacError> {
        let az_ids = common::az_ids_by_name(self.base);
        let owner = self.base.account_id.clone();
        let mut targets = Vec::new();
        let mut service_task_definitions = Vec::new();
        for inst in self.instances.iter().filter(|i| i.managed) {
            let s = self.synth_of(inst);
            let addr = inst.address.as_str();
            let v = &inst.values;
            match inst.rtype.as_str() {
                "aws_vpc" => {
                    let cidr = v.field("cidr_block").str().known();
                    let dopt = if matches!(v.field("dhcp_options_id"), Val::Unknown(_)) {
                        b.id(Got::Unknown(String::new()), "dhcp_options_id", addr)
                    } else {
                        v.field("dhcp_options_id").str().known()
                    };
                    b.overlay.vpcs.push(Vpc {
                        vpc_id: s.id.clone(),
                        cidr_block: cidr.clone(),
                        dhcp_options_id: dopt,
                        owner_id: owner.clone(),
                        ..Vpc::default()
                    });
                    // Provider defaults: enable_dns_support true, enable_dns_hostnames false.
                    let support = v.field("enable_dns_support").bool();
                    let hostnames = v.field("enable_dns_hostnames").bool();
                    match (&support, &hostnames) {
                        (Got::Unknown(c), _) | (_, Got::Unknown(c)) => {
                            b.gap(&s.id, "enable_dns_support / enable_dns_hostnames", addr, c);
                        }
                        _ => b.overlay.vpc_attributes.push(VpcAttributes {
                            vpc_id: s.id.clone(),
                            enable_dns_support: Some(AttributeBool {
                                value: Some(support.known().unwrap_or(true)),
                            }),
                            enable_dns_hostnames: Some(AttributeBool {
                                value: Some(hostnames.known().unwrap_or(false)),
                            }),
                        }),
                    }
                    if matches!(v.field("id"), Val::Unknown(_)) {
                        let (sg, acl, rt) = common::new_vpc_defaults(
                            &s.id,
                            cidr.as_deref(),
                            owner.as_deref(),
                            [
                                format!("{addr}.default_security_group_id"),
                                format!("{addr}.default_network_acl_id"),
                                format!("{addr}.main_route_table_id"),
                            ],
                        );
                        b.overlay.security_groups.push(sg);
                        b.overlay.network_acls.push(acl);
                        b.overlay.route_tables.push(rt);
                    }
                }
                "aws_subnet" => {
                    let vpc = b
                        .id(v.field("vpc_id").str(), "vpc_id", addr)
                        .unwrap_or_default();
                    let az = v.field("availability_zone").str().known();
                    let az_id = match v.field("availability_zone_id").str() {
                        Got::Known(id) => Some(id),
                        _ => az.as_ref().and_then(|n| az_ids.get(n).cloned()),
                    };
                    let Some(az_id) = az_id else {
                        // Without the AZ id, no AZ question about this subnet has an answer.
                        b.omit(
                            &s.id,
                            "availability_zone_id",
                            addr,
                            &az.map(|n| {
                                format!("{n} has no subnet in the base state to map it to an AZ id")
                            })
                            .unwrap_or_default(),
                        );
                        continue;
                    };
                    let v6 = v
                        .field("ipv6_cidr_block")
                        .str()
                        .known()
                        .filter(|c| !c.is_empty());
                    b.overlay.subnets.push(Subnet {
                        subnet_id: s.id.clone(),
                        vpc_id: vpc,
                        availability_zone: az,
                        availability_zone_id: Some(az_id),
                        cidr_block: v.field("cidr_block").str().known(),
                        ipv6_cidr_block_association_set: v6
                            .map(|c| {
                                vec![SubnetIpv6CidrAssociation {
                                    ipv6_cidr_block: Some(c),
                                    ipv6_cidr_block_state: None,
                                }]
                            })
                            .unwrap_or_default(),
                        enable_dns64: v.field("enable_dns64").bool().known(),
                        assign_ipv6_address_on_creation: v
                            .field("assign_ipv6_address_on_creation")
                            .bool()
                            .known(),
                        ipv6_native: v.field("ipv6_native").bool().known(),
                        owner_id: owner.clone(),
                    });
                }
                "aws_security_group" => {
                    let mut sg = SecurityGroup {
                        group_id: s.id.clone(),
                        group_name: v.field("name").str().known(),
                        vpc_id: b.id(v.field("vpc_id").str(), "vpc_id", addr),
                        owner_id: owner.clone(),
                        ..SecurityGroup::default()
                    };
                    let mut unknown = None;
                    for (key, egress) in [("ingress", false), ("egress", true)] {
                        match v.field(key).items() {
                            Got::Unknown(c) => unknown = Some((key.to_owned(), c)),
                            Got::Absent => {}
                            Got::Known(rules) => {
                                for (i, rule) in rules.iter().enumerate() {
                                    match tf_sg_block(rule, &s.id) {
                                        Ok(p) if egress => sg.ip_permissions_egress.push(p),
                                        Ok(p) => sg.ip_permissions.push(p),
                                        Err(c) => unknown = Some((format!("{key}[{i}]"), c)),
                                    }
                                }
                            }
                        }
                    }
                    if let Some((attr, cause)) = unknown {
                        b.omit(&s.id, &attr, addr, &cause);
                    } else {
                        b.overlay.security_groups.push(sg);
                    }
                }
                "aws_security_group_rule" => {
                    let Some(group) = b.id(
                        v.field("security_group_id").str(),
                        "security_group_id",
                        addr,
                    ) else {
                        continue;
                    };
                    let egress = v.field("type").str().known().as_deref() == Some("egress");
                    let mut peers = Peers::default();
                    let mut unknown = None;
                    collect_strs(v, "cidr_blocks", &mut peers.cidrs, &mut unknown);
                    collect_strs(v, "ipv6_cidr_blocks", &mut peers.cidrs_v6, &mut unknown);
                    collect_strs(v, "prefix_list_ids", &mut peers.prefix_lists, &mut unknown);
                    match v.field("source_security_group_id").str() {
                        Got::Known(g) if !g.is_empty() => peers.groups.push(g),
                        Got::Unknown(c) => {
                            unknown = Some(("source_security_group_id".to_owned(), c));
                        }
                        _ => {}
                    }
                    if v.field("self").bool().known() == Some(true) {
                        peers.groups.push(group.clone());
                    }
                    if let Some((attr, cause)) = unknown {
                        // The group's rules are incomplete: its verdicts would be guesses.
                        b.omit(&group, &attr, addr, &cause);
                        continue;
                    }
                    let protocol = v
                        .field("protocol")
                        .str()
                        .known()
                        .unwrap_or_else(|| "-1".into());
                    b.overlay.sg_rules.push(SgRule {
                        group_id: group,
                        egress,
                        permission: common::permission(
                            &protocol,
                            v.field("from_port").int().known(),
                            v.field("to_port").int().known(),
                            peers,
                        ),
                    });
                }
                "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => {
                    let Some(group) = b.id(
                        v.field("security_group_id").str(),
                        "security_group_id",
                        addr,
                    ) else {
                        continue;
                    };
                    let mut peers = Peers::default();
                    let mut unknown = None;
                    for (key, into) in [
                        ("cidr_ipv4", &mut peers.cidrs),
                        ("cidr_ipv6", &mut peers.cidrs_v6),
                        ("prefix_list_id", &mut peers.prefix_lists),
                        ("referenced_security_group_id", &mut peers.groups),
                    ] {
                        match v.field(key).str() {
                            Got::Known(x) if !x.is_empty() => into.push(x),
                            Got::Unknown(c) => unknown = Some((key.to_owned(), c)),
                            _ => {}
                        }
                    }
                    if let Some((attr, cause)) = unknown {
                        b.omit(&group, &attr, addr, &cause);
                        continue;
                    }
                    let protocol = v
                        .field("ip_protocol")
                        .str()
                        .known()
                        .unwrap_or_else(|| "-1".into());
                    b.overlay.sg_rules.push(SgRule {
                        group_id: group,
                        egress: inst.rtype.ends_with("egress_rule"),
                        permission: common::permission(
                            &protocol,
                            v.field("from_port").int().known(),
                            v.field("to_port").int().known(),
                            peers,
                        ),
                    });
                }
                "aws_network_acl" => {
                    let mut acl = NetworkAcl {
                        network_acl_id: s.id.clone(),
                        vpc_id: b.id(v.field("vpc_id").str(), "vpc_id", addr),
                        ..NetworkAcl::default()
                    };
                    let mut unknown = None;
                    for (key, egress) in [("ingress", false), ("egress", true)] {
                        match v.field(key).items() {
                            Got::Unknown(c) => unknown = Some((key.to_owned(), c)),
                            Got::Absent => {}
                            Got::Known(rules) => {
                                for r in rules {
                                    acl.entries.push(common::acl_entry(
                                        r.field("rule_no").int().known().unwrap_or(0),
                                        &r.field("protocol")
                                            .str()
                                            .known()
                                            .unwrap_or_else(|| "-1".into()),
                                        &r.field("action")
                                            .str()
                                            .known()
                                            .unwrap_or_else(|| "deny".into()),
                                        egress,
                                        r.field("cidr_block")
                                            .str()
                                            .known()
                                            .filter(|c| !c.is_empty()),
                                        r.field("ipv6_cidr_block")
                                            .str()
                                            .known()
                                            .filter(|c| !c.is_empty()),
                                        r.field("from_port").int().known(),
                                        r.field("to_port").int().known(),
                                    ));
                                }
                            }
                        }
                    }
                    if let Some((attr, cause)) = unknown {
                        b.omit(&s.id, &attr, addr, &cause);
                        continue;
                    }
                    acl.entries.extend(common::implicit_denies());
                    for subnet in b.ids(v.field("subnet_ids").strs(), "subnet_ids", addr) {
                        b.overlay.acl_associations.push((s.id.clone(), subnet));
                    }
                    b.overlay.network_acls.push(acl);
                }
                "aws_network_acl_rule" => {
                    let Some(acl) = b.id(v.field("network_acl_id").str(), "network_acl_id", addr)
                    else {
                        continue;
                    };
                    b.overlay.acl_entries.push((
                        acl,
                        common::acl_entry(
                            v.field("rule_number").int().known().unwrap_or(0),
                            &v.field("protocol")
                                .str()
                                .known()
                                .unwrap_or_else(|| "-1".into()),
                            &v.field("rule_action")
                                .str()
                                .known()
                                .unwrap_or_else(|| "deny".into()),
                            v.field("egress").bool().known().unwrap_or(false),
                            v.field("cidr_block")
                                .str()
                                .known()
                                .filter(|c| !c.is_empty()),
                            v.field("ipv6_cidr_block")
                                .str()
                                .known()
                                .filter(|c| !c.is_empty()),
                            v.field("from_port").int().known(),
                            v.field("to_port").int().known(),
                        ),
                    ));
                }
                "aws_network_acl_association" => {
                    let acl = b.id(v.field("network_acl_id").str(), "network_acl_id", addr);
                    let subnet = b.id(v.field("subnet_id").str(), "subnet_id", addr);
                    if let (Some(acl), Some(subnet)) = (acl, subnet) {
                        b.overlay.acl_associations.push((acl, subnet));
                    }
                }
                "aws_route_table" => {
                    let vpc = b.id(v.field("vpc_id").str(), "vpc_id", addr);
                    let mut rt = RouteTable {
                        route_table_id: s.id.clone(),
                        vpc_id: vpc.clone(),
                        ..RouteTable::default()
                    };
                    let local = vpc.as_deref().and_then(|vpc| {
                        common::base_vpc_cidr(self.base, vpc).or_else(|| {
                            b.overlay
                                .vpcs
                                .iter()
                                .find(|v| v.vpc_id == vpc)
                                .and_then(|v| v.cidr_block.clone())
                        })
                    });
                    if let Some(cidr) = local {
                        rt.routes.push(Route {
                            destination_cidr_block: Some(cidr),
                            gateway_id: Some("local".into()),
                            state: Some("active".into()),
                            origin: Some("CreateRouteTable".into()),
                            ..Route::default()
                        });
                    }
                    match v.field("route").items() {
                        Got::Unknown(c) => {
                            b.omit(&s.id, "route", addr, &c);
                            continue;
                        }
                        Got::Absent => {}
                        Got::Known(routes) => rt.routes.extend(routes.iter().map(tf_route)),
                    }
                    b.overlay.route_tables.push(rt);
                }
                "aws_route" => {
                    if let Some(rt) = b.id(v.field("route_table_id").str(), "route_table_id", addr)
                    {
                        let mut route = tf_route(v);
                        route.destination_cidr_block = v
                            .field("destination_cidr_block")
                            .str()
                            .known()
                            .filter(|c| !c.is_empty());
                        route.destination_ipv6_cidr_block = v
                            .field("destination_ipv6_cidr_block")
                            .str()
                            .known()
                            .filter(|c| !c.is_empty());
                        b.overlay.routes.push((rt, route));
                    }
                }
                "aws_route_table_association" => {
                    let rt = b.id(v.field("route_table_id").str(), "route_table_id", addr);
                    let subnet = v.field("subnet_id").str();
                    if matches!(subnet, Got::Absent) {
                        continue;
                    }
                    let subnet = b.id(subnet, "subnet_id", addr);
                    if let (Some(rt), Some(subnet)) = (rt, subnet) {
                        b.overlay.route_associations.push((rt, subnet));
                    }
                }
                "aws_efs_file_system" => {
                    let zone = v
                        .field("availability_zone_name")
                        .str()
                        .known()
                        .filter(|z| !z.is_empty());
                    let zone_id = v
                        .field("availability_zone_id")
                        .str()
                        .known()
                        .filter(|z| !z.is_empty())
                        .or_else(|| zone.as_ref().and_then(|z| az_ids.get(z).cloned()));
                    if zone.is_some() && zone_id.is_none() {
                        b.gap(&s.id, "availability_zone_id", addr, "");
                    }
                    let protection = v
                        .at(&["protection", "replication_overwrite"])
                        .str()
                        .known()
                        // New file systems are writeable: overwrite protection ENABLED.
                        .unwrap_or_else(|| "ENABLED".to_owned());
                    b.overlay.file_systems.push(FileSystem {
                        file_system_id: s.id.clone(),
                        file_system_arn: Some(s.arn.clone()),
                        owner_id: owner.clone(),
                        // Terraform waits until the file system is available.
                        life_cycle_state: Some("available".into()),
                        name: v.at(&["tags", "Name"]).str().known(),
                        number_of_mount_targets: None,
                        availability_zone_name: zone,
                        availability_zone_id: zone_id,
                        encrypted: v.field("encrypted").bool().known(),
                        // Unset, `kms_key_id` is computed: EFS uses the AWS managed key for
                        // EFS. A reference to a planned key holds that key's id by now.
                        kms_key_id: Some(
                            v.field("kms_key_id")
                                .str()
                                .known()
                                .unwrap_or_else(|| common::AWS_MANAGED_EFS_KEY.to_owned()),
                        ),
                        file_system_protection: Some(FileSystemProtection {
                            replication_overwrite_protection: Some(protection),
                        }),
                    });
                }
                "aws_efs_mount_target" => {
                    let fs = b
                        .id(v.field("file_system_id").str(), "file_system_id", addr)
                        .unwrap_or_default();
                    let subnet = b
                        .id(v.field("subnet_id").str(), "subnet_id", addr)
                        .unwrap_or_default();
                    let groups = match v.field("security_groups").strs() {
                        Got::Known(items) if !items.is_empty() => {
                            Some(b.ids(Got::Known(items), "security_groups", addr))
                        }
                        _ if self.has_config(inst, "security_groups") => {
                            Some(b.ids(v.field("security_groups").strs(), "security_groups", addr))
                        }
                        _ => {
                            b.overlay.default_sg_mount_targets.push(s.id.clone());
                            None
                        }
                    };
                    b.overlay.mount_targets.push(MountTarget {
                        mount_target_id: s.id.clone(),
                        file_system_id: fs,
                        subnet_id: subnet,
                        life_cycle_state: Some("available".into()),
                        ip_address: v
                            .field("ip_address")
                            .str()
                            .known()
                            .filter(|i| !i.is_empty()),
                        owner_id: owner.clone(),
                        security_groups: groups,
                        ..MountTarget::default()
                    });
                }
                "aws_efs_access_point" => {
                    let fs = b
                        .id(v.field("file_system_id").str(), "file_system_id", addr)
                        .unwrap_or_default();
                    let posix = v.field("posix_user");
                    let root = v.field("root_directory");
                    let creation = root.field("creation_info");
                    b.overlay.access_points.push(AccessPoint {
                        access_point_id: s.id.clone(),
                        access_point_arn: Some(s.arn.clone()),
                        file_system_id: fs,
                        life_cycle_state: Some("available".into()),
                        name: v.at(&["tags", "Name"]).str().known(),
                        posix_user: match (posix.field("uid").int(), posix.field("gid").int()) {
                            (Got::Known(uid), Got::Known(gid)) => Some(PosixUser {
                                uid,
                                gid,
                                secondary_gids: int_list(&posix.field("secondary_gids")),
                            }),
                            _ => None,
                        },
                        root_directory: if matches!(root, Val::Null)
                            || root.items().known().is_some_and(|i| i.is_empty())
                        {
                            None
                        } else {
                            Some(RootDirectory {
                                path: root.field("path").str().known(),
                                creation_info: match (
                                    creation.field("owner_uid").int(),
                                    creation.field("owner_gid").int(),
                                    creation.field("permissions").str(),
                                ) {
                                    (Got::Known(u), Got::Known(g), Got::Known(p)) => {
                                        Some(CreationInfo {
                                            owner_uid: u,
                                            owner_gid: g,
                                            permissions: p,
                                        })
                                    }
                                    _ => None,
                                },
                            })
                        },
                        owner_id: owner.clone(),
                    });
                }
                "aws_efs_file_system_policy" => {
                    let Some(fs) = b.id(v.field("file_system_id").str(), "file_system_id", addr)
                    else {
                        continue;
                    };
                    match v.field("policy").str() {
                        Got::Known(p) => match policy_doc(&p) {
                            Some(policy) => b.overlay.file_system_policies.push(FileSystemPolicy {
                                file_system_id: fs,
                                policy,
                            }),
                            None => {
                                return Err(bad_value(
                                    text,
                                    file,
                                    addr,
                                    "policy",
                                    "is not a JSON policy document",
                                ))
                            }
                        },
                        Got::Unknown(c) => {
                            b.gap(&format!("policy:{fs}"), "policy", addr, &c);
                            b.overlay.removed.push(format!("policy:{fs}"));
                        }
                        Got::Absent => {}
                    }
                }
                "aws_ecs_task_definition" => {
                    let td = self.task_definition(b, inst, &s, text, file)?;
                    b.overlay.task_definitions.push(td);
                }
                "aws_ecs_service" => {
                    let svc = self.service(b, inst);
                    if let Some(td) = &svc.task_definition {
                        service_task_definitions.push(td.clone());
                    }
                    targets.push(IacTarget {
                        kind: IacTargetKind::Service {
                            name: svc.service_name.clone(),
                            cluster: crate::target::service_cluster(&svc),
                        },
                        address: addr.to_owned(),
                        task_definition_address: svc
                            .task_definition
                            .as_deref()
                            .and_then(|td| self.address_of_synthetic(td)),
                        service_address: Some(addr.to_owned()),
                        service_exists: svc.service_arn.is_some(),
                    });
                    b.overlay.services.push(svc);
                }
                "aws_iam_role" => {
                    if let Some(role) = Self::role(b, inst, &s, text, file)? {
                        b.overlay.roles.push(role);
                    }
                }
                "aws_iam_role_policy" => {
                    let Some(role) = b.id(v.field("role").str(), "role", addr) else {
                        continue;
                    };
                    let name = v
                        .field("name")
                        .str()
                        .known()
                        .unwrap_or_else(|| addr.to_owned());
                    match v.field("policy").str() {
                        Got::Known(p) => match policy_doc(&p) {
                            Some(doc) => b.overlay.role_inline_policies.push((
                                role,
                                InlinePolicy {
                                    policy_name: name,
                                    policy_document: doc,
                                },
                            )),
                            None => {
                                return Err(bad_value(
                                    text,
                                    file,
                                    addr,
                                    "policy",
                                    "is not a JSON policy document",
                                ))
                            }
                        },
                        Got::Unknown(c) => {
                            let arn = self.role_arn_by_name(&role);
                            b.omit(&arn, "policy", addr, &c);
                        }
                        Got::Absent => {}
                    }
                }
                "aws_iam_role_policy_attachment" => {
                    let role = b.id(v.field("role").str(), "role", addr);
                    let arn = b.id(v.field("policy_arn").str(), "policy_arn", addr);
                    if let (Some(role), Some(arn)) = (role, arn) {
                        b.overlay.role_attachments.push((
                            role,
                            AttachedPolicy {
                                policy_name: arn.rsplit('/').next().map(str::to_owned),
                                policy_arn: arn,
                            },
                        ));
                    }
                }
                "aws_iam_policy" => match v.field("policy").str() {
                    Got::Known(p) => match policy_doc(&p) {
                        Some(doc) => b.overlay.policies.push(ManagedPolicyDetail {
                            policy_name: Some(s.name.clone()),
                            arn: s.arn.clone(),
                            default_version_id: Some("v1".into()),
                            policy_version_list: vec![PolicyVersion {
                                document: Some(doc),
                                version_id: Some("v1".into()),
                                is_default_version: true,
                            }],
                        }),
                        None => {
                            return Err(bad_value(
                                text,
                                file,
                                addr,
                                "policy",
                                "is not a JSON policy document",
                            ))
                        }
                    },
                    Got::Unknown(c) => b.omit(&s.arn, "policy", addr, &c),
                    Got::Absent => {}
                },
                _ => {}
            }
        }
        // Task definitions no service of the plan runs are checked on their own.
        for inst in self
            .instances
            .iter()
            .filter(|i| i.managed && i.rtype == "aws_ecs_task_definition")
        {
            let s = self.synth_of(inst);
            let family = inst.str(&["family"]).known().unwrap_or_default();
            let used = service_task_definitions
                .iter()
                .any(|r| *r == s.arn || *r == s.id || (!family.is_empty() && *r == family));
            if !used {
                targets.push(IacTarget {
                    kind: IacTargetKind::TaskDefinition {
                        reference: s.arn.clone(),
                    },
                    address: inst.address.clone(),
                    task_definition_address: Some(inst.address.clone()),
                    service_address: None,
                    service_exists: false,
                });
            }
        }
        Ok(targets)
    }

    fn has_config(&self, inst: &Instance, key: &str) -> bool {
        self.resource_config(inst)
            .is_some_and(|c| c.get(key).is_some())
    }

    fn address_of_synthetic(&self, id: &str) -> Option<String> {
        self.synth
            .iter()
            .find(|(_, s)| s.arn == id || s.id == id)
            .map(|(a, _)| a.clone())
    }

    fn role_arn_by_name(&self, name: &str) -> String {
        self.instances
            .iter()
            .filter(|i| i.rtype == "aws_iam_role")
            .filter_map(|i| self.synth.get(&i.address))
            .find(|s| s.name == name || s.arn == name)
            .map(|s| s.arn.clone())
            .or_else(|| {
                self.base
                    .iam
                    .roles
                    .iter()
                    .flatten()
                    .find(|r| r.role_name == name || r.arn == name)
                    .map(|r| r.arn.clone())
            })
            .unwrap_or_else(|| name.to_owned())
    }

    fn task_definition(
        &self,
        b: &mut Builder,
        inst: &Instance,
        s: &Synth,
        text: &str,
        file: &str,
    ) -> Result<TaskDefinition, IacError> {
        let v = &inst.values;
        let addr = inst.address.as_str();
        let family = v
            .field("family")
            .str()
            .known()
            .unwrap_or_else(|| addr.to_owned());
        let containers = match v.field("container_definitions").str() {
            Got::Known(json) => {
                serde_json::from_str::<Vec<ContainerDefinition>>(&json).map_err(|e| {
                    bad_value(
                        text,
                        file,
                        addr,
                        "container_definitions",
                        &format!("is not a JSON list of container definitions: {e}"),
                    )
                })?
            }
            Got::Unknown(c) => {
                // Mount points are unknown: ECS008 and the read-write checks see no containers.
                b.gap(&s.id, "container_definitions", addr, &c);
                Vec::new()
            }
            Got::Absent => Vec::new(),
        };
        let mut volumes = Vec::new();
        for (i, vol) in v
            .field("volume")
            .items()
            .known()
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let name = vol.field("name").str().known().unwrap_or_default();
            let efs = vol.field("efs_volume_configuration");
            let efs_cfg = match efs.items() {
                Got::Known(items) if !items.is_empty() => {
                    let at = |k: &str| format!("volume[{i}].efs_volume_configuration.{k}");
                    let auth = efs.field("authorization_config");
                    Some(EfsVolumeConfiguration {
                        file_system_id: b
                            .id(
                                efs.field("file_system_id").str(),
                                &at("file_system_id"),
                                addr,
                            )
                            .unwrap_or_default(),
                        root_directory: efs.field("root_directory").str().known(),
                        transit_encryption: efs.field("transit_encryption").str().known(),
                        transit_encryption_port: efs
                            .field("transit_encryption_port")
                            .int()
                            .known()
                            .filter(|p| *p != 0),
                        authorization_config: if matches!(auth, Val::Null)
                            || auth.items().known().is_some_and(|a| a.is_empty())
                        {
                            None
                        } else {
                            Some(EfsAuthorizationConfig {
                                access_point_id: b.id(
                                    auth.field("access_point_id").str(),
                                    &at("authorization_config.access_point_id"),
                                    addr,
                                ),
                                iam: auth.field("iam").str().known(),
                            })
                        },
                    })
                }
                _ => None,
            };
            volumes.push(Volume {
                name,
                efs_volume_configuration: efs_cfg,
            });
        }
        let revision = v
            .field("revision")
            .int()
            .known()
            .unwrap_or_else(|| common::base_max_revision(self.base, &family) + 1);
        Ok(TaskDefinition {
            wrapped: None,
            task_definition_arn: Some(s.arn.clone()),
            family,
            revision: Some(revision),
            task_role_arn: b.id(v.field("task_role_arn").str(), "task_role_arn", addr),
            execution_role_arn: b.id(
                v.field("execution_role_arn").str(),
                "execution_role_arn",
                addr,
            ),
            network_mode: v.field("network_mode").str().known(),
            requires_compatibilities: v
                .field("requires_compatibilities")
                .strs()
                .known()
                .unwrap_or_default()
                .into_iter()
                .filter_map(Got::known)
                .collect(),
            runtime_platform: {
                let rp = v.field("runtime_platform");
                let os = rp.field("operating_system_family").str().known();
                let cpu = rp.field("cpu_architecture").str().known();
                (os.is_some() || cpu.is_some()).then_some(RuntimePlatform {
                    operating_system_family: os,
                    cpu_architecture: cpu,
                })
            },
            volumes,
            container_definitions: containers,
            status: Some("ACTIVE".into()),
        })
    }

    fn service(&self, b: &mut Builder, inst: &Instance) -> Service {
        let v = &inst.values;
        let addr = inst.address.as_str();
        let name = v
            .field("name")
            .str()
            .known()
            .unwrap_or_else(|| addr.to_owned());
        let cluster = b.id(v.field("cluster").str(), "cluster", addr);
        let platform_version = match v.field("platform_version").str() {
            Got::Known(p) if !p.is_empty() => Some(p),
            Got::Unknown(c) if self.has_config(inst, "platform_version") => {
                b.gap(addr, "platform_version", addr, &c);
                None
            }
            // Not set: ECS uses LATEST.
            _ => None,
        };
        let net = v.field("network_configuration");
        let network_configuration = match net.items() {
            Got::Known(items) if !items.is_empty() => Some(NetworkConfiguration {
                awsvpc_configuration: Some(AwsVpcConfiguration {
                    subnets: b.ids(
                        net.field("subnets").strs(),
                        "network_configuration.subnets",
                        addr,
                    ),
                    security_groups: b.ids(
                        net.field("security_groups").strs(),
                        "network_configuration.security_groups",
                        addr,
                    ),
                    assign_public_ip: net
                        .field("assign_public_ip")
                        .bool()
                        .known()
                        .map(|p| if p { "ENABLED" } else { "DISABLED" }.to_owned()),
                }),
            }),
            _ => None,
        };
        Service {
            service_arn: v
                .field("id")
                .str()
                .known()
                .filter(|id| id.starts_with("arn:")),
            service_name: name,
            cluster_arn: cluster,
            task_definition: b.id(v.field("task_definition").str(), "task_definition", addr),
            launch_type: v
                .field("launch_type")
                .str()
                .known()
                .filter(|l| !l.is_empty()),
            capacity_provider_strategy: v
                .field("capacity_provider_strategy")
                .items()
                .known()
                .unwrap_or_default()
                .iter()
                .filter_map(|c| {
                    Some(CapacityProviderStrategyItem {
                        capacity_provider: c.field("capacity_provider").str().known()?,
                        weight: c.field("weight").int().known(),
                        base: c.field("base").int().known(),
                    })
                })
                .collect(),
            platform_version,
            network_configuration,
            status: Some("ACTIVE".into()),
            ..Service::default()
        }
    }

    fn role(
        b: &mut Builder,
        inst: &Instance,
        s: &Synth,
        text: &str,
        file: &str,
    ) -> Result<Option<RoleDetail>, IacError> {
        let v = &inst.values;
        let addr = inst.address.as_str();
        let doc = |b: &mut Builder,
                   key: &str,
                   got: Got<String>|
         -> Result<Option<PolicyDocument>, IacError> {
            match got {
                Got::Known(p) => policy_doc(&p).map(Some).ok_or_else(|| {
                    bad_value(text, file, addr, key, "is not a JSON policy document")
                }),
                Got::Unknown(c) => {
                    b.gap(&s.arn, key, addr, &c);
                    Ok(None)
                }
                Got::Absent => Ok(None),
            }
        };
        let trust = doc(b, "assume_role_policy", v.field("assume_role_policy").str())?;
        let mut inline = Vec::new();
        match v.field("inline_policy").items() {
            Got::Unknown(c) => {
                b.omit(&s.arn, "inline_policy", addr, &c);
                return Ok(None);
            }
            Got::Absent => {}
            Got::Known(items) => {
                for p in items {
                    let name = p.field("name").str().known().unwrap_or_default();
                    match p.field("policy").str() {
                        Got::Known(text_) if !text_.is_empty() => match policy_doc(&text_) {
                            Some(d) => inline.push(InlinePolicy {
                                policy_name: name,
                                policy_document: d,
                            }),
                            None => {
                                return Err(bad_value(
                                    text,
                                    file,
                                    addr,
                                    "inline_policy.policy",
                                    "is not a JSON policy document",
                                ))
                            }
                        },
                        Got::Unknown(c) => {
                            b.omit(&s.arn, "inline_policy.policy", addr, &c);
                            return Ok(None);
                        }
                        _ => {}
                    }
                }
            }
        }
        let mut attached = Vec::new();
        match v.field("managed_policy_arns").strs() {
            Got::Unknown(c) => {
                b.omit(&s.arn, "managed_policy_arns", addr, &c);
                return Ok(None);
            }
            Got::Absent => {}
            Got::Known(items) => {
                for item in items {
                    match item {
                        Got::Known(arn) => attached.push(AttachedPolicy {
                            policy_name: arn.rsplit('/').next().map(str::to_owned),
                            policy_arn: arn,
                        }),
                        Got::Unknown(c) => {
                            b.omit(&s.arn, "managed_policy_arns", addr, &c);
                            return Ok(None);
                        }
                        Got::Absent => {}
                    }
                }
            }
        }
        Ok(Some(RoleDetail {
            path: v.field("path").str().known(),
            role_name: s.name.clone(),
            role_id: v.field("unique_id").str().known(),
            arn: s.arn.clone(),
            assume_role_policy_document: trust,
            role_policy_list: inline,
            attached_managed_policies: attached,
            permissions_boundary: v
                .field("permissions_boundary")
                .str()
                .known()
                .filter(|p| !p.is_empty())
                .map(|arn| PermissionsBoundary {
                    permissions_boundary_type: Some("Policy".into()),
                    permissions_boundary_arn: arn,
                }),
        }))
    }
}

fn collect_strs(
    v: &Val,
    key: &str,
    into: &mut Vec<String>,
    unknown: &mut Option<(String, String)>,
) {
    match v.field(key).strs() {
        Got::Known(items) => {
            for (i, item) in items.into_iter().enumerate() {
                match item {
                    Got::Known(s) if !s.is_empty() => into.push(s),
                    Got::Unknown(c) => *unknown = Some((format!("{key}[{i}]"), c)),
                    _ => {}
                }
            }
        }
        Got::Unknown(c) => *unknown = Some((key.to_owned(), c)),
        Got::Absent => {}
    }
}

fn int_list(v: &Val) -> Vec<i64> {
    v.items()
        .known()
        .unwrap_or_default()
        .iter()
        .filter_map(|i| i.int().known())
        .collect()
}

/// One inline `ingress` / `egress` block of an `aws_security_group`.
fn tf_sg_block(rule: &Val, own_id: &str) -> Result<crate::snapshot::IpPermission, String> {
    let mut peers = Peers::default();
    let mut unknown = None;
    collect_strs(rule, "cidr_blocks", &mut peers.cidrs, &mut unknown);
    collect_strs(rule, "ipv6_cidr_blocks", &mut peers.cidrs_v6, &mut unknown);
    collect_strs(
        rule,
        "prefix_list_ids",
        &mut peers.prefix_lists,
        &mut unknown,
    );
    collect_strs(rule, "security_groups", &mut peers.groups, &mut unknown);
    if let Some((_, cause)) = unknown {
        return Err(cause);
    }
    if rule.field("self").bool().known() == Some(true) {
        peers.groups.push(own_id.to_owned());
    }
    let protocol = rule
        .field("protocol")
        .str()
        .known()
        .unwrap_or_else(|| "-1".into());
    Ok(common::permission(
        &protocol,
        rule.field("from_port").int().known(),
        rule.field("to_port").int().known(),
        peers,
    ))
}

fn tf_route(r: &Val) -> Route {
    let s = |k: &str| r.field(k).str().known().filter(|x| !x.is_empty());
    Route {
        destination_cidr_block: s("cidr_block"),
        destination_ipv6_cidr_block: s("ipv6_cidr_block"),
        destination_prefix_list_id: s("destination_prefix_list_id"),
        gateway_id: s("gateway_id"),
        nat_gateway_id: s("nat_gateway_id"),
        transit_gateway_id: s("transit_gateway_id"),
        network_interface_id: s("network_interface_id"),
        vpc_peering_connection_id: s("vpc_peering_connection_id"),
        vpc_endpoint_id: s("vpc_endpoint_id"),
        local_gateway_id: s("local_gateway_id"),
        carrier_gateway_id: s("carrier_gateway_id"),
        core_network_arn: s("core_network_arn"),
        egress_only_internet_gateway_id: s("egress_only_gateway_id"),
        state: Some("active".into()),
        origin: Some("CreateRoute".into()),
        ..Route::default()
    }
}

fn bad_value(text: &str, file: &str, address: &str, attr: &str, what: &str) -> IacError {
    let (line, column) = locate(text, &format!("\"address\": \"{address}\""));
    IacError::Invalid {
        path: file.to_owned(),
        line,
        column,
        message: format!("`{attr}` of {address} {what}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_parsed() {
        assert_eq!(
            parse_ref("aws_subnet.private[0].id"),
            Some(Ref {
                head: "aws_subnet",
                name: "private",
                index: Some("0"),
                attr: Some("id")
            })
        );
        assert_eq!(
            parse_ref("aws_subnet.a"),
            Some(Ref {
                head: "aws_subnet",
                name: "a",
                index: None,
                attr: None
            })
        );
        assert_eq!(
            parse_ref("module.net.ids").and_then(|r| r.attr),
            Some("ids")
        );
        assert_eq!(
            parse_ref("aws_subnet.p[\"a\"].id").and_then(|r| r.index),
            Some("\"a\"")
        );
    }

    #[test]
    fn implied_prefixes_are_dropped() {
        let refs: Vec<String> = [
            "aws_subnet.a.id",
            "aws_subnet.a",
            "aws_subnet.b[0].id",
            "aws_subnet.b[0]",
            "aws_subnet.b",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        assert_eq!(
            leaf_refs(&refs),
            vec!["aws_subnet.a.id", "aws_subnet.b[0].id"]
        );
    }

    #[test]
    fn unknown_leaves_merge_into_the_value() {
        let v = merge_unknown(
            &serde_json::json!({"subnets": [null, "subnet-1"], "name": "x"}),
            &serde_json::json!({"subnets": [true], "id": true}),
        );
        assert_eq!(
            v.field("subnets"),
            Val::List(vec![
                Val::Unknown(String::new()),
                Val::Str("subnet-1".into())
            ])
        );
        assert_eq!(v.field("id"), Val::Unknown(String::new()));
        assert_eq!(v.field("name"), Val::Str("x".into()));
    }

    #[test]
    fn module_prefixes_strip() {
        assert_eq!(strip_last_module("module.a.module.b[0]."), "module.a.");
        assert_eq!(strip_last_module("module.a."), "");
    }
}
