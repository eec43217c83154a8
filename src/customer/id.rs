//! [`CustomerId`]: the caller's own stable identifier for a customer.

use std::borrow::Borrow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The caller's stable, external id for a customer: a CRM key, an e-mail hash,
/// a node label in an edge-list file.
///
/// It is never a graph index: indices stay inside the library, so a caller's ids
/// survive any rebuild of the network. Cloning is cheap (a reference count).
///
/// ```
/// use social_loop::CustomerId;
/// let id = CustomerId::from("crm-0042");
/// assert_eq!(id.as_str(), "crm-0042");
/// assert_eq!(id.to_string(), "crm-0042");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CustomerId(Arc<str>);

impl CustomerId {
    /// Wraps an id.
    pub fn new(id: impl AsRef<str>) -> Self {
        CustomerId(Arc::from(id.as_ref()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for CustomerId {
    fn from(s: &str) -> Self {
        CustomerId::new(s)
    }
}

impl From<String> for CustomerId {
    fn from(s: String) -> Self {
        CustomerId(Arc::from(s))
    }
}

impl From<&String> for CustomerId {
    fn from(s: &String) -> Self {
        CustomerId::new(s)
    }
}

impl Borrow<str> for CustomerId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for CustomerId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CustomerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
