"""Throttles of the accounts: failed sign-ins (django-axes, counted three ways) and requests for a new password.

**Sign-ins.** django-axes counts failures per (e-mail, address), per e-mail and per address
(``AXES_LOCKOUT_PARAMETERS``) but compares them all with one limit. ``LockoutHandler`` gives each count its own:
``AXES_FAILURE_LIMIT`` for one e-mail from one address, ``AXES_ACCOUNT_FAILURE_LIMIT`` for one e-mail from anywhere,
``AXES_ADDRESS_FAILURE_LIMIT`` for one address across e-mails, the highest, since a school or an office signs in
from one address. Once a pair is locked its failures stop counting (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT``
off), so one person alone cannot lock out the others behind their address; and a sign-in forgets the failures of
its own pair only, so an attacker signing in to an account of their own does not reset the count of the address.

**Addresses.** ``client_address`` reads the first of ``AXES_IP_HEADERS`` present and counts an IPv6 /64 as one
address (``psm_portal.lib.clients``).

**New passwords.** ``password_reset_allowed`` counts requests per address and per e-mail typed, whether an account
has it or not, in the cache; with the cache unreachable it lets the request through (``psm_portal.lib.ratelimit``).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils.crypto import salted_hmac

from psm_portal.lib.clients import client_ip, client_network
from psm_portal.lib.ratelimit import within_limit


def client_address(request) -> str | None:
    """The address django-axes counts (``AXES_CLIENT_IP_CALLABLE``)."""
    return client_network(client_ip(request, settings.AXES_IP_HEADERS))


def _limit_of(parameter) -> int:
    names = {parameter} if isinstance(parameter, str) else set(parameter)
    if names == {"username"}:
        return settings.AXES_ACCOUNT_FAILURE_LIMIT
    if names == {"ip_address"}:
        return settings.AXES_ADDRESS_FAILURE_LIMIT
    return settings.AXES_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with a limit for each way of counting failures."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        # django-axes locks when this reaches AXES_FAILURE_LIMIT: report the count nearest to its own limit,
        # shifted onto that scale, so that any count reaching its own limit locks.
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        limits = [_limit_of(parameter) for parameter in settings.AXES_LOCKOUT_PARAMETERS]
        headroom = min(limit - count for count, limit in zip(counts, limits, strict=True))
        return max(0, settings.AXES_FAILURE_LIMIT - headroom)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a sign-in: forget the failures of this e-mail from this address, and only those."""
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=request.axes_ip_address
        ).delete()
        return count


def _digest(value: str) -> str:
    # The cache holds no address and no e-mail in clear.
    return salted_hmac("psm_portal.accounts.throttling", value).hexdigest()[:32]


def password_reset_allowed(*, request, email: str) -> bool:
    """Count one request for a new password for ``email`` from the request's address; False past either limit.
    The e-mail typed is counted whether an account has it or not: the answer tells nothing about accounts."""
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    address = client_address(request) or "?"
    if not within_limit(
        "password-reset-address", _digest(address), limit=settings.PASSWORD_RESET_ADDRESS_LIMIT, window=window
    ):
        return False
    return within_limit(
        "password-reset-account",
        _digest(email.strip().lower()),
        limit=settings.PASSWORD_RESET_ACCOUNT_LIMIT,
        window=window,
    )
