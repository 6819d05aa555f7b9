"""``python -m cli``: the same as the ``twin`` console script."""

from cli import main

main()
