"""Reserved area: a mayor answers for their comune, office staff for their office (the vocations of its field), a
stakeholder adds a reasoned contribution, while a round is open. For whom one answers comes from the signed-in
user only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from psm_portal.accounts.models import Role
from psm_portal.accounts.permissions import role_required
from vocations import services
from vocations.forms import AnswerForm, ContributionForm
from vocations.models import Answer, Contribution, Round
from vocations.services import RatingInput


def _error_messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@role_required(Role.MAYOR, Role.OFFICE, Role.STAKEHOLDER)
def answer(request):
    round_ = Round.objects.current_open()
    if round_ is None:
        return render(request, "vocations/answer.html", {"round": None}, status=200)
    if request.user.role == Role.STAKEHOLDER:
        return _contribution(request, round_)
    speaker = services.speaker_of(request.user)
    vocations = services.vocations_for(request.user)
    existing = Answer.objects.filter(round=round_, **speaker).first() if speaker else None
    initial = (
        {r.vocation_id: RatingInput(r.score, r.priority, r.reason) for r in existing.ratings.all()} if existing else {}
    )
    form = AnswerForm(request.POST or None, vocations=vocations, initial_ratings=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_submit(user=request.user, round_=round_, ratings=form.ratings())
        except ValidationError as exc:
            for message in _error_messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Risposta salvata: potete modificarla finché la consultazione è aperta."))
            return redirect("vocations:answer")
    speaks_for = request.user.municipality if speaker and "municipality_id" in speaker else request.user.office
    return render(
        request,
        "vocations/answer.html",
        {"round": round_, "form": form, "existing": existing, "speaks_for": speaks_for, "vocations": vocations},
    )


def _contribution(request, round_: Round):
    form = ContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_add(
                user=request.user, round_=round_, vocation=form.cleaned_data["vocation"], text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            for message in _error_messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Contributo inviato: grazie."))
            return redirect("vocations:answer")
    mine = Contribution.objects.filter(round=round_, author=request.user).select_related("vocation")
    return render(request, "vocations/contribution.html", {"round": round_, "form": form, "mine": mine})
