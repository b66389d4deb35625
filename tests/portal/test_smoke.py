import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_answers(client):
    response = client.get(reverse("home"))
    assert response.status_code in (200, 500)
