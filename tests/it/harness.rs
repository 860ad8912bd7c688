//! The test harness: a real moto server, a scratch copy of a fixture, and the real binary.
//!
//! moto (`moto[server]`, pinned below) is installed into a venv under the target directory the first
//! time a test needs it, and started once per test process on a free loopback port. Each test gets
//! its own AWS account, through temporary credentials from STS AssumeRole (moto keeps one backend
//! per account), so tests running in parallel never see each other's apis.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, ChildStdin, Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use aws_sdk_apigatewayv2::Client;

/// The moto release the tests run against.
pub const MOTO: &str = "moto[server]==5.2.5";

/// The region every test uses; tests are isolated by account instead.
pub const REGION: &str = "eu-west-1";

pub struct Moto {
    pub endpoint: String,
    /// Held open for the life of the test process: when it closes, the server's wrapper stops it.
    _stdin: Mutex<ChildStdin>,
    _child: Mutex<Child>,
}

/// The moto server of this test process, started on first use.
pub fn moto() -> &'static Moto {
    static MOTO_SERVER: OnceLock<Moto> = OnceLock::new();
    MOTO_SERVER.get_or_init(start_moto)
}

fn start_moto() -> Moto {
    let python = install_moto();
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port();
    // The wrapper stops moto when this process's end of its stdin closes, even if the tests crash.
    let script = format!(
        "\"{}\" -m moto.server -H 127.0.0.1 -p {port} >/dev/null 2>&1 & pid=$!; cat >/dev/null; kill $pid",
        python.display()
    );
    let mut child = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::piped())
        .spawn()
        .expect("start moto");
    let stdin = child.stdin.take().expect("moto's stdin");
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "moto did not start listening on port {port} within 60s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Moto {
        endpoint: format!("http://127.0.0.1:{port}"),
        _stdin: Mutex::new(stdin),
        _child: Mutex::new(child),
    }
}

/// Installs moto into `target/moto-venv` unless it is there already, and returns its python.
fn install_moto() -> PathBuf {
    install_venv("moto-venv", MOTO).join("bin/python")
}

/// Installs the Python packages `requirement` into `target/NAME` unless they are there already,
/// and returns the venv's directory. Test processes installing at once take turns.
pub fn install_venv(name: &str, requirement: &str) -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .to_path_buf();
    let venv = target.join(name);
    let marker = venv.join(format!(".installed {requirement}"));
    if marker.exists() {
        return venv;
    }
    std::fs::create_dir_all(&target).expect("create the target directory");
    let lock = std::fs::File::create(target.join(format!("{name}.lock")))
        .expect("create the install lock");
    lock.lock().expect("take the install lock");
    if !marker.exists() {
        eprintln!(
            "installing {requirement} into {} (first run only)",
            venv.display()
        );
        let _ = std::fs::remove_dir_all(&venv);
        run_checked(Command::new("python3").args(["-m", "venv"]).arg(&venv));
        run_checked(Command::new(venv.join("bin/python")).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            requirement,
        ]));
        std::fs::write(&marker, "").expect("mark the venv installed");
    }
    venv
}

fn run_checked(command: &mut Command) {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("cannot run {command:?}: {error}"));
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A scratch directory holding a copy of a fixture, and the AWS account this test owns.
pub struct Workspace {
    _temp: tempfile::TempDir,
    pub dir: PathBuf,
    pub account: String,
    /// Temporary credentials in `account`, made on first use so tests that need no AWS cost nothing.
    keys: OnceLock<Keys>,
}

struct Keys {
    access_key_id: String,
    secret_access_key: String,
    session_token: String,
}

impl Workspace {
    /// A copy of `fixtures/NAME` in a fresh directory.
    pub fn new(fixture: &str) -> Workspace {
        let workspace = Workspace::empty(fixture);
        copy_dir(&fixture_dir(fixture), &workspace.dir);
        workspace
    }

    /// An empty configuration directory called `name`, for tests that write their own files.
    pub fn empty(name: &str) -> Workspace {
        static NEXT_ACCOUNT: AtomicU64 = AtomicU64::new(100_000_000_000);
        let account = NEXT_ACCOUNT.fetch_add(1, Ordering::SeqCst).to_string();
        let temp = tempfile::tempdir().expect("a temporary directory");
        let dir = temp.path().join(name);
        std::fs::create_dir_all(&dir).expect("create the workspace");
        Workspace {
            _temp: temp,
            dir,
            account,
            keys: OnceLock::new(),
        }
    }

    /// Another empty configuration directory, with its own state, in the same AWS account: a
    /// second team, or a second configuration, meeting the first one's objects.
    pub fn beside(&self, name: &str) -> Workspace {
        Workspace {
            account: self.account.clone(),
            ..Workspace::empty(name)
        }
    }

    /// The moto account the workspace's objects live in.
    pub fn account(&self) -> &str {
        &self.account
    }

    fn keys(&self) -> &Keys {
        self.keys.get_or_init(|| assume_role(&self.account))
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Writes a file of the workspace, in a new subdirectory (a module's) if `name` names one.
    pub fn write(&self, name: &str, text: &str) {
        let path = self.file(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("make the file's directory");
        }
        std::fs::write(path, text).expect("write a configuration file");
    }

    /// Replaces `from` with `to` in a file of the workspace; `from` must occur.
    pub fn edit(&self, name: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.file(name)).expect("read a configuration file");
        assert!(text.contains(from), "`{from}` is not in {name}");
        self.write(name, &text.replace(from, to));
    }

    pub fn state_path(&self) -> PathBuf {
        self.file("gateform.db")
    }

    /// A `gateform` command run in the workspace's parent directory, pointed at moto.
    pub fn command(&self, args: &[impl AsRef<std::ffi::OsStr>]) -> Command {
        self.program(env!("CARGO_BIN_EXE_gateform"), args)
    }

    /// `program` run as [`Workspace::command`] runs gateform: same directory, same environment.
    pub fn program(
        &self,
        program: impl AsRef<std::ffi::OsStr>,
        args: &[impl AsRef<std::ffi::OsStr>],
    ) -> Command {
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(self.dir.parent().expect("the workspace's parent"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.parent().expect("the workspace's parent"))
            .env("NO_COLOR", "1")
            .env("USER", "tester")
            .env("AWS_REGION", REGION)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            // moto has no request quota: tests pace their requests only where the fault proxy
            // emulates AWS's, and say so by removing this.
            .env("GATEFORM_RATE", "0")
            .stdin(Stdio::null());
        command
    }

    /// Runs gateform against moto. `DIR` in `args` stands for the workspace's directory.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = self
            .aws_command(&self.args(args))
            .output()
            .expect("run gateform");
        Run::from(output)
    }

    /// Like [`Workspace::run`], with the command changed by `customize` first.
    pub fn run_with(&self, args: &[&str], customize: impl FnOnce(&mut Command)) -> Run {
        let mut command = self.aws_command(&self.args(args));
        customize(&mut command);
        Run::from(command.output().expect("run gateform"))
    }

    /// Runs gateform with an AWS endpoint where nothing listens: for commands that must not need AWS.
    pub fn run_offline(&self, args: &[&str]) -> Run {
        let output = self
            .command(&self.args(args))
            .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
            .output()
            .expect("run gateform");
        Run::from(output)
    }

    /// Runs gateform against another endpoint, such as a recorded-response server.
    /// One call at a time (`GATEFORM_PARALLELISM=1`), so that a recorded server's log of requests,
    /// which tests compare with a list, is in the one order gateform sends them.
    pub fn run_against(&self, endpoint: &str, args: &[&str]) -> Run {
        let output = self
            .command(&self.args(args))
            .env("AWS_ENDPOINT_URL", endpoint)
            .env("AWS_ACCESS_KEY_ID", "recorded")
            .env("AWS_SECRET_ACCESS_KEY", "recorded")
            .env("GATEFORM_PARALLELISM", "1")
            .output()
            .expect("run gateform");
        Run::from(output)
    }

    /// Starts gateform against moto without waiting for it, with stdin, stdout and stderr piped.
    pub fn spawn(&self, args: &[&str]) -> Running {
        self.spawn_with(args, |_| {})
    }

    /// Like [`Workspace::spawn`], with the command changed by `customize` first.
    pub fn spawn_with(&self, args: &[&str], customize: impl FnOnce(&mut Command)) -> Running {
        let mut command = self.aws_command(&self.args(args));
        customize(&mut command);
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gateform");
        let stderr = child.stderr.take().expect("gateform's stderr");
        let mut stdout = child.stdout.take().expect("gateform's stdout");
        let stdout = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stdout.read_to_string(&mut text);
            text
        });
        Running {
            child,
            stderr,
            seen: String::new(),
            stdout,
        }
    }

    /// Applies without asking, then checks that the next plan is empty.
    pub fn converge(&self) {
        self.run(&["apply", "DIR", "--auto-approve"]).expect_code(0);
        self.run(&["plan", "DIR", "--detailed-exitcode"])
            .expect_code(0);
    }

    /// `args` with `DIR` replaced by the workspace's directory, relative to where gateform runs.
    fn args(&self, args: &[&str]) -> Vec<String> {
        let dir = self
            .dir
            .file_name()
            .expect("a directory name")
            .to_string_lossy();
        args.iter()
            .map(|arg| {
                if *arg == "DIR" {
                    dir.to_string()
                } else {
                    (*arg).to_owned()
                }
            })
            .collect()
    }

    /// A `gateform` command pointed at moto, with this test's credentials.
    pub fn aws_command(&self, args: &[impl AsRef<std::ffi::OsStr>]) -> Command {
        self.aws_program(env!("CARGO_BIN_EXE_gateform"), args)
    }

    /// `program` run as [`Workspace::aws_command`] runs gateform, such as `script` running it.
    pub fn aws_program(
        &self,
        program: impl AsRef<std::ffi::OsStr>,
        args: &[impl AsRef<std::ffi::OsStr>],
    ) -> Command {
        let keys = self.keys();
        let mut command = self.program(program, args);
        command
            .env("AWS_ENDPOINT_URL", &moto().endpoint)
            .env("AWS_ACCESS_KEY_ID", &keys.access_key_id)
            .env("AWS_SECRET_ACCESS_KEY", &keys.secret_access_key)
            .env("AWS_SESSION_TOKEN", &keys.session_token);
        command
    }

    /// Replaces each id with a stable placeholder, and this test's account with `ACCOUNT`, so
    /// snapshots depend neither on moto's random ids nor on the order tests start in.
    pub fn redact(&self, text: &str, ids: &[(&str, &str)]) -> String {
        ids.iter()
            .fold(text.to_owned(), |text, (id, name)| text.replace(id, name))
            .replace(&self.account, "ACCOUNT")
    }

    /// The state as `show --json` prints it.
    pub fn state_json(&self) -> serde_json::Value {
        let show = self.run_offline(&["show", "DIR", "--json"]).expect_code(0);
        serde_json::from_str(&show.stdout).expect("show --json prints JSON")
    }

    /// Every resource in the state, from the root module and every child module, as
    /// `show --json` prints them.
    pub fn state_resources(&self) -> Vec<serde_json::Value> {
        fn collect(module: &serde_json::Value, into: &mut Vec<serde_json::Value>) {
            into.extend(
                module["resources"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
            for child in module["child_modules"].as_array().into_iter().flatten() {
                collect(child, into);
            }
        }
        let mut resources = Vec::new();
        collect(&self.state_json()["values"]["root_module"], &mut resources);
        resources
    }

    /// The values of one resource in the state, as `show --json` prints them.
    pub fn state_values(&self, address: &str) -> serde_json::Value {
        let resource = self
            .state_resources()
            .into_iter()
            .find(|resource| resource["address"] == address);
        resource.unwrap_or_else(|| panic!("`{address}` is not in the state"))["values"].clone()
    }

    /// The id of one resource in the state.
    pub fn state_id(&self, address: &str) -> String {
        let values = self.state_values(address);
        values["id"]
            .as_str()
            .unwrap_or_else(|| panic!("`{address}` has no id: {values}"))
            .to_owned()
    }

    /// Like [`Workspace::redact`], with every id in the state replaced by `<ADDRESS.id>`.
    pub fn redact_state_ids(&self, text: &str) -> String {
        let mut ids: Vec<(String, String)> = self
            .state_resources()
            .into_iter()
            // An id that is also the resource's name (a stage's) is a word, not a random id.
            .filter(|resource| resource["values"]["id"] != resource["values"]["name"])
            .filter_map(|resource| {
                let id = resource["values"]["id"].as_str()?.to_owned();
                Some((id, format!("<{}.id>", resource["address"].as_str()?)))
            })
            .collect();
        // Longer ids first, so that no id is replaced inside another.
        ids.sort_by_key(|(id, _)| std::cmp::Reverse(id.len()));
        let redactions: Vec<(&str, &str)> = ids
            .iter()
            .map(|(id, name)| (id.as_str(), name.as_str()))
            .collect();
        self.redact(text, &redactions)
    }

    /// An SDK client for this test's account in moto, to check what gateform did.
    pub fn aws(&self) -> Aws {
        self.aws_in(REGION)
    }

    /// Like [`Workspace::aws`], in another region.
    pub fn aws_in(&self, region: &str) -> Aws {
        let keys = self.keys();
        let credentials = aws_sdk_apigatewayv2::config::Credentials::new(
            &keys.access_key_id,
            &keys.secret_access_key,
            Some(keys.session_token.clone()),
            None,
            "tests",
        );
        Aws::new(credentials, region)
    }
}

/// Copies `from` into `to`, subdirectories (modules) too.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read the fixture") {
        let entry = entry.expect("a fixture file");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("create a fixture directory");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy a fixture file");
        }
    }
}

/// Each resource change of a JSON plan: its address and Terraform actions.
pub fn actions(plan: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    plan["resource_changes"]
        .as_array()
        .expect("resource_changes")
        .iter()
        .map(|change| {
            let actions = change["change"]["actions"]
                .as_array()
                .expect("actions")
                .iter()
                .map(|action| action.as_str().unwrap_or_default().to_owned())
                .collect();
            (
                change["address"].as_str().unwrap_or_default().to_owned(),
                actions,
            )
        })
        .collect()
}

pub fn fixture_dir(fixture: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(fixture)
}

/// A gateform process still running.
pub struct Running {
    child: Child,
    stderr: ChildStderr,
    /// What it has written to stderr so far.
    seen: String,
    /// Reads stdout as it comes, so that a long plan never fills the pipe and blocks gateform.
    stdout: std::thread::JoinHandle<String>,
}

impl Running {
    /// Reads stderr until `text` appears in it.
    pub fn wait_for(&mut self, text: &str) {
        while !self.seen.contains(text) {
            let mut buffer = [0; 512];
            let read = self
                .stderr
                .read(&mut buffer)
                .expect("read gateform's stderr");
            assert!(
                read > 0,
                "gateform ended before printing `{text}`:\n{}",
                self.seen
            );
            self.seen
                .push_str(&String::from_utf8_lossy(&buffer[..read]));
        }
    }

    pub fn answer(&mut self, text: &str) {
        let stdin = self.child.stdin.as_mut().expect("gateform's stdin");
        stdin.write_all(text.as_bytes()).expect("answer gateform");
    }

    /// Sends SIGINT, as Ctrl-C in a terminal does.
    pub fn interrupt(&self) {
        self.signal("INT");
    }

    /// Sends a signal by name: `TERM`, as CI does when a job is cancelled; `KILL`.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether it has ended.
    pub fn has_ended(&mut self) -> bool {
        self.child.try_wait().expect("look at gateform").is_some()
    }

    /// Waits for it to end; stderr includes what was already read.
    pub fn finish(mut self) -> Run {
        let mut rest = String::new();
        self.stderr
            .read_to_string(&mut rest)
            .expect("read gateform's stderr");
        let status = self.child.wait().expect("wait for gateform");
        Run {
            code: status.code().unwrap_or(-1),
            stdout: self.stdout.join().expect("gateform's stdout"),
            stderr: self.seen + &rest,
        }
    }
}

/// What one run of gateform did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts the exit code, showing the whole output when it is not the expected one.
    #[track_caller]
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// `--verbose`'s report on stderr, with the time spent waiting for the rate limit, which
    /// depends on the machine, written as `…s`.
    pub fn verbose_report(&self) -> String {
        let waited = regex::Regex::new(r"took \d+\.\ds\.").unwrap();
        waited.replace_all(&self.stderr, "took …s.").into_owned()
    }

    /// The plan's last line.
    pub fn summary(&self) -> &str {
        self.stdout
            .lines()
            .rev()
            .find(|line| !line.is_empty())
            .unwrap_or_default()
    }
}

/// The real SDK, pointed at moto, for assertions about what exists.
pub struct Aws {
    runtime: tokio::runtime::Runtime,
    client: Client,
    config: aws_config::SdkConfig,
}

/// An api as AWS reports it, with its routes.
#[derive(Debug, PartialEq, Eq)]
pub struct Api {
    pub id: String,
    pub name: String,
    pub protocol_type: String,
    pub route_keys: Vec<String>,
}

impl Aws {
    fn new(credentials: aws_sdk_apigatewayv2::config::Credentials, region: &str) -> Aws {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let config = runtime.block_on(sdk_config(credentials, region));
        Aws {
            runtime,
            client: Client::new(&config),
            config,
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// A client like [`Aws::client`], pointed at another endpoint, such as a recorded server.
    pub fn client_at(&self, endpoint: &str) -> Client {
        let config = aws_sdk_apigatewayv2::config::Builder::from(&self.config)
            .endpoint_url(endpoint)
            .build();
        Client::from_conf(config)
    }

    /// Puts `body` at `s3://BUCKET/KEY` in moto, making the bucket if it is not there: a state
    /// that Terraform wrote.
    pub fn put_object(&self, bucket: &str, key: &str, body: &str) {
        let config = aws_sdk_s3::config::Builder::from(&self.config)
            .force_path_style(true)
            .build();
        let s3 = aws_sdk_s3::Client::from_conf(config);
        let location = aws_sdk_s3::types::CreateBucketConfiguration::builder()
            .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::from(REGION))
            .build();
        self.block_on(async {
            let _ = s3
                .create_bucket()
                .bucket(bucket)
                .create_bucket_configuration(location)
                .send()
                .await;
            s3.put_object()
                .bucket(bucket)
                .key(key)
                .body(body.as_bytes().to_vec().into())
                .send()
                .await
                .expect("put the object");
        });
    }

    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// Makes an HTTP api named `name` outside gateform, as someone else would; returns its id.
    pub fn create_http_api(&self, name: &str) -> String {
        let created = self
            .block_on(
                self.client
                    .create_api()
                    .name(name)
                    .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
                    .send(),
            )
            .expect("CreateApi");
        created.api_id().expect("an api id").to_owned()
    }

    /// Every api in the region, with its route keys, sorted by name.
    pub fn apis(&self) -> Vec<Api> {
        self.block_on(async {
            let apis = self.client.get_apis().send().await.expect("GetApis");
            let mut found = Vec::new();
            for api in apis.items() {
                let id = api.api_id().unwrap_or_default().to_owned();
                let routes = self
                    .client
                    .get_routes()
                    .api_id(&id)
                    .send()
                    .await
                    .expect("GetRoutes");
                let mut route_keys: Vec<String> = routes
                    .items()
                    .iter()
                    .filter_map(|r| r.route_key().map(str::to_owned))
                    .collect();
                route_keys.sort();
                found.push(Api {
                    id,
                    name: api.name().unwrap_or_default().to_owned(),
                    protocol_type: api
                        .protocol_type()
                        .map(|p| p.as_str().to_owned())
                        .unwrap_or_default(),
                    route_keys,
                });
            }
            found.sort_by(|a, b| a.name.cmp(&b.name));
            found
        })
    }

    /// The integrations of an api, as (integration uri, id), sorted.
    pub fn integrations(&self, api_id: &str) -> Vec<(String, String)> {
        let listed = self
            .block_on(self.client.get_integrations().api_id(api_id).send())
            .expect("GetIntegrations");
        let mut integrations: Vec<(String, String)> = listed
            .items()
            .iter()
            .map(|integration| {
                (
                    integration.integration_uri().unwrap_or_default().to_owned(),
                    integration.integration_id().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        integrations.sort();
        integrations
    }

    /// Tags the object at `arn` outside gateform, as another system would.
    pub fn tag(&self, arn: &str, tags: &[(&str, &str)]) {
        let mut request = self.client.tag_resource().resource_arn(arn);
        for (key, value) in tags {
            request = request.tags(*key, *value);
        }
        self.block_on(request.send()).expect("TagResource");
    }

    /// The tags AWS holds for the object at `arn`.
    pub fn tags(&self, arn: &str) -> std::collections::BTreeMap<String, String> {
        let tags = self
            .block_on(self.client.get_tags().resource_arn(arn).send())
            .expect("GetTags");
        tags.tags()
            .into_iter()
            .flatten()
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect()
    }
}

async fn sdk_config(
    credentials: aws_sdk_apigatewayv2::config::Credentials,
    region: &str,
) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region.to_owned()))
        .endpoint_url(&moto().endpoint)
        .credentials_provider(credentials)
        .load()
        .await
}

/// Temporary credentials in `account`, from moto's STS.
fn assume_role(account: &str) -> Keys {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let base = aws_sdk_apigatewayv2::config::Credentials::new(
            "testing", "testing", None, None, "tests",
        );
        let sts = aws_sdk_sts::Client::new(&sdk_config(base, REGION).await);
        let assumed = sts
            .assume_role()
            .role_arn(format!("arn:aws:iam::{account}:role/gateform-tests"))
            .role_session_name("gateform-tests")
            .send()
            .await
            .expect("sts:AssumeRole against moto");
        let credentials = assumed
            .credentials()
            .expect("credentials in the AssumeRole answer");
        Keys {
            access_key_id: credentials.access_key_id().to_owned(),
            secret_access_key: credentials.secret_access_key().to_owned(),
            session_token: credentials.session_token().to_owned(),
        }
    })
}

/// Reads a file's bytes, or nothing when it does not exist.
pub fn bytes(path: &Path) -> Option<Vec<u8>> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}
