"""pic: the registry, settings, renderers and command line of the hosting platform.

This package never imports Pulumi: it is plain data and text, so it can be
tested and run (``pic check``, ``pic report``) without the engine or any
credentials.
"""

__version__ = "0.1.0"
