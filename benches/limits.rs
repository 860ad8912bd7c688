//! Apply and refresh at AWS's limits, measured: `cargo bench --bench limits`.
//!
//! Three figures, each against a real moto server started here (as the tests start it):
//! 1. apply of 10 apis with 100 routes and 100 integrations each, through the fault proxy
//!    emulating AWS (10 requests/s in bursts of 40, one change at a time per api with 30 ms per
//!    mutation), compared with the ideal: the calls it made at 10 a second;
//! 2. the same apply straight to moto with no rate limit (`--rate 0`), compared with the raw SDK
//!    making the same creates with the same concurrency (one task per api, one client);
//! 3. refresh (`plan`) of 100 apis with 100 routes and 100 integrations each through the
//!    emulating proxy: its calls, and its wall time compared with those calls at 10 a second.
//!
//! `GATEFORM_BENCH_SCALE=0.1` runs everything at a tenth of the size, to try it out, and
//! `GATEFORM_BENCH_FIGURES=2,3` runs only those figures.

mod common;
#[path = "../tests/it/faults.rs"]
#[allow(dead_code)]
mod faults;
#[path = "../tests/it/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "../tests/it/recorded.rs"]
#[allow(dead_code)]
mod recorded;

use std::time::{Duration, Instant};

use common::scaled;
use faults::{Fault, FaultProxy};
use harness::{Run, Workspace, moto};

/// `apis` apis named `api0`..., each with `routes` routes and as many integrations.
fn configuration(apis: usize, routes: usize) -> String {
    let mut text = String::new();
    for api in 0..apis {
        text.push_str(&format!(
            r#"resource "aws_apigatewayv2_api" "api{api}" {{
  name          = "api{api}"
  protocol_type = "HTTP"
}}

resource "aws_apigatewayv2_integration" "api{api}" {{
  count              = {routes}
  api_id             = aws_apigatewayv2_api.api{api}.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = "https://example.com/{api}/${{count.index}}"
}}

resource "aws_apigatewayv2_route" "api{api}" {{
  count     = {routes}
  api_id    = aws_apigatewayv2_api.api{api}.id
  route_key = "GET /{api}/${{count.index}}"
  target    = "integrations/${{aws_apigatewayv2_integration.api{api}[count.index].id}}"
}}

"#
        ));
    }
    text
}

/// What `--verbose` reported: calls in all, and retries.
fn traffic(run: &Run) -> (usize, usize) {
    let number = |line: &str, after: &str| -> usize {
        let rest = &line[line.find(after).map_or(0, |at| at + after.len())..];
        rest.split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|digits| digits.parse().ok())
            .unwrap_or(0)
    };
    let calls = run
        .stderr
        .lines()
        .find(|line| line.starts_with("gateform made "))
        .map_or(0, |line| number(line, "gateform made "));
    let retries = run
        .stderr
        .lines()
        .find(|line| line.contains("of them were retries"))
        .map_or(0, |line| number(line, ""));
    (calls, retries)
}

/// The AWS calls that are not API Gateway's (sts:GetCallerIdentity), which the quota leaves out.
fn sts_calls(run: &Run) -> usize {
    run.stderr
        .lines()
        .find(|line| line.starts_with("gateform made "))
        .and_then(|line| line.split("GetCallerIdentity ×").nth(1))
        .and_then(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

fn timed(run: impl FnOnce() -> Run) -> (Run, Duration) {
    let started = Instant::now();
    let run = run();
    (run, started.elapsed())
}

/// gateform run through `proxy` at its default rate, timed; it must succeed.
fn through(proxy: &FaultProxy, workspace: &Workspace, args: &[&str]) -> (Run, Duration) {
    let (run, wall) = timed(|| {
        workspace.run_with(args, |command| {
            command
                .env("AWS_ENDPOINT_URL", &proxy.endpoint)
                .env_remove("GATEFORM_RATE");
        })
    });
    (run.expect_code(0), wall)
}

fn emulating_proxy() -> FaultProxy {
    FaultProxy::start(&moto().endpoint, Vec::new(), 1)
        .with_quota(10.0, 40.0)
        .with_serialised_apis(Duration::from_millis(30))
}

fn main() {
    let (apis, routes) = (10, scaled(100));
    let resources = apis * (1 + 2 * routes);
    println!(
        "gateform {} · {} cores\n",
        env!("CARGO_PKG_VERSION"),
        cores()
    );
    println!(
        "| figure | calls | wall | retries | throttled (429) | conflicts (409) | ideal | ratio | goal |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");

    let figures = std::env::var("GATEFORM_BENCH_FIGURES").unwrap_or_else(|_| "1,2,3".to_owned());
    let wanted = |figure: &str| figures.split(',').any(|wanted| wanted.trim() == figure);
    if wanted("1") {
        emulated_apply(apis, routes, resources);
    }
    if wanted("2") {
        unlimited_apply(apis, routes, resources);
    }
    if wanted("3") {
        emulated_refresh();
    }
}

/// 1. Apply through the proxy emulating AWS, at gateform's default rate.
fn emulated_apply(apis: usize, routes: usize, resources: usize) {
    let workspace = Workspace::empty("bench-emulated");
    workspace.write("main.tf", &configuration(apis, routes));
    let proxy = emulating_proxy();
    let (run, wall) = through(
        &proxy,
        &workspace,
        &["apply", "DIR", "--auto-approve", "--verbose"],
    );
    let (calls, retries) = traffic(&run);
    let limited = calls - sts_calls(&run);
    let ideal = Duration::from_secs_f64(limited as f64 / 10.0);
    println!(
        "| apply of {resources} resources ({apis} apis), emulated AWS | {limited} | {:.1}s | {retries} | {} | {} | {:.1}s | {:.3} | ≤ 1.1 |",
        wall.as_secs_f64(),
        proxy.count(Fault::Refuse(429)),
        proxy.count(Fault::Refuse(409)),
        ideal.as_secs_f64(),
        wall.as_secs_f64() / ideal.as_secs_f64(),
    );
}

/// 2. The same apply straight to moto with no limit, and the raw SDK doing the same creates.
fn unlimited_apply(apis: usize, routes: usize, resources: usize) {
    // The same apply straight to moto with no limit, and the raw SDK doing the same creates:
    //    each twice, in turns, into fresh accounts, and the faster of the two taken, so that
    //    neither gains from coming second to a moto that has warmed up.
    let (mut gateform, mut raw, mut calls) = (Duration::MAX, Duration::MAX, 0);
    for round in 0..2 {
        raw = raw.min(raw_sdk(apis, routes));
        let workspace = Workspace::empty(&format!("bench-unlimited-{round}"));
        workspace.write("main.tf", &configuration(apis, routes));
        let (run, wall) = timed(|| {
            workspace.run(&["apply", "DIR", "--auto-approve", "--verbose", "--rate", "0"])
        });
        calls = traffic(&run.expect_code(0)).0;
        gateform = gateform.min(wall);
    }
    println!(
        "| apply of {resources} resources to moto, `--rate 0` | {calls} | {:.1}s | | | | raw SDK: {:.1}s | {:.3} (raw / gateform) | ≥ 0.9 |",
        gateform.as_secs_f64(),
        raw.as_secs_f64(),
        raw.as_secs_f64() / gateform.as_secs_f64(),
    );
}

/// 3. Refresh of 100 apis with 100 routes and 100 integrations each.
fn emulated_refresh() {
    let (apis, routes) = (scaled(100), scaled(100));
    let workspace = Workspace::empty("bench-refresh");
    workspace.write("main.tf", &configuration(apis, routes));
    let (setup, made) = timed(|| workspace.run(&["apply", "DIR", "--auto-approve", "--rate", "0"]));
    setup.expect_code(0);
    let proxy = emulating_proxy();
    let (run, wall) = through(
        &proxy,
        &workspace,
        &["plan", "DIR", "--verbose", "--detailed-exitcode"],
    );
    let (calls, retries) = traffic(&run);
    // The same plan without refresh: loading, planning and rendering 20,100 resources, which
    // is not refresh's time (see the plan benchmark of docs/performance.md).
    let (floor, unrefreshed) = timed(|| workspace.run_offline(&["plan", "DIR", "--refresh=false"]));
    floor.expect_code(0);
    let refresh = wall.saturating_sub(unrefreshed);
    let ideal = Duration::from_secs_f64(calls as f64 / 10.0);
    println!(
        "| refresh of {} resources ({apis} apis), emulated AWS | {calls} (at most {}) | {:.1}s (plan {:.1}s + refresh {:.1}s) | {retries} | {} | {} | {:.1}s | {:.3} (refresh / ideal) | ≤ 1.1 |",
        apis * (1 + 2 * routes),
        1 + apis * 2,
        wall.as_secs_f64(),
        unrefreshed.as_secs_f64(),
        refresh.as_secs_f64(),
        proxy.count(Fault::Refuse(429)),
        proxy.count(Fault::Refuse(409)),
        ideal.as_secs_f64(),
        refresh.as_secs_f64() / ideal.as_secs_f64(),
    );
    println!(
        "\n(setting up figure 3: apply of {} resources to moto with `--rate 0` took {:.1}s)",
        apis * (1 + 2 * routes),
        made.as_secs_f64()
    );
}

/// The raw SDK making what figure 2's apply makes: one task per api (gateform's lanes), each
/// creating its api, then its integrations and routes one at a time, all on one client.
fn raw_sdk(apis: usize, routes: usize) -> Duration {
    let workspace = Workspace::empty("bench-raw");
    let aws = workspace.aws();
    let client = aws.client().clone();
    let started = Instant::now();
    aws.block_on(async {
        let mut tasks = Vec::new();
        for api in 0..apis {
            let client = client.clone();
            tasks.push(async move {
                let created = client
                    .create_api()
                    .name(format!("raw{api}"))
                    .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
                    .send()
                    .await
                    .expect("CreateApi");
                let api_id = created.api_id().expect("an id").to_owned();
                let mut integrations = Vec::new();
                for route in 0..routes {
                    let integration = client
                        .create_integration()
                        .api_id(&api_id)
                        .integration_type(aws_sdk_apigatewayv2::types::IntegrationType::HttpProxy)
                        .integration_method("ANY")
                        .integration_uri(format!("https://example.com/{api}/{route}"))
                        .send()
                        .await
                        .expect("CreateIntegration");
                    integrations.push(integration.integration_id().expect("an id").to_owned());
                }
                for (route, integration) in integrations.iter().enumerate() {
                    client
                        .create_route()
                        .api_id(&api_id)
                        .route_key(format!("GET /{api}/{route}"))
                        .target(format!("integrations/{integration}"))
                        .send()
                        .await
                        .expect("CreateRoute");
                }
            });
        }
        futures_util::future::join_all(tasks).await;
    });
    started.elapsed()
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
