"""The sync engine: fetch feeds (asyncio + httpx), parse them off the event loop, write each
through one store writer thread, and cache their images and comment feeds. No Qt here.

Entry points: `engine.sync`, `engine.fetch_comments`, `subscribe.subscribe`,
`subscribe.find_feeds`; progress arrives as `events.SyncEvent`s. See docs/sync.md.
"""
