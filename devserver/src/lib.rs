//! dev server
pub mod filter;
