"""The desktop window: PySide6 widgets over the store. The only package (with
`newsreader.main`) that imports Qt.

Threads: the GUI thread reads pages of rows and writes small user changes through its own
`Store`; `background.BackgroundStore` runs slow reads and bulk writes on a thread with its own
`Store`; `worker.AsyncWorker` runs the network (sync engine, discovery, remote images) on a
thread with its own asyncio loop. Results reach the GUI thread as queued Qt signals.

`newsreader.gui.app.run(paths)` opens the window; everything else is built from there.
"""
