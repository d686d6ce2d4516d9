"""The desktop window: PySide6 widgets over the store, with sync running in the Qt event loop
through qasync. The only package (with `newsreader.main`) that imports Qt.

`newsreader.gui.app.run(paths)` opens the window; everything else is built from there.
"""
