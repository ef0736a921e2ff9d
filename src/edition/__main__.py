"""`python -m edition …`: the same commands as the `edition` console script."""

import sys

from edition.cli import main

sys.exit(main())
