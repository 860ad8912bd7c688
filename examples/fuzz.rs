//! A mutation fuzzer for everything gateform does with a configuration before it touches the
//! state or AWS: parse, resolve, order, plan, render (text, Markdown, JSON) and fmt.
//!
//!     cargo run --release --example fuzz -- SECONDS [SEED]
//!
//! It mutates the fixtures' files (bytes flipped, tokens and deep nesting inserted, huge numbers,
//! giant heredocs, lines cut) and feeds each mutant through the pipeline. Every input is written
//! to `target/fuzz/current.hcl` before it runs, so one that overflows the stack is still there
//! afterwards; one that panics is kept in `target/fuzz/panic-N.hcl`. Bad input must only ever
//! make diagnostics.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gateform::diag::Sources;

/// Tokens that reach the interesting corners of the language.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "${",
    "%{",
    "~}",
    "%{ for x in [1] }",
    "%{ endfor }",
    "%{ if true }",
    "%{ endif }",
    "<<EOT\n",
    "<<-EOT\n",
    "\nEOT\n",
    " = ",
    "==",
    "...",
    "?",
    ":",
    "count = 3\n",
    "for_each = {a = 1}\n",
    "count.index",
    "each.key",
    "each.value",
    "var.x",
    "local.y",
    "module.m.o",
    "path.module",
    "self",
    "null",
    "1e400",
    "-0",
    "99999999999999999999999",
    "0.000000000001",
    "length(",
    "merge(",
    "format(\"%d\", ",
    "regex(\"(\", ",
    "range(0, 1e9)",
    "substr(\"x\", -9, 9)",
    "jsondecode(\"[\")",
    "yamldecode(\"{\")",
    "templatefile(\"x\", {})",
    "file(\"/etc/passwd\")",
    "dynamic \"cors_configuration\" {\n",
    "content {\n",
    "variable \"x\" {\n",
    "locals {\n",
    "moved {\n",
    "module \"m\" {\n source = \"./m\"\n}\n",
    "output \"o\" {\n value = 1\n}\n",
    "depends_on = [",
    "aws_apigatewayv2_api.example.id",
    "aws_apigatewayv2_route.this[\"k\"]",
    "[*]",
    ".*",
    "# comment\n",
    "/* c */",
    "\u{feff}",
    "\u{1F914}",
    "\\",
    "\\u0000",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(60);
    let mut rng = Rng(args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15));
    let corpus = corpus(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .as_path(),
    );
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz");
    std::fs::create_dir_all(&out).expect("target/fuzz");
    // Panics are expected to be caught and kept, not printed mid-run.
    std::panic::set_hook(Box::new(|_| {}));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut runs, mut panics) = (0u64, 0u64);
    while Instant::now() < deadline {
        let mut text = corpus[rng.below(corpus.len())].clone().into_bytes();
        for _ in 0..=rng.below(5) {
            mutate(&mut text, &mut rng);
        }
        std::fs::write(out.join("current.hcl"), &text).expect("save the input");
        let input = String::from_utf8_lossy(&text).into_owned();
        if std::panic::catch_unwind(|| pipeline(&input)).is_err() {
            panics += 1;
            std::fs::write(out.join(format!("panic-{panics}.hcl")), &text).expect("save a panic");
        }
        runs += 1;
    }
    println!("{runs} inputs in {seconds}s; {panics} panicked");
    if panics > 0 {
        std::process::exit(1);
    }
}

/// Everything before the state and AWS, as `plan --format ...` and `fmt` do it.
fn pipeline(text: &str) {
    let mut sources = Sources::default();
    sources.add(PathBuf::from("fuzz/main.hcl"), text.to_owned());
    let _ = gateform::fmt::format(text);
    let (config, _) = gateform::config::parse(&sources);
    if !config.complete {
        return;
    }
    let configuration = gateform::render::configuration::document(&config);
    let Ok(desired) = gateform::resolve::resolve(
        config,
        &[],
        Some("eu-west-1"),
        gateform::resolve::ImportTargets::Configured,
    ) else {
        return;
    };
    let Ok(graph) = gateform::graph::build(&desired) else {
        return;
    };
    let refreshed = gateform::state::Refreshed::skipped(Default::default());
    if let Ok(plan) = gateform::plan::plan(&desired, &graph, refreshed) {
        let _ = gateform::render::text::plan(&plan, gateform::render::text::Style::Plain);
        let _ = gateform::render::markdown::plan(&plan, "fuzz");
        let origin =
            gateform::render::json::Origin::new(configuration, &desired, &plan, Default::default());
        let _ = gateform::render::json::plan(&plan, &origin);
        let _ = gateform::apply::apply_steps(&plan);
    }
}

fn corpus(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("fixtures").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(corpus(&path));
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            files.push(text);
        }
    }
    files
}

fn mutate(text: &mut Vec<u8>, rng: &mut Rng) {
    let at = rng.below(text.len() + 1);
    match rng.below(7) {
        0 if !text.is_empty() => {
            let at = at.min(text.len() - 1);
            text[at] ^= 1 << rng.below(8);
        }
        1 => {
            let token = TOKENS[rng.below(TOKENS.len())];
            text.splice(at..at, token.bytes());
        }
        2 => {
            let depth = 1 + rng.below(300);
            let (open, close) = [("[", "]"), ("{", "}"), ("(", ")")][rng.below(3)];
            let nested = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            text.splice(at..at, nested.bytes());
        }
        3 => {
            let lines = "x".repeat(64) + "\n";
            let heredoc = format!("<<EOT\n{}EOT\n", lines.repeat(1 + rng.below(20_000)));
            text.splice(at..at, heredoc.bytes());
        }
        4 => {
            let end = (at + rng.below(200)).min(text.len());
            text.drain(at..end);
        }
        5 => {
            let digits = "9".repeat(1 + rng.below(400));
            text.splice(at..at, digits.bytes());
        }
        _ => {
            let byte = [0xff, 0xc3, 0x00, b'\r', b'\t', 0x80][rng.below(6)];
            text.insert(at, byte);
        }
    }
}

/// xorshift64*: enough randomness for mutations, no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound.max(1) as u64) as usize
    }
}
