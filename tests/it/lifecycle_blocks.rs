//! `lifecycle { prevent_destroy, ignore_changes }`.

use crate::harness::Workspace;

#[test]
fn prevent_destroy_refuses_a_plan_that_would_destroy_or_replace() {
    let workspace = Workspace::new("seed-route-basic");
    workspace.edit(
        "main.hcl",
        "  route_selection_expression = \"$request.body.action\"\n",
        "  route_selection_expression = \"$request.body.action\"\n\n  lifecycle {\n    prevent_destroy = true\n  }\n",
    );
    workspace.converge();
    workspace.edit("main.hcl", "\"WEBSOCKET\"", "\"HTTP\"");
    workspace.edit(
        "main.hcl",
        "  route_selection_expression = \"$request.body.action\"\n",
        "",
    );
    let replace = workspace.run(&["plan", "DIR"]).expect_code(1);
    assert!(
        replace.stderr.starts_with(
            "error: `aws_apigatewayv2_api.example` has lifecycle.prevent_destroy set, but the plan would replace it\n --> seed-route-basic/main.hcl:6:5\n"
        ),
        "{}",
        replace.stderr
    );
    let destroy = workspace
        .run(&["destroy", "DIR", "--auto-approve"])
        .expect_code(1);
    assert!(
        destroy.stderr.contains("but the plan would destroy it"),
        "{}",
        destroy.stderr
    );
    assert_eq!(workspace.aws().apis().len(), 1);
}

#[test]
fn ignore_changes_hides_changes_and_drift_of_those_arguments() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "main.hcl",
        "resource \"aws_apigatewayv2_api\" \"example\" {\n  name          = \"example-http-api\"\n  protocol_type = \"HTTP\"\n  tags          = { Team = \"platform\" }\n\n  lifecycle {\n    ignore_changes = [tags]\n  }\n}\n",
    );
    workspace.converge();
    // Someone tags the api by hand, and the configuration's tags change too: neither shows.
    let aws = workspace.aws();
    let api = aws.apis()[0].id.clone();
    let arn = format!("arn:aws:apigateway:eu-west-1::/apis/{api}");
    aws.block_on(
        aws.client()
            .tag_resource()
            .resource_arn(&arn)
            .tags("Cost", "42")
            .send(),
    )
    .unwrap();
    workspace.edit("main.hcl", "\"platform\"", "\"apis\"");
    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
    assert!(!plan.stdout.contains("changed outside"), "{}", plan.stdout);
    // Arguments not ignored still change.
    workspace.edit("main.hcl", "\"example-http-api\"", "\"renamed\"");
    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert!(
        plan.stdout.contains(
            "      ~ name                         = \"example-http-api\" -> \"renamed\"\n"
        ),
        "{}",
        plan.stdout
    );
    assert!(!plan.stdout.contains("Team"), "{}", plan.stdout);
}

/// The provider's `default_tags` go under every resource's own tags, in `tags_all`.
#[test]
fn default_tags_are_merged_under_resource_tags() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "main.hcl",
        "provider \"aws\" {\n  default_tags {\n    tags = { ManagedBy = \"gateform\", Team = \"default\" }\n  }\n}\n\nresource \"aws_apigatewayv2_api\" \"example\" {\n  name          = \"example-http-api\"\n  protocol_type = \"HTTP\"\n  tags          = { Team = \"platform\" }\n}\n",
    );
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout.contains(
            "      + tags                         = {\n          + \"Team\" = \"platform\"\n        }\n      + tags_all                     = {\n          + \"ManagedBy\" = \"gateform\"\n          + \"Team\"      = \"platform\"\n        }\n"
        ),
        "{}",
        plan.stdout
    );
    workspace.converge();
    let aws = workspace.aws();
    let id = aws.apis()[0].id.clone();
    let api = aws
        .block_on(aws.client().get_api().api_id(&id).send())
        .unwrap();
    let tags = api.tags().unwrap();
    assert_eq!(
        (
            tags.get("ManagedBy").map(String::as_str),
            tags.get("Team").map(String::as_str)
        ),
        (Some("gateform"), Some("platform"))
    );
    assert_eq!(
        workspace.state_values("aws_apigatewayv2_api.example")["tags"],
        serde_json::json!({ "Team": "platform" })
    );

    // A change to the default tags changes `tags_all` alone.
    workspace.edit("main.hcl", "\"gateform\"", "\"gateform-2\"");
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout.contains(
            "      ~ tags_all                     = {\n          ~ \"ManagedBy\" = \"gateform\" -> \"gateform-2\"\n            # (1 unchanged element hidden)\n        }\n"
        ),
        "{}",
        plan.stdout
    );
    assert!(!plan.stdout.contains("~ tags "), "{}", plan.stdout);
    workspace.converge();
    let api = aws
        .block_on(aws.client().get_api().api_id(&id).send())
        .unwrap();
    assert_eq!(
        api.tags().unwrap().get("ManagedBy").map(String::as_str),
        Some("gateform-2")
    );
}

/// `replace_triggered_by`: a change to what it names replaces the resource.
#[test]
fn replace_triggered_by_replaces_on_a_change_of_what_it_names() {
    let workspace = Workspace::new("seed-http-proxy");
    workspace.edit(
        "main.hcl",
        "  target = \"integrations/${aws_apigatewayv2_integration.example.id}\"\n",
        "  target = \"integrations/${aws_apigatewayv2_integration.example.id}\"\n\n  lifecycle {\n    replace_triggered_by = [aws_apigatewayv2_integration.example.integration_uri]\n  }\n",
    );
    workspace.converge();
    let route = workspace.state_values("aws_apigatewayv2_route.example")["id"].clone();
    workspace.edit(
        "main.hcl",
        "https://example.com/{proxy}",
        "https://example.org/{proxy}",
    );
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout.contains(
            "  # aws_apigatewayv2_route.example must be replaced\n  # (replaced because of a change in its replace_triggered_by)\n"
        ),
        "{}",
        plan.stdout
    );
    assert_eq!(plan.summary(), "Plan: 1 to add, 1 to change, 1 to destroy.");
    workspace.converge();
    assert_ne!(
        workspace.state_values("aws_apigatewayv2_route.example")["id"],
        route
    );
}

/// `create_before_destroy`: the replacement exists before the old object goes.
#[test]
fn create_before_destroy_creates_the_replacement_first() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "main.hcl",
        "resource \"aws_apigatewayv2_api\" \"example\" {\n  name          = \"example-http-api\"\n  protocol_type = \"HTTP\"\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n",
    );
    workspace.converge();
    let old = workspace.state_values("aws_apigatewayv2_api.example")["id"].clone();
    workspace.edit("main.hcl", "  protocol_type = \"HTTP\"\n", "  protocol_type = \"HTTP\"\n  credentials_arn = \"arn:aws:iam::123456789012:role/quick\"\n");
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout
            .contains("+/- create replacement and then destroy\n")
            && plan
                .stdout
                .contains("+/- resource \"aws_apigatewayv2_api\" \"example\" {\n"),
        "{}",
        plan.stdout
    );
    let apply = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    let creating = apply
        .stderr
        .find("aws_apigatewayv2_api.example: Creating...")
        .unwrap();
    let destroying = apply
        .stderr
        .find("aws_apigatewayv2_api.example: Destroying...")
        .unwrap();
    assert!(creating < destroying, "{}", apply.stderr);
    let new = workspace.state_values("aws_apigatewayv2_api.example")["id"].clone();
    assert_ne!(new, old);
    let apis = workspace.aws().apis();
    assert_eq!(apis.len(), 1);
    assert_eq!(serde_json::json!(apis[0].id), new);
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
    // The old object was deposed as the new one was recorded, and forgotten once deleted.
    let connection = rusqlite::Connection::open(workspace.state_path()).unwrap();
    let history: Vec<String> = connection
        .prepare("SELECT address FROM versions ORDER BY serial")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let old = old.as_str().unwrap();
    assert_eq!(
        history[history.len() - 2..],
        [
            "aws_apigatewayv2_api.example".to_owned(),
            format!("aws_apigatewayv2_api.example (deposed object {old})")
        ]
    );
    let deposed: i64 = connection
        .query_row("SELECT count(*) FROM deposed", [], |row| row.get(0))
        .unwrap();
    assert_eq!(deposed, 0);
}

/// An apply that stopped between a create_before_destroy replacement's create and delete left the
/// old object deposed in the state: the next plan destroys it, and apply does.
#[test]
fn a_deposed_object_is_planned_for_destruction_and_destroyed() {
    let workspace = Workspace::new("seed-http-api");
    workspace.converge();
    let current = workspace.state_values("aws_apigatewayv2_api.example");
    // The old object, as an interrupted apply leaves it: in AWS, and deposed in the state.
    let old_id = workspace.aws().create_http_api("example-http-api");
    let mut attributes = current.clone();
    attributes["id"] = serde_json::json!(old_id);
    let connection = rusqlite::Connection::open(workspace.state_path()).unwrap();
    connection
        .execute(
            "INSERT INTO deposed (address, remote_id, attributes, dependencies) VALUES (?1, ?2, ?3, '[]')",
            rusqlite::params!["aws_apigatewayv2_api.example", old_id, attributes.to_string()],
        )
        .unwrap();
    drop(connection);

    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    let expected = format!(
        "  # aws_apigatewayv2_api.example (deposed object {old_id}) will be destroyed\n  \
         # (left over from a partially-failed replacement of this instance)\n  \
         - resource \"aws_apigatewayv2_api\" \"example\" {{\n"
    );
    assert!(plan.stdout.contains(&expected), "{}", plan.stdout);
    assert!(
        plan.stdout
            .contains("Plan: 0 to add, 0 to change, 1 to destroy.\n"),
        "{}",
        plan.stdout
    );
    let markdown = workspace
        .run(&["plan", "DIR", "--format", "markdown"])
        .expect_code(0);
    assert!(
        markdown.stdout.contains(&format!(
            "> - `aws_apigatewayv2_api.example` (destroy its deposed object `{old_id}`)\n"
        )),
        "{}",
        markdown.stdout
    );
    let json = workspace
        .run(&["plan", "DIR", "--format", "json"])
        .expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let entry = json["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["deposed"].is_string())
        .unwrap()
        .clone();
    assert_eq!(
        (entry["deposed"].clone(), entry["change"]["actions"].clone()),
        (serde_json::json!(old_id), serde_json::json!(["delete"]))
    );

    let apply = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    assert!(
        apply
            .stdout
            .contains("Apply complete! Resources: 0 added, 0 changed, 1 destroyed.\n"),
        "{}",
        apply.stdout
    );
    let apis = workspace.aws().apis();
    assert_eq!(
        apis.iter().map(|api| api.id.as_str()).collect::<Vec<_>>(),
        [current["id"].as_str().unwrap()]
    );
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
}
