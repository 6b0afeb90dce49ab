"""Local preview: an HTTP server handed a build function; it knows nothing about sites."""
