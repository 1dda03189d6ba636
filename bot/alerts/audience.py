"""Who reads a lead's cards: what a stored conversation reference says, and the outbox keys.

A reference is a serialized Bot Framework ConversationReference (`bot.domain.proactive.Reference`,
camelCase JSON): its `user.id` is the Teams user id ("29:…", the MRI) that a card's refresh
`userIds` names, its `conversation.id` the chat or channel. Read tolerantly: a reference another
version of the bot stored may lack either.
"""

from __future__ import annotations

import hashlib

from bot.domain.proactive import Notification, Reference


def teams_user_id(reference: Reference) -> str | None:
    user = reference.get("user")
    value = user.get("id") if isinstance(user, dict) else None
    return value if isinstance(value, str) and value else None


def conversation_id(reference: Reference) -> str:
    conversation = reference.get("conversation")
    value = conversation.get("id") if isinstance(conversation, dict) else None
    return value if isinstance(value, str) else ""


def lead_group(referral_id: str) -> str:
    """The outbox group of one lead's cards: its copies, updated together after a decision."""
    return f"lead:{referral_id}"


def user_key(referral_id: str, user_id: str) -> str:
    return f"lead:{referral_id}:user:{user_id}"


def channel_key(referral_id: str, channel_conversation_id: str) -> str:
    """A channel's conversation id is long and customer data: the key holds its SHA-256."""
    digest = hashlib.sha256(channel_conversation_id.encode("utf-8", "surrogatepass")).hexdigest()
    return f"lead:{referral_id}:channel:{digest}"


def lead_card_of(notification: Notification) -> str | None:
    """The referral id when `notification` is a lead's card (a person's or a channel's), else
    None (a reminder or a digest shares the lead's group but not its keys)."""
    group = notification.group
    if not group.startswith("lead:"):
        return None
    referral_id = group.removeprefix("lead:")
    user_id, key = notification.user_id, notification.key
    mine = key == user_key(referral_id, user_id) if user_id else key.startswith(f"{group}:channel:")
    return referral_id if mine else None
