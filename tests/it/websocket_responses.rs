//! What WebSocket routes and integrations send back: route responses and integration responses,
//! the docs' examples against moto, import with Terraform's three-part ids, and what moto lacks
//! (GetRouteResponses, UpdateRouteResponse) against the recorded-response server.

use crate::harness::Workspace;
use crate::recorded::{CALLER_IDENTITY, RecordedServer};

#[test]
fn a_two_way_websocket_route_applies_replans_empty_and_destroys() {
    let workspace = Workspace::new("docs-websocket-responses");
    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    insta::assert_snapshot!(plan.stdout);
    workspace.converge();
    let aws = workspace.aws();
    let api_id = aws.apis()[0].id.clone();
    let route_id = workspace.state_id("aws_apigatewayv2_route.example");
    let response_id = workspace.state_id("aws_apigatewayv2_route_response.example");
    let found = aws
        .block_on(
            aws.client()
                .get_route_response()
                .api_id(&api_id)
                .route_id(&route_id)
                .route_response_id(&response_id)
                .send(),
        )
        .expect("GetRouteResponse");
    assert_eq!(found.route_response_key(), Some("$default"));
    let integration_id = workspace.state_id("aws_apigatewayv2_integration.example");
    let responses = aws
        .block_on(
            aws.client()
                .get_integration_responses()
                .api_id(&api_id)
                .integration_id(&integration_id)
                .send(),
        )
        .expect("GetIntegrationResponses");
    assert_eq!(
        responses.items()[0].integration_response_key(),
        Some("/200/")
    );
    // moto lacks GetRouteResponses (it answers 500, which the SDK tries again): refresh reads
    // the one route response it knows with a Get.
    let plan = workspace
        .run(&["plan", "DIR", "--verbose", "--detailed-exitcode"])
        .expect_code(0);
    assert!(
        plan.stderr
            .contains("GetRouteResponse ×1, GetRouteResponses ×"),
        "{}",
        plan.stderr
    );
    workspace
        .run(&["destroy", "DIR", "--auto-approve"])
        .expect_code(0);
    assert!(aws.apis().is_empty());
}

/// A route response made elsewhere imports with `API_ID/ROUTE_ID/ROUTE_RESPONSE_ID`.
#[test]
fn a_route_response_made_with_the_sdk_imports_with_terraforms_id() {
    let workspace = Workspace::new("docs-websocket-responses");
    workspace
        .run(&[
            "apply",
            "DIR",
            "--auto-approve",
            "--target",
            "aws_apigatewayv2_route.example",
        ])
        .expect_code(0);
    let aws = workspace.aws();
    let api_id = aws.apis()[0].id.clone();
    let route_id = workspace.state_id("aws_apigatewayv2_route.example");
    let made = aws
        .block_on(
            aws.client()
                .create_route_response()
                .api_id(&api_id)
                .route_id(&route_id)
                .route_response_key("$default")
                .send(),
        )
        .expect("CreateRouteResponse");
    let id = made.route_response_id().unwrap();
    let short = workspace
        .run(&[
            "import",
            "aws_apigatewayv2_route_response.example",
            &format!("{api_id}/{id}"),
            "DIR",
        ])
        .expect_code(1);
    assert_eq!(
        short.stderr,
        format!(
            "error: invalid import id `{api_id}/{id}` for `aws_apigatewayv2_route_response`: expected `API_ID/ROUTE_ID/ROUTE_RESPONSE_ID`, such as `aabbccddee/1122334/998877`\n"
        )
    );
    let missing = workspace
        .run(&[
            "import",
            "aws_apigatewayv2_route_response.example",
            &format!("{api_id}/{route_id}/nothing"),
            "DIR",
        ])
        .expect_code(1);
    assert!(
        missing.stderr.ends_with(&format!(
            "error: there is no aws_apigatewayv2_route_response with id `nothing` in route `{route_id}` in api `{api_id}` in eu-west-1 (an object in another region is imported as `ID@REGION`)\n"
        )),
        "{}",
        missing.stderr
    );
    workspace
        .run(&[
            "import",
            "aws_apigatewayv2_route_response.example",
            &format!("{api_id}/{route_id}/{id}"),
            "DIR",
        ])
        .expect_code(0);
    // What is left to make is the integration response, not the imported route response.
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert_eq!(plan.summary(), "Plan: 1 to add, 0 to change, 0 to destroy.");
    assert!(
        plan.stdout
            .contains("# aws_apigatewayv2_integration_response.example will be created"),
        "{}",
        plan.stdout
    );
}

#[test]
fn responses_belong_to_websocket_apis() {
    let workspace = Workspace::empty("http-responses");
    workspace.write(
        "main.hcl",
        r#"resource "aws_apigatewayv2_api" "http" {
  name          = "http"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_route" "http" {
  api_id    = aws_apigatewayv2_api.http.id
  route_key = "GET /pets"
}

resource "aws_apigatewayv2_route_response" "http" {
  api_id             = aws_apigatewayv2_api.http.id
  route_id           = aws_apigatewayv2_route.http.id
  route_response_key = "$default"
}

resource "aws_apigatewayv2_integration" "http" {
  api_id             = aws_apigatewayv2_api.http.id
  integration_type   = "HTTP_PROXY"
  integration_method = "GET"
  integration_uri    = "https://example.com"
}

resource "aws_apigatewayv2_integration_response" "http" {
  api_id                   = aws_apigatewayv2_api.http.id
  integration_id           = aws_apigatewayv2_integration.http.id
  integration_response_key = "/200/"
  content_handling_strategy = "CONVERT_TO_JSON"
}
"#,
    );
    let validate = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    insta::assert_snapshot!(validate.stderr);
}

/// AWS lists a route's responses with GetRouteResponses, which moto lacks: refresh makes one
/// call per route, not one per response.
#[test]
fn recorded_route_responses_are_listed_once_per_route() {
    let api = r#"{"apiId": "abc123", "name": "example-websocket-api", "protocolType": "WEBSOCKET",
        "apiKeySelectionExpression": "$request.header.x-api-key",
        "routeSelectionExpression": "$request.body.action", "disableExecuteApiEndpoint": false}"#;
    let server = RecordedServer::start(&[
        ("POST /", CALLER_IDENTITY),
        ("GET /v2/apis", &format!(r#"{{"items": [{api}]}}"#)),
        (
            "GET /v2/apis/abc123/routes",
            r#"{"items": [{"routeId": "r1", "routeKey": "$default", "apiKeyRequired": false,
                "authorizationType": "NONE", "routeResponseSelectionExpression": "$default"}]}"#,
        ),
        (
            "GET /v2/apis/abc123/routes/r1/routeresponses",
            r#"{"items": [{"routeResponseId": "rr1", "routeResponseKey": "$default"},
                          {"routeResponseId": "rr2", "routeResponseKey": "error"}]}"#,
        ),
    ]);
    let workspace = Workspace::empty("route-responses");
    workspace.write(
        "main.hcl",
        r#"resource "aws_apigatewayv2_api" "example" {
  name                       = "example-websocket-api"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_route" "example" {
  api_id                              = aws_apigatewayv2_api.example.id
  route_key                           = "$default"
  route_response_selection_expression = "$default"
}

resource "aws_apigatewayv2_route_response" "default" {
  api_id             = aws_apigatewayv2_api.example.id
  route_id           = aws_apigatewayv2_route.example.id
  route_response_key = "$default"
}

resource "aws_apigatewayv2_route_response" "error" {
  api_id             = aws_apigatewayv2_api.example.id
  route_id           = aws_apigatewayv2_route.example.id
  route_response_key = "error"
}
"#,
    );
    for (address, id) in [
        ("aws_apigatewayv2_api.example", "abc123"),
        ("aws_apigatewayv2_route.example", "abc123/r1"),
        ("aws_apigatewayv2_route_response.default", "abc123/r1/rr1"),
        ("aws_apigatewayv2_route_response.error", "abc123/r1/rr2"),
    ] {
        workspace
            .run_against(&server.endpoint, &["import", address, id, "DIR"])
            .expect_code(0);
    }
    let plan = workspace
        .run_against(
            &server.endpoint,
            &["plan", "DIR", "--verbose", "--detailed-exitcode"],
        )
        .expect_code(0);
    assert_eq!(
        plan.verbose_report(),
        "gateform made 3 AWS call(s): GetApis ×1, GetRouteResponses ×1, GetRoutes ×1.\n0 of them were retries; AWS turned 0 away (throttled or busy); waiting for the rate limit (no rate limit) took …s.\n"
    );
}

/// An integration response made elsewhere imports with
/// `API_ID/INTEGRATION_ID/INTEGRATION_RESPONSE_ID` and re-plans empty.
#[test]
fn an_integration_response_made_with_the_sdk_imports_with_terraforms_id() {
    let workspace = Workspace::new("docs-websocket-responses");
    workspace
        .run(&[
            "apply",
            "DIR",
            "--auto-approve",
            "--target",
            "aws_apigatewayv2_integration.example",
        ])
        .expect_code(0);
    let aws = workspace.aws();
    let api_id = aws.apis()[0].id.clone();
    let integration_id = workspace.state_id("aws_apigatewayv2_integration.example");
    let made = aws
        .block_on(
            aws.client()
                .create_integration_response()
                .api_id(&api_id)
                .integration_id(&integration_id)
                .integration_response_key("/200/")
                .send(),
        )
        .expect("CreateIntegrationResponse");
    let id = made.integration_response_id().unwrap();
    workspace
        .run(&[
            "import",
            "aws_apigatewayv2_integration_response.example",
            &format!("{api_id}/{integration_id}/{id}"),
            "DIR",
        ])
        .expect_code(0);
    let values = workspace.state_values("aws_apigatewayv2_integration_response.example");
    assert_eq!(
        (
            &values["api_id"],
            &values["integration_id"],
            &values["integration_response_key"]
        ),
        (&api_id.into(), &integration_id.into(), &"/200/".into())
    );
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert_eq!(plan.summary(), "Plan: 2 to add, 0 to change, 0 to destroy.");
    assert!(
        !plan
            .stdout
            .contains("aws_apigatewayv2_integration_response.example will"),
        "{}",
        plan.stdout
    );
}
