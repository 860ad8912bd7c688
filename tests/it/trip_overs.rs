//! What a Terraform user trips over, tried as a new user would: each one as it reads now.

use crate::harness::Workspace;

#[test]
fn destroy_says_what_terraform_says() {
    let workspace = Workspace::new("seed-route-basic");
    workspace
        .run(&["apply", "DIR", "-auto-approve"])
        .expect_code(0);
    let destroy = workspace
        .run(&["destroy", "DIR", "-auto-approve"])
        .expect_code(0);
    assert!(
        destroy
            .stdout
            .ends_with("\nDestroy complete! Resources: 2 destroyed.\n"),
        "{}",
        destroy.stdout
    );
    let nothing = workspace
        .run(&["destroy", "DIR", "-auto-approve"])
        .expect_code(0);
    assert!(
        nothing
            .stdout
            .ends_with("\nDestroy complete! Resources: 0 destroyed.\n"),
        "{}",
        nothing.stdout
    );
    let refresh_only = workspace
        .run(&["destroy", "DIR", "-refresh-only", "-auto-approve"])
        .expect_code(1);
    assert_eq!(
        refresh_only.stderr,
        "error: `destroy` cannot take --refresh-only: it deletes everything in the state\n"
    );
    let plan = workspace
        .run(&["plan", "DIR", "-destroy", "-refresh-only"])
        .expect_code(1);
    assert_eq!(
        plan.stderr,
        "error: --destroy and --refresh-only cannot be used together\n"
    );
}

#[test]
fn apply_prints_the_outputs_and_output_says_when_there_are_none() {
    let workspace = Workspace::new("seed-http-api");
    let chdir = format!(
        "-chdir={}",
        workspace.dir.file_name().unwrap().to_str().unwrap()
    );
    let none = workspace.run_offline(&[&chdir, "output"]).expect_code(0);
    assert_eq!(none.stdout, "");
    assert_eq!(
        none.stderr,
        "Warning: No outputs found\n\nThe state (no file at `gateform.db`) has no outputs: declare them with `output` blocks and apply.\n"
    );
    workspace.write(
        "outputs.hcl",
        "output \"name\" {\n  value = aws_apigatewayv2_api.example.name\n}\n",
    );
    let apply = workspace
        .run(&["apply", "DIR", "-auto-approve"])
        .expect_code(0);
    assert!(
        apply.stdout.ends_with(
            "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.\n\nOutputs:\n\nname = \"example-http-api\"\n"
        ),
        "{}",
        apply.stdout
    );
    let state = workspace.state_json();
    assert_eq!(
        state["values"]["outputs"],
        serde_json::json!({"name": {"sensitive": false, "type": "string", "value": "example-http-api"}})
    );
    // A plan's planned outputs carry their type too, once their value is known.
    let plan = workspace
        .run(&["plan", "DIR", "--format", "json"])
        .expect_code(0);
    let plan: serde_json::Value = serde_json::from_str(&plan.stdout).unwrap();
    assert_eq!(
        plan["planned_values"]["outputs"],
        serde_json::json!({"name": {"sensitive": false, "type": "string", "value": "example-http-api"}})
    );
}

#[test]
fn show_of_what_is_neither_a_directory_nor_a_plan_is_an_error() {
    let workspace = Workspace::new("seed-http-api");
    let address = workspace
        .run_offline(&["show", "aws_apigatewayv2_api.example"])
        .expect_code(1);
    assert_eq!(
        address.stderr,
        "error: `aws_apigatewayv2_api.example` is neither a directory nor a file: to see one resource of the state, run `gateform state show 'aws_apigatewayv2_api.example'`\n"
    );
    let typo = workspace.run_offline(&["show", "/a/typo"]).expect_code(1);
    assert_eq!(
        typo.stderr,
        "error: `/a/typo` is neither a directory nor a file: give it a configuration directory, for its state, or a plan file saved with `plan --out`\n"
    );
}

#[test]
fn a_terraform_command_gateform_lacks_is_not_taken_for_a_typo() {
    let workspace = Workspace::empty("commands");
    let test = workspace.run_offline(&["test"]).expect_code(1);
    assert_eq!(
        test.stderr,
        "error: `test` is a Terraform command gateform does not have: gateform runs no `.tftest.hcl` tests; `gateform plan --detailed-exitcode` or `diff` in CI checks a change\n"
    );
    let taint = workspace
        .run_offline(&["taint", "aws_apigatewayv2_api.example"])
        .expect_code(1);
    assert!(taint.stderr.contains("`-replace=ADDR`"), "{}", taint.stderr);
    // A typo is still a typo.
    let typo = workspace.run_offline(&["destory"]).expect_code(1);
    assert!(
        typo.stderr
            .contains("tip: a similar subcommand exists: 'destroy'"),
        "{}",
        typo.stderr
    );
}

#[test]
fn each_commands_help_offers_what_it_takes() {
    let workspace = Workspace::empty("help");
    let help = |command: &str| {
        workspace
            .run_offline(&[command, "--help"])
            .expect_code(0)
            .stdout
    };
    let validate = help("validate");
    assert!(
        !validate.contains("--state") && validate.contains("--var-file"),
        "{validate}"
    );
    let show = help("show");
    assert!(
        !show.contains("--var") && show.contains("--state"),
        "{show}"
    );
    let import = help("import");
    for format in [
        "API_ID/NAME",
        "MAPPING_ID/DOMAIN",
        "API_ID/ROUTE_ID/ID",
        "the ARN",
    ] {
        assert!(import.contains(format), "{format}: {import}");
    }
    let top = workspace.run_offline(&["--help"]).expect_code(0).stdout;
    assert!(top.contains("3 files to format (fmt --check)"), "{top}");
}
