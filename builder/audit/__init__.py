"""Accessibility audit of a built site: axe-core in real headless Chromium."""
