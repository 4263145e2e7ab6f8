//! Small-count suppression.
//!
//! Counts from 1 to the threshold (default 9) could point at a person, so they
//! are hidden (primary suppression). A hidden cell in a group whose total is
//! published could still be worked out from the total and the other cells, so
//! more cells are hidden (secondary suppression) until every primary cell has
//! at least two values consistent with everything published.
//!
//! A reader knows that a primary cell holds 1..=threshold (that is what `<10`
//! says) and knows nothing about a secondary cell except that it is a count.
//! With one linear constraint (the cells sum to the total) the set of values a
//! hidden cell can take is exactly the interval computed by [`feasible_range`].

/// How a cell is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// The number itself.
    Shown(u64),
    /// Hidden because it is small (1..=threshold): printed as `<10`.
    Small,
    /// Hidden so a small cell cannot be worked out: printed as `秘匿`.
    Secondary,
}

impl Cell {
    /// Whether the cell is printed as something other than its number.
    pub fn is_hidden(self) -> bool {
        !matches!(self, Cell::Shown(_))
    }
}

/// A group of additive cells and its total, as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    /// The group's cells, in the order given.
    pub cells: Vec<Cell>,
    /// The group's total: hidden when small itself, or as a last resort when hiding cells is not
    /// enough.
    pub total: Cell,
}

/// Hides small cells, then more cells (smallest first) until no small cell
/// can be recovered from the total; hides the total as a last resort.
pub fn suppress_group(values: &[u64], threshold: u64) -> Suppressed {
    let total_value: u64 = values.iter().sum();
    let small = |v: u64| v >= 1 && v <= threshold;
    let mut cells: Vec<Cell> = values
        .iter()
        .map(|&v| {
            if small(v) {
                Cell::Small
            } else {
                Cell::Shown(v)
            }
        })
        .collect();
    let mut total = if small(total_value) {
        Cell::Small
    } else {
        Cell::Shown(total_value)
    };
    while let Cell::Shown(t) = total {
        if !recoverable(&cells, values, t, threshold) {
            break;
        }
        // Hide the smallest non-zero published cell: it costs the least information.
        let next = values
            .iter()
            .enumerate()
            .filter(|(i, v)| **v > 0 && !cells[*i].is_hidden())
            .min_by_key(|(i, v)| (**v, *i))
            .map(|(i, _)| i);
        match next {
            Some(i) => cells[i] = Cell::Secondary,
            None => total = Cell::Secondary,
        }
    }
    Suppressed { cells, total }
}

/// The bounds a reader can put on a hidden cell before using the total.
fn bounds(cell: Cell, threshold: u64, total: u64) -> (u64, u64) {
    match cell {
        Cell::Small => (1, threshold.min(total)),
        Cell::Secondary => (0, total),
        Cell::Shown(v) => (v, v),
    }
}

/// The values hidden cell `i` can take given everything published.
pub fn feasible_range(cells: &[Cell], total: u64, threshold: u64, i: usize) -> (u64, u64) {
    let shown: u64 = cells
        .iter()
        .filter_map(|c| match c {
            Cell::Shown(v) => Some(*v),
            _ => None,
        })
        .sum();
    let rest = total.saturating_sub(shown);
    let (lo_i, hi_i) = bounds(cells[i], threshold, total);
    let (mut lo_others, mut hi_others) = (0u64, 0u64);
    for (j, c) in cells.iter().enumerate() {
        if j != i && c.is_hidden() {
            let (lo, hi) = bounds(*c, threshold, total);
            lo_others += lo;
            hi_others += hi;
        }
    }
    (
        lo_i.max(rest.saturating_sub(hi_others)),
        hi_i.min(rest.saturating_sub(lo_others)),
    )
}

/// Whether some small cell has only one possible value.
fn recoverable(cells: &[Cell], _values: &[u64], total: u64, threshold: u64) -> bool {
    cells.iter().enumerate().any(|(i, c)| {
        *c == Cell::Small && {
            let (lo, hi) = feasible_range(cells, total, threshold, i);
            lo >= hi
        }
    })
}

/// Hides small values in a list that has no published total (for example
/// distinct people per program, which do not add up).
pub fn suppress_independent(values: &[u64], threshold: u64) -> Vec<Cell> {
    values
        .iter()
        .map(|&v| {
            if v >= 1 && v <= threshold {
                Cell::Small
            } else {
                Cell::Shown(v)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Every assignment of the hidden cells that a reader would accept:
    /// brute force, independent of `feasible_range`.
    fn values_of_cell(
        s: &Suppressed,
        true_values: &[u64],
        threshold: u64,
        i: usize,
    ) -> std::collections::BTreeSet<u64> {
        let Cell::Shown(total) = s.total else {
            // No total published: a small cell can be anything from 1 to the threshold.
            return (1..=threshold).collect();
        };
        let hidden: Vec<usize> = (0..s.cells.len())
            .filter(|j| s.cells[*j].is_hidden())
            .collect();
        let shown: u64 = s
            .cells
            .iter()
            .filter_map(|c| {
                if let Cell::Shown(v) = c {
                    Some(*v)
                } else {
                    None
                }
            })
            .sum();
        let rest = total - shown;
        let mut out = std::collections::BTreeSet::new();
        let mut assign = vec![0u64; hidden.len()];
        #[allow(clippy::too_many_arguments)]
        fn walk(
            k: usize,
            hidden: &[usize],
            cells: &[Cell],
            threshold: u64,
            left: u64,
            assign: &mut Vec<u64>,
            i: usize,
            out: &mut std::collections::BTreeSet<u64>,
        ) {
            if k == hidden.len() {
                if left == 0 {
                    let pos = hidden.iter().position(|h| *h == i).unwrap();
                    out.insert(assign[pos]);
                }
                return;
            }
            let (lo, hi) = match cells[hidden[k]] {
                Cell::Small => (1, threshold),
                _ => (0, left),
            };
            for v in lo..=hi.min(left) {
                assign[k] = v;
                walk(k + 1, hidden, cells, threshold, left - v, assign, i, out);
            }
        }
        walk(
            0,
            &hidden,
            &s.cells,
            threshold,
            rest,
            &mut assign,
            i,
            &mut out,
        );
        assert!(
            out.contains(&true_values[i]),
            "the truth must be consistent"
        );
        out
    }

    #[test]
    fn small_cells_cannot_be_recovered_from_totals() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3797);
        for _ in 0..3000 {
            let n = rng.random_range(1..=6);
            let threshold = 9;
            let values: Vec<u64> = (0..n)
                .map(|_| match rng.random_range(0..4) {
                    0 => 0,
                    1 => rng.random_range(1..=9),
                    2 => rng.random_range(10..=15),
                    _ => rng.random_range(10..=40),
                })
                .collect();
            let s = suppress_group(&values, threshold);
            for (i, c) in s.cells.iter().enumerate() {
                match c {
                    Cell::Shown(v) => assert_eq!(*v, values[i]),
                    Cell::Small => {
                        let possible = values_of_cell(&s, &values, threshold, i);
                        assert!(
                            possible.len() >= 2,
                            "{values:?} → {s:?}: cell {i} is recoverable"
                        );
                    }
                    Cell::Secondary => {}
                }
            }
        }
    }

    #[test]
    fn lone_small_cell_gets_a_partner() {
        let s = suppress_group(&[25, 3, 40, 0], 9);
        assert_eq!(
            s.cells,
            vec![
                Cell::Secondary,
                Cell::Small,
                Cell::Shown(40),
                Cell::Shown(0)
            ]
        );
        assert_eq!(s.total, Cell::Shown(68));
    }

    #[test]
    fn nothing_small_means_nothing_hidden() {
        let s = suppress_group(&[25, 0, 40], 9);
        assert!(s.cells.iter().all(|c| !c.is_hidden()));
        assert_eq!(s.total, Cell::Shown(65));
    }

    #[test]
    fn a_small_total_is_hidden_too() {
        let s = suppress_group(&[2, 3], 9);
        assert_eq!(s.total, Cell::Small);
    }

    #[test]
    fn no_partner_available_hides_the_total() {
        let s = suppress_group(&[4, 0, 0], 9);
        assert_eq!(s.cells[0], Cell::Small);
        assert_eq!(s.total, Cell::Small);
        let s = suppress_group(&[12, 0], 9);
        assert_eq!(s.total, Cell::Shown(12));
    }
}
