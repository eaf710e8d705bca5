"""The platform's policy pack (pulumi-policy): see ``pack.py`` for the policies, ``rules.py`` for their logic."""
