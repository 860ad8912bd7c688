//! The plan text of each fixture, pinned by snapshots. A fresh plan needs no state and no AWS.

use crate::harness::Workspace;

/// Plans `fixture` with no AWS endpoint and returns the plan text, checking the exit code.
fn fresh_plan(fixture: &str) -> String {
    let workspace = Workspace::new(fixture);
    let run = workspace
        .run_offline(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert!(
        !workspace.state_path().exists(),
        "plan must not create the state file"
    );
    run.stdout
}

#[test]
fn seed_websocket_api() {
    insta::assert_snapshot!(fresh_plan("seed-websocket-api"));
}

#[test]
fn seed_http_api() {
    insta::assert_snapshot!(fresh_plan("seed-http-api"));
}

#[test]
fn seed_route_basic_plans_two_creates() {
    let plan = fresh_plan("seed-route-basic");
    assert!(plan.ends_with("\nPlan: 2 to add, 0 to change, 0 to destroy.\n"));
    insta::assert_snapshot!(plan);
}

#[test]
fn http_every_argument() {
    insta::assert_snapshot!(fresh_plan("http-every-argument"));
}

#[test]
fn websocket_every_argument() {
    insta::assert_snapshot!(fresh_plan("websocket-every-argument"));
}

#[test]
fn http_quick_create_with_terraform_and_provider_blocks() {
    insta::assert_snapshot!(fresh_plan("http-quick-create"));
}

#[test]
fn seed_http_proxy_integration() {
    insta::assert_snapshot!(fresh_plan("seed-http-proxy"));
}

#[test]
fn integration_every_argument() {
    insta::assert_snapshot!(fresh_plan("integration-every-argument"));
}

#[test]
fn http_authorizers() {
    insta::assert_snapshot!(fresh_plan("http-authorizers"));
}

#[test]
fn http_stages() {
    insta::assert_snapshot!(fresh_plan("http-stages"));
}

#[test]
fn websocket_models() {
    insta::assert_snapshot!(fresh_plan("websocket-models"));
}

#[test]
fn plan_without_detailed_exitcode_exits_zero_with_changes() {
    let workspace = Workspace::new("seed-http-api");
    let run = workspace.run_offline(&["plan", "DIR"]).expect_code(0);
    assert_eq!(run.summary(), "Plan: 1 to add, 0 to change, 0 to destroy.");
}

#[test]
fn chdir_and_default_directory() {
    let workspace = Workspace::new("seed-http-api");
    let dir = workspace.dir.to_string_lossy().into_owned();
    let run = workspace.run_offline(&["-C", &dir, "plan"]).expect_code(0);
    assert_eq!(run.summary(), "Plan: 1 to add, 0 to change, 0 to destroy.");
}

#[test]
fn tf_and_hcl_files_are_read_together_in_name_order() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "routes.tf",
        "resource \"aws_apigatewayv2_route\" \"pets\" {\n  api_id    = aws_apigatewayv2_api.example.id\n  route_key = \"GET /pets\"\n}\n",
    );
    workspace.write("notes.txt", "not configuration");
    let run = workspace.run_offline(&["plan", "DIR"]).expect_code(0);
    assert!(
        run.stdout
            .contains("# aws_apigatewayv2_route.pets will be created")
    );
    assert_eq!(run.summary(), "Plan: 2 to add, 0 to change, 0 to destroy.");
}

/// Colour on a terminal only, and never with NO_COLOR. util-linux's `script` gives gateform a
/// terminal for its stdout.
#[test]
fn colour_on_a_terminal_only_and_never_with_no_color() {
    let workspace = Workspace::new("seed-route-basic");
    let on_a_terminal_with = |no_color: Option<&str>, flags: &str| -> String {
        let gateform = env!("CARGO_BIN_EXE_gateform");
        let mut command = workspace.program(
            "script",
            &[
                "-qec",
                &format!("{gateform} plan seed-route-basic {flags}"),
                "/dev/null",
            ],
        );
        command.env_remove("NO_COLOR");
        if let Some(value) = no_color {
            command.env("NO_COLOR", value);
        }
        let output = command
            .env_remove("AWS_REGION")
            .output()
            .expect("util-linux's `script` runs");
        String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n")
    };
    let on_a_terminal = |no_color| on_a_terminal_with(no_color, "");
    let coloured = on_a_terminal(None);
    assert!(
        coloured
            .contains("\n  \u{1b}[32m+\u{1b}[0m resource \"aws_apigatewayv2_api\" \"example\" {\n"),
        "{coloured}"
    );
    assert!(
        coloured.contains("\u{1b}[1mPlan: 2 to add, 0 to change, 0 to destroy.\u{1b}[0m"),
        "{coloured}"
    );
    let plain = on_a_terminal(Some("1"));
    assert!(!plain.contains('\u{1b}'), "{plain}");
    assert!(plain.contains("\n  + resource \"aws_apigatewayv2_api\" \"example\" {\n"));
    // Terraform's flag says the same.
    let flagged = on_a_terminal_with(None, "-no-color");
    assert_eq!(flagged, plain);
    // Not a terminal: no colour, whatever NO_COLOR says.
    let piped = workspace
        .command(&["plan", "seed-route-basic"])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&piped.stdout).contains('\u{1b}'));
}
