"""Seed the term table with common library and learning terms in sv, da, nb, nn and en.

Staff curate the table in the admin afterwards; this only adds groups whose concept is not there yet.
"""

import json
from pathlib import Path

from django.db import migrations

TERMS_FILE = Path(__file__).resolve().parent.parent / "data" / "search_terms.json"
LANGUAGES = ["sv", "da", "nb", "nn", "en"]


def seed(apps, schema_editor):
    TermGroup = apps.get_model("resources", "TermGroup")
    Term = apps.get_model("resources", "Term")
    existing = set(TermGroup.objects.values_list("concept", flat=True))
    for item in json.loads(TERMS_FILE.read_text()):
        if item["concept"] in existing:
            continue
        group = TermGroup.objects.create(concept=item["concept"])
        texts = {(language, text.strip().lower()) for language in LANGUAGES for text in item.get(language, [])}
        Term.objects.bulk_create(
            Term(group=group, language=language, text=text) for language, text in sorted(texts) if text
        )


def unseed(apps, schema_editor):
    TermGroup = apps.get_model("resources", "TermGroup")
    concepts = [item["concept"] for item in json.loads(TERMS_FILE.read_text())]
    TermGroup.objects.filter(concept__in=concepts).delete()


class Migration(migrations.Migration):
    dependencies = [("resources", "0003_search_triggers")]

    operations = [migrations.RunPython(seed, unseed)]
