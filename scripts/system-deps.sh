#!/bin/sh
# Installs the system packages that Qt's window plugin and the test suite need, when they are
# missing and we can install them (Debian/Ubuntu, as root or with sudo). Elsewhere it names them.
set -eu

# Debian package names: Qt's xcb platform plugin, fonts, and the tools the tests use.
QT_LIBS="libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libegl1 libgl1 \
libfontconfig1 libdbus-1-3 fonts-dejavu-core"
TEST_TOOLS="epubcheck poppler-utils xvfb openbox xdotool appstream desktop-file-utils"
# Debian's PHP for the real FreshRSS server the account tests start (../shared/servers/freshrss).
PHP_FOR_FRESHRSS="php-cli php-curl php-xml php-mbstring php-intl php-zip php-sqlite3 php-gmp"

missing=""
for pkg in $QT_LIBS $TEST_TOOLS $PHP_FOR_FRESHRSS; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: not a Debian/Ubuntu system; install the equivalents of:$missing" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "system-deps: missing packages:$missing (run as root to install them)" >&2
        exit 0
    fi
fi
echo "system-deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
