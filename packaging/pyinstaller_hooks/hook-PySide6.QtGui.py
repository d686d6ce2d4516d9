# Replaces PyInstaller's hook: the same collection, minus the Qt plugins and translations the
# app does not need (packaging/qt_plugins.py), so their libraries are never pulled in.
from PyInstaller.utils.hooks.qt import add_qt6_dependencies
from qt_plugins import filtered

hiddenimports, binaries, datas = filtered(*add_qt6_dependencies(__file__))
