"""`python -m quotetrail.cli ...`, as the `quotetrail` script."""
import sys

from . import main

sys.exit(main())
