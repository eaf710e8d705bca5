"""The lab: what runs the platform's containers for real on a private Docker engine (tests, trials)."""
