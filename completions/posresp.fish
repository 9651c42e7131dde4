# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_posresp_global_optspecs
    string join \n spec= output= color= unmask codes= h/help V/version
end

function __fish_posresp_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_posresp_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_posresp_using_subcommand
    set -l cmd (__fish_posresp_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c posresp -n "__fish_posresp_needs_command" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_needs_command" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_needs_command" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_needs_command" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_needs_command" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_needs_command" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "decode" -d 'Decode messages (hex, binary, dumps, logs) into annotated fields'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "encode" -d 'Build messages from JSON (what decode prints, or a field map): the inverse of decode'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "explain" -d 'Explain response codes and other coded values in plain words, or summarise messages'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "generate" -d 'Generate seeded synthetic request/response traffic as a log'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "verify" -d 'Check values (Luhn, LRC, MAC) and message structure; exit 1 when a check fails'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "diff" -d 'Compare two logs transaction by transaction; exit 1 when they differ'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "stats" -d 'Summarise traffic logs: counts, response codes, approval rate, latency, timeouts'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "serve" -d 'Run a simulated acquirer host on TCP that answers requests by rules'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "send" -d 'Send messages to a host (or replay a log) and decode the answers'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "proxy" -d 'Sit between terminals and a host: forward, decode and time both directions, inject faults'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "test" -d 'Run test suites against a host: send each case\'s steps, check every answer, report'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "pin" -d 'PIN blocks (ISO 9564-1 formats 0-4): encode, decode, translate under PIN keys'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "key" -d 'Keys: check values (DES, AES), DUKPT keys from a BDK or IPEK and a KSN'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "emv" -d 'EMV cryptograms: check a card\'s ARQC, compute the issuer\'s ARPC'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "spec" -d 'List, show or export message specs'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, powershell, elvish) to standard output'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "man" -d 'Print the man page (roff) to standard output'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l input-format -d 'Force the input form instead of detecting it' -r -f -a "auto\t'Detect from the content'
raw\t'Raw bytes; the whole input is one message'
hex\t'Hex text; the whole input is one message (spaces, colons, 0x, line breaks ignored)'
lines\t'One message per line, optionally "TIMESTAMP [req|resp] HEX"'
jsonl\t'posresp JSON Lines log ({"ts":…,"dir":…,"hex":…})'
dump\t'xxd, hexdump -C, od -A x -t x1z, jPOS or Wireshark hex dump'
jpos-xml\t'jPOS XML log (<log><send|receive><isomsg>): values as logged, no offsets'
pcap\t'pcap or pcapng capture (TCP reassembled; found by its magic number when auto)'
tcpdump\t'tcpdump -X or -XX text'"
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l host-port -d 'In a capture without the connections\' SYN, the port(s) of the side that listens (the host): messages to it are requests ("dir": "req"), from it responses' -r
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l framing -d 'Framing before the MTI: auto, spec (the spec\'s own), none, len2, len2bcd, len4ascii, tpdu, len2+tpdu, tpdu+header6, cup (len2+tpdu+header6), stx, or stx+ any of these' -r -f -a "auto\t''
spec\t''
none\t''
len2\t''
len2bcd\t''
len4ascii\t''
tpdu\t''
len2+tpdu\t''
tpdu+header6\t''
cup\t''
stx\t''"
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l where -d 'Only messages that hold this condition: a field number or an attribute (mti, code, category, latency_ms, dir, ts, spec, src, dst, packet, line), an operator (= != > >= < <= ~ !~) and a value, e.g. \'39!=00\', \'latency_ms>2000\', \'41=T0000009\', \'mti~^04\'; NAME or !NAME for present or absent. Repeat or join with && for all of several. Messages that do not decode are still reported' -r
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l raw -d 'Add each field\'s wire bytes as hex ("raw") to JSON output (never for masked fields)'
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l brief -d 'Brief JSON (with --output json/jsonl): fields as an {"id": value} object of top-level fields, no names, offsets, sub-elements or meanings; for bulk pipelines'
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand decode" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand encode" -l framing -d 'Framing to wrap each message in: none, len2, len2bcd, len4ascii, tpdu, len2+tpdu, tpdu+header6, cup, stx… (default: what the JSON says, else the spec\'s own)' -r
complete -c posresp -n "__fish_posresp_using_subcommand encode" -l tpdu -d 'TPDU (hex, 5 bytes) for framings with a TPDU, when the JSON has none' -r
complete -c posresp -n "__fish_posresp_using_subcommand encode" -l header -d 'Application header (hex) for framings with one, when the JSON has none' -r
complete -c posresp -n "__fish_posresp_using_subcommand encode" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand encode" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand encode" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand encode" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand encode" -l raw -d 'Write the message bytes themselves instead of one hex line per message'
complete -c posresp -n "__fish_posresp_using_subcommand encode" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand encode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand encode" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand explain" -l scheme -d 'Code dictionary (default: the dialect of --spec, else iso87)' -r -f -a "iso87\t'ISO 8583:1987 two-character response codes'
iso93\t'ISO 8583:1993 three-digit action codes'
cup\t'China UnionPay POS response codes'"
complete -c posresp -n "__fish_posresp_using_subcommand explain" -l field -d 'Explain VALUE of field FIELD (same as FIELD=VALUE)' -r
complete -c posresp -n "__fish_posresp_using_subcommand explain" -l lang -d 'Language of meanings' -r -f -a "en\t'English'
zh\t'Chinese, where the table has it (CUP); English otherwise'"
complete -c posresp -n "__fish_posresp_using_subcommand explain" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand explain" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand explain" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand explain" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand explain" -l list -d 'Print the whole code table of the dialect'
complete -c posresp -n "__fish_posresp_using_subcommand explain" -l message -d 'Summarise messages: the arguments are INPUTs (files, \'-\' or hex), each message one paragraph'
complete -c posresp -n "__fish_posresp_using_subcommand explain" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand explain" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l count -d 'Transactions (a request and, unless it times out, its response)' -r
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l start -d 'Time of the first transaction (any form stats reads, e.g. 2026-11-26T00:00:00Z)' -r
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l rate -d 'Transactions per second, on average over the day with --profile day' -r
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l duration -d 'Traffic that covers this long (e.g. 24h, 90m) at --rate, instead of --count' -r
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l profile -d 'How the rate changes over the day: flat, or day (quiet at night, peaks at lunch and in the early evening, as shops see)' -r -f -a "flat\t'The same rate all day'
day\t'A shop\'s day: quiet at night, busiest at lunch and in the early evening'"
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l seed -d 'Seed: the same seed and options give the same output' -r
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l mix -d 'Response-code weights, e.g. 00=90,51=4,05=3,91=2 (codes of the spec\'s dialect)' -r
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l kinds -d 'Transaction-kind weights: purchase, refund, void, preauth, reversal, balance, signon' -r
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l timeouts -d 'Share of requests left unanswered, e.g. 0.5% or 0.005' -r
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l latency -d 'Response latency: lognormal:median=180ms,p99=2s or fixed:50ms' -r
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l terminals -d 'Number of terminals' -r
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l merchants -d 'Number of merchants (terminals are spread over them)' -r
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l mac-key-file -d 'MAC key (hex) file: field 64 carries a real MAC (CUP ECB for cup, else X9.19/X9.9)' -r
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l format -d 'Output form' -r -f -a "jsonl\t'posresp JSON Lines log ({"ts","dir","spec","hex"}, latency_ms on responses)'
hex\t'One hex message per line'
bin\t'The framed byte stream (a 2-byte length is added when the spec has no length framing)'
pcap\t'A pcap capture of the traffic on the wire: one TCP connection per terminal (SYN first, FIN last) to 172.16.0.1:5000, each message at its time, framed as for bin'"
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l out -d 'Write to FILE instead of standard output' -r
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand generate" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand generate" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l key-file -d 'File holding the key as hex (16, 32 or 48 hex digits)' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l key-env -d 'Environment variable holding the key as hex' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l algorithm -d 'MAC algorithm (default: cup-ecb for CUP, x919 with a double-length key, else x99)' -r -f -a "x99\t'ANSI X9.9 = ISO 9797-1 algorithm 1, padding method 1 (DES, or 3DES with a longer key)'
x919\t'ANSI X9.19 retail MAC = ISO 9797-1 algorithm 3, padding method 1 (double-length key)'
iso9797-1\t'ISO 9797-1 algorithm 1 with padding method 2'
x919-pad2\t'X9.19 with padding method 2'
cup-ecb\t'China UnionPay POS "ECB" MAC (8 ASCII hex characters in field 64)'
aes-cmac\t'AES-CMAC (ISO 9797-1 algorithm 5, NIST SP 800-38B), leftmost 8 bytes; AES-128/192 key'
tdes-cmac\t'Triple-DES CMAC (ISO 9797-1 algorithm 5), double- or triple-length key'"
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l request -d 'The request(s) the responses answer: checks MTI, echoed fields and (CUP) the TPDU, and fails every request left without a response. Without it, responses are paired with the requests before them in the inputs (a traffic log holds both)' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l pin-key-file -d 'File holding the PIN key (hex): field 52 must decipher to a well-formed ISO 9564-1 block for the message\'s PAN (DES/3DES for 8-byte blocks, AES for 16-byte format 4)' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l pin-key-env -d 'Environment variable holding the PIN key (hex)' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l imk-file -d 'File holding the issuer master key for application cryptograms (IMK-AC, hex): the card\'s cryptogram (55.9F26) is recomputed, and a response\'s ARPC (55.91) checked against its request\'s ARQC' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l imk-env -d 'Environment variable holding the IMK-AC (hex)' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l bdk-file -d 'File holding the base derivation key of DUKPT terminals (hex): each message\'s MAC and PIN block are checked under the keys derived for the KSN in --ksn-field (TDES DUKPT for a 16-byte BDK and a 20-digit KSN, AES DUKPT for a 24-digit KSN)' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l bdk-env -d 'Environment variable holding the BDK (hex)' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l ksn-field -d 'The field that carries the KSN, as hex (20 or 24 digits, or the KSN in the last bytes of a longer field)' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l cvn -d 'The cards\' cryptogram version (default: read from each message\'s 9F10): visa10, visa18, visa22, mc16, mc17, mc20, mc21, interac133' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l key-prompt -d 'Ask for the key on the terminal (not echoed)'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l require-mac -d 'Fail messages that carry no MAC (field 64/128), also without a key. With a key a MAC is always required (network management messages, MTI x8xx, excepted)'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l failures-only -d 'Print only the checks that fail (the summary still counts them all)'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -a "luhn" -d 'Luhn check digits of PANs (and the digit a failing one should end with)'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -a "lrc" -d 'The LRC of an STX … ETX LRC frame (hex)'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -a "mac" -d 'The MAC of messages (field 64/128) or of raw data (--data)'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and not __fish_seen_subcommand_from luhn lrc mac help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from luhn" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from luhn" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from luhn" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from luhn" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from luhn" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from luhn" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from luhn" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from lrc" -l variant -d 'Which bytes the LRC covers' -r -f -a "standard\t'XOR of the bytes after STX up to and including ETX'
with-stx\t'STX included'
data-only\t'Data only, neither STX nor ETX'
ecr17\t'As standard, starting from 0x7F (Nexi ECR17)'"
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from lrc" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from lrc" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from lrc" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from lrc" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from lrc" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from lrc" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from lrc" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from mac" -l algorithm -d 'MAC algorithm' -r -f -a "x99\t'ANSI X9.9 = ISO 9797-1 algorithm 1, padding method 1 (DES, or 3DES with a longer key)'
x919\t'ANSI X9.19 retail MAC = ISO 9797-1 algorithm 3, padding method 1 (double-length key)'
iso9797-1\t'ISO 9797-1 algorithm 1 with padding method 2'
x919-pad2\t'X9.19 with padding method 2'
cup-ecb\t'China UnionPay POS "ECB" MAC (8 ASCII hex characters in field 64)'
aes-cmac\t'AES-CMAC (ISO 9797-1 algorithm 5, NIST SP 800-38B), leftmost 8 bytes; AES-128/192 key'
tdes-cmac\t'Triple-DES CMAC (ISO 9797-1 algorithm 5), double- or triple-length key'"
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from mac" -l expect -d 'Expected MAC (hex) for --data' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from mac" -l padding -d 'ISO 9797-1 padding method for x99/x919 over --data (1: zeros, 2: 0x80 then zeros)' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from mac" -l key-file -d 'File holding the key as hex (16, 32 or 48 hex digits)' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from mac" -l key-env -d 'Environment variable holding the key as hex' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from mac" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from mac" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from mac" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from mac" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from mac" -l data -d 'INPUT is data to MAC, not a message; compare with --expect if given'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from mac" -l search -d 'Try every algorithm, padding and MAC block posresp knows and say which (if any) reproduces each message\'s MAC'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from mac" -l key-prompt -d 'Ask for the key on the terminal (not echoed)'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from mac" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from mac" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from mac" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from help" -f -a "luhn" -d 'Luhn check digits of PANs (and the digit a failing one should end with)'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from help" -f -a "lrc" -d 'The LRC of an STX … ETX LRC frame (hex)'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from help" -f -a "mac" -d 'The MAC of messages (field 64/128) or of raw data (--data)'
complete -c posresp -n "__fish_posresp_using_subcommand verify; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c posresp -n "__fish_posresp_using_subcommand diff" -l key -d 'Fields forming the pairing key, besides the MTI (each used where present)' -r
complete -c posresp -n "__fish_posresp_using_subcommand diff" -l ignore -d 'Fields not compared (volatile): a list, or none' -r
complete -c posresp -n "__fish_posresp_using_subcommand diff" -l limit -d 'Differences shown by the table output (the summary counts them all)' -r
complete -c posresp -n "__fish_posresp_using_subcommand diff" -l memory -d 'Memory budget (e.g. 512M, 64M); beyond it, work spills to temporary files' -r
complete -c posresp -n "__fish_posresp_using_subcommand diff" -l where -d 'Compare only messages that hold this condition, on both sides (as decode --where: \'41=T0000009\', \'mti~^02\', \'code!=00\'). Repeat for all of several' -r
complete -c posresp -n "__fish_posresp_using_subcommand diff" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand diff" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand diff" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand diff" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand diff" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand diff" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l by -d 'Also break the numbers down by terminal, merchant, response code or hour' -r -f -a "terminal\t'Per terminal (field 41)'
merchant\t'Per merchant (field 42)'
code\t'Per response code (field 39)'
hour\t'Per hour of the request timestamp'"
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l timeout -d 'A response later than this after its request counts as a timeout (the terminal has given up on it), e.g. 30s or 800ms; requests still unanswered when the log ends, less than this after they were sent, are counted as pending instead' -r
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l host-port -d 'In a capture without the connections\' SYN, the port(s) of the side that listens (the host), so that requests and responses are told apart by direction' -r
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l slow -d 'A response slower than this is slow (counted, listed with --list slow), e.g. 1s' -r
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l list -d 'List the transactions that timed out, or the slowest ones, with their keys and times' -r -f -a "timeouts\t'Requests never answered (or answered after --timeout)'
slow\t'The slowest answered transactions'"
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l limit -d 'Most transactions listed per --list (the slowest first; timeouts in log order)' -r
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l alert -d 'Print a line on stderr and exit 1 when a threshold is crossed: \'p99>800ms\', \'max>5s\', \'timeouts>1%\', \'slow>10\', \'approval<95%\', \'undecodable>0\'. Repeatable' -r
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l where -d 'Count only messages that hold this condition (as decode --where: \'41=T0000009\', \'mti~^02\', \'39!=00\'). Requests and responses are paired among the messages kept, so filter on what both carry (41, 42, 11) to keep latencies' -r
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l ts-format -d 'How the log\'s timestamps are written, when posresp does not read them by itself: %Y %y %m %d %b %H %M %S %f %s, e.g. \'%d%m%Y %H%M%S.%f\'' -r
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l from -d 'Only messages at or after this time (a timestamp in any form stats reads)' -r
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l to -d 'Only messages before this time' -r
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l window -d 'With --follow: the rolling window, e.g. 10s, 1m, 1h' -r
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l interval -d 'With --follow: how often the figures are shown' -r
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l duration -d 'With --follow: stop after this long (default: until Ctrl-C)' -r
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l metrics -d 'With --follow: also serve the figures in the Prometheus text format at http://ADDR/metrics (e.g. 127.0.0.1:9464)' -r
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l follow -d 'Watch a growing log (one file; rotation and truncation survived): every --interval, the figures of the last --window, redrawn in place on a terminal, one JSON line each in a pipe. Alerts print when they start and stop; the exit status is 1 if any fired'
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l from-start -d 'With --follow: read what the log already holds too, not only what is appended'
complete -c posresp -n "__fish_posresp_using_subcommand stats" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand stats" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l listen -d 'Address to listen on (port 0 picks a free port; the chosen address is printed)' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l rules -d 'Rules file (JSON, docs/rules.md). Without it every request is approved' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l framing -d 'Framing on the wire: spec (the spec\'s own), len2, len2bcd, len4ascii, cup, stx …' -r -f -a "spec\t''
len2\t''
len2bcd\t''
len4ascii\t''
len2+tpdu\t''
cup\t''
stx\t''"
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l log -d 'Write every request and response to this JSON Lines log (\'-\' for standard output). Card data in it is zeroed unless --unmask is given' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l idle-timeout -d 'Close a connection that sends nothing for this long (e.g. 30s, 500ms)' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l frame-timeout -d 'A frame must arrive whole within this from its first byte (e.g. 10s, 500ms): a client that trickles bytes is cut off, however often it sends one' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l max-connections -d 'Connections held at once. At the cap, a new connection takes the place of the one that has been longest without a complete frame (idle for a second or more; said in the log); when every connection is busy, the new one is closed at once' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l mac-key-file -d 'MAC key (hex) file: responses carry a MAC and requests\' MACs are verified' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l tmk-file -d 'Terminal master key (hex) file: CUP sign-on answers carry the working keys (PIK and the MAC key) encrypted under it in field 62, each with its check value' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l imk-file -d 'Issuer master key for application cryptograms (hex) file: answers to requests whose field 55 has an ARQC (9F26) carry the ARPC in 55.91 (method 1 with the response code, method 2 with a CSU of zeros), for the cryptogram version 9F10 names or --cvn' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l cvn -d 'The cards\' cryptogram version, when 9F10 does not say (visa10, visa18, visa22, mc16, mc17, mc20, mc21, interac133)' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l on-malformed -d 'What to do with a frame that does not decode' -r -f -a "respond\t'Answer with the dialect\'s format-error code (30, or 904 in 1993) when the MTI could be read; close the connection when not'
close\t'Close the connection'"
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l grace -d 'How long shutdown waits for delayed answers still in flight' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l threads -d 'Worker threads (default: one per core)' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l window -d 'With --monitor: the rolling window, e.g. 10s, 1m' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l interval -d 'With --monitor: how often the figures are shown' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l slow -d 'With --monitor: a response slower than this counts as slow' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l alert -d 'With --monitor: print a line on stderr when a threshold is crossed (\'p99>800ms\', \'timeouts>1%\', \'approval<95%\'); the exit status is then 1' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l metrics -d 'With --monitor: also serve the figures in the Prometheus text format at http://ADDR/metrics' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l tls-cert -d 'Speak TLS to clients with this PEM certificate chain (with --tls-key)' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l tls-key -d 'PEM private key of --tls-cert (read from the file, never printed)' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l client-ca -d 'With --tls-cert: require a client certificate signed by a CA in this PEM file (mutual TLS)' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l monitor -d 'Show the live view of the traffic on standard output (as stats --follow does: rolling window, latency, codes, alerts), redrawn on a terminal, JSON lines in a pipe'
complete -c posresp -n "__fish_posresp_using_subcommand serve" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand serve" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand send" -l to -d 'Host to send to' -r
complete -c posresp -n "__fish_posresp_using_subcommand send" -l replay -d 'Replay the requests of this log and report on the run' -r
complete -c posresp -n "__fish_posresp_using_subcommand send" -l timeout -d 'Wait this long for each answer (e.g. 5s, 500ms)' -r
complete -c posresp -n "__fish_posresp_using_subcommand send" -l framing -d 'Framing on the wire: spec (the spec\'s own), len2, len2bcd, len4ascii, cup, stx …' -r -f -a "spec\t''
len2\t''
len2bcd\t''
len4ascii\t''
len2+tpdu\t''
cup\t''
stx\t''"
complete -c posresp -n "__fish_posresp_using_subcommand send" -l concurrency -d 'Replay: requests in flight at once, over all connections' -r
complete -c posresp -n "__fish_posresp_using_subcommand send" -l connections -d 'Replay: connections to open' -r
complete -c posresp -n "__fish_posresp_using_subcommand send" -l rate -d 'Replay: requests per second over all connections (default: as fast as answered)' -r
complete -c posresp -n "__fish_posresp_using_subcommand send" -l repeat -d 'Replay: send the log\'s requests this many times; each repeat gets fresh trace numbers (11), RRNs (37) and dates (7, 12, 13), a reversal\'s original data (90) moved with its request, and a new MAC when a MAC key is given' -r
complete -c posresp -n "__fish_posresp_using_subcommand send" -l mac-key-file -d 'MAC every request (field 64 or 128) under the key in this file (hex) before sending; network management (x8xx) is sent as it is' -r
complete -c posresp -n "__fish_posresp_using_subcommand send" -l mac-key-env -d 'MAC every request under the key in this environment variable (hex)' -r
complete -c posresp -n "__fish_posresp_using_subcommand send" -l mac-algorithm -d 'With a MAC key: the algorithm (default: cup-ecb for CUP, x919 with a double-length key, else x99)' -r -f -a "x99\t'ANSI X9.9 = ISO 9797-1 algorithm 1, padding method 1 (DES, or 3DES with a longer key)'
x919\t'ANSI X9.19 retail MAC = ISO 9797-1 algorithm 3, padding method 1 (double-length key)'
iso9797-1\t'ISO 9797-1 algorithm 1 with padding method 2'
x919-pad2\t'X9.19 with padding method 2'
cup-ecb\t'China UnionPay POS "ECB" MAC (8 ASCII hex characters in field 64)'
aes-cmac\t'AES-CMAC (ISO 9797-1 algorithm 5, NIST SP 800-38B), leftmost 8 bytes; AES-128/192 key'
tdes-cmac\t'Triple-DES CMAC (ISO 9797-1 algorithm 5), double- or triple-length key'"
complete -c posresp -n "__fish_posresp_using_subcommand send" -l log -d 'Write the exchanged traffic to this JSON Lines log (card data zeroed unless --unmask)' -r
complete -c posresp -n "__fish_posresp_using_subcommand send" -l ca -d 'With --tls: PEM file of the CA certificates to trust instead of the system\'s' -r
complete -c posresp -n "__fish_posresp_using_subcommand send" -l cert -d 'With --tls: PEM certificate chain to present to the host (mutual TLS), with --key' -r
complete -c posresp -n "__fish_posresp_using_subcommand send" -l key -d 'With --tls: PEM private key of --cert (read from the file, never printed)' -r
complete -c posresp -n "__fish_posresp_using_subcommand send" -l sni -d 'With --tls: the server name to ask for (SNI) and check the certificate against (default: the host part of --to)' -r
complete -c posresp -n "__fish_posresp_using_subcommand send" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand send" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand send" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand send" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand send" -l fail-on-decline -d 'Exit 1 when an answer is not an approval, or no answer came'
complete -c posresp -n "__fish_posresp_using_subcommand send" -l brief -d 'Decoded answers as brief JSON (top-level fields only)'
complete -c posresp -n "__fish_posresp_using_subcommand send" -l verify -d 'Check every answer in the same run: its MTI answers the request\'s, echoed fields are the request\'s, the TPDU is swapped, it carries a response code (and an approval code when it approves; CUP: a reference number, 37), and (with a MAC key) its MAC verifies; exit 1 when one does not'
complete -c posresp -n "__fish_posresp_using_subcommand send" -l tls -d 'Speak TLS to the host (the certificate is checked against the system\'s CAs, or --ca)'
complete -c posresp -n "__fish_posresp_using_subcommand send" -l insecure -d 'With --tls: accept any host certificate (for test hosts only; the link is encrypted but the host is not authenticated)'
complete -c posresp -n "__fish_posresp_using_subcommand send" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand send" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand send" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l listen -d 'Address the terminals connect to (port 0 picks a free port; the chosen address is printed)' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l to -d 'The host to forward to' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l framing -d 'Framing on the wire: spec (the spec\'s own), len2, len2bcd, len4ascii, cup, stx …' -r -f -a "spec\t''
len2\t''
len2bcd\t''
len4ascii\t''
len2+tpdu\t''
cup\t''
stx\t''"
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l rules -d 'Rules file (JSON, docs/rules.md): faults to inject into the host\'s answers' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l log -d 'Write every frame of both directions to this JSON Lines log (\'-\' for standard output). Card data in it is zeroed unless --unmask is given' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l timeout -d 'A request the host has not answered within this is reported as a timeout' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l connect-timeout -d 'How long to wait for the host to accept a connection (and for TLS handshakes)' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l idle-timeout -d 'Close both sides of a connection on which the terminal sends nothing for this long' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l mac-key-file -d 'MAC key (hex) file: answers changed by a rule get a new MAC under it (without it, a changed answer keeps the host\'s MAC, which then no longer matches)' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l grace -d 'How long shutdown waits for answers still in flight' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l threads -d 'Worker threads (default: one per core)' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l window -d 'With --monitor: the rolling window, e.g. 10s, 1m' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l interval -d 'With --monitor: how often the figures are shown' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l slow -d 'With --monitor: a response slower than this counts as slow' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l alert -d 'With --monitor: print a line on stderr when a threshold is crossed (\'p99>800ms\', \'timeouts>1%\', \'approval<95%\'); the exit status is then 1' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l metrics -d 'With --monitor: also serve the figures in the Prometheus text format at http://ADDR/metrics' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l ca -d 'With --tls: PEM file of the CA certificates to trust instead of the system\'s' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l cert -d 'With --tls: PEM certificate chain to present to the host (mutual TLS), with --key' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l key -d 'With --tls: PEM private key of --cert (read from the file, never printed)' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l sni -d 'With --tls: the server name to ask for (SNI) and check the certificate against (default: the host part of --to)' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l tls-cert -d 'Speak TLS to clients with this PEM certificate chain (with --tls-key)' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l tls-key -d 'PEM private key of --tls-cert (read from the file, never printed)' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l client-ca -d 'With --tls-cert: require a client certificate signed by a CA in this PEM file (mutual TLS)' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l monitor -d 'Show the live view of the traffic on standard output (as stats --follow does: rolling window, latency, codes, alerts), redrawn on a terminal, JSON lines in a pipe'
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l tls -d 'Speak TLS to the host (the certificate is checked against the system\'s CAs, or --ca)'
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l insecure -d 'With --tls: accept any host certificate (for test hosts only; the link is encrypted but the host is not authenticated)'
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand proxy" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand test" -l filter -d 'Only the cases whose name contains this' -r
complete -c posresp -n "__fish_posresp_using_subcommand test" -l jobs -d 'Cases run at once, each on its own connection' -r
complete -c posresp -n "__fish_posresp_using_subcommand test" -l report -d 'Report format' -r -f -a "table\t'A line per case, and each failure with its step, field, expected and actual value'
json\t'One JSON document: the cases with their failures, and a summary'
junit\t'JUnit XML, as CI systems read it'"
complete -c posresp -n "__fish_posresp_using_subcommand test" -l out -d 'Write the report to this file (default: standard output)' -r
complete -c posresp -n "__fish_posresp_using_subcommand test" -l to -d 'The host to test (instead of the suite\'s [target] to)' -r
complete -c posresp -n "__fish_posresp_using_subcommand test" -l against-serve -d 'Start a local `posresp serve` with these rules on a free loopback port for the run, and test it (proves a suite without a real host)' -r
complete -c posresp -n "__fish_posresp_using_subcommand test" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand test" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand test" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand test" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand test" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand test" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and not __fish_seen_subcommand_from encode decode translate help" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand pin; and not __fish_seen_subcommand_from encode decode translate help" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand pin; and not __fish_seen_subcommand_from encode decode translate help" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand pin; and not __fish_seen_subcommand_from encode decode translate help" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and not __fish_seen_subcommand_from encode decode translate help" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and not __fish_seen_subcommand_from encode decode translate help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and not __fish_seen_subcommand_from encode decode translate help" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and not __fish_seen_subcommand_from encode decode translate help" -f -a "encode" -d 'Build a PIN block and encipher it under the PIN key (prints the block as hex)'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and not __fish_seen_subcommand_from encode decode translate help" -f -a "decode" -d 'Decipher a PIN block and say whether it is well formed for the PAN (the PIN is shown only with --unmask --show-pin)'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and not __fish_seen_subcommand_from encode decode translate help" -f -a "translate" -d 'Re-encipher a PIN block under another key, in the same or another format'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and not __fish_seen_subcommand_from encode decode translate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -l format -d 'ISO 9564-1 format: 0, 1, 2, 3 (DES/3DES key) or 4 (AES key)' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -l pan -d 'The card number (formats 0, 3 and 4 bind the block to it)' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -l pin-file -d 'File holding the PIN digits' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -l pin-env -d 'Environment variable holding the PIN digits' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -l key-file -d 'File holding the key as hex (16, 32 or 48 hex digits)' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -l key-env -d 'Environment variable holding the key as hex' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -l pin-prompt -d 'Ask for the PIN on the terminal (not echoed)'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -l key-prompt -d 'Ask for the key on the terminal (not echoed)'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -l clear -d 'Print the clear block instead (needs --unmask; formats 0-3)'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from encode" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from decode" -l pan -d 'The card number (formats 0, 3 and 4)' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from decode" -l key-file -d 'File holding the key as hex (16, 32 or 48 hex digits)' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from decode" -l key-env -d 'Environment variable holding the key as hex' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from decode" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from decode" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from decode" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from decode" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from decode" -l key-prompt -d 'Ask for the key on the terminal (not echoed)'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from decode" -l clear -d 'The block is clear, not enciphered (formats 0-3; no key)'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from decode" -l show-pin -d 'Show the PIN digits (with --unmask)'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from decode" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from decode" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from translate" -l pan -d 'The card number' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from translate" -l key-file -d 'File holding the key as hex (16, 32 or 48 hex digits)' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from translate" -l key-env -d 'Environment variable holding the key as hex' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from translate" -l to-key-file -d 'File holding the destination key as hex' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from translate" -l to-key-env -d 'Environment variable holding the destination key as hex' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from translate" -l to-format -d 'The format of the new block (default: the old block\'s)' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from translate" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from translate" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from translate" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from translate" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from translate" -l key-prompt -d 'Ask for the key on the terminal (not echoed)'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from translate" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from translate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from translate" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from help" -f -a "encode" -d 'Build a PIN block and encipher it under the PIN key (prints the block as hex)'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from help" -f -a "decode" -d 'Decipher a PIN block and say whether it is well formed for the PAN (the PIN is shown only with --unmask --show-pin)'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from help" -f -a "translate" -d 'Re-encipher a PIN block under another key, in the same or another format'
complete -c posresp -n "__fish_posresp_using_subcommand pin; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c posresp -n "__fish_posresp_using_subcommand key; and not __fish_seen_subcommand_from tr31 kcv dukpt help" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand key; and not __fish_seen_subcommand_from tr31 kcv dukpt help" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand key; and not __fish_seen_subcommand_from tr31 kcv dukpt help" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand key; and not __fish_seen_subcommand_from tr31 kcv dukpt help" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand key; and not __fish_seen_subcommand_from tr31 kcv dukpt help" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand key; and not __fish_seen_subcommand_from tr31 kcv dukpt help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand key; and not __fish_seen_subcommand_from tr31 kcv dukpt help" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand key; and not __fish_seen_subcommand_from tr31 kcv dukpt help" -f -a "tr31" -d 'TR-31 key blocks (versions A, B, C, D): unwrap and wrap under a key block protection key'
complete -c posresp -n "__fish_posresp_using_subcommand key; and not __fish_seen_subcommand_from tr31 kcv dukpt help" -f -a "kcv" -d 'The check value of a key: DES/3DES (a zero block encrypted), or AES with --aes'
complete -c posresp -n "__fish_posresp_using_subcommand key; and not __fish_seen_subcommand_from tr31 kcv dukpt help" -f -a "dukpt" -d 'Derive a DUKPT key for a KSN from the BDK or the initial key: triple DES (ANSI X9.24-1, 20-digit KSN) or AES (X9.24-3, 24-digit KSN); prints the check values, writes the key only to --out'
complete -c posresp -n "__fish_posresp_using_subcommand key; and not __fish_seen_subcommand_from tr31 kcv dukpt help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from tr31" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from tr31" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from tr31" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from tr31" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from tr31" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from tr31" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from tr31" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from tr31" -f -a "unwrap" -d 'Check a key block\'s MAC and read its header; prints the header and the key\'s check value, writes the key only to --out'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from tr31" -f -a "wrap" -d 'Wrap a key under the KBPK; prints the key block'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from tr31" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from kcv" -l key-file -d 'File holding the key as hex (16, 32 or 48 hex digits)' -r
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from kcv" -l key-env -d 'Environment variable holding the key as hex' -r
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from kcv" -l method -d 'For AES: how the check value is computed' -r -f -a "cmac\t'CMAC of a zero block (ANSI X9.24-3, TR-31/TR-34)'
ecb\t'A zero block encrypted (older practice)'"
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from kcv" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from kcv" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from kcv" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from kcv" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from kcv" -l key-prompt -d 'Ask for the key on the terminal (not echoed)'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from kcv" -l aes -d 'The key is an AES key (16, 24 or 32 bytes)'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from kcv" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from kcv" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from kcv" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from dukpt" -l bdk-file -d 'File holding the base derivation key (BDK) as hex' -r
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from dukpt" -l bdk-env -d 'Environment variable holding the BDK' -r
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from dukpt" -l ipek-file -d 'File holding the device\'s initial key (IPEK) instead of the BDK' -r
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from dukpt" -l ipek-env -d 'Environment variable holding the IPEK' -r
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from dukpt" -l ksn -d 'The key serial number: 20 hex digits (TDES DUKPT) or 24 (AES DUKPT)' -r
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from dukpt" -l usage -d 'Which key. TDES: pin, mac (request), mac-response, data (request), data-response. AES: pin, mac (generation), mac-verify, mac-both, data (encrypt), data-decrypt, data-both, kek. Both: ipek (the device\'s initial key), transaction (the transaction-originating key, before its variant or derivation)' -r -f -a "pin\t''
mac\t''
mac-response\t''
mac-verify\t''
mac-both\t''
data\t''
data-response\t''
data-decrypt\t''
data-both\t''
kek\t''
ipek\t''
transaction\t''"
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from dukpt" -l key-type -d 'AES DUKPT: the type of the working key (default: the BDK\'s AES type)' -r -f -a "aes128\t''
aes192\t''
aes256\t''
2tdea\t''
3tdea\t''"
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from dukpt" -l out -d 'Write the derived key (hex) to this file, created readable by its owner only' -r
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from dukpt" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from dukpt" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from dukpt" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from dukpt" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from dukpt" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from dukpt" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from dukpt" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "tr31" -d 'TR-31 key blocks (versions A, B, C, D): unwrap and wrap under a key block protection key'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "kcv" -d 'The check value of a key: DES/3DES (a zero block encrypted), or AES with --aes'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "dukpt" -d 'Derive a DUKPT key for a KSN from the BDK or the initial key: triple DES (ANSI X9.24-1, 20-digit KSN) or AES (X9.24-3, 24-digit KSN); prints the check values, writes the key only to --out'
complete -c posresp -n "__fish_posresp_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and not __fish_seen_subcommand_from arqc arpc help" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand emv; and not __fish_seen_subcommand_from arqc arpc help" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand emv; and not __fish_seen_subcommand_from arqc arpc help" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand emv; and not __fish_seen_subcommand_from arqc arpc help" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and not __fish_seen_subcommand_from arqc arpc help" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and not __fish_seen_subcommand_from arqc arpc help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and not __fish_seen_subcommand_from arqc arpc help" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and not __fish_seen_subcommand_from arqc arpc help" -f -a "arqc" -d 'Recompute the card\'s cryptogram (ARQC, TC or AAC) and compare it with 9F26; exit 1 when they differ'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and not __fish_seen_subcommand_from arqc arpc help" -f -a "arpc" -d 'Compute the ARPC for the card\'s ARQC: prints the ARPC and the value of tag 91'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and not __fish_seen_subcommand_from arqc arpc help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arqc" -l imk-file -d 'File holding the issuer master key for application cryptograms (IMK-AC), as hex' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arqc" -l imk-env -d 'Environment variable holding the IMK-AC' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arqc" -l cvn -d 'The card\'s cryptogram version (default: read from 9F10)' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arqc" -l pan -d 'The card number (default: tag 5A of the chip data)' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arqc" -l psn -d 'The PAN sequence number, 2 digits (default: tag 5F34, else 00)' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arqc" -l tlv -d 'The chip data (field 55) as hex' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arqc" -l tlv-file -d 'File holding the chip data as hex' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arqc" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arqc" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arqc" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arqc" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arqc" -l imk-prompt -d 'Ask for the IMK-AC on the terminal (not echoed)'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arqc" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arqc" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arqc" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l imk-file -d 'File holding the issuer master key for application cryptograms (IMK-AC), as hex' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l imk-env -d 'Environment variable holding the IMK-AC' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l cvn -d 'The card\'s cryptogram version (default: read from 9F10)' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l pan -d 'The card number (default: tag 5A of the chip data)' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l psn -d 'The PAN sequence number, 2 digits (default: tag 5F34, else 00)' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l tlv -d 'The chip data (field 55) as hex' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l tlv-file -d 'File holding the chip data as hex' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l arc -d 'Method 1: the authorisation response code, as 2 characters (`00`, `Z3`) or 4 hex digits' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l csu -d 'Method 2: the card status update, 8 hex digits' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l proprietary -d 'Method 2: proprietary authentication data, 0 to 16 hex digits' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l imk-prompt -d 'Ask for the IMK-AC on the terminal (not echoed)'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from arpc" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from help" -f -a "arqc" -d 'Recompute the card\'s cryptogram (ARQC, TC or AAC) and compare it with 9F26; exit 1 when they differ'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from help" -f -a "arpc" -d 'Compute the ARPC for the card\'s ARQC: prints the ARPC and the value of tag 91'
complete -c posresp -n "__fish_posresp_using_subcommand emv; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and not __fish_seen_subcommand_from list show export help" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand spec; and not __fish_seen_subcommand_from list show export help" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand spec; and not __fish_seen_subcommand_from list show export help" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand spec; and not __fish_seen_subcommand_from list show export help" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand spec; and not __fish_seen_subcommand_from list show export help" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and not __fish_seen_subcommand_from list show export help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and not __fish_seen_subcommand_from list show export help" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and not __fish_seen_subcommand_from list show export help" -f -a "list" -d 'List the built-in specs'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and not __fish_seen_subcommand_from list show export help" -f -a "show" -d 'Print a spec\'s layout: framing, MTI, bitmap and every field'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and not __fish_seen_subcommand_from list show export help" -f -a "export" -d 'Print a spec as a posresp spec file (JSON), to start a spec of your own'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and not __fish_seen_subcommand_from list show export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from list" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from list" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from list" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from list" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from show" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from show" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from show" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from export" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from export" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from export" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from export" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the built-in specs'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a spec\'s layout: framing, MTI, bitmap and every field'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from help" -f -a "export" -d 'Print a spec as a posresp spec file (JSON), to start a spec of your own'
complete -c posresp -n "__fish_posresp_using_subcommand spec; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c posresp -n "__fish_posresp_using_subcommand completions" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand completions" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand completions" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand completions" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand completions" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand completions" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand man" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r -f -a "auto\t''
iso87ascii\t''
iso87ascii-binary-bitmap\t''
iso87binary\t''
iso93ascii\t''
cup\t''"
complete -c posresp -n "__fish_posresp_using_subcommand man" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand man" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand man" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand man" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand man" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "decode" -d 'Decode messages (hex, binary, dumps, logs) into annotated fields'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "encode" -d 'Build messages from JSON (what decode prints, or a field map): the inverse of decode'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "explain" -d 'Explain response codes and other coded values in plain words, or summarise messages'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "generate" -d 'Generate seeded synthetic request/response traffic as a log'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "verify" -d 'Check values (Luhn, LRC, MAC) and message structure; exit 1 when a check fails'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "diff" -d 'Compare two logs transaction by transaction; exit 1 when they differ'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "stats" -d 'Summarise traffic logs: counts, response codes, approval rate, latency, timeouts'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "serve" -d 'Run a simulated acquirer host on TCP that answers requests by rules'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "send" -d 'Send messages to a host (or replay a log) and decode the answers'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "proxy" -d 'Sit between terminals and a host: forward, decode and time both directions, inject faults'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "test" -d 'Run test suites against a host: send each case\'s steps, check every answer, report'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "pin" -d 'PIN blocks (ISO 9564-1 formats 0-4): encode, decode, translate under PIN keys'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "key" -d 'Keys: check values (DES, AES), DUKPT keys from a BDK or IPEK and a KSN'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "emv" -d 'EMV cryptograms: check a card\'s ARQC, compute the issuer\'s ARPC'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "spec" -d 'List, show or export message specs'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, powershell, elvish) to standard output'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "man" -d 'Print the man page (roff) to standard output'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode encode explain generate verify diff stats serve send proxy test pin key emv spec completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c posresp -n "__fish_posresp_using_subcommand help; and __fish_seen_subcommand_from verify" -f -a "luhn" -d 'Luhn check digits of PANs (and the digit a failing one should end with)'
complete -c posresp -n "__fish_posresp_using_subcommand help; and __fish_seen_subcommand_from verify" -f -a "lrc" -d 'The LRC of an STX … ETX LRC frame (hex)'
complete -c posresp -n "__fish_posresp_using_subcommand help; and __fish_seen_subcommand_from verify" -f -a "mac" -d 'The MAC of messages (field 64/128) or of raw data (--data)'
complete -c posresp -n "__fish_posresp_using_subcommand help; and __fish_seen_subcommand_from pin" -f -a "encode" -d 'Build a PIN block and encipher it under the PIN key (prints the block as hex)'
complete -c posresp -n "__fish_posresp_using_subcommand help; and __fish_seen_subcommand_from pin" -f -a "decode" -d 'Decipher a PIN block and say whether it is well formed for the PAN (the PIN is shown only with --unmask --show-pin)'
complete -c posresp -n "__fish_posresp_using_subcommand help; and __fish_seen_subcommand_from pin" -f -a "translate" -d 'Re-encipher a PIN block under another key, in the same or another format'
complete -c posresp -n "__fish_posresp_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "tr31" -d 'TR-31 key blocks (versions A, B, C, D): unwrap and wrap under a key block protection key'
complete -c posresp -n "__fish_posresp_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "kcv" -d 'The check value of a key: DES/3DES (a zero block encrypted), or AES with --aes'
complete -c posresp -n "__fish_posresp_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "dukpt" -d 'Derive a DUKPT key for a KSN from the BDK or the initial key: triple DES (ANSI X9.24-1, 20-digit KSN) or AES (X9.24-3, 24-digit KSN); prints the check values, writes the key only to --out'
complete -c posresp -n "__fish_posresp_using_subcommand help; and __fish_seen_subcommand_from emv" -f -a "arqc" -d 'Recompute the card\'s cryptogram (ARQC, TC or AAC) and compare it with 9F26; exit 1 when they differ'
complete -c posresp -n "__fish_posresp_using_subcommand help; and __fish_seen_subcommand_from emv" -f -a "arpc" -d 'Compute the ARPC for the card\'s ARQC: prints the ARPC and the value of tag 91'
complete -c posresp -n "__fish_posresp_using_subcommand help; and __fish_seen_subcommand_from spec" -f -a "list" -d 'List the built-in specs'
complete -c posresp -n "__fish_posresp_using_subcommand help; and __fish_seen_subcommand_from spec" -f -a "show" -d 'Print a spec\'s layout: framing, MTI, bitmap and every field'
complete -c posresp -n "__fish_posresp_using_subcommand help; and __fish_seen_subcommand_from spec" -f -a "export" -d 'Print a spec as a posresp spec file (JSON), to start a spec of your own'
