#!/usr/bin/env python
import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["embedded"]:
        # Handled before Django: the settings start the embedded servers on import (when no
        # DATABASE_URL / REDIS_URL is set), and `embedded status` must only report.
        from siaks import embedded

        sys.exit(embedded.main(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaks.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
