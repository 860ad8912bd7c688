//! Import: objects made outside gateform, brought under its management.

use crate::harness::Workspace;

/// Makes the objects of `fixtures/import-orders-api` with the AWS SDK; returns the api id, the
/// integration id and the route ids by route key.
fn make_orders_api_with_the_sdk(workspace: &Workspace) -> (String, String, Vec<(String, String)>) {
    let aws = workspace.aws();
    let client = aws.client();
    aws.block_on(async {
        let api = client
            .create_api()
            .name("orders-api")
            .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
            .description("Made with the AWS SDK")
            .tags("Team", "payments")
            .send()
            .await
            .unwrap();
        let api_id = api.api_id().unwrap().to_owned();
        let integration = client
            .create_integration()
            .api_id(&api_id)
            .integration_type(aws_sdk_apigatewayv2::types::IntegrationType::HttpProxy)
            .integration_method("ANY")
            .integration_uri("https://backend.example.com/{proxy}")
            .send()
            .await
            .unwrap();
        let integration_id = integration.integration_id().unwrap().to_owned();
        let mut routes = Vec::new();
        for (route_key, operation_name) in [
            ("GET /orders", None),
            ("POST /orders", None),
            ("GET /orders/{id}", Some("getOrder")),
        ] {
            let route = client
                .create_route()
                .api_id(&api_id)
                .route_key(route_key)
                .set_operation_name(operation_name.map(str::to_owned))
                .target(format!("integrations/{integration_id}"))
                .send()
                .await
                .unwrap();
            routes.push((route_key.to_owned(), route.route_id().unwrap().to_owned()));
        }
        (api_id, integration_id, routes)
    })
}

#[test]
fn an_api_made_with_the_sdk_imports_and_then_plans_empty() {
    let workspace = Workspace::new("import-orders-api");
    let (api_id, integration_id, routes) = make_orders_api_with_the_sdk(&workspace);
    let route_id = |key: &str| {
        routes
            .iter()
            .find(|(route_key, _)| route_key == key)
            .unwrap()
            .1
            .clone()
    };
    for (address, id) in [
        ("aws_apigatewayv2_api.orders", api_id.clone()),
        (
            "aws_apigatewayv2_integration.backend",
            format!("{api_id}/{integration_id}"),
        ),
        (
            "aws_apigatewayv2_route.list",
            format!("{api_id}/{}", route_id("GET /orders")),
        ),
        (
            "aws_apigatewayv2_route.create",
            format!("{api_id}/{}", route_id("POST /orders")),
        ),
        (
            "aws_apigatewayv2_route.get",
            format!("{api_id}/{}", route_id("GET /orders/{id}")),
        ),
    ] {
        let run = workspace
            .run(&["import", address, &id, "DIR"])
            .expect_code(0);
        assert!(
            run.stdout.starts_with("Import successful!"),
            "{}",
            run.stdout
        );
        assert_eq!(
            run.stderr,
            format!(
                "{address}: Importing from ID \"{id}\"...\n{address}: Import prepared! [id={}]\n",
                id.rsplit('/').next().unwrap()
            )
        );
    }
    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
    assert!(plan.stdout.starts_with("No changes."), "{}", plan.stdout);
    // The derived attributes are there too.
    let api = workspace.state_values("aws_apigatewayv2_api.orders");
    assert_eq!(
        api["execution_arn"],
        format!(
            "arn:aws:execute-api:eu-west-1:{}:{api_id}",
            workspace.account
        )
    );
}

#[test]
fn import_says_what_is_wrong() {
    let workspace = Workspace::new("import-orders-api");
    let (api_id, _, _) = make_orders_api_with_the_sdk(&workspace);
    let error = |args: &[&str]| workspace.run(args).expect_code(1).stderr;
    assert_eq!(
        error(&["import", "aws_apigatewayv2_route.list", &api_id, "DIR"]),
        format!(
            "error: invalid import id `{api_id}` for `aws_apigatewayv2_route`: expected `API_ID/ROUTE_ID`, such as `aabbccddee/1122334`\n"
        )
    );
    assert_eq!(
        error(&["import", "aws_apigatewayv2_api.other", &api_id, "DIR"]),
        "error: `aws_apigatewayv2_api.other` is not in the configuration: add a `resource \"aws_apigatewayv2_api\" \"other\" { ... }` block first, then import into it\n"
    );
    assert_eq!(
        error(&["import", "aws_apigatewayv2_api.orders", "nosuchapi", "DIR"]),
        "aws_apigatewayv2_api.orders: Importing from ID \"nosuchapi\"...\n\
         error: there is no aws_apigatewayv2_api with id `nosuchapi` in eu-west-1 (an object in another region is imported as `ID@REGION`)\n"
    );
    assert_eq!(
        error(&[
            "import",
            "aws_apigatewayv2_route.list",
            "nosuchapi/abc",
            "DIR"
        ]),
        "aws_apigatewayv2_route.list: Importing from ID \"nosuchapi/abc\"...\n\
         error: there is no aws_apigatewayv2_route with id `abc` in api `nosuchapi` in eu-west-1 (an object in another region is imported as `ID@REGION`)\n"
    );
    workspace
        .run(&["import", "aws_apigatewayv2_api.orders", &api_id, "DIR"])
        .expect_code(0);
    assert_eq!(
        error(&["import", "aws_apigatewayv2_api.orders", &api_id, "DIR"]),
        format!(
            "error: `aws_apigatewayv2_api.orders` is already managed by gateform (id `{api_id}`): each object is imported once\n"
        )
    );
}

#[test]
fn a_model_made_with_the_sdk_imports_through_a_single_get_where_the_list_call_is_missing() {
    let workspace = Workspace::new("websocket-models");
    workspace.write(
        "main.hcl",
        &std::fs::read_to_string(workspace.file("main.hcl"))
            .unwrap()
            .replace("\"A chat message\"", "\"Imported\""),
    );
    let aws = workspace.aws();
    let (api_id, model_id) = aws.block_on(async {
        let client = aws.client();
        let api = client
            .create_api()
            .name("chat")
            .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Websocket)
            .route_selection_expression("$request.body.action")
            .send()
            .await
            .unwrap();
        let api_id = api.api_id().unwrap().to_owned();
        let schema = r#"{"$schema": "http://json-schema.org/draft-04/schema#", "title": "Message", "type": "object", "properties": {"text": {"type": "string"}}}"#;
        let model = client
            .create_model()
            .api_id(&api_id)
            .name("Message")
            .content_type("application/json")
            .description("Imported")
            .schema(schema)
            .send()
            .await
            .unwrap();
        (api_id, model.model_id().unwrap().to_owned())
    });
    workspace
        .run(&["import", "aws_apigatewayv2_api.chat", &api_id, "DIR"])
        .expect_code(0);
    workspace
        .run(&[
            "import",
            "aws_apigatewayv2_model.message",
            &format!("{api_id}/{model_id}"),
            "DIR",
        ])
        .expect_code(0);
    // Only the route is left to create.
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert_eq!(plan.summary(), "Plan: 1 to add, 0 to change, 0 to destroy.");
    assert!(
        plan.stdout
            .contains("# aws_apigatewayv2_route.send will be created"),
        "{}",
        plan.stdout
    );
}

/// An `import` block: the plan says the object will be imported, apply records it, and the
/// object in AWS is the same one.
#[test]
fn an_import_block_brings_an_object_in_when_applied() {
    let workspace = Workspace::new("seed-http-api");
    let aws = workspace.aws();
    let id = aws.create_http_api("example-http-api");
    workspace.write(
        "import.hcl",
        &format!("import {{\n  to = aws_apigatewayv2_api.example\n  id = \"{id}\"\n}}\n"),
    );
    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert!(
        plan.stdout.contains(&format!(
            "  # aws_apigatewayv2_api.example will be imported\n    resource \"aws_apigatewayv2_api\" \"example\" {{\n        id                           = \"{id}\"\n"
        )),
        "{}",
        plan.stdout
    );
    assert_eq!(
        plan.summary(),
        "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."
    );
    let json = workspace
        .run(&["plan", "DIR", "--format", "json"])
        .expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        json["resource_changes"][0]["change"]["importing"],
        serde_json::json!({"id": id})
    );
    workspace.converge();
    assert_eq!(
        workspace.state_values("aws_apigatewayv2_api.example")["id"],
        id
    );
    assert_eq!(aws.apis().len(), 1);
}

/// Data sources read apis managed elsewhere: one by id, several by tags.
#[test]
fn data_sources_read_apis_managed_elsewhere() {
    let workspace = Workspace::empty("data");
    let aws = workspace.aws();
    let created = aws
        .block_on(
            aws.client()
                .create_api()
                .name("shared")
                .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
                .tags("Team", "platform")
                .send(),
        )
        .unwrap();
    let id = created.api_id().unwrap().to_owned();
    workspace.write(
        "main.hcl",
        &format!(
            r#"data "aws_apigatewayv2_api" "shared" {{
  api_id = "{id}"
}}

data "aws_apigatewayv2_apis" "platform" {{
  tags = {{ Team = "platform" }}
}}

resource "aws_apigatewayv2_route" "extra" {{
  api_id    = one(data.aws_apigatewayv2_apis.platform.ids)
  route_key = "GET /${{data.aws_apigatewayv2_api.shared.name}}"
}}
"#
        ),
    );
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        plan.stdout
            .contains(&format!("      + api_id             = \"{id}\"\n")),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("      + route_key          = \"GET /shared\"\n")
    );
    workspace.converge();
    assert_eq!(aws.apis()[0].route_keys, ["GET /shared"]);

    workspace.edit("main.hcl", &format!("\"{id}\""), "\"missing123\"");
    let missing = workspace.run(&["plan", "DIR"]).expect_code(1);
    assert_eq!(
        missing.stderr,
        "error: `data.aws_apigatewayv2_api.shared` found no api with id `missing123` in eu-west-1\n"
    );
}

/// An import block whose `to` names no resource of the configuration is refused by `validate`,
/// before the state or AWS is touched.
#[test]
fn issue_10_an_import_to_an_undeclared_resource_fails_validate() {
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "import.hcl",
        "import {\n  to = aws_apigatewayv2_api.missing\n  id = \"aabbccddee\"\n}\n",
    );
    let validate = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    assert!(
        validate.stderr.starts_with(
            "error: the import target `aws_apigatewayv2_api.missing` is not in the configuration\n"
        ),
        "{}",
        validate.stderr
    );
    assert!(
        validate.stderr.contains(
            "hint: declare it with `resource \"aws_apigatewayv2_api\" \"missing\" { ... }`, fix the `to` address, or let `gateform plan --generate-config-out=FILE` write the block\n"
        ),
        "{}",
        validate.stderr
    );
    assert!(!workspace.state_path().exists());
}
