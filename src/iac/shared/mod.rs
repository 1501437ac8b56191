//! Conversion both front ends share: each function builds one snapshot-model resource from
//! values a front end has already read and resolved (Terraform arguments or CloudFormation
//! properties), so a front end only names where a value comes from and how it is spelt.
//!
//! One module per resource family; [`Targets`] collects what the input declares to check.
//!
//! Depends on the snapshot model, `value`, `overlay` and `common`; never on a front end.

pub mod dns;
pub mod ecs;
pub mod efs;
pub mod iam;
pub mod kms;
pub mod network;

pub use ecs::Targets;

/// A front end's resource tables, one per family: resource type -> converter.
pub type Families<F> = [&'static [(&'static str, F)]];

/// The converter of a resource type.
pub fn converter<F: Copy>(families: &Families<F>, rtype: &str) -> Option<F> {
    families
        .iter()
        .flat_map(|f| f.iter())
        .find(|(t, _)| *t == rtype)
        .map(|(_, f)| *f)
}

/// Every resource type of the tables.
pub fn resource_types<F>(families: &'static Families<F>) -> impl Iterator<Item = &'static str> {
    families.iter().flat_map(|f| f.iter()).map(|(t, _)| *t)
}
