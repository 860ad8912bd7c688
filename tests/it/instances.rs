//! `count` and `for_each`: one block, many instances, each with its own address.

use crate::harness::Workspace;

fn planned_addresses(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix("  # "))
        .collect()
}

#[test]
fn for_each_and_count_plan_apply_and_change_one_instance() {
    let workspace = Workspace::new("for-each-routes");
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert_eq!(
        planned_addresses(&plan.stdout),
        [
            "aws_apigatewayv2_api.this will be created",
            r#"aws_apigatewayv2_integration.this["create"] will be created"#,
            r#"aws_apigatewayv2_integration.this["list"] will be created"#,
            "aws_apigatewayv2_route.extra[0] will be created",
            "aws_apigatewayv2_route.extra[1] will be created",
            r#"aws_apigatewayv2_route.this["create"] will be created"#,
            r#"aws_apigatewayv2_route.this["list"] will be created"#,
        ]
    );
    workspace.converge();
    let aws = workspace.aws();
    let mut route_keys = aws.apis()[0].route_keys.clone();
    route_keys.sort();
    assert_eq!(
        route_keys,
        ["GET /extra/0", "GET /extra/1", "GET /pets", "POST /pets"]
    );
    // Each route targets its own key's integration.
    let list = workspace.state_values(r#"aws_apigatewayv2_route.this["list"]"#);
    let integration = workspace.state_values(r#"aws_apigatewayv2_integration.this["list"]"#);
    assert_eq!(
        list["target"],
        format!("integrations/{}", integration["id"].as_str().unwrap())
    );
    let state = workspace.state_json();
    let indexes: Vec<&serde_json::Value> = state["values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|resource| &resource["index"])
        .collect();
    assert!(indexes.contains(&&serde_json::json!("list")));
    assert!(indexes.contains(&&serde_json::json!(1)));
    // An instance depends on the instance its reference names with its own key, not on all.
    let route = state["values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|resource| resource["address"] == r#"aws_apigatewayv2_route.this["list"]"#)
        .expect("the route in the state");
    assert_eq!(
        route["depends_on"],
        serde_json::json!([
            "aws_apigatewayv2_api.this",
            r#"aws_apigatewayv2_integration.this["list"]"#
        ])
    );

    // A changed key replaces that instance only; count 0 removes the counted ones.
    workspace.write(
        "terraform.tfvars",
        "routes = {\n  list  = { method = \"GET\", path = \"/pets\" }\n  adopt = { method = \"POST\", path = \"/pets/adopt\" }\n}\ncreate_extra = false\n",
    );
    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert_eq!(
        planned_addresses(&plan.stdout),
        [
            r#"aws_apigatewayv2_integration.this["adopt"] will be created"#,
            r#"aws_apigatewayv2_integration.this["create"] will be destroyed"#,
            r#"(because aws_apigatewayv2_integration.this["create"] is not in configuration)"#,
            "aws_apigatewayv2_route.extra[0] will be destroyed",
            "(because aws_apigatewayv2_route.extra[0] is not in configuration)",
            "aws_apigatewayv2_route.extra[1] will be destroyed",
            "(because aws_apigatewayv2_route.extra[1] is not in configuration)",
            r#"aws_apigatewayv2_route.this["adopt"] will be created"#,
            r#"aws_apigatewayv2_route.this["create"] will be destroyed"#,
            r#"(because aws_apigatewayv2_route.this["create"] is not in configuration)"#,
        ]
    );
    let list_id = list["id"].clone();
    workspace.converge();
    assert_eq!(
        workspace.state_values(r#"aws_apigatewayv2_route.this["list"]"#)["id"],
        list_id
    );
    let mut route_keys = aws.apis()[0].route_keys.clone();
    route_keys.sort();
    assert_eq!(route_keys, ["GET /pets", "POST /pets/adopt"]);
}

#[test]
fn count_and_for_each_must_be_known_when_planning() {
    let workspace = Workspace::new("for-each-routes");
    workspace.edit(
        "main.hcl",
        "count     = var.create_extra ? 2 : 0",
        "count     = length(aws_apigatewayv2_api.this.id)",
    );
    workspace.edit(
        "main.hcl",
        "  for_each  = var.routes\n  api_id    = aws_apigatewayv2_api.this.id\n  route_key",
        "  for_each  = 3\n  api_id    = aws_apigatewayv2_api.this.id\n  route_key",
    );
    let plan = workspace.run_offline(&["plan", "DIR"]).expect_code(1);
    insta::assert_snapshot!(plan.stderr);
}

/// `dynamic` makes a nested block once per element: none, one, or (for a single block) an error.
#[test]
fn a_dynamic_block_repeats_its_content() {
    let workspace = Workspace::empty("dynamic");
    workspace.write(
        "main.hcl",
        r#"variable "origins" {
  type    = list(string)
  default = []
}

resource "aws_apigatewayv2_api" "example" {
  name          = "dynamic"
  protocol_type = "HTTP"

  dynamic "cors_configuration" {
    for_each = length(var.origins) > 0 ? [var.origins] : []
    iterator = cors
    content {
      allow_origins = cors.value
    }
  }
}
"#,
    );
    let none = workspace.run_offline(&["plan", "DIR"]).expect_code(0);
    assert!(
        !none.stdout.contains("cors_configuration"),
        "{}",
        none.stdout
    );
    let one = workspace
        .run_offline(&["plan", "DIR", "--var", r#"origins=["https://a.example"]"#])
        .expect_code(0);
    assert!(
        one.stdout.contains(
            "      + cors_configuration {\n          + allow_origins = [\n              + \"https://a.example\",\n            ]\n        }\n"
        ),
        "{}",
        one.stdout
    );
    workspace.edit(
        "main.hcl",
        "length(var.origins) > 0 ? [var.origins] : []",
        "[var.origins, var.origins]",
    );
    let two = workspace.run_offline(&["plan", "DIR"]).expect_code(1);
    assert!(
        two.stderr.starts_with(
            "error: `cors_configuration` of `aws_apigatewayv2_api.example` may appear once, but its dynamic block made 2\n"
        ),
        "{}",
        two.stderr
    );
}

/// `for_each` over a map whose keys are known and whose values are not yet is planned, as in
/// Terraform: the keys make the instances, and `each.value` is known after apply. A set must be
/// known whole, for its elements are the keys.
#[test]
fn issue_11_for_each_over_a_map_of_values_known_after_apply() {
    let workspace = Workspace::empty("for-each-unknown-values");
    workspace.write(
        "main.hcl",
        r#"resource "aws_apigatewayv2_api" "this" {
  for_each      = toset(["public", "admin"])
  name          = each.key
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "default" {
  for_each    = { for name, api in aws_apigatewayv2_api.this : name => api.id }
  api_id      = each.value
  name        = "$default"
  auto_deploy = true
}
"#,
    );
    let plan = workspace.run_offline(&["plan", "DIR"]).expect_code(0);
    for key in ["admin", "public"] {
        assert!(
            plan.stdout.contains(&format!(
                "  # aws_apigatewayv2_stage.default[\"{key}\"] will be created\n  + resource \"aws_apigatewayv2_stage\" \"default\" {{\n      + api_id        = (known after apply)\n"
            )),
            "{}",
            plan.stdout
        );
    }
    assert!(
        plan.stdout
            .contains("Plan: 4 to add, 0 to change, 0 to destroy."),
        "{}",
        plan.stdout
    );
    // Against AWS, each stage gets its own api's id once that api exists.
    workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    for key in ["admin", "public"] {
        let stage = workspace.state_values(&format!("aws_apigatewayv2_stage.default[\"{key}\"]"));
        let api = workspace.state_id(&format!("aws_apigatewayv2_api.this[\"{key}\"]"));
        assert_eq!(
            stage["api_id"],
            api.as_str(),
            "the {key} stage is in the {key} api"
        );
    }
    let again = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(again.stdout.starts_with("No changes."), "{}", again.stdout);
    workspace
        .run(&["destroy", "DIR", "--auto-approve"])
        .expect_code(0);

    workspace.edit(
        "main.hcl",
        "{ for name, api in aws_apigatewayv2_api.this : name => api.id }",
        "toset([for api in aws_apigatewayv2_api.this : api.id])",
    );
    let set = workspace.run_offline(&["plan", "DIR"]).expect_code(1);
    assert!(
        set.stderr.starts_with(
            "error: the `for_each` value depends on resource attributes that cannot be determined until apply\n"
        ),
        "{}",
        set.stderr
    );
}
