#!/usr/bin/env bash
# Debian packages the tests need: Chromium (browser tests, driven by Playwright), CJK fonts
# (screenshots in Chinese), gettext (catalog extraction), the MariaDB client headers
# (mysqlclient) and ffmpeg (test media).  Installs only what is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v msgfmt >/dev/null || need+=(gettext)
command -v ffmpeg >/dev/null || need+=(ffmpeg)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
dpkg -s libmariadb-dev >/dev/null 2>&1 || need+=(libmariadb-dev)
dpkg -s pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
