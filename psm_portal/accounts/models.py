"""People who sign in (the PSM team, office staff, mayors, council members, stakeholders) and the offices staff belong to.

Citizens never need an account.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TEAM = "team", _("Team PSM")
    OFFICE = "office", _("Personale di un ufficio della Città Metropolitana")
    MAYOR = "mayor", _("Sindaco o delegato comunale")
    COUNCIL = "council", _("Consigliere metropolitano")
    STAKEHOLDER = "stakeholder", _("Stakeholder")
    SECRETARY = "secretary", _("Segreteria del Consiglio metropolitano")


class Office(models.Model):
    """An office of the Città Metropolitana: its staff sign in as office users and it owns a project portfolio."""

    code = models.SlugField(_("codice"), max_length=30, unique=True)
    name = models.CharField(_("nome"), max_length=200, unique=True)
    head = models.CharField(_("responsabile"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("ufficio")
        verbose_name_plural = _("uffici")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class UserQuerySet(models.QuerySet):
    def active(self) -> UserQuerySet:
        return self.filter(is_active=True)

    def with_role(self, role: str) -> UserQuerySet:
        return self.filter(role=role)

    def search(self, text: str) -> UserQuerySet:
        """The name or the e-mail address contains the text, ignoring case."""
        if not text:
            return self
        return self.filter(models.Q(full_name__icontains=text) | models.Q(email__icontains=text))

    def mayors_of(self, municipality) -> UserQuerySet:
        return self.active().filter(role=Role.MAYOR, municipality=municipality)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("L'indirizzo e-mail è obbligatorio.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password) if password else user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("role", Role.TEAM)
        fields.setdefault("full_name", "Amministratore")
        fields["is_superuser"] = True
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("nome e cognome"), max_length=150)
    role = models.CharField(_("ruolo"), max_length=20, choices=Role.choices)
    office = models.ForeignKey(
        Office,
        verbose_name=_("ufficio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("comune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="representatives",
    )
    organisation = models.CharField(_("organizzazione"), max_length=200, blank=True)
    is_active = models.BooleanField(_("attivo"), default=True)
    date_joined = models.DateTimeField(_("creato il"), default=timezone.now)
    invited_at = models.DateTimeField(_("invitato il"), null=True, blank=True)
    invited_by = models.ForeignKey(
        "self", verbose_name=_("invitato da"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")
        ordering = ["full_name", "email"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="office") | models.Q(office__isnull=False),
                name="office_staff_has_office",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="mayor") | models.Q(municipality__isnull=False),
                name="mayor_has_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def clean(self) -> None:
        super().clean()
        self.email = (self.email or "").lower()
        errors = {}
        if self.role == Role.OFFICE and not self.office_id:
            errors["office"] = _("Il personale di un ufficio deve appartenere a un ufficio.")
        if self.role == Role.MAYOR and not self.municipality_id:
            errors["municipality"] = _("Un sindaco o delegato deve essere legato a un comune.")
        if self.role == Role.STAKEHOLDER and not self.organisation.strip():
            errors["organisation"] = _("Indicare l'organizzazione dello stakeholder.")
        if errors:
            raise ValidationError(errors)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # Only the PSM team (and a superuser) enters Django's admin.
    @property
    def is_staff(self) -> bool:
        return self.is_active and self.is_team

    @property
    def is_team(self) -> bool:
        """The PSM team; a superuser acts as one of them."""
        return self.role == Role.TEAM or self.is_superuser

    @property
    def is_office_staff(self) -> bool:
        return self.role == Role.OFFICE

    @property
    def is_mayor(self) -> bool:
        return self.role == Role.MAYOR

    @property
    def is_council(self) -> bool:
        return self.role == Role.COUNCIL

    @property
    def is_secretary(self) -> bool:
        return self.role == Role.SECRETARY

    @property
    def is_stakeholder(self) -> bool:
        return self.role == Role.STAKEHOLDER

    @property
    def has_set_password(self) -> bool:
        return self.has_usable_password()
