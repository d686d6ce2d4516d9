#!/bin/sh
# Removes what install.sh put in place. The user's data (feeds, articles, comments, settings) is
# kept unless --purge is given: it lives in $NEWSREADER_DATA_DIR, else
# ${XDG_DATA_HOME:-~/.local/share}/newsreader.
set -eu

APP_ID=io.github.newsreader.Newsreader
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
APP_DIR=${NEWSREADER_INSTALL_DIR:-$HOME/.local/opt/newsreader}
BIN_DIR=$HOME/.local/bin
USER_DATA=${NEWSREADER_DATA_DIR:-$DATA_HOME/newsreader}

purge=no
for arg in "$@"; do
    case "$arg" in
        --purge) purge=yes ;;
        -h | --help)
            printf 'usage: uninstall.sh [--purge]\n  --purge  also delete your feeds, articles and comments (%s)\n' "$USER_DATA"
            exit 0 ;;
        *) printf 'uninstall: unknown option %s (try --help)\n' "$arg" >&2; exit 2 ;;
    esac
done

say() { printf 'uninstall: %s\n' "$*"; }

if [ -L "$BIN_DIR/newsreader" ] && [ "$(readlink "$BIN_DIR/newsreader")" = "$APP_DIR/newsreader" ]; then
    rm -f "$BIN_DIR/newsreader"
fi
rm -f "$DATA_HOME/applications/$APP_ID.desktop" "$DATA_HOME/metainfo/$APP_ID.metainfo.xml"
for icon in "$DATA_HOME"/icons/hicolor/*/apps/"$APP_ID".png "$DATA_HOME"/icons/hicolor/scalable/apps/"$APP_ID".svg; do
    rm -f "$icon"
done
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$DATA_HOME/applications" 2>/dev/null || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t -f "$DATA_HOME/icons/hicolor" 2>/dev/null || true
fi
rm -rf "$APP_DIR"
say "Newsreader removed"

if [ "$purge" = yes ]; then
    rm -rf "$USER_DATA"
    say "deleted your data in $USER_DATA"
elif [ -d "$USER_DATA" ]; then
    say "your feeds, articles and comments are kept in $USER_DATA (uninstall.sh --purge deletes them)"
fi
