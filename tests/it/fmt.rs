//! `gateform fmt`: terraform fmt's canonical style, comments kept.

use crate::harness::{Run, Workspace, fixture_dir};

#[test]
fn every_fixture_is_formatted() {
    let root = fixture_dir("");
    let mut directories = vec![root.join("module-per-api/modules/http-api")];
    for entry in std::fs::read_dir(&root).unwrap() {
        directories.push(entry.unwrap().path());
    }
    let workspace = Workspace::empty("fmt");
    for directory in directories {
        let output = workspace
            .command(&["fmt", directory.to_str().unwrap(), "--check"])
            .output()
            .unwrap();
        let run = Run::from(output);
        if directory.ends_with("invalid-syntax") {
            // A file that does not parse is reported, not formatted.
            assert_eq!(run.code, 1, "{}", run.stderr);
            assert!(
                run.stderr.starts_with("error: syntax error\n"),
                "{}",
                run.stderr
            );
        } else {
            assert_eq!(
                (run.code, run.stdout.as_str()),
                (0, ""),
                "{} needs formatting",
                directory.display()
            );
        }
    }
}

const MESSY: &str = r#"# The pets api, formatted by hand.
resource "aws_apigatewayv2_api" "pets" {
name="pets"   # what clients see
    protocol_type = "HTTP"


  tags = {
      Team = "platform" // who owns it
    Environment="dev"
  }
}
resource "aws_apigatewayv2_route" "list" {
  /* the list route */
  api_id = aws_apigatewayv2_api.pets.id
  route_key     = "GET /pets"

}
"#;

const FORMATTED: &str = r#"# The pets api, formatted by hand.
resource "aws_apigatewayv2_api" "pets" {
  name          = "pets"   # what clients see
  protocol_type = "HTTP"

  tags = {
    Team        = "platform" // who owns it
    Environment = "dev"
  }
}

resource "aws_apigatewayv2_route" "list" {
  /* the list route */
  api_id    = aws_apigatewayv2_api.pets.id
  route_key = "GET /pets"
}
"#;

#[test]
fn fmt_rewrites_a_messy_file_and_keeps_its_comments() {
    let workspace = Workspace::empty("messy");
    workspace.write("main.hcl", MESSY);
    let check = workspace
        .run_offline(&["fmt", "messy", "--check", "--diff"])
        .expect_code(3);
    assert!(
        check
            .stdout
            .starts_with("messy/main.hcl\n--- old/messy/main.hcl\n+++ new/messy/main.hcl\n"),
        "{}",
        check.stdout
    );
    assert_eq!(
        std::fs::read_to_string(workspace.file("main.hcl")).unwrap(),
        MESSY
    );
    let fmt = workspace.run_offline(&["fmt", "messy"]).expect_code(0);
    assert_eq!(fmt.stdout, "messy/main.hcl\n");
    assert_eq!(
        std::fs::read_to_string(workspace.file("main.hcl")).unwrap(),
        FORMATTED
    );
    workspace
        .run_offline(&["fmt", "messy", "--check"])
        .expect_code(0);
    // The formatted file means what the messy one did.
    workspace.run_offline(&["validate", "messy"]).expect_code(0);
}

/// Attributes whose value goes on over more lines are not aligned with their neighbours, as
/// terraform fmt does; tests/oracle/fmt.sh made the golden file with terraform fmt.
#[test]
fn multi_line_values_stand_out_of_alignment_as_in_terraform_fmt() {
    let oracle = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle");
    let workspace = Workspace::empty("aligned");
    std::fs::copy(oracle.join("fmt-alignment.hcl"), workspace.file("main.hcl")).unwrap();
    workspace.run_offline(&["fmt", "DIR"]).expect_code(0);
    assert_eq!(
        std::fs::read_to_string(workspace.file("main.hcl")).unwrap(),
        std::fs::read_to_string(oracle.join("fmt-alignment.golden")).unwrap()
    );
}
