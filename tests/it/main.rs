//! Integration tests: the real binary, real fixtures, and a real moto server.

mod custom_domains;
mod data_sources;
mod drift;
mod errors;
mod fmt;
mod harness;
mod import;
mod instances;
mod layers;
mod lifecycle;
mod lifecycle_blocks;
mod modules;
mod moved;
mod outputs;
mod plan_formats;
mod plan_text;
mod planner;
mod recorded;
mod recorded_paths;
mod regions;
mod round_trip;
mod saved_plans;
mod state_file;
mod targeting;
mod variables;
mod vpc_links;
