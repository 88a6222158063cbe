"""``python -m tuiheat``: the same as the ``tuiheat`` command."""

import sys

from tuiheat.cli import main

sys.exit(main())
