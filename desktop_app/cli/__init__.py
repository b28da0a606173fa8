"""The `haven` command: the window with no subcommand (through the launcher), headless subcommands
otherwise, one module each. It reaches the engine only through `desktop_app.engine.api`, imported
by the subcommand that needs it, so `haven --help` loads no model."""
