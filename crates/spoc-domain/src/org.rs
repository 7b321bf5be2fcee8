//! Resolver groups and their support tier.

use std::fmt;

use crate::GroupId;
use crate::text::ValidationError;

/// The support line a resolver group works at.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub enum Tier {
    /// First line: the service desk itself.
    One,
    /// Second line: specialists (technical and application management).
    Two,
    /// Third line: other functions, or an external supplier.
    Three,
}

impl Tier {
    /// 1, 2 or 3.
    pub const fn number(self) -> i64 {
        match self {
            Self::One => 1,
            Self::Two => 2,
            Self::Three => 3,
        }
    }

    /// Parses 1, 2 or 3.
    pub fn from_number(value: i64) -> Result<Self, ValidationError> {
        match value {
            1 => Ok(Self::One),
            2 => Ok(Self::Two),
            3 => Ok(Self::Three),
            _ => Err(ValidationError::new("tier", "must be 1, 2 or 3")),
        }
    }
}

impl TryFrom<i64> for Tier {
    type Error = ValidationError;

    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Self::from_number(value)
    }
}

impl From<Tier> for i64 {
    fn from(value: Tier) -> Self {
        value.number()
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

/// What a ticket decision needs to know about a resolver group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupRef {
    /// The group.
    pub id: GroupId,
    /// Its tier.
    pub tier: Tier,
    /// Whether the group is an external supplier (only tier-3 groups may be).
    pub external_supplier: bool,
}

/// Checks the rule that only a tier-3 group may be an external supplier.
pub fn check_supplier_tier(tier: Tier, external_supplier: bool) -> Result<(), ValidationError> {
    if external_supplier && tier != Tier::Three {
        return Err(ValidationError::new(
            "external_supplier",
            "only a tier-3 group can be an external supplier",
        ));
    }
    Ok(())
}
