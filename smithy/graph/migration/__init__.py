"""CFEP-9 migration files across feedstocks: scaffold, lint and track their progress."""
