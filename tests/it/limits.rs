//! Apply at AWS's real limits, against the fault proxy emulating them: one change at a time per
//! api (409 "concurrent modification" when two overlap), and the account's quota of 10 requests
//! a second in bursts of 40 (429 beyond it).

use std::time::Duration;

use crate::faults::{Calls, Fault, FaultProxy, Rule};
use crate::harness::{Workspace, moto};

/// `apis` apis, each with `routes` routes, each route with an integration of its own.
fn apis(workspace: &Workspace, apis: &[&str], routes: usize) {
    let mut text = String::new();
    for api in apis {
        text.push_str(&format!(
            r#"resource "aws_apigatewayv2_api" "{api}" {{
  name          = "{api}"
  protocol_type = "HTTP"
}}

resource "aws_apigatewayv2_integration" "{api}" {{
  count              = {routes}
  api_id             = aws_apigatewayv2_api.{api}.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = "https://example.com/{api}/${{count.index}}"
}}

resource "aws_apigatewayv2_route" "{api}" {{
  count     = {routes}
  api_id    = aws_apigatewayv2_api.{api}.id
  route_key = "GET /{api}/${{count.index}}"
  target    = "integrations/${{aws_apigatewayv2_integration.{api}[count.index].id}}"
}}

"#
        ));
    }
    workspace.write("main.tf", &text);
}

/// The route keys of every api AWS holds, by api name.
fn route_keys(workspace: &Workspace) -> Vec<(String, usize)> {
    let mut keys: Vec<(String, usize)> = workspace
        .aws()
        .apis()
        .into_iter()
        .map(|api| (api.name, api.route_keys.len()))
        .collect();
    keys.sort();
    keys
}

/// `--verbose`'s second line: retries, what AWS turned away, and the wait for the rate limit.
fn traffic_line(stderr: &str) -> &str {
    stderr
        .lines()
        .find(|line| line.contains("of them were retries"))
        .unwrap_or_default()
}

#[test]
fn two_apis_change_in_parallel_while_the_calls_to_each_api_never_overlap() {
    let workspace = Workspace::empty("two-lanes");
    apis(&workspace, &["left", "right"], 12);
    let proxy = FaultProxy::start(&moto().endpoint, Vec::new(), 1)
        .with_serialised_apis(Duration::from_millis(30));
    let apply = workspace
        .run_with(
            &["apply", "DIR", "--auto-approve", "--verbose"],
            |command| {
                command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
            },
        )
        .expect_code(0);
    assert_eq!(proxy.count(Fault::Refuse(409)), 0, "{}", apply.stderr);
    assert_eq!(
        proxy.peak_mutations(),
        2,
        "the two apis' changes overlapped"
    );
    assert!(
        traffic_line(&apply.stderr).starts_with("0 of them were retries; AWS turned 0 away"),
        "{}",
        apply.stderr
    );
    assert_eq!(
        route_keys(&workspace),
        [("left".to_owned(), 12), ("right".to_owned(), 12)]
    );
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
}

#[test]
fn with_parallelism_1_no_two_calls_overlap_at_all() {
    let workspace = Workspace::empty("one-lane");
    apis(&workspace, &["left", "right"], 3);
    let proxy = FaultProxy::start(&moto().endpoint, Vec::new(), 1)
        .with_serialised_apis(Duration::from_millis(30));
    workspace
        .run_with(
            &["apply", "DIR", "--auto-approve", "--parallelism", "1"],
            |command| {
                command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
            },
        )
        .expect_code(0);
    assert_eq!(proxy.peak_mutations(), 1);
    assert_eq!(
        route_keys(&workspace),
        [("left".to_owned(), 3), ("right".to_owned(), 3)]
    );
}

#[test]
fn a_409_concurrent_modification_is_retried_and_the_apply_converges() {
    let workspace = Workspace::empty("conflicted");
    apis(&workspace, &["only"], 4);
    let rules = vec![Rule::new(Calls::All, 1.0, Fault::Refuse(409)).times(3)];
    let proxy = FaultProxy::start(&moto().endpoint, rules, 1);
    let apply = workspace
        .run_with(
            &["apply", "DIR", "--auto-approve", "--verbose"],
            |command| {
                command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
            },
        )
        .expect_code(0);
    assert_eq!(proxy.count(Fault::Refuse(409)), 3);
    assert!(
        traffic_line(&apply.stderr).starts_with("3 of them were retries; AWS turned 3 away"),
        "{}",
        apply.stderr
    );
    assert_eq!(route_keys(&workspace), [("only".to_owned(), 4)]);
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
}

#[test]
fn a_failed_step_stops_what_depends_on_it_and_the_independent_steps_finish_and_are_recorded() {
    let workspace = Workspace::empty("one-fails");
    apis(&workspace, &["healthy"], 3);
    workspace.write(
        "broken.tf",
        r#"resource "aws_apigatewayv2_route" "orphan" {
  api_id    = "doesnotexist"
  route_key = "GET /orphan"
}

resource "aws_apigatewayv2_route_response" "orphan" {
  api_id             = "doesnotexist"
  route_id           = aws_apigatewayv2_route.orphan.id
  route_response_key = "$default"
}
"#,
    );
    let proxy = FaultProxy::start(&moto().endpoint, Vec::new(), 1)
        .with_serialised_apis(Duration::from_millis(30));
    let apply = workspace
        .run_with(&["apply", "DIR", "--auto-approve"], |command| {
            command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
        })
        .expect_code(1);
    assert_eq!(proxy.count(Fault::Refuse(409)), 0);
    assert!(
        apply.stderr.contains(
            "error: apply stopped: 1 change failed; 7 changes were made and recorded in the state; 1 was not started because it depends on what failed\n  - CreateRoute for `aws_apigatewayv2_route.orphan` failed: NotFoundException"
        ),
        "{}",
        apply.stderr
    );
    assert!(
        apply
            .stderr
            .contains("\n  not started: `aws_apigatewayv2_route_response.orphan`\n"),
        "{}",
        apply.stderr
    );
    assert_eq!(route_keys(&workspace), [("healthy".to_owned(), 3)]);
    // What was made is in the state: the next plan makes only the two that were not.
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert_eq!(
        plan.summary(),
        "Plan: 2 to add, 0 to change, 0 to destroy.",
        "{}",
        plan.stdout
    );
}

/// With the default rate, gateform stays inside the account's quota: AWS never has to turn a
/// request away.
#[test]
fn at_the_default_rate_an_apply_is_never_throttled_by_the_account_quota() {
    let workspace = Workspace::empty("paced");
    apis(&workspace, &["a", "b", "c"], 12);
    let proxy = FaultProxy::start(&moto().endpoint, Vec::new(), 1).with_quota(10.0, 40.0);
    let apply = workspace
        .run_with(
            &["apply", "DIR", "--auto-approve", "--verbose"],
            |command| {
                command
                    .env("AWS_ENDPOINT_URL", &proxy.endpoint)
                    .env_remove("GATEFORM_RATE");
            },
        )
        .expect_code(0);
    assert_eq!(proxy.count(Fault::Refuse(429)), 0, "{}", apply.stderr);
    let traffic = traffic_line(&apply.stderr);
    assert!(
        traffic.starts_with("0 of them were retries; AWS turned 0 away (throttled or busy); waiting for the rate limit (10 requests/s, bursts of 40) took "),
        "{}",
        apply.stderr
    );
    assert_eq!(
        route_keys(&workspace),
        [
            ("a".to_owned(), 12),
            ("b".to_owned(), 12),
            ("c".to_owned(), 12)
        ]
    );
}

/// The provider block's `rate` sets the pace, and `--rate` wins over it.
#[test]
fn the_provider_blocks_rate_sets_the_pace_and_the_command_line_wins() {
    let workspace = Workspace::empty("provider-rate");
    apis(&workspace, &["only"], 1);
    let main = std::fs::read_to_string(workspace.file("main.tf")).unwrap();
    workspace.write(
        "main.tf",
        &format!("provider \"aws\" {{\n  rate = 2\n}}\n\n{main}"),
    );
    // The pace `--verbose` reports.
    let pace = |args: &[&str]| {
        let run = workspace
            .run_with(args, |command| {
                command.env_remove("GATEFORM_RATE");
            })
            .expect_code(0);
        let line = traffic_line(&run.stderr);
        let start = line.find("rate limit (").expect("the pace") + "rate limit (".len();
        line[start..start + line[start..].find(')').expect("its end")].to_owned()
    };
    assert_eq!(
        pace(&["apply", "DIR", "--auto-approve", "--verbose"]),
        "2 requests/s, bursts of 8"
    );
    assert_eq!(
        pace(&["plan", "DIR", "--verbose", "--rate", "5"]),
        "5 requests/s, bursts of 20"
    );
}

/// SIGTERM while calls are in flight in several lanes: each of them finishes and is recorded,
/// nothing more starts, and the state holds exactly what AWS holds, api by api.
#[test]
fn sigterm_with_calls_in_flight_in_several_lanes_records_each_of_them() {
    let workspace = Workspace::empty("lanes-stopped");
    let names = ["a", "b", "c", "d"];
    apis(&workspace, &names, 15);
    let proxy = FaultProxy::start(&moto().endpoint, Vec::new(), 1)
        .with_serialised_apis(Duration::from_millis(30));
    let seed = crate::faults::seed();
    let mut apply = workspace.spawn_with(&["apply", "DIR", "--auto-approve"], |command| {
        command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
    });
    apply.wait_for("aws_apigatewayv2_integration.a[1]: Creation complete");
    let pause = crate::faults::random(&mut (seed | 1)) * 300.0;
    std::thread::sleep(Duration::from_millis(pause as u64));
    apply.signal("TERM");
    let run = apply.finish().expect_code(143);
    assert!(
        run.stderr
            .contains(" changes were made and recorded in the state; the rest were not started\n"),
        "seed {seed}: {}",
        run.stderr
    );
    assert_eq!(proxy.count(Fault::Refuse(409)), 0, "seed {seed}");
    assert_eq!(
        (
            crate::exactly_once::rows(&workspace, "lock"),
            crate::exactly_once::rows(&workspace, "pending")
        ),
        (0, 0),
        "seed {seed}"
    );
    // Api by api, what AWS holds is what the state holds.
    for api in workspace.aws().apis() {
        let (in_state, in_aws) = crate::exactly_once::held(&workspace, &api);
        assert_eq!(in_state, in_aws, "seed {seed}: api {}", api.name);
    }
    workspace.converge();
    let keys: Vec<(String, usize)> = names.iter().map(|name| (name.to_string(), 15)).collect();
    assert_eq!(route_keys(&workspace), keys, "seed {seed}");
}
