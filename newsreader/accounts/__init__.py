"""Sync with feed servers: the Google Reader API (FreshRSS, Miniflux, Inoreader, BazQux, The
Old Reader) and the Fever API. No Qt here.

    result = await sync_account(paths, account_id)

With a server account, the server owns the account's subscriptions, folders (labels) and
read/starred state; its articles come from the server. Local changes wait in the store's
queue (`Store.pending_changes`) until a sync sends them; see docs/accounts.md.
"""
