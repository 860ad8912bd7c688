//! What refresh costs: one list call per kind in the region and per kind under each parent,
//! whatever the number of objects (issue 10's measure).

use crate::harness::Workspace;

const ESTATE: &str = r#"
resource "aws_apigatewayv2_api" "a" {
  count         = 20
  name          = "api-${count.index}"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "i" {
  count              = 20
  api_id             = aws_apigatewayv2_api.a[count.index].id
  integration_type   = "HTTP_PROXY"
  integration_method = "GET"
  integration_uri    = "https://example.com/${count.index}"
}

resource "aws_apigatewayv2_route" "r" {
  count     = 20
  api_id    = aws_apigatewayv2_api.a[count.index].id
  route_key = "GET /items"
  target    = "integrations/${aws_apigatewayv2_integration.i[count.index].id}"
}

resource "aws_apigatewayv2_domain_name" "d" {
  count       = 5
  domain_name = "d${count.index}.example.com"

  domain_name_configuration {
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/d${count.index}"
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}

resource "aws_apigatewayv2_api_mapping" "m" {
  count           = 20
  api_id          = aws_apigatewayv2_api.a[count.index].id
  domain_name     = aws_apigatewayv2_domain_name.d[floor(count.index / 4)].id
  stage           = "$default"
  api_mapping_key = "v${count.index}"
}

resource "aws_apigatewayv2_vpc_link" "v" {
  count              = 3
  name               = "link-${count.index}"
  security_group_ids = ["sg-${count.index}"]
  subnet_ids         = ["subnet-${count.index}"]
}
"#;

/// 20 apis with a route and an integration each, 5 domain names with 4 mappings each, and 3 VPC
/// links: at most 1 + 20 x 2 + 1 + 5 + 1 = 48 calls, where a Get per object would be 88.
#[test]
fn refresh_lists_each_kind_once_per_parent() {
    let workspace = Workspace::empty("estate");
    workspace.write("main.hcl", ESTATE);
    let apply = workspace
        .run(&["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    assert!(
        apply
            .stdout
            .ends_with("Apply complete! Resources: 88 added, 0 changed, 0 destroyed.\n"),
        "{}",
        apply.stdout
    );
    let plan = workspace
        .run(&["plan", "DIR", "--verbose", "--detailed-exitcode"])
        .expect_code(0);
    assert_eq!(
        plan.verbose_report(),
        "gateform made 48 AWS call(s): GetApiMappings ×5, GetApis ×1, GetDomainNames ×1, GetIntegrations ×20, GetRoutes ×20, GetVpcLinks ×1.\n0 of them were retries; AWS turned 0 away (throttled or busy); waiting for the rate limit (no rate limit) took …s.\n"
    );
}
