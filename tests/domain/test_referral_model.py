from __future__ import annotations

import copy
import dataclasses
import json
import pickle
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pydantic
import pytest

from bot.domain.referral import (
    Details,
    Direction,
    Qualification,
    Referral,
    ReferralType,
    SalesStage,
    Status,
    Substatus,
    TeamMember,
    Versioned,
)
from tests.support.referral_documents import make_referral_document


def test_a_realistic_document_round_trips_exactly() -> None:
    document = make_referral_document()

    rebuilt = Referral.from_document(document).to_document()

    assert json.dumps(rebuilt, sort_keys=True) == json.dumps(document, sort_keys=True)


def test_fields_are_typed() -> None:
    referral = Referral.from_document(make_referral_document())

    assert referral.status is Status.NEW
    assert referral.substatus is Substatus.RECEIVED
    assert referral.type is ReferralType.INDEPENDENT
    assert referral.qualification is Qualification.SALES_QUALIFIED
    assert referral.direction is Direction.INCOMING
    assert referral.sales_stage is SalesStage.QUALIFY
    assert referral.details is not None
    assert referral.details.deal_value == Decimal("125000.5")
    assert referral.details.closing_date_time == datetime(2026, 6, 30, tzinfo=UTC)
    assert referral.customer_profile is not None
    assert referral.customer_profile.address is not None
    assert referral.customer_profile.address.country == "US"
    assert referral.customer_profile.team[0].email == "chris@contoso.example"
    assert [member.email for member in referral.team] == ["seller@contoso.example"]
    assert referral.e_tag == '"84001c9d-0000-0100-0000-6225a63e0000"'


def test_unknown_fields_are_kept_at_every_level() -> None:
    document = make_referral_document(futureField={"nested": [1, 2]})
    document["details"]["newDetail"] = "x"
    document["team"][0]["badge"] = "gold"

    referral = Referral.from_document(document)
    rebuilt = referral.to_document()

    assert referral.model_extra == {
        key: document[key] for key in ("consent", "inviteContext", "target", "links", "futureField")
    }
    assert rebuilt["futureField"] == {"nested": [1, 2]}
    assert rebuilt["details"]["newDetail"] == "x"
    assert rebuilt["team"][0]["badge"] == "gold"


@pytest.mark.parametrize(
    ("sent", "parsed", "written"),
    [
        ("10000", Decimal(10000), 10000),
        (10000, Decimal(10000), 10000),
        (10000.0, Decimal("10000.0"), 10000.0),
        (12.5, Decimal("12.5"), 12.5),
        ("0.10", Decimal("0.10"), 0.1),
    ],
)
def test_deal_value_is_a_decimal_and_goes_back_as_a_number(
    sent: object, parsed: Decimal, written: float
) -> None:
    details = make_referral_document()["details"] | {"dealValue": sent}

    referral = Referral.from_document(make_referral_document(details=details))

    assert referral.details is not None
    assert referral.details.deal_value == parsed
    out = referral.to_document()["details"]["dealValue"]
    assert out == written
    assert type(out) is type(written)


def test_a_deal_value_that_is_not_a_number_is_refused() -> None:
    details = make_referral_document()["details"] | {"dealValue": "lots"}

    with pytest.raises(pydantic.ValidationError):
        Referral.from_document(make_referral_document(details=details))


def test_status_values_the_code_does_not_know_survive_as_strings() -> None:
    document = make_referral_document(status="Paused", substatus="OnHold", salesStage="Negotiate")

    referral = Referral.from_document(document)

    assert referral.status == "Paused"
    assert not isinstance(referral.status, Status)
    assert referral.substatus == "OnHold"
    assert referral.to_document()["salesStage"] == "Negotiate"


def test_known_values_compare_equal_to_the_enum() -> None:
    referral = Referral.from_document(make_referral_document(status="Closed", substatus="Won"))

    assert referral.status == Status.CLOSED
    assert referral.substatus == Substatus.WON


def test_timestamps_keep_the_services_seven_digit_text() -> None:
    referral = Referral.from_document(make_referral_document())

    assert referral.created_date_time is not None
    assert referral.created_date_time.microsecond == 123456
    assert referral.to_document()["createdDateTime"] == "2026-03-02T09:15:27.1234567Z"


def test_copies_and_pickles_keep_the_timestamp_text() -> None:
    referral = Referral.from_document(make_referral_document())

    for clone in (copy.deepcopy(referral), pickle.loads(pickle.dumps(referral))):
        assert clone.to_document()["updatedDateTime"] == "2026-03-04T16:01:02.7654321Z"


def test_a_timestamp_built_in_code_is_written_as_utc_with_seven_digits() -> None:
    moment = datetime(2026, 7, 1, 14, 30, 5, 250000, tzinfo=UTC) + timedelta(hours=1)

    details = Details(closing_date_time=moment)

    assert details.to_document() == {"closingDateTime": "2026-07-01T15:30:05.2500000Z"}


def test_a_timestamp_without_a_zone_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError):
        Details.model_validate({"closingDateTime": "2026-07-01T15:30:05"})


def test_models_are_frozen() -> None:
    referral = Referral.from_document(make_referral_document())

    with pytest.raises(pydantic.ValidationError):
        referral.name = "Other"


def test_a_changed_copy_writes_its_new_values_and_keeps_the_rest() -> None:
    referral = Referral.from_document(make_referral_document())

    closed = referral.model_copy(update={"status": Status.CLOSED, "substatus": Substatus.WON})
    document = closed.to_document()

    assert (document["status"], document["substatus"]) == ("Closed", "Won")
    assert document["consent"] == make_referral_document()["consent"]


def test_models_built_in_code_write_only_what_was_set() -> None:
    member = TeamMember(first_name="Jane", last_name="Doe", email="jane.doe@contoso.com")

    referral = Referral(id="123", status=Status.ACTIVE, team=(member,))

    assert referral.to_document() == {
        "id": "123",
        "status": "Active",
        "team": [{"firstName": "Jane", "lastName": "Doe", "email": "jane.doe@contoso.com"}],
    }


def test_explicit_nulls_are_kept_and_absent_fields_stay_absent() -> None:
    document = {"id": "1", "statusReason": None}

    assert Referral.from_document(document).to_document() == document


def test_versioned_keeps_the_etag_verbatim_and_is_frozen() -> None:
    referral = Referral(id="1")
    versioned = Versioned(value=referral, etag='"abc"')

    assert versioned.etag == '"abc"'
    with pytest.raises(dataclasses.FrozenInstanceError):
        versioned.etag = "x"  # type: ignore[misc]
