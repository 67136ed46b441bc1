mod config;
mod de;
mod ser;
pub(crate) mod subpacket;
pub(crate) mod types;

pub use self::{config::*, types::*};
