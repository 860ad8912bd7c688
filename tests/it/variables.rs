//! Input variables and local values: types, defaults, validation, and the sources of values in
//! Terraform's precedence.

use crate::harness::Workspace;

#[test]
fn variables_and_locals_feed_the_plan() {
    let workspace = Workspace::new("variables-and-locals");
    let plan = workspace
        .run_offline(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    insta::assert_snapshot!(plan.stdout);
    // The route reaches its api through a local value, and still comes after it.
    workspace.converge();
    let aws = workspace.aws();
    let apis = aws.apis();
    assert_eq!(
        (apis[0].name.as_str(), apis[0].route_keys.as_slice()),
        ("pets-dev", ["GET /dev".to_owned()].as_slice())
    );
}

/// Lowest first: the default, TF_VAR_, GATEFORM_VAR_, terraform.tfvars, *.auto.tfvars,
/// --var-file, --var.
#[test]
fn values_come_in_terraforms_precedence() {
    let workspace = Workspace::new("variables-and-locals");
    let stage = |extra: &[&str], environment: &[(&str, &str)]| -> String {
        let mut args = vec!["plan", "variables-and-locals"];
        args.extend(extra);
        let mut command = workspace.command(&args);
        command.env("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
        for (key, value) in environment {
            command.env(key, value);
        }
        let output = command.output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let line = stdout
            .lines()
            .find(|line| line.contains("+ \"Stage\" = "))
            .unwrap_or_else(|| panic!("{stdout}"));
        line.rsplit(' ')
            .next()
            .unwrap()
            .trim_matches('"')
            .to_owned()
    };
    assert_eq!(stage(&[], &[]), "dev");
    assert_eq!(
        stage(&[], &[("TF_VAR_stage", "from-tf-var")]),
        "from-tf-var"
    );
    assert_eq!(
        stage(
            &[],
            &[
                ("TF_VAR_stage", "a"),
                ("GATEFORM_VAR_stage", "from-gateform-var")
            ]
        ),
        "from-gateform-var"
    );
    workspace.write(
        "terraform.tfvars",
        "name  = \"pets\"\nstage = \"from-tfvars\"\n",
    );
    assert_eq!(stage(&[], &[("GATEFORM_VAR_stage", "a")]), "from-tfvars");
    workspace.write("z.auto.tfvars.json", "{\"stage\": \"from-auto\"}");
    assert_eq!(stage(&[], &[]), "from-auto");
    workspace.write("extra.tfvars", "stage = \"from-var-file\"\n");
    assert_eq!(
        stage(&["--var-file", "variables-and-locals/extra.tfvars"], &[]),
        "from-var-file"
    );
    assert_eq!(
        stage(
            &[
                "--var-file",
                "variables-and-locals/extra.tfvars",
                "--var",
                "stage=from-var"
            ],
            &[]
        ),
        "from-var"
    );
}

#[test]
fn bad_values_are_errors_naming_the_variable() {
    let workspace = Workspace::new("variables-and-locals");
    std::fs::remove_file(workspace.file("terraform.tfvars")).unwrap();
    let missing = workspace.run_offline(&["plan", "DIR"]).expect_code(1);
    assert!(
        missing.stderr.starts_with(
            "error: no value for required variable `name`\n --> variables-and-locals/main.hcl:2:1\n"
        ),
        "{}",
        missing.stderr
    );
    let invalid = workspace
        .run_offline(&[
            "plan",
            "DIR",
            "--var",
            "name=Pets!",
            "--var",
            "cors={ origins = \"x\" }",
            "--var",
            "stag=prod",
        ])
        .expect_code(1);
    insta::assert_snapshot!(invalid.stderr);
    assert!(!workspace.state_path().exists());
}

/// A value made from a sensitive variable shows as (sensitive value) in every plan format.
#[test]
fn sensitive_values_are_never_printed_in_a_plan() {
    let workspace = Workspace::empty("sensitive");
    workspace.write(
        "main.hcl",
        r#"variable "secret_suffix" {
  type      = string
  default   = "s3cret"
  sensitive = true
}

locals {
  description = "internal ${var.secret_suffix}"
}

resource "aws_apigatewayv2_api" "example" {
  name          = "sensitive"
  protocol_type = "HTTP"
  description   = local.description
}
"#,
    );
    let text = workspace.run_offline(&["plan", "DIR"]).expect_code(0);
    assert!(
        text.stdout
            .contains("      + description                  = (sensitive value)\n"),
        "{}",
        text.stdout
    );
    let markdown = workspace
        .run_offline(&["plan", "DIR", "--format", "markdown"])
        .expect_code(0);
    for output in [&text.stdout, &markdown.stdout] {
        assert!(!output.contains("s3cret"), "{output}");
    }
    let json = workspace
        .run_offline(&["plan", "DIR", "--format", "json"])
        .expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        json["resource_changes"][0]["change"]["after_sensitive"],
        serde_json::json!({"description": true})
    );
}

/// A value converts to a number or a bool in one way, Terraform's, whether it comes through a
/// variable or is written in the argument: `" 30000"` is no number either way, `"1"` is `true`
/// either way.
#[test]
fn issue_10_variables_and_arguments_convert_values_alike() {
    let workspace = Workspace::empty("conversions");
    workspace.write(
        "main.hcl",
        r#"
variable "timeout" {
  type = number
}
resource "aws_apigatewayv2_api" "a" {
  name          = "a"
  protocol_type = "HTTP"
  disable_execute_api_endpoint = "1"
}
resource "aws_apigatewayv2_integration" "literal" {
  api_id               = aws_apigatewayv2_api.a.id
  integration_type     = "HTTP_PROXY"
  integration_method   = "GET"
  integration_uri      = "https://example.com"
  timeout_milliseconds = " 30000"
}
"#,
    );
    let plan = workspace
        .run_offline(&["plan", "DIR", "--var", "timeout= 30000"])
        .expect_code(1);
    assert!(
        plan.stderr.contains(
            "error: invalid value for variable `timeout`: a number is required, got \" 30000\""
        ),
        "{}",
        plan.stderr
    );
    assert!(
        plan.stderr
            .contains("error: wrong value type for `timeout_milliseconds`"),
        "{}",
        plan.stderr
    );
    let plan = workspace
        .run_offline(&["plan", "DIR", "--var", "timeout=30000"])
        .expect_code(1);
    assert!(
        !plan.stderr.contains("variable `timeout`"),
        "{}",
        plan.stderr
    );
    workspace.edit("main.hcl", "\" 30000\"", "var.timeout");
    let plan = workspace
        .run_offline(&["plan", "DIR", "--var", "timeout=30000"])
        .expect_code(0);
    assert!(
        plan.stdout
            .contains("+ disable_execute_api_endpoint = true"),
        "{}",
        plan.stdout
    );
}

/// A sensitive value in `tags`, or in the provider's `default_tags`, never shows through
/// `tags_all`: not in the plan's text, Markdown or JSON, and not in apply's output.
#[test]
fn issue_11_sensitive_tags_do_not_leak_through_tags_all() {
    let workspace = Workspace::empty("sensitive-tags");
    workspace.write(
        "main.hcl",
        r#"variable "token" {
  type      = string
  default   = "t0ken-s3cret"
  sensitive = true
}

variable "owner" {
  type      = string
  default   = "0wner-s3cret"
  sensitive = true
}

provider "aws" {
  alias = "tagged"
  default_tags {
    tags = {
      Owner = var.owner
    }
  }
}

resource "aws_apigatewayv2_api" "own" {
  name          = "own"
  protocol_type = "HTTP"
  tags = {
    t = var.token
  }
}

resource "aws_apigatewayv2_api" "default" {
  provider      = aws.tagged
  name          = "default"
  protocol_type = "HTTP"
}
"#,
    );
    let text = workspace.run_offline(&["plan", "DIR"]).expect_code(0);
    let markdown = workspace
        .run_offline(&["plan", "DIR", "--format", "markdown"])
        .expect_code(0);
    let apply = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    for output in [&text.stdout, &markdown.stdout, &apply.stdout, &apply.stderr] {
        assert!(!output.contains("s3cret"), "{output}");
    }
    assert!(
        text.stdout
            .contains("      + tags_all                     = (sensitive value)\n"),
        "{}",
        text.stdout
    );
    let json = workspace
        .run(&["plan", "DIR", "--format", "json", "--refresh=false"])
        .expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let sensitive: Vec<serde_json::Value> = json["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| change["change"]["after_sensitive"].clone())
        .collect();
    assert_eq!(
        sensitive,
        [
            serde_json::json!({"tags_all": true}),
            serde_json::json!({"tags": true, "tags_all": true}),
        ]
    );
}

/// The `terraform` block as real configurations write it is read: its version and provider
/// requirements are accepted, a local backend too, and a backend gateform cannot keep its state
/// in is an error naming it; `terraform.workspace` is `default`.
#[test]
fn issue_11_the_terraform_block_and_terraform_workspace() {
    let workspace = Workspace::empty("terraform-block");
    workspace.write(
        "versions.tf",
        r#"terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }

  backend "local" {
    path = "terraform.tfstate"
  }
}
"#,
    );
    workspace.write(
        "main.tf",
        r#"resource "aws_apigatewayv2_api" "a" {
  name          = "pets-${terraform.workspace}"
  protocol_type = "HTTP"
}
"#,
    );
    let plan = workspace.run_offline(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout
            .contains("      + name                         = \"pets-default\"\n"),
        "{}",
        plan.stdout
    );
    workspace.edit("versions.tf", "backend \"local\" {", "backend \"s3\" {");
    let validate = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    assert!(
        validate.stderr.starts_with(
            "error: the `s3` backend is not supported\n  --> terraform-block/versions.tf:11:11\n"
        ),
        "{}",
        validate.stderr
    );
}

/// Errors in variables as Terraform users expect them: a bad default is reported and only that
/// variable is unknown (a `for_each` over another, valid, variable plans its instances), a
/// `.tfvars` value for an undeclared variable is a warning, and `validate` asks no values for
/// required variables.
#[test]
fn issue_11_a_bad_variable_is_reported_alone() {
    let workspace = Workspace::empty("variable-errors");
    workspace.write(
        "main.tf",
        r#"variable "timeout" {
  type    = number
  default = "not-a-number"
}

variable "routes" {
  type    = map(string)
  default = { "GET /pets" = "pets" }
}

variable "stage" {
  type = string
}

resource "aws_apigatewayv2_api" "a" {
  name          = "a"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_route" "r" {
  for_each  = var.routes
  api_id    = aws_apigatewayv2_api.a.id
  route_key = each.key
}
"#,
    );
    workspace.write("terraform.tfvars", "undeclared = \"x\"\n");
    let plan = workspace
        .run_offline(&["plan", "DIR", "--var", "stage=prod"])
        .expect_code(1);
    let lines: Vec<&str> = plan
        .stderr
        .lines()
        .filter(|line| line.starts_with("error:") || line.starts_with("warning:"))
        .collect();
    assert_eq!(
        lines,
        [
            "error: invalid value for variable `timeout`: a number is required, got \"not-a-number\"",
            "warning: a value was given for undeclared variable `undeclared`",
        ]
    );
    workspace.edit("main.tf", "\"not-a-number\"", "30000");
    let validate = workspace.run_offline(&["validate", "DIR"]).expect_code(0);
    assert!(
        validate.stderr.starts_with(
            "warning: a value was given for undeclared variable `undeclared`\n --> variable-errors/terraform.tfvars:1:1\n"
        ),
        "{}",
        validate.stderr
    );
    let plan = workspace.run_offline(&["plan", "DIR"]).expect_code(1);
    assert!(
        plan.stderr
            .contains("error: no value for required variable `stage`"),
        "{}",
        plan.stderr
    );
    let offline = workspace
        .run_offline(&["plan", "DIR", "--var", "stage=prod", "--var", "nope=1"])
        .expect_code(1);
    assert!(
        offline
            .stderr
            .contains("error: a value was given for undeclared variable `nope`"),
        "{}",
        offline.stderr
    );
}

/// `sensitive(...)` hides what it wraps in every plan format, `nonsensitive(...)` shows a
/// sensitive variable's value, and `issensitive` tells which is which. `timestamp()` and
/// `uuid()` are known only after apply, when AWS is given their values.
#[test]
fn issue_11_sensitivity_functions_and_values_known_after_apply() {
    let workspace = Workspace::empty("sensitivity-functions");
    workspace.write(
        "main.tf",
        r#"variable "stage" {
  type      = string
  default   = "prod"
  sensitive = true
}

resource "aws_apigatewayv2_api" "example" {
  name          = "example"
  protocol_type = "HTTP"
  description   = sensitive("d3scription-s3cret")
  tags = {
    stage   = nonsensitive(var.stage)
    created = timestamp()
    run     = uuid()
  }
}

output "stage_is_sensitive" {
  value = issensitive(var.stage)
}
"#,
    );
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    for line in [
        "      + description                  = (sensitive value)\n",
        "          + \"created\" = (known after apply)\n",
        "          + \"run\"     = (known after apply)\n",
        "          + \"stage\"   = \"prod\"\n",
        "  + stage_is_sensitive = true\n",
    ] {
        assert!(plan.stdout.contains(line), "{line}\n{}", plan.stdout);
    }
    let markdown = workspace
        .run(&["plan", "DIR", "--format", "markdown"])
        .expect_code(0);
    let apply = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    for output in [&plan.stdout, &markdown.stdout, &apply.stdout, &apply.stderr] {
        assert!(!output.contains("s3cret"), "{output}");
    }
    let arn = workspace.state_values("aws_apigatewayv2_api.example")["arn"]
        .as_str()
        .unwrap()
        .to_owned();
    let tags = workspace.aws().tags(&arn);
    let timestamp = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$").unwrap();
    let uuid = regex::Regex::new(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$").unwrap();
    assert!(timestamp.is_match(&tags["created"]), "{tags:?}");
    assert!(uuid.is_match(&tags["run"]), "{tags:?}");
    assert_eq!(tags["stage"], "prod");
}

/// A value read out of a call, `jsondecode(var.secret).password`, is as sensitive as the
/// variable, and a resource read through a call is a dependency.
#[test]
fn a_value_read_out_of_a_call_keeps_its_sensitivity_and_its_dependencies() {
    let workspace = Workspace::empty("read-out-of-a-call");
    workspace.write(
        "main.tf",
        r#"variable "secret" {
  type      = string
  default   = "{\"password\": \"hunter2\"}"
  sensitive = true
}

resource "aws_apigatewayv2_api" "example" {
  name          = "example"
  protocol_type = "HTTP"
  description   = jsondecode(var.secret).password
}

resource "aws_apigatewayv2_integration" "this" {
  for_each           = toset(["a", "b"])
  api_id             = aws_apigatewayv2_api.example.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = "https://example.com/${each.key}"
}

resource "aws_apigatewayv2_route" "first" {
  api_id    = aws_apigatewayv2_api.example.id
  route_key = "GET /first"
  target    = "integrations/${values(aws_apigatewayv2_integration.this)[0].id}"
}
"#,
    );
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout
            .contains("      + description                  = (sensitive value)\n"),
        "{}",
        plan.stdout
    );
    assert!(!plan.stdout.contains("hunter2"), "{}", plan.stdout);
    // `--target` brings what the target depends on: the integrations read through `values()`.
    let targeted = workspace
        .run(&["plan", "DIR", "--target", "aws_apigatewayv2_route.first"])
        .expect_code(0);
    assert!(
        targeted
            .stdout
            .contains("Plan: 4 to add, 0 to change, 0 to destroy."),
        "{}",
        targeted.stdout
    );
}
