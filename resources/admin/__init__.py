"""The resources admin, one module per subject; importing this package registers them all."""

import resources.offers.admin  # noqa: F401  (school offers, sessions and booking requests)
from resources.admin import catalogue, curation, harvest, search, usage

__all__ = ["catalogue", "curation", "harvest", "search", "usage"]
