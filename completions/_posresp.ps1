
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
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain response codes and other coded values in plain words, or summarise messages')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, powershell, elvish) to standard output')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) to standard output')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;decode' {
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Force the input form instead of detecting it')
            [CompletionResult]::new('--framing', '--framing', [CompletionResultType]::ParameterName, 'Framing before the MTI: auto, spec (the spec''s own), none, len2, len2bcd, len4ascii, tpdu, len2+tpdu, tpdu+header6, cup (len2+tpdu+header6), stx, or stx+ any of these')
            [CompletionResult]::new('--spec', '--spec', [CompletionResultType]::ParameterName, 'Message spec: a built-in name (iso87ascii, iso87ascii-binary-bitmap, iso87binary, iso93ascii, cup), a spec file (JSON), or auto to pick per message')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (honours NO_COLOR)')
            [CompletionResult]::new('--codes', '--codes', [CompletionResultType]::ParameterName, 'A private response-code table (CSV with the built-in tables'' columns, optional `dialect` column) that extends or overrides the built-in codes')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Add each field''s wire bytes as hex ("raw") to JSON output (never for masked fields)')
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
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain response codes and other coded values in plain words, or summarise messages')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, powershell, elvish) to standard output')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) to standard output')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'posresp;help;decode' {
            break
        }
        'posresp;help;explain' {
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
