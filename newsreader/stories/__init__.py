"""On-device text analysis for stories (issue 12): an article's language, its words as stems,
the similarity of two articles, and its key points. Pure functions over plain text and HTML:
no SQL (the store calls these), no network, no Qt. See docs/stories.md."""
