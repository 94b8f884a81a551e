//! dev server
pub mod filter;
pub mod presence;
