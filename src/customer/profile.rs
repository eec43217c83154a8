//! What a customer pays attention to: channels, interests, segment and timing.
//!
//! The brand's relevance model (see [`crate::brand`]) scores an engagement against
//! a [`Profile`]: right content (interests), right time (attention rhythm), right
//! channel (channels), right customer (segment).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A channel through which a customer can be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Channel {
    /// Short public posts (Twitter and the like).
    Microblog,
    /// A social network feed (Facebook and the like).
    SocialFeed,
    /// A professional network (LinkedIn and the like).
    Professional,
    /// Video platforms.
    Video,
    /// Feeds and blogs (RSS).
    Blog,
    /// E-mail.
    Email,
    /// Search results.
    Search,
    /// Mobile apps and messaging.
    Mobile,
    /// Phone and chat support.
    Phone,
    /// A shop, an event, a sales visit.
    InPerson,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 10] = [
        Channel::Microblog,
        Channel::SocialFeed,
        Channel::Professional,
        Channel::Video,
        Channel::Blog,
        Channel::Email,
        Channel::Search,
        Channel::Mobile,
        Channel::Phone,
        Channel::InPerson,
    ];
}

/// A content topic ("pricing", "sustainability", "how-to"): an open set of labels.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Topic(Arc<str>);

impl Topic {
    /// Wraps a label.
    pub fn new(label: impl AsRef<str>) -> Self {
        Topic(Arc::from(label.as_ref()))
    }

    /// The label.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Topic {
    fn from(s: &str) -> Self {
        Topic::new(s)
    }
}

impl std::fmt::Display for Topic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A named customer segment ("smb", "enterprise", "students").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Segment(Arc<str>);

impl Segment {
    /// Wraps a segment name.
    pub fn new(name: impl AsRef<str>) -> Self {
        Segment(Arc::from(name.as_ref()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Segment {
    fn from(s: &str) -> Self {
        Segment::new(s)
    }
}

impl std::fmt::Display for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a customer pays attention to.
///
/// Timing: the customer looks at brand content in periods where
/// `(period + attention_offset) % attention_every == 0` (`attention_every = 1`:
/// every period). An `attention_every` of 0 is treated as 1.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Profile {
    /// Channels the customer uses, most used first.
    pub channels: Vec<Channel>,
    /// Topics the customer cares about.
    pub interests: Vec<Topic>,
    /// The customer's segment, if any.
    pub segment: Option<Segment>,
    /// The customer pays attention every this many periods.
    pub attention_every: u32,
    /// Phase of the attention rhythm.
    pub attention_offset: u32,
}

impl Profile {
    /// Whether the customer pays attention in `period` (the "right time").
    pub fn attentive_in(&self, period: u32) -> bool {
        let every = self.attention_every.max(1);
        (period.wrapping_add(self.attention_offset)) % every == 0
    }

    /// Whether the customer uses `channel`.
    pub fn uses(&self, channel: Channel) -> bool {
        self.channels.contains(&channel)
    }

    /// Whether the customer cares about `topic`.
    pub fn cares_about(&self, topic: &Topic) -> bool {
        self.interests.contains(topic)
    }
}
