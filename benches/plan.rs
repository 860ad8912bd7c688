//! Plans at scale, measured: `cargo bench --bench plan`.
//!
//! Generates configurations of N apis × M pairs of a route and its integration, written out by
//! hand, and with a module per api called with `for_each` over a map variable whose entries the
//! module's resources take with `for_each` in turn. For each, it times every phase of a plan
//! without refresh in this process, with the peak of the heap in each (a counting allocator), and
//! parses the same files with raw hcl-edit as the floor; then runs `gateform plan
//! --refresh=false` itself for the wall time and peak memory a user sees. For the largest
//! hand-written one it also writes a state of every object (as apply records them, one
//! transaction each) and plans against it.
//!
//! Times are the fastest of three runs. `GATEFORM_BENCH_SCALE=0.1` runs everything at a tenth
//! of the size, to try it out, and `GATEFORM_BENCH_FIGURES=1,3` runs only those figures.
//! Figure 4, an apply of 20,100 resources to a moto server started here, takes some minutes.

mod common;
#[path = "../tests/it/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::alloc::{GlobalAlloc, Layout};
use std::collections::BTreeMap;
use std::io::BufRead as _;
use std::path::Path;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::scaled;
use gateform::install::Manifest;
use gateform::render;
use gateform::state::{Refreshed, store};
use mimalloc::MiMalloc;

/// The allocator gateform's binary uses, counting the bytes live and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is passed on to mimalloc unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { MiMalloc.alloc(layout) };
        if !pointer.is_null() {
            grew(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { MiMalloc.alloc_zeroed(layout) };
        if !pointer.is_null() {
            grew(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { MiMalloc.dealloc(pointer, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        let moved = unsafe { MiMalloc.realloc(pointer, layout, size) };
        if !moved.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(size);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MB: f64 = 1024.0 * 1024.0;

/// One phase's cost: its time and the heap's peak while it ran.
struct Phase {
    name: &'static str,
    time: Duration,
    peak: usize,
}

#[derive(Default)]
struct Phases {
    phases: Vec<Phase>,
    /// How long each write of one object to the state took, in order.
    writes: Vec<Duration>,
}

impl Phases {
    fn time<T>(&mut self, name: &'static str, phase: impl FnOnce() -> T) -> T {
        PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
        let started = Instant::now();
        let out = phase();
        self.phases.push(Phase {
            name,
            time: started.elapsed(),
            peak: PEAK.load(Ordering::Relaxed),
        });
        out
    }

    fn total(&self) -> Duration {
        self.phases.iter().map(|phase| phase.time).sum()
    }

    /// The time the phases `names` took together, and the heap's peak in them.
    fn of(&self, names: &[&str]) -> (Duration, usize) {
        let phases = self
            .phases
            .iter()
            .filter(|phase| names.contains(&phase.name));
        phases.fold((Duration::ZERO, 0), |(time, peak), phase| {
            (time + phase.time, peak.max(phase.peak))
        })
    }
}

/// Each phase at its fastest of several runs, with the highest peak any of them reached.
fn fastest(runs: impl Iterator<Item = Phases>) -> Phases {
    runs.reduce(|mut best, run| {
        for (phase, other) in best.phases.iter_mut().zip(run.phases) {
            phase.time = phase.time.min(other.time);
            phase.peak = phase.peak.max(other.peak);
        }
        best
    })
    .unwrap_or_default()
}

/// The phases of `gateform plan --refresh=false` printing text.
const PLANNING: &[&str] = &[
    "read",
    "parse",
    "modules",
    "variables",
    "resolve",
    "graph",
    "plan",
    "render text",
];

/// One pair: an integration and the route that targets it.
fn pair(api: &str, route: usize) -> String {
    format!(
        r#"resource "aws_apigatewayv2_integration" "{api}_{route}" {{
  api_id             = aws_apigatewayv2_api.{api}.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = "https://example.com/{api}/{route}"
}}

resource "aws_apigatewayv2_route" "{api}_{route}" {{
  api_id    = aws_apigatewayv2_api.{api}.id
  route_key = "GET /{api}/{route}"
  target    = "integrations/${{aws_apigatewayv2_integration.{api}_{route}.id}}"
}}

"#
    )
}

/// `apis` apis with `pairs` routes and integrations each, every resource its own block.
fn by_hand(dir: &Path, apis: usize, pairs: usize) {
    let mut text = String::new();
    for api in 0..apis {
        text.push_str(&format!(
            "resource \"aws_apigatewayv2_api\" \"api{api}\" {{\n  name          = \"api{api}\"\n  protocol_type = \"HTTP\"\n}}\n\n"
        ));
        for route in 0..pairs {
            text.push_str(&pair(&format!("api{api}"), route));
        }
    }
    write(dir, "main.tf", &text);
}

/// The same resources made by a module called once per api with `for_each` over a map variable,
/// the module making one route and integration per entry of its own map.
fn by_module(dir: &Path, apis: usize, pairs: usize) {
    write(
        dir,
        "main.tf",
        r#"variable "apis" {
  type = map(map(string))
}

module "api" {
  source   = "./modules/api"
  for_each = var.apis
  name     = each.key
  routes   = each.value
}
"#,
    );
    let apis: BTreeMap<String, BTreeMap<String, String>> = (0..apis)
        .map(|api| {
            let routes = (0..pairs)
                .map(|route| {
                    (
                        format!("/api{api}/{route}"),
                        format!("https://example.com/api{api}/{route}"),
                    )
                })
                .collect();
            (format!("api{api}"), routes)
        })
        .collect();
    write(
        dir,
        "terraform.tfvars.json",
        &serde_json::json!({ "apis": apis }).to_string(),
    );
    write(
        &dir.join("modules/api"),
        "main.tf",
        r#"variable "name" {
  type = string
}

variable "routes" {
  type = map(string)
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "route" {
  for_each           = var.routes
  api_id             = aws_apigatewayv2_api.this.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = each.value
}

resource "aws_apigatewayv2_route" "route" {
  for_each  = var.routes
  api_id    = aws_apigatewayv2_api.this.id
  route_key = "GET ${each.key}"
  target    = "integrations/${aws_apigatewayv2_integration.route[each.key].id}"
}
"#,
    );
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).expect("create the directory");
    std::fs::write(dir.join(name), text).expect("write a configuration file");
}

/// Every configuration file under `dir`, parsed by hcl-edit alone: the floor.
fn raw_parse(dir: &Path) -> (Duration, usize) {
    let mut files = Vec::new();
    collect(dir, &mut files);
    let texts: Vec<String> = files
        .iter()
        .map(|path| std::fs::read_to_string(path).expect("read"))
        .collect();
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let fastest = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            for (path, text) in files.iter().zip(&texts) {
                if path
                    .extension()
                    .is_some_and(|extension| extension == "json")
                {
                    let parsed: serde_json::Value = serde_json::from_str(text).expect("json");
                    drop(parsed);
                } else {
                    drop(hcl_edit::parser::parse_body(text).expect("hcl"));
                }
            }
            started.elapsed()
        })
        .min()
        .unwrap_or_default();
    (fastest, PEAK.load(Ordering::Relaxed))
}

/// Each time is the fastest of this many runs: this machine shares its cores, and a run that
/// met a busy moment says nothing about gateform.
const RUNS: usize = 3;

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("read the directory")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path
            .extension()
            .is_some_and(|extension| extension == "tf" || extension == "json")
        {
            files.push(path);
        }
    }
}

/// What a plan of the configuration in `dir` costs, phase by phase, in this process; with a
/// state of every object when `with_state` (written, read back, and planned against).
fn phases(dir: &Path, state_path: Option<&Path>) -> Phases {
    let mut phases = Phases::default();
    let mut sources = phases.time("read", || gateform::config::read_dir(dir).expect("read"));
    let (mut config, mut diagnostics) = phases.time("parse", || gateform::config::parse(&sources));
    let manifest = Manifest::read(dir).expect("manifest");
    phases.time("modules", || {
        gateform::config::load_modules(
            &mut config,
            &mut sources,
            &mut diagnostics,
            &mut |key, source, _, version| manifest.directory(dir, key, source, version),
        )
    });
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let assignments = phases.time("variables", || {
        gateform::variables::read_inputs(dir, &[], std::iter::empty(), &mut sources)
            .expect("variables")
    });
    let configuration = phases.time("configuration", || render::configuration::document(&config));
    let desired = phases.time("resolve", || {
        gateform::resolve::resolve(
            config,
            &assignments,
            Some("eu-west-1"),
            gateform::resolve::ImportTargets::Configured,
        )
        .expect("resolve")
    });
    let graph = phases.time("graph", || gateform::graph::build(&desired).expect("graph"));
    let plan = phases.time("plan", || {
        gateform::plan::plan(&desired, &graph, Refreshed::skipped(Default::default()))
            .expect("plan")
    });
    let text = phases.time("render text", || {
        render::text::plan(&plan, render::text::Style::Plain)
    });
    let markdown = phases.time("render markdown", || render::markdown::plan(&plan, "bench"));
    let json = phases.time("render json", || {
        let origin = render::json::Origin::new(configuration, &desired, &plan, Default::default());
        render::json::plan(&plan, &origin)
    });
    drop((plan, text, markdown, json));
    let Some(path) = state_path else {
        return phases;
    };
    let applied = gateform::review::assume_applied(&desired, &graph).expect("assume applied");
    let _ = std::fs::remove_file(path);
    let writes = phases.time("state store", || {
        let mut store = store::Store::open(path).expect("open the state");
        store.lock("apply").expect("lock");
        let writes = applied
            .resources
            .iter()
            .map(|(address, resource)| {
                let started = Instant::now();
                store.put(address, resource, "apply").expect("put");
                started.elapsed()
            })
            .collect();
        store.unlock().expect("unlock");
        writes
    });
    phases.writes = writes;
    drop(applied);
    let state = phases.time("state load", || store::read(path).expect("read the state"));
    let plan = phases.time("plan, all in the state", || {
        gateform::plan::plan(&desired, &graph, Refreshed::skipped(state)).expect("plan")
    });
    assert!(
        !plan.has_changes(),
        "the state of every object plans no change"
    );
    phases
}

/// `gateform plan --refresh=false` of `dir` as a user runs it: its wall time and peak resident
/// memory.
fn end_to_end(dir: &Path) -> (Duration, f64) {
    let runs: Vec<(Duration, f64)> = (0..RUNS).map(|_| plan_once(dir)).collect();
    let fastest = runs.iter().map(|(wall, _)| *wall).min();
    let peak = runs.iter().map(|(_, peak)| *peak).fold(0.0, f64::max);
    (fastest.unwrap_or_default(), peak)
}

fn plan_once(dir: &Path) -> (Duration, f64) {
    // Started by a fresh process of this program, which reports what it measured: Linux counts
    // the peak of the process that starts a program into the program's own, and this one has
    // parsed large files.
    let output = std::process::Command::new(std::env::current_exe().expect("this program"))
        .arg(MEASURE)
        .arg(env!("CARGO_BIN_EXE_gateform"))
        .args(["plan", "--refresh=false"])
        .arg(dir)
        .arg("--state")
        .arg(dir.join("none.db"))
        .env("AWS_REGION", "eu-west-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stderr(Stdio::inherit())
        .output()
        .expect("start gateform");
    let measured = String::from_utf8_lossy(&output.stdout);
    let report: Vec<&str> = measured.split_whitespace().collect();
    let [status, peak, wall] = report[..] else {
        panic!("the measuring process reported `{measured}`");
    };
    assert!(status == "0", "gateform plan failed in {}", dir.display());
    let wall = Duration::from_secs_f64(wall.parse().expect("a wall time"));
    (wall, peak.parse().expect("a peak"))
}

/// The argument that makes this program run the command after it and report its exit status,
/// peak resident memory and wall time, for [`end_to_end`].
const MEASURE: &str = "--measure";

fn measure(command: &[String]) {
    let started = Instant::now();
    let child = std::process::Command::new(&command[0])
        .args(&command[1..])
        .stdout(Stdio::null())
        .spawn()
        .expect("start the command");
    let (status, peak) = wait(child);
    println!("{status} {peak} {}", started.elapsed().as_secs_f64());
}

/// Waits for `child`: its exit status and peak resident memory in bytes.
fn wait(child: std::process::Child) -> (i32, f64) {
    let mut status = 0;
    // SAFETY: rusage is plain data, filled in by wait4 for the child it reaps.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: waits for our own child, once; `child` is not waited for elsewhere.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4");
    // A command ended by a signal failed, as a shell reports it.
    let code = match libc::WIFEXITED(status) {
        true => libc::WEXITSTATUS(status),
        false => 128 + libc::WTERMSIG(status),
    };
    (code, usage.ru_maxrss as f64 * 1024.0)
}

fn seconds(time: Duration) -> String {
    format!("{:.2} s", time.as_secs_f64())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|first| first == MEASURE) {
        return measure(&args[1..]);
    }
    let root = tempfile::tempdir().expect("a temporary directory");
    println!(
        "gateform {} · {} cores · release build\n",
        env!("CARGO_PKG_VERSION"),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let figures = std::env::var("GATEFORM_BENCH_FIGURES").unwrap_or_else(|_| "1,2,3,4".to_owned());
    let wanted = |figure: &str| figures.split(',').any(|wanted| wanted.trim() == figure);
    if wanted("1") {
        scaling(root.path());
    }
    if wanted("2") {
        by_phase(root.path());
    }
    if wanted("3") {
        for_each_against_hand(root.path());
    }
    if wanted("4") {
        apply_rate();
    }
}

/// 1. `plan --refresh=false` as the configuration grows, against hcl-edit parsing its files.
fn scaling(root: &Path) {
    println!("1. plan --refresh=false, N apis × M routes and integrations written out by hand\n");
    println!(
        "| resources | apis × pairs | plan wall | peak memory | raw hcl-edit parse | ratio | per 1,000 resources |"
    );
    println!("|---|---|---|---|---|---|---|");
    let sizes = [(10, 100), (25, 100), (50, 100), (100, 100), (100, 502)];
    for (apis, pairs) in sizes {
        let (apis, pairs) = (scaled(apis), pairs);
        let resources = apis * (1 + 2 * pairs);
        let dir = root.join(format!("hand-{apis}x{pairs}"));
        by_hand(&dir, apis, pairs);
        let (floor, _) = raw_parse(&dir);
        let (wall, peak) = end_to_end(&dir);
        println!(
            "| {resources} | {apis} × {pairs} | {} | {:.0} MB | {} | {:.1} | {:.1} ms |",
            seconds(wall),
            peak / MB,
            seconds(floor),
            wall.as_secs_f64() / floor.as_secs_f64(),
            wall.as_secs_f64() * 1e6 / resources as f64,
        );
        std::fs::remove_dir_all(&dir).ok();
    }
    println!();
}

/// 2. Each phase of 20,100 resources, by hand and by module, with the state of them all.
fn by_phase(root: &Path) {
    let (apis, pairs) = (scaled(100), 100);
    let resources = apis * (1 + 2 * pairs);
    let hand = root.join("phases-hand");
    by_hand(&hand, apis, pairs);
    let module = root.join("phases-module");
    by_module(&module, apis, pairs);
    let (floor, floor_peak) = raw_parse(&hand);
    let (module_floor, module_floor_peak) = raw_parse(&module);
    let hand_phases = fastest((0..RUNS).map(|_| phases(&hand, Some(&root.join("phases.db")))));
    let module_phases = fastest((0..RUNS).map(|_| phases(&module, None)));
    println!(
        "2. each phase of a plan of {resources} resources ({apis} apis × {pairs} pairs), in one process; memory is the heap's peak\n"
    );
    println!("| phase | by hand | heap | module per api, for_each | heap |");
    println!("|---|---|---|---|---|");
    for phase in &hand_phases.phases {
        let other = module_phases
            .phases
            .iter()
            .find(|other| other.name == phase.name);
        println!(
            "| {} | {} | {:.0} MB | {} | {} |",
            phase.name,
            seconds(phase.time),
            phase.peak as f64 / MB,
            other.map_or(String::new(), |other| seconds(other.time)),
            other.map_or(String::new(), |other| format!(
                "{:.0} MB",
                other.peak as f64 / MB
            )),
        );
    }
    let (hand_time, hand_peak) = hand_phases.of(PLANNING);
    let (module_time, module_peak) = module_phases.of(PLANNING);
    println!(
        "| **plan, read to text** | **{}** | {:.0} MB | **{}** | {:.0} MB |",
        seconds(hand_time),
        hand_peak as f64 / MB,
        seconds(module_time),
        module_peak as f64 / MB,
    );
    println!(
        "| raw hcl-edit parse (floor) | {} | {:.0} MB | {} | {:.0} MB |",
        seconds(floor),
        floor_peak as f64 / MB,
        seconds(module_floor),
        module_floor_peak as f64 / MB,
    );
    let writes = &hand_phases.writes;
    let thousand = writes.len().min(1000);
    let each = |writes: &[Duration]| {
        writes.iter().sum::<Duration>().as_secs_f64() * 1e3 / writes.len() as f64
    };
    println!(
        "\nstate store, one transaction per object as apply writes them: the first {thousand} {:.3} ms each, the last {thousand} {:.3} ms each",
        each(&writes[..thousand]),
        each(&writes[writes.len() - thousand..]),
    );
    println!(
        "\n(all phases: {} by hand, {} by module)\n",
        seconds(hand_phases.total()),
        seconds(module_phases.total())
    );
    std::fs::remove_dir_all(&hand).ok();
    std::fs::remove_dir_all(&module).ok();
}

/// 3. for_each over a 10,000-entry map in a module, against the same resources by hand.
fn for_each_against_hand(root: &Path) {
    let pairs = scaled(10_000);
    let hand = root.join("one-api-hand");
    by_hand(&hand, 1, pairs);
    let module = root.join("one-api-module");
    by_module(&module, 1, pairs);
    let (hand_wall, hand_peak) = end_to_end(&hand);
    let (module_wall, module_peak) = end_to_end(&module);
    println!(
        "3. one api with {pairs} routes and integrations: a module with for_each over a {pairs}-entry map, against the same {} resources by hand\n",
        1 + 2 * pairs
    );
    println!("| written | plan wall | peak memory |");
    println!("|---|---|---|");
    println!(
        "| by hand | {} | {:.0} MB |",
        seconds(hand_wall),
        hand_peak / MB
    );
    println!(
        "| module, for_each | {} | {:.0} MB |",
        seconds(module_wall),
        module_peak / MB
    );
    println!(
        "\nratio (module / by hand): {:.2}\n",
        module_wall.as_secs_f64() / hand_wall.as_secs_f64()
    );
}

/// 4. Apply of 20,100 resources to moto: how fast objects are made at the start and at the end.
fn apply_rate() {
    let (apis, pairs) = (scaled(100), 100);
    let workspace = harness::Workspace::empty("bench-apply");
    by_hand(&workspace.dir, apis, pairs);
    let dir = workspace.dir.display().to_string();
    let mut child = workspace
        .aws_command(&["apply", &dir, "--auto-approve", "--rate", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gateform apply");
    let started = Instant::now();
    // Terraform's lines, one per object made, on stderr.
    let lines = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    let mut completed = Vec::new();
    for line in lines.lines() {
        if line
            .expect("read the apply's output")
            .contains("Creation complete")
        {
            completed.push(started.elapsed());
        }
    }
    let (status, _) = wait(child);
    assert!(status == 0, "the apply failed");
    let resources = completed.len();
    let tenth = (resources / 10).max(2);
    // Objects made per second in each tenth of them, from its first completion to its last.
    let rates: Vec<f64> = completed
        .chunks(tenth)
        .filter(|chunk| chunk.len() > 1)
        .map(|chunk| (chunk.len() - 1) as f64 / (chunk[chunk.len() - 1] - chunk[0]).as_secs_f64())
        .collect();
    let whole = completed.last().copied().unwrap_or_default();
    println!(
        "4. apply of {resources} resources to moto, `--rate 0`, `--parallelism 10`: objects made per second in each tenth of the apply\n"
    );
    let header: Vec<String> = (1..=rates.len()).map(|tenth| tenth.to_string()).collect();
    println!(
        "| whole apply | {} | last / first | last / second |",
        header.join(" | ")
    );
    println!("|---|{}---|---|", "---|".repeat(rates.len()));
    let shown: Vec<String> = rates.iter().map(|rate| format!("{rate:.0}")).collect();
    println!(
        "| {} ({:.0}/s) | {} | {:.2} | {:.2} |",
        seconds(whole),
        resources as f64 / whole.as_secs_f64(),
        shown.join(" | "),
        rates[rates.len() - 1] / rates[0],
        rates[rates.len() - 1] / rates[1.min(rates.len() - 1)],
    );
}
