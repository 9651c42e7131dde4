//! `posresp completions` and `posresp man`: generated from the clap definition, so they never
//! drift from the real options. Copies are committed under completions/ and man/, and a test
//! checks they are current (`tools/gen_manual.sh` regenerates them).

use std::io::{self, Write};

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::Cli;

/// Write completions for `shell` to standard output.
pub fn completions(shell: clap_complete::Shell) -> Result<u8> {
    let mut cmd = Cli::command();
    // Generated into memory first: clap_complete panics when its writer fails (a closed
    // pipe), and a closed pipe must end quietly.
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "posresp", &mut buf);
    let mut out = io::stdout().lock();
    out.write_all(&buf)?;
    out.flush()?;
    Ok(0)
}

const EXTRA: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Success; for \fBverify\fR all checks passed, for \fBdiff\fR no differences.
.TP
\fB1\fR
The command ran and found something: a failed check, differences.
.TP
\fB2\fR
Error: bad usage, unreadable input, a message that could not be decoded (after every other message was processed), an unknown code.
.SH ENVIRONMENT
.TP
\fBNO_COLOR\fR
When set and not empty, output is never coloured (as with \fB\-\-color never\fR).
.TP
\fBCOLUMNS\fR
Width of tables when standard output is a terminal.
.SH EXAMPLES
.TP
Decode a hex dump, a log, a capture:
\fBposresp decode testdata/iso87ascii\-0210.hex\fR
.br
\fBposresp \-\-output jsonl decode traffic.log | jq \-r .response.code\fR
.br
\fBxxd capture.bin | posresp decode\fR
.TP
A China UnionPay frame, with card data shown:
\fBposresp \-\-unmask decode testdata/cup/cup\-0210\-worked.hex\fR
.TP
What a code means and what to do:
\fBposresp explain 51\fR
.br
\fBposresp explain \-\-scheme cup A0 \-\-lang zh\fR
.br
\fBposresp explain 22=051 3=200000\fR
.TP
A paragraph per message for a support ticket:
\fBposresp explain \-\-message ticket\-dump.txt\fR
.TP
A simulated CUP host answering by rules, and a terminal's request sent to it:
\fBposresp \-\-spec cup serve \-\-rules docs/examples/rules.json \-\-log host.jsonl\fR
.br
\fBposresp \-\-spec cup send \-\-to 127.0.0.1:8583 testdata/cup/cup\-0200\-cnblogs.hex\fR
.br
\fBposresp \-\-spec cup send \-\-to 127.0.0.1:8583 \-\-replay traffic.jsonl \-\-concurrency 64\fR
.SH "SEE ALSO"
The documentation in \fIdocs/\fR: spec\-format.md, output.md, explain.md, rules.md,
log\-format.md, scale\-out.md.
"#;

/// Write the man page to standard output.
pub fn man() -> Result<u8> {
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut buf: Vec<u8> = Vec::new();
    man.render_title(&mut buf)?;
    man.render_name_section(&mut buf)?;
    man.render_synopsis_section(&mut buf)?;
    man.render_description_section(&mut buf)?;
    man.render_options_section(&mut buf)?;
    man.render_subcommands_section(&mut buf)?;
    // One section per subcommand with its own options, so the page is complete on its own.
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = sub.get_name().to_uppercase();
        writeln!(buf, ".SH \"{name}\"")?;
        let sub_man =
            clap_mangen::Man::new(sub.clone().bin_name(format!("posresp {}", sub.get_name())));
        sub_man.render_synopsis_section(&mut buf)?;
        sub_man.render_description_section(&mut buf)?;
        sub_man.render_options_section(&mut buf)?;
    }
    buf.extend_from_slice(EXTRA.as_bytes());
    man.render_version_section(&mut buf)?;
    let mut out = io::stdout().lock();
    out.write_all(&buf)?;
    out.flush()?;
    Ok(0)
}
