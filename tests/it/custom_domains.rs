//! Custom domain names, and what points them at apis: the docs' examples against moto, import
//! with Terraform's ids, and what moto lacks (UpdateDomainName, tagging a domain name, waiting
//! for AVAILABLE) against the recorded-response server.

use aws_sdk_apigatewayv2::types::{DomainNameConfiguration, EndpointType, SecurityPolicy};

use crate::harness::Workspace;
use crate::recorded::{CALLER_IDENTITY, RecordedServer};

const CERTIFICATE: &str =
    "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";

#[test]
fn the_docs_domain_name_applies_replans_empty_and_destroys() {
    let workspace = Workspace::new("docs-domain-name");
    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    insta::assert_snapshot!(plan.stdout);
    workspace.converge();
    let aws = workspace.aws();
    let found = aws
        .block_on(
            aws.client()
                .get_domain_name()
                .domain_name("ws-api.example.com")
                .send(),
        )
        .expect("GetDomainName");
    let configuration = &found.domain_name_configurations()[0];
    assert_eq!(configuration.certificate_arn(), Some(CERTIFICATE));
    assert_eq!(configuration.endpoint_type(), Some(&EndpointType::Regional));
    assert_eq!(
        workspace.state_values("aws_apigatewayv2_domain_name.example")["arn"],
        "arn:aws:apigateway:eu-west-1::/domainnames/ws-api.example.com"
    );
    // A new certificate is changed in place; a new name replaces the domain name.
    workspace.edit("main.hcl", "555555555555\"", "666666666666\"");
    let update = workspace.run(&["plan", "DIR"]).expect_code(0);
    insta::assert_snapshot!("domain_name_update", update.stdout);
    workspace.edit("main.hcl", "666666666666\"", "555555555555\"");
    workspace.edit("main.hcl", "\"ws-api.example.com\"", "\"api.example.com\"");
    let replace = workspace.run(&["plan", "DIR"]).expect_code(0);
    insta::assert_snapshot!("domain_name_replace", replace.stdout);
    workspace.edit("main.hcl", "\"api.example.com\"", "\"ws-api.example.com\"");
    // Deleted outside gateform: the plan says so, and makes it again.
    aws.block_on(
        aws.client()
            .delete_domain_name()
            .domain_name("ws-api.example.com")
            .send(),
    )
    .expect("DeleteDomainName");
    let drift = workspace.run(&["plan", "DIR"]).expect_code(0);
    assert!(
        drift
            .stdout
            .contains("  # aws_apigatewayv2_domain_name.example has been deleted\n"),
        "{}",
        drift.stdout
    );
    assert_eq!(
        drift.summary(),
        "Plan: 1 to add, 0 to change, 0 to destroy."
    );
    workspace.converge();
    workspace
        .run(&["destroy", "DIR", "--auto-approve"])
        .expect_code(0);
    let names = aws
        .block_on(aws.client().get_domain_names().send())
        .expect("GetDomainNames");
    assert!(names.items().is_empty(), "{names:?}");
}

/// A domain name made elsewhere imports by its name, with its configuration read from AWS.
#[test]
fn a_domain_name_made_with_the_sdk_imports_with_its_configuration() {
    let workspace = Workspace::new("docs-domain-name");
    let aws = workspace.aws();
    aws.block_on(
        aws.client()
            .create_domain_name()
            .domain_name("ws-api.example.com")
            .domain_name_configurations(
                DomainNameConfiguration::builder()
                    .certificate_arn(CERTIFICATE)
                    .endpoint_type(EndpointType::Regional)
                    .security_policy(SecurityPolicy::Tls12)
                    .build(),
            )
            .send(),
    )
    .expect("CreateDomainName");
    let import = workspace
        .run(&[
            "import",
            "aws_apigatewayv2_domain_name.example",
            "ws-api.example.com",
            "DIR",
        ])
        .expect_code(0);
    assert!(
        import.stderr.contains(
            "aws_apigatewayv2_domain_name.example: Import prepared! [id=ws-api.example.com]"
        ),
        "{}",
        import.stderr
    );
    let values = workspace.state_values("aws_apigatewayv2_domain_name.example");
    assert_eq!(
        values["domain_name_configuration"],
        serde_json::json!([{
            "certificate_arn": CERTIFICATE,
            "endpoint_type": "REGIONAL",
            "hosted_zone_id": null,
            "ip_address_type": null,
            "ownership_verification_certificate_arn": null,
            "security_policy": "TLS_1_2",
            "target_domain_name": null,
        }])
    );
    assert_eq!(values["domain_name"], "ws-api.example.com");
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
    let missing = workspace
        .run(&[
            "import",
            "aws_apigatewayv2_domain_name.example",
            "other.example.com",
            "DIR",
        ])
        .expect_code(1);
    assert!(
        missing
            .stderr
            .contains("already managed by gateform (id `ws-api.example.com`)"),
        "{}",
        missing.stderr
    );
}

#[test]
fn domain_name_mistakes_are_reported_with_their_place() {
    let workspace = Workspace::empty("domain-mistakes");
    workspace.write(
        "main.hcl",
        r#"resource "aws_apigatewayv2_domain_name" "none" {
  domain_name = "a.example.com"
}

resource "aws_apigatewayv2_domain_name" "wrong" {
  domain_name  = "b.example.com"
  routing_mode = "ROUTING_RULES"

  domain_name_configuration {
    certificate_arn = "not-an-arn"
    endpoint_type   = "EDGE"
    security_policy = "TLS_1_0"
    hosted_zone_id  = "Z123"
  }
}
"#,
    );
    let validate = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    insta::assert_snapshot!(validate.stderr);
}

/// A domain name AWS is still updating is waited for; one it gives up on fails with AWS's reason.
#[test]
fn recorded_domain_name_create_waits_until_available() {
    let updating = r#"{"domainName": "api.example.com", "domainNameConfigurations": [{"certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/one",
        "endpointType": "REGIONAL", "securityPolicy": "TLS_1_2", "domainNameStatus": "UPDATING"}]}"#;
    let available = r#"{"domainName": "api.example.com", "apiMappingSelectionExpression": "$request.basepath",
        "domainNameConfigurations": [{"certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/one",
        "endpointType": "REGIONAL", "securityPolicy": "TLS_1_2", "ipAddressType": "ipv4",
        "hostedZoneId": "Z2FDTNDATAQYW2", "apiGatewayDomainName": "d-one.execute-api.eu-west-1.amazonaws.com",
        "domainNameStatus": "AVAILABLE"}]}"#;
    let server = RecordedServer::start(&[
        ("POST /", CALLER_IDENTITY),
        ("POST /v2/domainnames", updating),
        ("GET /v2/domainnames/api.example.com", updating),
        ("GET /v2/domainnames/api.example.com", updating),
        ("GET /v2/domainnames/api.example.com", available),
    ]);
    let workspace = Workspace::empty("waits");
    workspace.write(
        "main.hcl",
        r#"resource "aws_apigatewayv2_domain_name" "example" {
  domain_name = "api.example.com"

  domain_name_configuration {
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/one"
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}
"#,
    );
    workspace
        .run_against(&server.endpoint, &["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    assert_eq!(
        server.calls(),
        [
            "POST /v2/domainnames",
            "GET /v2/domainnames/api.example.com",
            "GET /v2/domainnames/api.example.com",
            "GET /v2/domainnames/api.example.com",
        ]
    );
    let values = workspace.state_values("aws_apigatewayv2_domain_name.example");
    assert_eq!(
        values["domain_name_configuration"][0]["target_domain_name"],
        "d-one.execute-api.eu-west-1.amazonaws.com"
    );
    assert_eq!(
        values["domain_name_configuration"][0]["ip_address_type"],
        "ipv4"
    );
    assert_eq!(
        values["api_mapping_selection_expression"],
        "$request.basepath"
    );

    let pending = r#"{"domainName": "other.example.com", "domainNameConfigurations": [{"certificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/one",
        "endpointType": "REGIONAL", "securityPolicy": "TLS_1_2", "domainNameStatus": "PENDING_CERTIFICATE_REIMPORT",
        "domainNameStatusMessage": "the certificate expired"}]}"#;
    server.replace(&[
        ("POST /", CALLER_IDENTITY),
        (
            "GET /v2/domainnames",
            &format!(r#"{{"items": [{available}]}}"#),
        ),
        ("POST /v2/domainnames", pending),
        ("GET /v2/domainnames/other.example.com", pending),
    ]);
    workspace.edit("main.hcl", "api.example.com", "other.example.com");
    let failed = workspace
        .run_against(&server.endpoint, &["apply", "DIR", "--auto-approve"])
        .expect_code(1);
    assert!(
        failed.stderr.contains(
            "CreateDomainName for `aws_apigatewayv2_domain_name.example` failed: the domain name `other.example.com` is PENDING_CERTIFICATE_REIMPORT: the certificate expired"
        ),
        "{}",
        failed.stderr
    );
}

/// A custom domain with an api mapping to a stage, as the docs write them, against moto; the
/// mapping is deleted before its domain name and stage.
#[test]
fn a_custom_domain_maps_to_a_stage_and_destroys_in_order() {
    let workspace = Workspace::new("docs-custom-domain");
    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert_eq!(
        plan.summary(),
        "  + target_domain_name = (known after apply)"
    );
    workspace.converge();
    let aws = workspace.aws();
    let mappings = aws
        .block_on(
            aws.client()
                .get_api_mappings()
                .domain_name("http-api.example.com")
                .send(),
        )
        .expect("GetApiMappings");
    let api = &aws.apis()[0];
    let mapping = &mappings.items()[0];
    assert_eq!(
        (mapping.api_id(), mapping.stage()),
        (Some(api.id.as_str()), Some("$default"))
    );
    let values = workspace.state_values("aws_apigatewayv2_api_mapping.example");
    assert_eq!(values["domain_name"], "http-api.example.com");
    assert_eq!(values["id"], mapping.api_mapping_id().unwrap());
    // A key is changed in place.
    workspace.edit(
        "main.hcl",
        "  stage       = aws_apigatewayv2_stage.example.id\n",
        "  stage       = aws_apigatewayv2_stage.example.id\n  api_mapping_key = \"v1\"\n",
    );
    let update = workspace.run(&["plan", "DIR"]).expect_code(0);
    let update = workspace.redact_state_ids(&update.stdout);
    insta::assert_snapshot!("api_mapping_update", update);
    let destroy = workspace
        .run(&["destroy", "DIR", "--auto-approve"])
        .expect_code(0);
    let destroyed: Vec<&str> = destroy
        .stderr
        .lines()
        .filter(|line| line.contains("Destruction complete"))
        .map(|line| line.split(':').next().unwrap_or_default())
        .collect();
    // The mapping goes first; the domain name and the stage it maps to go after it, in either
    // order, since they are in different lanes.
    let position = |address: &str| destroyed.iter().position(|line| *line == address);
    assert_eq!(position("aws_apigatewayv2_api_mapping.example"), Some(0));
    assert!(position("aws_apigatewayv2_domain_name.example").is_some());
    assert!(position("aws_apigatewayv2_stage.example").is_some());
    assert!(aws.apis().is_empty());
}

#[test]
fn an_api_mapping_made_with_the_sdk_imports_with_terraforms_id() {
    let workspace = Workspace::new("docs-custom-domain");
    let aws = workspace.aws();
    workspace.write(
        "main.hcl",
        &std::fs::read_to_string(workspace.file("main.hcl"))
            .unwrap()
            .replace(
                "resource \"aws_apigatewayv2_api_mapping\"",
                "resource \"aws_apigatewayv2_api_mapping\" \"later\" {\n  api_id = aws_apigatewayv2_api.example.id\n  domain_name = aws_apigatewayv2_domain_name.example.id\n  stage = aws_apigatewayv2_stage.example.id\n  api_mapping_key = \"later\"\n}\n\nresource \"aws_apigatewayv2_api_mapping\"",
            ),
    );
    workspace
        .run(&[
            "apply",
            "DIR",
            "--auto-approve",
            "--target",
            "aws_apigatewayv2_api_mapping.example",
        ])
        .expect_code(0);
    let api_id = aws.apis()[0].id.clone();
    let made = aws
        .block_on(
            aws.client()
                .create_api_mapping()
                .domain_name("http-api.example.com")
                .api_id(&api_id)
                .stage("$default")
                .api_mapping_key("later")
                .send(),
        )
        .expect("CreateApiMapping");
    let id = made.api_mapping_id().unwrap().to_owned();
    let wrong = workspace
        .run(&["import", "aws_apigatewayv2_api_mapping.later", &id, "DIR"])
        .expect_code(1);
    assert_eq!(
        wrong.stderr,
        format!(
            "error: invalid import id `{id}` for `aws_apigatewayv2_api_mapping`: expected `API_MAPPING_ID/DOMAIN_NAME`, such as `1122334/ws-api.example.com`\n"
        )
    );
    workspace
        .run(&[
            "import",
            "aws_apigatewayv2_api_mapping.later",
            &format!("{id}/http-api.example.com"),
            "DIR",
        ])
        .expect_code(0);
    let values = workspace.state_values("aws_apigatewayv2_api_mapping.later");
    assert_eq!(
        (
            &values["api_mapping_key"],
            &values["domain_name"],
            &values["api_id"]
        ),
        (
            &"later".into(),
            &"http-api.example.com".into(),
            &api_id.into()
        )
    );
    workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
}

const RULE: &str = r#"{"routingRuleId": "rule1", "priority": 1,
    "routingRuleArn": "arn:aws:apigateway:eu-west-1:210987654321:/domainnames/test.example.com/routingrules/rule1",
    "actions": [{"invokeApi": {"apiId": "example-api-id", "stage": "example-stage", "stripBasePath": true}}],
    "conditions": [{"matchHeaders": {"anyOf": [{"header": "X-Example-Header", "valueGlob": "example-value-*"}]}},
                   {"matchBasePaths": {"anyOf": ["example-path", "another-path"]}}]}"#;

const RULED_DOMAIN: &str = r#"{"domainName": "test.example.com", "routingMode": "ROUTING_RULE_THEN_API_MAPPING",
    "domainNameConfigurations": [{"certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
        "endpointType": "REGIONAL", "securityPolicy": "TLS_1_2", "ipAddressType": "ipv4"}]}"#;

/// moto has no routing rules at all: the docs' example against the recorded server, with the
/// calls it makes, a refresh of one list per domain name, and Terraform's import by ARN.
#[test]
fn recorded_the_docs_routing_rule_applies_replans_empty_and_imports_by_arn() {
    let server = RecordedServer::start(&[
        ("POST /", CALLER_IDENTITY),
        ("GET /v2/domainnames", r#"{"items": []}"#),
        ("POST /v2/domainnames", RULED_DOMAIN),
        ("GET /v2/domainnames/test.example.com", RULED_DOMAIN),
        ("POST /v2/domainnames/test.example.com/routingrules", RULE),
    ]);
    let workspace = Workspace::new("docs-routing-rule");
    workspace
        .run_against(&server.endpoint, &["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    let create = server
        .requests()
        .into_iter()
        .find(|request| request.target.ends_with("/routingrules"))
        .expect("CreateRoutingRule");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&create.body).unwrap(),
        serde_json::json!({
            "priority": 1,
            "actions": [{"invokeApi": {"apiId": "example-api-id", "stage": "example-stage", "stripBasePath": true}}],
            "conditions": [
                {"matchBasePaths": {"anyOf": ["another-path", "example-path"]}},
                {"matchHeaders": {"anyOf": [{"header": "X-Example-Header", "valueGlob": "example-value-*"}]}},
            ],
        })
    );
    let values = workspace.state_values("aws_apigatewayv2_routing_rule.example");
    assert_eq!(
        (
            &values["routing_rule_id"],
            &values["id"],
            &values["domain_name"]
        ),
        (&"rule1".into(), &"rule1".into(), &"test.example.com".into())
    );
    server.replace(&[
        ("POST /", CALLER_IDENTITY),
        (
            "GET /v2/domainnames",
            &format!(r#"{{"items": [{RULED_DOMAIN}]}}"#),
        ),
        (
            "GET /v2/domainnames/test.example.com/routingrules",
            &format!(r#"{{"routingRules": [{RULE}]}}"#),
        ),
    ]);
    let plan = workspace
        .run_against(
            &server.endpoint,
            &["plan", "DIR", "--verbose", "--detailed-exitcode"],
        )
        .expect_code(0);
    assert_eq!(
        plan.verbose_report(),
        "gateform made 2 AWS call(s): GetDomainNames ×1, ListRoutingRules ×1.\n0 of them were retries; AWS turned 0 away (throttled or busy); waiting for the rate limit (no rate limit) took …s.\n"
    );

    // The same rule, brought under management by its ARN, as the docs import it.
    let imported = Workspace::new("docs-routing-rule");
    imported
        .run_against(
            &server.endpoint,
            &[
                "import",
                "aws_apigatewayv2_domain_name.example",
                "test.example.com",
                "DIR",
            ],
        )
        .expect_code(0);
    imported
        .run_against(
            &server.endpoint,
            &[
                "import",
                "aws_apigatewayv2_routing_rule.example",
                "arn:aws:apigateway:eu-west-1:210987654321:/domainnames/test.example.com/routingrules/rule1",
                "DIR",
            ],
        )
        .expect_code(0);
    imported
        .run_against(&server.endpoint, &["plan", "DIR", "--detailed-exitcode"])
        .expect_code(0);
    let wrong = imported
        .run_against(
            &server.endpoint,
            &[
                "import",
                "aws_apigatewayv2_routing_rule.example",
                "rule1",
                "DIR",
            ],
        )
        .expect_code(1);
    assert_eq!(
        wrong.stderr,
        "error: invalid import id `rule1` for `aws_apigatewayv2_routing_rule`: expected `arn:PARTITION:apigateway:REGION:ACCOUNT_ID:/domainnames/DOMAIN_NAME/routingrules/ROUTING_RULE_ID`, such as `arn:aws:apigateway:us-east-1:123456789012:/domainnames/example.com/routingrules/rule1`\n"
    );

    server.replace(&[
        ("POST /", CALLER_IDENTITY),
        (
            "GET /v2/domainnames",
            &format!(r#"{{"items": [{RULED_DOMAIN}]}}"#),
        ),
        (
            "GET /v2/domainnames/test.example.com/routingrules",
            &format!(r#"{{"routingRules": [{RULE}]}}"#),
        ),
        (
            "DELETE /v2/domainnames/test.example.com/routingrules/rule1",
            "{}",
        ),
        ("DELETE /v2/domainnames/test.example.com", "{}"),
    ]);
    let before = server.requests().len();
    workspace
        .run_against(&server.endpoint, &["destroy", "DIR", "--auto-approve"])
        .expect_code(0);
    let deletes: Vec<String> = server.calls()[before..]
        .iter()
        .filter(|call| call.starts_with("DELETE"))
        .cloned()
        .collect();
    assert_eq!(
        deletes,
        [
            "DELETE /v2/domainnames/test.example.com/routingrules/rule1",
            "DELETE /v2/domainnames/test.example.com",
        ]
    );
}

#[test]
fn routing_rule_mistakes_are_reported_with_their_place() {
    let workspace = Workspace::empty("rule-mistakes");
    workspace.write(
        "main.hcl",
        r#"resource "aws_apigatewayv2_routing_rule" "both" {
  domain_name = "test.example.com"
  priority    = 0

  condition {
    match_headers {
      any_of {
        header     = "X-A-Header-Name-That-Is-Longer-Than-Forty-Characters"
        value_glob = "*"
      }
    }
    match_base_paths {
      any_of = ["one"]
    }
  }
  action {
    invoke_api {
      api_id = "example-api-id"
    }
  }
}

resource "aws_apigatewayv2_routing_rule" "none" {
  domain_name = "test.example.com"
  priority    = 2
}
"#,
    );
    let validate = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    insta::assert_snapshot!(validate.stderr);
}
