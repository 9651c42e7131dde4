//! `posresp send`: placeholder while serve is brought up.
use anyhow::Result;
use clap::Args;
use crate::cli::GlobalArgs;
/// Send messages to a host.
#[derive(Debug, Args)]
pub struct SendArgs {}
pub fn run(_g: &GlobalArgs, _a: &SendArgs) -> Result<u8> { anyhow::bail!("not yet") }
