//! [`FeedbackBacklog`]: what customers told the business, waiting to become change.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::customer::Topic;

/// What a piece of feedback says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FeedbackKind {
    /// Something went wrong ("we want to know why we had a terrible experience").
    Complaint,
    /// An idea or request for the product.
    Suggestion,
}

/// Where a piece of feedback came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FeedbackSource {
    /// A customer gave it to the brand (product feedback: value the customer creates).
    Customer,
    /// The brand heard it by listening (an [`EngagementKind::Listen`](crate::brand::EngagementKind::Listen)).
    Listening,
}

/// One piece of feedback that reached the business.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FeedbackItem {
    /// What it says.
    pub kind: FeedbackKind,
    /// Where it came from.
    pub source: FeedbackSource,
    /// What it is about, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<Topic>,
}

impl FeedbackItem {
    /// Feedback of `kind` from `source`, about no topic in particular.
    pub fn new(kind: FeedbackKind, source: FeedbackSource) -> Self {
        FeedbackItem {
            kind,
            source,
            topic: None,
        }
    }

    /// The same feedback, about `topic`.
    #[must_use]
    pub fn about(mut self, topic: impl Into<Topic>) -> Self {
        self.topic = Some(topic.into());
        self
    }
}

/// The feedback that reached the business and has not yet been acted on, oldest
/// first, with running counts by kind, source and topic.
///
/// A [`ChangePolicy`](super::ChangePolicy) turns it into changes and
/// [drains](Self::drain) what it acted on. Feedback that never reaches the business
/// (see [`Ownership::feedback_reach`](crate::brand::Ownership::feedback_reach)) is
/// simply never [`add`](Self::add)ed: the caller decides what reaches it.
///
/// Equal consecutive items are stored once with a count, so a period's worth of
/// identical feedback costs O(1) memory.
///
/// ```
/// use social_loop::business::{FeedbackBacklog, FeedbackItem, FeedbackKind, FeedbackSource};
/// let mut backlog = FeedbackBacklog::default();
/// let slow = FeedbackItem::new(FeedbackKind::Complaint, FeedbackSource::Customer).about("delivery");
/// backlog.add_many(&slow, 3);
/// backlog.add(&FeedbackItem::new(FeedbackKind::Suggestion, FeedbackSource::Listening));
/// assert_eq!(backlog.len(), 4);
/// assert_eq!(backlog.count_topic(&"delivery".into()), 3);
/// assert_eq!(backlog.drain(2), 2); // the two oldest
/// assert_eq!(backlog.count_kind(FeedbackKind::Complaint), 1);
/// assert_eq!(backlog.received(), 4);
/// ```
///
/// It serialises as the waiting items (oldest first, with counts) and the received
/// total; the counts are rebuilt on deserialisation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(from = "BacklogFields", into = "BacklogFields")]
pub struct FeedbackBacklog {
    queue: VecDeque<(FeedbackItem, u64)>,
    pending: u64,
    received: u64,
    by_kind: BTreeMap<FeedbackKind, u64>,
    by_source: BTreeMap<FeedbackSource, u64>,
    by_topic: BTreeMap<Topic, u64>,
}

#[derive(Serialize, Deserialize)]
struct BacklogFields {
    waiting: Vec<(FeedbackItem, u64)>,
    received: u64,
}

impl From<BacklogFields> for FeedbackBacklog {
    fn from(fields: BacklogFields) -> Self {
        let mut backlog = FeedbackBacklog::default();
        for (item, count) in &fields.waiting {
            backlog.add_many(item, *count);
        }
        backlog.received = backlog.received.max(fields.received);
        backlog
    }
}

impl From<FeedbackBacklog> for BacklogFields {
    fn from(backlog: FeedbackBacklog) -> Self {
        BacklogFields {
            waiting: backlog.queue.into_iter().collect(),
            received: backlog.received,
        }
    }
}

impl FeedbackBacklog {
    /// An empty backlog.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one item.
    pub fn add(&mut self, item: &FeedbackItem) {
        self.add_many(item, 1);
    }

    /// Adds `count` copies of `item` (saturating at `u64::MAX` items).
    pub fn add_many(&mut self, item: &FeedbackItem, count: u64) {
        let count = count.min(u64::MAX - self.pending);
        if count == 0 {
            return;
        }
        match self.queue.back_mut() {
            Some((last, n)) if last == item => *n += count,
            _ => self.queue.push_back((item.clone(), count)),
        }
        self.pending += count;
        self.received = self.received.saturating_add(count);
        self.tally(item, count, true);
    }

    /// Removes up to `count` of the oldest items and returns how many were removed.
    ///
    /// # Complexity
    /// O(k log m) for k stored runs touched and m distinct keys.
    pub fn drain(&mut self, count: u64) -> u64 {
        let mut left = count;
        while left > 0 {
            let Some((item, n)) = self.queue.front_mut() else {
                break;
            };
            let take = left.min(*n);
            *n -= take;
            left -= take;
            let item = item.clone();
            if *n == 0 {
                self.queue.pop_front();
            }
            self.tally(&item, take, false);
        }
        let drained = count - left;
        self.pending -= drained;
        drained
    }

    fn tally(&mut self, item: &FeedbackItem, count: u64, up: bool) {
        fn bump<K: Ord + Clone>(map: &mut BTreeMap<K, u64>, key: &K, count: u64, up: bool) {
            if up {
                *map.entry(key.clone()).or_insert(0) += count;
            } else if let Some(n) = map.get_mut(key) {
                *n = n.saturating_sub(count);
                if *n == 0 {
                    map.remove(key);
                }
            }
        }
        bump(&mut self.by_kind, &item.kind, count, up);
        bump(&mut self.by_source, &item.source, count, up);
        if let Some(topic) = &item.topic {
            bump(&mut self.by_topic, topic, count, up);
        }
    }

    /// Items waiting.
    pub fn len(&self) -> u64 {
        self.pending
    }

    /// Whether nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.pending == 0
    }

    /// Items ever added (waiting or acted on).
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Items waiting of `kind`.
    pub fn count_kind(&self, kind: FeedbackKind) -> u64 {
        self.by_kind.get(&kind).copied().unwrap_or(0)
    }

    /// Items waiting from `source`.
    pub fn count_source(&self, source: FeedbackSource) -> u64 {
        self.by_source.get(&source).copied().unwrap_or(0)
    }

    /// Items waiting about `topic`.
    pub fn count_topic(&self, topic: &Topic) -> u64 {
        self.by_topic.get(topic).copied().unwrap_or(0)
    }

    /// Waiting counts per topic, in topic order (items without a topic are not listed).
    pub fn topics(&self) -> impl Iterator<Item = (&Topic, u64)> + '_ {
        self.by_topic.iter().map(|(t, n)| (t, *n))
    }
}
