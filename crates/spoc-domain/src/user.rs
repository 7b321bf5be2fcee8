//! People and their roles.

use std::fmt;

use crate::text::ValidationError;

/// What a person is to the desk.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// An end user who raises tickets.
    Customer,
    /// Works tickets of the groups they belong to.
    Agent,
    /// An agent who sees and works every ticket and is told of hierarchical escalations.
    Lead,
    /// Sets the desk up: users, organisations, groups, taxonomy, services, the priority matrix.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Self; 4] = [Self::Customer, Self::Agent, Self::Lead, Self::Admin];

    /// The wire and storage name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Agent => "agent",
            Self::Lead => "lead",
            Self::Admin => "admin",
        }
    }

    /// Parses a wire or storage name.
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == value)
            .ok_or_else(|| {
                ValidationError::new("role", "must be one of: customer, agent, lead, admin")
            })
    }

    /// Agents, leads and admins work tickets; customers raise them.
    pub const fn is_staff(self) -> bool {
        !matches!(self, Self::Customer)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
