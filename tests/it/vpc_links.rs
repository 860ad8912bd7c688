//! VPC links: the docs' example used by an HTTP api's private integration against moto, import
//! and the data source, and the waits moto cannot show (PENDING, DELETING, FAILED) against the
//! recorded-response server.

use crate::harness::Workspace;
use crate::recorded::{CALLER_IDENTITY, NOT_FOUND, RecordedServer};

#[test]
fn a_vpc_link_serves_an_http_integration_and_is_replaced_with_its_subnets() {
    let workspace = Workspace::new("docs-vpc-link");
    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    insta::assert_snapshot!(plan.stdout);
    workspace.converge();
    let aws = workspace.aws();
    let links = aws
        .block_on(aws.client().get_vpc_links().send())
        .expect("GetVpcLinks");
    let link = &links.items()[0];
    let link_id = link.vpc_link_id().unwrap().to_owned();
    assert_eq!(link.name(), Some("example"));
    assert_eq!(
        link.tags()
            .and_then(|tags| tags.get("Usage"))
            .map(String::as_str),
        Some("example")
    );
    let integration = workspace.state_values("aws_apigatewayv2_integration.example");
    assert_eq!(
        (
            &integration["connection_type"],
            &integration["connection_id"]
        ),
        (&"VPC_LINK".into(), &link_id.clone().into())
    );
    assert_eq!(
        workspace.state_values("aws_apigatewayv2_vpc_link.example")["arn"],
        format!("arn:aws:apigateway:eu-west-1::/vpclinks/{link_id}")
    );

    // The name and the tags change in place.
    workspace.edit(
        "main.hcl",
        "name               = \"example\"",
        "name               = \"renamed\"",
    );
    workspace.edit("main.hcl", "Usage = \"example\"", "Usage = \"private\"");
    workspace.converge();
    let link = aws
        .block_on(aws.client().get_vpc_link().vpc_link_id(&link_id).send())
        .expect("GetVpcLink");
    assert_eq!(link.name(), Some("renamed"));
    assert_eq!(
        link.tags()
            .and_then(|tags| tags.get("Usage"))
            .map(String::as_str),
        Some("private")
    );

    // Other subnets make another link, and the integration moves to it.
    workspace.edit(
        "main.hcl",
        "\"subnet-1b2c3d4e5f6071829\"",
        "\"subnet-2c3d4e5f607182930\"",
    );
    let replace = workspace.run(&["plan", "DIR"]).expect_code(0);
    insta::assert_snapshot!(
        "vpc_link_replace",
        workspace.redact_state_ids(&replace.stdout)
    );
    workspace.converge();
    let new_id = workspace.state_values("aws_apigatewayv2_vpc_link.example")["id"].clone();
    assert_ne!(new_id, link_id);
    assert_eq!(
        workspace.state_values("aws_apigatewayv2_integration.example")["connection_id"],
        new_id
    );
    workspace
        .run(&["destroy", "DIR", "--auto-approve"])
        .expect_code(0);
    let links = aws
        .block_on(aws.client().get_vpc_links().send())
        .expect("GetVpcLinks");
    assert!(links.items().is_empty(), "{links:?}");
}

/// A VPC link made elsewhere imports by its id and re-plans empty; the data source reads it.
#[test]
fn a_vpc_link_made_with_the_sdk_imports_and_the_data_source_reads_it() {
    let workspace = Workspace::empty("vpc-link-import");
    let aws = workspace.aws();
    let made = aws
        .block_on(
            aws.client()
                .create_vpc_link()
                .name("shared")
                .security_group_ids("sg-1")
                .subnet_ids("subnet-1")
                .subnet_ids("subnet-2")
                .tags("Team", "network")
                .send(),
        )
        .expect("CreateVpcLink");
    let id = made.vpc_link_id().unwrap().to_owned();
    workspace.write(
        "main.hcl",
        &format!(
            r#"resource "aws_apigatewayv2_vpc_link" "shared" {{
  name               = "shared"
  security_group_ids = ["sg-1"]
  subnet_ids         = ["subnet-2", "subnet-1"]
  tags = {{
    Team = "network"
  }}
}}

data "aws_apigatewayv2_vpc_link" "shared" {{
  vpc_link_id = "{id}"
}}

output "read" {{
  value = "${{data.aws_apigatewayv2_vpc_link.shared.name}} ${{join(",", data.aws_apigatewayv2_vpc_link.shared.subnet_ids)}} ${{data.aws_apigatewayv2_vpc_link.shared.tags.Team}} ${{data.aws_apigatewayv2_vpc_link.shared.arn}}"
}}
"#
        ),
    );
    workspace
        .run(&["import", "aws_apigatewayv2_vpc_link.shared", &id, "DIR"])
        .expect_code(0);
    let plan = workspace
        .run(&["plan", "DIR", "--detailed-exitcode"])
        .expect_code(2);
    assert!(
        plan.stdout.contains(&format!(
            "  + read = \"shared subnet-1,subnet-2 network arn:aws:apigateway:eu-west-1::/vpclinks/{id}\"\n"
        )),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("Changes to Outputs:"),
        "{}",
        plan.stdout
    );
    assert!(!plan.stdout.contains("will be"), "{}", plan.stdout);
    workspace.edit("main.hcl", &format!("\"{id}\""), "\"missing1\"");
    let missing = workspace.run(&["plan", "DIR"]).expect_code(1);
    assert_eq!(
        missing.stderr,
        "error: `data.aws_apigatewayv2_vpc_link.shared` found no VPC link with id `missing1` in eu-west-1\n"
    );
}

const VPC_LINK: &str = r#"
resource "aws_apigatewayv2_vpc_link" "example" {
  name               = "example"
  security_group_ids = ["sg-1"]
  subnet_ids         = ["subnet-1"]
}
"#;

/// AWS makes a VPC link asynchronously: apply waits while it is PENDING, and after a delete
/// while it is DELETING, until it is gone; a link AWS gives up on fails with AWS's reason.
#[test]
fn recorded_vpc_link_waits_while_pending_and_deleting() {
    let link = |status: &str| {
        format!(
            r#"{{"vpcLinkId": "vl1", "name": "example", "securityGroupIds": ["sg-1"], "subnetIds": ["subnet-1"],
                "vpcLinkStatus": "{status}", "vpcLinkStatusMessage": "the subnet is full"}}"#
        )
    };
    let (pending, available, deleting) = (link("PENDING"), link("AVAILABLE"), link("DELETING"));
    let server = RecordedServer::start(&[
        ("POST /", CALLER_IDENTITY),
        ("POST /v2/vpclinks", &pending),
        ("GET /v2/vpclinks/vl1", &pending),
        ("GET /v2/vpclinks/vl1", &available),
    ]);
    let workspace = Workspace::empty("vpc-link-waits");
    workspace.write("main.hcl", VPC_LINK);
    workspace
        .run_against(&server.endpoint, &["apply", "DIR", "--auto-approve"])
        .expect_code(0);
    assert_eq!(
        server.calls(),
        [
            "POST /v2/vpclinks",
            "GET /v2/vpclinks/vl1",
            "GET /v2/vpclinks/vl1"
        ]
    );
    server.replace(&[
        ("POST /", CALLER_IDENTITY),
        (
            "GET /v2/vpclinks",
            &format!(r#"{{"items": [{available}]}}"#),
        ),
        ("DELETE /v2/vpclinks/vl1", "{}"),
        ("GET /v2/vpclinks/vl1", &deleting),
        ("GET /v2/vpclinks/vl1", &deleting),
        ("GET /v2/vpclinks/vl1", NOT_FOUND),
    ]);
    let before = server.requests().len();
    let destroy = workspace.run_against(&server.endpoint, &["destroy", "DIR", "--auto-approve"]);
    let destroy = destroy.expect_code(0);
    assert_eq!(
        server.calls()[before..],
        [
            "GET /v2/vpclinks",
            "DELETE /v2/vpclinks/vl1",
            "GET /v2/vpclinks/vl1",
            "GET /v2/vpclinks/vl1",
            "GET /v2/vpclinks/vl1",
        ]
    );
    assert!(
        destroy
            .stderr
            .contains("aws_apigatewayv2_vpc_link.example: Destruction complete"),
        "{}",
        destroy.stderr
    );

    let failed = link("FAILED");
    server.replace(&[
        ("POST /", CALLER_IDENTITY),
        ("POST /v2/vpclinks", &pending),
        ("GET /v2/vpclinks/vl1", &failed),
    ]);
    let apply = workspace
        .run_against(&server.endpoint, &["apply", "DIR", "--auto-approve"])
        .expect_code(1);
    assert!(
        apply.stderr.contains(
            "CreateVpcLink for `aws_apigatewayv2_vpc_link.example` failed: the VPC link `vl1` is FAILED: the subnet is full"
        ),
        "{}",
        apply.stderr
    );
}
