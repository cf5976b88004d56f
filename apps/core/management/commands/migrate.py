"""``migrate`` runs as the schema owner by default (settings.MIGRATION_DATABASE).

The application's own connection is a role that may not change the schema; Django's stock
command would default to it. This subclass only changes that default."""

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrateCommand


class Command(DjangoMigrateCommand):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(database=settings.MIGRATION_DATABASE)
