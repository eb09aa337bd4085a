"""The supervision API."""
