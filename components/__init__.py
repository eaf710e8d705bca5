"""Pulumi ComponentResources of the platform; each module opens with what it creates and why.

Components consume validated data from :mod:`pic` (never YAML) and text from
the render layer; they place that text and the resources on the hosts.
"""
