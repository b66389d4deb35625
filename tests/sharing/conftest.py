from tests.curation.conftest import (  # noqa: F401  (the same people as the curation tests)
    coordinator,
    curator_a,
    curator_b,
    lead_a,
    library_a,
    library_b,
    patron,
    roles,
    team_a,
    team_b,
)
