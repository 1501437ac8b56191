//! Reference evaluation: the synthetic id, ARN and name every planned resource gets, and the
//! `configuration` expressions that turn an unknown id into the synthetic id of the resource
//! it references (`aws_subnet.private[0].id`, `aws_subnet.private[*].id`, a module output or
//! input variable that carries one). Anything else stays unknown.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::{Instance, Plan, Synth};
use crate::iac::value::Val;

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
    pub(super) fn synthesize(&mut self) {
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
                // Records name a zone by `zone_id`, which is also its `id`.
                "aws_route53_zone" => {
                    let id = known("zone_id")
                        .or_else(|| known("id"))
                        .unwrap_or_else(|| inst.address.clone());
                    let arn = known("arn").unwrap_or_else(|| id.clone());
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

    pub(super) fn synth_of(&self, inst: &Instance) -> Synth {
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
            Some("key_id")
                if inst.rtype == "aws_kms_key" || inst.rtype == "aws_kms_external_key" =>
            {
                Some(s.id.clone())
            }
            Some("zone_id") if inst.rtype == "aws_route53_zone" => Some(s.id.clone()),
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
    pub(super) fn resolve_references(&mut self) {
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

impl Plan<'_> {
    pub(super) fn has_config(&self, inst: &Instance, key: &str) -> bool {
        self.resource_config(inst)
            .is_some_and(|c| c.get(key).is_some())
    }

    pub(super) fn address_of_synthetic(&self, id: &str) -> Option<String> {
        self.synth
            .iter()
            .find(|(_, s)| s.arn == id || s.id == id)
            .map(|(a, _)| a.clone())
    }

    pub(super) fn role_arn_by_name(&self, name: &str) -> String {
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
    fn module_prefixes_strip() {
        assert_eq!(strip_last_module("module.a.module.b[0]."), "module.a.");
        assert_eq!(strip_last_module("module.a."), "");
    }
}
