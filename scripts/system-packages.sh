#!/usr/bin/env bash
# Install the Debian packages the outputs and tests need, when missing.
#   fonts-noto-cjk  the CJK font embedded in the PDF (and used by cards/page)
#   poppler-utils   pdftoppm/pdffonts for PDF previews and tests
#   chromium        headless browser for the page and card tests
#   libpango-1.0-0 libpangoft2-1.0-0  WeasyPrint's text layout
set -euo pipefail
want=(fonts-noto-cjk poppler-utils chromium libpango-1.0-0 libpangoft2-1.0-0)
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "qadeck needs these Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
