"""HavenError: the one base of every error the engine reports to a person.

Its message is one line a person can act on ("wrong passphrase", "the history is in use by another
instance of Haven"), and it never quotes message text: a window or the command line may show `str(error)`
of any HavenError as it is, and only the type name of anything else.
"""

from __future__ import annotations


class HavenError(Exception):
    """Something Haven cannot do, said in one user-ready line without message text."""
