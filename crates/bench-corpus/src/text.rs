//! Synthetic prose: sentences assembled from small word lists. Nothing here comes from real
//! minutes; the names are placeholders and every figure is drawn at random.

use crate::rng::Rng;

const SPEAKERS: &[&str] = &[
    "The Chair",
    "The Vice-Chair",
    "Councillor Alder",
    "Councillor Birch",
    "Councillor Cedar",
    "Councillor Damson",
    "Councillor Elm",
    "Councillor Fir",
    "The Assistant Director (synthetic)",
    "The Head of Service (synthetic)",
    "The Strategic Lead (synthetic)",
    "The co-opted member",
    "Members",
    "Officers",
];

const REPORTING: &[&str] = &[
    "reported that",
    "confirmed that",
    "noted that",
    "explained that",
    "advised the Committee that",
    "stated that",
    "highlighted that",
    "reminded Members that",
];

const ASKING: &[&str] = &[
    "asked whether",
    "queried whether",
    "sought assurance that",
    "asked officers to explain whether",
];

/// Subjects of agenda items, paired with the measures they talk about.
pub const TOPICS: &[(&str, &[&str])] = &[
    (
        "Quarterly performance report",
        &[
            "contacts received by the front door service",
            "assessments completed within timescale",
            "open cases per practitioner",
        ],
    ),
    (
        "Placement sufficiency update",
        &[
            "placements made within the borough",
            "placements lasting two years or more",
            "carers recruited this year",
        ],
    ),
    (
        "Budget monitoring",
        &[
            "the forecast overspend in thousands of pounds",
            "agency staff in post",
            "savings delivered against plan",
        ],
    ),
    (
        "Workforce and caseloads",
        &[
            "vacant social work posts",
            "newly qualified practitioners",
            "average caseload size",
        ],
    ),
    (
        "Early help and prevention",
        &[
            "families supported by early help",
            "step-downs from statutory services",
            "referrals from schools",
        ],
    ),
    (
        "Housing repairs backlog",
        &[
            "repairs outstanding after 28 days",
            "homes meeting the decent homes standard",
            "complaints about repairs",
        ],
    ),
    (
        "Adult social care waiting lists",
        &[
            "people awaiting an assessment",
            "reviews completed on time",
            "days from referral to first contact",
        ],
    ),
    (
        "Complaints and compliments annual report",
        &[
            "complaints resolved at stage one",
            "compliments received",
            "complaints escalated to the ombudsman",
        ],
    ),
    (
        "Youth service provision",
        &[
            "young people attending youth sessions",
            "sessions delivered in the evening",
            "volunteers trained this year",
        ],
    ),
    (
        "Corporate parenting strategy",
        &[
            "young people with a pathway plan",
            "care leavers in education or training",
            "health assessments completed on time",
        ],
    ),
];

const CLAUSES: &[&str] = &[
    "the service would report back at a future meeting",
    "the figures would be reviewed by the scrutiny working group",
    "a more detailed breakdown by locality would be circulated",
    "the improvement plan remained on track",
    "partners had been consulted on the proposed changes",
    "the trend would be monitored over the next two quarters",
    "the data had been checked against the previous return",
    "further work was needed before conclusions could be drawn",
    "the service had reorganised its duty rota",
    "additional capacity had been agreed for the winter period",
];

const QUESTIONS: &[&str] = &[
    "the change was seasonal",
    "comparable authorities reported similar figures",
    "the target remained realistic",
    "residents had been involved in the review",
    "the new approach had been costed",
    "the figures included cases transferred in",
];

const RECOMMENDATIONS: &[&str] = &[
    "That the Committee note the report and the synthetic figures it contains.",
    "That Members review the areas of improvement set out in the report.",
    "That officers bring an update on the action plan to a future meeting.",
    "That the Committee endorse the proposed approach to consultation.",
    "That the work programme be amended to include a review of this item.",
    "That the Committee thank officers for the report.",
    "That a briefing note on the locality breakdown be circulated to Members.",
    "That the Chair write to partners setting out the Committee's concerns.",
];

/// Things an action asks for.
pub const ACTIONS: &[&str] = &[
    "Circulate a breakdown of the figures by locality",
    "Provide a briefing note on the recruitment campaign",
    "Report the outcome of the audit to the next meeting",
    "Share the revised improvement plan with Members",
    "Arrange a site visit for members of the Committee",
    "Confirm the timetable for the consultation",
    "Provide comparative figures from similar authorities",
    "Set out the cost of the proposed changes",
];

const PROGRESS: &[&str] = &[
    "officers reported that work had started",
    "a draft had been shared with the Chair",
    "the information was circulated to Members",
    "the item was covered in the briefing session",
    "the remaining figures were expected next quarter",
];

/// Placeholder owners of actions.
pub const OWNERS: &[&str] = &[
    "A. Example",
    "B. Sample",
    "C. Placeholder",
    "D. Specimen",
    "E. Mockup",
];

/// An upper-case first letter.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One sentence about `measures`.
pub fn sentence(rng: &mut Rng, measures: &[&str]) -> String {
    let speaker = rng.pick(SPEAKERS);
    match rng.below(5) {
        0 | 1 => {
            let measure = rng.pick(measures);
            let from = rng.between(12, 480);
            let to = if rng.chance(1, 2) {
                from + rng.between(1, 60)
            } else {
                from.saturating_sub(rng.between(1, 11)).max(1)
            };
            let direction = if to > from { "risen" } else { "fallen" };
            format!(
                "{speaker} {} {measure} had {direction} from {from} to {to} over the period.",
                rng.pick(REPORTING)
            )
        }
        2 => format!("{speaker} {} {}.", rng.pick(ASKING), rng.pick(QUESTIONS)),
        3 => format!("{speaker} {} {}.", rng.pick(REPORTING), rng.pick(CLAUSES)),
        _ => format!(
            "In response, it was confirmed that {}, and that *{}* would be included in the next report.",
            rng.pick(CLAUSES),
            rng.pick(measures)
        ),
    }
}

/// A paragraph of 2–5 sentences, wrapped at about 100 columns.
pub fn paragraph(rng: &mut Rng, measures: &[&str]) -> String {
    let count = rng.between(2, 5);
    let text: Vec<String> = (0..count).map(|_| sentence(rng, measures)).collect();
    wrap(&text.join(" "))
}

/// A short bullet list of points raised.
pub fn bullets(rng: &mut Rng, measures: &[&str]) -> String {
    let count = rng.between(2, 4);
    let mut out = String::from("Members raised the following points:\n\n");
    for _ in 0..count {
        out.push_str("- ");
        out.push_str(&capitalise(rng.pick(measures)));
        out.push_str(": ");
        out.push_str(rng.pick(CLAUSES));
        out.push_str(".\n");
    }
    out.pop();
    out
}

/// A resolution's text.
pub fn recommendation(rng: &mut Rng) -> &'static str {
    rng.pick(RECOMMENDATIONS)
}

/// What an action update says happened.
pub fn progress(rng: &mut Rng) -> &'static str {
    rng.pick(PROGRESS)
}

/// Breaks `text` into lines of at most about 100 characters.
fn wrap(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 90);
    let mut line = 0;
    for word in text.split(' ') {
        if line > 0 && line + 1 + word.len() > 100 {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_start_with_a_letter_and_wrap() {
        let mut rng = Rng::new(3);
        for _ in 0..200 {
            let p = paragraph(&mut rng, TOPICS[0].1);
            assert!(p.starts_with(|c: char| c.is_ascii_alphabetic()), "{p}");
            assert!(p.lines().all(|l| l.len() <= 140), "{p}");
        }
    }
}
