mod block;
mod filter;
mod filter_chain;
mod lang;
mod parser;
mod registry;
mod tag;
mod text;

pub use block::*;
pub use filter::*;
pub use filter_chain::*;
pub use lang::*;
pub use parser::*;
pub use registry::*;
pub use tag::*;

use text::Text;
