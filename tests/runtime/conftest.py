"""The session-wide cache directory fixture lives in tests/conftest.py."""
