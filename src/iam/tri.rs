//! Three-valued truth: `True`, `False`, or `Unknown` with the reasons it cannot be decided offline.
//!
//! A policy condition on a key whose value exists in the real request but cannot be known before
//! it (the time, a caller's IP address, a principal tag) is neither true nor false here. Combining
//! truths follows Kleene's logic, so an unknown part only matters when the outcome hinges on it:
//! `False AND Unknown` is `False`, `True OR Unknown` is `True`. The reasons of unknown parts that
//! did not matter are dropped.

/// A truth value that may be unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tri {
    /// Holds.
    True,
    /// Does not hold.
    False,
    /// Cannot be decided offline; the reasons say why (deduplicated, in order of discovery).
    Unknown(Vec<String>),
}

impl Tri {
    /// `True` or `False`.
    pub fn from_bool(b: bool) -> Self {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }

    /// An unknown truth with one reason.
    pub fn unknown(reason: impl Into<String>) -> Self {
        Tri::Unknown(vec![reason.into()])
    }

    /// Whether this is `True`.
    pub fn is_true(&self) -> bool {
        matches!(self, Tri::True)
    }

    /// Whether this is `False`.
    pub fn is_false(&self) -> bool {
        matches!(self, Tri::False)
    }

    /// Whether this is `Unknown`.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Tri::Unknown(_))
    }

    /// The reasons of an unknown truth (empty otherwise).
    pub fn reasons(&self) -> &[String] {
        match self {
            Tri::Unknown(r) => r,
            _ => &[],
        }
    }

    /// Conjunction: `False` wins, then `Unknown`.
    #[must_use]
    pub fn and(self, other: Tri) -> Self {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            (a, b) => Tri::Unknown(merge(a.into_reasons(), b.into_reasons())),
        }
    }

    /// Disjunction: `True` wins, then `Unknown`.
    #[must_use]
    pub fn or(self, other: Tri) -> Self {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            (a, b) => Tri::Unknown(merge(a.into_reasons(), b.into_reasons())),
        }
    }

    /// Disjunction of many (`False` when empty).
    pub fn any(items: impl IntoIterator<Item = Tri>) -> Self {
        items.into_iter().fold(Tri::False, Tri::or)
    }

    /// Conjunction of many (`True` when empty).
    pub fn all(items: impl IntoIterator<Item = Tri>) -> Self {
        items.into_iter().fold(Tri::True, Tri::and)
    }

    fn into_reasons(self) -> Vec<String> {
        match self {
            Tri::Unknown(r) => r,
            _ => Vec::new(),
        }
    }
}

impl std::ops::Not for Tri {
    type Output = Tri;

    /// Negation; unknown stays unknown.
    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            u @ Tri::Unknown(_) => u,
        }
    }
}

fn merge(mut a: Vec<String>, b: Vec<String>) -> Vec<String> {
    for r in b {
        if !a.contains(&r) {
            a.push(r);
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(r: &str) -> Tri {
        Tri::unknown(r)
    }

    #[test]
    fn kleene_and_or() {
        assert_eq!(Tri::False.and(u("x")), Tri::False);
        assert_eq!(u("x").and(Tri::False), Tri::False);
        assert_eq!(Tri::True.and(u("x")), u("x"));
        assert_eq!(Tri::True.or(u("x")), Tri::True);
        assert_eq!(u("x").or(Tri::True), Tri::True);
        assert_eq!(Tri::False.or(u("x")), u("x"));
        assert_eq!(
            u("x").or(u("y")),
            Tri::Unknown(vec!["x".into(), "y".into()])
        );
        assert_eq!(u("x").and(u("x")), u("x"));
        assert_eq!(!u("x"), u("x"));
        assert_eq!(!Tri::True, Tri::False);
    }

    #[test]
    fn empty_any_is_false_and_empty_all_is_true() {
        assert_eq!(Tri::any([]), Tri::False);
        assert_eq!(Tri::all([]), Tri::True);
        assert_eq!(Tri::any([Tri::False, u("a"), Tri::False]), u("a"));
        assert_eq!(Tri::all([Tri::True, u("a"), Tri::False]), Tri::False);
    }
}
