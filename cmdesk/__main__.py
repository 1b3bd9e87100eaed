"""``python -m cmdesk``: the command line (the desktop app when no command is given)."""

import sys

from cmdesk.cli import main

sys.exit(main())
