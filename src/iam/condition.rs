//! Condition evaluation with AWS's documented semantics, in three-valued logic.
//!
//! - Several operators, and several keys under one operator, must all hold (AND); several
//!   values for one key: any may match (OR); for a negated operator (`StringNotEquals`,
//!   `ArnNotLike`, `NotIpAddress` ...) the context value must match none of them (NOR)
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html>).
//! - A key missing from the request: plain operators are false, negated operators true,
//!   `...IfExists` true, `Null: true` true, `ForAllValues:` true, `ForAnyValue:` false
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>,
//!   <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>).
//! - Keys compare case-insensitively; `String*` and `Arn*` values case-sensitively unless the
//!   operator says `IgnoreCase`; `Bool` case-insensitively.
//! - A key whose value is not knowable offline makes the condition unknown; so does a policy
//!   variable (`${aws:username}`) in a value, and an operator this module does not know.

use std::net::IpAddr;

use ipnet::IpNet;

use super::context::{RequestContext, View};
use super::pattern::{arn_match, arn_match_prefix, glob, glob_prefix, PrefixMatch};
use super::policy::Condition;
use super::tri::Tri;

/// Whether every condition of a statement holds in the request context.
pub fn all_hold(conditions: &[Condition], ctx: &RequestContext) -> Tri {
    Tri::all(conditions.iter().map(|c| holds(c, ctx)))
}

/// Whether one condition holds.
pub fn holds(condition: &Condition, ctx: &RequestContext) -> Tri {
    let Some(op) = Operator::parse(&condition.operator) else {
        return Tri::unknown(format!(
            "uses the condition operator {}, which is not supported",
            condition.operator
        ));
    };
    let key = &condition.key;
    let value = match ctx.view(key) {
        View::Values([]) => View::Absent,
        v => v,
    };
    if op.base == Base::Null {
        return null_check(condition, &value);
    }
    match value {
        View::Unknown(why) => Tri::unknown(format!(
            "has a {} condition on {key}, and {why}",
            condition.operator
        )),
        View::Absent => {
            let result = op.if_exists
                || match op.set {
                    Some(SetOp::ForAllValues) => true,
                    Some(SetOp::ForAnyValue) => false,
                    None => op.negated,
                };
            Tri::from_bool(result)
        }
        View::Values(vs) => op.over(condition, vs.iter().map(|v| Subject::Full(v))),
        View::One(v) => op.over(condition, std::iter::once(Subject::Full(v))),
        View::Prefix(p) => op.over(condition, std::iter::once(Subject::Prefix(p))),
    }
}

/// `Null`: `true` holds when the key is absent, `false` when it is present.
fn null_check(condition: &Condition, value: &View<'_>) -> Tri {
    let present = match value {
        View::Unknown(why) => {
            return Tri::unknown(format!(
                "has a Null condition on {}, and {why}",
                condition.key
            ))
        }
        View::Absent => false,
        View::Values(_) | View::One(_) | View::Prefix(_) => true,
    };
    Tri::from_bool(condition.values.iter().any(|v| {
        if v.eq_ignore_ascii_case("true") {
            !present
        } else if v.eq_ignore_ascii_case("false") {
            present
        } else {
            false
        }
    }))
}

/// A context value: known, or known up to a prefix.
#[derive(Debug, Clone, Copy)]
enum Subject<'a> {
    Full(&'a str),
    Prefix(&'a str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetOp {
    ForAnyValue,
    ForAllValues,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    Numeric(Cmp),
    Date(Cmp),
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Operator {
    set: Option<SetOp>,
    base: Base,
    negated: bool,
    if_exists: bool,
}

impl Operator {
    fn parse(raw: &str) -> Option<Operator> {
        let (set, rest) = if let Some(r) = strip_prefix_ignore_ascii_case(raw, "foranyvalue:") {
            (Some(SetOp::ForAnyValue), r)
        } else if let Some(r) = strip_prefix_ignore_ascii_case(raw, "forallvalues:") {
            (Some(SetOp::ForAllValues), r)
        } else {
            (None, raw)
        };
        let (name, if_exists) = match strip_suffix_ignore_ascii_case(rest, "ifexists") {
            Some(n) => (n, true),
            None => (rest, false),
        };
        // Operator names are ASCII: compare a lowercase copy on the stack, not on the heap.
        let mut buf = [0u8; 32];
        let name = match buf.get_mut(..name.len()) {
            Some(lower) if name.is_ascii() => {
                lower.copy_from_slice(name.as_bytes());
                lower.make_ascii_lowercase();
                std::str::from_utf8(lower).ok()?
            }
            // Longer than any operator, or not ASCII: no operator.
            _ => return None,
        };
        let (base, negated) = match name {
            "stringequals" => (Base::StringEquals, false),
            "stringnotequals" => (Base::StringEquals, true),
            "stringequalsignorecase" => (Base::StringEqualsIgnoreCase, false),
            "stringnotequalsignorecase" => (Base::StringEqualsIgnoreCase, true),
            "stringlike" => (Base::StringLike, false),
            "stringnotlike" => (Base::StringLike, true),
            "numericequals" => (Base::Numeric(Cmp::Eq), false),
            "numericnotequals" => (Base::Numeric(Cmp::Eq), true),
            "numericlessthan" => (Base::Numeric(Cmp::Lt), false),
            "numericlessthanequals" => (Base::Numeric(Cmp::Le), false),
            "numericgreaterthan" => (Base::Numeric(Cmp::Gt), false),
            "numericgreaterthanequals" => (Base::Numeric(Cmp::Ge), false),
            "dateequals" => (Base::Date(Cmp::Eq), false),
            "datenotequals" => (Base::Date(Cmp::Eq), true),
            "datelessthan" => (Base::Date(Cmp::Lt), false),
            "datelessthanequals" => (Base::Date(Cmp::Le), false),
            "dategreaterthan" => (Base::Date(Cmp::Gt), false),
            "dategreaterthanequals" => (Base::Date(Cmp::Ge), false),
            "bool" => (Base::Bool, false),
            "binaryequals" => (Base::Binary, false),
            "ipaddress" => (Base::Ip, false),
            "notipaddress" => (Base::Ip, true),
            // ArnEquals and ArnLike behave the same: both take wildcards per component.
            "arnequals" | "arnlike" => (Base::Arn, false),
            "arnnotequals" | "arnnotlike" => (Base::Arn, true),
            "null" if set.is_none() && !if_exists => (Base::Null, false),
            _ => return None,
        };
        Some(Operator {
            set,
            base,
            negated,
            if_exists,
        })
    }

    /// Whether the condition holds for the context values `subjects` (present, not empty).
    fn over<'s>(self, condition: &Condition, subjects: impl Iterator<Item = Subject<'s>>) -> Tri {
        let key = &condition.key;
        let per_value = subjects.map(|s| {
            let any = Tri::any(condition.values.iter().map(|p| self.matches(s, p, key)));
            if self.negated {
                !any
            } else {
                any
            }
        });
        match self.set {
            Some(SetOp::ForAllValues) => Tri::all(per_value),
            // ForAnyValue, and a plain operator (single-valued keys have one value).
            _ => Tri::any(per_value),
        }
    }

    /// Whether a context value matches one policy value under the positive form of the operator.
    fn matches(self, subject: Subject<'_>, policy_value: &str, key: &str) -> Tri {
        if policy_value.contains("${") {
            return Tri::unknown(format!(
                "has a condition on {key} with the policy variable in \"{policy_value}\", which is not resolved"
            ));
        }
        let value = match subject {
            Subject::Full(v) => v,
            Subject::Prefix(prefix) => return self.matches_prefix(prefix, policy_value, key),
        };
        Tri::from_bool(match self.base {
            Base::StringEquals | Base::Binary => value == policy_value,
            Base::StringEqualsIgnoreCase if value.is_ascii() && policy_value.is_ascii() => {
                value.eq_ignore_ascii_case(policy_value)
            }
            Base::StringEqualsIgnoreCase => value.to_lowercase() == policy_value.to_lowercase(),
            Base::StringLike => glob(policy_value, value, false),
            Base::Arn => arn_match(policy_value, value),
            Base::Bool => value.eq_ignore_ascii_case(policy_value),
            Base::Numeric(cmp) => match (parse_number(value), parse_number(policy_value)) {
                (Some(a), Some(b)) => compare(a.partial_cmp(&b), cmp),
                _ => false,
            },
            Base::Date(cmp) => match (parse_date(value), parse_date(policy_value)) {
                (Some(a), Some(b)) => compare(Some(a.cmp(&b)), cmp),
                _ => false,
            },
            Base::Ip => match (value.parse::<IpAddr>(), parse_network(policy_value)) {
                (Ok(ip), Some(net)) => net.contains(&ip),
                _ => false,
            },
            Base::Null => false,
        })
    }

    fn matches_prefix(self, prefix: &str, policy_value: &str, key: &str) -> Tri {
        let unknown = || {
            Tri::unknown(format!(
                "has a condition on {key}, and {key} is only known to start with {prefix} before the request is made"
            ))
        };
        let from = |m: PrefixMatch| match m {
            PrefixMatch::All => Tri::True,
            PrefixMatch::None => Tri::False,
            PrefixMatch::Some => unknown(),
        };
        match self.base {
            Base::StringEquals | Base::Binary => {
                if policy_value.starts_with(prefix) && policy_value.len() > prefix.len() {
                    unknown()
                } else {
                    Tri::False
                }
            }
            Base::StringEqualsIgnoreCase => {
                let (p, v) = (prefix.to_lowercase(), policy_value.to_lowercase());
                if v.starts_with(&p) && v.len() > p.len() {
                    unknown()
                } else {
                    Tri::False
                }
            }
            Base::StringLike => from(glob_prefix(policy_value, prefix, false)),
            Base::Arn => from(arn_match_prefix(policy_value, prefix)),
            _ => unknown(),
        }
    }
}

/// `text` without `prefix`, compared ASCII-case-insensitively.
fn strip_prefix_ignore_ascii_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.as_bytes().get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix.as_bytes()) {
        text.get(prefix.len()..)
    } else {
        None
    }
}

/// `text` without `suffix`, compared ASCII-case-insensitively.
fn strip_suffix_ignore_ascii_case<'t>(text: &'t str, suffix: &str) -> Option<&'t str> {
    let start = text.len().checked_sub(suffix.len())?;
    let tail = text.as_bytes().get(start..)?;
    if tail.eq_ignore_ascii_case(suffix.as_bytes()) {
        text.get(..start)
    } else {
        None
    }
}

fn compare(ord: Option<std::cmp::Ordering>, cmp: Cmp) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    matches!(
        (ord, cmp),
        (Some(Equal), Cmp::Eq | Cmp::Le | Cmp::Ge)
            | (Some(Less), Cmp::Lt | Cmp::Le)
            | (Some(Greater), Cmp::Gt | Cmp::Ge)
    )
}

fn parse_number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

fn parse_network(s: &str) -> Option<IpNet> {
    let s = s.trim();
    s.parse::<IpNet>()
        .ok()
        .or_else(|| s.parse::<IpAddr>().ok().map(IpNet::from))
}

/// Seconds since the Unix epoch, from epoch seconds or ISO 8601 (`2026-01-31`,
/// `2026-01-31T10:00:00Z`, with an optional fraction and UTC offset).
fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let num = |a: usize, b: usize| -> Option<i64> {
        let part = s.get(a..b)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if s.get(4..5) != Some("-") || s.get(7..8) != Some("-") {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    let rest = s.get(10..)?;
    if rest.is_empty() {
        return Some(seconds);
    }
    let time = rest.strip_prefix('T').or_else(|| rest.strip_prefix('t'))?;
    let hh: i64 = time.get(0..2)?.parse().ok()?;
    let mm: i64 = if time.get(2..3) == Some(":") {
        time.get(3..5)?.parse().ok()?
    } else {
        return None;
    };
    let mut tail = time.get(5..)?;
    let mut ss = 0;
    if let Some(t) = tail.strip_prefix(':') {
        ss = t.get(0..2)?.parse().ok()?;
        tail = t.get(2..)?;
    }
    if let Some(t) = tail.strip_prefix('.') {
        tail = t.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    seconds += hh * 3600 + mm * 60 + ss;
    match tail {
        "" | "Z" | "z" => Some(seconds),
        offset => {
            let sign = match offset.get(0..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let oh: i64 = offset.get(1..3)?.parse().ok()?;
            let om: i64 = offset.get(4..6).and_then(|m| m.parse().ok()).unwrap_or(0);
            Some(seconds - sign * (oh * 3600 + om * 60))
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::context::KeyValue;

    const OPERATOR_NAMES: &[&str] = &[
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
        "NumericEquals",
        "NumericNotEquals",
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
        "DateEquals",
        "DateNotEquals",
        "DateLessThan",
        "DateLessThanEquals",
        "DateGreaterThan",
        "DateGreaterThanEquals",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "NotIpAddress",
        "ArnEquals",
        "ArnLike",
        "ArnNotEquals",
        "ArnNotLike",
        "Null",
        "Stringequal",
        "Bools",
        "",
        "IfExists",
        "ForAnyValue:",
        "StringEqualsIfExist",
        "Stri\u{df}ngEquals",
    ];

    proptest::proptest! {
        #[test]
        fn operators_parse_in_any_case(
            name in proptest::sample::select(OPERATOR_NAMES),
            set in proptest::sample::select(&["", "ForAnyValue:", "ForAllValues:", "forallvalues:", "ForAnyValue"][..]),
            suffix in proptest::sample::select(&["", "IfExists", "ifexists", "IfExist"][..]),
            flips in proptest::collection::vec(proptest::bool::ANY, 48),
        ) {
            let written: String = format!("{set}{name}{suffix}")
                .chars()
                .zip(flips.iter().cycle())
                .map(|(c, flip)| if *flip { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
                .collect();
            // The parser compares without copying; a lowercase copy must read the same.
            proptest::prop_assert_eq!(
                Operator::parse(&written),
                Operator::parse(&written.to_ascii_lowercase()),
                "{}",
                written
            );
        }
    }

    #[test]
    fn operator_names_are_matched_whole() {
        for name in &OPERATOR_NAMES[..27] {
            assert!(Operator::parse(name).is_some(), "{name}");
            assert!(
                Operator::parse(&format!("ForAllValues:{name}IfExists")).is_some()
                    || *name == "Null"
            );
        }
        assert!(Operator::parse("FORANYVALUE:STRINGLIKEIFEXISTS").is_some());
        assert!(Operator::parse("NullIfExists").is_none());
        assert!(Operator::parse("ForAnyValue:Null").is_none());
        assert!(Operator::parse("StringEqualsStringEqualsStringEquals").is_none());
        assert!(Operator::parse("Bool ").is_none());
        assert!(Operator::parse("\u{212a}ool").is_none());
    }

    fn cond(op: &str, key: &str, values: &[&str]) -> Condition {
        Condition {
            operator: op.into(),
            key: key.into(),
            values: values.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn ctx() -> RequestContext {
        let mut c = RequestContext::new();
        c.set_value("aws:SecureTransport", "false")
            .set_value("elasticfilesystem:AccessedViaMountTarget", "true")
            .set_value(
                "elasticfilesystem:AccessPointArn",
                "arn:aws:elasticfilesystem:us-east-1:111122223333:access-point/fsap-1",
            )
            .set_value("aws:PrincipalArn", "arn:aws:iam::111122223333:role/app")
            .set(
                "aws:TagKeys",
                KeyValue::Values(vec!["key1:a".into(), "key2:b".into()]),
            )
            .set(
                "aws:SourceArn",
                KeyValue::Prefix("arn:aws:ecs:us-east-1:111122223333:".into()),
            )
            .set_value("x:n", "10")
            .set_value("aws:SourceIp", "203.0.113.7")
            .set_value("aws:CurrentTime", "2026-11-23T10:00:00Z");
        c
    }

    fn check(op: &str, key: &str, values: &[&str]) -> Tri {
        holds(&cond(op, key, values), &ctx())
    }

    #[test]
    fn bool_and_string_operators() {
        assert_eq!(check("Bool", "aws:SecureTransport", &["false"]), Tri::True);
        assert_eq!(check("Bool", "aws:SecureTransport", &["true"]), Tri::False);
        assert_eq!(check("Bool", "AWS:SECURETRANSPORT", &["FALSE"]), Tri::True);
        assert_eq!(
            check(
                "Bool",
                "elasticfilesystem:AccessedViaMountTarget",
                &["true"]
            ),
            Tri::True
        );
        let ap = "arn:aws:elasticfilesystem:us-east-1:111122223333:access-point/fsap-1";
        assert_eq!(
            check("StringEquals", "elasticfilesystem:AccessPointArn", &[ap]),
            Tri::True
        );
        assert_eq!(
            check(
                "StringEquals",
                "elasticfilesystem:AccessPointArn",
                &["x", ap]
            ),
            Tri::True
        );
        assert_eq!(
            check("StringEquals", "elasticfilesystem:AccessPointArn", &["x"]),
            Tri::False
        );
        assert_eq!(
            check(
                "StringEquals",
                "elasticfilesystem:AccessPointArn",
                &[&ap.to_uppercase()]
            ),
            Tri::False
        );
        assert_eq!(
            check(
                "StringEqualsIgnoreCase",
                "elasticfilesystem:AccessPointArn",
                &[&ap.to_uppercase()]
            ),
            Tri::True
        );
        assert_eq!(
            check(
                "StringLike",
                "elasticfilesystem:AccessPointArn",
                &["*:access-point/fsap-?"]
            ),
            Tri::True
        );
        // Negated operators: NOR over the values.
        assert_eq!(
            check(
                "StringNotEquals",
                "elasticfilesystem:AccessPointArn",
                &["x", ap]
            ),
            Tri::False
        );
        assert_eq!(
            check(
                "StringNotEquals",
                "elasticfilesystem:AccessPointArn",
                &["x", "y"]
            ),
            Tri::True
        );
        assert_eq!(
            check(
                "StringNotLike",
                "elasticfilesystem:AccessPointArn",
                &["*fsap-2"]
            ),
            Tri::True
        );
        assert_eq!(
            check(
                "StringNotEqualsIgnoreCase",
                "elasticfilesystem:AccessPointArn",
                &[&ap.to_uppercase()]
            ),
            Tri::False
        );
    }

    #[test]
    fn missing_keys_behave_as_aws_documents() {
        let k = "elasticfilesystem:Missing";
        assert_eq!(check("StringEquals", k, &["a"]), Tri::False);
        assert_eq!(check("Bool", k, &["true"]), Tri::False);
        assert_eq!(check("StringNotEquals", k, &["a"]), Tri::True);
        assert_eq!(check("ArnNotLike", k, &["arn:*"]), Tri::True);
        assert_eq!(check("StringEqualsIfExists", k, &["a"]), Tri::True);
        assert_eq!(check("BoolIfExists", k, &["false"]), Tri::True);
        assert_eq!(check("Null", k, &["true"]), Tri::True);
        assert_eq!(check("Null", k, &["false"]), Tri::False);
        assert_eq!(check("Null", "aws:SecureTransport", &["false"]), Tri::True);
        assert_eq!(check("Null", "aws:SecureTransport", &["true"]), Tri::False);
        assert_eq!(check("ForAllValues:StringEquals", k, &["a"]), Tri::True);
        assert_eq!(check("ForAnyValue:StringEquals", k, &["a"]), Tri::False);
        assert_eq!(check("ForAnyValue:StringNotEquals", k, &["a"]), Tri::False);
    }

    #[test]
    fn set_operators_on_multivalued_keys() {
        // AWS's aws:TagKeys examples: every value must match one pattern for ForAllValues.
        assert_eq!(
            check(
                "ForAllValues:StringLike",
                "aws:TagKeys",
                &["key1*", "key2*"]
            ),
            Tri::True
        );
        assert_eq!(
            check("ForAllValues:StringLike", "aws:TagKeys", &["key1*"]),
            Tri::False
        );
        assert_eq!(
            check("ForAnyValue:StringLike", "aws:TagKeys", &["key2*"]),
            Tri::True
        );
        assert_eq!(
            check("ForAnyValue:StringEquals", "aws:TagKeys", &["key3:c"]),
            Tri::False
        );
        assert_eq!(
            check("ForAllValues:StringNotLike", "aws:TagKeys", &["key3*"]),
            Tri::True
        );
        assert_eq!(
            check("ForAllValues:StringNotLike", "aws:TagKeys", &["key1*"]),
            Tri::False
        );
        assert_eq!(
            check("ForAnyValue:StringNotLike", "aws:TagKeys", &["key1*"]),
            Tri::True
        );
    }

    #[test]
    fn arn_numeric_date_and_ip_operators() {
        let role = "arn:aws:iam::111122223333:role/app";
        assert_eq!(check("ArnEquals", "aws:PrincipalArn", &[role]), Tri::True);
        assert_eq!(
            check(
                "ArnLike",
                "aws:PrincipalArn",
                &["arn:aws:iam::111122223333:role/*"]
            ),
            Tri::True
        );
        assert_eq!(
            check("ArnNotEquals", "aws:PrincipalArn", &[role]),
            Tri::False
        );
        assert_eq!(
            check(
                "ArnNotLike",
                "aws:PrincipalArn",
                &["arn:aws:iam::*:role/other"]
            ),
            Tri::True
        );
        assert_eq!(check("NumericLessThan", "x:n", &["11"]), Tri::True);
        assert_eq!(
            check("NumericGreaterThanEquals", "x:n", &["10.0"]),
            Tri::True
        );
        assert_eq!(check("NumericNotEquals", "x:n", &["10"]), Tri::False);
        assert_eq!(check("NumericEquals", "x:n", &["ten"]), Tri::False);
        assert_eq!(
            check("IpAddress", "aws:SourceIp", &["203.0.113.0/24"]),
            Tri::True
        );
        assert_eq!(
            check("IpAddress", "aws:SourceIp", &["203.0.113.7"]),
            Tri::True
        );
        assert_eq!(
            check("NotIpAddress", "aws:SourceIp", &["10.0.0.0/8"]),
            Tri::True
        );
        assert_eq!(
            check("DateGreaterThan", "aws:CurrentTime", &["2026-01-01"]),
            Tri::True
        );
        assert_eq!(
            check(
                "DateLessThan",
                "aws:CurrentTime",
                &["2026-11-23T11:00:00+02:00"]
            ),
            Tri::False
        );
        assert_eq!(
            check("DateLessThan", "aws:CurrentTime", &["1795428001"]),
            Tri::True
        );
        assert_eq!(parse_date("1970-01-02T00:00:01Z"), Some(86_401));
        assert_eq!(parse_date("2000-03-01"), Some(951_868_800));
    }

    #[test]
    fn unknown_keys_prefixes_variables_and_operators() {
        assert!(check("StringEquals", "aws:SourceVpc", &["vpc-1"]).is_unknown());
        assert!(check("StringEqualsIfExists", "aws:SourceVpc", &["vpc-1"]).is_unknown());
        assert!(check("Null", "aws:SourceVpc", &["true"]).is_unknown());
        assert!(check("StringEquals", "aws:PrincipalArn", &["${aws:username}"]).is_unknown());
        assert!(check("StringFancy", "aws:PrincipalArn", &["x"]).is_unknown());
        // The ECS source ARN is known up to the task part.
        assert_eq!(
            check(
                "ArnLike",
                "aws:SourceArn",
                &["arn:aws:ecs:us-east-1:111122223333:*"]
            ),
            Tri::True
        );
        assert_eq!(
            check(
                "ArnLike",
                "aws:SourceArn",
                &["arn:aws:ecs:us-east-1:999999999999:*"]
            ),
            Tri::False
        );
        assert_eq!(
            check("StringLike", "aws:SourceArn", &["arn:aws:ecs:*"]),
            Tri::True
        );
        assert!(check(
            "ArnEquals",
            "aws:SourceArn",
            &["arn:aws:ecs:us-east-1:111122223333:task/c/1"]
        )
        .is_unknown());
        assert_eq!(
            check(
                "ArnNotLike",
                "aws:SourceArn",
                &["arn:aws:ecs:us-east-1:111122223333:*"]
            ),
            Tri::False
        );
        let u = check("StringEquals", "aws:SourceVpc", &["vpc-1"]);
        assert_eq!(
            u.reasons(),
            ["has a StringEquals condition on aws:SourceVpc, and aws:SourceVpc is not known before the request is made"]
        );
    }
}
