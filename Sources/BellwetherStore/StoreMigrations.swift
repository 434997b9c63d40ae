import GRDB

/// The schema's history. Each migration is frozen once released: the schema is written as SQL
/// string literals, never derived from Swift types, so renaming a property can never silently
/// change what an existing database means. Migrations only run forward; a change is a new entry.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: rollouts, events, agents") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2: observations") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3: evaluations") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4: exemplars") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5: deploy runs") { db in
            try db.execute(sql: deployRuns)
        }
        migrator.registerMigration("v6: notification outbox") { db in
            try db.execute(sql: notificationOutbox)
        }
        migrator.registerMigration("v7: fleet freeze") { db in
            try db.execute(sql: fleetFreeze)
        }
        return migrator
    }

    /// Every phase v1 knows, as persisted: frozen here rather than read from `RolloutPhase`.
    private static let phases = "'pending', 'progressing', 'halted', 'rolling-back', 'rolled-back', 'completed', 'aborted'"

    /// A step number (>= 0) is present exactly when the phase has one.
    private static func stepPresent(when phase: String, step: String) -> String {
        "CASE WHEN \(phase) IN ('progressing', 'halted') THEN \(step) IS NOT NULL AND \(step) >= 0 ELSE \(step) IS NULL END"
    }

    /// Phases are the persisted names of `RolloutPhase`. A step is present exactly when the
    /// phase has one, so a row can always be turned back into a `RolloutState`.
    /// Times are REAL seconds since 1970 (SQLite's `'unixepoch'` modifier reads them directly).
    /// `revision` counts a rollout's transitions; its events carry the revision they produced,
    /// unique per rollout, so the audit log can neither skip nor repeat a transition.
    private static let v1 = """
        CREATE TABLE rollout (
            id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            policy TEXT NOT NULL CHECK (json_valid(policy)),
            policySource TEXT NOT NULL,
            targetVersion TEXT NOT NULL CHECK (targetVersion <> ''),
            artifactURL TEXT,
            artifactSHA256 TEXT,
            stableVersion TEXT,
            dryRun INTEGER NOT NULL CHECK (dryRun IN (0, 1)),
            phase TEXT NOT NULL CHECK (phase IN (\(phases))),
            step INTEGER CHECK (\(stepPresent(when: "phase", step: "step"))),
            stateReason TEXT NOT NULL,
            createdAt REAL NOT NULL,
            updatedAt REAL NOT NULL,
            revision INTEGER NOT NULL CHECK (revision >= 0),
            CHECK ((artifactURL IS NULL) = (artifactSHA256 IS NULL))
        ) STRICT;
        CREATE INDEX rollout_on_phase ON rollout(phase);
        CREATE INDEX rollout_on_createdAt ON rollout(createdAt);

        CREATE TABLE rolloutEvent (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            rolloutID TEXT NOT NULL REFERENCES rollout(id) ON DELETE RESTRICT,
            revision INTEGER NOT NULL CHECK (revision >= 0),
            at REAL NOT NULL,
            kind TEXT NOT NULL,
            fromPhase TEXT CHECK (fromPhase IS NULL OR fromPhase IN (\(phases))),
            fromStep INTEGER CHECK (\(stepPresent(when: "fromPhase", step: "fromStep"))),
            toPhase TEXT NOT NULL CHECK (toPhase IN (\(phases))),
            toStep INTEGER CHECK (\(stepPresent(when: "toPhase", step: "toStep"))),
            actor TEXT NOT NULL,
            reason TEXT NOT NULL,
            detail TEXT CHECK (detail IS NULL OR json_valid(detail)),
            CHECK ((fromPhase IS NULL) = (revision = 0)),
            UNIQUE (rolloutID, revision)
        ) STRICT;
        CREATE INDEX rolloutEvent_on_rolloutID ON rolloutEvent(rolloutID, id);

        CREATE TABLE agent (
            id TEXT NOT NULL PRIMARY KEY,
            version TEXT NOT NULL,
            labels TEXT NOT NULL CHECK (json_valid(labels)),
            healthy INTEGER NOT NULL CHECK (healthy IN (0, 1)),
            firstSeen REAL NOT NULL,
            lastSeen REAL NOT NULL CHECK (lastSeen >= firstSeen),
            desiredVersion TEXT
        ) STRICT;
        CREATE INDEX agent_on_version ON agent(version);
        CREATE INDEX agent_on_lastSeen ON agent(lastSeen);
        """

    /// Telemetry the embedded metric source keeps: one row per agent report, its cumulative
    /// counters and histograms and delta span counts as JSON (the shape of `AgentObservation`),
    /// read back by time window for the agents of a rollout. Bounded by `pruneObservations`.
    private static let v2 = """
        CREATE TABLE observation (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            agent TEXT NOT NULL CHECK (agent <> ''),
            at REAL NOT NULL,
            version TEXT,
            data TEXT NOT NULL CHECK (json_valid(data))
        ) STRICT;
        CREATE INDEX observation_on_agent_at ON observation(agent, at);
        CREATE INDEX observation_on_at ON observation(at);
        """

    /// The controller's judgement at each analysis-interval boundary of a step: verdicts and the
    /// decision as JSON (`CheckVerdict`s, `StepDecision`), or the problem that kept it from judging.
    /// A step's window is identified by its start (a resumed step opens a new window), and each
    /// boundary of a window is recorded once: a controller restarted mid-step finds what it had
    /// already judged and does not write it again.
    private static let v3 = """
        CREATE TABLE evaluation (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            rolloutID TEXT NOT NULL REFERENCES rollout(id) ON DELETE RESTRICT,
            step INTEGER NOT NULL CHECK (step >= 0),
            windowStart REAL NOT NULL,
            boundary INTEGER NOT NULL CHECK (boundary >= 1),
            at REAL NOT NULL,
            verdicts TEXT NOT NULL CHECK (json_valid(verdicts)),
            decision TEXT CHECK (decision IS NULL OR json_valid(decision)),
            problem TEXT,
            CHECK (problem IS NULL OR decision IS NULL),
            UNIQUE (rolloutID, step, windowStart, boundary)
        ) STRICT;
        CREATE INDEX evaluation_on_rolloutID ON evaluation(rolloutID, id);
        """

    /// What the exec deploy driver did: one row per attempt of a deploy command for one agent,
    /// with its outcome and the tail of its output, kept beside the rollout's audit log (whose
    /// revisions are transitions only). `rolloutID` is NULL for an assignment outside a rollout.
    private static let deployRuns = """
        CREATE TABLE deployRun (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            rolloutID TEXT REFERENCES rollout(id) ON DELETE RESTRICT,
            agent TEXT NOT NULL CHECK (agent <> ''),
            version TEXT NOT NULL,
            attempt INTEGER NOT NULL CHECK (attempt >= 1),
            startedAt REAL NOT NULL,
            finishedAt REAL NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('exited', 'failed', 'timed-out', 'not-started')),
            exitCode INTEGER,
            output TEXT NOT NULL
        ) STRICT;
        CREATE INDEX deployRun_on_rolloutID ON deployRun(rolloutID, id);
        """

    /// Failing spans kept as evidence per rollout, cohort (the step's cohort name or `baseline`)
    /// and `spans` check: the agent it came from, and the span as JSON (`FailingSpanExemplar`:
    /// trace and span id, name, exception, attributes). Bounded per group by `recordTelemetry`,
    /// which keeps the first of each of a few agents and the latest few; kept with the rollout,
    /// as its evaluations are.
    private static let v4 = """
        CREATE TABLE exemplar (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            rolloutID TEXT NOT NULL REFERENCES rollout(id) ON DELETE RESTRICT,
            cohort TEXT NOT NULL CHECK (cohort <> ''),
            checkName TEXT NOT NULL CHECK (checkName <> ''),
            agent TEXT NOT NULL CHECK (agent <> ''),
            receivedAt REAL NOT NULL,
            span TEXT NOT NULL CHECK (json_valid(span))
        ) STRICT;
        CREATE INDEX exemplar_on_group ON exemplar(rolloutID, cohort, checkName, id);
        """

    /// The notification outbox. `notificationCursor` holds the last audit event already turned
    /// into deliveries; it moves in the same transaction as the `notification` rows it produced,
    /// so every acknowledged transition is notified at least once, even across a crash. It starts
    /// at the newest event when the table is created: an upgraded controller does not replay its
    /// history to every receiver. `target` indexes the rollout policy's `notify` list.
    private static let notificationOutbox = """
        CREATE TABLE notificationCursor (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            lastEventID INTEGER NOT NULL CHECK (lastEventID >= 0)
        ) STRICT;
        INSERT INTO notificationCursor (id, lastEventID) SELECT 1, COALESCE(MAX(id), 0) FROM rolloutEvent;

        CREATE TABLE notification (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            eventID INTEGER NOT NULL REFERENCES rolloutEvent(id) ON DELETE RESTRICT,
            target INTEGER NOT NULL CHECK (target >= 0),
            status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
            attempts INTEGER NOT NULL CHECK (attempts >= 0),
            nextAttemptAt REAL NOT NULL,
            lastError TEXT,
            UNIQUE (eventID, target)
        ) STRICT;
        CREATE INDEX notification_on_status_nextAttemptAt ON notification(status, nextAttemptAt);
        """

    /// At most one row: present while the fleet is frozen.
    private static let fleetFreeze = """
        CREATE TABLE fleetFreeze (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            reason TEXT NOT NULL CHECK (reason <> ''),
            actor TEXT NOT NULL,
            since REAL NOT NULL
        ) STRICT;
        """
}
