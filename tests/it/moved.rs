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

const MODULE: &str = r#"variable "name" {
  type = string
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_route" "list" {
  api_id    = aws_apigatewayv2_api.this.id
  route_key = "GET /pets"
}
"#;

/// `moved` between whole modules, as Terraform allows: a renamed module call, then `count`
/// added to it, then a resource renamed inside the module by the module's own `moved` block.
/// Each time every object keeps its id and nothing is created or destroyed.
#[test]
fn issue_11_moved_blocks_move_whole_modules_and_module_instances() {
    let workspace = Workspace::empty("moved-modules");
    workspace.write("modules/api/main.hcl", MODULE);
    let call = |name: &str, extra: &str| {
        format!(
            "module \"{name}\" {{\n  source = \"./modules/api\"\n  name   = \"internal\"{extra}\n}}\n"
        )
    };
    workspace.write("main.hcl", &call("internal", ""));
    workspace.converge();
    let ids = |prefix: &str| {
        ["aws_apigatewayv2_api.this", "aws_apigatewayv2_route.list"]
            .map(|address| workspace.state_id(&format!("{prefix}.{address}")))
    };
    let applied = ids("module.internal");

    let step = |main: String, moves: &[&str]| {
        workspace.write("main.hcl", &main);
        let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
        for line in moves {
            assert!(plan.stdout.contains(line), "{line}\n{}", plan.stdout);
        }
        assert_eq!(plan.summary(), "Plan: 0 to add, 0 to change, 0 to destroy.");
        workspace.converge();
    };
    step(
        format!(
            "{}\nmoved {{\n  from = module.internal\n  to   = module.private\n}}\n",
            call("private", "")
        ),
        &[
            "  # module.internal.aws_apigatewayv2_api.this has moved to module.private.aws_apigatewayv2_api.this\n",
            "  # module.internal.aws_apigatewayv2_route.list has moved to module.private.aws_apigatewayv2_route.list\n",
        ],
    );
    assert_eq!(ids("module.private"), applied);

    step(
        format!(
            "{}\nmoved {{\n  from = module.private\n  to   = module.private[0]\n}}\n",
            call("private", "\n  count  = 1")
        ),
        &[
            "  # module.private.aws_apigatewayv2_api.this has moved to module.private[0].aws_apigatewayv2_api.this\n",
        ],
    );
    assert_eq!(ids("module.private[0]"), applied);

    workspace.write(
        "modules/api/main.hcl",
        &format!(
            "{}\nmoved {{\n  from = aws_apigatewayv2_route.list\n  to   = aws_apigatewayv2_route.pets\n}}\n",
            MODULE.replace("\"list\"", "\"pets\"")
        ),
    );
    step(
        call("private", "\n  count  = 1"),
        &[
            "  # module.private[0].aws_apigatewayv2_route.list has moved to module.private[0].aws_apigatewayv2_route.pets\n",
        ],
    );
    assert_eq!(
        workspace.state_id("module.private[0].aws_apigatewayv2_route.pets"),
        applied[1]
    );
}

#[test]
fn issue_11_a_module_cannot_move_to_a_resource() {
    let workspace = Workspace::empty("moved-module-to-resource");
    workspace.write("modules/api/main.hcl", MODULE);
    workspace.write(
        "main.hcl",
        "module \"api\" {\n  source = \"./modules/api\"\n  name   = \"api\"\n}\n\nmoved {\n  from = module.api\n  to   = aws_apigatewayv2_api.this\n}\n",
    );
    let validate = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    assert!(
        validate.stderr.starts_with(
            "error: cannot move `module.api` to `aws_apigatewayv2_api.this`: one is a module, the other a resource\n --> moved-module-to-resource/main.hcl:6:1\n"
        ),
        "{}",
        validate.stderr
    );
}
