//! `gateform fmt`: terraform fmt's canonical style, comments kept.

use crate::harness::{Run, Workspace, fixture_dir};

#[test]
fn every_fixture_is_formatted() {
    let root = fixture_dir("");
    let mut directories = vec![root.join("module-per-api/modules/http-api")];
    for entry in std::fs::read_dir(&root).unwrap() {
        directories.push(entry.unwrap().path());
    }
    let workspace = Workspace::empty("fmt");
    for directory in directories {
        let output = workspace
            .command(&["fmt", directory.to_str().unwrap(), "--check"])
            .output()
            .unwrap();
        let run = Run::from(output);
        if directory.ends_with("invalid-syntax") {
            // A file that does not parse is reported, not formatted.
            assert_eq!(run.code, 1, "{}", run.stderr);
            assert!(
                run.stderr.starts_with("error: syntax error\n"),
                "{}",
                run.stderr
            );
        } else {
            assert_eq!(
                (run.code, run.stdout.as_str()),
                (0, ""),
                "{} needs formatting",
                directory.display()
            );
        }
    }
}

const MESSY: &str = r#"# The pets api, formatted by hand.
resource "aws_apigatewayv2_api" "pets" {
name="pets"   # what clients see
    protocol_type = "HTTP"


  tags = {
      Team = "platform" // who owns it
    Environment="dev"
  }
}
resource "aws_apigatewayv2_route" "list" {
  /* the list route */
  api_id = aws_apigatewayv2_api.pets.id
  route_key     = "GET /pets"

}
"#;

/// What terraform fmt makes of MESSY: only spaces change. Blank lines stay as they were.
const FORMATTED: &str = r#"# The pets api, formatted by hand.
resource "aws_apigatewayv2_api" "pets" {
  name          = "pets" # what clients see
  protocol_type = "HTTP"


  tags = {
    Team        = "platform" // who owns it
    Environment = "dev"
  }
}
resource "aws_apigatewayv2_route" "list" {
  /* the list route */
  api_id    = aws_apigatewayv2_api.pets.id
  route_key = "GET /pets"

}
"#;

#[test]
fn fmt_rewrites_a_messy_file_and_keeps_its_comments() {
    let workspace = Workspace::empty("messy");
    workspace.write("main.hcl", MESSY);
    let check = workspace
        .run_offline(&["fmt", "messy", "--check", "--diff"])
        .expect_code(3);
    assert!(
        check
            .stdout
            .starts_with("messy/main.hcl\n--- old/messy/main.hcl\n+++ new/messy/main.hcl\n"),
        "{}",
        check.stdout
    );
    assert_eq!(
        std::fs::read_to_string(workspace.file("main.hcl")).unwrap(),
        MESSY
    );
    let fmt = workspace.run_offline(&["fmt", "messy"]).expect_code(0);
    assert_eq!(fmt.stdout, "messy/main.hcl\n");
    assert_eq!(
        std::fs::read_to_string(workspace.file("main.hcl")).unwrap(),
        FORMATTED
    );
    workspace
        .run_offline(&["fmt", "messy", "--check"])
        .expect_code(0);
    // The formatted file means what the messy one did.
    workspace.run_offline(&["validate", "messy"]).expect_code(0);
}

/// Every `*_in.tf` in tests/oracle/fmt becomes exactly its `*_out.tf`, which terraform fmt
/// wrote (tests/oracle/fmt.sh): one file per rule of terraform fmt, and a whole module's files
/// with their whitespace scrambled.
#[test]
fn fmt_writes_what_terraform_fmt_writes() {
    let oracle = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/fmt");
    let workspace = Workspace::empty("oracle");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&oracle).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_owned();
        if let Some(name) = file.strip_suffix("_in.tf") {
            std::fs::copy(&path, workspace.file(&format!("{name}.tf"))).unwrap();
            names.push(name.to_owned());
        }
    }
    names.sort();
    assert!(names.len() >= 30, "{names:?}");
    let fmt = workspace.run_offline(&["fmt", "DIR"]).expect_code(0);
    let mut wrong = Vec::new();
    for name in &names {
        let ours = std::fs::read_to_string(workspace.file(&format!("{name}.tf"))).unwrap();
        let terraforms = std::fs::read_to_string(oracle.join(format!("{name}_out.tf"))).unwrap();
        if ours != terraforms {
            wrong.push(format!(
                "{name}:\n{}",
                similar::TextDiff::from_lines(&terraforms, &ours).unified_diff()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "differs from terraform fmt:\n{}",
        wrong.join("\n")
    );
    // The files that changed are listed, one per line.
    assert!(fmt.stdout.lines().count() > 25, "{}", fmt.stdout);
}

/// A file terraform fmt leaves alone, gateform's fmt leaves alone too: every `*_out.tf`.
#[test]
fn fmt_changes_nothing_terraform_fmt_finds_canonical() {
    let oracle = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/fmt");
    let workspace = Workspace::empty("canonical");
    for entry in std::fs::read_dir(&oracle).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap();
        if file.ends_with("_out.tf") {
            std::fs::copy(&path, workspace.file(file)).unwrap();
        }
    }
    let check = workspace
        .run_offline(&["fmt", "DIR", "--check"])
        .expect_code(0);
    assert_eq!(check.stdout, "");
}

/// terraform fmt's flags and what they print, file names as it writes them: `-list=false`,
/// `-write=false` (with `-list=false`, the formatted text), `-recursive` (not into dot
/// directories, and never hidden or backup files), files named explicitly, `-` for stdin.
#[test]
fn fmt_takes_terraform_fmts_flags() {
    let workspace = Workspace::empty("flags");
    let messy = "a   = 1\n";
    for file in [
        "main.tf",
        "sub/inner.tf",
        ".gateform/modules/m/main.tf",
        ".hidden.tf",
        "main.tf~",
        "#main.tf#",
        "notes.txt",
    ] {
        workspace.write(file, messy);
    }
    workspace.write("tidy.tf", "b = 2\n");
    let untouched = |file: &str| std::fs::read_to_string(workspace.file(file)).unwrap() == messy;
    let run = |args: &[&str]| {
        let output = workspace
            .command(args)
            .current_dir(&workspace.dir)
            .output()
            .unwrap();
        crate::harness::Run::from(output)
    };

    let listed = run(&["fmt", "-recursive", "-write=false"]).expect_code(0);
    assert_eq!(listed.stdout, "main.tf\nsub/inner.tf\n");
    assert!(untouched("main.tf") && untouched("sub/inner.tf"));
    let printed = run(&["fmt", "-write=false", "-list=false"]).expect_code(0);
    assert_eq!(
        printed.stdout, "a = 1\nb = 2\n",
        "each file's formatted text"
    );
    let quiet = run(&["fmt", "-check", "-list=false", "-diff", "-recursive"]).expect_code(3);
    assert_eq!(
        quiet.stdout, "",
        "with -check, -list=false silences even the diff"
    );
    // Go's spellings of a boolean flag, as old CI scripts write them.
    let go = run(&["fmt", "-check=true", "-recursive=true", "-list"]).expect_code(3);
    assert_eq!(go.stdout, "main.tf\nsub/inner.tf\n");

    // Named files and directories; one that is not a configuration file stops the run first.
    let refused = run(&["fmt", "main.tf", "notes.txt", "gone.tf"]).expect_code(1);
    assert_eq!(
        refused.stderr,
        "error: `notes.txt` is not a configuration file: fmt formats `.hcl`, `.tf` and \
         `.tfvars` files\nerror: no file or directory at `gone.tf`\n"
    );
    assert!(untouched("main.tf"));
    let named = run(&["fmt", "main.tf", "sub", "-list=false"]).expect_code(0);
    assert_eq!(named.stdout, "");
    assert!(!untouched("main.tf") && !untouched("sub/inner.tf"));
    for file in [
        ".gateform/modules/m/main.tf",
        ".hidden.tf",
        "main.tf~",
        "#main.tf#",
    ] {
        assert!(untouched(file), "{file} was formatted");
    }

    // `-`: standard input to standard output, with the final newline terraform fmt adds.
    let mut child = workspace
        .command(&["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"resource x y {\nname=\"${var.n}\"\n}")
        .unwrap();
    drop(stdin);
    let formatted = crate::harness::Run::from(child.wait_with_output().unwrap()).expect_code(0);
    assert_eq!(
        formatted.stdout,
        "resource \"x\" \"y\" {\n  name = var.n\n}\n"
    );
}

/// A file that cannot be read stops the run before any file is written.
#[test]
fn fmt_writes_nothing_when_a_file_cannot_be_read() {
    let workspace = Workspace::empty("unreadable");
    workspace.write("a.tf", "a   = 1\n");
    std::fs::write(workspace.file("b.tf"), b"b = \"\xff\"\n").unwrap();
    let run = workspace.run_offline(&["fmt", "DIR"]).expect_code(1);
    let name = workspace.dir.file_name().unwrap().to_str().unwrap();
    assert_eq!(
        run.stderr,
        format!("error: cannot read `{name}/b.tf`: stream did not contain valid UTF-8\n")
    );
    assert_eq!(run.stdout, "");
    assert_eq!(
        std::fs::read_to_string(workspace.file("a.tf")).unwrap(),
        "a   = 1\n"
    );
}
