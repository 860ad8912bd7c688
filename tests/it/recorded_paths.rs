//! Paths moto cannot exercise, against the recorded-response server (see recorded.rs). Each test
//! name says "recorded".

use crate::harness::Workspace;
use crate::recorded::RecordedServer;

const CALLER_IDENTITY: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::210987654321:user/recorded</Arn>
    <UserId>AIDARECORDED</UserId>
    <Account>210987654321</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>recorded</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"#;

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
        plan.stderr,
        "gateform made 4 AWS call(s): GetApis ×2, GetRoutes ×2.\n"
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
