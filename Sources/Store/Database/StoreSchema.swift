import GRDB

/// The schema, as an ordered list of migrations. Never edit a shipped migration: add one.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: accounts, messages, read markers") { db in
            try db.execute(sql: """
                CREATE TABLE account (
                    id INTEGER PRIMARY KEY,
                    name_key TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    email TEXT,
                    password_hash BLOB NOT NULL,
                    password_salt BLOB NOT NULL,
                    scrypt_log2n INTEGER NOT NULL,
                    scrypt_r INTEGER NOT NULL,
                    scrypt_p INTEGER NOT NULL,
                    created_ms INTEGER NOT NULL
                );
                CREATE TABLE message (
                    id INTEGER PRIMARY KEY,
                    msgid TEXT NOT NULL UNIQUE,
                    time_ms INTEGER NOT NULL,
                    sender_source TEXT NOT NULL,
                    sender_nick TEXT NOT NULL,
                    sender_account TEXT,
                    sender_key TEXT NOT NULL,
                    target_kind TEXT NOT NULL CHECK (target_kind IN ('room', 'dm')),
                    target_key TEXT NOT NULL,
                    target_name TEXT NOT NULL,
                    party_a TEXT,
                    party_b TEXT,
                    command TEXT NOT NULL CHECK (command IN ('PRIVMSG', 'NOTICE')),
                    text TEXT NOT NULL,
                    tags TEXT NOT NULL DEFAULT ''
                );
                -- Every page query is a range scan of one conversation in (time, rowid) order.
                CREATE INDEX message_by_target_time ON message (target_key, time_ms);
                -- TARGETS finds a party's direct conversations from either side.
                CREATE INDEX message_by_party_a ON message (party_a, time_ms) WHERE party_a IS NOT NULL;
                CREATE INDEX message_by_party_b ON message (party_b, time_ms) WHERE party_b IS NOT NULL;
                -- Retention deletes the oldest rows first.
                CREATE INDEX message_by_time ON message (time_ms);
                CREATE TABLE read_marker (
                    account_key TEXT NOT NULL,
                    target_key TEXT NOT NULL,
                    time_ms INTEGER NOT NULL,
                    PRIMARY KEY (account_key, target_key)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2: covering indexes for TARGETS, no time index") { db in
            // (party, conversation, time) lets TARGETS group a party's DMs from the index alone,
            // instead of reading every message row in the range. Retention walks rowid order
            // instead of a time index, which saves a B-tree update on every insert.
            try db.execute(sql: """
                DROP INDEX message_by_time;
                DROP INDEX message_by_party_a;
                DROP INDEX message_by_party_b;
                CREATE INDEX message_by_party_a ON message (party_a, target_key, time_ms) WHERE party_a IS NOT NULL;
                CREATE INDEX message_by_party_b ON message (party_b, target_key, time_ms) WHERE party_b IS NOT NULL;
                """)
        }
        migrator.registerMigration("v3: direct conversations listed once, no party indexes") { db in
            // TARGETS needs a party's direct conversations. Two partial indexes over every
            // message cost each insert two B-tree updates; a row per party and conversation is
            // written once per conversation. The party_a and party_b columns stay for old rows
            // but are no longer written.
            try db.execute(sql: """
                CREATE TABLE direct_party (
                    party_key TEXT NOT NULL,
                    target_key TEXT NOT NULL,
                    PRIMARY KEY (party_key, target_key)
                ) WITHOUT ROWID;
                INSERT OR IGNORE INTO direct_party (party_key, target_key)
                    SELECT DISTINCT party_a, target_key FROM message WHERE party_a IS NOT NULL;
                INSERT OR IGNORE INTO direct_party (party_key, target_key)
                    SELECT DISTINCT party_b, target_key FROM message WHERE party_b IS NOT NULL;
                DROP INDEX message_by_party_a;
                DROP INDEX message_by_party_b;
                """)
        }
        migrator.registerMigration("v4: messages stored in chunks") { db in
            // One row per conversation and group commit instead of one row and two index entries
            // per message: see ChunkFormat and ChunkWriter. The id of a chunk is the sequence of
            // its last message. Msgids in chat-server's rising form are found through a run's
            // counter range (msgid_prefix, range_first, range_last); every other msgid has a row
            // in chunk_msgid with its message's sequence and time. msgid_counter keeps the highest counter ever stored per prefix.
            try db.execute(sql: """
                CREATE TABLE chunk (
                    id INTEGER PRIMARY KEY,
                    target_key TEXT NOT NULL,
                    min_ms INTEGER NOT NULL,
                    max_ms INTEGER NOT NULL,
                    message_count INTEGER NOT NULL,
                    msgid_prefix TEXT,
                    range_first INTEGER,
                    range_last INTEGER,
                    body BLOB NOT NULL
                );
                -- Pages walk a conversation's chunks in order of their newest time, either way.
                CREATE INDEX chunk_by_target_max ON chunk (target_key, max_ms);
                CREATE INDEX chunk_by_msgid_range ON chunk (msgid_prefix, range_first, target_key)
                    WHERE msgid_prefix IS NOT NULL;
                CREATE TABLE chunk_msgid (
                    msgid TEXT PRIMARY KEY,
                    sequence INTEGER NOT NULL,
                    time_ms INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE msgid_counter (
                    prefix TEXT PRIMARY KEY,
                    ceiling INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
            try ChunkMigration.moveMessages(db)
            try db.execute(sql: "DROP TABLE message")
        }
        return migrator
    }
}
