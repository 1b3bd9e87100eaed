"""Application services: workspace, sync, outbox, rules, exports. Plain Python, no Qt."""
