"""`python -m bench`: Referral Bot against a bare botbuilder echo bot (the floor), one table.

Servers run in their own processes (pinned to one core when possible) so their CPU time can be
read from /proc; the load generator, the fake Teams connector and the emulators run here.
"""
