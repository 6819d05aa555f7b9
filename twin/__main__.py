"""``python -m twin``: the same as the ``twin`` console script."""

from twin.cli import main

main()
