//! gateform: a declarative desired-state reconciler for AWS API Gateway v2.
//!
//! Data flows one way: [`config`] loads files into blocks, [`resolve`] evaluates and checks them,
//! [`graph`] orders them, [`plan`] compares them with the [`state`], [`render`] shows the plan, and
//! [`apply`] carries it out through [`aws`]. See ARCHITECTURE.md.

pub mod addr;
pub mod apply;
pub mod aws;
pub mod cli;
pub mod command;
pub mod config;
pub mod connection;
pub mod diag;
pub mod discover;
pub mod eval;
pub mod fmt;
pub mod functions;
pub mod generate;
pub mod graph;
pub mod install;
pub mod journal;
pub mod json_syntax;
pub mod migrate;
pub mod plan;
pub mod planfile;
pub mod progress;
pub mod refresh;
pub mod refs;
pub mod remote_state;
pub mod render;
pub mod resolve;
pub mod review;
pub mod schema;
pub mod source;
pub mod state;
pub mod types;
pub mod value;
pub mod variables;
