//! A recorded-response server: for the API Gateway v2 operations moto lacks or gets wrong
//! (pagination, UpdateStage, the deployment operations, GetAuthorizers, ImportApi), tests point
//! gateform at this server instead. It answers each request from a table of recorded responses,
//! keyed by method, path and query, in the REST-JSON shape AWS uses, and logs every request it
//! receives so a test can assert exactly which calls gateform made. It is no imitation of the SDK:
//! gateform talks to it over HTTP through the real SDK, as it talks to AWS.

use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// STS's answer to GetCallerIdentity, which gateform asks before it writes.
pub const CALLER_IDENTITY: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::210987654321:user/recorded</Arn>
    <UserId>AIDARECORDED</UserId>
    <Account>210987654321</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>recorded</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"#;

/// A recorded answer that is AWS's NotFoundException, as for an object deleted since: a key can
/// answer with bodies in turn, then with this.
pub const NOT_FOUND: &str = "<NotFoundException>";

/// One request as the server received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path with its query, such as `/v2/apis?nextToken=p2`.
    pub target: String,
    pub body: String,
}

pub struct RecordedServer {
    pub endpoint: String,
    requests: Arc<Mutex<Vec<Request>>>,
    responses: Arc<Mutex<BTreeMap<String, VecDeque<String>>>>,
}

impl RecordedServer {
    /// Serves `responses`: `"GET /v2/apis"` (method, space, path and query) to a JSON body. A key
    /// given more than once answers with each body in turn, then keeps answering with the last (a
    /// deployment that is PENDING, then DEPLOYED). A request with no recorded response gets AWS's
    /// NotFoundException.
    pub fn start(responses: &[(&str, &str)]) -> RecordedServer {
        let listener =
            TcpListener::bind("127.0.0.1:0").expect("a loopback port for the recorded server");
        let endpoint = format!("http://{}", listener.local_addr().expect("its address"));
        let server = RecordedServer {
            endpoint,
            requests: Arc::default(),
            responses: Arc::default(),
        };
        server.replace(responses);
        let (table, log) = (server.responses.clone(), server.requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                // Each SDK client keeps its own connections; gateform's calls are sequential, so the
                // log stays in call order.
                let (table, log) = (table.clone(), log.clone());
                std::thread::spawn(move || serve(stream, &table, &log));
            }
        });
        server
    }

    /// Answers from now on with `responses` only, as [`RecordedServer::start`] describes: what
    /// AWS reports changes from one step of a test to the next.
    pub fn replace(&self, responses: &[(&str, &str)]) {
        let mut table: BTreeMap<String, VecDeque<String>> = BTreeMap::new();
        for (key, body) in responses {
            table
                .entry((*key).to_owned())
                .or_default()
                .push_back((*body).to_owned());
        }
        *self.responses.lock().expect("the responses") = table;
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("the request log").clone()
    }

    /// The received requests as `METHOD TARGET` lines, for asserting the calls made.
    pub fn calls(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|request| format!("{} {}", request.method, request.target))
            .collect()
    }
}

/// One HTTP/1.1 request as it came off a connection: its request line and headers as they
/// were, and its body. The recorded-response server and the fault proxy both read with it.
pub struct HttpRequest {
    pub method: String,
    pub target: String,
    /// The request line, then each header line, without their line ends.
    pub head: Vec<String>,
    pub body: Vec<u8>,
}

/// Reads the next request of a connection; `None` once the client has closed it.
pub fn read_request(reader: &mut BufReader<TcpStream>) -> std::io::Result<Option<HttpRequest>> {
    let mut request_line = String::new();
    if reader.read_line(&mut request_line)? == 0 {
        return Ok(None);
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or_default().to_owned(),
        parts.next().unwrap_or_default().to_owned(),
    );
    let mut head = vec![request_line.trim_end().to_owned()];
    let mut content_length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header)?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            content_length = value.trim().parse().unwrap_or(0);
        }
        head.push(header.to_owned());
    }
    let mut body = vec![0; content_length];
    reader.read_exact(&mut body)?;
    Ok(Some(HttpRequest {
        method,
        target,
        head,
        body,
    }))
}

/// Answers the requests of one connection until the client closes it.
fn serve(
    stream: TcpStream,
    responses: &Mutex<BTreeMap<String, VecDeque<String>>>,
    log: &Mutex<Vec<Request>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    while let Some(request) = read_request(&mut reader)? {
        let HttpRequest {
            method,
            target,
            body,
            ..
        } = request;
        let key = format!("{method} {target}");
        log.lock().expect("the request log").push(Request {
            method,
            target,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        // Each answer in turn; the last one stays.
        let recorded = responses
            .lock()
            .expect("the responses")
            .get_mut(&key)
            .and_then(|answers| {
                if answers.len() > 1 {
                    answers.pop_front()
                } else {
                    answers.front().cloned()
                }
            });
        let (status, error_type, body) = match recorded {
            Some(body) if body != NOT_FOUND => ("200 OK", None, body),
            _ => (
                "404 Not Found",
                Some("NotFoundException"),
                format!(r#"{{"message": "no recorded response for {key}"}}"#),
            ),
        };
        // STS answers in XML; API Gateway v2 in JSON.
        let content_type = if body.starts_with('<') {
            "text/xml"
        } else {
            "application/json"
        };
        let error_header = error_type
            .map(|kind| format!("x-amzn-ErrorType: {kind}\r\n"))
            .unwrap_or_default();
        write!(
            writer,
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{error_header}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )?;
        writer.flush()?;
    }
    Ok(())
}
