//! The impact × urgency matrix: the shipped default is `domain.md` §3, and a matrix is accepted
//! exactly when it is monotone.

use proptest::prelude::*;
use spoc_domain::priority::{Impact, MatrixCells, Priority, PriorityMatrix, Urgency};
use spoc_domain::ticket::derived_priority;

#[test]
fn the_default_is_the_table_of_domain_md() {
    use Impact as I;
    use Priority::*;
    use Urgency as U;
    let m = PriorityMatrix::default();
    let expected = [
        (I::High, U::High, P1),
        (I::High, U::Medium, P2),
        (I::High, U::Low, P3),
        (I::Medium, U::High, P2),
        (I::Medium, U::Medium, P3),
        (I::Medium, U::Low, P4),
        (I::Low, U::High, P3),
        (I::Low, U::Medium, P4),
        (I::Low, U::Low, P5),
    ];
    for (impact, urgency, priority) in expected {
        assert_eq!(
            m.priority(impact, urgency),
            priority,
            "{impact} × {urgency}"
        );
    }
    assert_eq!(PriorityMatrix::new(m.cells()), Ok(m));
}

#[test]
fn priority_names_and_labels() {
    let labels: Vec<_> = Priority::ALL
        .iter()
        .map(|p| (p.as_str(), p.rank(), p.label()))
        .collect();
    assert_eq!(
        labels,
        [
            ("P1", 1, "critical"),
            ("P2", 2, "high"),
            ("P3", 3, "moderate"),
            ("P4", 4, "low"),
            ("P5", 5, "planning")
        ]
    );
    assert_eq!(Priority::parse("p2"), Ok(Priority::P2));
    assert_eq!(Priority::parse("P6").unwrap_err().field, "priority");
    assert_eq!(Impact::parse("critical").unwrap_err().field, "impact");
    assert_eq!(Urgency::parse("low"), Ok(Urgency::Low));
}

#[test]
fn a_manual_override_survives_rederivation() {
    let m = PriorityMatrix::default();
    assert_eq!(
        derived_priority(&m, Impact::High, Urgency::High, Priority::P5, true),
        Priority::P5
    );
    assert_eq!(
        derived_priority(&m, Impact::High, Urgency::High, Priority::P5, false),
        Priority::P1
    );
}

#[test]
fn the_matrix_round_trips_as_json_and_refuses_bad_tables() {
    let json = serde_json_like(&PriorityMatrix::default());
    assert_eq!(json, [[1, 2, 3], [2, 3, 4], [3, 4, 5]]);
    let inverted = [[Priority::P5; 3], [Priority::P1; 3], [Priority::P1; 3]];
    let err = PriorityMatrix::new(inverted).unwrap_err();
    assert_eq!(err.field, "cells");
    assert!(PriorityMatrix::try_from(MatrixCells { cells: inverted }).is_err());
}

/// The ranks of a matrix's cells, to compare without a JSON dependency.
fn serde_json_like(m: &PriorityMatrix) -> [[i64; 3]; 3] {
    let cells = MatrixCells::from(m.clone()).cells;
    cells.map(|row| row.map(Priority::rank))
}

/// Monotone by definition: whenever (impact, urgency) is at least as severe on both axes as
/// another pair, its priority is at least as urgent.
fn is_monotone(cells: &[[Priority; 3]; 3]) -> bool {
    for i in 0..3 {
        for j in 0..3 {
            for k in i..3 {
                for l in j..3 {
                    if cells[i][j] > cells[k][l] {
                        return false;
                    }
                }
            }
        }
    }
    true
}

fn any_priority() -> impl Strategy<Value = Priority> {
    proptest::sample::select(Priority::ALL.to_vec())
}

fn any_cells() -> impl Strategy<Value = [[Priority; 3]; 3]> {
    proptest::array::uniform3(proptest::array::uniform3(any_priority()))
}

/// Monotone tables, built by sorting rows then columns (which keeps the rows sorted), so that the
/// strategy finds accepted tables often.
#[allow(clippy::needless_range_loop)] // a column-wise pass reads clearest with indices
fn monotone_cells() -> impl Strategy<Value = [[Priority; 3]; 3]> {
    any_cells().prop_map(|mut c| {
        for row in &mut c {
            row.sort();
        }
        for j in 0..3 {
            let mut col = [c[0][j], c[1][j], c[2][j]];
            col.sort();
            for i in 0..3 {
                c[i][j] = col[i];
            }
        }
        c
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn accepted_exactly_when_monotone(cells in any_cells()) {
        prop_assert_eq!(PriorityMatrix::new(cells).is_ok(), is_monotone(&cells));
    }

    #[test]
    fn accepted_matrices_never_rank_the_more_severe_lower(
        cells in monotone_cells(),
        a in (0usize..3, 0usize..3),
        b in (0usize..3, 0usize..3),
    ) {
        let m = PriorityMatrix::new(cells).expect("sorted tables are monotone");
        let (impact_a, urgency_a) = (Impact::ALL[a.0], Urgency::ALL[a.1]);
        let (impact_b, urgency_b) = (Impact::ALL[b.0], Urgency::ALL[b.1]);
        if impact_a <= impact_b && urgency_a <= urgency_b {
            prop_assert!(m.priority(impact_a, urgency_a) <= m.priority(impact_b, urgency_b));
        }
        prop_assert_eq!(m.cells(), cells);
    }
}
