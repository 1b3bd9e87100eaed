"""Loopback servers that speak each platform's documented API subset, for tests and the demo."""
