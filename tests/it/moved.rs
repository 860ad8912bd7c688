//! `moved` blocks: a new address for an applied object, without destroying it.

use crate::harness::Workspace;

const OLD: &str = "resource \"aws_apigatewayv2_route\" \"old\" {\n  api_id    = aws_apigatewayv2_api.example.id\n  route_key = \"GET /pets\"\n}\n";

#[test]
fn a_moved_block_renames_an_applied_route_without_destroying_it() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write("route.hcl", OLD);
    workspace.converge();
    let id = workspace.state_values("aws_apigatewayv2_route.old")["id"].clone();

    workspace.write(
        "route.hcl",
        &format!(
            "{}\nmoved {{\n  from = aws_apigatewayv2_route.old\n  to   = aws_apigatewayv2_route.pets\n}}\n",
            OLD.replace("\"old\"", "\"pets\"")
        ),
    );
    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert!(
        plan.stdout.contains(
            "  # aws_apigatewayv2_route.old has moved to aws_apigatewayv2_route.pets\n    resource \"aws_apigatewayv2_route\" \"pets\" {\n"
        ),
        "{}",
        plan.stdout
    );
    assert_eq!(plan.summary(), "Plan: 0 to add, 0 to change, 0 to destroy.");
    let json = workspace
        .run(&["plan", "DIR", "--format", "json"])
        .expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let moved = json["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|change| change["address"] == "aws_apigatewayv2_route.pets")
        .unwrap();
    assert_eq!(moved["previous_address"], "aws_apigatewayv2_route.old");
    assert_eq!(moved["change"]["actions"], serde_json::json!(["no-op"]));

    workspace.converge();
    assert_eq!(
        workspace.state_values("aws_apigatewayv2_route.pets")["id"],
        id
    );
    let state = workspace.state_json();
    assert!(
        !state.to_string().contains("aws_apigatewayv2_route.old"),
        "{state}"
    );
    assert_eq!(workspace.aws().apis()[0].route_keys, ["GET /pets"]);
}

/// `removed` with `destroy = false`: gateform stops managing the object and AWS keeps it.
#[test]
fn a_removed_block_forgets_without_destroying() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write("route.hcl", OLD);
    workspace.converge();
    workspace.write(
        "route.hcl",
        "removed {\n  from = aws_apigatewayv2_route.old\n\n  lifecycle {\n    destroy = false\n  }\n}\n",
    );
    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert!(
        plan.stdout.contains(
            "  # aws_apigatewayv2_route.old will no longer be managed by gateform\n  # (the object stays in AWS; a removed block says so)\n  . resource \"aws_apigatewayv2_route\" \"old\" {\n"
        ),
        "{}",
        plan.stdout
    );
    assert_eq!(plan.summary(), "Plan: 0 to add, 0 to change, 0 to destroy.");
    workspace.converge();
    assert!(!workspace.state_json().to_string().contains("route.old"));
    assert_eq!(workspace.aws().apis()[0].route_keys, ["GET /pets"]);
}
