//! Refresh: changes made outside gateform are shown first, then set back by the plan.

use crate::harness::Workspace;

const ROUTE_WITH_TARGET: &str = "
resource \"aws_apigatewayv2_route\" \"example\" {
  api_id    = aws_apigatewayv2_api.example.id
  route_key = \"GET /pets\"
  target    = \"integrations/abc1234\"
}
";

/// An HTTP api and a route with a target, applied; returns the api and route ids.
pub fn applied_route(workspace: &Workspace) -> (String, String) {
    workspace.write("route.hcl", ROUTE_WITH_TARGET);
    workspace.converge();
    route_ids(workspace)
}

/// The ids of the api and of its one route, as AWS has them.
fn route_ids(workspace: &Workspace) -> (String, String) {
    let aws = workspace.aws();
    let api_id = aws.apis()[0].id.clone();
    let routes = aws
        .block_on(aws.client().get_routes().api_id(&api_id).send())
        .unwrap();
    (api_id, routes.items()[0].route_id().unwrap().to_owned())
}

/// Changes the route's target with the AWS SDK, as someone outside gateform would.
pub fn retarget_behind_our_back(workspace: &Workspace, api_id: &str, route_id: &str) {
    let aws = workspace.aws();
    let update = aws
        .client()
        .update_route()
        .api_id(api_id)
        .route_id(route_id)
        .target("integrations/zzz9999");
    aws.block_on(update.send()).unwrap();
}

#[test]
fn a_route_target_changed_behind_our_back_is_drift_and_apply_sets_it_back() {
    let workspace = Workspace::new("seed-http-api");
    let (api_id, route_id) = applied_route(&workspace);
    let aws = workspace.aws();
    retarget_behind_our_back(&workspace, &api_id, &route_id);

    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    insta::assert_snapshot!(workspace.redact(
        &plan.stdout,
        &[(&api_id, "API_ID"), (&route_id, "ROUTE_ID")]
    ));
    workspace.converge();
    let route = aws
        .block_on(
            aws.client()
                .get_route()
                .api_id(&api_id)
                .route_id(&route_id)
                .send(),
        )
        .unwrap();
    assert_eq!(route.target(), Some("integrations/abc1234"));
}

#[test]
fn an_api_deleted_behind_our_back_is_created_again() {
    let workspace = Workspace::new("seed-route-basic");
    workspace.converge();
    let aws = workspace.aws();
    let old_id = aws.apis()[0].id.clone();
    aws.block_on(aws.client().delete_api().api_id(&old_id).send())
        .unwrap();

    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout
            .contains("  # aws_apigatewayv2_api.example has been deleted\n"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("  # aws_apigatewayv2_route.example has been deleted\n"),
        "{}",
        plan.stdout
    );
    assert_eq!(plan.summary(), "Plan: 2 to add, 0 to change, 0 to destroy.");
    workspace.converge();
    let apis = aws.apis();
    assert_eq!(apis.len(), 1);
    assert_ne!(apis[0].id, old_id);
    assert_eq!(apis[0].route_keys, ["$default"]);
}

#[test]
fn refresh_only_records_drift_without_changing_aws() {
    let workspace = Workspace::new("seed-http-api");
    let (api_id, route_id) = applied_route(&workspace);
    let aws = workspace.aws();
    retarget_behind_our_back(&workspace, &api_id, &route_id);

    let plan = workspace
        .run(&["plan", "DIR", "--refresh-only", "--detailed-exitcode"])
        .expect_code(2);
    assert!(
        plan.stdout.contains(
            "      ~ target             = \"integrations/abc1234\" -> \"integrations/zzz9999\"\n"
        ),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .ends_with("without changing any remote objects.\n"),
        "{}",
        plan.stdout
    );
    workspace
        .run(&["apply", "DIR", "--refresh-only", "--auto-approve"])
        .expect_code(0);
    // AWS kept the out-of-band value, the state now has it, and a refresh-only plan is empty.
    let route = aws
        .block_on(
            aws.client()
                .get_route()
                .api_id(&api_id)
                .route_id(&route_id)
                .send(),
        )
        .unwrap();
    assert_eq!(route.target(), Some("integrations/zzz9999"));
    let again = workspace
        .run(&["plan", "DIR", "--refresh-only", "--detailed-exitcode"])
        .expect_code(0);
    assert!(
        again
            .stdout
            .starts_with("No changes. Your infrastructure still matches the configuration."),
        "{}",
        again.stdout
    );
    // The configuration still says abc1234, so a normal plan sets it back, with no drift left to report.
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        !plan
            .stdout
            .contains("Objects have changed outside of gateform"),
        "{}",
        plan.stdout
    );
    assert_eq!(plan.summary(), "Plan: 0 to add, 1 to change, 0 to destroy.");
}

#[test]
fn refresh_false_plans_from_the_state_file_alone() {
    let workspace = Workspace::new("seed-http-api");
    let (api_id, _) = applied_route(&workspace);
    let aws = workspace.aws();
    aws.block_on(aws.client().delete_api().api_id(&api_id).send())
        .unwrap();
    let plan = workspace
        .run_offline(&["plan", "DIR", "--refresh=false", "--detailed-exitcode"])
        .expect_code(0);
    assert_eq!(
        plan.stdout,
        "No changes. Your infrastructure matches the configuration.\n\n\
         gateform has compared your configuration with the state file, without reading AWS (--refresh=false), \
         and found no differences, so no changes are needed.\n"
    );
}

#[test]
fn refreshing_an_api_with_500_routes_and_500_integrations_takes_three_list_calls() {
    let workspace = Workspace::new("seed-http-api");
    let resources: String = (0..500)
        .map(|n| {
            format!(
                "resource \"aws_apigatewayv2_integration\" \"i{n}\" {{
  api_id             = aws_apigatewayv2_api.example.id
  integration_type   = \"HTTP_PROXY\"
  integration_method = \"GET\"
  integration_uri    = \"https://example.com/{n}\"
}}

resource \"aws_apigatewayv2_route\" \"r{n}\" {{
  api_id    = aws_apigatewayv2_api.example.id
  route_key = \"GET /r{n}\"
  target    = \"integrations/${{aws_apigatewayv2_integration.i{n}.id}}\"
}}
"
            )
        })
        .collect();
    workspace.write("routes.hcl", &resources);
    workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    let plan = workspace
        .run(&["plan", "DIR", "--verbose", "--detailed-exitcode"])
        .expect_code(0);
    assert_eq!(
        plan.verbose_report(),
        "gateform made 3 AWS call(s): GetApis ×1, GetIntegrations ×1, GetRoutes ×1.\n0 of them were retries; AWS turned 0 away (throttled or busy); waiting for the rate limit (no rate limit) took …s.\n"
    );
}

/// Drift of an argument made from a sensitive value shows that it changed, never what it is.
#[test]
fn drift_of_a_sensitive_argument_shows_no_value() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "route.hcl",
        "
variable \"target\" {
  type      = string
  sensitive = true
  default   = \"integrations/abc1234\"
}

resource \"aws_apigatewayv2_route\" \"example\" {
  api_id    = aws_apigatewayv2_api.example.id
  route_key = \"GET /pets\"
  target    = var.target
}
",
    );
    workspace.converge();
    let (api_id, route_id) = route_ids(&workspace);
    retarget_behind_our_back(&workspace, &api_id, &route_id);
    for format in ["text", "markdown"] {
        let plan = workspace
            .run(&["plan", "DIR", "--format", format])
            .expect_code(0);
        for secret in ["abc1234", "zzz9999"] {
            assert!(
                !plan.stdout.contains(secret),
                "{format} shows `{secret}`:\n{}",
                plan.stdout
            );
        }
    }
    // As in Terraform's JSON plan, values are there for tools, marked sensitive.
    let json = workspace
        .run(&["plan", "DIR", "--format", "json"])
        .expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let drifted = &json["resource_drift"][0]["change"];
    assert_eq!(
        drifted["before_sensitive"],
        serde_json::json!({ "target": true })
    );
    assert_eq!(
        drifted["after_sensitive"],
        serde_json::json!({ "target": true })
    );
    let planned = &json["planned_values"]["root_module"]["resources"][1];
    assert_eq!(planned["address"], "aws_apigatewayv2_route.example");
    assert_eq!(
        planned["sensitive_values"],
        serde_json::json!({ "target": true })
    );
    let text = workspace.run(&["plan", "DIR"]).expect_code(0);
    let drift = text.stdout.split("Unless you have made").next().unwrap();
    assert!(
        drift.contains("      ~ target             = (sensitive value)\n"),
        "{drift}"
    );
}

/// The new kinds' drift: what someone changed or deleted with the SDK is shown as changed
/// outside gateform, and the next apply sets it back.
#[test]
fn issue_10_new_kinds_changed_behind_our_back_are_drift_and_set_back() {
    let domain = Workspace::new("docs-custom-domain");
    domain.converge();
    let aws = domain.aws();
    let mapping_id = domain.state_id("aws_apigatewayv2_api_mapping.example");
    aws.block_on(
        aws.client()
            .delete_api_mapping()
            .domain_name("http-api.example.com")
            .api_mapping_id(&mapping_id)
            .send(),
    )
    .unwrap();
    let plan = domain.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout
            .contains("  # aws_apigatewayv2_api_mapping.example has been deleted\n"),
        "{}",
        plan.stdout
    );
    assert_eq!(plan.summary(), "Plan: 1 to add, 0 to change, 0 to destroy.");
    domain.converge();

    let link = Workspace::new("docs-vpc-link");
    link.converge();
    let aws = link.aws();
    let link_id = link.state_id("aws_apigatewayv2_vpc_link.example");
    aws.block_on(
        aws.client()
            .update_vpc_link()
            .vpc_link_id(&link_id)
            .name("renamed-elsewhere")
            .send(),
    )
    .unwrap();
    let plan = link.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout
            .contains("      ~ name               = \"example\" -> \"renamed-elsewhere\"\n"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("      ~ name               = \"renamed-elsewhere\" -> \"example\"\n"),
        "{}",
        plan.stdout
    );
    link.converge();

    let responses = Workspace::new("docs-websocket-responses");
    responses.converge();
    let aws = responses.aws();
    let values = responses.state_values("aws_apigatewayv2_integration_response.example");
    aws.block_on(
        aws.client()
            .update_integration_response()
            .api_id(values["api_id"].as_str().unwrap())
            .integration_id(values["integration_id"].as_str().unwrap())
            .integration_response_id(values["id"].as_str().unwrap())
            .template_selection_expression("$request.body.kind")
            .send(),
    )
    .unwrap();
    let plan = responses.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout
            .contains("      + template_selection_expression = \"$request.body.kind\"\n"),
        "{}",
        plan.stdout
    );
    assert_eq!(plan.summary(), "Plan: 0 to add, 1 to change, 0 to destroy.");
    responses.converge();
}
