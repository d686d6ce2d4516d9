"""The local store: one SQLite file holding feeds, entries, comments, settings and the image
cache index. It is the only place that runs SQL. Open one `Store` per thread."""

from newsreader.store.store import Store
from newsreader.store.types import (
    USER_DISABLED_REASON,
    CachedImage,
    EntryOrder,
    EntryQuery,
    EntryStory,
    FeedWriteResult,
    FetchInfo,
    FollowUp,
    ImageRecord,
    ImportResult,
    NewFollowUp,
    Rule,
    RuleProblem,
    RuleRun,
    SavedSearch,
    Story,
)

__all__ = [
    "USER_DISABLED_REASON",
    "CachedImage",
    "EntryOrder",
    "EntryQuery",
    "EntryStory",
    "FeedWriteResult",
    "FetchInfo",
    "FollowUp",
    "ImageRecord",
    "ImportResult",
    "NewFollowUp",
    "Rule",
    "RuleProblem",
    "RuleRun",
    "SavedSearch",
    "Store",
    "Story",
]
