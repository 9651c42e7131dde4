//! One module per subcommand (a command with parts has a folder); dispatch is in main.rs.

pub mod decode;
pub mod diff;
pub mod emv;
pub mod encode;
pub mod explain;
pub mod generate;
pub mod key;
pub mod manual;
pub mod pin;
pub mod proxy;
pub mod send;
pub mod serve;
pub mod spec;
pub mod stats;
pub mod test;
pub mod verify;
