//! Plan and apply against moto: what a user sees, and what ends up in AWS.

use crate::harness::{Workspace, bytes};

const ROUTE_BLOCK: &str = "
resource \"aws_apigatewayv2_route\" \"example\" {
  api_id    = aws_apigatewayv2_api.example.id
  route_key = \"$default\"
}
";

/// The foundation issue's walk-through: create, rename, replace, remove a route, destroy.
#[test]
fn websocket_api_with_default_route_from_create_to_destroy() {
    let workspace = Workspace::new("seed-route-basic");
    let aws = workspace.aws();

    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert_eq!(plan.summary(), "Plan: 2 to add, 0 to change, 0 to destroy.");
    let apply = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    assert_eq!(
        apply.summary(),
        "Apply complete! Resources: 2 added, 0 changed, 0 destroyed."
    );
    let apis = aws.apis();
    assert_eq!(apis.len(), 1);
    assert_eq!(
        (apis[0].name.as_str(), apis[0].protocol_type.as_str()),
        ("example-websocket-api", "WEBSOCKET")
    );
    assert_eq!(apis[0].route_keys, ["$default"]);
    let first_id = apis[0].id.clone();
    let route_id = aws
        .block_on(aws.client().get_routes().api_id(&first_id).send())
        .unwrap()
        .items()[0]
        .route_id()
        .unwrap()
        .to_owned();
    let no_changes = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
    assert!(
        no_changes
            .stdout
            .starts_with("No changes. Your infrastructure matches the configuration.")
    );

    // Renaming updates in place and keeps the id.
    workspace.edit("main.hcl", "\"example-websocket-api\"", "\"renamed-api\"");
    let rename = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    insta::assert_snapshot!(
        "rename",
        workspace.redact(&rename.stdout, &[(&first_id, "API_ID")])
    );
    workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    let apis = aws.apis();
    assert_eq!(
        (apis.len(), apis[0].id.as_str(), apis[0].name.as_str()),
        (1, first_id.as_str(), "renamed-api")
    );
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);

    // Switching the protocol replaces the api and, through api_id, its route.
    workspace.edit("main.hcl", "\"WEBSOCKET\"", "\"HTTP\"");
    workspace.edit(
        "main.hcl",
        "  route_selection_expression = \"$request.body.action\"\n",
        "",
    );
    let replace = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert_eq!(
        replace.summary(),
        "Plan: 2 to add, 0 to change, 2 to destroy."
    );
    insta::assert_snapshot!(
        "replace",
        workspace.redact(
            &replace.stdout,
            &[(&first_id, "API_ID"), (&route_id, "ROUTE_ID")]
        )
    );
    let apply = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    for line in [
        format!("aws_apigatewayv2_route.example: Destroying... [id={route_id}]"),
        "aws_apigatewayv2_route.example: Destruction complete after ".to_owned(),
        "aws_apigatewayv2_api.example: Creating...".to_owned(),
    ] {
        assert!(
            apply.stderr.contains(&line),
            "`{line}` is missing:\n{}",
            apply.stderr
        );
    }
    let destroyed_route = apply
        .stderr
        .find("aws_apigatewayv2_route.example: Destroying...")
        .unwrap();
    let destroyed_api = apply
        .stderr
        .find("aws_apigatewayv2_api.example: Destroying...")
        .unwrap();
    assert!(
        destroyed_route < destroyed_api,
        "the route goes before its api:\n{}",
        apply.stderr
    );
    let apis = aws.apis();
    assert_eq!(apis.len(), 1);
    assert_ne!(apis[0].id, first_id);
    assert_eq!(
        (
            apis[0].protocol_type.as_str(),
            apis[0].route_keys.as_slice()
        ),
        ("HTTP", &["$default".to_owned()][..])
    );
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);

    // Deleting the route block destroys the route only.
    workspace.edit("main.hcl", ROUTE_BLOCK, "");
    let remove = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert_eq!(
        remove.summary(),
        "Plan: 0 to add, 0 to change, 1 to destroy."
    );
    assert!(
        remove
            .stdout
            .contains("  # (because aws_apigatewayv2_route.example is not in configuration)\n")
    );
    workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    assert_eq!(aws.apis()[0].route_keys, Vec::<String>::new());

    // Destroy leaves nothing in AWS and nothing in the state.
    let destroy = workspace
        .run(&["destroy", "DIR", "--auto-approve"])
        .expect_code(0);
    assert_eq!(
        destroy.summary(),
        "Destroy complete! Resources: 1 destroyed."
    );
    assert_eq!(aws.apis(), vec![]);
    let again = workspace
        .run(&["destroy", "DIR", "--auto-approve"])
        .expect_code(0);
    assert!(
        again
            .stdout
            .starts_with("No changes. No objects need to be destroyed."),
        "{}",
        again.stdout
    );
}

#[test]
fn misspelled_attribute_leaves_the_state_byte_for_byte_unchanged() {
    let workspace = Workspace::new("seed-route-basic");
    workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    let before = bytes(&workspace.state_path()).expect("the state file");
    let apis = workspace.aws().apis();

    workspace.write("zz-more.hcl", "resource \"aws_apigatewayv2_route\" \"more\" {\n  api_id   = aws_apigatewayv2_api.example.id\n  rout_key = \"$connect\"\n}\n");
    for args in [
        &["plan", "DIR"][..],
        &["apply", "DIR", "--auto-approve"][..],
    ] {
        let run = workspace.run(args).expect_code(1);
        assert!(run.stderr.contains("zz-more.hcl:3:3"), "{}", run.stderr);
        assert!(
            run.stderr.contains("unknown attribute `rout_key`"),
            "{}",
            run.stderr
        );
        assert_eq!(
            bytes(&workspace.state_path()).as_ref(),
            Some(&before),
            "{args:?} changed the state file"
        );
    }
    assert_eq!(workspace.aws().apis(), apis);
}

#[test]
fn every_argument_round_trips_through_update_and_removal() {
    let workspace = Workspace::new("http-every-argument");
    let aws = workspace.aws();
    workspace.converge();
    let id = aws.apis()[0].id.clone();
    let api = aws
        .block_on(aws.client().get_api().api_id(&id).send())
        .unwrap();
    assert_eq!(api.description(), Some("Every argument of an HTTP api"));
    assert_eq!(api.cors_configuration().unwrap().max_age(), Some(300));
    assert_eq!(
        api.tags().unwrap().get("Team").map(String::as_str),
        Some("platform")
    );

    // Change some arguments, add one and remove others: one in-place update each.
    workspace.edit(
        "main.hcl",
        "max_age           = 300",
        "max_age           = 600",
    );
    workspace.edit(
        "main.hcl",
        "    Team        = \"platform\"\n",
        "    Owner       = \"apis\"\n",
    );
    workspace.edit(
        "main.hcl",
        "  version                      = \"2024-01-01\"\n",
        "",
    );
    workspace.edit(
        "main.hcl",
        "route_key            = \"ANY /example/{proxy+}\"",
        "route_key            = \"ANY /v2/{proxy+}\"",
    );
    workspace.edit("main.hcl", "  authorizer_id        = \"abc123\"\n", "");
    let update = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert_eq!(
        update.summary(),
        "Plan: 0 to add, 2 to change, 0 to destroy."
    );
    let route_id = aws
        .block_on(aws.client().get_routes().api_id(&id).send())
        .unwrap()
        .items()[0]
        .route_id()
        .unwrap()
        .to_owned();
    insta::assert_snapshot!(
        "update",
        workspace.redact(&update.stdout, &[(&id, "API_ID"), (&route_id, "ROUTE_ID")])
    );
    workspace.converge();
    let api = aws
        .block_on(aws.client().get_api().api_id(&id).send())
        .unwrap();
    assert_eq!(api.cors_configuration().unwrap().max_age(), Some(600));
    let tags = api.tags().unwrap();
    assert_eq!(
        (
            tags.get("Owner").map(String::as_str),
            tags.contains_key("Team")
        ),
        (Some("apis"), false)
    );
    assert_eq!(aws.apis()[0].route_keys, ["ANY /v2/{proxy+}"]);

    // Remove the cors block: DeleteCorsConfiguration.
    let text = std::fs::read_to_string(workspace.file("main.hcl")).unwrap();
    let start = text.find("  cors_configuration {").unwrap();
    let end = start + text[start..].find("  }\n").unwrap() + 4;
    workspace.write("main.hcl", &format!("{}{}", &text[..start], &text[end..]));
    let remove = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    insta::assert_snapshot!(
        "remove_cors",
        workspace.redact(&remove.stdout, &[(&id, "API_ID")])
    );
    workspace.converge();
    let api = aws
        .block_on(aws.client().get_api().api_id(&id).send())
        .unwrap();
    assert_eq!(api.cors_configuration(), None);
}

#[test]
fn the_seed_http_proxy_example_applies_as_written() {
    let workspace = Workspace::new("seed-http-proxy");
    let apply = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    assert_eq!(
        apply.summary(),
        "Apply complete! Resources: 3 added, 0 changed, 0 destroyed."
    );
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
    let aws = workspace.aws();
    let api = &aws.apis()[0];
    let integrations = aws
        .block_on(aws.client().get_integrations().api_id(&api.id).send())
        .unwrap();
    let integration = &integrations.items()[0];
    assert_eq!(
        integration.integration_uri(),
        Some("https://example.com/{proxy}")
    );
    let routes = aws
        .block_on(aws.client().get_routes().api_id(&api.id).send())
        .unwrap();
    let expected_target = format!("integrations/{}", integration.integration_id().unwrap());
    assert_eq!(routes.items()[0].target(), Some(expected_target.as_str()));
}

#[test]
fn every_integration_argument_round_trips() {
    let workspace = Workspace::new("integration-every-argument");
    workspace.converge();
    let mut text = std::fs::read_to_string(workspace.file("main.hcl")).unwrap();
    for (from, to) in [
        ("  description            = \"Pets backend\"\n", ""),
        (
            "  credentials_arn        = \"arn:aws:iam::123456789012:role/api-gateway\"\n",
            "",
        ),
        (
            "timeout_milliseconds   = 12000",
            "timeout_milliseconds   = 15000",
        ),
        (
            "  request_parameters = {\n    \"append:header.x-source\" = \"gateway\"\n  }\n\n",
            "",
        ),
        (
            "  tls_config {\n    server_name_to_verify = \"example.com\"\n  }\n",
            "",
        ),
        (
            "  response_parameters {\n    status_code = \"500\"\n    mappings = {\n      \"overwrite:header.x-error\" = \"upstream\"\n    }\n  }\n\n",
            "",
        ),
        (
            "passthrough_behavior          = \"WHEN_NO_TEMPLATES\"",
            "passthrough_behavior          = \"NEVER\"",
        ),
    ] {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    workspace.write("main.hcl", &text);
    let update = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert_eq!(
        update.summary(),
        "Plan: 0 to add, 2 to change, 0 to destroy."
    );
    let aws = workspace.aws();
    let mut redactions = Vec::new();
    for api in aws.apis() {
        let integrations = aws
            .block_on(aws.client().get_integrations().api_id(&api.id).send())
            .unwrap();
        for integration in integrations.items() {
            redactions.push((
                integration.integration_id().unwrap().to_owned(),
                format!("{}_INTEGRATION_ID", api.name),
            ));
        }
        redactions.push((api.id.clone(), format!("{}_ID", api.name)));
    }
    let redactions: Vec<(&str, &str)> = redactions
        .iter()
        .map(|(id, name)| (id.as_str(), name.as_str()))
        .collect();
    insta::assert_snapshot!(
        "integration_update",
        workspace.redact(&update.stdout, &redactions)
    );
    workspace.converge();
    let api = aws
        .apis()
        .into_iter()
        .find(|api| api.name == "http-api")
        .unwrap();
    let integrations = aws
        .block_on(aws.client().get_integrations().api_id(&api.id).send())
        .unwrap();
    assert_eq!(integrations.items()[0].timeout_in_millis(), Some(15000));
}

#[test]
fn a_failed_call_keeps_what_was_done_before_it() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "route.hcl",
        "resource \"aws_apigatewayv2_route\" \"orphan\" {\n  api_id    = \"doesnotexist\"\n  route_key = \"GET /orphan\"\n}\n",
    );
    let apply = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(1);
    assert!(
        apply.stderr.contains("made and recorded in the state\n  - CreateRoute for `aws_apigatewayv2_route.orphan` failed: NotFoundException"),
        "{}",
        apply.stderr
    );
    assert_eq!(workspace.aws().apis().len(), 1);
    // The api is in the state: the next plan creates only the route.
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert_eq!(plan.summary(), "Plan: 1 to add, 0 to change, 0 to destroy.");
    assert!(
        plan.stdout
            .contains("# aws_apigatewayv2_route.orphan will be created")
    );
}

#[test]
fn apply_asks_and_only_yes_approves() {
    let workspace = Workspace::new("seed-http-api");
    for (answer, code) in [("no\n", 1), ("yes\n", 0)] {
        let mut apply = workspace.spawn(&["apply", "DIR"]);
        apply.wait_for("Only 'yes' will be accepted to approve.");
        apply.answer(answer);
        let run = apply.finish().expect_code(code);
        if code == 1 {
            assert!(
                run.stderr.ends_with("error: Apply cancelled.\n"),
                "{}",
                run.stderr
            );
            assert_eq!(workspace.aws().apis(), vec![]);
        }
    }
    assert_eq!(workspace.aws().apis().len(), 1);
}
#[test]
fn the_provider_block_sets_the_region() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "provider.tf",
        "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n",
    );
    let output = workspace
        .aws_command(&["apply", "seed-http-api", "--auto-approve"])
        .env("AWS_REGION", "us-gov-west-1")
        .output()
        .unwrap();
    crate::harness::Run::from(output).expect_code(0);
    assert_eq!(workspace.aws().apis().len(), 1);
}

#[test]
fn without_any_region_apply_says_how_to_set_one() {
    let workspace = Workspace::new("seed-http-api");
    let output = workspace
        .aws_command(&["apply", "seed-http-api", "--auto-approve"])
        .env_remove("AWS_REGION")
        .output()
        .unwrap();
    let run = crate::harness::Run::from(output).expect_code(1);
    assert!(
        run.stderr.ends_with("error: no AWS region is configured: set `region` in `provider \"aws\"`, or AWS_REGION\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn without_credentials_apply_fails_before_asking() {
    let workspace = Workspace::new("seed-http-api");
    let output = workspace
        .command(&["apply", "seed-http-api"])
        .env("AWS_ENDPOINT_URL", &crate::harness::moto().endpoint)
        .output()
        .unwrap();
    let run = crate::harness::Run::from(output).expect_code(1);
    assert_eq!(
        run.stderr,
        "error: no usable AWS credentials (the credential provider was not enabled: no providers in chain provided credentials): \
         gateform uses the standard chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO or instance metadata\n"
    );
}

#[test]
fn show_json_lists_every_resource_with_all_its_values() {
    let workspace = Workspace::new("seed-http-proxy");
    workspace.converge();
    let show = workspace
        .run_offline(&["show", "DIR", "--json"])
        .expect_code(0);
    let document: serde_json::Value =
        serde_json::from_str(&show.stdout).expect("show --json prints JSON");
    assert_eq!(document["format_version"], "1.0");
    let resources = document["values"]["root_module"]["resources"]
        .as_array()
        .unwrap();
    let addresses: Vec<&str> = resources
        .iter()
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    assert_eq!(
        addresses,
        [
            "aws_apigatewayv2_api.example",
            "aws_apigatewayv2_integration.example",
            "aws_apigatewayv2_route.example"
        ]
    );
    let api = &resources[0];
    assert_eq!(
        (
            api["mode"].as_str(),
            api["type"].as_str(),
            api["name"].as_str()
        ),
        (
            Some("managed"),
            Some("aws_apigatewayv2_api"),
            Some("example")
        )
    );
    // Every argument and attribute is there: null when unset, blocks as lists, maps as objects.
    let schema_names = [
        "api_endpoint",
        "api_key_selection_expression",
        "arn",
        "body",
        "cors_configuration",
        "credentials_arn",
        "description",
        "disable_execute_api_endpoint",
        "execution_arn",
        "fail_on_warnings",
        "id",
        "ip_address_type",
        "name",
        "protocol_type",
        "region",
        "route_key",
        "route_selection_expression",
        "tags",
        "tags_all",
        "target",
        "version",
    ];
    let names: Vec<&str> = api["values"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(names, schema_names);
    assert_eq!(api["values"]["description"], serde_json::Value::Null);
    assert_eq!(api["values"]["cors_configuration"], serde_json::json!([]));
    let route = &resources[2];
    assert_eq!(
        route["depends_on"],
        serde_json::json!([
            "aws_apigatewayv2_api.example",
            "aws_apigatewayv2_integration.example"
        ])
    );
    let integration_id = resources[1]["values"]["id"].as_str().unwrap();
    assert_eq!(
        route["values"]["target"],
        format!("integrations/{integration_id}")
    );

    let text = workspace.run_offline(&["show", "DIR"]).expect_code(0);
    assert!(
        text.stdout.starts_with(
            "# aws_apigatewayv2_api.example:\nresource \"aws_apigatewayv2_api\" \"example\" {\n"
        ),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("    route_key          = \"ANY /example/{proxy+}\"\n"),
        "{}",
        text.stdout
    );
}

#[test]
fn models_round_trip_and_equivalent_json_is_no_change() {
    let workspace = Workspace::new("websocket-models");
    workspace.converge();
    // The same document, laid out differently and with its keys in another order: no change.
    workspace.edit(
        "main.hcl",
        "  \"title\": \"Message\",\n  \"type\": \"object\",",
        "  \"type\":    \"object\",\n  \"title\": \"Message\",",
    );
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
    workspace.edit("main.hcl", "\"A chat message\"", "\"A message in a chat\"");
    let update = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    insta::assert_snapshot!("model_update", workspace.redact_state_ids(&update.stdout));
    assert!(
        update
            .stdout
            .contains("      ~ description  = \"A chat message\" -> \"A message in a chat\"\n"),
        "{}",
        update.stdout
    );
    workspace.converge();
    workspace.edit("main.hcl", "  description  = \"A message in a chat\"\n", "");
    // content_type forces a new model.
    workspace.edit(
        "main.hcl",
        "\"application/json\"",
        "\"application/vnd.chat+json\"",
    );
    let replace = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    insta::assert_snapshot!("model_replace", workspace.redact_state_ids(&replace.stdout));
    workspace.converge();
    let aws = workspace.aws();
    let api_id = aws.apis()[0].id.clone();
    let model_id = workspace.state_id("aws_apigatewayv2_model.message");
    let model = aws
        .block_on(
            aws.client()
                .get_model()
                .api_id(&api_id)
                .model_id(&model_id)
                .send(),
        )
        .unwrap();
    assert_eq!(model.description().unwrap_or_default(), "");
}

#[test]
fn authorizers_round_trip() {
    let workspace = Workspace::new("http-authorizers");
    workspace.converge();
    for (from, to) in [
        (
            "authorizer_result_ttl_in_seconds  = 300",
            "authorizer_result_ttl_in_seconds  = 600",
        ),
        (
            "audience = [\"example-client\"]",
            "audience = [\"example-client\", \"second-client\"]",
        ),
        (
            "  authorizer_credentials_arn        = \"arn:aws:iam::123456789012:role/authorizer\"\n",
            "",
        ),
        ("  enable_simple_responses           = true\n", ""),
        (
            "authorization_scopes = [\"profile:read\"]",
            "authorization_scopes = [\"profile:read\", \"profile:write\"]",
        ),
    ] {
        workspace.edit("main.hcl", from, to);
    }
    let update = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    insta::assert_snapshot!(
        "authorizer_update",
        workspace.redact_state_ids(&update.stdout)
    );
    assert_eq!(
        update.summary(),
        "Plan: 0 to add, 3 to change, 0 to destroy."
    );
    assert!(
        update
            .stdout
            .contains("      ~ authorizer_result_ttl_in_seconds  = 300 -> 600\n"),
        "{}",
        update.stdout
    );
    assert!(
        update
            .stdout
            .contains("      ~ enable_simple_responses           = true -> false\n"),
        "{}",
        update.stdout
    );
    workspace.converge();
    let aws = workspace.aws();
    let api_id = aws.apis()[0].id.clone();
    let lambda = workspace.state_id("aws_apigatewayv2_authorizer.lambda");
    let authorizer = aws
        .block_on(
            aws.client()
                .get_authorizer()
                .api_id(&api_id)
                .authorizer_id(&lambda)
                .send(),
        )
        .unwrap();
    assert_eq!(authorizer.authorizer_result_ttl_in_seconds(), Some(600));
    assert_eq!(authorizer.enable_simple_responses(), Some(false));
}

/// As with the Terraform provider, an HTTP API's Lambda authorizer with identity sources caches
/// for 300 seconds unless the configuration says otherwise; the plan then keeps what AWS has.
#[test]
fn an_http_request_authorizer_caches_for_300_seconds_unless_told() {
    let workspace = Workspace::new("http-authorizers");
    workspace.edit(
        "main.hcl",
        "  authorizer_result_ttl_in_seconds  = 300\n",
        "",
    );
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout
            .contains("      + authorizer_result_ttl_in_seconds  = (known after apply)\n"),
        "{}",
        plan.stdout
    );
    workspace.converge();
    let values = workspace.state_values("aws_apigatewayv2_authorizer.lambda");
    assert_eq!(values["authorizer_result_ttl_in_seconds"], 300.0);
    // A JWT authorizer caches nothing: none is sent, and AWS reports none.
    let values = workspace.state_values("aws_apigatewayv2_authorizer.jwt");
    assert_eq!(
        values["authorizer_result_ttl_in_seconds"],
        serde_json::Value::Null
    );
}

#[test]
fn stages_apply_with_their_derived_urls_and_arns() {
    let workspace = Workspace::new("http-stages");
    workspace.write(
        "websocket.hcl",
        "resource \"aws_apigatewayv2_api\" \"chat\" {\n  name                       = \"chat\"\n  protocol_type              = \"WEBSOCKET\"\n  route_selection_expression = \"$request.body.action\"\n}\n\n\
         resource \"aws_apigatewayv2_stage\" \"chat\" {\n  api_id = aws_apigatewayv2_api.chat.id\n  name   = \"live\"\n}\n",
    );
    workspace.converge();
    let values = |address: &str| workspace.state_values(address);
    let (http, chat) = (
        values("aws_apigatewayv2_api.example"),
        values("aws_apigatewayv2_api.chat"),
    );
    let (http_id, chat_id) = (http["id"].as_str().unwrap(), chat["id"].as_str().unwrap());
    let account = &workspace.account;
    assert_eq!(
        values("aws_apigatewayv2_stage.default")["invoke_url"],
        format!("https://{http_id}.execute-api.eu-west-1.amazonaws.com/")
    );
    assert_eq!(
        values("aws_apigatewayv2_stage.prod")["invoke_url"],
        format!("https://{http_id}.execute-api.eu-west-1.amazonaws.com/prod")
    );
    assert_eq!(
        values("aws_apigatewayv2_stage.chat")["invoke_url"],
        format!("wss://{chat_id}.execute-api.eu-west-1.amazonaws.com/live")
    );
    assert_eq!(
        values("aws_apigatewayv2_stage.prod")["arn"],
        format!("arn:aws:apigateway:eu-west-1::/apis/{http_id}/stages/prod")
    );
    assert_eq!(
        values("aws_apigatewayv2_stage.prod")["execution_arn"],
        format!("arn:aws:execute-api:eu-west-1:{account}:{http_id}/prod")
    );
    assert_eq!(values("aws_apigatewayv2_stage.prod")["id"], "prod");
}

#[test]
fn a_removed_route_request_parameter_is_deleted_in_aws() {
    let workspace = Workspace::new("websocket-every-argument");
    workspace.converge();
    workspace.edit(
        "main.hcl",
        "\n  request_parameter {\n    request_parameter_key = \"route.request.querystring.room\"\n    required              = false\n  }\n",
        "",
    );
    let update = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    insta::assert_snapshot!(
        "route_request_parameter_update",
        workspace.redact_state_ids(&update.stdout)
    );
    assert!(update.stdout.contains("      - request_parameter {\n          - request_parameter_key = \"route.request.querystring.room\" -> null\n"), "{}", update.stdout);
    workspace.converge();
    let aws = workspace.aws();
    let api = aws
        .apis()
        .into_iter()
        .find(|api| api.name == "chat")
        .unwrap();
    let routes = aws
        .block_on(aws.client().get_routes().api_id(&api.id).send())
        .unwrap();
    let send = routes
        .items()
        .iter()
        .find(|route| route.route_key() == Some("sendmessage"))
        .unwrap();
    let keys: Vec<&String> = send.request_parameters().unwrap().keys().collect();
    assert_eq!(keys, ["route.request.header.Authorization"]);
}

/// Found while building issue 3: a replaced integration and the route that targets it formed a
/// circle of steps, and apply silently carried out none of them.
#[test]
fn issue_3_replacing_an_integration_retargets_its_route() {
    let workspace = Workspace::new("seed-http-proxy");
    workspace.converge();
    for (from, to) in [
        (
            "integration_type = \"HTTP_PROXY\"",
            "integration_type = \"AWS_PROXY\"",
        ),
        (
            "integration_method = \"ANY\"",
            "integration_method = \"POST\"",
        ),
        (
            "integration_uri    = \"https://example.com/{proxy}\"",
            "integration_uri    = \"arn:aws:lambda:eu-west-1:123456789012:function:pets\"",
        ),
    ] {
        workspace.edit("main.hcl", from, to);
    }
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert_eq!(plan.summary(), "Plan: 1 to add, 1 to change, 1 to destroy.");
    let apply = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    assert_eq!(
        apply.summary(),
        "Apply complete! Resources: 1 added, 1 changed, 1 destroyed."
    );
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
    let aws = workspace.aws();
    let api_id = aws.apis()[0].id.clone();
    let integrations = aws
        .block_on(aws.client().get_integrations().api_id(&api_id).send())
        .unwrap();
    assert_eq!(integrations.items().len(), 1);
    let routes = aws
        .block_on(aws.client().get_routes().api_id(&api_id).send())
        .unwrap();
    let expected = format!(
        "integrations/{}",
        integrations.items()[0].integration_id().unwrap()
    );
    assert_eq!(routes.items()[0].target(), Some(expected.as_str()));
}

#[test]
fn replacing_an_api_replaces_every_child() {
    let workspace = Workspace::new("http-authorizers");
    workspace.write(
        "more.hcl",
        "resource \"aws_apigatewayv2_integration\" \"backend\" {
  api_id             = aws_apigatewayv2_api.example.id
  integration_type   = \"HTTP_PROXY\"
  integration_method = \"ANY\"
  integration_uri    = \"https://backend.example.com\"
}

resource \"aws_apigatewayv2_stage\" \"prod\" {
  api_id      = aws_apigatewayv2_api.example.id
  name        = \"prod\"
  auto_deploy = true
}
",
    );
    workspace.converge();
    // credentials_arn is one of the quick-create arguments, which force a new api.
    workspace.edit(
        "main.hcl",
        "  protocol_type = \"HTTP\"\n",
        "  protocol_type   = \"HTTP\"\n  credentials_arn = \"arn:aws:iam::123456789012:role/quick\"\n",
    );
    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert_eq!(plan.summary(), "Plan: 7 to add, 0 to change, 7 to destroy.");
    insta::assert_snapshot!(
        "api_replace_with_children",
        workspace.redact_state_ids(&plan.stdout)
    );
}

/// The WebSocket api's and route's arguments: changed, then removed, each time applied and read
/// back by refresh with nothing left to plan. (moto cannot clear model_selection_expression and
/// request_models; clearing is asserted on the recorded server instead.)
#[test]
fn websocket_api_and_route_arguments_round_trip() {
    let workspace = Workspace::new("websocket-every-argument");
    workspace.converge();
    let steps: [&[(&str, &str)]; 2] = [
        &[
            (
                "  api_key_selection_expression = \"$context.authorizer.usageIdentifierKey\"\n",
                "",
            ),
            ("\"Every argument of a WebSocket api\"", "\"Changed\""),
            ("  version                      = \"1\"\n", ""),
            (
                "    Service = \"chat\"\n",
                "    Service = \"chat\"\n    Team    = \"realtime\"\n",
            ),
            ("  api_key_required                    = true\n", ""),
            ("  authorization_type                  = \"AWS_IAM\"\n", ""),
            ("  route_response_selection_expression = \"$default\"\n", ""),
            ("\"send-message\"", "\"sendMessage\""),
        ],
        &[
            ("  description                  = \"Changed\"\n", ""),
            (
                "\n  tags = {\n    Service = \"chat\"\n    Team    = \"realtime\"\n  }\n",
                "",
            ),
            (
                "  operation_name                      = \"sendMessage\"\n",
                "",
            ),
        ],
    ];
    for edits in steps {
        for (from, to) in edits {
            workspace.edit("main.hcl", from, to);
        }
        let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
        assert_eq!(plan.summary(), "Plan: 0 to add, 2 to change, 0 to destroy.");
        workspace.converge();
    }
    let aws = workspace.aws();
    let api = aws
        .apis()
        .into_iter()
        .find(|api| api.name == "chat")
        .unwrap();
    let got = aws
        .block_on(aws.client().get_api().api_id(&api.id).send())
        .unwrap();
    assert_eq!(
        got.api_key_selection_expression(),
        Some("$request.header.x-api-key")
    );
    assert_eq!(got.tags().map_or(0, |tags| tags.len()), 0);
}
