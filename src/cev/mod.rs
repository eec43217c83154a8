//! Customer engagement value: what each customer is worth, counting their
//! influence.
//!
//! Kumar, Aksoy, Donkers, Venkatesan, Wiesel and Tillmanns (2010,
//! "Undervalued or overvalued customers: capturing total customer engagement
//! value", *Journal of Service Research* 13(3)) value a customer by four
//! parts:
//!
//! ```text
//! CEV_i = CLV_i + CRV_i + CIV_i + CKV_i
//! ```
//!
//! * **CLV**, customer lifetime value, their own purchases: in the paper
//!   `CLV_i = Σ_t (p_it − c_it) x_it / (1 + r)^t − MC_i`, the discounted margin
//!   of the purchases they are expected to make, less what it costs to keep
//!   them.
//! * **CRV**, customer referral value, the customers they brought:
//!   `CRV_i = Σ_t Σ_{y ≤ n1} (A_ty − a_ty − M_ty + ED_ty) / (1 + r)^t
//!   + Σ_t Σ_{n1 < y ≤ n2} ED_ty / (1 + r)^t`, the margin `A` of the `n1`
//!   referred customers who would not have come otherwise, less the referral's
//!   cost `a` and their marketing cost `M`, plus the acquisition cost `ED`
//!   saved on them and on the `n2 − n1` who would have come anyway.
//! * **CIV**, customer influencer value, what others buy more because of
//!   their word of mouth: in the paper the change in the purchases of the
//!   customers their talk reaches, summed over those they influence.
//! * **CKV**, customer knowledge value, what their feedback made the business
//!   gain: the profit of the improvements and ideas their feedback led to,
//!   attributed to them.
//!
//! Kumar, Petersen and Leone (2007, "How valuable is word of mouth?",
//! *Harvard Business Review* 85(10)) found that the customers with the highest
//! CLV and those with the highest CRV are largely different people: ranking
//! by CLV alone misses the customers whose value is in their influence.
//!
//! # In this crate
//!
//! [`CustomerEngagementValue`] holds the four parts and their sum, in
//! [`Decimal`](crate::Decimal) with the currency, each with a 95% interval; `cev` is the exact
//! checked sum of the four (a proptest). Two sources compute them:
//!
//! * **A CRM book** ([`CustomerBook::engagement_values`](crate::crm::CustomerBook::engagement_values),
//!   see [`EngagementOptions`]): CLV by the fitted BTYD model, CRV from the
//!   referral forest, CIV from the book's influence network by every
//!   customer's expected Independent Cascade reach (all at once from one
//!   collection of reverse-reachable sets, [`ReachOfEach`](crate::targeting::ReachOfEach)), CKV from product feedback linked to
//!   the gains of business changes ([`KnowledgeGain`]). Where and why it
//!   departs from the paper is on [`EngagementOptions`].
//! * **The value loop** ([`Simulation::engagement_values`](crate::sim::Simulation::engagement_values)):
//!   counterfactual runs on common random numbers with groups of customers'
//!   word of mouth and feedback switched off, so that the customers' CEV adds
//!   up to the value the [attribution](crate::sim::Attribution) gives the
//!   customer actor (see [`SimulatedEngagement`](crate::sim::SimulatedEngagement)).
//!
//! **Allocating a programme.** [`Programme`] gives one engagement to chosen
//! customers and measures what one choice gains over another on held-out
//! runs of the value loop, paired on common random numbers
//! (`examples/engagement_value.rs` compares choosing by CEV, by CRV + CIV
//! and by CLV). A book's explanation shows a customer's CEV and its parts:
//! [`Explanation::with_engagement`](crate::crm::Explanation::with_engagement).
//!
//! **Intervals.** Each part's interval is its own 95% interval; the interval
//! of `cev` adds the parts' lower bounds and their upper bounds: exact when
//! the parts move together (as CLV and CRV do under the same fitted
//! parameters), wider than needed when they are independent. It never
//! understates the uncertainty for that reason.

mod book;
mod programme;
mod value;

pub use book::{EngagementOptions, KnowledgeGain};
pub use programme::Programme;
pub use value::{CustomerEngagementValue, EngagementValues, SkipCause, SkippedCurrency, ValuePart};
