//! The social brand: engagements (listening, relevant content, discounts,
//! conversations, service recovery, advocacy programmes), the relevance model and
//! who owns social media inside the company.
