"""``python -m cmdesk``: the command line (the desktop app when no command is given)."""

import multiprocessing
import sys

from cmdesk.cli import main

# The scoring worker (services/scoring.py) is a spawned process that imports this module again
# under another name: only the real start runs the app.
if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen (packaged) app starts its workers through here
    sys.exit(main())
