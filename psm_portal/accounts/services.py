"""Creating staff accounts and inviting them (no self-registration on the portal); e-mailing a link to choose a new
password."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override

from psm_portal.accounts.models import User
from psm_portal.audit.services import audit_record

logger = logging.getLogger(__name__)


def user_invite(
    *,
    invited_by: User,
    email: str,
    full_name: str,
    role: str,
    office=None,
    municipality=None,
    organisation: str = "",
    base_url: str | None = None,
) -> User:
    """Create an account with no password and e-mail it a one-time link to set one (on ``base_url``, the portal's
    address as the inviting request saw it, when ``SITE_URL`` is not configured)."""
    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            full_name=full_name,
            role=role,
            office=office,
            municipality=municipality,
            organisation=organisation,
            invited_by=invited_by,
        )
        audit_record(actor=invited_by, action="user.invite", obj=user, after={"email": user.email, "role": role})
        invitation_enqueue(user=user, base_url=base_url)
    return user


def invitation_enqueue(*, user: User, base_url: str | None = None) -> None:
    from psm_portal.accounts.tasks import send_invitation  # the task imports this module

    transaction.on_commit(lambda: send_invitation.delay(user.pk, base_url))


def invitation_link(user: User, base_url: str | None = None) -> str:
    """The link stays valid until the password is set (Django's token hashes the password)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return (base_url or settings.SITE_URL) + reverse("accounts:invitation", kwargs={"uidb64": uid, "token": token})


def invitation_send(*, user: User, base_url: str | None = None) -> bool:
    """E-mail the invitation; an account that has already set its password gets nothing."""
    if user.has_usable_password() or not user.is_active:
        return False
    context = {"user": user, "link": invitation_link(user, base_url), "site_url": base_url or settings.SITE_URL}
    send_mail(
        subject=_("Invito al Portale del Piano Strategico Metropolitano di Messina"),
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    User.objects.filter(pk=user.pk).update(invited_at=timezone.now())
    return True


def password_reset_request(*, email: str, language: str, base_url: str | None = None) -> None:
    """Someone asks for a new password for ``email``: the active account with that address, if any, gets the
    e-mail from a worker, its link on ``base_url`` (the portal's address as the request saw it, when ``SITE_URL``
    is not configured: ``psm_portal.lib.siteurl.site_url``). The same query whatever the address, and nothing sent
    while the request waits."""
    for user in User.objects.filter(email__iexact=email.strip(), is_active=True):
        if user.has_usable_password():  # an invited account not yet activated uses its invitation
            password_reset_enqueue(user=user, language=language, base_url=base_url)


def password_reset_enqueue(*, user: User, language: str, base_url: str | None = None) -> None:
    """Send the e-mail with a link to choose a new password from a worker: the request that asked for it answers
    as fast for an address no account has. A broker that is down costs the e-mail, never the request."""
    from psm_portal.accounts.tasks import send_password_reset  # the task imports this module

    def send() -> None:
        try:
            send_password_reset.delay(user.pk, language, base_url)
        except Exception:
            logger.exception("Password reset of user %s: the e-mail could not be enqueued", user.pk)

    transaction.on_commit(send, robust=True)


def password_reset_send(*, user: User, language: str | None = None, base_url: str | None = None) -> bool:
    """E-mail the link to choose a new password (on ``base_url`` when given, else ``SITE_URL``); an account
    deactivated, or never activated, gets nothing."""
    if not user.is_active or not user.has_usable_password():
        return False
    with override(language or settings.LANGUAGE_CODE):
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        base = base_url or settings.SITE_URL
        link = base + reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        context = {"user": user, "link": link, "site_url": base}
        subject = render_to_string("accounts/email/password_reset_subject.txt", context)
        send_mail(
            subject="".join(subject.splitlines()),
            message=render_to_string("accounts/email/password_reset.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
    return True
