//! What an AWS failure reads like: one paragraph naming the operation, the address, AWS's error
//! code and message and the request id; for an answer that is not AWS's (an emulator's page, a
//! proxy's 502), the HTTP status and the first line of text of the body. Never the SDK's debug
//! dump. Each class of failure is made to happen through the fault proxy.

use crate::faults::{Calls, Fault, FaultProxy, REQUEST_ID, Rule};
use crate::harness::{Run, Workspace, moto};

/// What no message may hold: the SDK's Debug output.
fn assert_clean(stderr: &str) {
    for dump in [
        "ServiceError(",
        "Extensions {",
        "SdkBody",
        "Unhandled(",
        "ErrorMetadata {",
    ] {
        assert!(
            !stderr.contains(dump),
            "the SDK's debug dump, `{dump}`:\n{stderr}"
        );
    }
}

fn through(workspace: &Workspace, args: &[&str], rules: Vec<Rule>) -> Run {
    let proxy = FaultProxy::start(&moto().endpoint, rules, 1);
    let run = workspace.run_with(args, |command| {
        command
            .env("AWS_ENDPOINT_URL", &proxy.endpoint)
            .env("GATEFORM_CALL_TIMEOUT", "2s");
    });
    assert_clean(&run.stderr);
    run
}

fn apply_through(workspace: &Workspace, rules: Vec<Rule>) -> String {
    through(workspace, &["apply", "DIR", "-auto-approve"], rules)
        .expect_code(1)
        .stderr
}

/// The line of the failed change in apply's report.
fn failed_line(stderr: &str) -> &str {
    stderr
        .lines()
        .find(|line| line.starts_with("  - "))
        .unwrap_or_else(|| panic!("no failed change:\n{stderr}"))
}

#[test]
fn an_aws_error_reads_as_its_code_message_and_request_id() {
    let workspace = Workspace::new("seed-http-api");
    let stderr = apply_through(
        &workspace,
        vec![Rule::new(Calls::Creates, 1.0, Fault::Refuse(503))],
    );
    assert_eq!(
        failed_line(&stderr),
        format!(
            "  - CreateApi for `aws_apigatewayv2_api.example` failed: ServiceUnavailable: Service Unavailable (request id {REQUEST_ID}). The create may have reached AWS, so the object may exist there: its intent stays in the state, and the next plan or apply looks for it and adopts it"
        )
    );
}

#[test]
fn an_answer_that_is_not_awss_error_reads_as_its_status_and_first_line() {
    let workspace = Workspace::new("seed-http-api");
    let stderr = apply_through(
        &workspace,
        vec![Rule::new(Calls::Creates, 1.0, Fault::Page(502))],
    );
    assert!(
        failed_line(&stderr).starts_with(
            "  - CreateApi for `aws_apigatewayv2_api.example` failed: HTTP 502, not an AWS error: 502 Bad Gateway."
        ),
        "{stderr}"
    );
    // An emulator's page for an operation it lacks.
    let workspace = Workspace::new("seed-http-api");
    let stderr = apply_through(
        &workspace,
        vec![Rule::new(Calls::Creates, 1.0, Fault::Page(404))],
    );
    assert!(
        failed_line(&stderr).starts_with(
            "  - CreateApi for `aws_apigatewayv2_api.example` failed: HTTP 404, not an AWS error: 404 Not Found"
        ),
        "{stderr}"
    );
}

#[test]
fn a_lost_connection_reads_as_what_happened_to_it() {
    let workspace = Workspace::new("seed-http-api");
    let stderr = apply_through(
        &workspace,
        vec![Rule::new(Calls::Creates, 1.0, Fault::Drop)],
    );
    let line = failed_line(&stderr);
    assert!(
        line.starts_with("  - CreateApi for `aws_apigatewayv2_api.example` failed: "),
        "{stderr}"
    );
    assert!(
        line.contains("connection closed before message completed"),
        "{line}"
    );
    assert!(line.len() < 600, "one short paragraph: {line}");
}

#[test]
fn a_transient_500_on_a_list_is_tried_again() {
    let workspace = Workspace::new("seed-route-basic");
    workspace
        .run(&["apply", "DIR", "-auto-approve"])
        .expect_code(0);
    let plan = through(
        &workspace,
        &["plan", "DIR", "-detailed-exitcode"],
        vec![Rule::new(Calls::Reads, 1.0, Fault::Refuse(500)).times(2)],
    );
    let plan = plan.expect_code(0);
    assert!(
        plan.stdout.contains("No changes."),
        "{}\n{}",
        plan.stdout,
        plan.stderr
    );
}

/// With `-json`, the failed change is an `apply_errored` line and the failure a `diagnostic`
/// line, in the same words as the text.
#[test]
fn a_failed_change_with_json_is_an_apply_errored_line_then_a_diagnostic() {
    let workspace = Workspace::new("seed-http-api");
    let run = through(
        &workspace,
        &["apply", "DIR", "-auto-approve", "-json"],
        vec![Rule::new(Calls::Creates, 1.0, Fault::Refuse(503))],
    )
    .expect_code(1);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect();
    let types: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(
        types[types.len() - 3..],
        ["apply_start", "apply_errored", "diagnostic"]
    );
    let errored = &lines[lines.len() - 2];
    assert!(
        errored["@message"]
            .as_str()
            .unwrap()
            .starts_with("aws_apigatewayv2_api.example: Creation errored after "),
        "{errored}"
    );
    assert_eq!(errored["hook"]["action"], "create");
    let diagnostic = &lines[lines.len() - 1]["diagnostic"];
    assert_eq!(diagnostic["severity"], "error");
    assert!(
        diagnostic["detail"]
            .as_str()
            .unwrap()
            .contains(failed_line(&run.stderr).trim_start_matches("  - ")),
        "{diagnostic}\n{}",
        run.stderr
    );
}
