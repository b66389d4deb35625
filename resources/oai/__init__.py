"""OAI-PMH 2.0 at /oai/: the published catalogue for harvesters (protocol.py, records.py, formats.py, views.py)."""
