//! The AWS data sources API Gateway configurations use beside their apis: who gateform acts as,
//! the region and the partition, and an api's exported OpenAPI definition.

use crate::harness::Workspace;
use crate::recorded::{CALLER_IDENTITY, RecordedServer};

const WHO_AND_WHERE: &str = r#"
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

data "aws_region" "west" {
  name = "us-west-2"
}

data "aws_region" "by_endpoint" {
  endpoint = "ec2.cn-north-1.amazonaws.com.cn"
}

resource "aws_apigatewayv2_api" "a" {
  name          = "a-${data.aws_region.current.name}"
  protocol_type = "HTTP"
  description   = "${data.aws_caller_identity.current.account_id} in ${data.aws_region.current.description}, ${data.aws_partition.current.partition} (${data.aws_partition.current.dns_suffix}, ${data.aws_partition.current.reverse_dns_prefix}); ${data.aws_region.west.endpoint}; ${data.aws_region.by_endpoint.description}"
}

output "caller_arn" {
  value = data.aws_caller_identity.current.arn
}
"#;

#[test]
fn caller_identity_region_and_partition_feed_the_plan() {
    let workspace = Workspace::empty("who-and-where");
    workspace.write("main.hcl", WHO_AND_WHERE);
    let plan = workspace.run(&["plan", "DIR"]).expect_code(0);
    let plan = workspace.redact(&plan.stdout, &[]);
    assert!(
        plan.contains("      + description                  = \"ACCOUNT in Europe (Ireland), aws (amazonaws.com, com.amazonaws); ec2.us-west-2.amazonaws.com; China (Beijing)\"\n"),
        "{plan}"
    );
    assert!(
        plan.contains("      + name                         = \"a-eu-west-1\"\n"),
        "{plan}"
    );
    assert!(
        plan.contains(
            "  + caller_arn = \"arn:aws:sts::ACCOUNT:assumed-role/gateform-tests/gateform-tests\"\n"
        ),
        "{plan}"
    );
    workspace.converge();
    let output = workspace
        .run_offline(&["-C", "DIR", "output", "caller_arn"])
        .expect_code(0);
    assert_eq!(
        workspace.redact(&output.stdout, &[]),
        "\"arn:aws:sts::ACCOUNT:assumed-role/gateform-tests/gateform-tests\"\n"
    );
}

/// `aws_region` and `aws_partition` are known without AWS, so a fresh plan of a configuration
/// that reads only them needs no credentials, as one without data sources does.
#[test]
fn region_and_partition_need_no_aws() {
    let workspace = Workspace::empty("offline");
    workspace.write(
        "main.hcl",
        r#"
provider "aws" {
  region = "cn-northwest-1"
}
data "aws_region" "current" {}
data "aws_partition" "current" {}
resource "aws_apigatewayv2_api" "a" {
  name          = "${data.aws_partition.current.partition}-${data.aws_region.current.description}"
  protocol_type = "HTTP"
}
"#,
    );
    let plan = workspace
        .command(&["plan", "offline"])
        .env_remove("AWS_REGION")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&plan.stdout);
    assert!(
        plan.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&plan.stderr)
    );
    assert!(
        stdout.contains("      + name                         = \"aws-cn-China (Ningxia)\"\n"),
        "{stdout}"
    );
}

#[test]
fn data_source_mistakes_are_reported_with_their_place() {
    let workspace = Workspace::empty("data-mistakes");
    workspace.write(
        "main.hcl",
        r#"data "aws_apigatewayv2_export" "missing" {
  api_id = "abc123"
}

data "aws_apigatewayv2_export" "wrong" {
  api_id        = "abc123"
  specification = "OAS20"
  output_type   = "XML"
}

data "aws_partition" "regional" {
  region = "eu-west-1"
}

data "aws_caller_identities" "typo" {}
"#,
    );
    let validate = workspace.run_offline(&["validate", "DIR"]).expect_code(1);
    insta::assert_snapshot!(validate.stderr);
}

/// moto has no ExportApi: the recorded server answers it, and the request is asserted.
#[test]
fn recorded_export_reads_an_apis_openapi_definition() {
    let document = r#"{"openapi":"3.0.1","info":{"title":"pets","version":"1.0"},"paths":{"/pets":{"get":{}}}}"#;
    let server = RecordedServer::start(&[
        ("POST /", CALLER_IDENTITY),
        (
            "GET /v2/apis/abc123/exports/OAS30?includeExtensions=false&outputType=JSON&stageName=prod",
            document,
        ),
    ]);
    let workspace = Workspace::empty("export");
    workspace.write(
        "main.hcl",
        r#"data "aws_apigatewayv2_export" "pets" {
  api_id             = "abc123"
  specification      = "OAS30"
  output_type        = "JSON"
  include_extensions = false
  stage_name         = "prod"
}

output "body" {
  value = data.aws_apigatewayv2_export.pets.body
}

output "paths" {
  value = keys(jsondecode(data.aws_apigatewayv2_export.pets.body).paths)
}
"#,
    );
    let plan = workspace
        .run_against(&server.endpoint, &["plan", "DIR"])
        .expect_code(0);
    // The document as a resource's JSON argument is shown: pretty, over lines.
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(document).unwrap())
            .unwrap();
    let indented: String = pretty
        .lines()
        .map(|line| format!("        {line}\n"))
        .collect();
    assert!(
        plan.stdout
            .contains(&format!("  + body  = <<-EOT\n{indented}    EOT\n")),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("  + paths = [\n      + \"/pets\",\n    ]\n"),
        "{}",
        plan.stdout
    );
    assert_eq!(
        server.calls(),
        [
            "GET /v2/apis/abc123/exports/OAS30?includeExtensions=false&outputType=JSON&stageName=prod"
        ]
    );
}
