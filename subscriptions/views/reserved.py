"""The reserved area's page of subscriptions: a signed-in user follows their own areas with one click."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from psm_portal.lib.forms import errors_text
from subscriptions import topics
from subscriptions.models import Subscriber, Topic
from subscriptions.services import staff_subscribe, staff_unsubscribe


def _labels(pairs) -> list[str]:
    """What the pairs (topic, key) are called, for the page (one query per topic)."""
    names = {topic: dict(topics.choices(topic)) for topic in {t for t, key in pairs if key}}
    labels = []
    for topic, key in pairs:
        if topic == Topic.NEWS:
            labels.append(_("Le notizie del Piano Strategico"))
        else:
            labels.append(f"{Topic(topic).label.capitalize()}: {names.get(topic, {}).get(key, key)}")
    return labels


@login_required
@require_http_methods(["GET", "POST"])
def mine(request):
    if request.method == "POST":
        try:
            if request.POST.get("azione") == "annulla":
                staff_unsubscribe(user=request.user)
                messages.success(
                    request, _("Iscrizione annullata: il vostro indirizzo non riceverà più aggiornamenti.")
                )
            else:
                staff_subscribe(user=request.user)
                messages.success(request, _("Fatto: riceverete per e-mail gli aggiornamenti delle vostre aree."))
        except ValidationError as error:
            messages.error(request, errors_text(error))
        return redirect("subscriptions:mine")
    subscriber = Subscriber.objects.filter(user=request.user).prefetch_related("subscriptions").first()
    followed = [(s.topic, s.key) for s in subscriber.subscriptions.all()] if subscriber else []
    return render(
        request,
        "subscriptions/mine.html",
        {
            "subscriber": subscriber,
            "followed": _labels(followed),
            "areas": _labels(topics.own_areas(request.user)),
        },
    )
