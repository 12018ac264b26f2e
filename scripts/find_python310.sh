#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 needs exactly 3.10), or fails
# with a message saying how to get one. Order: $PYTHON310, python3.10 on PATH, pyenv.
set -u
is310() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }
candidates=("${PYTHON310:-}" "$(command -v python3.10 2>/dev/null)")
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root 2>/dev/null)
  for d in $(ls -d "$root"/versions/3.10.* 2>/dev/null | sort -V -r); do candidates+=("$d/bin/python3.10"); done
fi
for d in $(ls -d "$HOME"/.pyenv/versions/3.10.* 2>/dev/null | sort -V -r); do candidates+=("$d/bin/python3.10"); done
for c in "${candidates[@]}"; do
  if is310 "$c"; then echo "$c"; exit 0; fi
done
echo "error: Python 3.10 not found (Rasa 3.6 needs it). Install it (e.g. 'pyenv install 3.10') or set PYTHON310=/path/to/python3.10." >&2
exit 1
