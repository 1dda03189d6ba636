"""The bot speaks first (issue 17): lead alerts from Partner Center's webhook events.

`LeadAlerts` (leads.py) is the event endpoint's `EventSink`: it finds someone whose access reads
the referral (readers.py), tells each team member who has the bot what their own access shows
(offers.py builds their card and their Accept/Decline), tells subscribed channels only what the
event carries, sends every card through the outbox exactly once (delivery.py), and after a
decision turns every copy of the card into the decided one (copies.py). wiring.py builds it.
"""
