//! `--target`: a plan limited to some resources and what they depend on, saying so.

use crate::harness::Workspace;

#[test]
fn a_target_brings_what_it_depends_on_and_nothing_else() {
    let workspace = Workspace::new("seed-http-proxy");
    let plan = workspace
        .run_offline(&[
            "plan",
            "DIR",
            "--target",
            "aws_apigatewayv2_integration.example",
        ])
        .expect_code(0);
    assert!(
        plan.stdout.starts_with(
            "Warning: Resource targeting is in effect\n\nThis plan was limited with --target to `aws_apigatewayv2_integration.example` and what it depends on, so it may not show every change the configuration asks for.\n\n"
        ),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("  # aws_apigatewayv2_api.example will be created\n")
    );
    assert!(
        plan.stdout
            .contains("  # aws_apigatewayv2_integration.example will be created\n")
    );
    assert!(
        !plan.stdout.contains("aws_apigatewayv2_route.example"),
        "{}",
        plan.stdout
    );
    assert_eq!(plan.summary(), "Plan: 2 to add, 0 to change, 0 to destroy.");

    let json = workspace
        .run_offline(&[
            "plan",
            "DIR",
            "--target",
            "aws_apigatewayv2_integration.example",
            "--format",
            "json",
        ])
        .expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        json["targets"],
        serde_json::json!(["aws_apigatewayv2_integration.example"])
    );
    let markdown = workspace
        .run_offline(&[
            "plan",
            "DIR",
            "--target",
            "aws_apigatewayv2_integration.example",
            "--format",
            "markdown",
        ])
        .expect_code(0);
    assert!(
        markdown.stdout.contains("> [!WARNING]\n> **Resource targeting is in effect.** This plan was limited with --target to `aws_apigatewayv2_integration.example` and what it depends on, so it may not show every change the configuration asks for.\n"),
        "{}",
        markdown.stdout
    );
}

#[test]
fn a_target_that_matches_nothing_is_an_error() {
    let workspace = Workspace::new("seed-http-proxy");
    let plan = workspace
        .run_offline(&["plan", "DIR", "--target", "aws_apigatewayv2_route.missing"])
        .expect_code(1);
    assert_eq!(
        plan.stderr,
        "error: --target `aws_apigatewayv2_route.missing` matches no resource in the configuration or the state\n"
    );
    let plan = workspace
        .run_offline(&["plan", "DIR", "--target", "aws_apigatewayv2_rout.x"])
        .expect_code(1);
    assert!(
        plan.stderr
            .starts_with("error: invalid --target `aws_apigatewayv2_rout.x`: "),
        "{}",
        plan.stderr
    );
}

/// Applying with a target makes only that part; destroying a target takes what depends on it.
#[test]
fn apply_and_destroy_with_targets() {
    let workspace = Workspace::new("seed-route-basic");
    let apply = workspace
        .run(&[
            "apply",
            "DIR",
            "--auto-approve",
            "--target",
            "aws_apigatewayv2_api.example",
        ])
        .expect_code(0);
    assert_eq!(
        apply.summary(),
        "Apply complete! Resources: 1 added, 0 changed, 0 destroyed."
    );
    let aws = workspace.aws();
    assert_eq!(aws.apis().len(), 1);
    assert!(aws.apis()[0].route_keys.is_empty());
    workspace.converge();

    let destroy = workspace
        .run(&[
            "plan",
            "DIR",
            "--destroy",
            "--target",
            "aws_apigatewayv2_api.example",
        ])
        .expect_code(0);
    assert!(
        destroy
            .stdout
            .contains("  # aws_apigatewayv2_route.example will be destroyed\n")
    );
    assert_eq!(
        destroy.summary(),
        "Plan: 0 to add, 0 to change, 2 to destroy."
    );
    let destroy = workspace
        .run(&[
            "plan",
            "DIR",
            "--destroy",
            "--target",
            "aws_apigatewayv2_route.example",
        ])
        .expect_code(0);
    assert_eq!(
        destroy.summary(),
        "Plan: 0 to add, 0 to change, 1 to destroy."
    );
}

/// `--target module.NAME` takes everything in the module, as in Terraform.
#[test]
fn issue_11_a_module_target_takes_everything_in_it() {
    let workspace = Workspace::new("module-per-api");
    let plan = workspace
        .run_offline(&["plan", "DIR", "--target", "module.internal"])
        .expect_code(0);
    assert!(
        plan.stdout.contains(
            "This plan was limited with --target to `module.internal` and what it depends on"
        ),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("  # module.internal.aws_apigatewayv2_api.this will be created\n"),
        "{}",
        plan.stdout
    );
    assert!(!plan.stdout.contains("module.public."), "{}", plan.stdout);
    assert!(
        plan.stdout
            .contains("Plan: 23 to add, 0 to change, 0 to destroy."),
        "{}",
        plan.stdout
    );
}
