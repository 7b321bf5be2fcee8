//! Priority derived from impact × urgency through a configurable matrix (`domain.md` §3).

use std::fmt;

use crate::text::ValidationError;

macro_rules! level_enum {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            /// The most severe level.
            High,
            /// The middle level.
            Medium,
            /// The least severe level.
            Low,
        }

        impl $name {
            /// Every level, most severe first.
            pub const ALL: [Self; 3] = [Self::High, Self::Medium, Self::Low];

            /// The wire and storage name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    Self::High => "high",
                    Self::Medium => "medium",
                    Self::Low => "low",
                }
            }

            /// Parses a wire or storage name.
            pub fn parse(value: &str) -> Result<Self, ValidationError> {
                Self::ALL.into_iter().find(|level| level.as_str() == value).ok_or_else(|| {
                    ValidationError::new($field, "must be one of: high, medium, low")
                })
            }

            const fn index(self) -> usize {
                match self {
                    Self::High => 0,
                    Self::Medium => 1,
                    Self::Low => 2,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

level_enum!(
    /// How much of the business is affected: high (many users or a critical service), medium (a
    /// group or a degraded service), low (one user, or a workaround exists).
    Impact, "impact"
);
level_enum!(
    /// How fast the business needs it.
    Urgency, "urgency"
);

/// P1 (critical) to P5 (planning). Lower numbers are more urgent.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Priority {
    /// P1, critical.
    #[serde(rename = "P1")]
    P1,
    /// P2, high.
    #[serde(rename = "P2")]
    P2,
    /// P3, moderate.
    #[serde(rename = "P3")]
    P3,
    /// P4, low.
    #[serde(rename = "P4")]
    P4,
    /// P5, planning.
    #[serde(rename = "P5")]
    P5,
}

impl Priority {
    /// Every priority, most urgent first.
    pub const ALL: [Self; 5] = [Self::P1, Self::P2, Self::P3, Self::P4, Self::P5];

    /// `P1`…`P5`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::P1 => "P1",
            Self::P2 => "P2",
            Self::P3 => "P3",
            Self::P4 => "P4",
            Self::P5 => "P5",
        }
    }

    /// 1…5.
    pub const fn rank(self) -> i64 {
        match self {
            Self::P1 => 1,
            Self::P2 => 2,
            Self::P3 => 3,
            Self::P4 => 4,
            Self::P5 => 5,
        }
    }

    /// The plain-language label (critical, high, moderate, low, planning).
    pub const fn label(self) -> &'static str {
        match self {
            Self::P1 => "critical",
            Self::P2 => "high",
            Self::P3 => "moderate",
            Self::P4 => "low",
            Self::P5 => "planning",
        }
    }

    /// Parses `P1`…`P5` (case-insensitive).
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(value))
            .ok_or_else(|| ValidationError::new("priority", "must be one of: P1, P2, P3, P4, P5"))
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The impact × urgency → priority table. Rows are impact (high, medium, low), columns urgency.
///
/// Invariant: monotone — raising impact or urgency never lowers the priority. A matrix that broke
/// that rule would rank a more severe ticket below a less severe one, so it is refused.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "MatrixCells", into = "MatrixCells")]
pub struct PriorityMatrix {
    cells: [[Priority; 3]; 3],
}

/// The serialised form of a matrix: `cells[impact][urgency]`.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixCells {
    /// `cells[impact][urgency]`, with high, medium, low in that order on both axes.
    pub cells: [[Priority; 3]; 3],
}

impl PriorityMatrix {
    /// Validates a table: every row and column must be monotone.
    pub fn new(cells: [[Priority; 3]; 3]) -> Result<Self, ValidationError> {
        for i in 0..3 {
            for j in 0..3 {
                let here = cells[i][j];
                let worse_impact_ok = i == 0 || cells[i - 1][j] <= here;
                let worse_urgency_ok = j == 0 || cells[i][j - 1] <= here;
                if !worse_impact_ok || !worse_urgency_ok {
                    return Err(ValidationError::new(
                        "cells",
                        "higher impact or urgency must never give a lower priority",
                    ));
                }
            }
        }
        Ok(Self { cells })
    }

    /// The priority for an impact and urgency.
    pub fn priority(&self, impact: Impact, urgency: Urgency) -> Priority {
        self.cells[impact.index()][urgency.index()]
    }

    /// The table, `cells[impact][urgency]`.
    pub fn cells(&self) -> [[Priority; 3]; 3] {
        self.cells
    }
}

impl Default for PriorityMatrix {
    /// The ITIL default of `domain.md` §3.
    fn default() -> Self {
        use Priority::*;
        Self {
            cells: [[P1, P2, P3], [P2, P3, P4], [P3, P4, P5]],
        }
    }
}

impl TryFrom<MatrixCells> for PriorityMatrix {
    type Error = ValidationError;

    fn try_from(value: MatrixCells) -> Result<Self, Self::Error> {
        Self::new(value.cells)
    }
}

impl From<PriorityMatrix> for MatrixCells {
    fn from(value: PriorityMatrix) -> Self {
        Self { cells: value.cells }
    }
}
