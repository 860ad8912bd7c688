//! Bad input: every problem reported at once, with file:line:col, the source line and a hint,
//! exit code 1, and nothing touched.

use crate::harness::Workspace;

/// Validates `fixture` and returns stderr, checking that it failed and created no state.
fn errors(fixture: &str, command: &str) -> String {
    let workspace = Workspace::new(fixture);
    let run = workspace.run_offline(&[command, "DIR"]).expect_code(1);
    assert_eq!(run.stdout, "", "nothing is printed as a result");
    assert!(
        !workspace.state_path().exists(),
        "bad input must not create the state file"
    );
    run.stderr
}

#[test]
fn misspelled_attribute_in_a_second_file() {
    let stderr = errors("invalid-misspelled-attribute", "plan");
    assert!(
        stderr.contains("invalid-misspelled-attribute/routes.hcl:4:3"),
        "{stderr}"
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let stderr = errors("invalid-every-problem", "validate");
    assert_eq!(stderr.matches("\nerror: ").count() + 1, 16, "{stderr}");
    insta::assert_snapshot!(stderr);
}

#[test]
fn syntax_error() {
    insta::assert_snapshot!(errors("invalid-syntax", "plan"));
}

#[test]
fn dependency_cycle_names_every_address_on_it() {
    insta::assert_snapshot!(errors("invalid-cycle", "validate"));
}

#[test]
fn invalid_authorizers() {
    insta::assert_snapshot!(errors("invalid-authorizers", "validate"));
}

#[test]
fn invalid_stages_with_rules_inside_blocks() {
    insta::assert_snapshot!(errors("invalid-stages", "validate"));
}

#[test]
fn invalid_integrations() {
    insta::assert_snapshot!(errors("invalid-integrations", "validate"));
}

#[test]
fn references_that_cannot_work() {
    insta::assert_snapshot!(errors("invalid-references", "validate"));
}

#[test]
fn apply_and_destroy_refuse_bad_input_before_touching_anything() {
    for command in ["apply", "destroy"] {
        let stderr = errors("invalid-misspelled-attribute", command);
        assert!(
            stderr.starts_with("error: unknown attribute `opration_name`"),
            "{stderr}"
        );
    }
}

#[test]
fn unsupported_blocks_and_providers_say_so() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "more.tf",
        "module \"api\" {\n  source = \"terraform-aws-modules/apigateway-v2/aws\"\n}\n\nprovider \"google\" {}\n\nprovider \"aws\" {\n  profile = \"dev\"\n}\n",
    );
    let run = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn validate_accepts_a_valid_configuration() {
    let workspace = Workspace::new("websocket-every-argument");
    let run = workspace.run_offline(&["validate", "DIR"]).expect_code(0);
    assert_eq!(run.stdout, "Success! The configuration is valid.\n");
}

#[test]
fn an_empty_directory_is_an_error() {
    let workspace = Workspace::new("seed-http-api");
    std::fs::remove_file(workspace.file("main.hcl")).unwrap();
    let run = workspace.run_offline(&["plan", "DIR"]).expect_code(1);
    assert_eq!(
        run.stderr,
        "error: no configuration files in `seed-http-api`: gateform reads the `.hcl`, `.tf` and `.tf.json` files of a directory\n"
    );
}

#[test]
fn an_invalid_openapi_body_and_ip_address_type() {
    let workspace = Workspace::new("seed-http-api");
    workspace.edit(
        "main.hcl",
        "  protocol_type = \"HTTP\"\n",
        "  protocol_type   = \"HTTP\"\n  ip_address_type = \"ipv6\"\n  body            = \"openapi: [3.0\"\n",
    );
    let run = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    insta::assert_snapshot!(run.stderr);
}

/// A computation too large to hold is an error at the expression, in validate and plan alike,
/// never an abort: setproduct of three lists of 1024 would be a billion combinations.
#[test]
fn issue_11_a_computation_that_would_exhaust_memory_is_an_error() {
    let workspace = Workspace::empty("memory");
    workspace.write(
        "main.hcl",
        r#"locals {
  combinations = setproduct(range(1024), range(1024), range(1024))
}

resource "aws_apigatewayv2_api" "a" {
  name          = "a"
  protocol_type = "HTTP"
  description   = "${length(local.combinations)} combinations"
}
"#,
    );
    for command in ["validate", "plan"] {
        let run = workspace.run_offline(&[command, "DIR"]).expect_code(1);
        assert!(
            run.stderr.starts_with(
                "error: invalid call to `setproduct`: it would make 1073741824 combinations, more than the 1048576 gateform makes; use fewer or shorter lists\n --> memory/main.hcl:2:18\n"
            ),
            "{command}: {}",
            run.stderr
        );
    }
}

/// Two mistakes new users make, said where they are: a string left open is reported where it
/// starts (the parser only stumbles a line later), and a bare word is hinted to be quoted.
#[test]
fn issue_11_an_unclosed_quote_and_a_bare_word() {
    let workspace = Workspace::empty("quotes");
    workspace.write(
        "main.tf",
        "resource \"aws_apigatewayv2_api\" \"a\" {\n  name          = \"unclosed\n  protocol_type = \"HTTP\"\n}\n",
    );
    let unclosed = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    assert_eq!(
        unclosed.stderr,
        "error: unclosed string: a quoted string must end on the line it starts\n --> quotes/main.tf:2:19\n  |\n2 |   name          = \"unclosed\n  |                   ^\n  |\n  = hint: close it with `\"`; for text over several lines, write `\\n` or a heredoc: `<<EOT` ... `EOT`\n\n"
    );
    workspace.write(
        "main.tf",
        "resource \"aws_apigatewayv2_api\" \"a\" {\n  name          = \"a\"\n  protocol_type = HTTP\n}\n",
    );
    let bare = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    assert!(
        bare.stderr.contains(
            "  = hint: to write the text, quote it: `\"HTTP\"`; a reference looks like `aws_apigatewayv2_api.NAME.ATTRIBUTE`\n"
        ),
        "{}",
        bare.stderr
    );
}

/// One mistake does not hide the next: a misspelled argument is reported, and its value is
/// checked as the argument it is closest to, so the api's protocol is known and the route's
/// invalid route key is reported too.
#[test]
fn issue_11_a_misspelled_argument_does_not_hide_the_next_problem() {
    let workspace = Workspace::empty("typo");
    workspace.write(
        "main.tf",
        r#"resource "aws_apigatewayv2_api" "a" {
  name         = "a"
  protocl_type = "HTTP"
}

resource "aws_apigatewayv2_route" "r" {
  api_id    = aws_apigatewayv2_api.a.id
  route_key = "GIT /things"
}
"#,
    );
    let validate = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    let errors: Vec<&str> = validate
        .stderr
        .lines()
        .filter(|line| line.starts_with("error:"))
        .collect();
    assert_eq!(
        errors,
        [
            "error: unknown attribute `protocl_type` in `aws_apigatewayv2_api.a`",
            "error: unknown HTTP method `GIT` in route key `GIT /things`",
        ]
    );
}

/// A problem in one instance of a resource with `for_each` says which instance, as Terraform's
/// "with ADDRESS" does: the instances share the source line the problem is marked on.
#[test]
fn issue_11_an_error_in_an_instance_names_the_instance() {
    let workspace = Workspace::empty("instances");
    workspace.write(
        "main.tf",
        r#"resource "aws_apigatewayv2_api" "a" {
  name          = "a"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_route" "this" {
  for_each  = toset(["pets", "things"])
  api_id    = aws_apigatewayv2_api.a.id
  route_key = "GIT /${each.key}"
}
"#,
    );
    let validate = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    insta::assert_snapshot!(validate.stderr);
}

#[test]
fn issue_11_resources_that_belong_to_terraform_are_named_once_per_type() {
    let stderr = errors("invalid-terraform-resources", "validate");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "error: gateform manages API Gateway v2, not `aws_lambda_function`",
            "error: gateform manages API Gateway v2, not `aws_iam_role`",
            "error: gateform manages API Gateway v2, not `aws_iam_policy_document`",
            "error: unsupported data source `aws_regions`",
        ],
        "references to them, depends_on and moved are not more errors:\n{stderr}"
    );
    insta::assert_snapshot!(stderr);
}
