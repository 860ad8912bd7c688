//! The plan as a pull-request comment (Markdown) and for tools (JSON, in Terraform's plan
//! representation), pinned for each kind of plan a reviewer meets.

use serde_json::Value as Json;

use crate::drift::{applied_route, retarget_behind_our_back};
use crate::harness::{Run, Workspace, actions};

/// The plan in Markdown and JSON; JSON pretty-printed for the snapshot, ids and the account
/// redacted in both.
fn formats(workspace: &Workspace, args: &[&str], code: i32) -> (String, Json) {
    let run = |format: &str| -> Run {
        let mut args = args.to_vec();
        args.extend(["--format", format]);
        workspace.run(&args).expect_code(code)
    };
    let markdown = workspace.redact_state_ids(&run("markdown").stdout);
    let json = workspace.redact_state_ids(&run("json").stdout);
    (markdown, without_timestamp(&json))
}

/// A JSON plan with its `timestamp`, when the plan was made, to the second in UTC, as
/// `<TIMESTAMP>`.
fn without_timestamp(json: &str) -> Json {
    let mut json: Json = serde_json::from_str(json).expect("the JSON plan parses");
    let rfc3339 = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$").unwrap();
    let timestamp = json["timestamp"].as_str().expect("a timestamp");
    assert!(rfc3339.is_match(timestamp), "{timestamp}");
    json["timestamp"] = "<TIMESTAMP>".into();
    json
}

fn pretty(json: &Json) -> String {
    serde_json::to_string_pretty(json).unwrap()
}

#[test]
fn a_first_create() {
    let workspace = Workspace::new("seed-http-proxy");
    let (markdown, json) = formats(&workspace, &["plan", "DIR"], 0);
    insta::assert_snapshot!("create_markdown", markdown);
    insta::assert_snapshot!("create_json", pretty(&json));
    assert_eq!(
        actions(&json),
        [
            (
                "aws_apigatewayv2_api.example".to_owned(),
                vec!["create".to_owned()]
            ),
            (
                "aws_apigatewayv2_integration.example".to_owned(),
                vec!["create".to_owned()]
            ),
            (
                "aws_apigatewayv2_route.example".to_owned(),
                vec!["create".to_owned()]
            ),
        ]
    );
    let api = &json["resource_changes"][0]["change"];
    assert_eq!(api["before"], Json::Null);
    assert_eq!(api["after"]["id"], Json::Null);
    assert_eq!(api["after_unknown"]["id"], true);
    assert_eq!(api["after"]["name"], "example-http-api");
}

#[test]
fn an_update_in_place() {
    let workspace = Workspace::new("seed-route-basic");
    workspace.converge();
    workspace.edit("main.hcl", "\"example-websocket-api\"", "\"renamed-api\"");
    let (markdown, json) = formats(&workspace, &["plan", "DIR", "--detailed-exitcode"], 2);
    insta::assert_snapshot!("update_markdown", markdown);
    insta::assert_snapshot!("update_json", pretty(&json));
    assert_eq!(
        actions(&json),
        [
            (
                "aws_apigatewayv2_api.example".to_owned(),
                vec!["update".to_owned()]
            ),
            (
                "aws_apigatewayv2_route.example".to_owned(),
                vec!["no-op".to_owned()]
            ),
        ]
    );
    let api = &json["resource_changes"][0]["change"];
    assert_eq!(
        (&api["before"]["name"], &api["after"]["name"]),
        (
            &Json::from("example-websocket-api"),
            &Json::from("renamed-api")
        )
    );
    assert_eq!(
        api["after_unknown"],
        serde_json::json!({"cors_configuration": []})
    );
}

#[test]
fn a_replacement() {
    let workspace = Workspace::new("seed-route-basic");
    workspace.converge();
    workspace.edit("main.hcl", "\"WEBSOCKET\"", "\"HTTP\"");
    workspace.edit(
        "main.hcl",
        "  route_selection_expression = \"$request.body.action\"\n",
        "",
    );
    let (markdown, json) = formats(&workspace, &["plan", "DIR", "--detailed-exitcode"], 2);
    insta::assert_snapshot!("replace_markdown", markdown);
    insta::assert_snapshot!("replace_json", pretty(&json));
    let replace = vec!["delete".to_owned(), "create".to_owned()];
    assert_eq!(
        actions(&json),
        [
            ("aws_apigatewayv2_api.example".to_owned(), replace.clone()),
            ("aws_apigatewayv2_route.example".to_owned(), replace),
        ]
    );
    let api = &json["resource_changes"][0];
    assert_eq!(
        api["change"]["replace_paths"],
        serde_json::json!([["protocol_type"]])
    );
    assert_eq!(api["action_reason"], "replace_because_cannot_update");
}

#[test]
fn a_destroy() {
    let workspace = Workspace::new("seed-route-basic");
    workspace.converge();
    let (markdown, json) = formats(
        &workspace,
        &["plan", "DIR", "--destroy", "--detailed-exitcode"],
        2,
    );
    insta::assert_snapshot!("destroy_markdown", markdown);
    insta::assert_snapshot!("destroy_json", pretty(&json));
    let delete = vec!["delete".to_owned()];
    assert_eq!(
        actions(&json),
        [
            ("aws_apigatewayv2_api.example".to_owned(), delete.clone()),
            ("aws_apigatewayv2_route.example".to_owned(), delete),
        ]
    );
    assert_eq!(json["resource_changes"][0]["change"]["after"], Json::Null);
    assert_eq!(
        json["planned_values"]["root_module"]["resources"],
        serde_json::json!([])
    );
    assert_eq!(
        json["prior_state"]["values"]["root_module"]["resources"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn drift() {
    let workspace = Workspace::new("seed-http-api");
    let (api_id, route_id) = applied_route(&workspace);
    retarget_behind_our_back(&workspace, &api_id, &route_id);
    let (markdown, json) = formats(&workspace, &["plan", "DIR", "--detailed-exitcode"], 2);
    insta::assert_snapshot!("drift_markdown", markdown);
    insta::assert_snapshot!("drift_json", pretty(&json));
    let drift = &json["resource_drift"][0];
    assert_eq!(drift["address"], "aws_apigatewayv2_route.example");
    assert_eq!(drift["change"]["actions"], serde_json::json!(["update"]));
    assert_eq!(
        (
            &drift["change"]["before"]["target"],
            &drift["change"]["after"]["target"]
        ),
        (
            &Json::from("integrations/abc1234"),
            &Json::from("integrations/zzz9999")
        )
    );
}

#[test]
fn no_changes() {
    let workspace = Workspace::new("seed-route-basic");
    workspace.converge();
    let (markdown, json) = formats(&workspace, &["plan", "DIR", "--detailed-exitcode"], 0);
    insta::assert_snapshot!("no_changes_markdown", markdown);
    insta::assert_snapshot!("no_changes_json", pretty(&json));
    assert_eq!(json["applyable"], false);
    assert!(
        actions(&json)
            .iter()
            .all(|(_, actions)| actions == &["no-op"])
    );
}

/// `gateform diff` needs no AWS: the environment has no AWS variables at all.
#[test]
fn an_openapi_body_change_reviewed_without_credentials() {
    let workspace = Workspace::new("openapi-pets-v2");
    let base = crate::harness::fixture_dir("openapi-pets-v1");
    let base = base.to_str().unwrap();
    let run = |format: &str| {
        let output = workspace
            .command(&[
                "diff",
                base,
                "openapi-pets-v2",
                "--format",
                format,
                "--detailed-exitcode",
            ])
            .env_remove("AWS_REGION")
            .env_remove("AWS_EC2_METADATA_DISABLED")
            .output()
            .expect("run gateform");
        Run::from(output).expect_code(2)
    };
    let redact = |text: &str| text.replace(base, "fixtures/openapi-pets-v1");
    insta::assert_snapshot!("body_change_text", redact(&run("text").stdout));
    insta::assert_snapshot!("body_change_markdown", redact(&run("markdown").stdout));
    let json = without_timestamp(&run("json").stdout);
    insta::assert_snapshot!("body_change_json", redact(&pretty(&json)));
    assert_eq!(
        actions(&json),
        [
            (
                "aws_apigatewayv2_api.pets".to_owned(),
                vec!["update".to_owned()]
            ),
            (
                "aws_apigatewayv2_stage.default".to_owned(),
                vec!["no-op".to_owned()]
            ),
        ]
    );
    let body = &json["resource_changes"][0]["change"];
    assert_ne!(body["before"]["body"], body["after"]["body"]);
    assert_eq!(body["after_unknown"]["id"], true);
}

/// A pull request that adds 5,000 routes and removes 50: the comment stays under GitHub's limit,
/// says what it left out, and still names every route it destroys.
#[test]
fn a_plan_too_big_for_one_comment_keeps_its_summary_and_warning() {
    let api = "resource \"aws_apigatewayv2_api\" \"example\" {\n  name          = \"big\"\n  protocol_type = \"HTTP\"\n}\n";
    let routes = |prefix: &str, count: usize| -> String {
        (0..count)
            .map(|index| {
                format!(
                    "resource \"aws_apigatewayv2_route\" \"{prefix}{index}\" {{\n  api_id    = aws_apigatewayv2_api.example.id\n  route_key = \"GET /{prefix}/{index}\"\n}}\n"
                )
            })
            .collect()
    };
    let base = Workspace::empty("base");
    base.write("main.hcl", &format!("{api}{}", routes("old", 50)));
    let head = Workspace::empty("head");
    head.write("main.hcl", &format!("{api}{}", routes("new", 5000)));
    let output = head
        .command(&[
            "diff",
            base.dir.to_str().unwrap(),
            "head",
            "--format",
            "markdown",
        ])
        .output()
        .expect("run gateform");
    let markdown = Run::from(output).expect_code(0).stdout;
    assert!(
        markdown.chars().count() <= 65_000,
        "{} characters",
        markdown.chars().count()
    );
    assert!(
        markdown.contains("\n**Plan: 5000 to add, 0 to change, 50 to destroy.**\n"),
        "{markdown}"
    );
    for index in 0..50 {
        assert!(
            markdown.contains(&format!(
                "> - `aws_apigatewayv2_route.old{index}` (destroy)\n"
            )),
            "old{index} is not in the warning"
        );
    }
    assert!(
        markdown.contains(
            "> [!NOTE]\n> 5050 diffs were left out to keep this comment under GitHub's size limit. Run `gateform plan` (or `gateform show PLANFILE`) to see the whole plan.\n"
        ),
        "{markdown}"
    );
    assert!(markdown.contains("- … and "), "{markdown}");
}
