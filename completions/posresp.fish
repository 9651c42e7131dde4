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

complete -c posresp -n "__fish_posresp_needs_command" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r
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
complete -c posresp -n "__fish_posresp_needs_command" -f -a "explain" -d 'Explain response codes and other coded values in plain words, or summarise messages'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, powershell, elvish) to standard output'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "man" -d 'Print the man page (roff) to standard output'
complete -c posresp -n "__fish_posresp_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l input-format -d 'Force the input form instead of detecting it' -r -f -a "auto\t'Detect from the content'
raw\t'Raw bytes; the whole input is one message'
hex\t'Hex text; the whole input is one message (spaces, colons, 0x, line breaks ignored)'
lines\t'One message per line, optionally "TIMESTAMP [req|resp] HEX"'
jsonl\t'posresp JSON Lines log ({"ts":…,"dir":…,"hex":…})'
dump\t'xxd, hexdump -C, od -A x -t x1z, jPOS or Wireshark hex dump'
jpos-xml\t'jPOS XML log (<log><send|receive><isomsg>): values as logged, no offsets'"
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l framing -d 'Framing before the MTI: auto, spec (the spec\'s own), none, len2, len2bcd, len4ascii, tpdu, len2+tpdu, tpdu+header6, cup (len2+tpdu+header6), stx, or stx+ any of these' -r
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'One JSON document (an array for several messages)'
jsonl\t'One JSON object per line'
csv\t'Comma-separated values, one row per field'"
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l color -d 'When to use colour (honours NO_COLOR)' -r -f -a "auto\t'Colour on a terminal unless NO_COLOR is set'
always\t'Always colour'
never\t'Never colour'"
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l codes -d 'A private response-code table (CSV with the built-in tables\' columns, optional `dialect` column) that extends or overrides the built-in codes' -r
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l raw -d 'Add each field\'s wire bytes as hex ("raw") to JSON output (never for masked fields)'
complete -c posresp -n "__fish_posresp_using_subcommand decode" -l unmask -d 'Show card data (PAN, tracks, PIN blocks, keys) instead of masking it'
complete -c posresp -n "__fish_posresp_using_subcommand decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c posresp -n "__fish_posresp_using_subcommand decode" -s V -l version -d 'Print version'
complete -c posresp -n "__fish_posresp_using_subcommand explain" -l scheme -d 'Code dictionary (default: the dialect of --spec, else iso87)' -r -f -a "iso87\t'ISO 8583:1987 two-character response codes'
iso93\t'ISO 8583:1993 three-digit action codes'
cup\t'China UnionPay POS response codes'"
complete -c posresp -n "__fish_posresp_using_subcommand explain" -l field -d 'Explain VALUE of field FIELD (same as FIELD=VALUE)' -r
complete -c posresp -n "__fish_posresp_using_subcommand explain" -l lang -d 'Language of meanings' -r -f -a "en\t'English'
zh\t'Chinese, where the table has it (CUP); English otherwise'"
complete -c posresp -n "__fish_posresp_using_subcommand explain" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r
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
complete -c posresp -n "__fish_posresp_using_subcommand completions" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r
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
complete -c posresp -n "__fish_posresp_using_subcommand man" -l spec -d 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message' -r
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
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode explain completions man help" -f -a "decode" -d 'Decode messages (hex, binary, dumps, logs) into annotated fields'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode explain completions man help" -f -a "explain" -d 'Explain response codes and other coded values in plain words, or summarise messages'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode explain completions man help" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, powershell, elvish) to standard output'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode explain completions man help" -f -a "man" -d 'Print the man page (roff) to standard output'
complete -c posresp -n "__fish_posresp_using_subcommand help; and not __fish_seen_subcommand_from decode explain completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
