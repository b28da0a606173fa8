"""The desktop build's entry point: the same launcher as the `haven` command."""

from desktop_app.__main__ import main

raise SystemExit(main())
