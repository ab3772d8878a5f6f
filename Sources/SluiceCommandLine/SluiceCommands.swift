/// The command tree of `sluice`: rpk's shape, Kafka's vocabulary. Help text and examples live here
/// with the options, so `-h` at every level and the parser can never disagree.
public enum SluiceCommands {
    static let json = OptionSpec.flag("json", help: "print JSON instead of a table (field names are stable: added to, never renamed)")

    /// `sluice` and everything below it.
    public static let root = CommandSpec(
        "sluice", summary: "the admin CLI for Sluice (and any Kafka-compatible cluster)",
        discussion: """
        Brokers come from --brokers, else $SLUICE_BROKERS, else \(ValueParsing.defaultBrokers).
        Read commands print tables, or one JSON document with --json (consume: one object per line).
        Errors go to stderr as `error: ...` with the fix. Exit status: 0 ok, 1 failed, 2 bad command line,
        3 cluster unhealthy (`cluster health --exit-code`).
        """,
        options: [
            .value("brokers", "b", "HOST:PORT,...", help: "brokers to bootstrap from (env SLUICE_BROKERS; default \(ValueParsing.defaultBrokers))"),
            .value("timeout-ms", nil, "MS", help: "how long to wait for a broker's answer (default 30000)"),
            .value("command-config", nil, "FILE", help: "TLS and SASL settings, Kafka client properties (env SLUICE_COMMAND_CONFIG)"),
        ],
        examples: [
            "sluice cluster info                          # brokers, controller, unhealthy partitions",
            "sluice topic create orders -p 6              # a topic with 6 partitions",
            "printf 'k1:hello\\n' | sluice produce orders -K:   # keyed records from stdin",
            "sluice consume orders -o beginning -e        # read everything, then exit",
            "sluice group describe billing                # lag per partition",
            "sluice partition decommission-broker 3 --dry-run   # what moving everything off broker 3 means",
        ],
        subcommands: [cluster, quorum, topic, partition, produce, consume, group, dlq, user, acl, quota, top])

    static let quota = CommandSpec(
        "quota", summary: "client quotas per user and/or client id: set, list",
        discussion: """
        Kafka's client quotas: producer_byte_rate and consumer_byte_rate (bytes per second) and
        request_percentage (of one broker thread). A client over its quota gets its answers held back.
        --user '' or --client-id '' names the default entity. A value of 'none' removes the quota.
        """,
        subcommands: [
            CommandSpec("set", summary: "set or remove an entity's quotas",
                        options: [
                            .value("user", nil, "NAME", help: "the user ('' for the default user)"),
                            .value("client-id", nil, "ID", help: "the client id ('' for the default client)"),
                            .value("producer-byte-rate", nil, "B/S|none", help: "produce bytes per second"),
                            .value("consumer-byte-rate", nil, "B/S|none", help: "fetch bytes per second"),
                            .value("request-percentage", nil, "PCT|none", help: "percent of one broker thread"),
                        ],
                        examples: ["sluice quota set --client-id reports --consumer-byte-rate 1048576",
                                   "sluice quota set --user alice --producer-byte-rate none"]),
            CommandSpec("list", summary: "every configured quota", options: [json], examples: ["sluice quota list"]),
        ])

    static let user = CommandSpec(
        "user", summary: "SASL/SCRAM users: create (or change a password), list, delete",
        discussion: """
        Credentials are SCRAM (RFC 5802): the password is salted and hashed here and only that travels
        (AlterUserScramCredentials); the cluster never sees or keeps the password. Needs Alter on the
        cluster (Describe to list) when the authorizer is on.
        """,
        subcommands: [
            CommandSpec("create", summary: "create a user, or set a new password for one",
                        options: [
                            .value("password", nil, "PASSWORD", help: "the password (else $SLUICE_PASSWORD)"),
                            .value("mechanism", nil, "SCRAM-SHA-512|SCRAM-SHA-256", help: "default SCRAM-SHA-512"),
                            .value("iterations", nil, "N", help: "PBKDF2 iterations, 4096 to 16384 (default 8192)"),
                        ],
                        positionals: [PositionalSpec("USER", help: "the user name")],
                        examples: ["SLUICE_PASSWORD=s3cret sluice user create alice --command-config admin.properties"]),
            CommandSpec("list", summary: "users and the mechanisms they have credentials for", options: [json],
                        examples: ["sluice user list"]),
            CommandSpec("delete", summary: "delete a user's credential",
                        options: [.value("mechanism", nil, "SCRAM-SHA-512|SCRAM-SHA-256", help: "default SCRAM-SHA-512")],
                        positionals: [PositionalSpec("USER", help: "the user name")],
                        examples: ["sluice user delete alice"]),
        ])

    static let aclOptions: [OptionSpec] = [
        .value("principal", nil, "User:NAME", help: "who (User:* for everyone)"),
        .value("operation", nil, "OP", help: "read, write, create, delete, alter, describe, describe-configs, alter-configs, idempotent-write, cluster-action or all"),
        .value("topic", nil, "NAME", help: "a topic (with --prefixed: every topic starting so; * for all)"),
        .value("group", nil, "NAME", help: "a consumer group"),
        .flag("cluster", help: "the cluster itself"),
        .flag("prefixed", help: "NAME is a prefix"),
        .value("host", nil, "ADDRESS", help: "from this client address only (default *)"),
        .flag("deny", help: "a DENY entry (default ALLOW)"),
    ]

    static let acl = CommandSpec(
        "acl", summary: "access control entries: create, list, delete (authorizer.class.name must be set on the brokers)",
        subcommands: [
            CommandSpec("create", summary: "add an entry", options: aclOptions,
                        examples: ["sluice acl create --principal User:alice --operation write --topic orders-- --prefixed"]),
            CommandSpec("list", summary: "every entry", options: [.value("principal", nil, "User:NAME", help: "only this principal's"), json],
                        examples: ["sluice acl list --principal User:alice"]),
            CommandSpec("delete", summary: "remove an entry (exactly as listed)", options: aclOptions,
                        examples: ["sluice acl delete --principal User:alice --operation write --topic orders-- --prefixed"]),
        ])

    static let top = CommandSpec(
        "top", summary: "a live view from every node's /metrics: rates, unhealthy partitions, busiest topics, largest lag",
        discussion: """
        Scrapes each node's admin listener (admin.listeners) every second and shows, per node, produce and
        fetch rates, partitions led, under-replicated and offline, and connections; then the busiest
        topics and the groups with the most lag. On a terminal it refreshes in place until `q`; otherwise
        (or with -n) it prints a view per second, N times (once without -n).
        """,
        options: [
            .value("metrics", "m", "HOST:PORT,...", help: "the nodes' admin listeners (env SLUICE_METRICS; default 127.0.0.1:9644)"),
            .value("count", "n", "N", help: "print N views, one a second, then exit"),
        ],
        examples: ["sluice top", "sluice top -m 127.0.0.1:9644,127.0.0.1:9645,127.0.0.1:9646", "sluice top -n 1 > snapshot.txt"])

    static let cluster = CommandSpec(
        "cluster", summary: "brokers, controller and partition health",
        subcommands: [
            CommandSpec("info", summary: "brokers, controller, and partitions without a leader or under-replicated",
                        discussion: """
                        A partition is under-replicated when it has fewer in-sync replicas than replicas; it is not on its \
                        preferred leader when a live broker other than its first replica leads it (an imbalance, not a fault).
                        """,
                        options: [json],
                        examples: ["sluice cluster info", "sluice cluster info --json | jq .controller"]),
            CommandSpec("health", summary: "whether every broker is up and every partition has a leader and all its replicas in sync",
                        options: [json, .flag("exit-code", help: "exit with status 3 when the cluster is unhealthy (for scripts)")],
                        examples: ["sluice cluster health", "sluice cluster health --exit-code && echo healthy"]),
        ])

    static let quorum = CommandSpec(
        "quorum", summary: "the controller quorum: describe it, add or remove voters",
        discussion: """
        The controller quorum keeps the cluster's metadata; a majority of its voters must be up for topics, \
        configs or brokers to change. Every other broker follows its log as an observer. To grow a cluster \
        of one to three: give node 1 a CONTROLLER listener and controller.quorum.voters=1@HOST:PORT, start \
        nodes 2 and 3 with that same voters line and node 1's cluster.id (`sluice cluster info` prints it), \
        then add them one at a time. Needs Alter on the cluster (Describe to describe) when the authorizer is on.
        """,
        subcommands: [
            CommandSpec("describe", summary: "the leader, the voters and the observers, with how far each has the log",
                        options: [json], examples: ["sluice quorum describe"]),
            CommandSpec("add-voter", summary: "make a broker that follows the quorum's log a voter",
                        options: [.value("wait-timeout-ms", nil, "MS", help: "how long the node may take to catch up (default 60000)")],
                        positionals: [PositionalSpec("NODE", help: "the node id")],
                        examples: ["sluice quorum add-voter 2 && sluice quorum add-voter 3"]),
            CommandSpec("remove-voter", summary: "take a voter out of the quorum (it stays a broker and an observer)",
                        positionals: [PositionalSpec("NODE", help: "the node id")],
                        examples: ["sluice quorum remove-voter 3"]),
        ])

    static let topic = CommandSpec(
        "topic", summary: "create, list, describe, delete and configure topics",
        subcommands: [
            CommandSpec("create", summary: "create topics",
                        options: [
                            .value("partitions", "p", "N", help: "partitions per topic (default: the broker's num.partitions)"),
                            .value("replicas", "r", "N", help: "replication factor (default: the broker's default.replication.factor)"),
                            .value("config", "c", "KEY=VALUE", repeatable: true, help: "a topic config, e.g. retention.ms=86400000"),
                        ],
                        positionals: [PositionalSpec("TOPIC", help: "topic names", variadic: true)],
                        examples: ["sluice topic create orders -p 6 -r 3",
                                   "sluice topic create audit -c retention.ms=604800000 -c cleanup.policy=delete"]),
            CommandSpec("list", summary: "list topics with their partition and replica counts",
                        options: [.flag("internal", "i", help: "include internal topics such as __consumer_offsets"), json],
                        examples: ["sluice topic list", "sluice topic list --json | jq -r '.[].name'"]),
            CommandSpec("describe", summary: "a topic's partitions (leader, replicas, ISR, offsets) and configs",
                        options: [json],
                        positionals: [PositionalSpec("TOPIC", help: "topic names", variadic: true)],
                        examples: ["sluice topic describe orders", "sluice topic describe orders --json"]),
            CommandSpec("delete", summary: "delete topics and all their records",
                        positionals: [PositionalSpec("TOPIC", help: "topic names", variadic: true)],
                        examples: ["sluice topic delete scratch"]),
            CommandSpec("alter-config", summary: "set or reset (delete) topic configs",
                        options: [
                            .value("set", "c", "KEY=VALUE", repeatable: true, help: "set a config"),
                            .value("delete", nil, "KEY", repeatable: true, help: "reset a config to the broker default"),
                        ],
                        positionals: [PositionalSpec("TOPIC", help: "the topic")],
                        examples: ["sluice topic alter-config orders -c retention.ms=3600000",
                                   "sluice topic alter-config orders --delete retention.ms"]),
            CommandSpec("add-partitions", summary: "add partitions to a topic (keyed records may then move partition)",
                        options: [.value("num", "n", "N", help: "how many partitions to add")],
                        positionals: [PositionalSpec("TOPIC", help: "the topic")],
                        examples: ["sluice topic add-partitions orders -n 3"]),
        ])

    static let waitTimeout = OptionSpec.value("wait-timeout-ms", nil, "MS",
                                              help: "with --wait: give up waiting after MS (default 600000)")

    static let partition = CommandSpec(
        "partition", summary: "move partition replicas between brokers; empty a broker before removing it",
        discussion: """
        Needs a cluster (brokers started with controller.quorum.voters): a broker running alone has
        nowhere to move replicas to. Moves go to the controller; each partition's leader then adds the new
        replicas, lets them catch up, and drops the old ones, while producers and consumers carry on.
        """,
        examples: [
            "sluice partition reassign orders:0 --replicas 4,2,3 --wait   # move one partition, wait for it",
            "sluice partition list-reassignments                          # moves under way",
            "sluice partition decommission-broker 3 --dry-run             # the plan for emptying broker 3",
        ],
        subcommands: [
            CommandSpec("reassign", summary: "move a partition to a new replica list, or cancel its move",
                        discussion: """
                        --replicas lists broker ids, the first being the preferred leader. The command returns once the
                        controller accepted the move; --wait waits until Metadata shows the new replicas.
                        """,
                        options: [
                            .value("replicas", nil, "ID,ID,...", help: "the new replica list (the first is the preferred leader)"),
                            .flag("cancel", help: "cancel the move under way instead (replicas already added are kept until it ends)"),
                            .flag("wait", help: "wait until the move is done"),
                            waitTimeout,
                        ],
                        positionals: [PositionalSpec("TOPIC[:PARTITION]", help: "the partitions to move (a bare topic: all of its partitions)", variadic: true)],
                        examples: [
                            "sluice partition reassign orders:0 --replicas 4,2,3            # replace broker 1 by broker 4",
                            "sluice partition reassign orders:0 orders:1 --replicas 2,3,4 --wait",
                            "sluice partition reassign orders __consumer_offsets --replicas 1,2,3 --wait   # every partition of both",
                            "sluice partition reassign --cancel orders:0",
                        ]),
            CommandSpec("list-reassignments", summary: "partition moves under way: replicas, and the brokers being added and removed",
                        options: [json],
                        examples: ["sluice partition list-reassignments", "sluice partition list-reassignments --json | jq length"]),
            CommandSpec("decommission-broker", summary: "move every replica off a broker (prints the plan, then applies it)",
                        discussion: """
                        Each replica on broker ID goes to the live broker holding the fewest replicas among those not
                        already replicas of the partition; the replica order is kept, except that a partition whose
                        preferred leader is ID gets its second replica first. Refused when some partition has no such
                        broker. With --wait, waits until no move is under way and no partition lists ID (progress on a
                        terminal); then the broker can be stopped.
                        """,
                        options: [
                            .flag("dry-run", help: "print the plan only; move nothing"),
                            .flag("wait", help: "wait until the broker holds no replica"),
                            waitTimeout,
                            json,
                        ],
                        positionals: [PositionalSpec("ID", help: "the broker's node id")],
                        examples: [
                            "sluice partition decommission-broker 3 --dry-run   # the plan: TOPIC PARTITION FROM TO",
                            "sluice partition decommission-broker 3 --wait      # apply it and wait until broker 3 is empty",
                        ]),
        ])

    static let produce = CommandSpec(
        "produce", summary: "produce one record per line of stdin or a file",
        discussion: """
        Each line is a record's value; with -K the text before the first delimiter is its key.
        Prints a summary per partition when done; on a terminal, progress while it runs.
        """,
        options: [
            .value("key", "k", "KEY", help: "the key of every record"),
            .value("key-delimiter", "K", "DELIM", help: "split each line into KEY DELIM VALUE (kcat's -K)"),
            .value("header", "H", "KEY=VALUE", repeatable: true, help: "a header on every record"),
            .value("partition", "p", "N", help: "send every record to this partition (default: by key hash)"),
            .value("acks", nil, "all|1|0", help: "acknowledgements to wait for (default all, idempotent)"),
            .value("compression", "z", "lz4|none", help: "batch compression (default lz4)"),
            .value("file", "F", "PATH", help: "read records from PATH instead of stdin"),
            .flag("quiet", "q", help: "print no summary"),
        ],
        positionals: [PositionalSpec("TOPIC", help: "the topic to produce to")],
        examples: [
            "printf 'hello\\nworld\\n' | sluice produce demo",
            "printf 'k1:hello\\nk2:world\\n' | sluice produce demo -K:      # keyed by the text before ':'",
            "sluice produce demo -k user-7 -H source=cli -H trace=abc < events.txt",
            "sluice produce demo --file events.txt --acks 1",
        ])

    static let consume = CommandSpec(
        "consume", summary: "print records of a topic",
        discussion: """
        Offsets (-o): beginning, end, N (an offset), -N (the last N of each partition), @T (from time T),
        @T1:T2 (records stamped T1 <= t < T2, then exit). T is ms since the epoch, an ISO-8601 time
        (2024-05-01T12:00:00Z) or a duration back from now (-15m, -2h, -7d).
        Format (-f), as kcat's: %t topic, %p partition, %o offset, %T timestamp, %k key, %K key length,
        %s value, %S value length, %h headers, %% percent; \\n \\t \\r. Default: "%s\\n".
        --json prints one object per record per line: topic, partition, offset, timestamp, key, value, headers.
        With -g the consumer joins GROUP, starts at its committed offsets (-o beginning|end applies only
        where it has none) and commits what it printed.
        """,
        options: [
            .value("offset", "o", "SPEC", help: "where to start (default end; see above)"),
            .value("count", "n", "N", help: "exit after N records"),
            .flag("exit", "e", help: "exit at the end of every partition (the end when consuming started)"),
            .value("group", "g", "GROUP", help: "consume as a member of GROUP and commit offsets"),
            .value("partition", "p", "N", repeatable: true, help: "only this partition"),
            .value("format", "f", "FORMAT", help: "how to print each record (see above)"),
            .flag("json", help: "print each record as one JSON object per line"),
        ],
        positionals: [PositionalSpec("TOPIC", help: "the topic to consume")],
        examples: [
            "sluice consume demo -o beginning -e                       # everything, then exit",
            "sluice consume demo -o -10 -e -f '%p/%o %k=%s\\n'          # the last 10 of each partition",
            "sluice consume demo -o @-1h -e --json                      # the last hour as JSON lines",
            "sluice consume demo -o @2024-05-01T00:00:00Z:2024-05-02T00:00:00Z   # one day",
            "sluice consume demo -g readers -n 100                      # 100 records as group 'readers'",
        ])

    static let group = CommandSpec(
        "group", summary: "consumer groups: list, lag, reset offsets, delete",
        subcommands: [
            CommandSpec("list", summary: "list consumer groups and their state", options: [json],
                        examples: ["sluice group list"]),
            CommandSpec("describe", summary: "committed offsets, log end offsets, lag and owner of every partition",
                        discussion: "Columns as kafka-consumer-groups.sh --describe prints them, then the group's state and total lag.",
                        options: [json],
                        positionals: [PositionalSpec("GROUP", help: "group ids", variadic: true)],
                        examples: ["sluice group describe billing", "sluice group describe billing --json | jq .totalLag"]),
            CommandSpec("reset-offsets", summary: "move a group's committed offsets (prints the plan; --execute applies it)",
                        discussion: """
                        Choose partitions with --topic (repeatable) or --all-topics (every topic the group has offsets for),
                        and one of --to-earliest, --to-latest, --to-offset, --to-datetime, --shift-by. Offsets are clamped
                        to each partition's range. Refused while the group has members: stop its consumers first.
                        """,
                        options: [
                            .value("topic", "t", "TOPIC[:P,P-Q]", repeatable: true, help: "a topic, optionally some partitions"),
                            .flag("all-topics", help: "every topic the group has committed offsets for"),
                            .flag("to-earliest", help: "to the log start"),
                            .flag("to-latest", help: "to the log end (skip everything)"),
                            .value("to-offset", nil, "N", help: "to offset N"),
                            .value("to-datetime", nil, "TIME", help: "to the first record at or after TIME (ISO-8601, ms, or -15m)"),
                            .value("shift-by", nil, "±N", help: "move by N (negative: re-read N records)"),
                            .flag("execute", help: "apply the plan (without it nothing changes)"),
                            json,
                        ],
                        positionals: [PositionalSpec("GROUP", help: "the group id")],
                        examples: [
                            "sluice group reset-offsets billing --topic orders --to-earliest            # show the plan",
                            "sluice group reset-offsets billing --topic orders:0,1 --shift-by -100 --execute",
                            "sluice group reset-offsets billing --all-topics --to-datetime 2024-05-01T00:00:00Z --execute",
                        ]),
            CommandSpec("delete", summary: "delete groups without members, with their committed offsets",
                        positionals: [PositionalSpec("GROUP", help: "group ids", variadic: true)],
                        examples: ["sluice group delete old-readers"]),
        ])

    static let dlq = CommandSpec(
        "dlq", summary: "dead-letter topics (TOPIC.dlq, written by the client's RetryingConsumer)",
        subcommands: [
            CommandSpec("list", summary: "dead-letter topics and their record counts; with a topic, its dead letters",
                        options: [.flag("json", help: "print JSON (with a topic: one object per dead letter per line)")],
                        positionals: [PositionalSpec("TOPIC.dlq", help: "list the dead letters of this topic", optional: true)],
                        examples: ["sluice dlq list", "sluice dlq list orders.dlq"]),
            CommandSpec("redrive", summary: "re-publish dead letters to the topic they came from",
                        discussion: """
                        Reads the dead-letter topic up to its current end and produces each record (key, value, headers
                        without the retry bookkeeping) to its original topic (the sluice.original.topic header), or --to.
                        Progress is committed in group sluice-redrive, so a second run redrives only new dead letters.
                        Filters: FIELD=TEXT, FIELD~TEXT (contains), FIELD!=TEXT; fields: key, value, error,
                        original-topic, partition, header.NAME. Records that do not match are skipped, and the next
                        redrive starts after them too (--from-beginning reads everything again).
                        """,
                        options: [
                            .value("to", nil, "TOPIC", help: "produce to TOPIC instead of the original topic"),
                            .value("filter", nil, "FILTER", repeatable: true, help: "redrive only matching records"),
                            .flag("from-beginning", help: "start at the log start, not where the last redrive stopped"),
                            .flag("dry-run", help: "count what would be redriven; produce and commit nothing"),
                        ],
                        positionals: [PositionalSpec("TOPIC.dlq", help: "the dead-letter topic")],
                        examples: [
                            "sluice dlq redrive orders.dlq",
                            "sluice dlq redrive orders.dlq --filter 'error~timeout' --dry-run",
                            "sluice dlq redrive orders.dlq --to orders-replay",
                        ]),
        ])
}
