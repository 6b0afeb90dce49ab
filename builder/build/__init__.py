"""The build: the only package that knows the order of the stages (build.pipeline reads top to bottom)."""
