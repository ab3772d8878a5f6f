/// # SluiceClient
///
/// The Swift client for Sluice and any Kafka-compatible cluster: an `Admin` client, an idempotent
/// batching `Producer` and a manually assigned `Consumer`, all async/await.
///
/// ## Layers and threads
/// - `BrokerConnection` owns one TCP socket and one dedicated I/O thread (a `poll` loop over the
///   socket and a wake-up pipe). Requests are queued from any task, written in order and
///   pipelined; responses are matched by correlation id. Swift's cooperative pool never blocks:
///   callers suspend in `withCheckedThrowingContinuation` until the I/O thread resumes them.
/// - `Cluster` (an actor) bootstraps, negotiates versions with ApiVersions (the highest version both
///   sides speak), caches metadata and keeps one connection per broker.
/// - `Admin`, `Producer` and `Consumer` build requests with the generated codecs of `SluiceWire`.
///
/// ## Locks
/// Each `BrokerConnection` has one `Mutex` (its queues and waiters); `Delivery` has one. No code
/// holds two at once, and completion handlers always run after the lock is released. Everything
/// else is actor state (`Cluster`, `ProducerEngine`, `ConsumerEngine`).
///
/// ## Errors
/// Everything thrown is a `SluiceClientError`: a Kafka error code with a human message, or a
/// connection failure that names the broker (`host:port`) and the reason (errno text).
///
/// ## Must never
/// Depend on broker internals; block a Swift concurrency thread on a socket.
///
/// ## A producer
/// ```swift
/// import SluiceClient
///
/// let producer = try await Producer(bootstrap: ["127.0.0.1:9092"])
/// // Waits for the acknowledgement:
/// let meta = try await producer.send(topic: "orders", key: Array("customer-7".utf8), value: Array("{...}".utf8),
///                                    headers: [Header("source", "checkout")])
/// print("stored at \(meta.partition)/\(meta.offset)")
/// // Fire and forget (returns once buffered; waits only when the buffer is full):
/// for i in 0..<1_000 {
///     try await producer.send(topic: "orders", value: Array("event \(i)".utf8)) { result in
///         if case .failure(let error) = result { print("lost: \(error)") }
///     }
/// }
/// await producer.flush()
/// await producer.close()
/// ```
///
/// ## A group consumer
/// ```swift
/// import SluiceClient
///
/// var config = ConsumerConfig()
/// config.groupId = "billing"
/// let consumer = try await Consumer(bootstrap: ["127.0.0.1:9092"], config: config)
/// try await consumer.subscribe(["orders"], listener: RebalanceListener(
///     onRevoked: { _ in try? await consumer.commit() },
///     onAssigned: { partitions in print("now reading \(partitions)") }))
/// var handled = 0
/// for try await record in consumer.records {
///     print(record.topicPartition, record.offset, String(decoding: record.value ?? [], as: UTF8.self))
///     handled += 1
///     if handled % 100 == 0 { try await consumer.commit() }
/// }
/// await consumer.close()
/// ```
///
/// ## Secured clusters
/// ```swift
/// var connection = ConnectionConfig()
/// connection.tls = try TLSContext(clientTrusting: "ca.pem")
/// connection.sasl = SASLCredentials(mechanism: "SCRAM-SHA-512", username: "alice", password: "...")
/// var config = ProducerConfig()
/// config.connection = connection
/// ```
///
/// ## Also here
/// `RetryingConsumer` (retry-topic chain and dead letters), static group membership
/// (`groupInstanceId`), `commitAsync` and optional auto-commit, `Admin.resetGroupOffsets`.
///
/// ## Not yet
/// Transactions; cooperative-sticky assignment (eager range/round-robin only); more than one batch
/// in flight per partition (ordering under retries is kept by sending one at a time; `maxInFlight`
/// bounds requests per broker); gzip/snappy/zstd (only none and LZ4 are read and written);
/// leader-epoch truncation detection (OffsetForLeaderEpoch).
import SluiceIO
import SluiceWire

/// A Kafka error code (AK `Errors.java`) with its name and whether a retry can succeed.
public struct KafkaErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// The code on the wire.
    public var rawValue: Int16

    /// A code from its wire value.
    public init(_ rawValue: Int16) { self.rawValue = rawValue }

    /// UNKNOWN_SERVER_ERROR (-1).
    public static let unknownServerError = KafkaErrorCode(-1)
    /// OFFSET_OUT_OF_RANGE (1).
    public static let offsetOutOfRange = KafkaErrorCode(1)
    /// UNKNOWN_TOPIC_OR_PARTITION (3).
    public static let unknownTopicOrPartition = KafkaErrorCode(3)
    /// LEADER_NOT_AVAILABLE (5).
    public static let leaderNotAvailable = KafkaErrorCode(5)
    /// NOT_LEADER_OR_FOLLOWER (6).
    public static let notLeaderOrFollower = KafkaErrorCode(6)
    /// REQUEST_TIMED_OUT (7).
    public static let requestTimedOut = KafkaErrorCode(7)
    /// MESSAGE_TOO_LARGE (10).
    public static let messageTooLarge = KafkaErrorCode(10)
    /// NOT_COORDINATOR (16).
    public static let notCoordinator = KafkaErrorCode(16)
    /// UNSUPPORTED_VERSION (35).
    public static let unsupportedVersion = KafkaErrorCode(35)
    /// TOPIC_ALREADY_EXISTS (36).
    public static let topicAlreadyExists = KafkaErrorCode(36)
    /// NOT_CONTROLLER (41): the request must go to the controller named in Metadata.
    public static let notController = KafkaErrorCode(41)
    /// INVALID_PARTITIONS (37).
    public static let invalidPartitions = KafkaErrorCode(37)
    /// OUT_OF_ORDER_SEQUENCE_NUMBER (45).
    public static let outOfOrderSequenceNumber = KafkaErrorCode(45)
    /// DUPLICATE_SEQUENCE_NUMBER (46): the batch was already written; treated as success.
    public static let duplicateSequenceNumber = KafkaErrorCode(46)
    /// GROUP_ID_NOT_FOUND (69).
    public static let groupIdNotFound = KafkaErrorCode(69)

    private static let names: [Int16: String] = [
        -1: "UNKNOWN_SERVER_ERROR", 0: "NONE", 1: "OFFSET_OUT_OF_RANGE", 2: "CORRUPT_MESSAGE",
        3: "UNKNOWN_TOPIC_OR_PARTITION", 4: "INVALID_FETCH_SIZE", 5: "LEADER_NOT_AVAILABLE", 6: "NOT_LEADER_OR_FOLLOWER",
        7: "REQUEST_TIMED_OUT", 8: "BROKER_NOT_AVAILABLE", 9: "REPLICA_NOT_AVAILABLE", 10: "MESSAGE_TOO_LARGE",
        12: "OFFSET_METADATA_TOO_LARGE", 13: "NETWORK_EXCEPTION", 14: "COORDINATOR_LOAD_IN_PROGRESS",
        15: "COORDINATOR_NOT_AVAILABLE", 16: "NOT_COORDINATOR", 17: "INVALID_TOPIC_EXCEPTION", 18: "RECORD_LIST_TOO_LARGE",
        19: "NOT_ENOUGH_REPLICAS", 20: "NOT_ENOUGH_REPLICAS_AFTER_APPEND", 21: "INVALID_REQUIRED_ACKS",
        22: "ILLEGAL_GENERATION", 23: "INCONSISTENT_GROUP_PROTOCOL", 24: "INVALID_GROUP_ID", 25: "UNKNOWN_MEMBER_ID",
        26: "INVALID_SESSION_TIMEOUT", 27: "REBALANCE_IN_PROGRESS", 28: "INVALID_COMMIT_OFFSET_SIZE",
        29: "TOPIC_AUTHORIZATION_FAILED", 30: "GROUP_AUTHORIZATION_FAILED", 31: "CLUSTER_AUTHORIZATION_FAILED",
        32: "INVALID_TIMESTAMP", 35: "UNSUPPORTED_VERSION", 36: "TOPIC_ALREADY_EXISTS", 37: "INVALID_PARTITIONS",
        38: "INVALID_REPLICATION_FACTOR", 39: "INVALID_REPLICA_ASSIGNMENT", 40: "INVALID_CONFIG", 41: "NOT_CONTROLLER",
        42: "INVALID_REQUEST", 43: "UNSUPPORTED_FOR_MESSAGE_FORMAT", 44: "POLICY_VIOLATION",
        45: "OUT_OF_ORDER_SEQUENCE_NUMBER", 46: "DUPLICATE_SEQUENCE_NUMBER", 47: "INVALID_PRODUCER_EPOCH",
        56: "KAFKA_STORAGE_ERROR", 59: "UNKNOWN_PRODUCER_ID", 68: "NON_EMPTY_GROUP", 69: "GROUP_ID_NOT_FOUND",
        74: "FENCED_LEADER_EPOCH", 75: "UNKNOWN_LEADER_EPOCH", 76: "UNSUPPORTED_COMPRESSION_TYPE",
        78: "OFFSET_NOT_AVAILABLE", 85: "NO_REASSIGNMENT_IN_PROGRESS", 87: "INVALID_RECORD", 89: "THROTTLING_QUOTA_EXCEEDED", 100: "UNKNOWN_TOPIC_ID",
        104: "INCONSISTENT_CLUSTER_ID", 126: "DUPLICATE_VOTER", 127: "VOTER_NOT_FOUND",
    ]

    /// Kafka's name for the code, e.g. `NOT_LEADER_OR_FOLLOWER`.
    public var name: String { Self.names[rawValue] ?? "UNKNOWN_CODE_\(rawValue)" }

    /// Whether Kafka marks the error retriable (the same request may succeed later).
    public var isRetriable: Bool {
        [2, 3, 5, 6, 7, 8, 9, 13, 14, 15, 16, 19, 20, 41, 56, 74, 75, 78, 89].contains(rawValue)
    }

    /// Whether the client's metadata is probably stale (leader moved, topic not yet known).
    public var needsMetadataRefresh: Bool { [3, 5, 6, 41, 74, 75, 100].contains(rawValue) }

    /// `NAME (code)`.
    public var description: String { "\(name) (\(rawValue))" }
}

/// Every failure the client reports. Messages name the broker (`host:port`) and the reason.
public enum SluiceClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The broker answered with a Kafka error code; `message` says what was being done.
    case kafka(code: KafkaErrorCode, message: String)
    /// A TCP connection could not be opened: the broker and the system call's errno text.
    case connectionFailed(broker: String, reason: String)
    /// An open connection broke (peer closed it, reset, a write failed) or was closed by us.
    case connectionClosed(broker: String, reason: String)
    /// A request got no answer in time; the connection is closed, as Kafka clients do.
    case timedOut(broker: String, api: String, millis: Int)
    /// The broker sent bytes we cannot decode, or speaks no version of an API we need.
    case protocolError(broker: String, reason: String)
    /// No bootstrap broker could be reached; every attempt is listed.
    case noBrokerAvailable(attempts: [String])
    /// A configuration value or argument is invalid.
    case invalidArgument(String)
    /// SASL authentication was refused (a wrong password, an unknown user, a mechanism not offered).
    case authenticationFailed(broker: String, reason: String)
    /// The client was closed.
    case closed
    /// The waiting task was cancelled.
    case cancelled

    /// The Kafka error code, when the broker sent one.
    public var code: KafkaErrorCode? {
        if case .kafka(let code, _) = self { return code }
        return nil
    }

    /// Whether the operation may succeed if retried (retriable Kafka codes, broken connections, timeouts).
    public var isRetriable: Bool {
        switch self {
        case .kafka(let code, _): return code.isRetriable
        case .connectionFailed, .connectionClosed, .timedOut, .noBrokerAvailable: return true
        case .protocolError, .invalidArgument, .closed, .cancelled, .authenticationFailed: return false
        }
    }

    /// A message naming the broker and the reason.
    public var description: String {
        switch self {
        case let .kafka(code, message): return "\(code.name) (\(code.rawValue)): \(message)"
        case let .connectionFailed(broker, reason): return "cannot connect to broker \(broker): \(reason)"
        case let .connectionClosed(broker, reason): return "connection to broker \(broker) closed: \(reason)"
        case let .timedOut(broker, api, millis): return "\(api) request to broker \(broker) timed out after \(millis) ms"
        case let .protocolError(broker, reason): return "protocol error with broker \(broker): \(reason)"
        case let .noBrokerAvailable(attempts): return "no broker available: " + attempts.joined(separator: "; ")
        case let .invalidArgument(why): return "invalid argument: \(why)"
        case let .authenticationFailed(broker, reason): return "authentication with broker \(broker) failed: \(reason)"
        case .closed: return "the client is closed"
        case .cancelled: return "cancelled"
        }
    }

    /// Throws `.kafka` when `code` is not 0.
    static func check(_ code: Int16, _ message: @autoclosure () -> String, detail: String? = nil) throws(SluiceClientError) {
        guard code != 0 else { return }
        var text = message()
        if let detail, !detail.isEmpty { text += ": \(detail)" }
        throw .kafka(code: KafkaErrorCode(code), message: text)
    }
}

/// A topic and partition.
public struct TopicPartition: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// Topic name.
    public var topic: String
    /// Partition index.
    public var partition: Int32

    /// A topic-partition from its parts.
    public init(_ topic: String, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    /// `topic-partition`, as Kafka tools print it.
    public var description: String { "\(topic)-\(partition)" }

    /// Orders by topic, then partition.
    public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }
}

/// A record header: a UTF-8 key and a nullable value.
public struct Header: Hashable, Sendable {
    /// Header key.
    public var key: String
    /// Header value; nil is null on the wire.
    public var value: [UInt8]?

    /// A header from its parts.
    public init(_ key: String, _ value: [UInt8]?) {
        self.key = key
        self.value = value
    }

    /// A header with a UTF-8 string value.
    public init(_ key: String, _ value: String) {
        self.init(key, Array(value.utf8))
    }
}

/// Common connection settings of `Admin`, `Producer` and `Consumer`.
public struct ConnectionConfig: Sendable {
    /// Sent as the request header's client id.
    public var clientId: String = "sluice-swift"
    /// How long to wait for a TCP connection.
    public var connectTimeoutMillis: Int = 5_000
    /// How long to wait for any response before closing the connection.
    public var requestTimeoutMillis: Int = 30_000
    /// How long metadata stays fresh before it is refreshed.
    public var metadataMaxAgeMillis: Int = 300_000
    /// TLS to every broker (its certificate verified against the context's trusted authorities
    /// and the address connected to), or nil for clear text.
    public var tls: TLSContext?
    /// SASL authentication after connecting (SASL_PLAINTEXT, or SASL_SSL with `tls`).
    public var sasl: SASLCredentials?

    /// Defaults.
    public init() {}
}

/// A SASL user: the mechanism (SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN), the name and the password.
public struct SASLCredentials: Sendable {
    public var mechanism: String
    public var username: String
    public var password: String

    public init(mechanism: String, username: String, password: String) {
        self.mechanism = mechanism
        self.username = username
        self.password = password
    }
}

func parseHostPort(_ text: String) throws(SluiceClientError) -> (host: String, port: Int) {
    var host = Substring(text)
    var portText: Substring
    if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
        host = text[text.index(after: text.startIndex)..<close]
        portText = text[close...].dropFirst().drop { $0 == ":" }
    } else if let colon = text.lastIndex(of: ":") {
        host = text[..<colon]
        portText = text[text.index(after: colon)...]
    } else {
        portText = "9092"
    }
    guard let port = Int(portText), (1...65535).contains(port), !host.isEmpty else {
        throw .invalidArgument("bootstrap address '\(text)' is not host:port")
    }
    return (String(host), port)
}

extension Record {
    /// Converts public headers to the wire type.
    static func wireHeaders(_ headers: [Header]) -> [RecordHeader] {
        headers.map { RecordHeader(key: $0.key, value: $0.value) }
    }
}
