"""What changed since the last build: input stamps, changed articles, the build cache and recipes.

An optimisation only: whatever is missing or unreadable here means more work, never a different site.
"""
