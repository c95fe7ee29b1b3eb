import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_head_sees_tree_and_people(world, login):
    client = login(world.users["head"])
    response = client.get(reverse("organisations:unit_tree"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Phòng Công chức" in text and "Sở Tài chính" not in text
    response = client.get(reverse("organisations:unit_detail", args=[world.division.pk]))
    assert "Nguyễn Văn An" in response.content.decode()
    response = client.get(reverse("organisations:person_list"), {"q": "nguyen van"})
    assert "Nguyễn Văn An" in response.content.decode()
    assert client.get(reverse("home")).status_code == 200
