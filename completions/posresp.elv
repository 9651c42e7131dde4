
use builtin;
use str;

set edit:completion:arg-completer[posresp] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'posresp'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'posresp'= {
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand decode 'Decode messages (hex, binary, dumps, logs) into annotated fields'
            cand encode 'Build messages from JSON (what decode prints, or a field map): the inverse of decode'
            cand explain 'Explain response codes and other coded values in plain words, or summarise messages'
            cand generate 'Generate seeded synthetic request/response traffic as a log'
            cand verify 'Check values (Luhn, LRC, MAC) and message structure; exit 1 when a check fails'
            cand diff 'Compare two logs transaction by transaction; exit 1 when they differ'
            cand stats 'Summarise traffic logs: counts, response codes, approval rate, latency, timeouts'
            cand serve 'Run a simulated acquirer host on TCP that answers requests by rules'
            cand send 'Send messages to a host (or replay a log) and decode the answers'
            cand proxy 'Sit between terminals and a host: forward, decode and time both directions, inject faults'
            cand test 'Run test suites against a host: send each case''s steps, check every answer, report'
            cand pin 'PIN blocks (ISO 9564-1 formats 0-4): encode, decode, translate under PIN keys'
            cand key 'Keys: check values (DES, AES), DUKPT keys from a BDK or IPEK and a KSN'
            cand emv 'EMV cryptograms: check a card''s ARQC, compute the issuer''s ARPC'
            cand spec 'List, show or export message specs'
            cand completions 'Print shell completions (bash, zsh, fish, powershell, elvish) to standard output'
            cand man 'Print the man page (roff) to standard output'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;decode'= {
            cand --input-format 'Force the input form instead of detecting it'
            cand --host-port 'In a capture without the connections'' SYN, the port(s) of the side that listens (the host): messages to it are requests ("dir": "req"), from it responses'
            cand --framing 'Framing before the MTI: auto, spec (the spec''s own), none, len2, len2bcd, len4ascii, tpdu, len2+tpdu, tpdu+header6, cup (len2+tpdu+header6), stx, or stx+ any of these'
            cand --where 'Only messages that hold this condition: a field number or an attribute (mti, code, category, latency_ms, dir, ts, spec, src, dst, packet, line), an operator (= != > >= < <= ~ !~) and a value, e.g. ''39!=00'', ''latency_ms>2000'', ''41=T0000009'', ''mti~^04''; NAME or !NAME for present or absent. Repeat or join with && for all of several. Messages that do not decode are still reported'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --raw 'Add each field''s wire bytes as hex ("raw") to JSON output (never for masked fields)'
            cand --brief 'Brief JSON (with --output json/jsonl): fields as an {"id": value} object of top-level fields, no names, offsets, sub-elements or meanings; for bulk pipelines'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;encode'= {
            cand --framing 'Framing to wrap each message in: none, len2, len2bcd, len4ascii, tpdu, len2+tpdu, tpdu+header6, cup, stx… (default: what the JSON says, else the spec''s own)'
            cand --tpdu 'TPDU (hex, 5 bytes) for framings with a TPDU, when the JSON has none'
            cand --header 'Application header (hex) for framings with one, when the JSON has none'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --raw 'Write the message bytes themselves instead of one hex line per message'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;explain'= {
            cand --scheme 'Code dictionary (default: the dialect of --spec, else iso87)'
            cand --field 'Explain VALUE of field FIELD (same as FIELD=VALUE)'
            cand --lang 'Language of meanings'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --list 'Print the whole code table of the dialect'
            cand --message 'Summarise messages: the arguments are INPUTs (files, ''-'' or hex), each message one paragraph'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;generate'= {
            cand --count 'Transactions (a request and, unless it times out, its response)'
            cand --start 'Time of the first transaction (any form stats reads, e.g. 2026-11-26T00:00:00Z)'
            cand --rate 'Transactions per second, on average over the day with --profile day'
            cand --duration 'Traffic that covers this long (e.g. 24h, 90m) at --rate, instead of --count'
            cand --profile 'How the rate changes over the day: flat, or day (quiet at night, peaks at lunch and in the early evening, as shops see)'
            cand --seed 'Seed: the same seed and options give the same output'
            cand --mix 'Response-code weights, e.g. 00=90,51=4,05=3,91=2 (codes of the spec''s dialect)'
            cand --kinds 'Transaction-kind weights: purchase, refund, void, preauth, reversal, balance, signon'
            cand --timeouts 'Share of requests left unanswered, e.g. 0.5% or 0.005'
            cand --latency 'Response latency: lognormal:median=180ms,p99=2s or fixed:50ms'
            cand --terminals 'Number of terminals'
            cand --merchants 'Number of merchants (terminals are spread over them)'
            cand --mac-key-file 'MAC key (hex) file: field 64 carries a real MAC (CUP ECB for cup, else X9.19/X9.9)'
            cand --format 'Output form'
            cand --out 'Write to FILE instead of standard output'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;verify'= {
            cand --key-file 'File holding the key as hex (16, 32 or 48 hex digits)'
            cand --key-env 'Environment variable holding the key as hex'
            cand --algorithm 'MAC algorithm (default: cup-ecb for CUP, x919 with a double-length key, else x99)'
            cand --request 'The request(s) the responses answer: checks MTI, echoed fields and (CUP) the TPDU, and fails every request left without a response. Without it, responses are paired with the requests before them in the inputs (a traffic log holds both)'
            cand --pin-key-file 'File holding the PIN key (hex): field 52 must decipher to a well-formed ISO 9564-1 block for the message''s PAN (DES/3DES for 8-byte blocks, AES for 16-byte format 4)'
            cand --pin-key-env 'Environment variable holding the PIN key (hex)'
            cand --imk-file 'File holding the issuer master key for application cryptograms (IMK-AC, hex): the card''s cryptogram (55.9F26) is recomputed, and a response''s ARPC (55.91) checked against its request''s ARQC'
            cand --imk-env 'Environment variable holding the IMK-AC (hex)'
            cand --bdk-file 'File holding the base derivation key of DUKPT terminals (hex): each message''s MAC and PIN block are checked under the keys derived for the KSN in --ksn-field (TDES DUKPT for a 16-byte BDK and a 20-digit KSN, AES DUKPT for a 24-digit KSN)'
            cand --bdk-env 'Environment variable holding the BDK (hex)'
            cand --ksn-field 'The field that carries the KSN, as hex (20 or 24 digits, or the KSN in the last bytes of a longer field)'
            cand --cvn 'The cards'' cryptogram version (default: read from each message''s 9F10): visa10, visa18, visa22, mc16, mc17, mc20, mc21, interac133'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --key-prompt 'Ask for the key on the terminal (not echoed)'
            cand --require-mac 'Fail messages that carry no MAC (field 64/128), also without a key. With a key a MAC is always required (network management messages, MTI x8xx, excepted)'
            cand --failures-only 'Print only the checks that fail (the summary still counts them all)'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand luhn 'Luhn check digits of PANs (and the digit a failing one should end with)'
            cand lrc 'The LRC of an STX … ETX LRC frame (hex)'
            cand mac 'The MAC of messages (field 64/128) or of raw data (--data)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;verify;luhn'= {
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;verify;lrc'= {
            cand --variant 'Which bytes the LRC covers'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;verify;mac'= {
            cand --algorithm 'MAC algorithm'
            cand --expect 'Expected MAC (hex) for --data'
            cand --padding 'ISO 9797-1 padding method for x99/x919 over --data (1: zeros, 2: 0x80 then zeros)'
            cand --key-file 'File holding the key as hex (16, 32 or 48 hex digits)'
            cand --key-env 'Environment variable holding the key as hex'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --data 'INPUT is data to MAC, not a message; compare with --expect if given'
            cand --search 'Try every algorithm, padding and MAC block posresp knows and say which (if any) reproduces each message''s MAC'
            cand --key-prompt 'Ask for the key on the terminal (not echoed)'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;verify;help'= {
            cand luhn 'Luhn check digits of PANs (and the digit a failing one should end with)'
            cand lrc 'The LRC of an STX … ETX LRC frame (hex)'
            cand mac 'The MAC of messages (field 64/128) or of raw data (--data)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;verify;help;luhn'= {
        }
        &'posresp;verify;help;lrc'= {
        }
        &'posresp;verify;help;mac'= {
        }
        &'posresp;verify;help;help'= {
        }
        &'posresp;diff'= {
            cand --key 'Fields forming the pairing key, besides the MTI (each used where present)'
            cand --ignore 'Fields not compared (volatile): a list, or none'
            cand --limit 'Differences shown by the table output (the summary counts them all)'
            cand --memory 'Memory budget (e.g. 512M, 64M); beyond it, work spills to temporary files'
            cand --where 'Compare only messages that hold this condition, on both sides (as decode --where: ''41=T0000009'', ''mti~^02'', ''code!=00''). Repeat for all of several'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;stats'= {
            cand --by 'Also break the numbers down by terminal, merchant, response code or hour'
            cand --timeout 'A response later than this after its request counts as a timeout (the terminal has given up on it), e.g. 30s or 800ms; requests still unanswered when the log ends, less than this after they were sent, are counted as pending instead'
            cand --host-port 'In a capture without the connections'' SYN, the port(s) of the side that listens (the host), so that requests and responses are told apart by direction'
            cand --slow 'A response slower than this is slow (counted, listed with --list slow), e.g. 1s'
            cand --list 'List the transactions that timed out, or the slowest ones, with their keys and times'
            cand --limit 'Most transactions listed per --list (the slowest first; timeouts in log order)'
            cand --alert 'Print a line on stderr and exit 1 when a threshold is crossed: ''p99>800ms'', ''max>5s'', ''timeouts>1%'', ''slow>10'', ''approval<95%'', ''undecodable>0''. Repeatable'
            cand --where 'Count only messages that hold this condition (as decode --where: ''41=T0000009'', ''mti~^02'', ''39!=00''). Requests and responses are paired among the messages kept, so filter on what both carry (41, 42, 11) to keep latencies'
            cand --ts-format 'How the log''s timestamps are written, when posresp does not read them by itself: %Y %y %m %d %b %H %M %S %f %s, e.g. ''%d%m%Y %H%M%S.%f'''
            cand --from 'Only messages at or after this time (a timestamp in any form stats reads)'
            cand --to 'Only messages before this time'
            cand --window 'With --follow: the rolling window, e.g. 10s, 1m, 1h'
            cand --interval 'With --follow: how often the figures are shown'
            cand --duration 'With --follow: stop after this long (default: until Ctrl-C)'
            cand --metrics 'With --follow: also serve the figures in the Prometheus text format at http://ADDR/metrics (e.g. 127.0.0.1:9464)'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --follow 'Watch a growing log (one file; rotation and truncation survived): every --interval, the figures of the last --window, redrawn in place on a terminal, one JSON line each in a pipe. Alerts print when they start and stop; the exit status is 1 if any fired'
            cand --from-start 'With --follow: read what the log already holds too, not only what is appended'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;serve'= {
            cand --listen 'Address to listen on (port 0 picks a free port; the chosen address is printed)'
            cand --rules 'Rules file (JSON, docs/rules.md). Without it every request is approved'
            cand --framing 'Framing on the wire: spec (the spec''s own), len2, len2bcd, len4ascii, cup, stx …'
            cand --log 'Write every request and response to this JSON Lines log (''-'' for standard output). Card data in it is zeroed unless --unmask is given'
            cand --idle-timeout 'Close a connection that sends nothing for this long (e.g. 30s, 500ms)'
            cand --frame-timeout 'A frame must arrive whole within this from its first byte (e.g. 10s, 500ms): a client that trickles bytes is cut off, however often it sends one'
            cand --max-connections 'Connections held at once. At the cap, a new connection takes the place of the one that has been longest without a complete frame (idle for a second or more; said in the log); when every connection is busy, the new one is closed at once'
            cand --mac-key-file 'MAC key (hex) file: responses carry a MAC and requests'' MACs are verified'
            cand --tmk-file 'Terminal master key (hex) file: CUP sign-on answers carry the working keys (PIK and the MAC key) encrypted under it in field 62, each with its check value'
            cand --imk-file 'Issuer master key for application cryptograms (hex) file: answers to requests whose field 55 has an ARQC (9F26) carry the ARPC in 55.91 (method 1 with the response code, method 2 with a CSU of zeros), for the cryptogram version 9F10 names or --cvn'
            cand --cvn 'The cards'' cryptogram version, when 9F10 does not say (visa10, visa18, visa22, mc16, mc17, mc20, mc21, interac133)'
            cand --on-malformed 'What to do with a frame that does not decode'
            cand --grace 'How long shutdown waits for delayed answers still in flight'
            cand --threads 'Worker threads (default: one per core)'
            cand --window 'With --monitor: the rolling window, e.g. 10s, 1m'
            cand --interval 'With --monitor: how often the figures are shown'
            cand --slow 'With --monitor: a response slower than this counts as slow'
            cand --alert 'With --monitor: print a line on stderr when a threshold is crossed (''p99>800ms'', ''timeouts>1%'', ''approval<95%''); the exit status is then 1'
            cand --metrics 'With --monitor: also serve the figures in the Prometheus text format at http://ADDR/metrics'
            cand --tls-cert 'Speak TLS to clients with this PEM certificate chain (with --tls-key)'
            cand --tls-key 'PEM private key of --tls-cert (read from the file, never printed)'
            cand --client-ca 'With --tls-cert: require a client certificate signed by a CA in this PEM file (mutual TLS)'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --monitor 'Show the live view of the traffic on standard output (as stats --follow does: rolling window, latency, codes, alerts), redrawn on a terminal, JSON lines in a pipe'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;send'= {
            cand --to 'Host to send to'
            cand --replay 'Replay the requests of this log and report on the run'
            cand --timeout 'Wait this long for each answer (e.g. 5s, 500ms)'
            cand --framing 'Framing on the wire: spec (the spec''s own), len2, len2bcd, len4ascii, cup, stx …'
            cand --concurrency 'Replay: requests in flight at once, over all connections'
            cand --connections 'Replay: connections to open'
            cand --rate 'Replay: requests per second over all connections (default: as fast as answered)'
            cand --repeat 'Replay: send the log''s requests this many times; each repeat gets fresh trace numbers (11), RRNs (37) and dates (7, 12, 13), a reversal''s original data (90) moved with its request, and a new MAC when a MAC key is given'
            cand --mac-key-file 'MAC every request (field 64 or 128) under the key in this file (hex) before sending; network management (x8xx) is sent as it is'
            cand --mac-key-env 'MAC every request under the key in this environment variable (hex)'
            cand --mac-algorithm 'With a MAC key: the algorithm (default: cup-ecb for CUP, x919 with a double-length key, else x99)'
            cand --log 'Write the exchanged traffic to this JSON Lines log (card data zeroed unless --unmask)'
            cand --ca 'With --tls: PEM file of the CA certificates to trust instead of the system''s'
            cand --cert 'With --tls: PEM certificate chain to present to the host (mutual TLS), with --key'
            cand --key 'With --tls: PEM private key of --cert (read from the file, never printed)'
            cand --sni 'With --tls: the server name to ask for (SNI) and check the certificate against (default: the host part of --to)'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --fail-on-decline 'Exit 1 when an answer is not an approval, or no answer came'
            cand --brief 'Decoded answers as brief JSON (top-level fields only)'
            cand --verify 'Check every answer in the same run: its MTI answers the request''s, echoed fields are the request''s, the TPDU is swapped, it carries a response code (and an approval code when it approves; CUP: a reference number, 37), and (with a MAC key) its MAC verifies; exit 1 when one does not'
            cand --tls 'Speak TLS to the host (the certificate is checked against the system''s CAs, or --ca)'
            cand --insecure 'With --tls: accept any host certificate (for test hosts only; the link is encrypted but the host is not authenticated)'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;proxy'= {
            cand --listen 'Address the terminals connect to (port 0 picks a free port; the chosen address is printed)'
            cand --to 'The host to forward to'
            cand --framing 'Framing on the wire: spec (the spec''s own), len2, len2bcd, len4ascii, cup, stx …'
            cand --rules 'Rules file (JSON, docs/rules.md): faults to inject into the host''s answers'
            cand --log 'Write every frame of both directions to this JSON Lines log (''-'' for standard output). Card data in it is zeroed unless --unmask is given'
            cand --timeout 'A request the host has not answered within this is reported as a timeout'
            cand --connect-timeout 'How long to wait for the host to accept a connection (and for TLS handshakes)'
            cand --idle-timeout 'Close both sides of a connection on which the terminal sends nothing for this long'
            cand --mac-key-file 'MAC key (hex) file: answers changed by a rule get a new MAC under it (without it, a changed answer keeps the host''s MAC, which then no longer matches)'
            cand --grace 'How long shutdown waits for answers still in flight'
            cand --threads 'Worker threads (default: one per core)'
            cand --window 'With --monitor: the rolling window, e.g. 10s, 1m'
            cand --interval 'With --monitor: how often the figures are shown'
            cand --slow 'With --monitor: a response slower than this counts as slow'
            cand --alert 'With --monitor: print a line on stderr when a threshold is crossed (''p99>800ms'', ''timeouts>1%'', ''approval<95%''); the exit status is then 1'
            cand --metrics 'With --monitor: also serve the figures in the Prometheus text format at http://ADDR/metrics'
            cand --ca 'With --tls: PEM file of the CA certificates to trust instead of the system''s'
            cand --cert 'With --tls: PEM certificate chain to present to the host (mutual TLS), with --key'
            cand --key 'With --tls: PEM private key of --cert (read from the file, never printed)'
            cand --sni 'With --tls: the server name to ask for (SNI) and check the certificate against (default: the host part of --to)'
            cand --tls-cert 'Speak TLS to clients with this PEM certificate chain (with --tls-key)'
            cand --tls-key 'PEM private key of --tls-cert (read from the file, never printed)'
            cand --client-ca 'With --tls-cert: require a client certificate signed by a CA in this PEM file (mutual TLS)'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --monitor 'Show the live view of the traffic on standard output (as stats --follow does: rolling window, latency, codes, alerts), redrawn on a terminal, JSON lines in a pipe'
            cand --tls 'Speak TLS to the host (the certificate is checked against the system''s CAs, or --ca)'
            cand --insecure 'With --tls: accept any host certificate (for test hosts only; the link is encrypted but the host is not authenticated)'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;test'= {
            cand --filter 'Only the cases whose name contains this'
            cand --jobs 'Cases run at once, each on its own connection'
            cand --report 'Report format'
            cand --out 'Write the report to this file (default: standard output)'
            cand --to 'The host to test (instead of the suite''s [target] to)'
            cand --against-serve 'Start a local `posresp serve` with these rules on a free loopback port for the run, and test it (proves a suite without a real host)'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;pin'= {
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand encode 'Build a PIN block and encipher it under the PIN key (prints the block as hex)'
            cand decode 'Decipher a PIN block and say whether it is well formed for the PAN (the PIN is shown only with --unmask --show-pin)'
            cand translate 'Re-encipher a PIN block under another key, in the same or another format'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;pin;encode'= {
            cand --format 'ISO 9564-1 format: 0, 1, 2, 3 (DES/3DES key) or 4 (AES key)'
            cand --pan 'The card number (formats 0, 3 and 4 bind the block to it)'
            cand --pin-file 'File holding the PIN digits'
            cand --pin-env 'Environment variable holding the PIN digits'
            cand --key-file 'File holding the key as hex (16, 32 or 48 hex digits)'
            cand --key-env 'Environment variable holding the key as hex'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --pin-prompt 'Ask for the PIN on the terminal (not echoed)'
            cand --key-prompt 'Ask for the key on the terminal (not echoed)'
            cand --clear 'Print the clear block instead (needs --unmask; formats 0-3)'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;pin;decode'= {
            cand --pan 'The card number (formats 0, 3 and 4)'
            cand --key-file 'File holding the key as hex (16, 32 or 48 hex digits)'
            cand --key-env 'Environment variable holding the key as hex'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --key-prompt 'Ask for the key on the terminal (not echoed)'
            cand --clear 'The block is clear, not enciphered (formats 0-3; no key)'
            cand --show-pin 'Show the PIN digits (with --unmask)'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;pin;translate'= {
            cand --pan 'The card number'
            cand --key-file 'File holding the key as hex (16, 32 or 48 hex digits)'
            cand --key-env 'Environment variable holding the key as hex'
            cand --to-key-file 'File holding the destination key as hex'
            cand --to-key-env 'Environment variable holding the destination key as hex'
            cand --to-format 'The format of the new block (default: the old block''s)'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --key-prompt 'Ask for the key on the terminal (not echoed)'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;pin;help'= {
            cand encode 'Build a PIN block and encipher it under the PIN key (prints the block as hex)'
            cand decode 'Decipher a PIN block and say whether it is well formed for the PAN (the PIN is shown only with --unmask --show-pin)'
            cand translate 'Re-encipher a PIN block under another key, in the same or another format'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;pin;help;encode'= {
        }
        &'posresp;pin;help;decode'= {
        }
        &'posresp;pin;help;translate'= {
        }
        &'posresp;pin;help;help'= {
        }
        &'posresp;key'= {
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand tr31 'TR-31 key blocks (versions A, B, C, D): unwrap and wrap under a key block protection key'
            cand kcv 'The check value of a key: DES/3DES (a zero block encrypted), or AES with --aes'
            cand dukpt 'Derive a DUKPT key for a KSN from the BDK or the initial key: triple DES (ANSI X9.24-1, 20-digit KSN) or AES (X9.24-3, 24-digit KSN); prints the check values, writes the key only to --out'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;key;tr31'= {
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand unwrap 'Check a key block''s MAC and read its header; prints the header and the key''s check value, writes the key only to --out'
            cand wrap 'Wrap a key under the KBPK; prints the key block'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;key;tr31;unwrap'= {
            cand --kbpk-file 'File holding the key block protection key (KBPK) as hex'
            cand --kbpk-env 'Environment variable holding the KBPK'
            cand --block 'The key block (use --block-file to keep it out of the shell history)'
            cand --block-file 'File holding the key block'
            cand --out 'Write the clear key (hex) to this file, created readable by its owner only'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --kbpk-prompt 'Ask for the KBPK on the terminal (not echoed)'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;key;tr31;wrap'= {
            cand --kbpk-file 'File holding the key block protection key (KBPK) as hex'
            cand --kbpk-env 'Environment variable holding the KBPK'
            cand --key-file 'File holding the key as hex (16, 32 or 48 hex digits)'
            cand --key-env 'Environment variable holding the key as hex'
            cand --header 'The header: 16 characters (the length, characters 2-5, is filled in) and any optional blocks, e.g. B0000P0TE00E0000 or D0000P0AE00N0100KS18FFFF9876543210E00000'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --kbpk-prompt 'Ask for the KBPK on the terminal (not echoed)'
            cand --key-prompt 'Ask for the key on the terminal (not echoed)'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;key;tr31;help'= {
            cand unwrap 'Check a key block''s MAC and read its header; prints the header and the key''s check value, writes the key only to --out'
            cand wrap 'Wrap a key under the KBPK; prints the key block'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;key;tr31;help;unwrap'= {
        }
        &'posresp;key;tr31;help;wrap'= {
        }
        &'posresp;key;tr31;help;help'= {
        }
        &'posresp;key;kcv'= {
            cand --key-file 'File holding the key as hex (16, 32 or 48 hex digits)'
            cand --key-env 'Environment variable holding the key as hex'
            cand --method 'For AES: how the check value is computed'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --key-prompt 'Ask for the key on the terminal (not echoed)'
            cand --aes 'The key is an AES key (16, 24 or 32 bytes)'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;key;dukpt'= {
            cand --bdk-file 'File holding the base derivation key (BDK) as hex'
            cand --bdk-env 'Environment variable holding the BDK'
            cand --ipek-file 'File holding the device''s initial key (IPEK) instead of the BDK'
            cand --ipek-env 'Environment variable holding the IPEK'
            cand --ksn 'The key serial number: 20 hex digits (TDES DUKPT) or 24 (AES DUKPT)'
            cand --usage 'Which key. TDES: pin, mac (request), mac-response, data (request), data-response. AES: pin, mac (generation), mac-verify, mac-both, data (encrypt), data-decrypt, data-both, kek. Both: ipek (the device''s initial key), transaction (the transaction-originating key, before its variant or derivation)'
            cand --key-type 'AES DUKPT: the type of the working key (default: the BDK''s AES type)'
            cand --out 'Write the derived key (hex) to this file, created readable by its owner only'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;key;help'= {
            cand tr31 'TR-31 key blocks (versions A, B, C, D): unwrap and wrap under a key block protection key'
            cand kcv 'The check value of a key: DES/3DES (a zero block encrypted), or AES with --aes'
            cand dukpt 'Derive a DUKPT key for a KSN from the BDK or the initial key: triple DES (ANSI X9.24-1, 20-digit KSN) or AES (X9.24-3, 24-digit KSN); prints the check values, writes the key only to --out'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;key;help;tr31'= {
            cand unwrap 'Check a key block''s MAC and read its header; prints the header and the key''s check value, writes the key only to --out'
            cand wrap 'Wrap a key under the KBPK; prints the key block'
        }
        &'posresp;key;help;tr31;unwrap'= {
        }
        &'posresp;key;help;tr31;wrap'= {
        }
        &'posresp;key;help;kcv'= {
        }
        &'posresp;key;help;dukpt'= {
        }
        &'posresp;key;help;help'= {
        }
        &'posresp;emv'= {
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand arqc 'Recompute the card''s cryptogram (ARQC, TC or AAC) and compare it with 9F26; exit 1 when they differ'
            cand arpc 'Compute the ARPC for the card''s ARQC: prints the ARPC and the value of tag 91'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;emv;arqc'= {
            cand --imk-file 'File holding the issuer master key for application cryptograms (IMK-AC), as hex'
            cand --imk-env 'Environment variable holding the IMK-AC'
            cand --cvn 'The card''s cryptogram version (default: read from 9F10)'
            cand --pan 'The card number (default: tag 5A of the chip data)'
            cand --psn 'The PAN sequence number, 2 digits (default: tag 5F34, else 00)'
            cand --tlv 'The chip data (field 55) as hex'
            cand --tlv-file 'File holding the chip data as hex'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --imk-prompt 'Ask for the IMK-AC on the terminal (not echoed)'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;emv;arpc'= {
            cand --imk-file 'File holding the issuer master key for application cryptograms (IMK-AC), as hex'
            cand --imk-env 'Environment variable holding the IMK-AC'
            cand --cvn 'The card''s cryptogram version (default: read from 9F10)'
            cand --pan 'The card number (default: tag 5A of the chip data)'
            cand --psn 'The PAN sequence number, 2 digits (default: tag 5F34, else 00)'
            cand --tlv 'The chip data (field 55) as hex'
            cand --tlv-file 'File holding the chip data as hex'
            cand --arc 'Method 1: the authorisation response code, as 2 characters (`00`, `Z3`) or 4 hex digits'
            cand --csu 'Method 2: the card status update, 8 hex digits'
            cand --proprietary 'Method 2: proprietary authentication data, 0 to 16 hex digits'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --imk-prompt 'Ask for the IMK-AC on the terminal (not echoed)'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;emv;help'= {
            cand arqc 'Recompute the card''s cryptogram (ARQC, TC or AAC) and compare it with 9F26; exit 1 when they differ'
            cand arpc 'Compute the ARPC for the card''s ARQC: prints the ARPC and the value of tag 91'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;emv;help;arqc'= {
        }
        &'posresp;emv;help;arpc'= {
        }
        &'posresp;emv;help;help'= {
        }
        &'posresp;spec'= {
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the built-in specs'
            cand show 'Print a spec''s layout: framing, MTI, bitmap and every field'
            cand export 'Print a spec as a posresp spec file (JSON), to start a spec of your own'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;spec;list'= {
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;spec;show'= {
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;spec;export'= {
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;spec;help'= {
            cand list 'List the built-in specs'
            cand show 'Print a spec''s layout: framing, MTI, bitmap and every field'
            cand export 'Print a spec as a posresp spec file (JSON), to start a spec of your own'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;spec;help;list'= {
        }
        &'posresp;spec;help;show'= {
        }
        &'posresp;spec;help;export'= {
        }
        &'posresp;spec;help;help'= {
        }
        &'posresp;completions'= {
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;man'= {
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --unmask 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'posresp;help'= {
            cand decode 'Decode messages (hex, binary, dumps, logs) into annotated fields'
            cand encode 'Build messages from JSON (what decode prints, or a field map): the inverse of decode'
            cand explain 'Explain response codes and other coded values in plain words, or summarise messages'
            cand generate 'Generate seeded synthetic request/response traffic as a log'
            cand verify 'Check values (Luhn, LRC, MAC) and message structure; exit 1 when a check fails'
            cand diff 'Compare two logs transaction by transaction; exit 1 when they differ'
            cand stats 'Summarise traffic logs: counts, response codes, approval rate, latency, timeouts'
            cand serve 'Run a simulated acquirer host on TCP that answers requests by rules'
            cand send 'Send messages to a host (or replay a log) and decode the answers'
            cand proxy 'Sit between terminals and a host: forward, decode and time both directions, inject faults'
            cand test 'Run test suites against a host: send each case''s steps, check every answer, report'
            cand pin 'PIN blocks (ISO 9564-1 formats 0-4): encode, decode, translate under PIN keys'
            cand key 'Keys: check values (DES, AES), DUKPT keys from a BDK or IPEK and a KSN'
            cand emv 'EMV cryptograms: check a card''s ARQC, compute the issuer''s ARPC'
            cand spec 'List, show or export message specs'
            cand completions 'Print shell completions (bash, zsh, fish, powershell, elvish) to standard output'
            cand man 'Print the man page (roff) to standard output'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;help;decode'= {
        }
        &'posresp;help;encode'= {
        }
        &'posresp;help;explain'= {
        }
        &'posresp;help;generate'= {
        }
        &'posresp;help;verify'= {
            cand luhn 'Luhn check digits of PANs (and the digit a failing one should end with)'
            cand lrc 'The LRC of an STX … ETX LRC frame (hex)'
            cand mac 'The MAC of messages (field 64/128) or of raw data (--data)'
        }
        &'posresp;help;verify;luhn'= {
        }
        &'posresp;help;verify;lrc'= {
        }
        &'posresp;help;verify;mac'= {
        }
        &'posresp;help;diff'= {
        }
        &'posresp;help;stats'= {
        }
        &'posresp;help;serve'= {
        }
        &'posresp;help;send'= {
        }
        &'posresp;help;proxy'= {
        }
        &'posresp;help;test'= {
        }
        &'posresp;help;pin'= {
            cand encode 'Build a PIN block and encipher it under the PIN key (prints the block as hex)'
            cand decode 'Decipher a PIN block and say whether it is well formed for the PAN (the PIN is shown only with --unmask --show-pin)'
            cand translate 'Re-encipher a PIN block under another key, in the same or another format'
        }
        &'posresp;help;pin;encode'= {
        }
        &'posresp;help;pin;decode'= {
        }
        &'posresp;help;pin;translate'= {
        }
        &'posresp;help;key'= {
            cand tr31 'TR-31 key blocks (versions A, B, C, D): unwrap and wrap under a key block protection key'
            cand kcv 'The check value of a key: DES/3DES (a zero block encrypted), or AES with --aes'
            cand dukpt 'Derive a DUKPT key for a KSN from the BDK or the initial key: triple DES (ANSI X9.24-1, 20-digit KSN) or AES (X9.24-3, 24-digit KSN); prints the check values, writes the key only to --out'
        }
        &'posresp;help;key;tr31'= {
            cand unwrap 'Check a key block''s MAC and read its header; prints the header and the key''s check value, writes the key only to --out'
            cand wrap 'Wrap a key under the KBPK; prints the key block'
        }
        &'posresp;help;key;tr31;unwrap'= {
        }
        &'posresp;help;key;tr31;wrap'= {
        }
        &'posresp;help;key;kcv'= {
        }
        &'posresp;help;key;dukpt'= {
        }
        &'posresp;help;emv'= {
            cand arqc 'Recompute the card''s cryptogram (ARQC, TC or AAC) and compare it with 9F26; exit 1 when they differ'
            cand arpc 'Compute the ARPC for the card''s ARQC: prints the ARPC and the value of tag 91'
        }
        &'posresp;help;emv;arqc'= {
        }
        &'posresp;help;emv;arpc'= {
        }
        &'posresp;help;spec'= {
            cand list 'List the built-in specs'
            cand show 'Print a spec''s layout: framing, MTI, bitmap and every field'
            cand export 'Print a spec as a posresp spec file (JSON), to start a spec of your own'
        }
        &'posresp;help;spec;list'= {
        }
        &'posresp;help;spec;show'= {
        }
        &'posresp;help;spec;export'= {
        }
        &'posresp;help;completions'= {
        }
        &'posresp;help;man'= {
        }
        &'posresp;help;help'= {
        }
    ]
    $completions[$command]
}
