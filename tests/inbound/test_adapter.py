"""The adapter's seams: invoke bodies serialised once (the SDK speed-ups: test_sdk_speedups)."""

from __future__ import annotations

import json

from botbuilder.core import InvokeResponse
from botbuilder.schema import AdaptiveCardInvokeResponse

from bot.inbound.adapter import invoke_http_response

CARD_ANSWER = {
    "statusCode": 200,
    "type": "application/vnd.microsoft.card.adaptive",
    "value": {"type": "AdaptiveCard", "version": "1.5", "body": []},
}


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
