"""Helpers the test folders share: files and trees, and the small sites several suites build."""
