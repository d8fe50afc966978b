"""The public pages of subscriptions: subscribe (double opt-in), confirm, unsubscribe. A bad or used token is a 404
(the Italian page), never a 500."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from psm_portal.lib.clients import client_ip, client_network
from psm_portal.lib.forms import errors_text
from psm_portal.lib.ratelimit import within_limit
from subscriptions.forms import SubscribeForm
from subscriptions.models import Subscriber
from subscriptions.services import subscriber_confirm, subscriber_delete, subscriber_request


def _client(request) -> str:
    # The cache holds no address in clear.
    address = client_network(client_ip(request, settings.AXES_IP_HEADERS)) or "?"
    return salted_hmac("subscriptions.ratelimit", address).hexdigest()[:32]


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        allowed = within_limit(
            "subscriptions",
            _client(request),
            limit=settings.SUBSCRIPTIONS_RATE_LIMIT,
            window=settings.SUBSCRIPTIONS_RATE_WINDOW_SECONDS,
        )
        if not allowed:
            messages.error(request, _("Troppe richieste di iscrizione da questa rete: riprovate tra un'ora."))
            return render(request, "subscriptions/subscribe.html", {"form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                subscriber_request(
                    email=data["email"], news=data["news"], comuni=data["comuni"], objectives=data["objectives"]
                )
            except ValidationError as error:
                form.add_error(None, errors_text(error))
            else:
                return redirect("subscriptions:sent")
    return render(request, "subscriptions/subscribe.html", {"form": form})


@require_GET
def sent(request):
    return render(request, "subscriptions/sent.html")


def _pending(token: str) -> Subscriber:
    subscriber = Subscriber.objects.filter(confirm_token=token, confirmed_at__isnull=True).first()
    if subscriber is None:
        raise Http404(_("Il collegamento di conferma non è valido o è già stato usato."))
    return subscriber


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows the button (a mail scanner that follows links confirms nothing); POST confirms."""
    subscriber = _pending(token)
    if request.method == "POST":
        try:
            subscriber = subscriber_confirm(token=token)
        except Subscriber.DoesNotExist as error:
            raise Http404(_("Il collegamento di conferma non è valido o è già stato usato.")) from error
        return render(request, "subscriptions/confirmed.html", {"subscriber": subscriber})
    return render(request, "subscriptions/confirm.html", {"subscriber": subscriber})


@csrf_exempt  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click" without our form; the token is the secret
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    subscriber = Subscriber.objects.filter(unsubscribe_token=token).first()
    if subscriber is None:
        raise Http404(_("Il collegamento per annullare l'iscrizione non è valido: forse l'iscrizione è già annullata."))
    if request.method == "POST":
        subscriber_delete(token=token)
        return render(request, "subscriptions/unsubscribed.html")
    return render(request, "subscriptions/unsubscribe.html", {"subscriber": subscriber})
