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

fn attribute(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.0 == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

use quick_xml::events::Event;

/// What the text after the last start tag belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Awaiting {
    Nothing,
    Header,
    /// A `<field>` without a value attribute: its text or CDATA is the value.
    FieldText,
}

/// Parser state over a stream of lines; `feed` returns the messages completed by each line.
/// The XML is read by quick-xml, a piece at a time: what is not yet a complete tag waits for
/// the next line (bounded, so garbage cannot grow it).
pub struct Parser {
    at: Option<String>,
    lifespan: Option<f64>,
    dir: Option<String>,
    stack: Vec<String>,
    current: Option<LoggedMessage>,
    pending: String,
    line: usize,
    awaiting: Awaiting,
}

impl Default for Parser {
    fn default() -> Self {
        Parser {
            at: None,
            lifespan: None,
            dir: None,
            stack: Vec::new(),
            current: None,
            pending: String::new(),
            line: 0,
            awaiting: Awaiting::Nothing,
        }
    }
}

/// Whether `s` holds the start of markup that is not yet closed (so more lines are needed).
fn incomplete(s: &str) -> bool {
    let Some(lt) = s.rfind('<') else {
        return false;
    };
    let tail = &s[lt..];
    if s.rfind("<![CDATA[")
        .is_some_and(|c| !s[c..].contains("]]>"))
    {
        return true;
    }
    if s.rfind("<!--").is_some_and(|c| !s[c..].contains("-->")) {
        return true;
    }
    !tail.contains('>')
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
        self.pending.push_str(line);
        self.pending.push('\n');
        if incomplete(&self.pending) {
            if self.pending.len() > 1 << 20 {
                self.pending.clear();
            }
            return done;
        }
        let text = std::mem::take(&mut self.pending);
        let mut r = quick_xml::Reader::from_str(&text);
        {
            let c = r.config_mut();
            c.check_end_names = false;
            c.allow_unmatched_ends = true;
        }
        let mut last_error_at = None;
        loop {
            match r.read_event() {
                Ok(Event::Eof) => break,
                Ok(Event::Start(e)) => self.start(&e, false, &mut done),
                Ok(Event::Empty(e)) => self.start(&e, true, &mut done),
                Ok(Event::End(e)) => self.end(e.name().0, &mut done),
                Ok(Event::Text(t)) => {
                    let t = t.xml_content(quick_xml::XmlVersion::Implicit1_0);
                    self.text(&t, false);
                }
                Ok(Event::CData(c)) => {
                    let c = c.into_inner();
                    self.text(&c, true);
                }
                Ok(Event::GeneralRef(g)) => {
                    let resolved = match g.resolve_char_ref() {
                        Ok(Some(ch)) => ch.to_string(),
                        _ => {
                            let name = g.into_inner();
                            quick_xml::escape::unescape(&format!("&{name};"))
                                .map(|v| v.into_owned())
                                .unwrap_or_default()
                        }
                    };
                    self.text(&resolved, false);
                }
                Ok(_) => {}
                // Not XML here: skip what quick-xml could not read and keep going, so that
                // one bad tag does not cost the fields after it (stop if it cannot move on).
                Err(_) => {
                    let at = r.buffer_position();
                    if last_error_at == Some(at) {
                        break;
                    }
                    last_error_at = Some(at);
                }
            }
        }
        done
    }

    fn start(
        &mut self,
        e: &quick_xml::events::BytesStart<'_>,
        empty: bool,
        done: &mut Vec<LoggedMessage>,
    ) {
        let name = e.name().0;
        self.awaiting = Awaiting::Nothing;
        match name {
            "log" => {
                self.at = attribute(e, "at");
                self.lifespan =
                    attribute(e, "lifespan").and_then(|l| l.trim_end_matches("ms").parse().ok());
            }
            "send" => self.dir = Some("req".into()),
            "receive" => self.dir = Some("resp".into()),
            "isomsg" => {
                if self.current.is_none() {
                    let dir = match attribute(e, "direction").as_deref() {
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
                    if empty {
                        done.extend(self.current.take());
                    }
                } else if !empty {
                    // Nested: fields inside are sub-elements of this id.
                    self.stack.push(attribute(e, "id").unwrap_or_default());
                }
            }
            "header" if !empty && self.current.is_some() => self.awaiting = Awaiting::Header,
            "field" => {
                if let Some(m) = &mut self.current {
                    let Some(id) = attribute(e, "id") else { return };
                    let path = if self.stack.is_empty() {
                        id
                    } else {
                        format!("{}.{id}", self.stack.join("."))
                    };
                    let binary = attribute(e, "type").as_deref() == Some("binary");
                    let value = attribute(e, "value");
                    if value.is_none() && !empty {
                        self.awaiting = Awaiting::FieldText;
                    }
                    m.fields.push(LoggedField {
                        id: path,
                        value: value.unwrap_or_default(),
                        binary,
                    });
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str, done: &mut Vec<LoggedMessage>) {
        self.awaiting = Awaiting::Nothing;
        match name {
            "send" | "receive" => self.dir = None,
            "isomsg" => {
                if self.stack.pop().is_none()
                    && let Some(m) = self.current.take()
                {
                    done.push(m);
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, t: &str, cdata: bool) {
        let Some(m) = &mut self.current else { return };
        match self.awaiting {
            Awaiting::Header => {
                let h = m.header.get_or_insert_with(String::new);
                h.extend(t.split_whitespace());
            }
            Awaiting::FieldText => {
                if let Some(f) = m.fields.last_mut() {
                    if cdata {
                        f.value.push_str(t);
                    } else {
                        // Text around CDATA is layout; text alone is the value.
                        let v = if f.value.is_empty() {
                            t.trim_start()
                        } else {
                            t
                        };
                        f.value.push_str(v);
                    }
                }
            }
            Awaiting::Nothing => {}
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
    fn numeric_character_references_decode() {
        let log = "<log at=\"2024-06-12T14:30:16.104\"><send><isomsg>\n<field id=\"0\" value=\"0200\"/>\n<field id=\"43\" value=\"A&#38;B &#x4E2D; &amp; C\"/>\n<field id=\"48\">x &#60;y&#62; &lt;z&gt;</field>\n</isomsg></send></log>";
        let mut p = Parser::new();
        let msgs: Vec<LoggedMessage> = log.lines().flat_map(|l| p.feed(l)).collect();
        assert_eq!(msgs.len(), 1);
        assert_eq!(msgs[0].fields[1].value, "A&B 中 & C");
        assert_eq!(msgs[0].fields[2].value.trim_end(), "x <y> <z>");
        assert_eq!(msgs[0].dir.as_deref(), Some("req"));
    }

    #[test]
    fn entities_and_single_quotes() {
        let mut p = Parser::new();
        let msgs = p.feed(
            r#"<log><send><isomsg><field xid="1" id='43' value="A&amp;B &lt;x&gt;"/></isomsg></send></log>"#,
        );
        assert_eq!(msgs.len(), 1);
        assert_eq!(msgs[0].fields[0].id, "43");
        assert_eq!(msgs[0].fields[0].value, "A&B <x>");
    }

    #[test]
    fn a_bad_tag_does_not_cost_the_fields_after_it() {
        let log = "<log><send><isomsg>\n<field id=\"0\" value=\"0200\"/>\n<field id=\"43\">A & B</field><field id=\"48\" value=\"x\"/>\n</isomsg></send></log>";
        let mut p = Parser::new();
        let msgs: Vec<LoggedMessage> = log.lines().flat_map(|l| p.feed(l)).collect();
        assert_eq!(msgs.len(), 1);
        let ids: Vec<&str> = msgs[0].fields.iter().map(|f| f.id.as_str()).collect();
        assert!(ids.contains(&"0") && ids.contains(&"48"), "{ids:?}");
    }
}
