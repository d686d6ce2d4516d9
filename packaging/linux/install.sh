#!/bin/sh
# Installs Newsreader for the current user, from the unpacked archive this script sits in:
#   the app         -> ~/.local/opt/newsreader/          (replaced as a whole on upgrade)
#   a command       -> ~/.local/bin/newsreader           (a link to the app)
#   the menu entry  -> ~/.local/share/applications/io.github.newsreader.Newsreader.desktop
#   the icon        -> ~/.local/share/icons/hicolor/<size>/apps/io.github.newsreader.Newsreader.*
#   AppStream data  -> ~/.local/share/metainfo/
# and, where xdg-mime exists, makes Newsreader the handler of feed:/feeds: links and .opml files.
# XDG_DATA_HOME is honoured. Nothing outside the user's home is touched; no root needed.
# First it checks the system libraries Qt's window needs and names the packages that are missing.
set -eu

APP_ID=io.github.newsreader.Newsreader
HERE=$(cd "$(dirname "$0")" && pwd)
SOURCE="$HERE/newsreader"
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
APP_DIR=${NEWSREADER_INSTALL_DIR:-$HOME/.local/opt/newsreader}
BIN_DIR=$HOME/.local/bin
RESOURCES="$APP_DIR/_internal/newsreader/resources"

say() { printf 'install: %s\n' "$*"; }
die() { printf 'install: error: %s\n' "$*" >&2; exit 1; }

[ -x "$SOURCE/newsreader" ] || die "no app found at $SOURCE (run this script from the unpacked archive)"
case "$APP_DIR" in
    *'"'* | *'`'* | *'$'* | *'\'*) die "the install folder may not contain \" \` \$ or \\: $APP_DIR" ;;
esac

# --- system libraries of Qt's X11 plugin ------------------------------------------------------
# ldd names what the loader cannot find, with the bundled libraries on the search path;
# system-libraries.txt (from newsreader/sysdeps.py) maps a library to its Debian/Ubuntu package.
missing_packages() {
    plugin="$SOURCE/_internal/PySide6/Qt/plugins/platforms/libqxcb.so"
    [ -f "$plugin" ] && command -v ldd >/dev/null 2>&1 || return 0
    LD_LIBRARY_PATH="$SOURCE/_internal:$SOURCE/_internal/PySide6/Qt/lib" ldd "$plugin" 2>/dev/null |
        awk '/not found/ {print $1}' | sort -u | while read -r lib; do
            key=$(printf '%s' "$lib" | sed -e 's/^lib//' -e 's/\.so.*$//')
            package=$(awk -v k="$key" '$1 == k {print $2}' "$HERE/system-libraries.txt" 2>/dev/null)
            printf '%s\n' "${package:-$lib}"
        done | sort -u | tr '\n' ' ' | sed 's/ $//'
}
missing=$(missing_packages)
if [ -n "$missing" ]; then
    printf 'install: warning: the window needs system libraries that are not installed:\n' >&2
    printf '  %s\n' "$missing" >&2
    printf '  On Debian/Ubuntu: sudo apt-get install %s\n' "$missing" >&2
    printf '  (installing anyway; the window opens once they are there)\n' >&2
fi

# --- the app ----------------------------------------------------------------------------------
mkdir -p "$(dirname "$APP_DIR")"
rm -rf "$APP_DIR.new"
cp -R "$SOURCE" "$APP_DIR.new"
cp "$HERE/uninstall.sh" "$APP_DIR.new/uninstall.sh"
chmod 755 "$APP_DIR.new/uninstall.sh"
rm -rf "$APP_DIR.old"
[ -e "$APP_DIR" ] && mv "$APP_DIR" "$APP_DIR.old"
mv "$APP_DIR.new" "$APP_DIR"
rm -rf "$APP_DIR.old"
say "app installed in $APP_DIR"

mkdir -p "$BIN_DIR"
if [ ! -e "$BIN_DIR/newsreader" ] || [ -L "$BIN_DIR/newsreader" ]; then
    ln -sf "$APP_DIR/newsreader" "$BIN_DIR/newsreader"
    say "command: $BIN_DIR/newsreader"
else
    say "left $BIN_DIR/newsreader alone (not ours); the command is $APP_DIR/newsreader"
fi

# --- icons, menu entry, AppStream data ---------------------------------------------------------
for png in "$RESOURCES"/icons/newsreader-*.png; do
    size=$(basename "$png" .png | sed 's/^newsreader-//')
    mkdir -p "$DATA_HOME/icons/hicolor/${size}x${size}/apps"
    cp "$png" "$DATA_HOME/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
mkdir -p "$DATA_HOME/icons/hicolor/scalable/apps"
cp "$RESOURCES/icons/newsreader.svg" "$DATA_HOME/icons/hicolor/scalable/apps/$APP_ID.svg"

# Exec quotes the path (desktop entry spec) and doubles %; sed needs & and | escaped.
sed_value() { printf '%s' "$1" | sed -e 's/[&|]/\\&/g'; }
exec_path=$(sed_value "$(printf '%s' "$APP_DIR/newsreader" | sed 's/%/%%/g')")
try_path=$(sed_value "$APP_DIR/newsreader")
mkdir -p "$DATA_HOME/applications"
sed -e "s|^Exec=.*|Exec=\"$exec_path\" %u|" \
    -e "s|^TryExec=.*|TryExec=$try_path|" \
    "$RESOURCES/desktop/$APP_ID.desktop" > "$DATA_HOME/applications/$APP_ID.desktop"
chmod 644 "$DATA_HOME/applications/$APP_ID.desktop"
mkdir -p "$DATA_HOME/metainfo"
cp "$RESOURCES/desktop/$APP_ID.metainfo.xml" "$DATA_HOME/metainfo/$APP_ID.metainfo.xml"
say "menu entry: $DATA_HOME/applications/$APP_ID.desktop"

# --- let the desktop know ----------------------------------------------------------------------
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$DATA_HOME/applications" 2>/dev/null || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t -f "$DATA_HOME/icons/hicolor" 2>/dev/null || true
fi
if command -v xdg-mime >/dev/null 2>&1; then
    for type in x-scheme-handler/feed x-scheme-handler/feeds text/x-opml+xml; do
        xdg-mime default "$APP_ID.desktop" "$type" 2>/dev/null || true
    done
    say "feed:/feeds: links and .opml files now open in Newsreader"
fi
say "done. Start Newsreader from the applications menu, or run: $APP_DIR/newsreader"
say "to remove it later: $APP_DIR/uninstall.sh   (your feeds and articles stay unless --purge)"
