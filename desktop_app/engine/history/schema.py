"""The history's schema: its migrations, in order, and the pragmas every connection runs.

PRAGMA user_version is the number of migrations applied. A migration never rewrites what an earlier
one wrote, so a history from any earlier version opens, keeps every message, and gains the new
columns empty.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlcipher3

# SQLCipher turns secure_delete on for keyed databases already; it is said here as the history needs it.
# synchronous=FULL syncs the WAL at every commit, so a committed message survives even a power cut.
PRAGMAS = ("journal_mode = WAL", "synchronous = FULL", "secure_delete = ON", "foreign_keys = ON", "temp_store = MEMORY")

MIGRATIONS = (
    """
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        leaf_id INTEGER  -- the newest message of the active branch
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
        depth INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        text TEXT NOT NULL,
        time TEXT NOT NULL,
        intent TEXT,
        risk TEXT,
        scores TEXT,
        model TEXT
    );
    CREATE INDEX messages_by_conversation ON messages(conversation_id);
    CREATE INDEX messages_by_parent ON messages(parent_id);
    CREATE VIRTUAL TABLE messages_fts USING fts5(
        text, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    );
    -- deleted messages leave the index at once rather than at the next merge
    INSERT INTO messages_fts(messages_fts, rank) VALUES ('secure-delete', 1);
    CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    """,
    """
    -- what a clinician view and a crisis panel need: for a user message the policy's reasons (JSON:
    -- reasons, by_context, boundary); for a reply its action, why it is not the model's own, and the
    -- country of the crisis lines shown with it
    ALTER TABLE messages ADD COLUMN policy TEXT;
    ALTER TABLE messages ADD COLUMN action TEXT;
    ALTER TABLE messages ADD COLUMN note TEXT;
    ALTER TABLE messages ADD COLUMN lines TEXT;
    """,
    """
    -- the person's safety plan: one row per section, in their own words
    CREATE TABLE safety_plan (
        section TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def statements(script: str) -> Iterator[str]:
    """The statements of a migration script (triggers hold semicolons of their own)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlcipher3.complete_statement(statement):
            yield statement.strip()
            statement = ""
