"""Entry point of the policy pack: ``pulumi preview --policy-pack policy`` runs this file."""

import sys
from pathlib import Path

from pulumi_policy import EnforcementLevel, PolicyPack

# Pulumi runs this file with the pack's directory on the path; the policies live in the package `policy`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policy.pack import POLICIES

PolicyPack(name="pic", policies=POLICIES, enforcement_level=EnforcementLevel.MANDATORY)
