"""`python -m quotetrail ...`, as the `quotetrail` script."""
import sys

from .cli import main

sys.exit(main())
