#!/usr/bin/env bash
# Installs the Debian 12 packages gouji builds with, when any is missing.
# As root it runs apt-get; otherwise it prints the exact command and stops.
set -euo pipefail
packages=(
  cmake ninja-build g++ make pkg-config
  tao-pegtl-dev libicu-dev libfmt-dev libyaml-dev doctest-dev
  nlohmann-json3-dev libcli11-dev libgumbo-dev libzip-dev libpugixml-dev
  libpoppler-cpp-dev libsqlite3-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "gouji needs these Debian packages: ${missing[*]}" >&2
  echo "run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
