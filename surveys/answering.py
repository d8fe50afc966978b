"""The state of one browser answering one questionnaire, from the privacy notice to the thank-you page.

Three pieces, read and written only here (``AnswerState``):

- the draft: the answers given so far and the sections sent, kept in the session under
  ``surveys:<questionnaire id>``, with a random id drawn when the privacy notice is accepted. A citizen
  not signed in gets a session that ends ``SURVEYS_DRAFT_SECONDS`` after the last section sent (signed-in
  staff keep their usual age), and the draft is forgotten as soon as the response is stored;
- the carry: the last section's form holds the draft signed (with ``SECRET_KEY``, bound to the
  questionnaire), so sending that page needs no session to rebuild the answers (the session, when the
  browser has one, is then only read to forget the draft). The draft holds a second random number, its
  nonce, stored with the response under a unique index: the signed form is single-use, and sent again
  (a script replaying it without cookies) it stores nothing;
- the "answered" cookie, signed, set with the response: it holds the draft's random id. With
  ``SURVEYS_ONE_PER_BROWSER`` it refuses a second response; and the draft it names is spent, shown
  to nobody again (a shared computer) and forgotten wherever it is still found (the thank-you page, the
  next refused visit).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from surveys.models import Questionnaire

COOKIE_SALT = "surveys.answered"
STATE_SALT = "surveys.state"
STATE_FIELD = "stato"


class AnswerState:
    """What ``request``'s browser holds while answering ``questionnaire``. ``draft`` is None until
    ``begin`` or ``load`` finds one."""

    def __init__(self, request: HttpRequest, questionnaire: Questionnaire):
        self.request = request
        self.questionnaire = questionnaire
        self.draft: dict | None = None

    @property
    def _session_key(self) -> str:
        return f"surveys:{self.questionnaire.pk}"

    @property
    def _cookie_name(self) -> str:
        return f"psm_questionario_{self.questionnaire.pk}"

    # --- the "answered" cookie --------------------------------------------------------------------

    def _answered_token(self) -> str | None:
        """What the signed cookie set at the submission holds: the id of the answers sent ("1" before ids)."""
        return self.request.get_signed_cookie(self._cookie_name, default=None, salt=COOKIE_SALT)

    def already_answered(self) -> bool:
        if not settings.SURVEYS_ONE_PER_BROWSER:
            return False
        return self._answered_token() is not None

    def _spent(self, draft: dict) -> bool:
        """These answers were sent already (by this browser: its cookie names them)."""
        return bool(draft.get("id")) and draft["id"] == self._answered_token()

    def mark_answered(self, reply: HttpResponse) -> None:
        """Set on ``reply`` the cookie that names the draft just sent as sent."""
        reply.set_signed_cookie(
            self._cookie_name,
            self.draft.get("id") or "1",
            salt=COOKIE_SALT,
            max_age=settings.SURVEYS_COOKIE_DAYS * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )

    # --- the draft ---------------------------------------------------------------------------------

    def begin(self) -> None:
        """The privacy notice accepted: a new, empty draft in the session. Its random id is what the
        cookie holds once these answers are sent."""
        self.draft = {
            "id": secrets.token_urlsafe(12),
            "nonce": uuid.uuid4().hex,
            "privacy": True,
            "answers": {},
            "done": [],
        }
        self.request.session[self._session_key] = self.draft
        if not self.request.user.is_authenticated:
            # A short age: a draft left half-way (or a thank-you page never loaded) does not keep the
            # answers for weeks. Counted from each section sent, since every section saves the session.
            self.request.session.set_expiry(settings.SURVEYS_DRAFT_SECONDS)

    def load(self, *, carried: bool = False) -> bool:
        """Find the draft to continue: the one the last section's form carried back when ``carried``
        and its signature holds, else the one in the session. False when there is none."""
        self.draft = (carried and self._carried()) or self._stored()
        return self.draft is not None

    def _stored(self) -> dict | None:
        """The draft kept in the session from one section to the next."""
        draft = self.request.session.get(self._session_key)
        if not draft or not draft.get("privacy"):
            return None
        if self._spent(draft):
            # A browser shared by several people shows nobody the last answers.
            self.request.session.pop(self._session_key, None)
            return None
        if not draft.get("nonce"):
            # A draft begun before drafts had a nonce gets one, kept from now on.
            draft["nonce"] = uuid.uuid4().hex
            self.request.session[self._session_key] = draft
        return draft

    def _carried(self) -> dict | None:
        """The draft the last section's form carried back, if its signature holds (else None)."""
        try:
            draft = signing.loads(
                self.request.POST.get(STATE_FIELD, ""), salt=STATE_SALT, max_age=settings.SESSION_COOKIE_AGE
            )
        except signing.BadSignature:
            return None
        if not isinstance(draft, dict) or draft.get("questionnaire") != self.questionnaire.pk:
            return None
        if not draft.get("privacy") or not draft.get("nonce") or self._spent(draft):
            return None
        return draft

    def carry(self) -> str:
        """The draft signed into the last section's form: sending it needs no session read."""
        return signing.dumps({**self.draft, "questionnaire": self.questionnaire.pk}, salt=STATE_SALT, compress=True)

    @property
    def nonce(self) -> uuid.UUID:
        """What makes these answers storable once only (``Response.nonce``)."""
        return uuid.UUID(self.draft["nonce"])

    @property
    def answers(self) -> dict[int, object]:
        """A copy of the answers given so far, by question id."""
        return {int(k): v for k, v in self.draft["answers"].items()}

    def first_missing(self, count: int) -> int:
        """The first of ``count`` sections not sent yet (the last one when all are)."""
        done = set(self.draft.get("done", []))
        return next((n for n in range(1, count + 1) if n not in done), count)

    def save_section(self, number: int, answers: Mapping[int, object]) -> None:
        """Section ``number`` sent: ``answers`` (all those given so far) are kept in the session."""
        self.draft["answers"] = {str(k): v for k, v in answers.items()}
        self.draft["done"] = sorted(set(self.draft.get("done", [])) | {number})
        self.request.session[self._session_key] = self.draft

    def discard(self) -> None:
        """Drop the draft from the session (a bot, or answers that are no longer valid)."""
        self.request.session.pop(self._session_key, None)

    def has_session(self) -> bool:
        """The browser sent a session cookie (without one there is no draft to forget)."""
        return bool(self.request.COOKIES.get(settings.SESSION_COOKIE_NAME))

    def forget_sent(self) -> None:
        """The response is stored: forget its draft now, before the redirect to the thank-you page (which
        may never be loaded). A browser without a session cookie (the draft came carried) has nothing to
        forget, and costs no session read."""
        if not self.has_session():
            return
        draft = self.request.session.get(self._session_key)
        if draft and draft.get("id") == self.draft.get("id"):
            self._forget()

    def forget_spent(self) -> None:
        """Forget the draft once the cookie names it as sent (a thank-you page or a refused visit after a
        response whose draft outlived it)."""
        draft = self.request.session.get(self._session_key)
        if not draft or not self._spent(draft):
            return
        self._forget()

    def _forget(self) -> None:
        """A session that held nothing else is deleted (the middleware then drops its cookie); one that
        holds more (a signed-in user) keeps the rest."""
        if set(self.request.session.keys()) <= {self._session_key, "_session_expiry"}:
            self.request.session.flush()
        else:
            self.request.session.pop(self._session_key, None)
