//! Paths moto cannot exercise, against the recorded-response server (see recorded.rs). Each test
//! name says "recorded".

use crate::harness::Workspace;
use crate::recorded::{CALLER_IDENTITY, RecordedServer};

/// moto ignores NextToken: AWS pages GetApis and GetRoutes, and refresh must follow every page.
#[test]
fn recorded_refresh_and_import_follow_next_token() {
    let server = RecordedServer::start(&[
        ("POST /", CALLER_IDENTITY),
        (
            "GET /v2/apis",
            r#"{"items": [{"apiId": "other1", "name": "someone-else", "protocolType": "HTTP"}], "nextToken": "apis-2"}"#,
        ),
        (
            "GET /v2/apis?nextToken=apis-2",
            r#"{"items": [{"apiId": "abc123", "name": "example-http-api", "protocolType": "HTTP",
                "apiEndpoint": "https://abc123.execute-api.eu-west-1.amazonaws.com",
                "apiKeySelectionExpression": "$request.header.x-api-key",
                "routeSelectionExpression": "$request.method $request.path",
                "disableExecuteApiEndpoint": false}]}"#,
        ),
        (
            "GET /v2/apis/abc123/routes",
            r#"{"items": [{"routeId": "r1", "routeKey": "GET /one", "apiKeyRequired": false, "authorizationType": "NONE"}],
                "nextToken": "routes-2"}"#,
        ),
        (
            "GET /v2/apis/abc123/routes?nextToken=routes-2",
            r#"{"items": [{"routeId": "r2", "routeKey": "GET /two", "apiKeyRequired": false, "authorizationType": "NONE"}]}"#,
        ),
    ]);
    let workspace = Workspace::new("seed-http-api");
    workspace.write(
        "routes.hcl",
        "resource \"aws_apigatewayv2_route\" \"one\" {\n  api_id    = aws_apigatewayv2_api.example.id\n  route_key = \"GET /one\"\n}\n\n\
         resource \"aws_apigatewayv2_route\" \"two\" {\n  api_id    = aws_apigatewayv2_api.example.id\n  route_key = \"GET /two\"\n}\n",
    );
    for (address, id) in [
        ("aws_apigatewayv2_api.example", "abc123"),
        ("aws_apigatewayv2_route.one", "abc123/r1"),
        ("aws_apigatewayv2_route.two", "abc123/r2"),
    ] {
        workspace
            .run_against(&server.endpoint, &["import", address, id, "DIR"])
            .expect_code(0);
    }
    let before = server.requests().len();
    let plan = workspace
        .run_against(
            &server.endpoint,
            &["plan", "DIR", "--verbose", "--detailed-exitcode"],
        )
        .expect_code(0);
    assert!(plan.stdout.starts_with("No changes."), "{}", plan.stdout);
    assert_eq!(
        plan.verbose_report(),
        "gateform made 4 AWS call(s): GetApis ×2, GetRoutes ×2.\n0 of them were retries; AWS turned 0 away (throttled or busy); waiting for the rate limit (no rate limit) took …s.\n"
    );
    assert_eq!(
        server.calls()[before..],
        [
            "GET /v2/apis",
            "GET /v2/apis?nextToken=apis-2",
            "GET /v2/apis/abc123/routes",
            "GET /v2/apis/abc123/routes?nextToken=routes-2",
        ]
    );
    let show = workspace
        .run_offline(&["show", "DIR", "--json"])
        .expect_code(0);
    assert!(
        show.stdout
            .contains(r#""execution_arn":"arn:aws:execute-api:eu-west-1:210987654321:abc123""#),
        "{}",
        show.stdout
    );
}

const STAGED_API: &str = r#"{"apiId": "abc123", "name": "staged-api", "protocolType": "HTTP",
    "apiEndpoint": "https://abc123.execute-api.eu-west-1.amazonaws.com",
    "apiKeySelectionExpression": "$request.header.x-api-key",
    "routeSelectionExpression": "$request.method $request.path", "disableExecuteApiEndpoint": false}"#;

const PROD_STAGE: &str = r#"{"stageName": "prod", "description": "Production", "autoDeploy": false,
    "deploymentId": "dep1",
    "accessLogSettings": {"destinationArn": "arn:aws:logs:eu-west-1:123456789012:log-group:api-access",
                          "format": "$context.requestId $context.status"},
    "defaultRouteSettings": {"detailedMetricsEnabled": true, "throttlingBurstLimit": 100, "throttlingRateLimit": 50.5},
    "routeSettings": {"GET /pets": {"detailedMetricsEnabled": false, "throttlingBurstLimit": 10, "throttlingRateLimit": 5.0}},
    "stageVariables": {"backend": "pets.example.com"},
    "tags": {"Environment": "production"}}"#;

/// moto has no UpdateStage: AWS's update path, with only the changed fields, is checked here.
#[test]
fn recorded_stage_update_sends_only_what_changed() {
    let stages = format!(r#"{{"items": [{PROD_STAGE}]}}"#);
    let server = RecordedServer::start(&[
        ("POST /", CALLER_IDENTITY),
        ("GET /v2/apis", &format!(r#"{{"items": [{STAGED_API}]}}"#)),
        ("GET /v2/apis/abc123", STAGED_API),
        ("GET /v2/apis/abc123/stages", &stages),
        ("DELETE /v2/apis/abc123/stages/prod/accesslogsettings", "{}"),
        (
            "DELETE /v2/apis/abc123/stages/prod/routesettings/GET%20%2Fpets",
            "{}",
        ),
        ("PATCH /v2/apis/abc123/stages/prod", PROD_STAGE),
    ]);
    let workspace = Workspace::new("http-stages");
    workspace
        .run_against(
            &server.endpoint,
            &["import", "aws_apigatewayv2_api.example", "abc123", "DIR"],
        )
        .expect_code(0);
    workspace
        .run_against(
            &server.endpoint,
            &[
                "import",
                "aws_apigatewayv2_stage.prod",
                "abc123/prod",
                "DIR",
            ],
        )
        .expect_code(0);
    // The configuration's prod stage matches what AWS has: no change.
    std::fs::write(workspace.file("main.hcl"), std::fs::read_to_string(workspace.file("main.hcl")).unwrap().replace(
        "resource \"aws_apigatewayv2_stage\" \"default\" {\n  api_id      = aws_apigatewayv2_api.example.id\n  name        = \"$default\"\n  auto_deploy = true\n}\n",
        "",
    )).unwrap();
    workspace
        .run_against(&server.endpoint, &["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
    workspace.edit(
        "main.hcl",
        "\"Production\"",
        "\"Production, second edition\"",
    );
    workspace.edit("main.hcl", "  access_log_settings {\n    destination_arn = \"arn:aws:logs:eu-west-1:123456789012:log-group:api-access\"\n    format          = \"$context.requestId $context.status\"\n  }\n\n", "");
    workspace.edit("main.hcl", "  route_settings {\n    route_key              = \"GET /pets\"\n    throttling_burst_limit = 10\n    throttling_rate_limit  = 5\n  }\n\n", "");
    let update = workspace
        .run_against(&server.endpoint, &["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    insta::assert_snapshot!("stage_update", update.stdout);
    let before = server.requests().len();
    let apply = workspace
        .run_against(&server.endpoint, &["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    assert_eq!(
        apply.summary(),
        "Apply complete! Resources: 0 added, 1 changed, 0 destroyed."
    );
    let sent: Vec<String> = server.requests()[before..]
        .iter()
        .map(|request| {
            format!("{} {} {}", request.method, request.target, request.body)
                .trim_end()
                .to_owned()
        })
        .collect();
    assert_eq!(
        sent,
        [
            "GET /v2/apis",
            "GET /v2/apis/abc123/stages",
            "GET /v2/apis/abc123",
            "DELETE /v2/apis/abc123/stages/prod/accesslogsettings",
            "DELETE /v2/apis/abc123/stages/prod/routesettings/GET%20%2Fpets",
            r#"PATCH /v2/apis/abc123/stages/prod {"description":"Production, second edition"}"#,
        ]
    );
}

const DEPLOYMENT_CONFIG: &str = "
resource \"aws_apigatewayv2_deployment\" \"example\" {
  api_id      = aws_apigatewayv2_api.example.id
  description = \"first\"

  triggers = {
    redeployment = \"1\"
  }
}
";

/// moto has no deployment operations at all.
#[test]
fn recorded_deployment_waits_until_deployed_and_triggers_replace_it() {
    let server = RecordedServer::start(&[
        ("POST /", CALLER_IDENTITY),
        ("GET /v2/apis", &format!(r#"{{"items": [{STAGED_API}]}}"#)),
        (
            "POST /v2/apis/abc123/deployments",
            r#"{"deploymentId": "d1", "deploymentStatus": "PENDING"}"#,
        ),
        (
            "POST /v2/apis/abc123/deployments",
            r#"{"deploymentId": "d2", "deploymentStatus": "PENDING"}"#,
        ),
        (
            "GET /v2/apis/abc123/deployments/d1",
            r#"{"deploymentId": "d1", "deploymentStatus": "PENDING"}"#,
        ),
        (
            "GET /v2/apis/abc123/deployments/d1",
            r#"{"deploymentId": "d1", "deploymentStatus": "DEPLOYED", "autoDeployed": false, "description": "first"}"#,
        ),
        // What AWS reports before and after the description is updated.
        (
            "GET /v2/apis/abc123/deployments",
            r#"{"items": [{"deploymentId": "d1", "deploymentStatus": "DEPLOYED", "autoDeployed": false, "description": "first"}]}"#,
        ),
        (
            "GET /v2/apis/abc123/deployments",
            r#"{"items": [{"deploymentId": "d1", "deploymentStatus": "DEPLOYED", "autoDeployed": false, "description": "first"}]}"#,
        ),
        (
            "GET /v2/apis/abc123/deployments",
            r#"{"items": [{"deploymentId": "d1", "deploymentStatus": "DEPLOYED", "autoDeployed": false, "description": "second"}]}"#,
        ),
        (
            "PATCH /v2/apis/abc123/deployments/d1",
            r#"{"deploymentId": "d1", "deploymentStatus": "DEPLOYED", "autoDeployed": false, "description": "second"}"#,
        ),
    ]);
    let workspace = Workspace::new("seed-http-api");
    workspace.edit("main.hcl", "\"example-http-api\"", "\"staged-api\"");
    workspace
        .run_against(
            &server.endpoint,
            &["import", "aws_apigatewayv2_api.example", "abc123", "DIR"],
        )
        .expect_code(0);
    workspace.write("deployment.hcl", DEPLOYMENT_CONFIG);
    let create = workspace
        .run_against(&server.endpoint, &["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    insta::assert_snapshot!("deployment_create", create.stdout);

    let before = server.requests().len();
    let apply = workspace
        .run_against(&server.endpoint, &["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    assert_eq!(
        apply.summary(),
        "Apply complete! Resources: 1 added, 0 changed, 0 destroyed."
    );
    assert_eq!(
        server.calls()[before..],
        [
            "GET /v2/apis",
            "POST /v2/apis/abc123/deployments",
            "GET /v2/apis/abc123/deployments/d1",
            "GET /v2/apis/abc123/deployments/d1",
        ]
    );
    workspace
        .run_against(&server.endpoint, &["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);

    // A description changes in place.
    workspace.edit("deployment.hcl", "\"first\"", "\"second\"");
    let before = server.requests().len();
    workspace
        .run_against(&server.endpoint, &["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    let patch = server.requests()[before..]
        .iter()
        .find(|request| request.method == "PATCH")
        .cloned()
        .unwrap();
    assert_eq!(
        (patch.target.as_str(), patch.body.as_str()),
        (
            "/v2/apis/abc123/deployments/d1",
            r#"{"description":"second"}"#
        )
    );

    // A changed trigger replaces the deployment.
    workspace.edit(
        "deployment.hcl",
        "redeployment = \"1\"",
        "redeployment = \"2\"",
    );
    let plan = workspace
        .run_against(&server.endpoint, &["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert!(
        plan.stdout
            .contains("-/+ resource \"aws_apigatewayv2_deployment\" \"example\" {"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("          ~ \"redeployment\" = \"1\" -> \"2\"\n"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("      ~ triggers      = { # forces replacement\n"),
        "{}",
        plan.stdout
    );
    assert_eq!(plan.summary(), "Plan: 1 to add, 0 to change, 1 to destroy.");
    insta::assert_snapshot!("deployment_replace", plan.stdout);
}

const OPENAPI_YAML: &str = "openapi: 3.0.1
info:
  title: pets
  version: '1.0'
paths:
  /pets:
    get:
      x-amazon-apigateway-integration:
        type: HTTP_PROXY
        httpMethod: GET
        uri: https://pets.example.com/pets
        payloadFormatVersion: '1.0'
";

const OPENAPI_JSON: &str = r#"{"paths": {"/pets": {"get": {"x-amazon-apigateway-integration": {
  "uri": "https://pets.example.com/pets", "type": "HTTP_PROXY", "httpMethod": "GET", "payloadFormatVersion": "1.0"}}}},
  "openapi": "3.0.1", "info": {"version": "1.0", "title": "pets"}}"#;

/// An OpenAPI body is applied with ReimportApi, then the configured name is set again; the
/// document's `info.version` is the api's version where the configuration sets none, so the plan
/// says so and the api that AWS then reports is no change; the same document in JSON instead of
/// YAML is no change either.
#[test]
fn recorded_openapi_body_is_reimported_and_yaml_equals_json() {
    let server = RecordedServer::start(&[
        ("POST /", CALLER_IDENTITY),
        ("GET /v2/apis", &format!(r#"{{"items": [{STAGED_API}]}}"#)),
        ("PUT /v2/apis/abc123?failOnWarnings=true", STAGED_API),
        ("PATCH /v2/apis/abc123", STAGED_API),
    ]);
    let workspace = Workspace::new("seed-http-api");
    workspace.edit("main.hcl", "\"example-http-api\"", "\"staged-api\"");
    workspace
        .run_against(
            &server.endpoint,
            &["import", "aws_apigatewayv2_api.example", "abc123", "DIR"],
        )
        .expect_code(0);
    workspace.edit(
        "main.hcl",
        "  protocol_type = \"HTTP\"\n",
        &format!("  protocol_type = \"HTTP\"\n  fail_on_warnings = true\n\n  body = <<EOT\n{OPENAPI_YAML}EOT\n"),
    );
    let before = server.requests().len();
    workspace
        .run_against(&server.endpoint, &["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    let sent: Vec<(String, String)> = server.requests()[before..]
        .iter()
        .map(|request| {
            (
                format!("{} {}", request.method, request.target),
                request.body.clone(),
            )
        })
        .collect();
    assert_eq!(sent[0].0, "GET /v2/apis");
    assert_eq!(
        sent[1],
        (
            "PATCH /v2/apis/abc123".to_owned(),
            r#"{"version":"1.0"}"#.to_owned()
        )
    );
    assert_eq!(sent[2].0, "PUT /v2/apis/abc123?failOnWarnings=true");
    let reimported: serde_json::Value = serde_json::from_str(&sent[2].1).unwrap();
    let document: serde_json::Value =
        serde_json::from_str(reimported["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        document,
        serde_json::from_str::<serde_json::Value>(OPENAPI_JSON).unwrap()
    );
    assert_eq!(
        sent[3],
        (
            "PATCH /v2/apis/abc123".to_owned(),
            r#"{"name":"staged-api","version":"1.0"}"#.to_owned()
        )
    );
    assert_eq!(sent.len(), 4);
    let versioned = STAGED_API.replace(
        r#""name": "staged-api""#,
        r#""name": "staged-api", "version": "1.0""#,
    );
    server.replace(&[("GET /v2/apis", &format!(r#"{{"items": [{versioned}]}}"#))]);
    workspace
        .run_against(&server.endpoint, &["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);

    let text = std::fs::read_to_string(workspace.file("main.hcl")).unwrap();
    workspace.write(
        "main.hcl",
        &text.replace(OPENAPI_YAML, &format!("{OPENAPI_JSON}\n")),
    );
    workspace
        .run_against(&server.endpoint, &["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
}

/// moto ignores empty values in UpdateRoute; AWS clears an argument that is sent empty. Removing
/// arguments from a route must send exactly that.
#[test]
fn recorded_cleared_route_arguments_are_sent_empty() {
    let route = r#"{"routeId": "r1", "routeKey": "GET /profile", "apiKeyRequired": false,
        "authorizationType": "JWT", "authorizerId": "auth1", "authorizationScopes": ["profile:read"],
        "operationName": "getProfile", "target": "integrations/int1"}"#;
    let server = RecordedServer::start(&[
        ("POST /", CALLER_IDENTITY),
        ("GET /v2/apis", &format!(r#"{{"items": [{STAGED_API}]}}"#)),
        (
            "GET /v2/apis/abc123/routes",
            &format!(r#"{{"items": [{route}]}}"#),
        ),
        ("PATCH /v2/apis/abc123/routes/r1", route),
    ]);
    let workspace = Workspace::new("seed-http-api");
    workspace.edit("main.hcl", "\"example-http-api\"", "\"staged-api\"");
    workspace.write(
        "route.hcl",
        "resource \"aws_apigatewayv2_route\" \"profile\" {
  api_id               = aws_apigatewayv2_api.example.id
  route_key            = \"GET /profile\"
  authorization_type   = \"JWT\"
  authorizer_id        = \"auth1\"
  authorization_scopes = [\"profile:read\"]
  operation_name       = \"getProfile\"
  target               = \"integrations/int1\"
}
",
    );
    workspace
        .run_against(
            &server.endpoint,
            &["import", "aws_apigatewayv2_api.example", "abc123", "DIR"],
        )
        .expect_code(0);
    workspace
        .run_against(
            &server.endpoint,
            &[
                "import",
                "aws_apigatewayv2_route.profile",
                "abc123/r1",
                "DIR",
            ],
        )
        .expect_code(0);
    workspace
        .run_against(&server.endpoint, &["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);

    workspace.write(
        "route.hcl",
        "resource \"aws_apigatewayv2_route\" \"profile\" {\n  api_id    = aws_apigatewayv2_api.example.id\n  route_key = \"GET /profile\"\n}\n",
    );
    let before = server.requests().len();
    workspace
        .run_against(&server.endpoint, &["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    let patch = server.requests()[before..]
        .iter()
        .find(|request| request.method == "PATCH")
        .cloned()
        .unwrap();
    let sent: serde_json::Value = serde_json::from_str(&patch.body).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({
            "authorizationScopes": [],
            "authorizationType": "NONE",
            "authorizerId": "",
            "operationName": "",
            "target": "",
        })
    );
}

/// Quick create's route belongs to its api: AWS marks it ApiGatewayManaged (moto does not).
#[test]
fn recorded_import_refuses_what_quick_create_made() {
    let server = RecordedServer::start(&[
        ("POST /", CALLER_IDENTITY),
        (
            "GET /v2/apis/abc123/routes",
            r#"{"items": [{"routeId": "managed1", "routeKey": "$default", "apiGatewayManaged": true,
                "apiKeyRequired": false, "authorizationType": "NONE", "target": "integrations/int1"}]}"#,
        ),
    ]);
    let workspace = Workspace::new("seed-route-basic");
    let run = workspace
        .run_against(
            &server.endpoint,
            &[
                "import",
                "aws_apigatewayv2_route.example",
                "abc123/managed1",
                "DIR",
            ],
        )
        .expect_code(1);
    assert_eq!(
        run.stderr,
        "aws_apigatewayv2_route.example: Importing from ID \"abc123/managed1\"...\n\
         error: the aws_apigatewayv2_route `managed1` was made by AWS itself (quick create, ApiGatewayManaged) and cannot be imported: \
         it belongs to its api's `route_key` and `target`\n"
    );
    assert_eq!(
        workspace.run_offline(&["show", "DIR"]).stdout,
        "The state is empty: gateform manages no objects yet.\n"
    );
}
