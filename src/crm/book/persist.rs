//! A book is stored as its options and its events: reading it back applies
//! them again, so a stored book cannot contradict itself.

use serde::de::Error as _;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{BookOptions, CustomerBook};
use crate::crm::{Event, Outcome};

/// Serialises as `{"options": {...}, "events": [...]}` with every applied
/// event in order of application (the outcome counts of past imports are not
/// kept). Deserialising applies the events to a new book with those options,
/// so every state, move and tie is recomputed by the rules, and fails on a
/// record that is invalid or a duplicate (naming its position).
///
/// ```
/// use social_loop::crm::{CustomerBook, SyntheticCrm};
/// let mut book = CustomerBook::new();
/// book.import(SyntheticCrm::new(50).days(30).events()?);
/// let json = serde_json::to_string(&book)?;
/// let back: CustomerBook = serde_json::from_str(&json)?;
/// assert_eq!(back.event_count(), book.event_count());
/// assert_eq!(back.stage_counts(), book.stage_counts());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl Serialize for CustomerBook {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Events<'a>(&'a CustomerBook);
        impl Serialize for Events<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.events())
            }
        }
        let mut s = serializer.serialize_struct("CustomerBook", 2)?;
        s.serialize_field("options", &self.options)?;
        s.serialize_field("events", &Events(self))?;
        s.end()
    }
}

#[derive(Deserialize)]
struct BookRecord {
    #[serde(default)]
    options: BookOptions,
    events: Vec<Event>,
}

impl<'de> Deserialize<'de> for CustomerBook {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let record = BookRecord::deserialize(deserializer)?;
        let mut book = CustomerBook::with_options(record.options);
        let mut failure = None;
        book.import_each(&record.events, |r| {
            if failure.is_none() {
                match r.outcome {
                    Outcome::Applied { .. } => {}
                    Outcome::Rejected { reason } => {
                        failure = Some(format!("events: {}: {reason}", r.position))
                    }
                    _ => failure = Some(format!("events: {} repeats an event id", r.position)),
                }
            }
        });
        match failure {
            Some(f) => Err(D::Error::custom(f)),
            None => Ok(book),
        }
    }
}
