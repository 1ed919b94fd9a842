"""Running work: content-hash caches and parallel maps with progress bars."""
