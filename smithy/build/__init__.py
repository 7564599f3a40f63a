"""Builds with py-rattler-build, in graph order, into a local channel."""
