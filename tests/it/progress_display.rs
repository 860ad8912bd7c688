//! Apply's progress display: a bar on a terminal, Terraform's plain lines everywhere else.

use crate::harness::{Run, Workspace};

const API: &str = r#"resource "aws_apigatewayv2_api" "shown" {
  name          = "shown"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_route" "shown" {
  count     = 5
  api_id    = aws_apigatewayv2_api.shown.id
  route_key = "GET /shown/${count.index}"
}
"#;

/// The bar's own text: the count of changes and the pace.
const BAR: &str = " changes · ";

#[test]
fn on_a_terminal_apply_shows_a_progress_bar_below_terraforms_lines() {
    let workspace = Workspace::empty("on-a-terminal");
    workspace.write("main.tf", API);
    // `script` gives gateform a pseudo-terminal, and copies what it draws to its stdout.
    let gateform = env!("CARGO_BIN_EXE_gateform");
    let line = format!("{gateform} apply on-a-terminal --auto-approve");
    let output = workspace
        .aws_program("script", &["-qfec", line.as_str(), "/dev/null"])
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .output()
        .expect("run script");
    let run = Run::from(output).expect_code(0);
    assert!(run.stdout.contains(BAR), "{}", run.stdout);
    assert!(run.stdout.contains("6/6 changes"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("aws_apigatewayv2_api.shown: Creation complete after 0s [id="),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Apply complete! Resources: 6 added, 0 changed, 0 destroyed."),
        "{}",
        run.stdout
    );
}

#[test]
fn in_a_pipe_or_with_no_color_apply_prints_only_terraforms_lines() {
    let workspace = Workspace::empty("in-a-pipe");
    workspace.write("main.tf", API);
    let piped = workspace
        .run_with(&["apply", "DIR", "--auto-approve"], |command| {
            command.env_remove("NO_COLOR").env("TERM", "xterm-256color");
        })
        .expect_code(0);
    assert!(!piped.stderr.contains(BAR), "{}", piped.stderr);
    let lines: Vec<&str> = piped
        .stderr
        .lines()
        .filter(|line| line.starts_with("aws_apigatewayv2_api.shown"))
        .collect();
    assert_eq!(lines.len(), 2, "{}", piped.stderr);
    assert_eq!(lines[0], "aws_apigatewayv2_api.shown: Creating...");
    assert!(lines[1].starts_with("aws_apigatewayv2_api.shown: Creation complete after 0s [id="));
    // On a terminal, NO_COLOR asks for plain output too.
    workspace.write("main.tf", &API.replace("count     = 5", "count     = 6"));
    let gateform = env!("CARGO_BIN_EXE_gateform");
    let line = format!("{gateform} apply in-a-pipe --auto-approve");
    let output = workspace
        .aws_program("script", &["-qfec", line.as_str(), "/dev/null"])
        .env("TERM", "xterm-256color")
        .output()
        .expect("run script");
    let run = Run::from(output).expect_code(0);
    assert!(!run.stdout.contains(BAR), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("aws_apigatewayv2_route.shown[5]: Creation complete after 0s"),
        "{}",
        run.stdout
    );
}
