"""The emergency number in the stored clinic profile (SQLite and PostgreSQL): kept, and 112 for profiles saved
before the field existed, with no migration."""

from __future__ import annotations

from rehab import services
from rehab.domain.clinic import Clinic

ACTOR = "clinician@example.org"


def test_the_emergency_number_is_stored_with_the_profile(repo):
    services.clinic.save_clinic(Clinic(name="Knee Clinic", emergency_number="+1 911"), repo=repo, actor=ACTOR)
    assert services.clinic.get_clinic(repo=repo).emergency_number == "+1 911"
    with repo.transaction() as tx:
        fields, _ = tx.get_clinic_profile()
    assert fields["emergency_number"] == "+1 911"


def test_a_profile_stored_without_the_field_loads_with_112(repo):
    services.clinic.save_clinic(Clinic(name="Knee Clinic", emergency_number="999"), repo=repo, actor=ACTOR)
    with repo.transaction(write=True) as tx:
        fields, logo = tx.get_clinic_profile()
        del fields["emergency_number"]  # as saved by the version before this field
        tx.save_clinic_profile(fields, logo)
    assert services.clinic.get_clinic(repo=repo).emergency_number == "112"
