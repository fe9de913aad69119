//! A small W3C WebDriver client over loopback HTTP: just the calls the scenarios use.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The W3C key under which an element reference is returned.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A reference to an element in the page.
#[derive(Debug, Clone)]
pub struct Element(String);

/// One WebDriver session, i.e. one running app.
pub struct Session {
    url: String,
    agent: ureq::Agent,
}

type Result<T> = std::result::Result<T, String>;

impl Session {
    /// Waits for the driver at `base` to answer, then opens a session that launches `app`.
    pub fn start(base: &str, app: &Path, wait: Duration) -> Result<Session> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        let deadline = Instant::now() + wait;
        while agent.get(&format!("{base}/status")).call().is_err() {
            if Instant::now() > deadline {
                return Err(format!(
                    "tauri-driver did not answer at {base} within {wait:?}"
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "tauri:options": {"application": app.display().to_string()}
        }}});
        let value = send(
            &agent,
            "POST",
            &format!("{base}/session"),
            Some(capabilities),
        )?;
        let id = value["sessionId"]
            .as_str()
            .ok_or(format!("no sessionId in {value}"))?;
        Ok(Session {
            url: format!("{base}/session/{id}"),
            agent,
        })
    }

    /// The first element matching a CSS selector, or `None` if there is none yet.
    pub fn find(&self, css: &str) -> Result<Option<Element>> {
        let body = json!({"using": "css selector", "value": css});
        match self.call("POST", "/element", Some(body)) {
            Ok(value) => Ok(value[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned()))),
            Err(e) if e.contains("no such element") => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn click(&self, element: &Element) -> Result<()> {
        self.call(
            "POST",
            &format!("/element/{}/click", element.0),
            Some(json!({})),
        )
        .map(drop)
    }

    /// Empties a text field, then types `text` into it as keystrokes.
    pub fn fill(&self, element: &Element, text: &str) -> Result<()> {
        let path = format!("/element/{}", element.0);
        self.call("POST", &format!("{path}/clear"), Some(json!({})))?;
        self.call(
            "POST",
            &format!("{path}/value"),
            Some(json!({ "text": text })),
        )
        .map(drop)
    }

    pub fn text(&self, element: &Element) -> Result<String> {
        let value = self.call("GET", &format!("/element/{}/text", element.0), None)?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    pub fn attribute(&self, element: &Element, name: &str) -> Result<Option<String>> {
        let value = self.call(
            "GET",
            &format!("/element/{}/attribute/{name}", element.0),
            None,
        )?;
        Ok(value.as_str().map(str::to_owned))
    }

    /// Resizes the app's window (W3C Set Window Rect).
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        let body = json!({"width": width, "height": height});
        self.call("POST", "/window/rect", Some(body)).map(drop)
    }

    /// Runs `script` (a function body; `return` gives the answer) in the page.
    pub fn execute(&self, script: &str) -> Result<Value> {
        let body = json!({"script": script, "args": []});
        self.call("POST", "/execute/sync", Some(body))
    }

    /// Closes the session (and with it the app).
    pub fn end(&self) -> Result<()> {
        send(&self.agent, "DELETE", &self.url, None).map(drop)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        send(&self.agent, method, &format!("{}{path}", self.url), body)
    }
}

/// Sends one request; returns the `value` of the answer, or the WebDriver error as text.
fn send(agent: &ureq::Agent, method: &str, url: &str, body: Option<Value>) -> Result<Value> {
    let response = match (method, body) {
        ("GET", _) => agent.get(url).call(),
        ("DELETE", _) => agent.delete(url).call(),
        (_, Some(body)) => agent.post(url).send_json(body),
        (_, None) => agent.post(url).send_empty(),
    }
    .map_err(|e| format!("{method} {url}: {e}"))?;
    let status = response.status();
    let mut json: Value = response
        .into_body()
        .read_json()
        .map_err(|e| format!("{method} {url}: answer is not JSON: {e}"))?;
    let value = json["value"].take();
    if status.is_success() {
        Ok(value)
    } else {
        Err(format!(
            "{method} {url}: {status}: {} {}",
            value["error"], value["message"]
        ))
    }
}
