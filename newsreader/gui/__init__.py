"""The desktop window: PySide6 widgets over the store. The only package (with
`newsreader.main`) that imports Qt.

Threads: the GUI thread reads pages of rows and writes small user changes through its own
`Store`; `background.BackgroundStore` runs slow reads and bulk writes on a thread with its own
`Store` (results come back as queued Qt signals). The network (sync engine, discovery, remote
images) runs as asyncio tasks (`tasks.TaskSet`) on the GUI thread's asyncio loop, which qasync
builds over Qt's (`tasks.install_loop`); the engine keeps parsing and SQLite in its own threads.

`newsreader.gui.app.run(paths)` opens the window; everything else is built from there.
"""
