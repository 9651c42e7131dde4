
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
            cand explain 'Explain response codes and other coded values in plain words, or summarise messages'
            cand completions 'Print shell completions (bash, zsh, fish, powershell, elvish) to standard output'
            cand man 'Print the man page (roff) to standard output'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;decode'= {
            cand --input-format 'Force the input form instead of detecting it'
            cand --framing 'Framing before the MTI: auto, spec (the spec''s own), none, len2, len2bcd, len4ascii, tpdu, len2+tpdu, tpdu+header6, cup (len2+tpdu+header6), stx, or stx+ any of these'
            cand --spec 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message'
            cand --output 'Output format'
            cand --color 'When to use colour (honours NO_COLOR)'
            cand --codes 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes'
            cand --raw 'Add each field''s wire bytes as hex ("raw") to JSON output (never for masked fields)'
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
            cand explain 'Explain response codes and other coded values in plain words, or summarise messages'
            cand completions 'Print shell completions (bash, zsh, fish, powershell, elvish) to standard output'
            cand man 'Print the man page (roff) to standard output'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'posresp;help;decode'= {
        }
        &'posresp;help;explain'= {
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
