import sys

from humdial.cli import main

sys.exit(main())
