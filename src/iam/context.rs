//! The request context: the condition keys of one request and their values, as far as they can
//! be known before the request is made.
//!
//! A key is present with values, present but known only up to a prefix (an ECS task ARN before
//! the task id exists), absent (conditions on it behave as AWS documents for missing keys), or
//! unknown (it exists in the real request, but its value cannot be known offline). Unlisted
//! global keys (`aws:*`) are unknown: AWS adds many of them to every request (time, source IP,
//! tags). Unlisted service keys are absent: a service only adds its own keys
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>).

use std::borrow::Cow;

/// The value of one key in a request context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyValue {
    /// Present, with these values (one for single-valued keys).
    Values(Vec<String>),
    /// Present, one value that starts with this prefix; the rest is not known yet.
    Prefix(String),
    /// Not in the request.
    Absent,
    /// In the request, value not knowable offline; the text says why.
    Unknown(String),
}

/// The keys of one request.
///
/// A request has a dozen keys or so, and a context is built for every request decided: keys are
/// kept as written (compared case-insensitively, in a short list), and the keys and values an
/// EFS or STS request always has are borrowed, not copied.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    keys: Vec<(Cow<'static, str>, Slot)>,
    prefixes: Vec<(Cow<'static, str>, Slot)>,
}

/// A key's value as a context keeps it: [`KeyValue`] with one value and texts borrowed when
/// they can be.
#[derive(Debug, Clone)]
enum Slot {
    Values(Vec<String>),
    One(Cow<'static, str>),
    Prefix(String),
    Absent,
    Unknown(Cow<'static, str>),
}

impl From<KeyValue> for Slot {
    fn from(value: KeyValue) -> Self {
        match value {
            KeyValue::Values(v) => Slot::Values(v),
            KeyValue::Prefix(p) => Slot::Prefix(p),
            KeyValue::Absent => Slot::Absent,
            KeyValue::Unknown(why) => Slot::Unknown(Cow::Owned(why)),
        }
    }
}

/// A key's value as conditions read it, borrowed from the context.
#[derive(Debug, Clone)]
pub(crate) enum View<'a> {
    /// Present, with these values.
    Values(&'a [String]),
    /// Present, with this one value.
    One(&'a str),
    /// Present, one value that starts with this prefix.
    Prefix(&'a str),
    /// Not in the request.
    Absent,
    /// In the request, value not knowable offline; the text says why.
    Unknown(Cow<'a, str>),
}

impl View<'_> {
    fn to_key_value(&self) -> KeyValue {
        match self {
            View::Values(v) => KeyValue::Values(v.to_vec()),
            View::One(v) => KeyValue::Values(vec![(*v).to_owned()]),
            View::Prefix(p) => KeyValue::Prefix((*p).to_owned()),
            View::Absent => KeyValue::Absent,
            View::Unknown(why) => KeyValue::Unknown(why.clone().into_owned()),
        }
    }
}

impl RequestContext {
    /// An empty context: every global key unknown, every service key absent.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a key (case-insensitive).
    pub fn set(&mut self, key: &str, value: KeyValue) -> &mut Self {
        self.put(Cow::Owned(key.to_owned()), value.into())
    }

    /// Sets a key to one string value.
    pub fn set_value(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.put(
            Cow::Owned(key.to_owned()),
            Slot::One(Cow::Owned(value.into())),
        )
    }

    /// Sets every key that starts with `prefix` (`aws:PrincipalTag/`), unless set by name.
    pub fn set_prefix(&mut self, prefix: &str, value: KeyValue) -> &mut Self {
        self.prefixes
            .push((Cow::Owned(prefix.to_owned()), value.into()));
        self
    }

    /// An empty context with room for `keys` keys.
    pub(crate) fn with_capacity(keys: usize) -> Self {
        Self {
            keys: Vec::with_capacity(keys),
            prefixes: Vec::new(),
        }
    }

    /// [`RequestContext::set`] for a key known when the program is written.
    pub(crate) fn set_known(&mut self, key: &'static str, value: KeyValue) -> &mut Self {
        self.put(Cow::Borrowed(key), value.into())
    }

    /// [`RequestContext::set_value`] for a key known when the program is written.
    pub(crate) fn set_known_value(
        &mut self,
        key: &'static str,
        value: impl Into<Cow<'static, str>>,
    ) -> &mut Self {
        self.put(Cow::Borrowed(key), Slot::One(value.into()))
    }

    /// [`RequestContext::set`] to unknown, for a key and a reason known when the program is
    /// written.
    pub(crate) fn set_known_unknown(&mut self, key: &'static str, why: &'static str) -> &mut Self {
        self.put(Cow::Borrowed(key), Slot::Unknown(Cow::Borrowed(why)))
    }

    /// [`RequestContext::set_prefix`] for a prefix known when the program is written.
    pub(crate) fn set_known_prefix(&mut self, prefix: &'static str, value: KeyValue) -> &mut Self {
        self.prefixes.push((Cow::Borrowed(prefix), value.into()));
        self
    }

    fn put(&mut self, key: Cow<'static, str>, value: Slot) -> &mut Self {
        match self
            .keys
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(&key))
        {
            Some((_, v)) => *v = value,
            None => self.keys.push((key, value)),
        }
        self
    }

    /// The value of a key as this request has it.
    pub fn lookup(&self, key: &str) -> KeyValue {
        self.view(key).to_key_value()
    }

    /// [`RequestContext::lookup`], borrowing the values this context holds.
    pub(crate) fn view(&self, key: &str) -> View<'_> {
        let slot = self
            .keys
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .or_else(|| {
                self.prefixes
                    .iter()
                    .find(|(p, _)| starts_with_ignore_ascii_case(key, p))
            });
        match slot.map(|(_, slot)| slot) {
            Some(Slot::Values(v)) => View::Values(v),
            Some(Slot::One(v)) => View::One(v),
            Some(Slot::Prefix(p)) => View::Prefix(p),
            Some(Slot::Unknown(why)) => View::Unknown(Cow::Borrowed(why)),
            None if starts_with_ignore_ascii_case(key, "aws:") => View::Unknown(Cow::Owned(
                format!("{key} is not known before the request is made"),
            )),
            Some(Slot::Absent) | None => View::Absent,
        }
    }
}

/// `text.to_ascii_lowercase().starts_with(&prefix.to_ascii_lowercase())`, without the copies.
fn starts_with_ignore_ascii_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_and_unlisted_keys_follow_their_namespace() {
        let mut cx = RequestContext::new();
        cx.set_value("aws:SecureTransport", "true")
            .set_prefix("aws:PrincipalTag/", KeyValue::Absent);
        assert_eq!(
            cx.lookup("AWS:securetransport"),
            KeyValue::Values(vec!["true".into()])
        );
        assert_eq!(cx.lookup("aws:PrincipalTag/team"), KeyValue::Absent);
        assert!(matches!(cx.lookup("aws:SourceVpc"), KeyValue::Unknown(_)));
        assert_eq!(cx.lookup("s3:prefix"), KeyValue::Absent);
    }

    #[test]
    fn a_key_set_again_in_another_case_replaces_its_value() {
        let mut cx = RequestContext::new();
        cx.set_known_value("aws:PrincipalType", "AssumedRole")
            .set("AWS:PRINCIPALTYPE", KeyValue::Absent)
            .set_known_unknown("sts:RoleSessionName", "why")
            .set_value("STS:rolesessionname", "x");
        assert_eq!(cx.lookup("aws:principaltype"), KeyValue::Absent);
        assert_eq!(
            cx.lookup("sts:RoleSessionName"),
            KeyValue::Values(vec!["x".into()])
        );
        assert_eq!(cx.keys.len(), 2);
    }

    #[test]
    fn borrowed_and_owned_entries_read_alike() {
        let mut owned = RequestContext::new();
        owned
            .set_value("aws:SecureTransport", "true")
            .set("aws:SourceVpc", KeyValue::Absent)
            .set("sts:RoleSessionName", KeyValue::Unknown("why".into()))
            .set("aws:userid", KeyValue::Prefix("AROA:".into()))
            .set("x:many", KeyValue::Values(vec!["a".into(), "b".into()]))
            .set("x:none", KeyValue::Values(Vec::new()))
            .set_prefix("aws:PrincipalTag/", KeyValue::Absent);
        let mut known = RequestContext::with_capacity(4);
        known
            .set_known_value("aws:SecureTransport", "true")
            .set_known("aws:SourceVpc", KeyValue::Absent)
            .set_known_unknown("sts:RoleSessionName", "why")
            .set_known("aws:userid", KeyValue::Prefix("AROA:".into()))
            .set_known("x:many", KeyValue::Values(vec!["a".into(), "b".into()]))
            .set_known("x:none", KeyValue::Values(Vec::new()))
            .set_known_prefix("aws:PrincipalTag/", KeyValue::Absent);
        for key in [
            "AWS:SecureTransport",
            "aws:sourcevpc",
            "sts:RoleSessionName",
            "aws:UserId",
            "x:many",
            "x:none",
            "aws:principaltag/Team",
            "aws:PrincipalTa",
            "aws:CurrentTime",
            "x:unset",
            "",
            "\u{e9}:k",
        ] {
            assert_eq!(owned.lookup(key), known.lookup(key), "{key}");
        }
        assert_eq!(
            known.lookup("aws:CurrentTime"),
            KeyValue::Unknown("aws:CurrentTime is not known before the request is made".into())
        );
        assert_eq!(known.lookup("x:unset"), KeyValue::Absent);
    }
}
