//! Root `output` values: shown in the plan, kept in the state on apply, read with
//! `gateform output`; sensitive ones never printed in a plan.

use crate::harness::Workspace;

const OUTPUTS: &str = r#"output "api_id" {
  value = aws_apigatewayv2_api.example.id
}

output "endpoint" {
  value     = aws_apigatewayv2_api.example.api_endpoint
  sensitive = true
}

output "name" {
  value = upper(aws_apigatewayv2_api.example.name)
}
"#;

#[test]
fn outputs_are_planned_kept_and_read() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write("outputs.hcl", OUTPUTS);
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout.ends_with(
            "Plan: 1 to add, 0 to change, 0 to destroy.\n\nChanges to Outputs:\n  + api_id   = (known after apply)\n  + endpoint = (sensitive value)\n  + name     = \"EXAMPLE-HTTP-API\"\n"
        ),
        "{}",
        plan.stdout
    );
    workspace.converge();
    let id = workspace.aws().apis()[0].id.clone();
    let all = workspace
        .run_offline(&["-C", "DIR", "output"])
        .expect_code(0);
    assert_eq!(
        all.stdout,
        format!("api_id   = \"{id}\"\nendpoint = <sensitive>\nname     = \"EXAMPLE-HTTP-API\"\n")
    );
    let one = workspace
        .run_offline(&["-C", "DIR", "output", "api_id"])
        .expect_code(0);
    assert_eq!(one.stdout, format!("\"{id}\"\n"));
    let json = workspace
        .run_offline(&["-C", "DIR", "output", "--json"])
        .expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        json["api_id"],
        serde_json::json!({"sensitive": false, "value": id})
    );
    assert_eq!(json["endpoint"]["sensitive"], true);

    // An output alone changes: applying saves it and changes nothing in AWS.
    workspace.edit("outputs.hcl", "upper(", "lower(");
    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert_eq!(
        plan.stdout,
        "Changes to Outputs:\n  ~ name = \"EXAMPLE-HTTP-API\" -> \"example-http-api\"\n\nYou can apply this plan to save these new output values to the gateform state, without changing any real infrastructure.\n"
    );
    workspace.converge();
    let missing = workspace
        .run_offline(&["-C", "DIR", "output", "nope"])
        .expect_code(1);
    assert_eq!(
        missing.stderr,
        "error: no output named `nope` in the state: apply a configuration that declares it\n"
    );
    workspace
        .run(&["destroy", "DIR", "--auto-approve"])
        .expect_code(0);
    let none = workspace
        .run_offline(&["-C", "DIR", "output"])
        .expect_code(0);
    assert_eq!(none.stdout, "");
}

/// A changed map or list output is shown element by element, as a resource's argument is, not
/// as one line; a new one lists its elements.
#[test]
fn output_changes_are_shown_element_by_element() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "outputs.hcl",
        r#"output "tags" {
  value = { env = "dev", owner = "edge" }
}

output "routes" {
  value = ["GET /a", "GET /b"]
}
"#,
    );
    workspace.converge();
    workspace.edit(
        "outputs.hcl",
        r#"env = "dev""#,
        r#"env = "prod", team = "api""#,
    );
    workspace.edit(
        "outputs.hcl",
        r#""GET /a", "GET /b""#,
        r#""GET /b", "GET /c""#,
    );
    workspace.write(
        "more.hcl",
        "output \"ids\" {\n  value = [aws_apigatewayv2_api.example.name]\n}\n",
    );
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert_eq!(
        plan.stdout,
        r#"Changes to Outputs:
  + ids    = [
      + "example-http-api",
    ]
  ~ routes = [
      - "GET /a",
      + "GET /c",
        # (1 unchanged element hidden)
    ]
  ~ tags   = {
      ~ "env"   = "dev" -> "prod"
      + "team"  = "api"
        # (1 unchanged element hidden)
    }

You can apply this plan to save these new output values to the gateform state, without changing any real infrastructure.
"#
    );
}
