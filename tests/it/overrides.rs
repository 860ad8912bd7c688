//! Override files: `override.tf` and `*_override.tf` change the blocks the other files declare,
//! as Terraform merges them, and plan as the merged configuration written out does.

use crate::harness::Workspace;

const MAIN: &str = r#"variable "stage" {
  type    = string
  default = "dev"
}

locals {
  name = "pets"
  team = "pets"
}

resource "aws_apigatewayv2_api" "pets" {
  name          = local.name
  protocol_type = "HTTP"
  description   = "Pets"

  cors_configuration {
    allow_origins = ["*"]
    max_age       = 60
  }

  tags = {
    Team = local.team
  }
}

resource "aws_apigatewayv2_stage" "pets" {
  api_id      = aws_apigatewayv2_api.pets.id
  name        = var.stage
  auto_deploy = true
}
"#;

const OVERRIDE: &str = r#"variable "stage" {
  default = "prod"
}

locals {
  name = "pets-prod"
}

resource "aws_apigatewayv2_api" "pets" {
  description = "Pets in production"

  cors_configuration {
    allow_origins = ["https://shop.example.com"]
  }
}
"#;

/// `MAIN` with `OVERRIDE` merged by hand: arguments replaced, the `cors_configuration` block
/// replaced whole, everything else kept.
const MERGED: &str = r#"variable "stage" {
  type    = string
  default = "prod"
}

locals {
  name = "pets-prod"
  team = "pets"
}

resource "aws_apigatewayv2_api" "pets" {
  name          = local.name
  protocol_type = "HTTP"
  description   = "Pets in production"

  cors_configuration {
    allow_origins = ["https://shop.example.com"]
  }

  tags = {
    Team = local.team
  }
}

resource "aws_apigatewayv2_stage" "pets" {
  api_id      = aws_apigatewayv2_api.pets.id
  name        = var.stage
  auto_deploy = true
}
"#;

#[test]
fn issue_11_override_files_change_the_blocks_the_others_declare() {
    let merged = Workspace::empty("merged");
    merged.write("main.tf", MERGED);
    let expected = merged.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        expected.stdout.contains("\"Pets in production\"") && expected.stdout.contains("\"prod\""),
        "{}",
        expected.stdout
    );
    for name in ["override.tf", "prod_override.tf"] {
        let workspace = Workspace::empty("overridden");
        workspace.write("main.tf", MAIN);
        workspace.write(name, OVERRIDE);
        let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
        assert_eq!(plan.stdout, expected.stdout, "{name}");
    }
}

#[test]
fn issue_11_an_override_of_nothing_is_an_error() {
    let workspace = Workspace::empty("override-of-nothing");
    workspace.write("main.tf", MAIN);
    workspace.write(
        "override.tf",
        "resource \"aws_apigatewayv2_api\" \"cats\" {\n  description = \"Cats\"\n}\n",
    );
    let run = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    assert!(
        run.stderr.contains(
            "error: an override file changes `aws_apigatewayv2_api.cats`, which no other file declares"
        ) && run.stderr.contains("--> override-of-nothing/override.tf:1:1"),
        "{}",
        run.stderr
    );
}
