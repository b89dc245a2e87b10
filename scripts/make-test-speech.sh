#!/usr/bin/env bash
# Maintainer tool, never run by the tests: speaks the synthetic sentences of tests/fixtures with
# espeak-ng (US English, 150 words a minute) and writes each as <name>.wav (16 kHz mono 16-bit)
# next to <name>.txt, its text. The outputs are committed so that the tests need neither tool.
# Needs espeak-ng and ffmpeg: apt-get install espeak-ng ffmpeg. Usage: bash scripts/make-test-speech.sh
set -euo pipefail
cd "$(dirname "$0")/.."

fixtures=tests/fixtures
sentences=(
  "paris|The weather in Paris was lovely today."
  "kitchen|Please order more coffee for the office kitchen."
)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for entry in "${sentences[@]}"; do
  name="${entry%%|*}"
  text="${entry#*|}"
  espeak-ng -v en-us -s 150 -w "$work/$name.wav" "$text"
  # -bitexact and no metadata: the same input makes the same bytes, so a rerun shows no diff.
  ffmpeg -hide_banner -loglevel error -y -i "$work/$name.wav" -map_metadata -1 \
    -fflags +bitexact -flags:a +bitexact -ar 16000 -ac 1 -c:a pcm_s16le "$fixtures/$name.wav"
  printf '%s\n' "$text" >"$fixtures/$name.txt"
  printf '%s: %s bytes\n' "$fixtures/$name.wav" "$(wc -c <"$fixtures/$name.wav")"
done
