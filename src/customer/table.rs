//! The lifecycle transition table: which move each cause can produce from each
//! stage. One table, in code ([`TRANSITIONS`]) and in its rustdoc, kept equal by
//! a test that reads this file.

use serde::{Deserialize, Serialize};

use super::cause::{ExperienceQuality as Q, Trigger, Valence};
use super::{Cause, Stage};

/// A condition on the customer's purchase history that a rule may require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Condition {
    /// No condition.
    Any,
    /// The customer has bought at least once.
    EverBought,
    /// The customer has never bought.
    NeverBought,
}

impl Condition {
    /// Whether a customer who has `ever_bought` (or not) meets the condition.
    pub fn holds(self, ever_bought: bool) -> bool {
        match self {
            Condition::Any => true,
            Condition::EverBought => ever_bought,
            Condition::NeverBought => !ever_bought,
        }
    }

    /// The condition's name in `snake_case` (`any`, `ever_bought`, `never_bought`).
    pub fn name(self) -> &'static str {
        match self {
            Condition::Any => "any",
            Condition::EverBought => "ever_bought",
            Condition::NeverBought => "never_bought",
        }
    }
}

/// One row of the transition table: a customer in stage `from` who meets `when`
/// can move to `to` when `trigger` happens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Rule {
    /// The stage the rule applies to.
    pub from: Stage,
    /// The kind of cause that fires it.
    pub trigger: Trigger,
    /// What the customer's purchase history must be.
    pub when: Condition,
    /// The stage the customer moves to.
    pub to: Stage,
    /// The documented default chance that the cause produces the move in a
    /// simulation (see [`TransitionProbabilities`](super::TransitionProbabilities)).
    /// A finite number in `[0, 1]` (a test checks every row).
    pub default_probability: f64,
}

const fn rule(from: Stage, trigger: Trigger, when: Condition, to: Stage, p: f64) -> Rule {
    Rule {
        from,
        trigger,
        when,
        to,
        default_probability: p,
    }
}

use Condition::{Any, EverBought, NeverBought};
use Stage::{Adversary, Advocate, Aware, Customer, Lapsed, Prospect, Unaware};
use Trigger::WordOfMouth as Wom;
use Trigger::{Complaint, Engagement, Experience, Exposure, NoContact, Purchase, ServiceRecovery};

/// Number of rows in [`TRANSITIONS`].
pub const RULE_COUNT: usize = 47;

/// The lifecycle transition table. A cause that has no row for the customer's
/// stage (and purchase history) moves nobody; at most one row matches.
/// "Default p" is the chance that the cause produces the move in a simulation
/// (the [`TransitionProbabilities`](super::TransitionProbabilities) default);
/// when a caller applies real events (a CRM), every matching row fires.
///
/// | from | trigger | when | to | default p |
/// |---|---|---|---|---|
/// | unaware | exposure | any | aware | 0.5 |
/// | unaware | engagement_relevant | any | aware | 0.8 |
/// | unaware | engagement_irrelevant | any | aware | 0.3 |
/// | unaware | word_of_mouth_positive | any | prospect | 0.3 |
/// | unaware | word_of_mouth_negative | any | aware | 0.3 |
/// | unaware | experience_delighted | any | prospect | 1 |
/// | unaware | experience_satisfied | any | aware | 1 |
/// | unaware | experience_disappointed | any | aware | 1 |
/// | unaware | experience_outraged | any | adversary | 0.5 |
/// | unaware | purchase | any | customer | 1 |
/// | aware | engagement_relevant | any | prospect | 0.3 |
/// | aware | word_of_mouth_positive | any | prospect | 0.3 |
/// | aware | word_of_mouth_negative | any | adversary | 0.05 |
/// | aware | experience_delighted | any | prospect | 0.5 |
/// | aware | experience_outraged | any | adversary | 0.5 |
/// | aware | purchase | any | customer | 1 |
/// | aware | no_contact | any | unaware | 0.1 |
/// | prospect | purchase | any | customer | 1 |
/// | prospect | engagement_irrelevant | any | aware | 0.2 |
/// | prospect | word_of_mouth_negative | any | aware | 0.3 |
/// | prospect | experience_disappointed | any | aware | 0.5 |
/// | prospect | experience_outraged | any | adversary | 0.6 |
/// | prospect | no_contact | any | aware | 0.3 |
/// | customer | experience_delighted | any | advocate | 0.3 |
/// | customer | word_of_mouth_positive | any | advocate | 0.05 |
/// | customer | word_of_mouth_negative | any | adversary | 0.05 |
/// | customer | experience_outraged | any | adversary | 0.5 |
/// | customer | no_contact | any | lapsed | 0.2 |
/// | advocate | experience_disappointed | any | customer | 0.3 |
/// | advocate | experience_outraged | any | adversary | 0.5 |
/// | advocate | complaint | any | customer | 0.5 |
/// | advocate | word_of_mouth_negative | any | customer | 0.2 |
/// | advocate | no_contact | any | customer | 0.1 |
/// | adversary | service_recovery | ever_bought | customer | 0.5 |
/// | adversary | service_recovery | never_bought | prospect | 0.5 |
/// | adversary | experience_delighted | ever_bought | customer | 0.2 |
/// | adversary | experience_delighted | never_bought | prospect | 0.2 |
/// | adversary | word_of_mouth_positive | never_bought | aware | 0.05 |
/// | adversary | purchase | any | customer | 1 |
/// | adversary | no_contact | ever_bought | lapsed | 0.05 |
/// | adversary | no_contact | never_bought | aware | 0.05 |
/// | lapsed | purchase | any | customer | 1 |
/// | lapsed | engagement_relevant | any | prospect | 0.2 |
/// | lapsed | word_of_mouth_positive | any | prospect | 0.2 |
/// | lapsed | service_recovery | any | customer | 0.3 |
/// | lapsed | experience_delighted | any | customer | 0.3 |
/// | lapsed | experience_outraged | any | adversary | 0.5 |
///
/// Reading it: prospects become customers by buying; a delighted customer can
/// become an advocate, an outraged advocate an adversary in one step; service
/// recovery (or a delightful experience) wins an adversary back, as a customer
/// if they had bought and as a prospect if not; time without contact lets
/// customers lapse, advocacy fade and anger cool. Word of mouth moves people
/// both ways at every stage where the essays see it act: praise makes the
/// unaware and the merely aware consider buying (and, in a simulation, can make
/// a prospect buy: a referral sale), and confirms a customer into an advocate
/// (social proof); criticism makes the unaware aware of the brand with a poor
/// opinion of it, sends prospects back to merely aware, turns some who only
/// know the brand, and some customers, into adversaries, and makes an advocate
/// doubt (back to customer). A purchase always makes a customer (an advocate
/// who buys stays an advocate). An advocacy programme makes advocates through
/// the `customer+experience_delighted` row: it recognises a satisfied customer
/// (see [`EngagementKind::AdvocacyProgramme`](crate::brand::EngagementKind::AdvocacyProgramme)).
///
/// Who is an *influencer* is not a stage and not a follower count: it is
/// computed from the influence network (expected reach) by the
/// [propagation engine](crate::propagation).
pub const TRANSITIONS: [Rule; RULE_COUNT] = [
    rule(Unaware, Exposure, Any, Aware, 0.5),
    rule(Unaware, Engagement { relevant: true }, Any, Aware, 0.8),
    rule(Unaware, Engagement { relevant: false }, Any, Aware, 0.3),
    rule(Unaware, Wom(Valence::Positive), Any, Prospect, 0.3),
    rule(Unaware, Wom(Valence::Negative), Any, Aware, 0.3),
    rule(Unaware, Experience(Q::Delighted), Any, Prospect, 1.0),
    rule(Unaware, Experience(Q::Satisfied), Any, Aware, 1.0),
    rule(Unaware, Experience(Q::Disappointed), Any, Aware, 1.0),
    rule(Unaware, Experience(Q::Outraged), Any, Adversary, 0.5),
    rule(Unaware, Purchase, Any, Customer, 1.0),
    rule(Aware, Engagement { relevant: true }, Any, Prospect, 0.3),
    rule(Aware, Wom(Valence::Positive), Any, Prospect, 0.3),
    rule(Aware, Wom(Valence::Negative), Any, Adversary, 0.05),
    rule(Aware, Experience(Q::Delighted), Any, Prospect, 0.5),
    rule(Aware, Experience(Q::Outraged), Any, Adversary, 0.5),
    rule(Aware, Purchase, Any, Customer, 1.0),
    rule(Aware, NoContact, Any, Unaware, 0.1),
    rule(Prospect, Purchase, Any, Customer, 1.0),
    rule(Prospect, Engagement { relevant: false }, Any, Aware, 0.2),
    rule(Prospect, Wom(Valence::Negative), Any, Aware, 0.3),
    rule(Prospect, Experience(Q::Disappointed), Any, Aware, 0.5),
    rule(Prospect, Experience(Q::Outraged), Any, Adversary, 0.6),
    rule(Prospect, NoContact, Any, Aware, 0.3),
    rule(Customer, Experience(Q::Delighted), Any, Advocate, 0.3),
    rule(Customer, Wom(Valence::Positive), Any, Advocate, 0.05),
    rule(Customer, Wom(Valence::Negative), Any, Adversary, 0.05),
    rule(Customer, Experience(Q::Outraged), Any, Adversary, 0.5),
    rule(Customer, NoContact, Any, Lapsed, 0.2),
    rule(Advocate, Experience(Q::Disappointed), Any, Customer, 0.3),
    rule(Advocate, Experience(Q::Outraged), Any, Adversary, 0.5),
    rule(Advocate, Complaint, Any, Customer, 0.5),
    rule(Advocate, Wom(Valence::Negative), Any, Customer, 0.2),
    rule(Advocate, NoContact, Any, Customer, 0.1),
    rule(Adversary, ServiceRecovery, EverBought, Customer, 0.5),
    rule(Adversary, ServiceRecovery, NeverBought, Prospect, 0.5),
    rule(
        Adversary,
        Experience(Q::Delighted),
        EverBought,
        Customer,
        0.2,
    ),
    rule(
        Adversary,
        Experience(Q::Delighted),
        NeverBought,
        Prospect,
        0.2,
    ),
    rule(Adversary, Wom(Valence::Positive), NeverBought, Aware, 0.05),
    rule(Adversary, Purchase, Any, Customer, 1.0),
    rule(Adversary, NoContact, EverBought, Lapsed, 0.05),
    rule(Adversary, NoContact, NeverBought, Aware, 0.05),
    rule(Lapsed, Purchase, Any, Customer, 1.0),
    rule(Lapsed, Engagement { relevant: true }, Any, Prospect, 0.2),
    rule(Lapsed, Wom(Valence::Positive), Any, Prospect, 0.2),
    rule(Lapsed, ServiceRecovery, Any, Customer, 0.3),
    rule(Lapsed, Experience(Q::Delighted), Any, Customer, 0.3),
    rule(Lapsed, Experience(Q::Outraged), Any, Adversary, 0.5),
];

/// For each stage (by [`Stage::index`]), the half-open range of its rows in
/// [`TRANSITIONS`] (rows are grouped by `from`, in [`Stage::ALL`] order; a test
/// checks it).
const STAGE_ROWS: [(usize, usize); 7] = stage_rows();

const fn stage_rows() -> [(usize, usize); 7] {
    let mut ranges = [(0usize, 0usize); 7];
    let mut stage = 0;
    let mut row = 0;
    while stage < 7 {
        let start = row;
        while row < RULE_COUNT && TRANSITIONS[row].from as usize == stage {
            row += 1;
        }
        ranges[stage] = (start, row);
        stage += 1;
    }
    ranges
}

/// The position of a row in [`TRANSITIONS`]: a handle for looking up its
/// probability in [`TransitionProbabilities`](super::TransitionProbabilities)
/// and the rule named in a CRM [explanation](crate::crm::ExplainedMove).
/// Only the library makes them, so every `RuleId` names a row.
///
/// Displayed, parsed and serialised by its [`name`](Self::name), which stays
/// the same when rows are added to the table:
///
/// ```
/// use social_loop::customer::RuleId;
/// let id: RuleId = "customer+experience_delighted".parse()?;
/// assert_eq!(id.to_string(), "customer+experience_delighted");
/// assert_eq!(serde_json::to_string(&id)?, "\"customer+experience_delighted\"");
/// assert!("customer+flying".parse::<RuleId>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(u8);

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

impl std::str::FromStr for RuleId {
    type Err = crate::error::Error;

    /// The rule named `name` (see [`RuleId::name`]).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) (field
    /// `rule`) for a name no row has.
    fn from_str(name: &str) -> crate::error::Result<Self> {
        RuleId::all().find(|id| id.name() == name).ok_or_else(|| {
            crate::error::Error::invalid("rule", format!("no transition rule is named `{name}`"))
        })
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

impl RuleId {
    /// Every rule, in table order.
    pub fn all() -> impl Iterator<Item = RuleId> {
        (0..RULE_COUNT as u8).map(RuleId)
    }

    /// The row's position in [`TRANSITIONS`].
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The row.
    pub fn rule(self) -> &'static Rule {
        // A RuleId is only made from a position below RULE_COUNT.
        &TRANSITIONS[self.index()]
    }

    /// The rule's stable name, `from+trigger` with `:condition` when it has one
    /// (`customer+experience_delighted`, `adversary+service_recovery:ever_bought`):
    /// the key of the rule in serialised [`TransitionProbabilities`](super::TransitionProbabilities).
    pub fn name(self) -> String {
        let r = self.rule();
        match r.when {
            Condition::Any => format!("{}+{}", r.from, r.trigger),
            when => format!("{}+{}:{}", r.from, r.trigger, when.name()),
        }
    }

    /// The rule that moves a customer in `stage` (who has `ever_bought` or not)
    /// when `trigger` happens, if any.
    ///
    /// # Complexity
    /// O(rows of `stage`), at most nine comparisons.
    pub fn find(stage: Stage, trigger: Trigger, ever_bought: bool) -> Option<RuleId> {
        let (start, end) = STAGE_ROWS.get(stage.index()).copied().unwrap_or((0, 0));
        (start..end)
            .find(|&i| {
                TRANSITIONS
                    .get(i)
                    .is_some_and(|r| r.trigger == trigger && r.when.holds(ever_bought))
            })
            .map(|i| RuleId(i as u8))
    }

    /// The rule with `from`, `trigger` and `to` (unique: a test checks it); how
    /// a recorded [`Transition`](super::Transition) finds the rule that fired.
    pub fn of_move(from: Stage, trigger: Trigger, to: Stage) -> Option<RuleId> {
        let (start, end) = STAGE_ROWS.get(from.index()).copied().unwrap_or((0, 0));
        (start..end)
            .find(|&i| {
                TRANSITIONS
                    .get(i)
                    .is_some_and(|r| r.trigger == trigger && r.to == to)
            })
            .map(|i| RuleId(i as u8))
    }
}

/// The stage a customer in `stage` (who has `ever_bought` or not) moves to when
/// `cause` happens, or `None` when the table has no row for it. Deterministic:
/// the probabilities of a simulation are applied by the caller.
///
/// ```
/// use social_loop::Stage;
/// use social_loop::customer::{next_stage, Cause, ExperienceQuality};
/// let outrage = Cause::experience(ExperienceQuality::Outraged);
/// assert_eq!(next_stage(Stage::Advocate, &outrage, true), Some(Stage::Adversary));
/// assert_eq!(next_stage(Stage::Adversary, &Cause::ServiceRecovery, true), Some(Stage::Customer));
/// assert_eq!(next_stage(Stage::Adversary, &Cause::ServiceRecovery, false), Some(Stage::Prospect));
/// assert_eq!(next_stage(Stage::Customer, &Cause::Purchase, true), None);
/// ```
pub fn next_stage(stage: Stage, cause: &Cause, ever_bought: bool) -> Option<Stage> {
    RuleId::find(stage, cause.trigger(), ever_bought).map(|id| id.rule().to)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses the markdown table in this file's rustdoc.
    fn doc_rows() -> Vec<Vec<String>> {
        include_str!("table.rs")
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("/// | ") && !l.starts_with("/// | from"))
            .map(|l| {
                l.trim_start_matches("/// ")
                    .trim_matches('|')
                    .split('|')
                    .map(|c| c.trim().to_string())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn rustdoc_table_mirrors_the_code_table_row_by_row() {
        let rows = doc_rows();
        assert_eq!(rows.len(), RULE_COUNT);
        for (doc, rule) in rows.iter().zip(TRANSITIONS.iter()) {
            let code = vec![
                rule.from.name().to_string(),
                rule.trigger.name().to_string(),
                rule.when.name().to_string(),
                rule.to.name().to_string(),
                rule.default_probability.to_string(),
            ];
            assert_eq!(doc, &code);
        }
    }

    #[test]
    fn rows_are_grouped_by_stage_and_unambiguous() {
        for pair in TRANSITIONS.windows(2) {
            assert!(pair[0].from <= pair[1].from, "rows not grouped: {pair:?}");
        }
        for (i, a) in TRANSITIONS.iter().enumerate() {
            assert_ne!(a.from, a.to, "row {i} does not move");
            assert!(
                (0.0..=1.0).contains(&a.default_probability),
                "row {i} default probability"
            );
            for b in &TRANSITIONS[i + 1..] {
                let same_key = a.from == b.from && a.trigger == b.trigger;
                // At most one row matches any (stage, trigger, history)...
                for ever in [false, true] {
                    assert!(!(same_key && a.when.holds(ever) && b.when.holds(ever)));
                }
                // ...and (from, trigger, to) names a row.
                assert!(!(same_key && a.to == b.to));
            }
        }
    }

    #[test]
    fn find_agrees_with_a_scan_of_the_whole_table() {
        for stage in Stage::ALL {
            for trigger in Trigger::ALL {
                for ever in [false, true] {
                    let scan = TRANSITIONS.iter().position(|r| {
                        r.from == stage && r.trigger == trigger && r.when.holds(ever)
                    });
                    assert_eq!(RuleId::find(stage, trigger, ever).map(RuleId::index), scan);
                }
            }
        }
    }

    #[test]
    fn rule_names_are_unique() {
        let mut names: Vec<String> = RuleId::all().map(RuleId::name).collect();
        assert_eq!(names[0], "unaware+exposure");
        names.sort();
        names.dedup();
        assert_eq!(names.len(), RULE_COUNT);
    }
}
