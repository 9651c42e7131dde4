//! jPOS XML logs (`<log><send|receive><isomsg>…`): the messages jPOS logged, as field values.
//! jPOS logs values, not bytes, so what comes out has no byte offsets.

/// One logged field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedField {
    /// Field path: `4`, or `55.9F26` for a field inside a nested `<isomsg id="55">`.
    pub id: String,
    /// Value as logged (jPOS may have protected it: `621234____1232`, `[WIPED]`).
    pub value: String,
    /// `type="binary"`: the value is hex.
    pub binary: bool,
}

/// One `<isomsg>` with the `<log>` attributes around it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoggedMessage {
    /// `at` of the enclosing `<log>`.
    pub at: Option<String>,
    /// `req` for `<send>`/outgoing, `resp` for `<receive>`/incoming.
    pub dir: Option<String>,
    /// `lifespan` of the `<log>` in milliseconds.
    pub lifespan_ms: Option<f64>,
    /// `<header>` as hex.
    pub header: Option<String>,
    /// Fields in the order logged (field 0 is the MTI).
    pub fields: Vec<LoggedField>,
    /// Line of the `<isomsg>` start.
    pub line: usize,
}

impl LoggedMessage {
    /// The MTI (field 0).
    pub fn mti(&self) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.id == "0")
            .map(|f| f.value.as_str())
    }
}

/// Value of attribute `name` in a tag's text.
pub(crate) fn attr(tag: &str, name: &str) -> Option<String> {
    let bytes = tag.as_bytes();
    let mut from = 0;
    while let Some(p) = tag[from..].find(name) {
        let at = from + p;
        from = at + name.len();
        let before_ok = at == 0 || bytes[at - 1].is_ascii_whitespace();
        let rest = tag[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        let quote = rest.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let end = rest[1..].find(quote)?;
        return Some(unescape(&rest[1..1 + end]));
    }
    None
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Parser state over a stream of lines; `feed` returns the messages completed by each line.
#[derive(Default)]
pub struct Parser {
    at: Option<String>,
    lifespan: Option<f64>,
    dir: Option<String>,
    stack: Vec<String>,
    current: Option<LoggedMessage>,
    pending: String,
    line: usize,
}

impl Parser {
    /// A parser at the start of a log.
    pub fn new() -> Self {
        Parser::default()
    }

    /// Feed one line of text; returns finished messages.
    pub fn feed(&mut self, line: &str) -> Vec<LoggedMessage> {
        self.line += 1;
        let mut done = Vec::new();
        // Tags may span lines (CDATA, long attributes): accumulate until balanced.
        self.pending.push_str(line);
        self.pending.push('\n');
        loop {
            let Some(start) = self.pending.find('<') else {
                self.pending.clear();
                break;
            };
            let text = &self.pending[start..];
            let end = if text.starts_with("<!--") {
                text.find("-->").map(|e| e + 3)
            } else if text.starts_with("<![CDATA[") {
                text.find("]]>").map(|e| e + 3)
            } else {
                text.find('>').map(|e| e + 1)
            };
            let Some(end) = end else {
                // Incomplete tag: keep it for the next line (bounded, so garbage cannot grow it).
                if self.pending.len() > 1 << 20 {
                    self.pending.clear();
                }
                break;
            };
            let tag = text[..end].to_string();
            // Text between this tag and the next one (element content such as <header>).
            let after = self.pending[start + end..].to_string();
            let content_end = after.find('<').unwrap_or(after.len());
            let content = after[..content_end].trim().to_string();
            self.pending = self.pending[start + end..].to_string();
            self.tag(&tag, &content, &mut done);
        }
        done
    }

    fn tag(&mut self, tag: &str, content: &str, done: &mut Vec<LoggedMessage>) {
        if tag.starts_with("<!--") || tag.starts_with("<?") {
            return;
        }
        if let Some(cdata) = tag
            .strip_prefix("<![CDATA[")
            .and_then(|t| t.strip_suffix("]]>"))
        {
            // CDATA value of the last <field> without a value attribute.
            if let Some(m) = &mut self.current
                && let Some(f) = m.fields.last_mut().filter(|f| f.value.is_empty())
            {
                f.value = cdata.to_string();
            }
            return;
        }
        let closing = tag.starts_with("</");
        let self_closing = tag.ends_with("/>");
        let name: String = tag
            .trim_start_matches('<')
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        match (name.as_str(), closing) {
            ("log", false) => {
                self.at = attr(tag, "at");
                self.lifespan =
                    attr(tag, "lifespan").and_then(|l| l.trim_end_matches("ms").parse().ok());
            }
            ("send", false) => self.dir = Some("req".into()),
            ("receive", false) => self.dir = Some("resp".into()),
            ("send" | "receive", true) => self.dir = None,
            ("isomsg", false) => {
                if self.current.is_none() {
                    let dir = match attr(tag, "direction").as_deref() {
                        Some("outgoing") => Some("req".to_string()),
                        Some("incoming") => Some("resp".to_string()),
                        _ => self.dir.clone(),
                    };
                    self.current = Some(LoggedMessage {
                        at: self.at.clone(),
                        dir,
                        lifespan_ms: self.lifespan,
                        line: self.line,
                        ..LoggedMessage::default()
                    });
                } else {
                    // Nested: fields inside are sub-elements of this id.
                    self.stack.push(attr(tag, "id").unwrap_or_default());
                }
            }
            ("isomsg", true) => {
                if self.stack.pop().is_none()
                    && let Some(m) = self.current.take()
                {
                    done.push(m);
                }
            }
            ("header", false) => {
                if let Some(m) = &mut self.current {
                    m.header = Some(content.split_whitespace().collect());
                }
            }
            ("field", false) => {
                if let Some(m) = &mut self.current {
                    let Some(id) = attr(tag, "id") else { return };
                    let path = if self.stack.is_empty() {
                        id
                    } else {
                        format!("{}.{id}", self.stack.join("."))
                    };
                    let binary = attr(tag, "type").as_deref() == Some("binary");
                    let value = attr(tag, "value").unwrap_or_else(|| {
                        if self_closing {
                            String::new()
                        } else {
                            unescape(content)
                        }
                    });
                    m.fields.push(LoggedField {
                        id: path,
                        value,
                        binary,
                    });
                }
            }
            _ => {}
        }
    }

    /// Messages still open at the end of input (a log cut short).
    pub fn finish(&mut self) -> Option<LoggedMessage> {
        self.current.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = r#"<log realm="channel/127.0.0.1:6000" at="2024-06-12T14:30:16.104" lifespan="85ms">
  <receive>
    <isomsg direction="incoming">
      <!-- org.jpos.iso.packager.GenericPackager[cfg/cup-pos.xml] -->
      <header>6000000003603100310100</header>
      <field id="0" value="0210"/>
      <field id="2" value="621234____1232"/>
      <field id="39" value="00"/>
      <field id="48"><![CDATA[<a & b>]]></field>
      <isomsg id="55">
        <field id="9F26" value="1122334455667788" type="binary"/>
      </isomsg>
      <field id="64" value="3639373633384136" type="binary"/>
    </isomsg>
  </receive>
</log>
"#;

    #[test]
    fn reads_fields_header_and_attributes() {
        let mut p = Parser::new();
        let msgs: Vec<LoggedMessage> = LOG.lines().flat_map(|l| p.feed(l)).collect();
        assert_eq!(msgs.len(), 1);
        let m = &msgs[0];
        assert_eq!(m.at.as_deref(), Some("2024-06-12T14:30:16.104"));
        assert_eq!(m.dir.as_deref(), Some("resp"));
        assert_eq!(m.lifespan_ms, Some(85.0));
        assert_eq!(m.header.as_deref(), Some("6000000003603100310100"));
        assert_eq!(m.mti(), Some("0210"));
        let ids: Vec<&str> = m.fields.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["0", "2", "39", "48", "55.9F26", "64"]);
        assert_eq!(m.fields[3].value, "<a & b>");
        assert!(m.fields[5].binary);
    }

    #[test]
    fn entities_and_single_quotes() {
        assert_eq!(
            attr(r#"<field id='43' value="A&amp;B &lt;x&gt;"/>"#, "value").as_deref(),
            Some("A&B <x>")
        );
        assert_eq!(
            attr(r#"<field xid="1" id="7"/>"#, "id").as_deref(),
            Some("7")
        );
    }
}
