//! Customer engagement value (issue 14).
mod book;
mod sim;
