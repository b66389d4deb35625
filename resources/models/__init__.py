"""The resources app's models, one module per subject."""

from resources.models.catalogue import (
    Audience,
    ChoiceArrayField,
    Kind,
    KnowledgeArea,
    Resource,
    ResourceQuerySet,
    Status,
)
from resources.models.search import SearchWord, Term, TermGroup, TermLanguage

__all__ = [
    "Audience",
    "ChoiceArrayField",
    "Kind",
    "KnowledgeArea",
    "Resource",
    "ResourceQuerySet",
    "SearchWord",
    "Status",
    "Term",
    "TermGroup",
    "TermLanguage",
]
