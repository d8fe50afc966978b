"""``manage.py makemessages`` without fuzzy matching."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # No guessed ("fuzzy") translations: a new string stays untranslated until somebody translates it.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
