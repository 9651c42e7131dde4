#!/usr/bin/env bash
# Regenerate completions/ and man/ from the clap definition (the test `generated_files_are_current`
# fails until this is run after a CLI change).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
bin=target/debug/posresp
mkdir -p completions man
for sh in bash zsh fish powershell elvish; do
  case $sh in
    bash) f=posresp.bash ;; zsh) f=_posresp ;; fish) f=posresp.fish ;; powershell) f=_posresp.ps1 ;; elvish) f=posresp.elv ;;
  esac
  "$bin" completions "$sh" > "completions/$f"
done
"$bin" man > man/posresp.1
echo "regenerated completions/ and man/posresp.1"
