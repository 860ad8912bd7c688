//! Views of a plan. Rendering makes no decisions: the plan has made them all.

pub mod text;
