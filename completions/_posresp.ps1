
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'posresp' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'posresp'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'posresp' {
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode messages (hex, binary, dumps, logs) into annotated fields')
            [CompletionResult]::new('encode', 'encode', [CompletionResultType]::ParameterValue, 'Build messages from JSON (what decode prints, or a field map): the inverse of decode')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain response codes and other coded values in plain words, or summarise messages')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate seeded synthetic request/response traffic as a log')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check values (Luhn, LRC, MAC) and message structure; exit 1 when a check fails')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two logs transaction by transaction; exit 1 when they differ')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Summarise traffic logs: counts, response codes, approval rate, latency, timeouts')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run a simulated acquirer host on TCP that answers requests by rules')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send messages to a host (or replay a log) and decode the answers')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'Sit between terminals and a host: forward, decode and time both directions, inject faults')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run test suites against a host: send each case''s steps, check every answer, report')
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'PIN blocks (ISO 9564-1 formats 0-4): encode, decode, translate under PIN keys')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Keys: check values (DES, AES), DUKPT keys from a BDK or IPEK and a KSN')
            [CompletionResult]::new('emv', 'emv', [CompletionResultType]::ParameterValue, 'EMV cryptograms: check a card''s ARQC, compute the issuer''s ARPC')
            [CompletionResult]::new('spec', 'spec', [CompletionResultType]::ParameterValue, 'List, show or export message specs')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, powershell, elvish) to standard output')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) to standard output')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;decode' {
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Force the input form instead of detecting it')
            [CompletionResult]::new('--host-port', '--host-port', [CompletionResultType]::ParameterName, 'In a capture without the connections'' SYN, the port(s) of the side that listens (the host): messages to it are requests ("dir": "req"), from it responses')
            [CompletionResult]::new('--framing', '--framing', [CompletionResultType]::ParameterName, 'Framing before the MTI: auto, spec (the spec''s own), none, len2, len2bcd, len4ascii, tpdu, len2+tpdu, tpdu+header6, cup (len2+tpdu+header6), stx, or stx+ any of these')
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Only messages that hold this condition: a field number or an attribute (mti, code, category, latency_ms, dir, ts, spec, src, dst, packet, line), an operator (= != > >= < <= ~ !~) and a value, e.g. ''39!=00'', ''latency_ms>2000'', ''41=T0000009'', ''mti~^04''; NAME or !NAME for present or absent. Repeat or join with && for all of several. Messages that do not decode are still reported')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Add each field''s wire bytes as hex ("raw") to JSON output (never for masked fields)')
            [CompletionResult]::new('--brief', '--brief', [CompletionResultType]::ParameterName, 'Brief JSON (with --output json/jsonl): fields as an {"id": value} object of top-level fields, no names, offsets, sub-elements or meanings; for bulk pipelines')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;encode' {
            [CompletionResult]::new('--framing', '--framing', [CompletionResultType]::ParameterName, 'Framing to wrap each message in: none, len2, len2bcd, len4ascii, tpdu, len2+tpdu, tpdu+header6, cup, stx… (default: what the JSON says, else the spec''s own)')
            [CompletionResult]::new('--tpdu', '--tpdu', [CompletionResultType]::ParameterName, 'TPDU (hex, 5 bytes) for framings with a TPDU, when the JSON has none')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Application header (hex) for framings with one, when the JSON has none')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Write the message bytes themselves instead of one hex line per message')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;explain' {
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Code dictionary (default: the dialect of --spec, else iso87)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Explain VALUE of field FIELD (same as FIELD=VALUE)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language of meanings')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'Print the whole code table of the dialect')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'Summarise messages: the arguments are INPUTs (files, ''-'' or hex), each message one paragraph')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;generate' {
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Transactions (a request and, unless it times out, its response)')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'Time of the first transaction (any form stats reads, e.g. 2026-11-26T00:00:00Z)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Transactions per second, on average over the day with --profile day')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Traffic that covers this long (e.g. 24h, 90m) at --rate, instead of --count')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'How the rate changes over the day: flat, or day (quiet at night, peaks at lunch and in the early evening, as shops see)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed: the same seed and options give the same output')
            [CompletionResult]::new('--mix', '--mix', [CompletionResultType]::ParameterName, 'Response-code weights, e.g. 00=90,51=4,05=3,91=2 (codes of the spec''s dialect)')
            [CompletionResult]::new('--kinds', '--kinds', [CompletionResultType]::ParameterName, 'Transaction-kind weights: purchase, refund, void, preauth, reversal, balance, signon')
            [CompletionResult]::new('--timeouts', '--timeouts', [CompletionResultType]::ParameterName, 'Share of requests left unanswered, e.g. 0.5% or 0.005')
            [CompletionResult]::new('--latency', '--latency', [CompletionResultType]::ParameterName, 'Response latency: lognormal:median=180ms,p99=2s or fixed:50ms')
            [CompletionResult]::new('--terminals', '--terminals', [CompletionResultType]::ParameterName, 'Number of terminals')
            [CompletionResult]::new('--merchants', '--merchants', [CompletionResultType]::ParameterName, 'Number of merchants (terminals are spread over them)')
            [CompletionResult]::new('--mac-key-file', '--mac-key-file', [CompletionResultType]::ParameterName, 'MAC key (hex) file: field 64 carries a real MAC (CUP ECB for cup, else X9.19/X9.9)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output form')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write to FILE instead of standard output')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;verify' {
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File holding the key as hex (16, 32 or 48 hex digits)')
            [CompletionResult]::new('--key-env', '--key-env', [CompletionResultType]::ParameterName, 'Environment variable holding the key as hex')
            [CompletionResult]::new('--algorithm', '--algorithm', [CompletionResultType]::ParameterName, 'MAC algorithm (default: cup-ecb for CUP, x919 with a double-length key, else x99)')
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'The request(s) the responses answer: checks MTI, echoed fields and (CUP) the TPDU, and fails every request left without a response. Without it, responses are paired with the requests before them in the inputs (a traffic log holds both)')
            [CompletionResult]::new('--pin-key-file', '--pin-key-file', [CompletionResultType]::ParameterName, 'File holding the PIN key (hex): field 52 must decipher to a well-formed ISO 9564-1 block for the message''s PAN (DES/3DES for 8-byte blocks, AES for 16-byte format 4)')
            [CompletionResult]::new('--pin-key-env', '--pin-key-env', [CompletionResultType]::ParameterName, 'Environment variable holding the PIN key (hex)')
            [CompletionResult]::new('--imk-file', '--imk-file', [CompletionResultType]::ParameterName, 'File holding the issuer master key for application cryptograms (IMK-AC, hex): the card''s cryptogram (55.9F26) is recomputed, and a response''s ARPC (55.91) checked against its request''s ARQC')
            [CompletionResult]::new('--imk-env', '--imk-env', [CompletionResultType]::ParameterName, 'Environment variable holding the IMK-AC (hex)')
            [CompletionResult]::new('--bdk-file', '--bdk-file', [CompletionResultType]::ParameterName, 'File holding the base derivation key of DUKPT terminals (hex): each message''s MAC and PIN block are checked under the keys derived for the KSN in --ksn-field (TDES DUKPT for a 16-byte BDK and a 20-digit KSN, AES DUKPT for a 24-digit KSN)')
            [CompletionResult]::new('--bdk-env', '--bdk-env', [CompletionResultType]::ParameterName, 'Environment variable holding the BDK (hex)')
            [CompletionResult]::new('--ksn-field', '--ksn-field', [CompletionResultType]::ParameterName, 'The field that carries the KSN, as hex (20 or 24 digits, or the KSN in the last bytes of a longer field)')
            [CompletionResult]::new('--cvn', '--cvn', [CompletionResultType]::ParameterName, 'The cards'' cryptogram version (default: read from each message''s 9F10): visa10, visa18, visa22, mc16, mc17, mc20, mc21, interac133')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--key-prompt', '--key-prompt', [CompletionResultType]::ParameterName, 'Ask for the key on the terminal (not echoed)')
            [CompletionResult]::new('--require-mac', '--require-mac', [CompletionResultType]::ParameterName, 'Fail messages that carry no MAC (field 64/128), also without a key. With a key a MAC is always required (network management messages, MTI x8xx, excepted)')
            [CompletionResult]::new('--failures-only', '--failures-only', [CompletionResultType]::ParameterName, 'Print only the checks that fail (the summary still counts them all)')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('luhn', 'luhn', [CompletionResultType]::ParameterValue, 'Luhn check digits of PANs (and the digit a failing one should end with)')
            [CompletionResult]::new('lrc', 'lrc', [CompletionResultType]::ParameterValue, 'The LRC of an STX … ETX LRC frame (hex)')
            [CompletionResult]::new('mac', 'mac', [CompletionResultType]::ParameterValue, 'The MAC of messages (field 64/128) or of raw data (--data)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;verify;luhn' {
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;verify;lrc' {
            [CompletionResult]::new('--variant', '--variant', [CompletionResultType]::ParameterName, 'Which bytes the LRC covers')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;verify;mac' {
            [CompletionResult]::new('--algorithm', '--algorithm', [CompletionResultType]::ParameterName, 'MAC algorithm')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'Expected MAC (hex) for --data')
            [CompletionResult]::new('--padding', '--padding', [CompletionResultType]::ParameterName, 'ISO 9797-1 padding method for x99/x919 over --data (1: zeros, 2: 0x80 then zeros)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File holding the key as hex (16, 32 or 48 hex digits)')
            [CompletionResult]::new('--key-env', '--key-env', [CompletionResultType]::ParameterName, 'Environment variable holding the key as hex')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'INPUT is data to MAC, not a message; compare with --expect if given')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Try every algorithm, padding and MAC block posresp knows and say which (if any) reproduces each message''s MAC')
            [CompletionResult]::new('--key-prompt', '--key-prompt', [CompletionResultType]::ParameterName, 'Ask for the key on the terminal (not echoed)')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;verify;help' {
            [CompletionResult]::new('luhn', 'luhn', [CompletionResultType]::ParameterValue, 'Luhn check digits of PANs (and the digit a failing one should end with)')
            [CompletionResult]::new('lrc', 'lrc', [CompletionResultType]::ParameterValue, 'The LRC of an STX … ETX LRC frame (hex)')
            [CompletionResult]::new('mac', 'mac', [CompletionResultType]::ParameterValue, 'The MAC of messages (field 64/128) or of raw data (--data)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;verify;help;luhn' {
            break
        }
        'posresp;verify;help;lrc' {
            break
        }
        'posresp;verify;help;mac' {
            break
        }
        'posresp;verify;help;help' {
            break
        }
        'posresp;diff' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Fields forming the pairing key, besides the MTI (each used where present)')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Fields not compared (volatile): a list, or none')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Differences shown by the table output (the summary counts them all)')
            [CompletionResult]::new('--memory', '--memory', [CompletionResultType]::ParameterName, 'Memory budget (e.g. 512M, 64M); beyond it, work spills to temporary files')
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Compare only messages that hold this condition, on both sides (as decode --where: ''41=T0000009'', ''mti~^02'', ''code!=00''). Repeat for all of several')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;stats' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Also break the numbers down by terminal, merchant, response code or hour')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'A response later than this after its request counts as a timeout (the terminal has given up on it), e.g. 30s or 800ms; requests still unanswered when the log ends, less than this after they were sent, are counted as pending instead')
            [CompletionResult]::new('--host-port', '--host-port', [CompletionResultType]::ParameterName, 'In a capture without the connections'' SYN, the port(s) of the side that listens (the host), so that requests and responses are told apart by direction')
            [CompletionResult]::new('--slow', '--slow', [CompletionResultType]::ParameterName, 'A response slower than this is slow (counted, listed with --list slow), e.g. 1s')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the transactions that timed out, or the slowest ones, with their keys and times')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Most transactions listed per --list (the slowest first; timeouts in log order)')
            [CompletionResult]::new('--alert', '--alert', [CompletionResultType]::ParameterName, 'Print a line on stderr and exit 1 when a threshold is crossed: ''p99>800ms'', ''max>5s'', ''timeouts>1%'', ''slow>10'', ''approval<95%'', ''undecodable>0''. Repeatable')
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Count only messages that hold this condition (as decode --where: ''41=T0000009'', ''mti~^02'', ''39!=00''). Requests and responses are paired among the messages kept, so filter on what both carry (41, 42, 11) to keep latencies')
            [CompletionResult]::new('--ts-format', '--ts-format', [CompletionResultType]::ParameterName, 'How the log''s timestamps are written, when posresp does not read them by itself: %Y %y %m %d %b %H %M %S %f %s, e.g. ''%d%m%Y %H%M%S.%f''')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Only messages at or after this time (a timestamp in any form stats reads)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Only messages before this time')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'With --follow: the rolling window, e.g. 10s, 1m, 1h')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'With --follow: how often the figures are shown')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'With --follow: stop after this long (default: until Ctrl-C)')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'With --follow: also serve the figures in the Prometheus text format at http://ADDR/metrics (e.g. 127.0.0.1:9464)')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Watch a growing log (one file; rotation and truncation survived): every --interval, the figures of the last --window, redrawn in place on a terminal, one JSON line each in a pipe. Alerts print when they start and stop; the exit status is 1 if any fired')
            [CompletionResult]::new('--from-start', '--from-start', [CompletionResultType]::ParameterName, 'With --follow: read what the log already holds too, not only what is appended')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port; the chosen address is printed)')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules file (JSON, docs/rules.md). Without it every request is approved')
            [CompletionResult]::new('--framing', '--framing', [CompletionResultType]::ParameterName, 'Framing on the wire: spec (the spec''s own), len2, len2bcd, len4ascii, cup, stx …')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'Write every request and response to this JSON Lines log (''-'' for standard output). Card data in it is zeroed unless --unmask is given')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close a connection that sends nothing for this long (e.g. 30s, 500ms)')
            [CompletionResult]::new('--frame-timeout', '--frame-timeout', [CompletionResultType]::ParameterName, 'A frame must arrive whole within this from its first byte (e.g. 10s, 500ms): a client that trickles bytes is cut off, however often it sends one')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Connections held at once. At the cap, a new connection takes the place of the one that has been longest without a complete frame (idle for a second or more; said in the log); when every connection is busy, the new one is closed at once')
            [CompletionResult]::new('--mac-key-file', '--mac-key-file', [CompletionResultType]::ParameterName, 'MAC key (hex) file: responses carry a MAC and requests'' MACs are verified')
            [CompletionResult]::new('--tmk-file', '--tmk-file', [CompletionResultType]::ParameterName, 'Terminal master key (hex) file: CUP sign-on answers carry the working keys (PIK and the MAC key) encrypted under it in field 62, each with its check value')
            [CompletionResult]::new('--imk-file', '--imk-file', [CompletionResultType]::ParameterName, 'Issuer master key for application cryptograms (hex) file: answers to requests whose field 55 has an ARQC (9F26) carry the ARPC in 55.91 (method 1 with the response code, method 2 with a CSU of zeros), for the cryptogram version 9F10 names or --cvn')
            [CompletionResult]::new('--cvn', '--cvn', [CompletionResultType]::ParameterName, 'The cards'' cryptogram version, when 9F10 does not say (visa10, visa18, visa22, mc16, mc17, mc20, mc21, interac133)')
            [CompletionResult]::new('--on-malformed', '--on-malformed', [CompletionResultType]::ParameterName, 'What to do with a frame that does not decode')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'How long shutdown waits for delayed answers still in flight')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: one per core)')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'With --monitor: the rolling window, e.g. 10s, 1m')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'With --monitor: how often the figures are shown')
            [CompletionResult]::new('--slow', '--slow', [CompletionResultType]::ParameterName, 'With --monitor: a response slower than this counts as slow')
            [CompletionResult]::new('--alert', '--alert', [CompletionResultType]::ParameterName, 'With --monitor: print a line on stderr when a threshold is crossed (''p99>800ms'', ''timeouts>1%'', ''approval<95%''); the exit status is then 1')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'With --monitor: also serve the figures in the Prometheus text format at http://ADDR/metrics')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Speak TLS to clients with this PEM certificate chain (with --tls-key)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert (read from the file, never printed)')
            [CompletionResult]::new('--client-ca', '--client-ca', [CompletionResultType]::ParameterName, 'With --tls-cert: require a client certificate signed by a CA in this PEM file (mutual TLS)')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--monitor', '--monitor', [CompletionResultType]::ParameterName, 'Show the live view of the traffic on standard output (as stats --follow does: rolling window, latency, codes, alerts), redrawn on a terminal, JSON lines in a pipe')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;send' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Host to send to')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Replay the requests of this log and report on the run')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Wait this long for each answer (e.g. 5s, 500ms)')
            [CompletionResult]::new('--framing', '--framing', [CompletionResultType]::ParameterName, 'Framing on the wire: spec (the spec''s own), len2, len2bcd, len4ascii, cup, stx …')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Replay: requests in flight at once, over all connections')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Replay: connections to open')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Replay: requests per second over all connections (default: as fast as answered)')
            [CompletionResult]::new('--repeat', '--repeat', [CompletionResultType]::ParameterName, 'Replay: send the log''s requests this many times; each repeat gets fresh trace numbers (11), RRNs (37) and dates (7, 12, 13), a reversal''s original data (90) moved with its request, and a new MAC when a MAC key is given')
            [CompletionResult]::new('--mac-key-file', '--mac-key-file', [CompletionResultType]::ParameterName, 'MAC every request (field 64 or 128) under the key in this file (hex) before sending; network management (x8xx) is sent as it is')
            [CompletionResult]::new('--mac-key-env', '--mac-key-env', [CompletionResultType]::ParameterName, 'MAC every request under the key in this environment variable (hex)')
            [CompletionResult]::new('--mac-algorithm', '--mac-algorithm', [CompletionResultType]::ParameterName, 'With a MAC key: the algorithm (default: cup-ecb for CUP, x919 with a double-length key, else x99)')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'Write the exchanged traffic to this JSON Lines log (card data zeroed unless --unmask)')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'With --tls: PEM file of the CA certificates to trust instead of the system''s')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'With --tls: PEM certificate chain to present to the host (mutual TLS), with --key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'With --tls: PEM private key of --cert (read from the file, never printed)')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'With --tls: the server name to ask for (SNI) and check the certificate against (default: the host part of --to)')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--fail-on-decline', '--fail-on-decline', [CompletionResultType]::ParameterName, 'Exit 1 when an answer is not an approval, or no answer came')
            [CompletionResult]::new('--brief', '--brief', [CompletionResultType]::ParameterName, 'Decoded answers as brief JSON (top-level fields only)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Check every answer in the same run: its MTI answers the request''s, echoed fields are the request''s, the TPDU is swapped, it carries a response code (and an approval code when it approves; CUP: a reference number, 37), and (with a MAC key) its MAC verifies; exit 1 when one does not')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS to the host (the certificate is checked against the system''s CAs, or --ca)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'With --tls: accept any host certificate (for test hosts only; the link is encrypted but the host is not authenticated)')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;proxy' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address the terminals connect to (port 0 picks a free port; the chosen address is printed)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The host to forward to')
            [CompletionResult]::new('--framing', '--framing', [CompletionResultType]::ParameterName, 'Framing on the wire: spec (the spec''s own), len2, len2bcd, len4ascii, cup, stx …')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Rules file (JSON, docs/rules.md): faults to inject into the host''s answers')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'Write every frame of both directions to this JSON Lines log (''-'' for standard output). Card data in it is zeroed unless --unmask is given')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'A request the host has not answered within this is reported as a timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the host to accept a connection (and for TLS handshakes)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close both sides of a connection on which the terminal sends nothing for this long')
            [CompletionResult]::new('--mac-key-file', '--mac-key-file', [CompletionResultType]::ParameterName, 'MAC key (hex) file: answers changed by a rule get a new MAC under it (without it, a changed answer keeps the host''s MAC, which then no longer matches)')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'How long shutdown waits for answers still in flight')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Worker threads (default: one per core)')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'With --monitor: the rolling window, e.g. 10s, 1m')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'With --monitor: how often the figures are shown')
            [CompletionResult]::new('--slow', '--slow', [CompletionResultType]::ParameterName, 'With --monitor: a response slower than this counts as slow')
            [CompletionResult]::new('--alert', '--alert', [CompletionResultType]::ParameterName, 'With --monitor: print a line on stderr when a threshold is crossed (''p99>800ms'', ''timeouts>1%'', ''approval<95%''); the exit status is then 1')
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'With --monitor: also serve the figures in the Prometheus text format at http://ADDR/metrics')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'With --tls: PEM file of the CA certificates to trust instead of the system''s')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'With --tls: PEM certificate chain to present to the host (mutual TLS), with --key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'With --tls: PEM private key of --cert (read from the file, never printed)')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'With --tls: the server name to ask for (SNI) and check the certificate against (default: the host part of --to)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Speak TLS to clients with this PEM certificate chain (with --tls-key)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert (read from the file, never printed)')
            [CompletionResult]::new('--client-ca', '--client-ca', [CompletionResultType]::ParameterName, 'With --tls-cert: require a client certificate signed by a CA in this PEM file (mutual TLS)')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--monitor', '--monitor', [CompletionResultType]::ParameterName, 'Show the live view of the traffic on standard output (as stats --follow does: rolling window, latency, codes, alerts), redrawn on a terminal, JSON lines in a pipe')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Speak TLS to the host (the certificate is checked against the system''s CAs, or --ca)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'With --tls: accept any host certificate (for test hosts only; the link is encrypted but the host is not authenticated)')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;test' {
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Only the cases whose name contains this')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Cases run at once, each on its own connection')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Report format')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the report to this file (default: standard output)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The host to test (instead of the suite''s [target] to)')
            [CompletionResult]::new('--against-serve', '--against-serve', [CompletionResultType]::ParameterName, 'Start a local `posresp serve` with these rules on a free loopback port for the run, and test it (proves a suite without a real host)')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;pin' {
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('encode', 'encode', [CompletionResultType]::ParameterValue, 'Build a PIN block and encipher it under the PIN key (prints the block as hex)')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decipher a PIN block and say whether it is well formed for the PAN (the PIN is shown only with --unmask --show-pin)')
            [CompletionResult]::new('translate', 'translate', [CompletionResultType]::ParameterValue, 'Re-encipher a PIN block under another key, in the same or another format')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;pin;encode' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'ISO 9564-1 format: 0, 1, 2, 3 (DES/3DES key) or 4 (AES key)')
            [CompletionResult]::new('--pan', '--pan', [CompletionResultType]::ParameterName, 'The card number (formats 0, 3 and 4 bind the block to it)')
            [CompletionResult]::new('--pin-file', '--pin-file', [CompletionResultType]::ParameterName, 'File holding the PIN digits')
            [CompletionResult]::new('--pin-env', '--pin-env', [CompletionResultType]::ParameterName, 'Environment variable holding the PIN digits')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File holding the key as hex (16, 32 or 48 hex digits)')
            [CompletionResult]::new('--key-env', '--key-env', [CompletionResultType]::ParameterName, 'Environment variable holding the key as hex')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--pin-prompt', '--pin-prompt', [CompletionResultType]::ParameterName, 'Ask for the PIN on the terminal (not echoed)')
            [CompletionResult]::new('--key-prompt', '--key-prompt', [CompletionResultType]::ParameterName, 'Ask for the key on the terminal (not echoed)')
            [CompletionResult]::new('--clear', '--clear', [CompletionResultType]::ParameterName, 'Print the clear block instead (needs --unmask; formats 0-3)')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;pin;decode' {
            [CompletionResult]::new('--pan', '--pan', [CompletionResultType]::ParameterName, 'The card number (formats 0, 3 and 4)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File holding the key as hex (16, 32 or 48 hex digits)')
            [CompletionResult]::new('--key-env', '--key-env', [CompletionResultType]::ParameterName, 'Environment variable holding the key as hex')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--key-prompt', '--key-prompt', [CompletionResultType]::ParameterName, 'Ask for the key on the terminal (not echoed)')
            [CompletionResult]::new('--clear', '--clear', [CompletionResultType]::ParameterName, 'The block is clear, not enciphered (formats 0-3; no key)')
            [CompletionResult]::new('--show-pin', '--show-pin', [CompletionResultType]::ParameterName, 'Show the PIN digits (with --unmask)')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;pin;translate' {
            [CompletionResult]::new('--pan', '--pan', [CompletionResultType]::ParameterName, 'The card number')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File holding the key as hex (16, 32 or 48 hex digits)')
            [CompletionResult]::new('--key-env', '--key-env', [CompletionResultType]::ParameterName, 'Environment variable holding the key as hex')
            [CompletionResult]::new('--to-key-file', '--to-key-file', [CompletionResultType]::ParameterName, 'File holding the destination key as hex')
            [CompletionResult]::new('--to-key-env', '--to-key-env', [CompletionResultType]::ParameterName, 'Environment variable holding the destination key as hex')
            [CompletionResult]::new('--to-format', '--to-format', [CompletionResultType]::ParameterName, 'The format of the new block (default: the old block''s)')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--key-prompt', '--key-prompt', [CompletionResultType]::ParameterName, 'Ask for the key on the terminal (not echoed)')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;pin;help' {
            [CompletionResult]::new('encode', 'encode', [CompletionResultType]::ParameterValue, 'Build a PIN block and encipher it under the PIN key (prints the block as hex)')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decipher a PIN block and say whether it is well formed for the PAN (the PIN is shown only with --unmask --show-pin)')
            [CompletionResult]::new('translate', 'translate', [CompletionResultType]::ParameterValue, 'Re-encipher a PIN block under another key, in the same or another format')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;pin;help;encode' {
            break
        }
        'posresp;pin;help;decode' {
            break
        }
        'posresp;pin;help;translate' {
            break
        }
        'posresp;pin;help;help' {
            break
        }
        'posresp;key' {
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('tr31', 'tr31', [CompletionResultType]::ParameterValue, 'TR-31 key blocks (versions A, B, C, D): unwrap and wrap under a key block protection key')
            [CompletionResult]::new('kcv', 'kcv', [CompletionResultType]::ParameterValue, 'The check value of a key: DES/3DES (a zero block encrypted), or AES with --aes')
            [CompletionResult]::new('dukpt', 'dukpt', [CompletionResultType]::ParameterValue, 'Derive a DUKPT key for a KSN from the BDK or the initial key: triple DES (ANSI X9.24-1, 20-digit KSN) or AES (X9.24-3, 24-digit KSN); prints the check values, writes the key only to --out')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;key;tr31' {
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('unwrap', 'unwrap', [CompletionResultType]::ParameterValue, 'Check a key block''s MAC and read its header; prints the header and the key''s check value, writes the key only to --out')
            [CompletionResult]::new('wrap', 'wrap', [CompletionResultType]::ParameterValue, 'Wrap a key under the KBPK; prints the key block')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;key;tr31;unwrap' {
            [CompletionResult]::new('--kbpk-file', '--kbpk-file', [CompletionResultType]::ParameterName, 'File holding the key block protection key (KBPK) as hex')
            [CompletionResult]::new('--kbpk-env', '--kbpk-env', [CompletionResultType]::ParameterName, 'Environment variable holding the KBPK')
            [CompletionResult]::new('--block', '--block', [CompletionResultType]::ParameterName, 'The key block (use --block-file to keep it out of the shell history)')
            [CompletionResult]::new('--block-file', '--block-file', [CompletionResultType]::ParameterName, 'File holding the key block')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the clear key (hex) to this file, created readable by its owner only')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--kbpk-prompt', '--kbpk-prompt', [CompletionResultType]::ParameterName, 'Ask for the KBPK on the terminal (not echoed)')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;key;tr31;wrap' {
            [CompletionResult]::new('--kbpk-file', '--kbpk-file', [CompletionResultType]::ParameterName, 'File holding the key block protection key (KBPK) as hex')
            [CompletionResult]::new('--kbpk-env', '--kbpk-env', [CompletionResultType]::ParameterName, 'Environment variable holding the KBPK')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File holding the key as hex (16, 32 or 48 hex digits)')
            [CompletionResult]::new('--key-env', '--key-env', [CompletionResultType]::ParameterName, 'Environment variable holding the key as hex')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'The header: 16 characters (the length, characters 2-5, is filled in) and any optional blocks, e.g. B0000P0TE00E0000 or D0000P0AE00N0100KS18FFFF9876543210E00000')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--kbpk-prompt', '--kbpk-prompt', [CompletionResultType]::ParameterName, 'Ask for the KBPK on the terminal (not echoed)')
            [CompletionResult]::new('--key-prompt', '--key-prompt', [CompletionResultType]::ParameterName, 'Ask for the key on the terminal (not echoed)')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;key;tr31;help' {
            [CompletionResult]::new('unwrap', 'unwrap', [CompletionResultType]::ParameterValue, 'Check a key block''s MAC and read its header; prints the header and the key''s check value, writes the key only to --out')
            [CompletionResult]::new('wrap', 'wrap', [CompletionResultType]::ParameterValue, 'Wrap a key under the KBPK; prints the key block')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;key;tr31;help;unwrap' {
            break
        }
        'posresp;key;tr31;help;wrap' {
            break
        }
        'posresp;key;tr31;help;help' {
            break
        }
        'posresp;key;kcv' {
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File holding the key as hex (16, 32 or 48 hex digits)')
            [CompletionResult]::new('--key-env', '--key-env', [CompletionResultType]::ParameterName, 'Environment variable holding the key as hex')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'For AES: how the check value is computed')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--key-prompt', '--key-prompt', [CompletionResultType]::ParameterName, 'Ask for the key on the terminal (not echoed)')
            [CompletionResult]::new('--aes', '--aes', [CompletionResultType]::ParameterName, 'The key is an AES key (16, 24 or 32 bytes)')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;key;dukpt' {
            [CompletionResult]::new('--bdk-file', '--bdk-file', [CompletionResultType]::ParameterName, 'File holding the base derivation key (BDK) as hex')
            [CompletionResult]::new('--bdk-env', '--bdk-env', [CompletionResultType]::ParameterName, 'Environment variable holding the BDK')
            [CompletionResult]::new('--ipek-file', '--ipek-file', [CompletionResultType]::ParameterName, 'File holding the device''s initial key (IPEK) instead of the BDK')
            [CompletionResult]::new('--ipek-env', '--ipek-env', [CompletionResultType]::ParameterName, 'Environment variable holding the IPEK')
            [CompletionResult]::new('--ksn', '--ksn', [CompletionResultType]::ParameterName, 'The key serial number: 20 hex digits (TDES DUKPT) or 24 (AES DUKPT)')
            [CompletionResult]::new('--usage', '--usage', [CompletionResultType]::ParameterName, 'Which key. TDES: pin, mac (request), mac-response, data (request), data-response. AES: pin, mac (generation), mac-verify, mac-both, data (encrypt), data-decrypt, data-both, kek. Both: ipek (the device''s initial key), transaction (the transaction-originating key, before its variant or derivation)')
            [CompletionResult]::new('--key-type', '--key-type', [CompletionResultType]::ParameterName, 'AES DUKPT: the type of the working key (default: the BDK''s AES type)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the derived key (hex) to this file, created readable by its owner only')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;key;help' {
            [CompletionResult]::new('tr31', 'tr31', [CompletionResultType]::ParameterValue, 'TR-31 key blocks (versions A, B, C, D): unwrap and wrap under a key block protection key')
            [CompletionResult]::new('kcv', 'kcv', [CompletionResultType]::ParameterValue, 'The check value of a key: DES/3DES (a zero block encrypted), or AES with --aes')
            [CompletionResult]::new('dukpt', 'dukpt', [CompletionResultType]::ParameterValue, 'Derive a DUKPT key for a KSN from the BDK or the initial key: triple DES (ANSI X9.24-1, 20-digit KSN) or AES (X9.24-3, 24-digit KSN); prints the check values, writes the key only to --out')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;key;help;tr31' {
            [CompletionResult]::new('unwrap', 'unwrap', [CompletionResultType]::ParameterValue, 'Check a key block''s MAC and read its header; prints the header and the key''s check value, writes the key only to --out')
            [CompletionResult]::new('wrap', 'wrap', [CompletionResultType]::ParameterValue, 'Wrap a key under the KBPK; prints the key block')
            break
        }
        'posresp;key;help;tr31;unwrap' {
            break
        }
        'posresp;key;help;tr31;wrap' {
            break
        }
        'posresp;key;help;kcv' {
            break
        }
        'posresp;key;help;dukpt' {
            break
        }
        'posresp;key;help;help' {
            break
        }
        'posresp;emv' {
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('arqc', 'arqc', [CompletionResultType]::ParameterValue, 'Recompute the card''s cryptogram (ARQC, TC or AAC) and compare it with 9F26; exit 1 when they differ')
            [CompletionResult]::new('arpc', 'arpc', [CompletionResultType]::ParameterValue, 'Compute the ARPC for the card''s ARQC: prints the ARPC and the value of tag 91')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;emv;arqc' {
            [CompletionResult]::new('--imk-file', '--imk-file', [CompletionResultType]::ParameterName, 'File holding the issuer master key for application cryptograms (IMK-AC), as hex')
            [CompletionResult]::new('--imk-env', '--imk-env', [CompletionResultType]::ParameterName, 'Environment variable holding the IMK-AC')
            [CompletionResult]::new('--cvn', '--cvn', [CompletionResultType]::ParameterName, 'The card''s cryptogram version (default: read from 9F10)')
            [CompletionResult]::new('--pan', '--pan', [CompletionResultType]::ParameterName, 'The card number (default: tag 5A of the chip data)')
            [CompletionResult]::new('--psn', '--psn', [CompletionResultType]::ParameterName, 'The PAN sequence number, 2 digits (default: tag 5F34, else 00)')
            [CompletionResult]::new('--tlv', '--tlv', [CompletionResultType]::ParameterName, 'The chip data (field 55) as hex')
            [CompletionResult]::new('--tlv-file', '--tlv-file', [CompletionResultType]::ParameterName, 'File holding the chip data as hex')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--imk-prompt', '--imk-prompt', [CompletionResultType]::ParameterName, 'Ask for the IMK-AC on the terminal (not echoed)')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;emv;arpc' {
            [CompletionResult]::new('--imk-file', '--imk-file', [CompletionResultType]::ParameterName, 'File holding the issuer master key for application cryptograms (IMK-AC), as hex')
            [CompletionResult]::new('--imk-env', '--imk-env', [CompletionResultType]::ParameterName, 'Environment variable holding the IMK-AC')
            [CompletionResult]::new('--cvn', '--cvn', [CompletionResultType]::ParameterName, 'The card''s cryptogram version (default: read from 9F10)')
            [CompletionResult]::new('--pan', '--pan', [CompletionResultType]::ParameterName, 'The card number (default: tag 5A of the chip data)')
            [CompletionResult]::new('--psn', '--psn', [CompletionResultType]::ParameterName, 'The PAN sequence number, 2 digits (default: tag 5F34, else 00)')
            [CompletionResult]::new('--tlv', '--tlv', [CompletionResultType]::ParameterName, 'The chip data (field 55) as hex')
            [CompletionResult]::new('--tlv-file', '--tlv-file', [CompletionResultType]::ParameterName, 'File holding the chip data as hex')
            [CompletionResult]::new('--arc', '--arc', [CompletionResultType]::ParameterName, 'Method 1: the authorisation response code, as 2 characters (`00`, `Z3`) or 4 hex digits')
            [CompletionResult]::new('--csu', '--csu', [CompletionResultType]::ParameterName, 'Method 2: the card status update, 8 hex digits')
            [CompletionResult]::new('--proprietary', '--proprietary', [CompletionResultType]::ParameterName, 'Method 2: proprietary authentication data, 0 to 16 hex digits')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--imk-prompt', '--imk-prompt', [CompletionResultType]::ParameterName, 'Ask for the IMK-AC on the terminal (not echoed)')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;emv;help' {
            [CompletionResult]::new('arqc', 'arqc', [CompletionResultType]::ParameterValue, 'Recompute the card''s cryptogram (ARQC, TC or AAC) and compare it with 9F26; exit 1 when they differ')
            [CompletionResult]::new('arpc', 'arpc', [CompletionResultType]::ParameterValue, 'Compute the ARPC for the card''s ARQC: prints the ARPC and the value of tag 91')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;emv;help;arqc' {
            break
        }
        'posresp;emv;help;arpc' {
            break
        }
        'posresp;emv;help;help' {
            break
        }
        'posresp;spec' {
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the built-in specs')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a spec''s layout: framing, MTI, bitmap and every field')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a spec as a posresp spec file (JSON), to start a spec of your own')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;spec;list' {
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;spec;show' {
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;spec;export' {
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;spec;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the built-in specs')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a spec''s layout: framing, MTI, bitmap and every field')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a spec as a posresp spec file (JSON), to start a spec of your own')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;spec;help;list' {
            break
        }
        'posresp;spec;help;show' {
            break
        }
        'posresp;spec;help;export' {
            break
        }
        'posresp;spec;help;help' {
            break
        }
        'posresp;completions' {
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;man' {
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--unmask', '--unmask', [CompletionResultType]::ParameterName, 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'posresp;help' {
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode messages (hex, binary, dumps, logs) into annotated fields')
            [CompletionResult]::new('encode', 'encode', [CompletionResultType]::ParameterValue, 'Build messages from JSON (what decode prints, or a field map): the inverse of decode')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain response codes and other coded values in plain words, or summarise messages')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate seeded synthetic request/response traffic as a log')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check values (Luhn, LRC, MAC) and message structure; exit 1 when a check fails')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two logs transaction by transaction; exit 1 when they differ')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Summarise traffic logs: counts, response codes, approval rate, latency, timeouts')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run a simulated acquirer host on TCP that answers requests by rules')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send messages to a host (or replay a log) and decode the answers')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'Sit between terminals and a host: forward, decode and time both directions, inject faults')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Run test suites against a host: send each case''s steps, check every answer, report')
            [CompletionResult]::new('pin', 'pin', [CompletionResultType]::ParameterValue, 'PIN blocks (ISO 9564-1 formats 0-4): encode, decode, translate under PIN keys')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'Keys: check values (DES, AES), DUKPT keys from a BDK or IPEK and a KSN')
            [CompletionResult]::new('emv', 'emv', [CompletionResultType]::ParameterValue, 'EMV cryptograms: check a card''s ARQC, compute the issuer''s ARPC')
            [CompletionResult]::new('spec', 'spec', [CompletionResultType]::ParameterValue, 'List, show or export message specs')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, powershell, elvish) to standard output')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) to standard output')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;help;decode' {
            break
        }
        'posresp;help;encode' {
            break
        }
        'posresp;help;explain' {
            break
        }
        'posresp;help;generate' {
            break
        }
        'posresp;help;verify' {
            [CompletionResult]::new('luhn', 'luhn', [CompletionResultType]::ParameterValue, 'Luhn check digits of PANs (and the digit a failing one should end with)')
            [CompletionResult]::new('lrc', 'lrc', [CompletionResultType]::ParameterValue, 'The LRC of an STX … ETX LRC frame (hex)')
            [CompletionResult]::new('mac', 'mac', [CompletionResultType]::ParameterValue, 'The MAC of messages (field 64/128) or of raw data (--data)')
            break
        }
        'posresp;help;verify;luhn' {
            break
        }
        'posresp;help;verify;lrc' {
            break
        }
        'posresp;help;verify;mac' {
            break
        }
        'posresp;help;diff' {
            break
        }
        'posresp;help;stats' {
            break
        }
        'posresp;help;serve' {
            break
        }
        'posresp;help;send' {
            break
        }
        'posresp;help;proxy' {
            break
        }
        'posresp;help;test' {
            break
        }
        'posresp;help;pin' {
            [CompletionResult]::new('encode', 'encode', [CompletionResultType]::ParameterValue, 'Build a PIN block and encipher it under the PIN key (prints the block as hex)')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decipher a PIN block and say whether it is well formed for the PAN (the PIN is shown only with --unmask --show-pin)')
            [CompletionResult]::new('translate', 'translate', [CompletionResultType]::ParameterValue, 'Re-encipher a PIN block under another key, in the same or another format')
            break
        }
        'posresp;help;pin;encode' {
            break
        }
        'posresp;help;pin;decode' {
            break
        }
        'posresp;help;pin;translate' {
            break
        }
        'posresp;help;key' {
            [CompletionResult]::new('tr31', 'tr31', [CompletionResultType]::ParameterValue, 'TR-31 key blocks (versions A, B, C, D): unwrap and wrap under a key block protection key')
            [CompletionResult]::new('kcv', 'kcv', [CompletionResultType]::ParameterValue, 'The check value of a key: DES/3DES (a zero block encrypted), or AES with --aes')
            [CompletionResult]::new('dukpt', 'dukpt', [CompletionResultType]::ParameterValue, 'Derive a DUKPT key for a KSN from the BDK or the initial key: triple DES (ANSI X9.24-1, 20-digit KSN) or AES (X9.24-3, 24-digit KSN); prints the check values, writes the key only to --out')
            break
        }
        'posresp;help;key;tr31' {
            [CompletionResult]::new('unwrap', 'unwrap', [CompletionResultType]::ParameterValue, 'Check a key block''s MAC and read its header; prints the header and the key''s check value, writes the key only to --out')
            [CompletionResult]::new('wrap', 'wrap', [CompletionResultType]::ParameterValue, 'Wrap a key under the KBPK; prints the key block')
            break
        }
        'posresp;help;key;tr31;unwrap' {
            break
        }
        'posresp;help;key;tr31;wrap' {
            break
        }
        'posresp;help;key;kcv' {
            break
        }
        'posresp;help;key;dukpt' {
            break
        }
        'posresp;help;emv' {
            [CompletionResult]::new('arqc', 'arqc', [CompletionResultType]::ParameterValue, 'Recompute the card''s cryptogram (ARQC, TC or AAC) and compare it with 9F26; exit 1 when they differ')
            [CompletionResult]::new('arpc', 'arpc', [CompletionResultType]::ParameterValue, 'Compute the ARPC for the card''s ARQC: prints the ARPC and the value of tag 91')
            break
        }
        'posresp;help;emv;arqc' {
            break
        }
        'posresp;help;emv;arpc' {
            break
        }
        'posresp;help;spec' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the built-in specs')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a spec''s layout: framing, MTI, bitmap and every field')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a spec as a posresp spec file (JSON), to start a spec of your own')
            break
        }
        'posresp;help;spec;list' {
            break
        }
        'posresp;help;spec;show' {
            break
        }
        'posresp;help;spec;export' {
            break
        }
        'posresp;help;completions' {
            break
        }
        'posresp;help;man' {
            break
        }
        'posresp;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
