//! The value ledger: who created which value, in exact decimals.
