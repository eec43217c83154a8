//! Customer engagement value (issue 14).
mod book;
mod kumar;
mod sim;
