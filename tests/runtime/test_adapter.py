"""The adapter's seams: invoke bodies serialised once, msrest's retry codes unchanged but cheap."""

from __future__ import annotations

import json
import time

from botbuilder.core import InvokeResponse
from botbuilder.schema import AdaptiveCardInvokeResponse
from msrest.universal_http.requests import ClientRetryPolicy

from bot.adapter import invoke_http_response, speed_up_msrest_retry_policy

CARD_ANSWER = {
    "statusCode": 200,
    "type": "application/vnd.microsoft.card.adaptive",
    "value": {"type": "AdaptiveCard", "version": "1.5", "body": []},
}


def retry_codes() -> list[int]:
    policy = ClientRetryPolicy()  # type: ignore[no-untyped-call]
    return list(policy.policy.status_forcelist)


def test_a_dict_invoke_body_is_sent_as_it_is() -> None:
    response = invoke_http_response(InvokeResponse(status=200, body=CARD_ANSWER))

    assert response.status == 200
    assert response.text is not None
    assert json.loads(response.text) == CARD_ANSWER


def test_an_sdk_model_invoke_body_is_serialised_once() -> None:
    model = AdaptiveCardInvokeResponse(
        status_code=200, type=CARD_ANSWER["type"], value=CARD_ANSWER["value"]
    )

    response = invoke_http_response(InvokeResponse(status=200, body=model))

    assert response.text is not None
    assert json.loads(response.text) == CARD_ANSWER


def test_no_invoke_response_is_an_empty_201() -> None:
    assert invoke_http_response(None).status == 201


def test_msrest_retry_codes_stay_the_same_and_get_cheap() -> None:
    before = list(retry_codes())

    speed_up_msrest_retry_policy()
    speed_up_msrest_retry_policy()
    started = time.perf_counter()
    after = retry_codes()
    elapsed = time.perf_counter() - started

    assert after == before
    assert 408 in after
    assert 501 not in after
    assert 200 not in after
    assert elapsed < 0.004
