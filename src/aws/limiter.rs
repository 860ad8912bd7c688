//! The account's budget of API Gateway management requests, and the meter of what was spent.
//!
//! AWS allows about 10 management requests a second per account, in bursts of 40, for all
//! operations together, and answers 429 beyond that; a change to an api while another is under
//! way gets 409 "concurrent modification". [`Limiter`] is a token bucket every request waits at,
//! retries included: it sits in the HTTP client under both SDK clients of every region, so
//! apply, refresh, import and data sources share it. When AWS turns a request away anyway
//! (another tool spends the same account), the rate halves and comes back over
//! [`RECOVERY`]; the SDK retries the request with backoff and full jitter, after the
//! `Retry-After` AWS asks for when it names one.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef, InterceptorContext,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse, Metadata};
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::retry::ErrorKind;

use crate::connection::Rate;

/// How long a slowed-down limiter takes to come back to its full rate, without further throttling.
pub const RECOVERY: Duration = Duration::from_secs(10);

/// The budget and the meter of one account.
#[derive(Debug)]
pub struct Limiter {
    rate: Rate,
    bucket: Mutex<Bucket>,
    traffic: Mutex<Traffic>,
}

/// What was spent so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Traffic {
    /// Requests sent, retries included, by operation.
    pub calls: BTreeMap<String, usize>,
    /// Requests that were retries of an earlier attempt.
    pub retries: usize,
    /// Answers that turned a request away: 429, and 409 "concurrent modification".
    pub throttled: usize,
    /// The time requests spent waiting for the limiter, added up.
    pub waited: Duration,
}

#[derive(Debug)]
struct Bucket {
    /// The rate now: the configured one, or less for a while after throttling.
    rate: f64,
    /// Tokens in the bucket; below zero, requests are queued for the time it takes to refill.
    tokens: f64,
    /// The most tokens the bucket holds.
    burst: f64,
    refilled: Instant,
}

impl Limiter {
    pub fn new(rate: Rate) -> Arc<Limiter> {
        let full = pace(rate).unwrap_or(0.0);
        Arc::new(Limiter {
            rate,
            bucket: Mutex::new(Bucket {
                rate: full,
                tokens: rate.limit().map_or(0.0, Rate::burst),
                burst: rate.limit().map_or(0.0, Rate::burst),
                refilled: Instant::now(),
            }),
            traffic: Mutex::default(),
        })
    }

    pub fn rate(&self) -> Rate {
        self.rate
    }

    pub fn traffic(&self) -> Traffic {
        lock(&self.traffic).clone()
    }

    /// Waits for this request's turn. Requests are served in the order they ask.
    pub async fn acquire(&self) {
        let Some(full) = pace(self.rate) else {
            return;
        };
        let wait = lock(&self.bucket).reserve(full, Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
            lock(&self.traffic).waited += wait;
        }
    }

    /// AWS turned a request away: halve the rate, and start again from an empty bucket.
    fn throttled(&self) {
        lock(&self.traffic).throttled += 1;
        let Some(full) = pace(self.rate) else {
            return;
        };
        let mut bucket = lock(&self.bucket);
        bucket.refill(full, Instant::now());
        bucket.rate = (bucket.rate / 2.0).max(full / 8.0);
        bucket.tokens = bucket.tokens.min(0.0);
    }

    pub fn retrying(&self) {
        lock(&self.traffic).retries += 1;
    }

    fn sent(&self, operation: &str, retry: bool) {
        let mut traffic = lock(&self.traffic);
        *traffic.calls.entry(operation.to_owned()).or_default() += 1;
        traffic.retries += usize::from(retry);
    }
}

impl Bucket {
    /// Takes a token, and returns how long the request waits for it to be there.
    fn reserve(&mut self, full: f64, now: Instant) -> Duration {
        self.refill(full, now);
        self.tokens -= 1.0;
        match self.tokens >= 0.0 {
            true => Duration::ZERO,
            false => Duration::from_secs_f64(-self.tokens / self.rate),
        }
    }

    /// Adds the tokens earned since the last refill, and brings a slowed rate back up by
    /// `full / RECOVERY` a second.
    fn refill(&mut self, full: f64, now: Instant) {
        let elapsed = now.saturating_duration_since(self.refilled).as_secs_f64();
        self.refilled = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.rate = (self.rate + elapsed * full / RECOVERY.as_secs_f64()).min(full);
    }
}

/// The rate requests are paced at: 5% under the rate allowed, so that the network's jitter, which
/// brings some requests closer together on their way, does not take them over AWS's bucket.
fn pace(rate: Rate) -> Option<f64> {
    rate.limit().map(|rate| rate * 0.95)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The HTTP client under the SDK's, with every request waiting at the limiter first: the one the
/// configuration names, else the SDK's default (which the SDK would otherwise make for itself).
pub fn client(
    configured: Option<SharedHttpClient>,
    limiter: Arc<Limiter>,
) -> Option<SharedHttpClient> {
    let inner = configured.or_else(|| {
        use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
        use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin as _;
        let plugin = aws_smithy_runtime::client::defaults::default_http_client_plugin_v2(
            aws_config::BehaviorVersion::latest(),
        )?;
        plugin
            .runtime_components(&RuntimeComponentsBuilder::new("gateform"))
            .http_client()
    })?;
    Some(SharedHttpClient::new(Limited { inner, limiter }))
}

#[derive(Debug)]
struct Limited {
    inner: SharedHttpClient,
    limiter: Arc<Limiter>,
}

impl HttpClient for Limited {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(LimitedConnector {
            inner: self.inner.http_connector(settings, components),
            limiter: self.limiter.clone(),
        })
    }
}

#[derive(Debug)]
struct LimitedConnector {
    inner: SharedHttpConnector,
    limiter: Arc<Limiter>,
}

impl HttpConnector for LimitedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let (inner, limiter) = (self.inner.clone(), self.limiter.clone());
        HttpConnectorFuture::new(async move {
            limiter.acquire().await;
            inner.call(request).await
        })
    }
}

/// Whether AWS turned the request away without doing anything: throttled (429), or another change
/// to the same api under way (409 "concurrent modification").
fn turned_away(response: &HttpResponse) -> bool {
    match response.status().as_u16() {
        429 => true,
        409 => response
            .body()
            .bytes()
            .is_some_and(|body| String::from_utf8_lossy(body).contains("concurrent modification")),
        _ => false,
    }
}

/// The meter on every request: counts it by operation, and tells the limiter when AWS turned it
/// away.
#[derive(Debug)]
pub struct Meter(pub Arc<Limiter>);

impl Intercept for Meter {
    fn name(&self) -> &'static str {
        "gateform meter"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let operation = cfg.load::<Metadata>().map_or("unknown", Metadata::name);
        let retry = cfg
            .load::<RequestAttempts>()
            .is_some_and(|attempts| attempts.attempts() > 1);
        self.0.sent(operation, retry);
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if context.response().is_some_and(turned_away) {
            self.0.throttled();
        }
        Ok(())
    }
}

/// The SDK retries what AWS turned away as throttling, after the `Retry-After` AWS names, and
/// else with its backoff (exponential, full jitter, capped). The SDK's own classifiers do not
/// know 409 "concurrent modification".
#[derive(Debug)]
pub struct TurnedAway;

impl ClassifyRetry for TurnedAway {
    fn classify_retry(&self, context: &InterceptorContext) -> RetryAction {
        let Some(response) = context.response().filter(|response| turned_away(response)) else {
            return RetryAction::NoActionIndicated;
        };
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|seconds| seconds.trim().parse::<f64>().ok())
            .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
            .map(Duration::from_secs_f64);
        match retry_after {
            Some(delay) => {
                RetryAction::retryable_error_with_explicit_delay(ErrorKind::ThrottlingError, delay)
            }
            None => RetryAction::throttling_error(),
        }
    }

    fn name(&self) -> &'static str {
        "turned away: throttled or concurrent modification"
    }

    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_free_and_what_follows_waits_its_turn_at_the_rate() {
        let start = Instant::now();
        let mut bucket = Bucket {
            rate: 10.0,
            tokens: 40.0,
            burst: 40.0,
            refilled: start,
        };
        let waits: Vec<Duration> = (0..42).map(|_| bucket.reserve(10.0, start)).collect();
        assert!(waits[..40].iter().all(Duration::is_zero));
        assert_eq!(waits[40], Duration::from_millis(100));
        assert_eq!(waits[41], Duration::from_millis(200));
        // A second later, ten tokens were earned, and two of them were owed.
        assert_eq!(
            bucket.reserve(10.0, start + Duration::from_secs(1)),
            Duration::ZERO
        );
    }

    #[test]
    fn throttling_halves_the_rate_which_comes_back_over_the_recovery_time() {
        let limiter = Limiter::new(Rate::per_second(20.0));
        limiter.throttled();
        let rate = lock(&limiter.bucket).rate;
        assert_eq!(rate, 9.5);
        let mut bucket = lock(&limiter.bucket);
        let later = bucket.refilled + RECOVERY / 2;
        bucket.refill(19.0, later);
        assert_eq!(bucket.rate, 19.0);
        assert_eq!(limiter.traffic.lock().unwrap().throttled, 1);
    }
}
