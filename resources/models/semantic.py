"""What the semantic signal of search keeps: one embedding of each published resource's text (README, "Meaning")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from pgvector.django import HnswIndex, VectorField

from resources.models.catalogue import Resource

# multilingual-e5-small's embeddings (resources.semantic).
DIMENSIONS = 384


class ResourceEmbedding(models.Model):
    """A published resource's text as a point in the model's space; nearby points mean about the same.

    ``text_hash`` names the text and the model it was embedded with, so a resource whose text did not change
    is not embedded again. Written only by ``resources.semantic``; a resource that is no longer published loses it.
    """

    resource = models.OneToOneField(
        Resource, on_delete=models.CASCADE, primary_key=True, related_name="embedding", verbose_name=_("resource")
    )
    vector = VectorField(dimensions=DIMENSIONS)
    text_hash = models.CharField(max_length=64)
    embedded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resource embedding")
        verbose_name_plural = _("resource embeddings")
        ordering = ["resource"]
        indexes = [
            # Cosine distance, as e5 is trained for; the nearest neighbours are found without reading every row.
            HnswIndex(
                name="resource_embedding_hnsw",
                fields=["vector"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id}: {self.text_hash[:12]}"
