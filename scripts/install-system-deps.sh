#!/usr/bin/env bash
# Install the system tools the test suite needs, only those missing. As root on Debian this uses apt-get;
# elsewhere it prints what to install (tests that need a missing tool then skip, or fail under CI=true).
set -euo pipefail

declare -A wanted=(
  [chromium]="command -v chromium"
  [poppler-utils]="command -v pdftoppm"
  [qpdf]="command -v qpdf"
  [postgresql]="ls /usr/lib/postgresql/*/bin/initdb"
  [fonts-dejavu-core]="test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
  [fonts-noto-core]="test -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"  # Arabic handouts
)
missing=()
for package in "${!wanted[@]}"; do
  eval "${wanted[$package]}" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]}"
  echo "Install them (Debian/Ubuntu: sudo apt-get install -y ${missing[*]}); tests that need them will skip."
fi
