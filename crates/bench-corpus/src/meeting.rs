//! The synthetic meetings: which committee meets on which day, and the Markdown of its minutes,
//! written in the clerk's syntax the minutes plugin reads (agenda items with `{#item-N}`,
//! `RESOLVED:` blocks, `Action:` with attributes, `Action update:` linking `action:<id>`).

use std::fmt::Write as _;

use crate::rng::Rng;
use crate::text;
use scrutiny_plugin::period::Date;

/// A synthetic committee.
pub struct Committee {
    /// Its id: the folder under `content/minutes/`.
    pub id: &'static str,
    /// Its name, as `site.toml` declares it.
    pub name: &'static str,
}

/// The committees meetings are spread over.
pub const COMMITTEES: [Committee; 4] = [
    Committee {
        id: "synthetic-children",
        name: "Synthetic Children's Services Scrutiny Committee",
    },
    Committee {
        id: "synthetic-adults",
        name: "Synthetic Adult Social Care Scrutiny Committee",
    },
    Committee {
        id: "synthetic-housing",
        name: "Synthetic Housing Scrutiny Committee",
    },
    Committee {
        id: "synthetic-corporate",
        name: "Synthetic Corporate Overview and Scrutiny Committee",
    },
];

/// The note every synthetic meeting carries in its front matter.
pub const NOTE: &str = "Synthetic meeting generated for benchmarking; not real minutes.";

/// The days from [`FIRST_DAY`] to the last day scrutiny takes a date of (31 December 2200).
pub const DAYS: usize = 73_410;

/// The day of the first meeting; each later meeting is one day after the one before, or, in a
/// corpus of more meetings than [`DAYS`], on the same day of another committee.
pub const FIRST_DAY: Date = Date {
    year: 2000,
    month: 1,
    day: 3,
};

/// One generated meeting.
pub struct Meeting {
    /// Index into [`COMMITTEES`].
    pub committee: usize,
    /// When it met.
    pub date: Date,
    /// Page title.
    pub title: String,
    /// The Markdown body (no front matter).
    pub body: String,
}

impl Meeting {
    /// The committee's id.
    pub fn committee_id(&self) -> &'static str {
        COMMITTEES[self.committee].id
    }
}

struct OpenAction {
    id: String,
    what: &'static str,
}

/// Generates meetings one after another; the sequence depends only on the seed.
pub struct Generator {
    rng: Rng,
    count: usize,
    /// Meetings a day: 1 up to [`DAYS`] meetings, more (one a committee at most) above.
    per_day: usize,
    /// The committees that met today so far.
    met_today: Vec<usize>,
    /// Every meeting so far: committee and date.
    history: Vec<(usize, Date)>,
    /// The last meeting of each committee.
    last: [Option<Date>; 4],
    /// Actions raised and not yet done, per committee, oldest first.
    open: [Vec<OpenAction>; 4],
    next_action: usize,
}

impl Generator {
    /// A generator for the sequence of `seed`, of `meetings` meetings in all (which sets how
    /// many meet on one day). Up to [`DAYS`] meetings, the sequence does not depend on it.
    pub fn new(seed: u64, meetings: usize) -> Self {
        Self {
            rng: Rng::new(seed),
            count: 0,
            per_day: meetings.div_ceil(DAYS).clamp(1, COMMITTEES.len()),
            met_today: Vec::new(),
            history: Vec::new(),
            last: [None; 4],
            open: Default::default(),
            next_action: 1,
        }
    }

    /// The next meeting: one day after the previous one (or on its day, when more than one
    /// meet a day), of a committee drawn at random among those that have not met that day.
    pub fn next_meeting(&mut self) -> Meeting {
        let date = FIRST_DAY.plus((self.count / self.per_day) as i64);
        if self.count.is_multiple_of(self.per_day) {
            self.met_today.clear();
        }
        self.count += 1;
        let free: Vec<usize> = (0..COMMITTEES.len())
            .filter(|c| !self.met_today.contains(c))
            .collect();
        let committee = free[self.rng.below(free.len())];
        self.met_today.push(committee);
        let title = format!(
            "Synthetic minutes: {}, {}",
            COMMITTEES[committee].name, date
        );
        let body = self.body(committee, date);
        self.history.push((committee, date));
        self.last[committee] = Some(date);
        Meeting {
            committee,
            date,
            title,
            body,
        }
    }

    fn body(&mut self, committee: usize, date: Date) -> String {
        let items = self.rng.between(3, 6);
        let action_item = self.rng.chance(1, 3).then(|| self.rng.between(3, items));
        let link_item =
            (!self.history.is_empty() && self.rng.chance(2, 5)).then(|| self.rng.between(3, items));
        let mut out = String::with_capacity(4096);

        // 1. Apologies.
        out.push_str("## 1. Apologies for absence {#item-1}\n\n");
        if self.rng.chance(1, 4) {
            out.push_str("There were no apologies for absence.\n\n");
        } else {
            let names = ["Alder", "Birch", "Cedar", "Damson", "Elm", "Fir"];
            let first = self.rng.below(names.len());
            let second = (first + 1 + self.rng.below(names.len() - 1)) % names.len();
            let _ = writeln!(
                out,
                "Apologies for absence were received from Councillor {} and Councillor {}.\n",
                names[first], names[second]
            );
        }

        // 2. Minutes of the previous meeting, and updates on earlier actions.
        out.push_str("## 2. Minutes of the previous meeting {#item-2}\n\nRESOLVED:\n\n");
        match self.last[committee] {
            Some(previous) => {
                let _ = writeln!(
                    out,
                    "2.1 That the minutes of [the meeting held on {}](meeting:{}/{}) be approved as a correct\nrecord.\n",
                    previous,
                    COMMITTEES[committee].id,
                    previous.iso()
                );
            }
            None => out.push_str(
                "2.1 That the Committee note that this is the first meeting of the synthetic series.\n\n",
            ),
        }
        self.updates(committee, &mut out);

        // 3.. Topics.
        let mut topics: Vec<usize> = (0..text::TOPICS.len()).collect();
        for i in (1..topics.len()).rev() {
            let j = self.rng.below(i + 1);
            topics.swap(i, j);
        }
        for n in 3..=items {
            let (topic, measures) = text::TOPICS[topics[n - 3]];
            let _ = writeln!(out, "## {n}. {topic} {{#item-{n}}}\n");
            for _ in 0..self.rng.between(2, 4) {
                out.push_str(&text::paragraph(&mut self.rng, measures));
                out.push_str("\n\n");
            }
            if self.rng.chance(1, 4) {
                out.push_str(&text::bullets(&mut self.rng, measures));
                out.push_str("\n\n");
            }
            if link_item == Some(n) {
                let (c, earlier) = self.history[self.rng.below(self.history.len())];
                let _ = writeln!(
                    out,
                    "The Committee recalled the discussion at [the meeting of the {} on {}](meeting:{}/{}#item-2).\n",
                    COMMITTEES[c].name,
                    earlier,
                    COMMITTEES[c].id,
                    earlier.iso()
                );
            }
            if n == 3 || self.rng.chance(3, 4) {
                self.resolutions(n, &mut out);
            }
            if action_item == Some(n) {
                self.action(committee, date, &mut out);
            }
        }
        out.pop();
        out
    }

    /// A `RESOLVED:` block of 1–3 numbered resolutions for item `n`.
    fn resolutions(&mut self, n: usize, out: &mut String) {
        out.push_str("RESOLVED:\n\n");
        let lettered = self.rng.chance(1, 3);
        for k in 1..=self.rng.between(1, 3) {
            let text = text::recommendation(&mut self.rng);
            if lettered {
                let letter = char::from(b'a' + (k - 1) as u8);
                let _ = writeln!(out, "({letter}) {text}\n");
            } else {
                let _ = writeln!(out, "{n}.{k} {text}\n");
            }
        }
    }

    /// An `Action:` raised at this meeting, with owner, due date and id.
    fn action(&mut self, committee: usize, date: Date, out: &mut String) {
        let id = format!("synthetic-action-{}", self.next_action);
        self.next_action += 1;
        let what = self.rng.pick(text::ACTIONS);
        let owner = self.rng.pick(text::OWNERS);
        let due = date.plus(self.rng.between(28, 120) as i64);
        let _ = writeln!(
            out,
            "Action: {what}. {{owner=\"{owner}\" due={} id=\"{id}\"}}\n",
            due.iso()
        );
        self.open[committee].push(OpenAction { id, what });
    }

    /// `Action update:` paragraphs for some of this committee's open actions.
    fn updates(&mut self, committee: usize, out: &mut String) {
        let mut posted = 0;
        let mut i = 0;
        while i < self.open[committee].len() && posted < 3 {
            if !self.rng.chance(1, 2) {
                i += 1;
                continue;
            }
            posted += 1;
            let done = self.rng.chance(1, 2);
            let progress = text::progress(&mut self.rng);
            let action = &self.open[committee][i];
            let _ = writeln!(
                out,
                "Action update: [{}](action:{}): {progress}. {{status=\"{}\"}}\n",
                action.what.to_lowercase(),
                action.id,
                if done { "done" } else { "in-progress" }
            );
            if done {
                self.open[committee].remove(i);
            } else {
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corpus_of_more_meetings_than_days_meets_twice_a_day_in_other_committees() {
        let mut generator = Generator::new(7, DAYS + 1);
        let meetings: Vec<Meeting> = (0..8).map(|_| generator.next_meeting()).collect();
        for (day, pair) in meetings.chunks(2).enumerate() {
            assert_eq!(pair[0].date, FIRST_DAY.plus(day as i64));
            assert_eq!(pair[0].date, pair[1].date);
            assert_ne!(pair[0].committee, pair[1].committee);
        }
        // Up to DAYS meetings, one a day, as before.
        let mut one_a_day = Generator::new(7, DAYS);
        assert_eq!(one_a_day.next_meeting().date, FIRST_DAY);
        assert_eq!(one_a_day.next_meeting().date, FIRST_DAY.plus(1));
    }

    #[test]
    fn deterministic_and_well_formed() {
        let mut a = Generator::new(42, 1000);
        let mut b = Generator::new(42, 1000);
        let mut actions = 0;
        let mut updates = 0;
        let mut links = 0;
        for i in 0..300 {
            let x = a.next_meeting();
            let y = b.next_meeting();
            assert_eq!(x.body, y.body);
            assert_eq!(x.date, FIRST_DAY.plus(i));
            let items = x.body.matches("\n## ").count() + 1;
            assert!((3..=6).contains(&items), "{}", x.body);
            assert!(x.body.contains("RESOLVED:\n\n"));
            assert!(x.title.contains("Synthetic"));
            actions += x.body.matches("\nAction: ").count();
            updates += x.body.matches("\nAction update: ").count();
            links += x.body.matches("#item-2)").count();
        }
        assert!((70..=130).contains(&actions), "{actions}");
        assert!(updates > 50, "{updates}");
        assert!(links > 50, "{links}");
    }
}
