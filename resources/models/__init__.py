"""The resources app's models, one module per subject."""

from resources.models.accessibility import AccessibilityFeature, AccessibilityHazard, AccessMode
from resources.models.catalogue import (
    Audience,
    ChoiceArrayField,
    Kind,
    KnowledgeArea,
    Resource,
    ResourceQuerySet,
    Status,
)
from resources.models.collections import (
    Collection,
    CollectionItem,
    CollectionQuerySet,
    CollectionVisibility,
    new_items_since,
)
from resources.models.curation import BrokenLink, ProblemKind, ProblemReport, ReportStatus
from resources.models.harvest import DeletedRecord, HarvestedRecord, HarvestSource
from resources.models.offers import (
    ACTIVE_STATUSES,
    Booking,
    BookingRequest,
    BookingRequestQuerySet,
    BookingStatus,
    OfferFormat,
    OfferSession,
    OfferSessionQuerySet,
    SchoolOffer,
    SchoolOfferQuerySet,
    Subject,
)
from resources.models.search import ResourceTerm, SearchWord, Term, TermGroup, TermLanguage
from resources.models.semantic import ResourceEmbedding
from resources.models.usage import OfferUsage, ResourceUsage, SearchUsage, UsageKind

__all__ = [
    "ACTIVE_STATUSES",
    "AccessMode",
    "AccessibilityFeature",
    "AccessibilityHazard",
    "Audience",
    "Booking",
    "BookingRequest",
    "BookingRequestQuerySet",
    "BookingStatus",
    "BrokenLink",
    "ChoiceArrayField",
    "Collection",
    "CollectionItem",
    "CollectionQuerySet",
    "CollectionVisibility",
    "DeletedRecord",
    "HarvestSource",
    "HarvestedRecord",
    "Kind",
    "KnowledgeArea",
    "OfferFormat",
    "OfferSession",
    "OfferSessionQuerySet",
    "OfferUsage",
    "ProblemKind",
    "ProblemReport",
    "ReportStatus",
    "Resource",
    "ResourceEmbedding",
    "ResourceQuerySet",
    "ResourceTerm",
    "ResourceUsage",
    "SchoolOffer",
    "SchoolOfferQuerySet",
    "SearchUsage",
    "SearchWord",
    "Status",
    "Subject",
    "Term",
    "TermGroup",
    "TermLanguage",
    "UsageKind",
    "new_items_since",
]
