//! A fault-injecting proxy between gateform and moto, on loopback: it makes AWS's failures happen
//! on purpose. Each request is forwarded to moto unchanged, unless a rule that matches it fires:
//! it can be answered with an error without being forwarded (429 TooManyRequestsException, 409
//! ConflictException "concurrent modification", 500, 503), forwarded and then answered with a
//! 500 or a dropped connection (the lost answers, where AWS did the work and the caller cannot
//! know), delayed, or forwarded and never answered (a hung call). Chance is a seeded generator,
//! so a failing run can be repeated with the seed it prints.

use std::io::{BufReader, Read as _, Write as _};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::recorded::{HttpRequest as Request, read_request};

/// What a rule does to a request it fires on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answers with this status and AWS's error for it, without forwarding.
    Refuse(u16),
    /// Forwards, then answers 500 InternalFailure: AWS did the work, the caller is told it failed.
    ForwardThenFail,
    /// Forwards, then closes the connection without answering.
    ForwardThenDrop,
    /// Closes the connection without forwarding or answering.
    Drop,
    /// Forwards, and answers only after this long.
    Delay(Duration),
    /// Forwards, and never answers: the connection stays open and silent.
    ForwardThenHang,
    /// Answers with this status and an HTML page, not AWS's error, without forwarding: an
    /// emulator's 404 page, a proxy's 502.
    Page(u16),
}

/// Which requests a rule is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Calls {
    /// Every request to API Gateway (not STS).
    All,
    /// The creates: POST to `/v2/...`, tags aside.
    Creates,
    /// The reads: GET of `/v2/...`.
    Reads,
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub calls: Calls,
    /// The chance, from 0 to 1, that it fires on a request it is for.
    pub share: f64,
    pub fault: Fault,
    /// It fires at most this many times.
    pub limit: Option<usize>,
}

impl Rule {
    pub fn new(calls: Calls, share: f64, fault: Fault) -> Rule {
        Rule {
            calls,
            share,
            fault,
            limit: None,
        }
    }

    pub fn times(self, limit: usize) -> Rule {
        Rule {
            limit: Some(limit),
            ..self
        }
    }
}

/// One request the proxy saw, and what it did with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub fault: Option<Fault>,
}

struct Shared {
    rules: Vec<(Rule, usize)>,
    random: u64,
    seen: Vec<Seen>,
    /// AWS's request quota, when the proxy emulates it.
    quota: Option<Quota>,
    /// How long a mutation of an api takes, when the proxy emulates AWS's one change at a time
    /// per api.
    serialised: Option<Duration>,
    /// The apis with a mutation under way, and how many mutations are under way in all.
    changing: std::collections::BTreeSet<String>,
    /// The most mutations that were under way at once, across apis.
    peak: usize,
    /// Recorded bodies, by `METHOD TARGET`, answered instead of moto.
    answers: std::collections::BTreeMap<String, String>,
    /// Recorded objects, by `METHOD TARGET`, added to the items of moto's answer.
    items: std::collections::BTreeMap<String, String>,
}

/// API Gateway's management quota, as AWS enforces it for an account: a token bucket refilled at
/// `rate` requests a second up to `burst`; a request that finds it empty is answered 429
/// TooManyRequestsException without being forwarded.
struct Quota {
    rate: f64,
    burst: f64,
    tokens: f64,
    refilled: std::time::Instant,
}

impl Quota {
    /// Takes a token if there is one.
    fn take(&mut self) -> bool {
        let now = std::time::Instant::now();
        let elapsed = now.duration_since(self.refilled).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.refilled = now;
        let taken = self.tokens >= 1.0;
        if taken {
            self.tokens -= 1.0;
        }
        taken
    }
}

pub struct FaultProxy {
    pub endpoint: String,
    shared: Arc<Mutex<Shared>>,
}

impl FaultProxy {
    /// A proxy in front of `upstream` (moto's endpoint) applying `rules`, the first that fires
    /// winning, with chance seeded by `seed`.
    pub fn start(upstream: &str, rules: Vec<Rule>, seed: u64) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port for the proxy");
        let endpoint = format!("http://{}", listener.local_addr().expect("its address"));
        let upstream = upstream
            .strip_prefix("http://")
            .expect("an http endpoint")
            .to_owned();
        let shared = Arc::new(Mutex::new(Shared {
            rules: rules.into_iter().map(|rule| (rule, 0)).collect(),
            random: seed | 1,
            seen: Vec::new(),
            quota: None,
            serialised: None,
            changing: std::collections::BTreeSet::new(),
            peak: 0,
            answers: std::collections::BTreeMap::new(),
            items: std::collections::BTreeMap::new(),
        }));
        let state = shared.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (state, upstream) = (state.clone(), upstream.clone());
                std::thread::spawn(move || serve(stream, &upstream, &state));
            }
        });
        FaultProxy { endpoint, shared }
    }

    /// From now on, answers as AWS does beyond its management quota: `rate` requests a second
    /// with bursts of `burst`, for all of API Gateway's operations together (AWS's quota for an
    /// account is 10 a second, with a burst of 40).
    pub fn with_quota(self, rate: f64, burst: f64) -> FaultProxy {
        self.shared.lock().expect("the proxy").quota = Some(Quota {
            rate,
            burst,
            tokens: burst,
            refilled: std::time::Instant::now(),
        });
        self
    }

    /// From now on, answers as AWS does to a change of an api while another is under way: 409
    /// ConflictException "concurrent modification", without forwarding. Each mutation (a POST,
    /// PATCH, PUT or DELETE under `/v2/apis/ID`) takes `latency` at least, so that overlaps
    /// happen when a client sends them.
    pub fn with_serialised_apis(self, latency: Duration) -> FaultProxy {
        self.shared.lock().expect("the proxy").serialised = Some(latency);
        self
    }

    /// From now on, answers each request whose `METHOD TARGET` is a key of `answers` (`GET
    /// /v2/apis/a1/authorizers`) with its recorded JSON body, without forwarding: the list
    /// calls moto lacks, in front of the objects moto holds.
    pub fn with_answers(self, answers: Vec<(String, String)>) -> FaultProxy {
        self.shared.lock().expect("the proxy").answers = answers.into_iter().collect();
        self
    }

    /// From now on, adds to moto's answer to each request whose `METHOD TARGET` is a key of
    /// `items` (`GET /v2/apis`) the recorded objects (a JSON array's elements, without the
    /// brackets) to its `items`: an object moto cannot make, among those it holds.
    pub fn with_items(self, items: Vec<(String, String)>) -> FaultProxy {
        self.shared.lock().expect("the proxy").items = items.into_iter().collect();
        self
    }

    /// The most api mutations that were under way at once, across apis.
    pub fn peak_mutations(&self) -> usize {
        self.shared.lock().expect("the proxy").peak
    }

    /// Every request seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.shared.lock().expect("the proxy").seen.clone()
    }

    /// How many times a fault was applied.
    pub fn count(&self, fault: Fault) -> usize {
        self.seen()
            .iter()
            .filter(|seen| seen.fault == Some(fault))
            .count()
    }
}

/// Answers the requests of one connection until the client closes it.
fn serve(stream: TcpStream, upstream: &str, shared: &Mutex<Shared>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut client = stream;
    while let Some(request) = read_request(&mut reader)? {
        let key = format!("{} {}", request.method, request.target);
        let recorded = shared.lock().expect("the proxy").answers.get(&key).cloned();
        if let Some(body) = recorded {
            write!(
                client,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )?;
            continue;
        }
        let (fault, changing) = choose(shared, &request);
        shared.lock().expect("the proxy").seen.push(Seen {
            method: request.method.clone(),
            path: request.target.clone(),
            fault,
        });
        if let Some(Fault::Refuse(status)) = fault {
            client.write_all(&refusal(status))?;
            continue;
        }
        if let Some(Fault::Page(status)) = fault {
            client.write_all(&page(status))?;
            continue;
        }
        if let Some(Fault::Drop) = fault {
            let _ = client.shutdown(Shutdown::Both);
            return Ok(());
        }
        let added = shared.lock().expect("the proxy").items.get(&key).cloned();
        let answer = match added {
            Some(added) => forward(upstream, &request).map(|answer| with_items(answer, &added)),
            None => forward(upstream, &request),
        };
        if let Some((api, latency)) = changing {
            std::thread::sleep(latency);
            shared.lock().expect("the proxy").changing.remove(&api);
        }
        let answer = answer?;
        match fault {
            Some(Fault::ForwardThenFail) => client.write_all(&refusal(500))?,
            Some(Fault::ForwardThenDrop) => {
                let _ = client.shutdown(Shutdown::Both);
                return Ok(());
            }
            Some(Fault::ForwardThenHang) => {
                // Silent until the client gives up and closes.
                let _ = reader.read(&mut [0; 1]);
                return Ok(());
            }
            Some(Fault::Delay(delay)) => {
                std::thread::sleep(delay);
                client.write_all(&answer)?;
            }
            Some(Fault::Refuse(_) | Fault::Page(_) | Fault::Drop) | None => {
                client.write_all(&answer)?
            }
        }
        client.flush()?;
    }
    Ok(())
}

/// The fault to apply to `request`, if a rule fires; and when it is a mutation of an api that
/// goes ahead, the api, which it holds until its answer, and the latency of the mutation.
fn choose(
    shared: &Mutex<Shared>,
    request: &Request,
) -> (Option<Fault>, Option<(String, Duration)>) {
    let mut shared = shared.lock().expect("the proxy");
    let api = request.target.starts_with("/v2/");
    let create = api && request.method == "POST" && !request.target.starts_with("/v2/tags/");
    if api && shared.quota.as_mut().is_some_and(|quota| !quota.take()) {
        return (Some(Fault::Refuse(429)), None);
    }
    let mutated = mutated_api(request).zip(shared.serialised);
    if let Some((changed, _)) = &mutated
        && shared.changing.contains(changed)
    {
        return (Some(Fault::Refuse(409)), None);
    }
    let read = api && request.method == "GET";
    let fault = fire(&mut shared, api, create, read);
    let changing = mutated.filter(|_| fault.is_none());
    if let Some((changed, _)) = &changing {
        shared.changing.insert(changed.clone());
        shared.peak = shared.peak.max(shared.changing.len());
    }
    (fault, changing)
}

/// The api a request changes: a POST, PATCH, PUT or DELETE of the api or under it.
fn mutated_api(request: &Request) -> Option<String> {
    if request.method == "GET" {
        return None;
    }
    let rest = request.target.strip_prefix("/v2/apis/")?;
    let id = rest.split(['/', '?']).next().filter(|id| !id.is_empty())?;
    Some(id.to_owned())
}

/// The fault of the first rule that fires on a request.
fn fire(shared: &mut Shared, api: bool, create: bool, read: bool) -> Option<Fault> {
    for index in 0..shared.rules.len() {
        let (rule, fired) = &shared.rules[index];
        let applies = match rule.calls {
            Calls::All => api,
            Calls::Creates => create,
            Calls::Reads => read,
        };
        if !applies || rule.limit.is_some_and(|limit| *fired >= limit) {
            continue;
        }
        let share = rule.share;
        if next_random(&mut shared.random) < share {
            shared.rules[index].1 += 1;
            return Some(shared.rules[index].0.fault);
        }
    }
    None
}

/// A seed for a test's chances, different on every run; tests print it when they fail.
pub fn seed() -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970");
    now.as_nanos() as u64 ^ u64::from(std::process::id()) << 32
}

/// Chance for tests: a number in [0, 1) from `state`, which it advances.
pub fn random(state: &mut u64) -> f64 {
    next_random(state)
}

/// xorshift64*: a number in [0, 1).
fn next_random(state: &mut u64) -> f64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    let value = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
    (value >> 11) as f64 / (1u64 << 53) as f64
}

/// Sends `request` to moto on a connection of its own, and returns moto's answer, re-framed with
/// its length so that the client's connection can stay open.
fn forward(upstream: &str, request: &Request) -> std::io::Result<Vec<u8>> {
    let mut moto = TcpStream::connect(upstream)?;
    // One request a connection to moto: its own `Connection` header is replaced.
    let mut head = request
        .head
        .iter()
        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
        .cloned()
        .collect::<Vec<_>>()
        .join("\r\n");
    head.push_str("\r\nConnection: close\r\n\r\n");
    moto.write_all(head.as_bytes())?;
    moto.write_all(&request.body)?;
    let mut raw = Vec::new();
    moto.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("an HTTP answer from moto");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = &raw[split + 4..];
    let mut answer = String::new();
    for line in head.split("\r\n") {
        let name = line.split(':').next().unwrap_or_default();
        let framing = ["content-length", "connection", "transfer-encoding"]
            .iter()
            .any(|framing| name.eq_ignore_ascii_case(framing));
        assert!(
            !(name.eq_ignore_ascii_case("transfer-encoding") && line.contains("chunked")),
            "moto answered chunked"
        );
        if !framing {
            answer.push_str(line);
            answer.push_str("\r\n");
        }
    }
    answer.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut answer = answer.into_bytes();
    answer.extend_from_slice(body);
    Ok(answer)
}

/// moto's answer with `added` (JSON objects, comma-separated) after the items of its body.
fn with_items(answer: Vec<u8>, added: &str) -> Vec<u8> {
    let split = answer
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("an answer with a head");
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let mut body: serde_json::Value =
        serde_json::from_slice(&answer[split + 4..]).expect("moto answers JSON");
    let added: Vec<serde_json::Value> =
        serde_json::from_str(&format!("[{added}]")).expect("recorded items");
    body["items"]
        .as_array_mut()
        .expect("a list's items")
        .extend(added);
    let body = body.to_string();
    let head: Vec<&str> = head
        .split("\r\n")
        .filter(|line| !line.to_ascii_lowercase().starts_with("content-length:"))
        .collect();
    format!(
        "{}\r\nContent-Length: {}\r\n\r\n{body}",
        head.join("\r\n"),
        body.len()
    )
    .into_bytes()
}

/// An HTML page for `status`, as what stands between gateform and AWS answers: Flask's 404
/// (moto's server, for an operation it lacks), nginx's 502.
fn page(status: u16) -> Vec<u8> {
    let (reason, body) = match status {
        404 => (
            "Not Found",
            "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n",
        ),
        _ => (
            "Bad Gateway",
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
        ),
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The request id of the proxy's own answers, as AWS puts one on every answer.
pub const REQUEST_ID: &str = "7d6f2d3a-0c4e-4b51-9a3e-proxy0000001";

/// AWS's error answer for `status`, in API Gateway's REST-JSON shape.
fn refusal(status: u16) -> Vec<u8> {
    let (reason, kind, message) = match status {
        429 => (
            "Too Many Requests",
            "TooManyRequestsException",
            "Too Many Requests",
        ),
        409 => (
            "Conflict",
            "ConflictException",
            "Unable to complete operation due to concurrent modification. Please try again later.",
        ),
        503 => (
            "Service Unavailable",
            "ServiceUnavailable",
            "Service Unavailable",
        ),
        _ => (
            "Internal Server Error",
            "InternalFailure",
            "Internal server error",
        ),
    };
    let body = format!(r#"{{"message":"{message}"}}"#);
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nx-amzn-ErrorType: {kind}\r\nx-amzn-RequestId: {REQUEST_ID}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}
