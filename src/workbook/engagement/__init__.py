"""The engagement contract: engagement.yaml, the assumptions registry, scaffolding new folders."""
