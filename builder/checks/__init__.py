"""Checks on the final HTML of every page, as pages stream past: fast, no browser."""
