//! Terraform's command-line habits: a CI script written for `terraform` works with the command
//! name changed.

use crate::harness::Workspace;

#[test]
fn a_terraform_ci_script_runs_with_single_dash_flags() {
    let workspace = Workspace::new("variables-and-locals");
    workspace.write("prod.tfvars", "stage = \"prod\"\n");
    let name = workspace.dir.file_name().unwrap().to_str().unwrap();
    let chdir = format!("-chdir={name}");
    let plan = workspace
        .run(&[
            &chdir,
            "plan",
            "-var-file=prod.tfvars",
            "-var",
            "name=orders",
            "-refresh=false",
            "-parallelism=2",
            "-detailed-exitcode",
            "-out=ci.plan",
        ])
        .expect_code(2);
    assert!(
        plan.stdout.contains("orders-prod"),
        "the variables from -var and -var-file are used:\n{}",
        plan.stdout
    );
    let apply = workspace
        .run(&[
            &chdir,
            "apply",
            "-auto-approve",
            "-lock-timeout=5s",
            "ci.plan",
        ])
        .expect_code(0);
    assert!(
        apply.stdout.contains("Apply complete!"),
        "{}\n{}",
        apply.stdout,
        apply.stderr
    );
    let again = workspace
        .run(&[
            "plan",
            "-detailed-exitcode",
            "-var",
            "name=orders",
            &format!("-var-file={name}/prod.tfvars"),
            "DIR",
        ])
        .expect_code(0);
    assert!(again.stdout.contains("No changes."), "{}", again.stdout);
    // A flag gateform lacks is named with the nearest one it has, and fails as bad input does:
    // exit code 1, never the 2 of "changes present".
    let unknown = workspace
        .run(&["plan", "-detailed-exitcodes", "DIR"])
        .expect_code(1);
    assert!(
        unknown
            .stderr
            .contains("error: unexpected argument '--detailed-exitcodes' found"),
        "{}",
        unknown.stderr
    );
    assert!(
        unknown
            .stderr
            .contains("tip: a similar argument exists: '--detailed-exitcode'"),
        "{}",
        unknown.stderr
    );
    let help = workspace.run(&["plan", "-help"]).expect_code(0);
    assert!(
        help.stdout.contains("--detailed-exitcode"),
        "{}",
        help.stdout
    );
}
