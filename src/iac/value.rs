//! The value tree both front ends produce: JSON-like values whose leaves may be *unknown*.
//!
//! A Terraform plan marks values that exist only after apply (`after_unknown`); a CloudFormation
//! template holds values that cannot be computed before deployment (`Fn::ImportValue`, a
//! parameter without a value, a condition that cannot be decided). Both become
//! [`Val::Unknown`] with the cause, so the converters read one shape and never guess.
//!
//! Depends on serde_json only.

use std::collections::BTreeMap;

/// A resolved value, possibly with unknown leaves.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// `null`, or absent.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(serde_json::Number),
    /// A string.
    Str(String),
    /// A list (Terraform lists, sets and tuples; CloudFormation lists).
    List(Vec<Val>),
    /// An object (Terraform objects and maps; CloudFormation mappings).
    Map(BTreeMap<String, Val>),
    /// A value that cannot be known before deployment; the text says why (empty for
    /// Terraform's plain "known after apply").
    Unknown(String),
}

/// What a typed read found.
#[derive(Debug, Clone, PartialEq)]
pub enum Got<T> {
    /// The value.
    Known(T),
    /// Not set (absent or null).
    Absent,
    /// Not known before deployment; the cause.
    Unknown(String),
}

impl<T> Got<T> {
    /// The known value, if any.
    pub fn known(self) -> Option<T> {
        match self {
            Got::Known(v) => Some(v),
            Got::Absent | Got::Unknown(_) => None,
        }
    }

    /// Maps the known value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Got<U> {
        match self {
            Got::Known(v) => Got::Known(f(v)),
            Got::Absent => Got::Absent,
            Got::Unknown(c) => Got::Unknown(c),
        }
    }
}

impl Val {
    /// Converts plain JSON (no unknowns).
    pub fn from_json(v: &serde_json::Value) -> Val {
        match v {
            serde_json::Value::Null => Val::Null,
            serde_json::Value::Bool(b) => Val::Bool(*b),
            serde_json::Value::Number(n) => Val::Num(n.clone()),
            serde_json::Value::String(s) => Val::Str(s.clone()),
            serde_json::Value::Array(a) => Val::List(a.iter().map(Val::from_json).collect()),
            serde_json::Value::Object(o) => Val::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Val::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Converts back to JSON; `None` when an unknown leaf is inside (its cause is returned).
    pub fn to_json(&self) -> Result<serde_json::Value, String> {
        Ok(match self {
            Val::Null => serde_json::Value::Null,
            Val::Bool(b) => serde_json::Value::Bool(*b),
            Val::Num(n) => serde_json::Value::Number(n.clone()),
            Val::Str(s) => serde_json::Value::String(s.clone()),
            Val::List(items) => {
                serde_json::Value::Array(items.iter().map(Val::to_json).collect::<Result<_, _>>()?)
            }
            Val::Map(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| v.to_json().map(|v| (k.clone(), v)))
                    .collect::<Result<_, _>>()?,
            ),
            Val::Unknown(cause) => return Err(cause.clone()),
        })
    }

    /// The first unknown leaf's cause, if any.
    pub fn first_unknown(&self) -> Option<&str> {
        match self {
            Val::Unknown(c) => Some(c),
            Val::List(items) => items.iter().find_map(Val::first_unknown),
            Val::Map(m) => m.values().find_map(Val::first_unknown),
            _ => None,
        }
    }

    /// A field of an object. Terraform nested blocks are lists of objects: a list of one
    /// object is looked through, so `field("network_configuration")` then `field("subnets")`
    /// reads both shapes. An unknown value yields an unknown field with the same cause.
    #[must_use]
    pub fn field(&self, key: &str) -> Val {
        match self {
            Val::Map(m) => m.get(key).cloned().unwrap_or(Val::Null),
            Val::List(items) if items.len() == 1 => {
                items.first().map_or(Val::Null, |only| only.field(key))
            }
            Val::Unknown(c) => Val::Unknown(c.clone()),
            _ => Val::Null,
        }
    }

    /// Follows a path of fields.
    #[must_use]
    pub fn at(&self, path: &[&str]) -> Val {
        let mut cur = self.clone();
        for key in path {
            cur = cur.field(key);
        }
        cur
    }

    /// The elements of a list (a nested block list, or a list attribute); absent is empty.
    pub fn items(&self) -> Got<Vec<Val>> {
        match self {
            Val::Null => Got::Absent,
            Val::List(items) => Got::Known(items.clone()),
            Val::Unknown(c) => Got::Unknown(c.clone()),
            // A single object where a list of blocks is expected (CloudFormation writes a
            // single block as an object; Terraform as a list of one).
            other => Got::Known(vec![other.clone()]),
        }
    }

    /// A string (numbers and booleans are rendered, as CloudFormation does for string
    /// properties; a list of one string is looked through).
    pub fn str(&self) -> Got<String> {
        match self {
            Val::Str(s) => Got::Known(s.clone()),
            Val::Num(n) => Got::Known(n.to_string()),
            Val::Bool(b) => Got::Known(b.to_string()),
            Val::Unknown(c) => Got::Unknown(c.clone()),
            Val::List(items) if items.len() == 1 => items.first().map_or(Got::Absent, Val::str),
            Val::Null | Val::List(_) | Val::Map(_) => Got::Absent,
        }
    }

    /// An integer (CloudFormation often writes numbers as strings).
    pub fn int(&self) -> Got<i64> {
        match self {
            Val::Num(n) => n
                .as_i64()
                .or_else(|| {
                    #[allow(clippy::cast_possible_truncation)]
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                        .map(|f| f as i64)
                })
                .map_or(Got::Absent, Got::Known),
            Val::Str(s) => s.trim().parse().map_or(Got::Absent, Got::Known),
            Val::Unknown(c) => Got::Unknown(c.clone()),
            _ => Got::Absent,
        }
    }

    /// A boolean (`"true"` / `"false"` strings included).
    pub fn bool(&self) -> Got<bool> {
        match self {
            Val::Bool(b) => Got::Known(*b),
            Val::Str(s) if s.eq_ignore_ascii_case("true") => Got::Known(true),
            Val::Str(s) if s.eq_ignore_ascii_case("false") => Got::Known(false),
            Val::Unknown(c) => Got::Unknown(c.clone()),
            _ => Got::Absent,
        }
    }

    /// A list of strings; elements are read with [`Val::str`], a lone string is a list of one.
    /// Each element keeps its own unknown cause.
    pub fn strs(&self) -> Got<Vec<Got<String>>> {
        match self {
            Val::Str(s) => Got::Known(vec![Got::Known(s.clone())]),
            Val::List(items) => Got::Known(items.iter().map(Val::str).collect()),
            Val::Unknown(c) => Got::Unknown(c.clone()),
            _ => Got::Absent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_looked_through_and_unknowns_propagate() {
        let v = Val::from_json(&serde_json::json!({
            "network_configuration": [{"subnets": ["subnet-1"], "assign_public_ip": false}]
        }));
        assert_eq!(
            v.at(&["network_configuration", "subnets"]).strs(),
            Got::Known(vec![Got::Known("subnet-1".to_owned())])
        );
        let u = Val::Unknown("why".into());
        assert_eq!(u.at(&["a", "b"]).str(), Got::Unknown("why".into()));
        assert_eq!(Val::Null.field("x"), Val::Null);
    }

    #[test]
    fn scalars_are_lenient_like_cloudformation() {
        assert_eq!(Val::Str("2049".into()).int(), Got::Known(2049));
        assert_eq!(Val::Str("True".into()).bool(), Got::Known(true));
        assert_eq!(
            Val::Num(serde_json::Number::from(5)).str(),
            Got::Known("5".into())
        );
        assert_eq!(Val::Str("x".into()).int(), Got::Absent);
    }

    #[test]
    fn to_json_reports_the_unknown_cause() {
        let v = Val::List(vec![Val::Str("a".into()), Val::Unknown("later".into())]);
        assert_eq!(v.to_json(), Err("later".to_owned()));
        assert_eq!(v.first_unknown(), Some("later"));
    }
}
