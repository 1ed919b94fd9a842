"""Official score arithmetic (kept separate from measurement so it can be checked on published numbers)."""
