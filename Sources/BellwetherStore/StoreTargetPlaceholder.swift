// Keeps the BellwetherStore target buildable on branches that do not carry the store yet.
// Delete this file when the store branch, which adds the real sources, is merged.
