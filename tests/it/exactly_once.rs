//! Exactly-once apply: whatever fails, every object in AWS is in the state once, and the next
//! plan knows it. Failures are made on purpose: kill -9 and SIGTERM at random moments, a fault
//! proxy that loses AWS's answers, refuses calls and hangs, and a state write that fails.

use std::time::{Duration, Instant};

use crate::faults::{self, Calls, Fault, FaultProxy, Rule};
use crate::harness::{Run, Workspace, moto};

/// The message a plan prints for an object an interrupted apply made.
const ADOPTED: &str = "was created by an interrupted apply and has been adopted";

/// One api with 50 integrations and 300 routes that target them.
fn estate(workspace: &Workspace, provider: &str) {
    workspace.write(
        "main.tf",
        &format!(
            r#"provider "aws" {{
{provider}}}

resource "aws_apigatewayv2_api" "a" {{
  name          = "estate"
  protocol_type = "HTTP"
}}

resource "aws_apigatewayv2_integration" "i" {{
  count              = 50
  api_id             = aws_apigatewayv2_api.a.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = "https://example.com/${{count.index}}"
}}

resource "aws_apigatewayv2_route" "r" {{
  count     = 300
  api_id    = aws_apigatewayv2_api.a.id
  route_key = "GET /r${{count.index}}"
  target    = "integrations/${{aws_apigatewayv2_integration.i[count.index % 50].id}}"
}}
"#
        ),
    );
}

/// Checks with the SDK that AWS holds the estate exactly once, and that the state holds what
/// AWS holds: one api, 50 integrations with distinct uris, 300 distinct route keys.
fn assert_estate_once(workspace: &Workspace, context: &str) {
    let aws = workspace.aws();
    let apis = aws.apis();
    assert_eq!(apis.len(), 1, "{context}: apis {apis:?}");
    let api = &apis[0];
    let mut keys = api.route_keys.clone();
    keys.dedup();
    assert_eq!(
        (api.route_keys.len(), keys.len()),
        (300, 300),
        "{context}: routes"
    );
    let integrations = aws.integrations(&api.id);
    let mut uris: Vec<&String> = integrations.iter().map(|(uri, _)| uri).collect();
    uris.dedup();
    assert_eq!(
        (integrations.len(), uris.len()),
        (50, 50),
        "{context}: integrations"
    );
    let state = workspace.state_json();
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(resources.len(), 351, "{context}: the state");
    assert_eq!(
        workspace.state_id("aws_apigatewayv2_api.a"),
        api.id,
        "{context}"
    );
    let mut recorded: Vec<String> = resources
        .iter()
        .filter(|resource| resource["type"] == "aws_apigatewayv2_integration")
        .map(|resource| {
            resource["values"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    recorded.sort();
    let mut existing: Vec<String> = integrations.into_iter().map(|(_, id)| id).collect();
    existing.sort();
    assert_eq!(recorded, existing, "{context}: integrations in the state");
}

/// kill -9 at ten random moments of one large apply, each run picking up where the last one
/// died; then one more apply. Creates answer 40 ms late, as AWS across a network does, so that
/// kills land inside them too.
#[test]
fn kill_9_at_random_moments_leaves_no_orphan_and_no_duplicate() {
    let workspace = Workspace::empty("estate");
    estate(&workspace, "");
    let seed = faults::seed();
    let mut random = seed | 1;
    let proxy = FaultProxy::start(
        &moto().endpoint,
        vec![Rule::new(
            Calls::Creates,
            1.0,
            Fault::Delay(Duration::from_millis(40)),
        )],
        seed,
    );
    let mut adopted = 0;
    for trial in 0..10 {
        let mut apply = workspace.spawn_with(&["apply", "DIR", "--auto-approve"], |command| {
            command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
        });
        // Into the steps, then a random moment among them.
        apply.wait_for("Creating...");
        std::thread::sleep(Duration::from_millis(
            (faults::random(&mut random) * 1500.0) as u64,
        ));
        apply.signal("KILL");
        let run = apply.finish();
        adopted += run.stdout.matches(ADOPTED).count();
        assert!(
            run.code == -1 || run.code == 0,
            "trial {trial} (seed {seed}): {}\n{}",
            run.stdout,
            run.stderr
        );
    }
    let last = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    adopted += last.stdout.matches(ADOPTED).count();
    assert_estate_once(&workspace, &format!("seed {seed}"));
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
    assert!(adopted >= 1, "seed {seed}: no kill landed inside a create");
}

/// A proxy that forwards 5% of creates and then answers 500 or drops the connection, and turns
/// away 20% of all calls with 429, 409, 500 or 503: one apply converges, with nothing made twice.
/// At that rate of failure, three attempts a call are too few for a thousand calls; the provider
/// block asks for more, as users on a poor network do.
#[test]
fn lost_answers_and_refused_calls_converge_in_one_apply_without_duplicates() {
    let workspace = Workspace::empty("estate");
    estate(&workspace, "  max_retries = 10\n");
    let seed = faults::seed();
    let proxy = FaultProxy::start(
        &moto().endpoint,
        vec![
            Rule::new(Calls::Creates, 0.03, Fault::ForwardThenFail),
            Rule::new(Calls::Creates, 0.02, Fault::ForwardThenDrop),
            Rule::new(Calls::All, 0.05, Fault::Refuse(429)),
            Rule::new(Calls::All, 0.05, Fault::Refuse(409)),
            Rule::new(Calls::All, 0.05, Fault::Refuse(500)),
            Rule::new(Calls::All, 0.05, Fault::Refuse(503)),
        ],
        seed,
    );
    let run = workspace.run_with(&["apply", "DIR", "--auto-approve"], |command| {
        command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
    });
    let lost = proxy.count(Fault::ForwardThenFail) + proxy.count(Fault::ForwardThenDrop);
    assert_eq!(run.code, 0, "seed {seed}, {lost} lost:\n{}", run.stderr);
    assert!(lost >= 3, "seed {seed}: only {lost} answers were lost");
    assert!(proxy.count(Fault::Refuse(409)) >= 10, "seed {seed}");
    assert_estate_once(&workspace, &format!("seed {seed}"));
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
}

/// Waits for `running` to end, killing it and failing if it takes longer than `within`: a
/// guard against a hang, not a measure of speed.
fn finish_within(mut running: crate::harness::Running, within: Duration) -> Run {
    let deadline = Instant::now() + within;
    while !running.has_ended() {
        if Instant::now() > deadline {
            running.signal("KILL");
            panic!("gateform hung:\n{}", running.finish().stderr);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    running.finish()
}

/// A create that AWS carries out and never answers: with a 2-second timeout the call is
/// abandoned, the api it made is found, and the apply goes on to finish.
#[test]
fn a_hung_create_is_abandoned_at_its_timeout_and_what_it_made_is_found() {
    let workspace = Workspace::new("seed-route-basic");
    let proxy = FaultProxy::start(
        &moto().endpoint,
        vec![Rule::new(Calls::Creates, 1.0, Fault::ForwardThenHang).times(1)],
        1,
    );
    let apply = workspace.spawn_with(
        &["apply", "DIR", "--auto-approve", "--call-timeout", "2s"],
        |command| {
            command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
        },
    );
    let run = finish_within(apply, Duration::from_secs(120)).expect_code(0);
    let apis = workspace.aws().apis();
    assert_eq!(apis.len(), 1, "{apis:?}");
    assert_eq!(apis[0].route_keys, ["$default"]);
    assert!(
        run.stderr.contains(
            "aws_apigatewayv2_api.example: AWS's answer was lost (CreateApi for `aws_apigatewayv2_api.example` failed: "
        ) && run.stderr.contains(&format!("the object it made was found [id={}]", apis[0].id)),
        "{}",
        run.stderr
    );
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
}

/// kill -9 while a CreateApi hangs, after AWS made the api: the next run finds the api by its
/// name and protocol, made after the intent, and adopts it instead of making a second one.
#[test]
fn an_api_whose_create_was_killed_is_adopted_by_the_next_run() {
    let workspace = Workspace::new("seed-route-basic");
    kill_inside_a_hung_create(&workspace, "aws_apigatewayv2_api.example");
    let made = workspace.aws().apis();
    assert_eq!(made.len(), 1, "the killed create made the api: {made:?}");

    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout.starts_with(&format!(
            "  # aws_apigatewayv2_api.example {ADOPTED} [id={}]\n\n",
            made[0].id
        )),
        "{}",
        plan.stdout
    );
    assert_eq!(plan.summary(), "Plan: 1 to add, 0 to change, 0 to destroy.");
    let comment = workspace
        .run(&["plan", "DIR", "--format", "markdown"])
        .expect_code(0);
    assert!(
        comment.stdout.contains(&format!(
            "> [!NOTE]\n> Created by an interrupted apply, found in AWS and adopted: `aws_apigatewayv2_api.example` (`{}`).\n",
            made[0].id
        )),
        "{}",
        comment.stdout
    );
    workspace.converge();
    let apis = workspace.aws().apis();
    assert_eq!((apis.len(), &apis[0].id), (1, &made[0].id));
    assert_eq!(apis[0].route_keys, ["$default"]);
}

/// Two apis that match an interrupted create: the plan stops, names both, and says how to
/// settle it; `import` of the one to keep does.
#[test]
fn an_interrupted_create_with_two_matching_objects_stops_the_plan_and_names_both() {
    let workspace = Workspace::new("seed-http-api");
    kill_inside_a_hung_create(&workspace, "aws_apigatewayv2_api.example");
    let aws = workspace.aws();
    let first = aws.apis()[0].id.clone();
    let second = aws.create_http_api("example-http-api");

    for command in [&["plan", "DIR"][..], &["apply", "DIR", "--auto-approve"]] {
        let stopped = workspace.run(command).expect_code(1);
        let error = stopped.stderr.lines().last().unwrap_or_default();
        assert_eq!(
            error,
            format!(
                "error: `aws_apigatewayv2_api.example` was being created by an apply that was interrupted, and AWS has 2 objects that match it: `{first}`, `{second}`. gateform cannot tell which one that apply made. Keep one with `gateform import aws_apigatewayv2_api.example ID` (which also settles the interrupted create) and delete the others in AWS"
            ),
            "{command:?}"
        );
    }
    assert_eq!(aws.apis().len(), 2);
    workspace
        .run(&["import", "aws_apigatewayv2_api.example", &first, "DIR"])
        .expect_code(0);
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
}

/// Writes the seed-route-basic fixture's `main.hcl` without its route, and returns it whole.
fn leave_out_the_route(workspace: &Workspace) -> String {
    let full = std::fs::read_to_string(workspace.file("main.hcl")).unwrap();
    let (api_only, _) = full
        .split_once("resource \"aws_apigatewayv2_route\"")
        .unwrap();
    workspace.write("main.hcl", api_only);
    full
}

/// A state write that fails after AWS made the object (here SQLite's "disk full", raised by a
/// trigger in the real state file) names the object, and the next plan adopts it.
#[test]
fn a_state_write_that_fails_after_a_create_names_the_object_and_it_is_adopted() {
    let workspace = Workspace::new("seed-route-basic");
    let route = leave_out_the_route(&workspace);
    workspace.converge();
    workspace.write("main.hcl", &route);
    let db = rusqlite::Connection::open(workspace.state_path()).unwrap();
    db.execute_batch(
        "CREATE TRIGGER full BEFORE INSERT ON resources WHEN NEW.type = 'aws_apigatewayv2_route'
         BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END;",
    )
    .unwrap();
    drop(db);

    let failed = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(1);
    let api = workspace.aws().apis()[0].id.clone();
    let routes = workspace
        .aws()
        .block_on(workspace.aws().client().get_routes().api_id(&api).send())
        .unwrap();
    let id = routes.items()[0].route_id().unwrap().to_owned();
    assert!(
        failed.stderr.contains(&format!(
            "`aws_apigatewayv2_route.example` was created in AWS (id `{id}`), but the state could not record it; its intent stays in the state, and the next plan or apply finds the object and adopts it: cannot write the state file `seed-route-basic/gateform.db`: database or disk is full"
        )),
        "{}",
        failed.stderr
    );

    let db = rusqlite::Connection::open(workspace.state_path()).unwrap();
    db.execute_batch("DROP TRIGGER full").unwrap();
    drop(db);
    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
    assert!(
        plan.stdout.starts_with(&format!(
            "  # aws_apigatewayv2_route.example {ADOPTED} [id={id}]\n\nNo changes."
        )),
        "{}",
        plan.stdout
    );
    workspace.converge();
    assert_eq!(workspace.state_id("aws_apigatewayv2_route.example"), id);
    assert_eq!(workspace.aws().apis()[0].route_keys, ["$default"]);
}

/// Counts the rows of a table of the state file.
pub fn rows(workspace: &Workspace, table: &str) -> i64 {
    rusqlite::Connection::open(workspace.state_path())
        .unwrap()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .unwrap()
}

/// What the state and AWS hold under `api`: its integrations' ids and its route keys, each list
/// sorted, the state's first.
pub fn held(workspace: &Workspace, api: &crate::harness::Api) -> (Vec<String>, Vec<String>) {
    let mut in_aws: Vec<String> = workspace
        .aws()
        .integrations(&api.id)
        .into_iter()
        .map(|(_, id)| id)
        .chain(api.route_keys.iter().cloned())
        .collect();
    in_aws.sort();
    let state = workspace.state_json();
    let mut in_state: Vec<String> = state["values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|resource| {
            resource["type"] != "aws_apigatewayv2_api"
                && resource["values"]["api_id"] == api.id.as_str()
        })
        .map(|resource| {
            let values = &resource["values"];
            values["route_key"]
                .as_str()
                .unwrap_or_else(|| values["id"].as_str().unwrap())
                .to_owned()
        })
        .collect();
    in_state.sort();
    (in_state, in_aws)
}

/// SIGTERM, as CI sends a cancelled job, at a random moment of an apply: the call in flight
/// finishes and is recorded, nothing more starts, the lock is released, and the exit code is 143.
#[test]
fn sigterm_mid_apply_exits_143_with_the_state_equal_to_aws_and_the_lock_released() {
    let workspace = Workspace::empty("estate");
    estate(&workspace, "");
    let seed = faults::seed();
    let mut apply = workspace.spawn(&["apply", "DIR", "--auto-approve"]);
    apply.wait_for("aws_apigatewayv2_integration.i[1]: Creation complete");
    let pause = faults::random(&mut (seed | 1)) * 1000.0;
    std::thread::sleep(Duration::from_millis(pause as u64));
    apply.signal("TERM");
    let run = apply.finish().expect_code(143);
    assert!(
        run.stderr.contains(
            "\nInterrupt received.\nPlease wait for gateform to exit or data loss may occur.\nGracefully shutting down...\n"
        ) && run.stderr.contains(" changes were made and recorded in the state; the rest were not started\n"),
        "seed {seed}: {}",
        run.stderr
    );
    assert_eq!(
        (rows(&workspace, "lock"), rows(&workspace, "pending")),
        (0, 0)
    );
    let api = workspace.aws().apis().remove(0);
    let (in_state, in_aws) = held(&workspace, &api);
    assert_eq!(in_state, in_aws, "seed {seed}");
    assert!(in_aws.len() >= 2, "seed {seed}: {in_aws:?}");
    workspace.converge();
    assert_estate_once(&workspace, "after the rest was applied");
}

/// A second interrupt abandons the call in flight (here a create that hangs after AWS made the
/// api): the process exits at once with 130, the lock is released, and the next run adopts the
/// api from the intent left behind.
#[test]
fn a_second_interrupt_abandons_a_hung_call_releases_the_lock_and_the_next_run_adopts() {
    let workspace = Workspace::new("seed-route-basic");
    let proxy = FaultProxy::start(
        &moto().endpoint,
        vec![Rule::new(Calls::Creates, 1.0, Fault::ForwardThenHang).times(1)],
        1,
    );
    let mut apply = workspace.spawn_with(&["apply", "DIR", "--auto-approve"], |command| {
        command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
    });
    apply.wait_for("aws_apigatewayv2_api.example: Creating...");
    while proxy.count(Fault::ForwardThenHang) == 0 {
        std::thread::sleep(Duration::from_millis(20));
    }
    apply.interrupt();
    apply.wait_for("Gracefully shutting down...");
    apply.interrupt();
    let run = finish_within(apply, Duration::from_secs(30)).expect_code(130);
    assert!(
        run.stderr.ends_with(
            "\nTwo interrupts received. Exiting immediately: the calls in flight are abandoned, and the next plan or apply looks for what they made.\n"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        (rows(&workspace, "lock"), rows(&workspace, "pending")),
        (0, 1)
    );
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout.starts_with("  # aws_apigatewayv2_api.example was created by an interrupted apply and has been adopted [id="),
        "{}",
        plan.stdout
    );
    workspace.converge();
    assert_eq!(workspace.aws().apis().len(), 1);
}

/// Starts an apply through a proxy whose first create hangs after reaching moto, and kills it
/// with SIGKILL once moto has made the object.
fn kill_inside_a_hung_create(workspace: &Workspace, address: &str) {
    let proxy = FaultProxy::start(
        &moto().endpoint,
        vec![Rule::new(Calls::Creates, 1.0, Fault::ForwardThenHang).times(1)],
        1,
    );
    let mut apply = workspace.spawn_with(&["apply", "DIR", "--auto-approve"], |command| {
        command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
    });
    apply.wait_for(&format!("{address}: Creating..."));
    while proxy.count(Fault::ForwardThenHang) == 0 {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    apply.signal("KILL");
    apply.finish();
}

/// A create_before_destroy replacement killed inside its create: the new api is adopted at the
/// address, the old one becomes deposed, and the next apply deletes it.
#[test]
fn a_killed_create_before_destroy_replacement_adopts_the_new_object_and_deposes_the_old() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "main.hcl",
        "resource \"aws_apigatewayv2_api\" \"example\" {\n  name          = \"example-http-api\"\n  protocol_type = \"HTTP\"\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n",
    );
    workspace.converge();
    let old = workspace.aws().apis()[0].id.clone();
    workspace.edit(
        "main.hcl",
        "  protocol_type = \"HTTP\"\n",
        "  protocol_type              = \"WEBSOCKET\"\n  route_selection_expression = \"$request.body.action\"\n",
    );
    kill_inside_a_hung_create(&workspace, "aws_apigatewayv2_api.example");
    let apis = workspace.aws().apis();
    assert_eq!(apis.len(), 2, "{apis:?}");
    let new = apis.iter().find(|api| api.id != old).unwrap().id.clone();

    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout.starts_with(&format!(
            "  # aws_apigatewayv2_api.example {ADOPTED} [id={new}]\n\n"
        )) && plan.stdout.contains(&format!(
            "# aws_apigatewayv2_api.example (deposed object {old}) will be destroyed"
        )),
        "{}",
        plan.stdout
    );
    assert_eq!(plan.summary(), "Plan: 0 to add, 0 to change, 1 to destroy.");
    workspace.converge();
    let apis = workspace.aws().apis();
    assert_eq!(
        (apis.len(), &apis[0].id, apis[0].protocol_type.as_str()),
        (1, &new, "WEBSOCKET")
    );
}

/// When the lookup of an interrupted create cannot be made, nothing is planned: the error says
/// why and what settles it, and the intent stays.
#[test]
fn an_interrupted_create_that_cannot_be_looked_up_stops_the_plan() {
    let workspace = Workspace::new("seed-http-api");
    kill_inside_a_hung_create(&workspace, "aws_apigatewayv2_api.example");
    let down = FaultProxy::start(
        &moto().endpoint,
        vec![Rule::new(Calls::All, 1.0, Fault::Refuse(503))],
        1,
    );
    let stopped = workspace
        .run_with(&["plan", "DIR"], |command| {
            command.env("AWS_ENDPOINT_URL", &down.endpoint);
        })
        .expect_code(1);
    assert_eq!(
        stopped.stderr,
        format!(
            "error: an apply that was interrupted was creating `aws_apigatewayv2_api.example`, and gateform cannot look for what it made (GetApis failed: ServiceUnavailable: Service Unavailable (request id {})); it plans nothing until it can, since it might make the object twice. Try again; if the object exists, `gateform import aws_apigatewayv2_api.example ID` also settles it\n",
            faults::REQUEST_ID
        )
    );
    assert_eq!(down.count(Fault::Refuse(503)), 3, "three attempts");
    assert_eq!(rows(&workspace, "pending"), 1);
    workspace.converge();
    assert_eq!(workspace.aws().apis().len(), 1);
}

/// A create whose connection is lost before it reaches AWS: a route (whose key AWS keeps
/// unique) is sent again at once; an api (whose name is not unique) is not, since the lost
/// request might still be under way: the apply stops with its intent kept, and the next one,
/// finding no api even after the intent has settled, makes it.
#[test]
fn a_lost_create_is_sent_again_only_where_aws_keeps_the_key_unique() {
    let workspace = Workspace::new("seed-route-basic");
    let full = leave_out_the_route(&workspace);
    let proxy = FaultProxy::start(
        &moto().endpoint,
        vec![Rule::new(Calls::Creates, 1.0, Fault::Drop).times(1)],
        1,
    );
    let through = |command: &mut std::process::Command| {
        command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
    };
    let stopped = workspace
        .run_with(&["apply", "DIR", "--auto-approve"], through)
        .expect_code(1);
    assert!(
        stopped.stderr.contains("CreateApi for `aws_apigatewayv2_api.example` failed: ")
            && stopped.stderr.contains(". The create may have reached AWS, so the object may exist there: its intent stays in the state, and the next plan or apply looks for it and adopts it\n"),
        "{}",
        stopped.stderr
    );
    assert_eq!(
        (workspace.aws().apis().len(), rows(&workspace, "pending")),
        (0, 1)
    );
    // The lost request might still land: the next run looks again before it decides.
    let next = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    assert!(
        next.stderr.contains("gateform: aws_apigatewayv2_api.example was being created by an apply that stopped moments ago, and is not in AWS yet; looking again in "),
        "{}",
        next.stderr
    );
    assert_eq!(
        (workspace.aws().apis().len(), rows(&workspace, "pending")),
        (1, 0)
    );

    workspace.write("main.hcl", &full);
    let proxy = FaultProxy::start(
        &moto().endpoint,
        vec![Rule::new(Calls::Creates, 1.0, Fault::Drop).times(1)],
        1,
    );
    workspace
        .run_with(&["apply", "DIR", "--auto-approve"], |command| {
            command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
        })
        .expect_code(0);
    assert_eq!(proxy.count(Fault::Drop), 1);
    assert_eq!(workspace.aws().apis()[0].route_keys, ["$default"]);
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
}

/// Against AWS's own request quota (10 a second, bursts of 40, emulated by the proxy), a
/// 351-resource apply with no rate limit of its own (as when another tool spends the quota) is
/// throttled again and again: reads and updates retry in the SDK, creates in gateform, and it
/// converges with nothing made twice.
#[test]
fn an_apply_throttled_by_the_account_quota_converges_without_duplicates() {
    let workspace = Workspace::empty("estate");
    estate(&workspace, "  max_retries = 10\n");
    let proxy = FaultProxy::start(&moto().endpoint, Vec::new(), 1).with_quota(10.0, 40.0);
    workspace
        .run_with(
            &["apply", "DIR", "--auto-approve", "--rate", "0"],
            |command| {
                command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
            },
        )
        .expect_code(0);
    let throttled = proxy.count(Fault::Refuse(429));
    assert!(throttled >= 10, "{throttled} requests were throttled");
    assert_estate_once(&workspace, "throttled");
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
}
