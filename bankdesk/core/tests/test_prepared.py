import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Value

from bankdesk.core.prepared import PreparedRead
from bankdesk.orgs.models import OrgUnit, User


def _users_of_unit(unit_id, user_id):
    return (User.objects.filter(home_unit_id=unit_id, pk=user_id).select_related("home_unit")
            .annotate(unit_code=F("home_unit__code"), asked_for=Value(user_id)).defer("email").order_by())


def test_a_prepared_read_answers_as_the_queryset_does_with_one_query(bank, django_assert_num_queries):
    read = PreparedRead(_users_of_unit, keys=2)
    for user in (bank.admin, *User.objects.exclude(pk=bank.admin.pk)[:3]):
        expected = list(_users_of_unit(user.home_unit_id, user.pk))
        with django_assert_num_queries(1):
            found = read(user.home_unit_id, user.pk)
            assert [(u.pk, u.username, u.home_unit.code, u.unit_code, u.asked_for) for u in found] == \
                [(u.pk, u.username, u.home_unit.code, u.unit_code, u.asked_for) for u in expected]
        assert found[0].date_joined == expected[0].date_joined and found[0].date_joined.tzinfo is not None
        assert found[0].get_deferred_fields() == {"email"} and not found[0]._state.adding
    assert read(OrgUnit.objects.exclude(pk=bank.admin.home_unit_id).first().pk, bank.admin.pk) == []


def test_a_read_whose_keys_shape_the_query_is_refused(db):
    read = PreparedRead(lambda user_id: User.objects.filter(pk__gt=0)[:1], keys=1)
    with pytest.raises(ImproperlyConfigured):
        read(1)
    with pytest.raises(TypeError):
        PreparedRead(_users_of_unit, keys=2)(1)
