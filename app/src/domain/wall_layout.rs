//! How the kitchen wall fits its tickets on one screen nobody can scroll: by the tickets'
//! measured heights, never by their count.
//!
//! - A ticket is shown whole or not at all.
//! - Each stage (New, Preparing, …) gets one lane or more, side by side, all of one width.
//! - When a stage's tickets do not fit its lanes, they rotate through pages. The pinned ones
//!   (the oldest, every late ticket, one that just arrived) stay on every page; the others
//!   take turns.
//!
//! The browser measures and places; this module only decides, so it is tested here.

/// One ticket as the browser measured it, in the order its stage shows them (oldest first).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measured {
    pub id: i64,
    pub height: f64,
    /// Kept on every page, when there is room, lowest first: the stage's oldest ticket, one
    /// that just arrived, every late one. `None` takes turns.
    pub pin: Option<u8>,
}

/// A column of tickets, `height` tall, tickets `gap` apart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lane {
    pub height: f64,
    pub gap: f64,
}

/// Where one shown ticket goes: its lane (0 = the stage's first) and its top within it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    pub id: i64,
    pub lane: usize,
    pub top: f64,
}

/// One stage's tickets over time: `pages` take turns on the screen. Tickets taller than a whole
/// lane (`too_tall`) can never be shown whole; the screen counts them as not shown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StagePages {
    pub pages: Vec<Vec<Placed>>,
    pub too_tall: Vec<i64>,
}

impl StagePages {
    /// What is on the screen at page turn `turn` (pages rotate).
    pub fn page(&self, turn: usize) -> &[Placed] {
        match self.pages.len() {
            0 => &[],
            len => self.pages.get(turn % len).map(Vec::as_slice).unwrap_or(&[]),
        }
    }

    pub fn page_count(&self) -> usize {
        self.pages.len().max(1)
    }
}

/// The next free spot: a lane and the top of the space left in it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Cursor {
    lane: usize,
    top: f64,
}

/// Heights are measured in fractional pixels: this much over still counts as fitting.
const TOLERANCE: f64 = 0.5;

impl Cursor {
    /// Places a ticket of `height` from here, moving to the next lane if this one is too full.
    /// `None` when it fits in none of the `lanes`: the tickets keep their order, so what
    /// comes after waits for the next page rather than jumping ahead.
    fn place(self, height: f64, lanes: usize, lane: Lane) -> Option<(Cursor, Cursor)> {
        let mut at = self;
        while at.lane < lanes {
            if at.top + height <= lane.height + TOLERANCE {
                let next = Cursor { lane: at.lane, top: at.top + height + lane.gap };
                return Some((at, next));
            }
            if at.top == 0.0 {
                return None;
            }
            at = Cursor { lane: at.lane + 1, top: 0.0 };
        }
        None
    }
}

/// Places `tickets` in order from `start`, as many as fit; returns them and where it stopped.
fn fill<'a>(
    tickets: impl IntoIterator<Item = &'a Measured>,
    start: Cursor,
    lanes: usize,
    lane: Lane,
) -> (Vec<Placed>, Cursor, usize) {
    let mut cursor = start;
    let mut placed = Vec::new();
    for ticket in tickets {
        match cursor.place(ticket.height, lanes, lane) {
            Some((at, next)) => {
                placed.push(Placed { id: ticket.id, lane: at.lane, top: at.top });
                cursor = next;
            }
            None => break,
        }
    }
    let count = placed.len();
    (placed, cursor, count)
}

/// How many lanes `tickets` need to be shown all at once (at least one).
pub fn lanes_needed(tickets: &[Measured], lane: Lane) -> usize {
    let showable: Vec<Measured> =
        tickets.iter().copied().filter(|ticket| ticket.height <= lane.height + TOLERANCE).collect();
    let (_, cursor, _) = fill(&showable, Cursor::default(), usize::MAX, lane);
    if cursor.top == 0.0 {
        cursor.lane.max(1)
    } else {
        cursor.lane + 1
    }
}

/// Pages for one stage's `tickets` in `lanes` lanes.
pub fn paginate(tickets: &[Measured], lanes: usize, lane: Lane) -> StagePages {
    let (showable, too_tall): (Vec<Measured>, Vec<Measured>) =
        tickets.iter().partition(|ticket| ticket.height <= lane.height + TOLERANCE);
    let too_tall = too_tall.into_iter().map(|ticket| ticket.id).collect();
    let lanes = lanes.max(1);
    let (all, _, count) = fill(&showable, Cursor::default(), lanes, lane);
    if count == showable.len() {
        return StagePages { pages: vec![all], too_tall };
    }

    // The pinned tickets stay, in the order of their pins, as long as some other ticket still
    // fits beside them (else nothing would take turns). On the screen they keep the stage's
    // order.
    let mut candidates: Vec<(usize, &Measured)> =
        showable.iter().enumerate().filter(|(_, ticket)| ticket.pin.is_some()).collect();
    candidates.sort_by_key(|(index, ticket)| (ticket.pin, *index));
    let mut kept: Vec<usize> = Vec::new();
    for (index, _) in candidates {
        let mut trial_indexes: Vec<usize> = kept.iter().copied().chain([index]).collect();
        trial_indexes.sort_unstable();
        let trial: Vec<Measured> = trial_indexes.iter().filter_map(|index| showable.get(*index).copied()).collect();
        let smallest_other = showable
            .iter()
            .enumerate()
            .filter(|(other, _)| !trial_indexes.contains(other))
            .map(|(_, other)| other.height)
            .fold(f64::INFINITY, f64::min);
        let (_, after, placed) = fill(&trial, Cursor::default(), lanes, lane);
        if placed == trial.len() && (smallest_other.is_infinite() || after.place(smallest_other, lanes, lane).is_some())
        {
            kept = trial_indexes;
        }
    }
    let fixed: Vec<usize> = kept;
    let rotating: Vec<usize> = (0..showable.len()).filter(|index| !fixed.contains(index)).collect();
    let tickets_at = |indexes: &[usize]| -> Vec<Measured> {
        indexes.iter().filter_map(|index| showable.get(*index).copied()).collect()
    };
    let (fixed_placed, _, _) = fill(&tickets_at(&fixed), Cursor::default(), lanes, lane);

    // Each page: the kept tickets and as many of the next ones as fit, all in the stage's
    // order (oldest first), so a kept ticket sits where it belongs among them.
    let mut pages = Vec::new();
    let mut rest = rotating.as_slice();
    while let Some(first) = rest.first() {
        let mut best: Option<(Vec<Placed>, usize)> = None;
        for taken in 1..=rest.len() {
            let mut indexes: Vec<usize> = fixed.iter().chain(rest.get(..taken).unwrap_or(&[])).copied().collect();
            indexes.sort_unstable();
            let page = tickets_at(&indexes);
            let (placed, _, count) = fill(&page, Cursor::default(), lanes, lane);
            if count < page.len() {
                break;
            }
            best = Some((placed, taken));
        }
        match best {
            Some((placed, taken)) => {
                pages.push(placed);
                rest = rest.get(taken..).unwrap_or(&[]);
            }
            // It does not fit among the kept tickets in order. Then after them; else too tall
            // to go beside them: with only the stage's oldest, or else on a page of its own,
            // so it still has its turn.
            None => {
                let oldest: Vec<usize> = fixed
                    .iter()
                    .copied()
                    .filter(|index| showable.get(*index).is_some_and(|ticket| ticket.pin == Some(0)))
                    .collect();
                let after_kept: Vec<usize> = fixed.iter().copied().chain([*first]).collect();
                let with_oldest: Vec<usize> = oldest.into_iter().chain([*first]).collect();
                let page = [after_kept, with_oldest, vec![*first]]
                    .iter()
                    .map(|indexes| (indexes.len(), fill(&tickets_at(indexes), Cursor::default(), lanes, lane)))
                    .find(|(wanted, (_, _, count))| count == wanted)
                    .map(|(_, (placed, _, _))| placed)
                    .unwrap_or_default();
                pages.push(page);
                rest = rest.get(1..).unwrap_or(&[]);
            }
        }
    }
    if pages.is_empty() {
        pages.push(fixed_placed);
    }
    StagePages { pages, too_tall }
}

/// How many lanes each stage gets out of `total`: one each at least (when there is room),
/// then one at a time to the stage still missing the most; lanes nobody needs are shared out
/// in turn, so a station with fewer stages still uses the whole screen.
pub fn share_lanes(needs: &[usize], total: usize) -> Vec<usize> {
    let mut shares = vec![usize::from(total >= needs.len()); needs.len()];
    let mut left = total.saturating_sub(shares.iter().sum());
    while left > 0 {
        let neediest = needs
            .iter()
            .zip(&shares)
            .enumerate()
            .filter(|(_, (need, share))| need > share)
            .max_by_key(|(index, (need, share))| (**need - **share, std::cmp::Reverse(*index)))
            .map(|(index, _)| index);
        // Nobody short: the stage with the fewest lanes, the first of them.
        let index = neediest.or_else(|| {
            shares.iter().enumerate().min_by_key(|(index, share)| (**share, *index)).map(|(index, _)| index)
        });
        let Some(share) = index.and_then(|index| shares.get_mut(index)) else { break };
        *share += 1;
        left -= 1;
    }
    shares
}

/// What the wall cannot show at the current page turn, for its counter ("+15 more · page 2/3").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OffScreen {
    /// Tickets not on the screen right now.
    pub hidden: usize,
    /// This page (from 1) and how many there are.
    pub page: usize,
    pub pages: usize,
}

/// The whole wall at one density: each stage's lanes and pages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WallLayout {
    pub lanes: Vec<usize>,
    pub stages: Vec<StagePages>,
}

impl WallLayout {
    /// Lays out `stages` (each its tickets, oldest first) on `total_lanes` lanes.
    pub fn plan(stages: &[Vec<Measured>], total_lanes: usize, lane: Lane) -> WallLayout {
        let needs: Vec<usize> = stages.iter().map(|tickets| lanes_needed(tickets, lane)).collect();
        let lanes = share_lanes(&needs, total_lanes);
        let stages = stages.iter().zip(&lanes).map(|(tickets, lanes)| paginate(tickets, *lanes, lane)).collect();
        WallLayout { lanes, stages }
    }

    /// Whether every ticket is on the screen at once.
    pub fn fits(&self) -> bool {
        self.stages.iter().all(|stage| stage.pages.len() <= 1 && stage.too_tall.is_empty())
    }

    /// Turns a full cycle takes: every stage has shown each of its pages within it.
    pub fn page_count(&self) -> usize {
        self.stages.iter().map(StagePages::page_count).max().unwrap_or(1)
    }

    /// Ids on the screen at `turn`.
    pub fn shown(&self, turn: usize) -> impl Iterator<Item = &Placed> {
        self.stages.iter().flat_map(move |stage| stage.page(turn))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    const LANE: Lane = Lane { height: 100.0, gap: 10.0 };

    fn tickets(heights: &[f64]) -> Vec<Measured> {
        heights
            .iter()
            .enumerate()
            .map(|(index, height)| Measured { id: index as i64 + 1, height: *height, pin: (index == 0).then_some(0) })
            .collect()
    }

    fn ids(placed: &[Placed]) -> Vec<i64> {
        placed.iter().map(|placed| placed.id).collect()
    }

    #[test]
    fn tickets_that_fit_are_all_on_one_page_in_order() {
        let stage = paginate(&tickets(&[40.0, 40.0, 90.0]), 2, LANE);
        assert_eq!(stage.pages.len(), 1);
        assert_eq!(
            stage.pages[0],
            vec![
                Placed { id: 1, lane: 0, top: 0.0 },
                Placed { id: 2, lane: 0, top: 50.0 },
                Placed { id: 3, lane: 1, top: 0.0 },
            ]
        );
    }

    #[test]
    fn the_oldest_stays_while_the_newer_ones_take_turns() {
        let stage = paginate(&tickets(&[40.0, 40.0, 40.0, 40.0]), 1, LANE);
        let pages: Vec<Vec<i64>> = stage.pages.iter().map(|page| ids(page)).collect();
        assert_eq!(pages, vec![vec![1, 2], vec![1, 3], vec![1, 4]]);
    }

    #[test]
    fn late_tickets_stay_too_unless_that_would_starve_the_rest() {
        let mut stage = tickets(&[25.0, 25.0, 25.0, 25.0, 25.0]);
        stage[1].pin = Some(2);
        let pages = paginate(&stage, 1, LANE);
        assert!(pages.pages.iter().all(|page| ids(page).starts_with(&[1, 2])), "{pages:?}");
        // A ticket that just arrived comes before the late ones when not all fit.
        stage[4].pin = Some(1);
        stage[2].pin = Some(2);
        let pages = paginate(&stage, 1, LANE);
        assert!(pages.pages.iter().all(|page| ids(page).contains(&5) && ids(page).contains(&1)), "{pages:?}");
        assert!(
            pages.pages.iter().all(|page| ids(page).windows(2).all(|pair| pair[0] < pair[1])),
            "stage order kept: {pages:?}"
        );
        // Every pinned: only as many stay as leave room for the others to rotate.
        let all_pinned: Vec<Measured> = stage.iter().map(|ticket| Measured { pin: Some(2), ..*ticket }).collect();
        let pages = paginate(&all_pinned, 1, LANE);
        let shown: BTreeSet<i64> = pages.pages.iter().flatten().map(|placed| placed.id).collect();
        assert_eq!(shown, (1..=5).collect());
    }

    #[test]
    fn a_ticket_too_tall_to_go_beside_the_kept_ones_still_has_its_turn() {
        let mut stage = tickets(&[20.0, 80.0, 20.0, 20.0]);
        stage[3].pin = Some(1);
        let pages: Vec<Vec<i64>> = paginate(&stage, 1, LANE).pages.iter().map(|page| ids(page)).collect();
        assert_eq!(pages, vec![vec![2], vec![1, 3, 4]]);
    }

    #[test]
    fn a_ticket_taller_than_a_lane_is_counted_not_cut() {
        let stage = paginate(&tickets(&[40.0, 140.0, 40.0]), 1, LANE);
        assert_eq!(stage.too_tall, vec![2]);
        assert_eq!(ids(&stage.pages[0]), vec![1, 3]);
    }

    #[test]
    fn spare_lanes_go_to_the_stage_missing_the_most() {
        assert_eq!(share_lanes(&[1, 1, 1, 1], 4), vec![1, 1, 1, 1]);
        assert_eq!(share_lanes(&[4, 1, 1, 1], 6), vec![3, 1, 1, 1]);
        assert_eq!(share_lanes(&[3, 3, 1, 1], 6), vec![2, 2, 1, 1]);
        assert_eq!(share_lanes(&[1, 1], 6), vec![3, 3]);
        assert_eq!(share_lanes(&[1], 4), vec![4]);
        assert_eq!(share_lanes(&[2, 2], 1), vec![1, 0]);
    }

    #[test]
    fn lanes_needed_counts_partly_filled_lanes() {
        assert_eq!(lanes_needed(&[], LANE), 1);
        assert_eq!(lanes_needed(&tickets(&[100.0]), LANE), 1);
        assert_eq!(lanes_needed(&tickets(&[50.0, 50.0]), LANE), 2);
        assert_eq!(lanes_needed(&tickets(&[40.0, 40.0, 40.0]), LANE), 2);
    }

    proptest! {
        /// Whatever the heights: no page overflows a lane or overlaps two tickets, and over a
        /// cycle every ticket that can be shown is; the others are counted as too tall.
        #[test]
        fn every_ticket_has_its_turn_and_none_is_cut(
            heights in prop::collection::vec(5.0f64..150.0, 0..40),
            pinned in prop::collection::vec(any::<bool>(), 40),
            lanes in 1usize..4,
        ) {
            let stage: Vec<Measured> = heights
                .iter()
                .enumerate()
                .map(|(index, height)| Measured { id: index as i64, height: *height, pin: pinned[index].then_some(2) })
                .collect();
            let pages = paginate(&stage, lanes, LANE);
            let mut seen = BTreeSet::new();
            for page in &pages.pages {
                let mut bottoms = vec![0.0f64; lanes];
                for placed in page {
                    let ticket = stage.iter().find(|ticket| ticket.id == placed.id).unwrap();
                    prop_assert!(placed.lane < lanes);
                    prop_assert!(placed.top + 1e-9 >= bottoms[placed.lane], "overlap");
                    prop_assert!(placed.top + ticket.height <= LANE.height + TOLERANCE, "cut");
                    bottoms[placed.lane] = placed.top + ticket.height + LANE.gap;
                    seen.insert(placed.id);
                }
            }
            let showable: BTreeSet<i64> = stage.iter().filter(|ticket| ticket.height <= LANE.height + TOLERANCE).map(|ticket| ticket.id).collect();
            prop_assert_eq!(&seen, &showable);
            let too_tall: BTreeSet<i64> = pages.too_tall.iter().copied().collect();
            prop_assert_eq!(seen.len() + too_tall.len(), stage.len());
        }

        /// The stage's oldest ticket is on every page whenever it leaves room for the rest.
        #[test]
        fn the_oldest_ticket_never_leaves_the_screen(
            heights in prop::collection::vec(5.0f64..45.0, 1..30),
        ) {
            let pages = paginate(&tickets(&heights), 1, LANE);
            for page in &pages.pages {
                prop_assert_eq!(page.first().map(|placed| placed.id), Some(1));
            }
        }
    }
}
