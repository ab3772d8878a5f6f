// generated from proto/ — do not edit

/// A message the generated codecs read and write.
public protocol WireMessage: Sendable {
    /// Decodes the message as laid out in `version`.
    init(from reader: inout ByteReader, version: Int16) throws(WireError)
    /// Encodes the message as laid out in `version`.
    func encode(into writer: inout ByteWriter, version: Int16)
}

/// A request or response body of one API.
public protocol ApiMessage: WireMessage {
    /// The API the message belongs to.
    static var apiKey: ApiKey { get }
    /// Versions the codec reads and writes.
    static var validVersions: ClosedRange<Int16> { get }
}

/// The APIs that have a schema in proto/kafka.
public enum ApiKey: Int16, Sendable, CaseIterable, CustomStringConvertible {
    /// Appends record batches to partitions; with acks=0 the broker sends no response at all.
    case produce = 0
    /// Reads record batches from partitions, waiting up to maxWaitMs for minBytes to accumulate.
    case fetch = 1
    /// Finds the earliest, latest, or first-at-timestamp offset of partitions.
    case listOffsets = 2
    /// Lists brokers, the controller and, for the requested topics, partitions with their leaders and replicas.
    case metadata = 3
    /// Stores consumed positions for a group.
    case offsetCommit = 8
    /// Reads committed positions for a group; batched by group from v8.
    case offsetFetch = 9
    /// Locates the broker coordinating a consumer group or transaction; batched from v4.
    case findCoordinator = 10
    /// Joins a classic consumer group and waits for the rebalance to finish.
    case joinGroup = 11
    /// Keeps a group member alive; the answer tells it when to rejoin.
    case heartbeat = 12
    /// Removes members from a group; batched by member from v3.
    case leaveGroup = 13
    /// Hands out (leader) or collects (everyone) the partition assignment of a generation.
    case syncGroup = 14
    /// Describes groups: state, protocol and members with their metadata and assignment.
    case describeGroups = 15
    /// Lists the groups a broker coordinates.
    case listGroups = 16
    /// Names the SASL mechanism a client will authenticate with; v1 wraps the exchange in SaslAuthenticate.
    case saslHandshake = 17
    /// Asks which API keys and version ranges the broker serves; the first request on every connection.
    case apiVersions = 18
    /// Creates topics with a partition count, replication factor or explicit assignment, and configs.
    case createTopics = 19
    /// Deletes topics by name (or by id from v6).
    case deleteTopics = 20
    /// Moves the log start offset of partitions forward, dropping the records before it.
    case deleteRecords = 21
    /// Allocates a producer id and epoch for an idempotent or transactional producer.
    case initProducerId = 22
    /// Returns where a leader epoch ended, so a consumer can detect log truncation.
    case offsetForLeaderEpoch = 23
    /// Lists the access control entries that match a filter.
    case describeAcls = 29
    /// Adds access control entries; v1 adds the resource pattern type.
    case createAcls = 30
    /// Removes the access control entries that match each filter.
    case deleteAcls = 31
    /// Returns the configuration entries of topics or brokers.
    case describeConfigs = 32
    /// Replaces a resource's whole set of configuration entries: keys not named go back to their defaults.
    case alterConfigs = 33
    /// One step of a SASL exchange: the client's message and the server's answer.
    case saslAuthenticate = 36
    /// Raises the partition count of existing topics.
    case createPartitions = 37
    /// Deletes empty groups and their committed offsets.
    case deleteGroups = 42
    /// Sets, deletes, appends to or subtracts from individual configuration entries.
    case incrementalAlterConfigs = 44
    /// Moves partition replicas to other brokers (or cancels a move); the controller answers.
    case alterPartitionReassignments = 45
    /// Lists replica moves still under way.
    case listPartitionReassignments = 46
    /// Deletes committed offsets of chosen partitions from a group.
    case offsetDelete = 47
    /// Lists client quotas (byte rates, request time) of the user and client-id entities a filter matches.
    case describeClientQuotas = 48
    /// Sets or removes client quotas of user and client-id entities.
    case alterClientQuotas = 49
    /// Lists which SCRAM mechanisms (and iteration counts) users have credentials for; never the credentials.
    case describeUserScramCredentials = 50
    /// Creates, replaces or deletes users' SCRAM credentials; the client sends the salted password, never the password.
    case alterUserScramCredentials = 51
    /// Describes the controller quorum: its leader, its voters and the nodes that follow it without a vote.
    case describeQuorum = 55
    /// Makes a node that follows the controller quorum one of its voters (KIP-853).
    case addRaftVoter = 80
    /// Takes a voter out of the controller quorum; it goes on following the log without a vote (KIP-853).
    case removeRaftVoter = 81

    /// Kafka's name for the API.
    public var name: String {
        switch self {
        case .produce: return "Produce"
        case .fetch: return "Fetch"
        case .listOffsets: return "ListOffsets"
        case .metadata: return "Metadata"
        case .offsetCommit: return "OffsetCommit"
        case .offsetFetch: return "OffsetFetch"
        case .findCoordinator: return "FindCoordinator"
        case .joinGroup: return "JoinGroup"
        case .heartbeat: return "Heartbeat"
        case .leaveGroup: return "LeaveGroup"
        case .syncGroup: return "SyncGroup"
        case .describeGroups: return "DescribeGroups"
        case .listGroups: return "ListGroups"
        case .saslHandshake: return "SaslHandshake"
        case .apiVersions: return "ApiVersions"
        case .createTopics: return "CreateTopics"
        case .deleteTopics: return "DeleteTopics"
        case .deleteRecords: return "DeleteRecords"
        case .initProducerId: return "InitProducerId"
        case .offsetForLeaderEpoch: return "OffsetForLeaderEpoch"
        case .describeAcls: return "DescribeAcls"
        case .createAcls: return "CreateAcls"
        case .deleteAcls: return "DeleteAcls"
        case .describeConfigs: return "DescribeConfigs"
        case .alterConfigs: return "AlterConfigs"
        case .saslAuthenticate: return "SaslAuthenticate"
        case .createPartitions: return "CreatePartitions"
        case .deleteGroups: return "DeleteGroups"
        case .incrementalAlterConfigs: return "IncrementalAlterConfigs"
        case .alterPartitionReassignments: return "AlterPartitionReassignments"
        case .listPartitionReassignments: return "ListPartitionReassignments"
        case .offsetDelete: return "OffsetDelete"
        case .describeClientQuotas: return "DescribeClientQuotas"
        case .alterClientQuotas: return "AlterClientQuotas"
        case .describeUserScramCredentials: return "DescribeUserScramCredentials"
        case .alterUserScramCredentials: return "AlterUserScramCredentials"
        case .describeQuorum: return "DescribeQuorum"
        case .addRaftVoter: return "AddRaftVoter"
        case .removeRaftVoter: return "RemoveRaftVoter"
        }
    }

    public var description: String { name }

    /// Versions the schema describes; the broker may advertise fewer.
    public var validVersions: ClosedRange<Int16> {
        switch self {
        case .produce: return 0...9
        case .fetch: return 0...12
        case .listOffsets: return 0...7
        case .metadata: return 0...12
        case .offsetCommit: return 0...8
        case .offsetFetch: return 0...8
        case .findCoordinator: return 0...4
        case .joinGroup: return 0...9
        case .heartbeat: return 0...4
        case .leaveGroup: return 0...5
        case .syncGroup: return 0...5
        case .describeGroups: return 0...5
        case .listGroups: return 0...4
        case .saslHandshake: return 0...1
        case .apiVersions: return 0...4
        case .createTopics: return 0...7
        case .deleteTopics: return 0...6
        case .deleteRecords: return 0...2
        case .initProducerId: return 0...4
        case .offsetForLeaderEpoch: return 0...4
        case .describeAcls: return 0...3
        case .createAcls: return 0...3
        case .deleteAcls: return 0...3
        case .describeConfigs: return 0...4
        case .alterConfigs: return 0...1
        case .saslAuthenticate: return 0...2
        case .createPartitions: return 0...3
        case .deleteGroups: return 0...2
        case .incrementalAlterConfigs: return 0...1
        case .alterPartitionReassignments: return 0...0
        case .listPartitionReassignments: return 0...0
        case .offsetDelete: return 0...0
        case .describeClientQuotas: return 0...1
        case .alterClientQuotas: return 0...1
        case .describeUserScramCredentials: return 0...0
        case .alterUserScramCredentials: return 0...0
        case .describeQuorum: return 0...1
        case .addRaftVoter: return 0...1
        case .removeRaftVoter: return 0...0
        }
    }

    /// The first flexible version (compact lengths, tagged fields, header v2 / v1); nil when none is.
    public var firstFlexibleVersion: Int16? {
        switch self {
        case .produce: return 9
        case .fetch: return 12
        case .listOffsets: return 6
        case .metadata: return 9
        case .offsetCommit: return 8
        case .offsetFetch: return 6
        case .findCoordinator: return 3
        case .joinGroup: return 6
        case .heartbeat: return 4
        case .leaveGroup: return 4
        case .syncGroup: return 4
        case .describeGroups: return 5
        case .listGroups: return 3
        case .saslHandshake: return nil
        case .apiVersions: return 3
        case .createTopics: return 5
        case .deleteTopics: return 4
        case .deleteRecords: return 2
        case .initProducerId: return 2
        case .offsetForLeaderEpoch: return 4
        case .describeAcls: return 2
        case .createAcls: return 2
        case .deleteAcls: return 2
        case .describeConfigs: return 4
        case .alterConfigs: return nil
        case .saslAuthenticate: return 2
        case .createPartitions: return 2
        case .deleteGroups: return 2
        case .incrementalAlterConfigs: return 1
        case .alterPartitionReassignments: return 0
        case .listPartitionReassignments: return 0
        case .offsetDelete: return nil
        case .describeClientQuotas: return 1
        case .alterClientQuotas: return 1
        case .describeUserScramCredentials: return 0
        case .alterUserScramCredentials: return 0
        case .describeQuorum: return 0
        case .addRaftVoter: return 0
        case .removeRaftVoter: return 0
        }
    }

    /// Whether `version` is flexible. Flexibility never ends once it starts, so versions above
    /// `validVersions` count as flexible too (a newer client's header is still read right).
    public func isFlexible(_ version: Int16) -> Bool {
        guard let first = firstFlexibleVersion else { return false }
        return version >= first
    }

    /// Every API with its valid and flexible versions, in key order.
    public static let versionTable: [ApiVersionInfo] = allCases.map {
        ApiVersionInfo(apiKey: $0, validVersions: $0.validVersions, firstFlexibleVersion: $0.firstFlexibleVersion)
    }
}

/// One row of `ApiKey.versionTable`.
public struct ApiVersionInfo: Sendable, Equatable {
    /// The API.
    public var apiKey: ApiKey
    /// Versions the schema describes.
    public var validVersions: ClosedRange<Int16>
    /// First flexible version, nil when none is.
    public var firstFlexibleVersion: Int16?

    /// A row of the table.
    public init(apiKey: ApiKey, validVersions: ClosedRange<Int16>, firstFlexibleVersion: Int16?) {
        self.apiKey = apiKey
        self.validVersions = validVersions
        self.firstFlexibleVersion = firstFlexibleVersion
    }
}

/// The request header version for a request: 2 when the request version is flexible, else 1.
public func requestHeaderVersion(apiKey: ApiKey, version: Int16) -> Int16 {
    apiKey.isFlexible(version) ? 2 : 1
}

/// As above for a raw key; nil when the key has no schema here.
public func requestHeaderVersion(apiKey: Int16, version: Int16) -> Int16? {
    ApiKey(rawValue: apiKey).map { requestHeaderVersion(apiKey: $0, version: version) }
}

/// The response header version: 1 when the version is flexible, else 0; ApiVersions always
/// answers with header v0, even in its flexible versions, so a client can read the answer
/// before it knows which versions the broker speaks.
public func responseHeaderVersion(apiKey: ApiKey, version: Int16) -> Int16 {
    if apiKey == .apiVersions { return 0 }
    return apiKey.isFlexible(version) ? 1 : 0
}

/// As above for a raw key; nil when the key has no schema here.
public func responseHeaderVersion(apiKey: Int16, version: Int16) -> Int16? {
    ApiKey(rawValue: apiKey).map { responseHeaderVersion(apiKey: $0, version: version) }
}

extension RequestHeader {
    /// Reads a request header without knowing its version: peeks at the API key and version,
    /// picks header v2 for flexible versions and v1 otherwise (also for keys without a schema,
    /// so the caller can still answer or close), then decodes. The client id keeps its int16
    /// length in v2; the tagged-field section follows it.
    public init(from reader: inout ByteReader) throws(WireError) {
        var peek = reader
        let key = try peek.readInt16("RequestHeader.apiKey")
        let version = try peek.readInt16("RequestHeader.apiVersion")
        try self.init(from: &reader, version: requestHeaderVersion(apiKey: key, version: version) ?? 1)
    }
}

/// Any request body with a schema, tagged by API.
public enum KafkaRequest: Sendable, Equatable {
    case produce(ProduceRequest)
    case fetch(FetchRequest)
    case listOffsets(ListOffsetsRequest)
    case metadata(MetadataRequest)
    case offsetCommit(OffsetCommitRequest)
    case offsetFetch(OffsetFetchRequest)
    case findCoordinator(FindCoordinatorRequest)
    case joinGroup(JoinGroupRequest)
    case heartbeat(HeartbeatRequest)
    case leaveGroup(LeaveGroupRequest)
    case syncGroup(SyncGroupRequest)
    case describeGroups(DescribeGroupsRequest)
    case listGroups(ListGroupsRequest)
    case saslHandshake(SaslHandshakeRequest)
    case apiVersions(ApiVersionsRequest)
    case createTopics(CreateTopicsRequest)
    case deleteTopics(DeleteTopicsRequest)
    case deleteRecords(DeleteRecordsRequest)
    case initProducerId(InitProducerIdRequest)
    case offsetForLeaderEpoch(OffsetForLeaderEpochRequest)
    case describeAcls(DescribeAclsRequest)
    case createAcls(CreateAclsRequest)
    case deleteAcls(DeleteAclsRequest)
    case describeConfigs(DescribeConfigsRequest)
    case alterConfigs(AlterConfigsRequest)
    case saslAuthenticate(SaslAuthenticateRequest)
    case createPartitions(CreatePartitionsRequest)
    case deleteGroups(DeleteGroupsRequest)
    case incrementalAlterConfigs(IncrementalAlterConfigsRequest)
    case alterPartitionReassignments(AlterPartitionReassignmentsRequest)
    case listPartitionReassignments(ListPartitionReassignmentsRequest)
    case offsetDelete(OffsetDeleteRequest)
    case describeClientQuotas(DescribeClientQuotasRequest)
    case alterClientQuotas(AlterClientQuotasRequest)
    case describeUserScramCredentials(DescribeUserScramCredentialsRequest)
    case alterUserScramCredentials(AlterUserScramCredentialsRequest)
    case describeQuorum(DescribeQuorumRequest)
    case addRaftVoter(AddRaftVoterRequest)
    case removeRaftVoter(RemoveRaftVoterRequest)

    /// The API of the body.
    public var apiKey: ApiKey {
        switch self {
        case .produce: return .produce
        case .fetch: return .fetch
        case .listOffsets: return .listOffsets
        case .metadata: return .metadata
        case .offsetCommit: return .offsetCommit
        case .offsetFetch: return .offsetFetch
        case .findCoordinator: return .findCoordinator
        case .joinGroup: return .joinGroup
        case .heartbeat: return .heartbeat
        case .leaveGroup: return .leaveGroup
        case .syncGroup: return .syncGroup
        case .describeGroups: return .describeGroups
        case .listGroups: return .listGroups
        case .saslHandshake: return .saslHandshake
        case .apiVersions: return .apiVersions
        case .createTopics: return .createTopics
        case .deleteTopics: return .deleteTopics
        case .deleteRecords: return .deleteRecords
        case .initProducerId: return .initProducerId
        case .offsetForLeaderEpoch: return .offsetForLeaderEpoch
        case .describeAcls: return .describeAcls
        case .createAcls: return .createAcls
        case .deleteAcls: return .deleteAcls
        case .describeConfigs: return .describeConfigs
        case .alterConfigs: return .alterConfigs
        case .saslAuthenticate: return .saslAuthenticate
        case .createPartitions: return .createPartitions
        case .deleteGroups: return .deleteGroups
        case .incrementalAlterConfigs: return .incrementalAlterConfigs
        case .alterPartitionReassignments: return .alterPartitionReassignments
        case .listPartitionReassignments: return .listPartitionReassignments
        case .offsetDelete: return .offsetDelete
        case .describeClientQuotas: return .describeClientQuotas
        case .alterClientQuotas: return .alterClientQuotas
        case .describeUserScramCredentials: return .describeUserScramCredentials
        case .alterUserScramCredentials: return .alterUserScramCredentials
        case .describeQuorum: return .describeQuorum
        case .addRaftVoter: return .addRaftVoter
        case .removeRaftVoter: return .removeRaftVoter
        }
    }

    /// Decodes the body of `apiKey` at `version`; a version outside the schema's range throws.
    public init(apiKey: ApiKey, version: Int16, from reader: inout ByteReader) throws(WireError) {
        guard apiKey.validVersions.contains(version) else {
            throw .inconsistent("\(apiKey.name) request v\(version) is outside versions \(apiKey.validVersions)")
        }
        switch apiKey {
        case .produce: self = .produce(try ProduceRequest(from: &reader, version: version))
        case .fetch: self = .fetch(try FetchRequest(from: &reader, version: version))
        case .listOffsets: self = .listOffsets(try ListOffsetsRequest(from: &reader, version: version))
        case .metadata: self = .metadata(try MetadataRequest(from: &reader, version: version))
        case .offsetCommit: self = .offsetCommit(try OffsetCommitRequest(from: &reader, version: version))
        case .offsetFetch: self = .offsetFetch(try OffsetFetchRequest(from: &reader, version: version))
        case .findCoordinator: self = .findCoordinator(try FindCoordinatorRequest(from: &reader, version: version))
        case .joinGroup: self = .joinGroup(try JoinGroupRequest(from: &reader, version: version))
        case .heartbeat: self = .heartbeat(try HeartbeatRequest(from: &reader, version: version))
        case .leaveGroup: self = .leaveGroup(try LeaveGroupRequest(from: &reader, version: version))
        case .syncGroup: self = .syncGroup(try SyncGroupRequest(from: &reader, version: version))
        case .describeGroups: self = .describeGroups(try DescribeGroupsRequest(from: &reader, version: version))
        case .listGroups: self = .listGroups(try ListGroupsRequest(from: &reader, version: version))
        case .saslHandshake: self = .saslHandshake(try SaslHandshakeRequest(from: &reader, version: version))
        case .apiVersions: self = .apiVersions(try ApiVersionsRequest(from: &reader, version: version))
        case .createTopics: self = .createTopics(try CreateTopicsRequest(from: &reader, version: version))
        case .deleteTopics: self = .deleteTopics(try DeleteTopicsRequest(from: &reader, version: version))
        case .deleteRecords: self = .deleteRecords(try DeleteRecordsRequest(from: &reader, version: version))
        case .initProducerId: self = .initProducerId(try InitProducerIdRequest(from: &reader, version: version))
        case .offsetForLeaderEpoch: self = .offsetForLeaderEpoch(try OffsetForLeaderEpochRequest(from: &reader, version: version))
        case .describeAcls: self = .describeAcls(try DescribeAclsRequest(from: &reader, version: version))
        case .createAcls: self = .createAcls(try CreateAclsRequest(from: &reader, version: version))
        case .deleteAcls: self = .deleteAcls(try DeleteAclsRequest(from: &reader, version: version))
        case .describeConfigs: self = .describeConfigs(try DescribeConfigsRequest(from: &reader, version: version))
        case .alterConfigs: self = .alterConfigs(try AlterConfigsRequest(from: &reader, version: version))
        case .saslAuthenticate: self = .saslAuthenticate(try SaslAuthenticateRequest(from: &reader, version: version))
        case .createPartitions: self = .createPartitions(try CreatePartitionsRequest(from: &reader, version: version))
        case .deleteGroups: self = .deleteGroups(try DeleteGroupsRequest(from: &reader, version: version))
        case .incrementalAlterConfigs: self = .incrementalAlterConfigs(try IncrementalAlterConfigsRequest(from: &reader, version: version))
        case .alterPartitionReassignments: self = .alterPartitionReassignments(try AlterPartitionReassignmentsRequest(from: &reader, version: version))
        case .listPartitionReassignments: self = .listPartitionReassignments(try ListPartitionReassignmentsRequest(from: &reader, version: version))
        case .offsetDelete: self = .offsetDelete(try OffsetDeleteRequest(from: &reader, version: version))
        case .describeClientQuotas: self = .describeClientQuotas(try DescribeClientQuotasRequest(from: &reader, version: version))
        case .alterClientQuotas: self = .alterClientQuotas(try AlterClientQuotasRequest(from: &reader, version: version))
        case .describeUserScramCredentials: self = .describeUserScramCredentials(try DescribeUserScramCredentialsRequest(from: &reader, version: version))
        case .alterUserScramCredentials: self = .alterUserScramCredentials(try AlterUserScramCredentialsRequest(from: &reader, version: version))
        case .describeQuorum: self = .describeQuorum(try DescribeQuorumRequest(from: &reader, version: version))
        case .addRaftVoter: self = .addRaftVoter(try AddRaftVoterRequest(from: &reader, version: version))
        case .removeRaftVoter: self = .removeRaftVoter(try RemoveRaftVoterRequest(from: &reader, version: version))
        }
    }

    /// Encodes the body for `version`.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        switch self {
        case .produce(let body): body.encode(into: &writer, version: version)
        case .fetch(let body): body.encode(into: &writer, version: version)
        case .listOffsets(let body): body.encode(into: &writer, version: version)
        case .metadata(let body): body.encode(into: &writer, version: version)
        case .offsetCommit(let body): body.encode(into: &writer, version: version)
        case .offsetFetch(let body): body.encode(into: &writer, version: version)
        case .findCoordinator(let body): body.encode(into: &writer, version: version)
        case .joinGroup(let body): body.encode(into: &writer, version: version)
        case .heartbeat(let body): body.encode(into: &writer, version: version)
        case .leaveGroup(let body): body.encode(into: &writer, version: version)
        case .syncGroup(let body): body.encode(into: &writer, version: version)
        case .describeGroups(let body): body.encode(into: &writer, version: version)
        case .listGroups(let body): body.encode(into: &writer, version: version)
        case .saslHandshake(let body): body.encode(into: &writer, version: version)
        case .apiVersions(let body): body.encode(into: &writer, version: version)
        case .createTopics(let body): body.encode(into: &writer, version: version)
        case .deleteTopics(let body): body.encode(into: &writer, version: version)
        case .deleteRecords(let body): body.encode(into: &writer, version: version)
        case .initProducerId(let body): body.encode(into: &writer, version: version)
        case .offsetForLeaderEpoch(let body): body.encode(into: &writer, version: version)
        case .describeAcls(let body): body.encode(into: &writer, version: version)
        case .createAcls(let body): body.encode(into: &writer, version: version)
        case .deleteAcls(let body): body.encode(into: &writer, version: version)
        case .describeConfigs(let body): body.encode(into: &writer, version: version)
        case .alterConfigs(let body): body.encode(into: &writer, version: version)
        case .saslAuthenticate(let body): body.encode(into: &writer, version: version)
        case .createPartitions(let body): body.encode(into: &writer, version: version)
        case .deleteGroups(let body): body.encode(into: &writer, version: version)
        case .incrementalAlterConfigs(let body): body.encode(into: &writer, version: version)
        case .alterPartitionReassignments(let body): body.encode(into: &writer, version: version)
        case .listPartitionReassignments(let body): body.encode(into: &writer, version: version)
        case .offsetDelete(let body): body.encode(into: &writer, version: version)
        case .describeClientQuotas(let body): body.encode(into: &writer, version: version)
        case .alterClientQuotas(let body): body.encode(into: &writer, version: version)
        case .describeUserScramCredentials(let body): body.encode(into: &writer, version: version)
        case .alterUserScramCredentials(let body): body.encode(into: &writer, version: version)
        case .describeQuorum(let body): body.encode(into: &writer, version: version)
        case .addRaftVoter(let body): body.encode(into: &writer, version: version)
        case .removeRaftVoter(let body): body.encode(into: &writer, version: version)
        }
    }
}

/// Any response body with a schema, tagged by API.
public enum KafkaResponse: Sendable, Equatable {
    case produce(ProduceResponse)
    case fetch(FetchResponse)
    case listOffsets(ListOffsetsResponse)
    case metadata(MetadataResponse)
    case offsetCommit(OffsetCommitResponse)
    case offsetFetch(OffsetFetchResponse)
    case findCoordinator(FindCoordinatorResponse)
    case joinGroup(JoinGroupResponse)
    case heartbeat(HeartbeatResponse)
    case leaveGroup(LeaveGroupResponse)
    case syncGroup(SyncGroupResponse)
    case describeGroups(DescribeGroupsResponse)
    case listGroups(ListGroupsResponse)
    case saslHandshake(SaslHandshakeResponse)
    case apiVersions(ApiVersionsResponse)
    case createTopics(CreateTopicsResponse)
    case deleteTopics(DeleteTopicsResponse)
    case deleteRecords(DeleteRecordsResponse)
    case initProducerId(InitProducerIdResponse)
    case offsetForLeaderEpoch(OffsetForLeaderEpochResponse)
    case describeAcls(DescribeAclsResponse)
    case createAcls(CreateAclsResponse)
    case deleteAcls(DeleteAclsResponse)
    case describeConfigs(DescribeConfigsResponse)
    case alterConfigs(AlterConfigsResponse)
    case saslAuthenticate(SaslAuthenticateResponse)
    case createPartitions(CreatePartitionsResponse)
    case deleteGroups(DeleteGroupsResponse)
    case incrementalAlterConfigs(IncrementalAlterConfigsResponse)
    case alterPartitionReassignments(AlterPartitionReassignmentsResponse)
    case listPartitionReassignments(ListPartitionReassignmentsResponse)
    case offsetDelete(OffsetDeleteResponse)
    case describeClientQuotas(DescribeClientQuotasResponse)
    case alterClientQuotas(AlterClientQuotasResponse)
    case describeUserScramCredentials(DescribeUserScramCredentialsResponse)
    case alterUserScramCredentials(AlterUserScramCredentialsResponse)
    case describeQuorum(DescribeQuorumResponse)
    case addRaftVoter(AddRaftVoterResponse)
    case removeRaftVoter(RemoveRaftVoterResponse)

    /// The API of the body.
    public var apiKey: ApiKey {
        switch self {
        case .produce: return .produce
        case .fetch: return .fetch
        case .listOffsets: return .listOffsets
        case .metadata: return .metadata
        case .offsetCommit: return .offsetCommit
        case .offsetFetch: return .offsetFetch
        case .findCoordinator: return .findCoordinator
        case .joinGroup: return .joinGroup
        case .heartbeat: return .heartbeat
        case .leaveGroup: return .leaveGroup
        case .syncGroup: return .syncGroup
        case .describeGroups: return .describeGroups
        case .listGroups: return .listGroups
        case .saslHandshake: return .saslHandshake
        case .apiVersions: return .apiVersions
        case .createTopics: return .createTopics
        case .deleteTopics: return .deleteTopics
        case .deleteRecords: return .deleteRecords
        case .initProducerId: return .initProducerId
        case .offsetForLeaderEpoch: return .offsetForLeaderEpoch
        case .describeAcls: return .describeAcls
        case .createAcls: return .createAcls
        case .deleteAcls: return .deleteAcls
        case .describeConfigs: return .describeConfigs
        case .alterConfigs: return .alterConfigs
        case .saslAuthenticate: return .saslAuthenticate
        case .createPartitions: return .createPartitions
        case .deleteGroups: return .deleteGroups
        case .incrementalAlterConfigs: return .incrementalAlterConfigs
        case .alterPartitionReassignments: return .alterPartitionReassignments
        case .listPartitionReassignments: return .listPartitionReassignments
        case .offsetDelete: return .offsetDelete
        case .describeClientQuotas: return .describeClientQuotas
        case .alterClientQuotas: return .alterClientQuotas
        case .describeUserScramCredentials: return .describeUserScramCredentials
        case .alterUserScramCredentials: return .alterUserScramCredentials
        case .describeQuorum: return .describeQuorum
        case .addRaftVoter: return .addRaftVoter
        case .removeRaftVoter: return .removeRaftVoter
        }
    }

    /// Decodes the body of `apiKey` at `version`; a version outside the schema's range throws.
    public init(apiKey: ApiKey, version: Int16, from reader: inout ByteReader) throws(WireError) {
        guard apiKey.validVersions.contains(version) else {
            throw .inconsistent("\(apiKey.name) response v\(version) is outside versions \(apiKey.validVersions)")
        }
        switch apiKey {
        case .produce: self = .produce(try ProduceResponse(from: &reader, version: version))
        case .fetch: self = .fetch(try FetchResponse(from: &reader, version: version))
        case .listOffsets: self = .listOffsets(try ListOffsetsResponse(from: &reader, version: version))
        case .metadata: self = .metadata(try MetadataResponse(from: &reader, version: version))
        case .offsetCommit: self = .offsetCommit(try OffsetCommitResponse(from: &reader, version: version))
        case .offsetFetch: self = .offsetFetch(try OffsetFetchResponse(from: &reader, version: version))
        case .findCoordinator: self = .findCoordinator(try FindCoordinatorResponse(from: &reader, version: version))
        case .joinGroup: self = .joinGroup(try JoinGroupResponse(from: &reader, version: version))
        case .heartbeat: self = .heartbeat(try HeartbeatResponse(from: &reader, version: version))
        case .leaveGroup: self = .leaveGroup(try LeaveGroupResponse(from: &reader, version: version))
        case .syncGroup: self = .syncGroup(try SyncGroupResponse(from: &reader, version: version))
        case .describeGroups: self = .describeGroups(try DescribeGroupsResponse(from: &reader, version: version))
        case .listGroups: self = .listGroups(try ListGroupsResponse(from: &reader, version: version))
        case .saslHandshake: self = .saslHandshake(try SaslHandshakeResponse(from: &reader, version: version))
        case .apiVersions: self = .apiVersions(try ApiVersionsResponse(from: &reader, version: version))
        case .createTopics: self = .createTopics(try CreateTopicsResponse(from: &reader, version: version))
        case .deleteTopics: self = .deleteTopics(try DeleteTopicsResponse(from: &reader, version: version))
        case .deleteRecords: self = .deleteRecords(try DeleteRecordsResponse(from: &reader, version: version))
        case .initProducerId: self = .initProducerId(try InitProducerIdResponse(from: &reader, version: version))
        case .offsetForLeaderEpoch: self = .offsetForLeaderEpoch(try OffsetForLeaderEpochResponse(from: &reader, version: version))
        case .describeAcls: self = .describeAcls(try DescribeAclsResponse(from: &reader, version: version))
        case .createAcls: self = .createAcls(try CreateAclsResponse(from: &reader, version: version))
        case .deleteAcls: self = .deleteAcls(try DeleteAclsResponse(from: &reader, version: version))
        case .describeConfigs: self = .describeConfigs(try DescribeConfigsResponse(from: &reader, version: version))
        case .alterConfigs: self = .alterConfigs(try AlterConfigsResponse(from: &reader, version: version))
        case .saslAuthenticate: self = .saslAuthenticate(try SaslAuthenticateResponse(from: &reader, version: version))
        case .createPartitions: self = .createPartitions(try CreatePartitionsResponse(from: &reader, version: version))
        case .deleteGroups: self = .deleteGroups(try DeleteGroupsResponse(from: &reader, version: version))
        case .incrementalAlterConfigs: self = .incrementalAlterConfigs(try IncrementalAlterConfigsResponse(from: &reader, version: version))
        case .alterPartitionReassignments: self = .alterPartitionReassignments(try AlterPartitionReassignmentsResponse(from: &reader, version: version))
        case .listPartitionReassignments: self = .listPartitionReassignments(try ListPartitionReassignmentsResponse(from: &reader, version: version))
        case .offsetDelete: self = .offsetDelete(try OffsetDeleteResponse(from: &reader, version: version))
        case .describeClientQuotas: self = .describeClientQuotas(try DescribeClientQuotasResponse(from: &reader, version: version))
        case .alterClientQuotas: self = .alterClientQuotas(try AlterClientQuotasResponse(from: &reader, version: version))
        case .describeUserScramCredentials: self = .describeUserScramCredentials(try DescribeUserScramCredentialsResponse(from: &reader, version: version))
        case .alterUserScramCredentials: self = .alterUserScramCredentials(try AlterUserScramCredentialsResponse(from: &reader, version: version))
        case .describeQuorum: self = .describeQuorum(try DescribeQuorumResponse(from: &reader, version: version))
        case .addRaftVoter: self = .addRaftVoter(try AddRaftVoterResponse(from: &reader, version: version))
        case .removeRaftVoter: self = .removeRaftVoter(try RemoveRaftVoterResponse(from: &reader, version: version))
        }
    }

    /// Encodes the body for `version`.
    public func encode(into writer: inout ByteWriter, version: Int16) {
        switch self {
        case .produce(let body): body.encode(into: &writer, version: version)
        case .fetch(let body): body.encode(into: &writer, version: version)
        case .listOffsets(let body): body.encode(into: &writer, version: version)
        case .metadata(let body): body.encode(into: &writer, version: version)
        case .offsetCommit(let body): body.encode(into: &writer, version: version)
        case .offsetFetch(let body): body.encode(into: &writer, version: version)
        case .findCoordinator(let body): body.encode(into: &writer, version: version)
        case .joinGroup(let body): body.encode(into: &writer, version: version)
        case .heartbeat(let body): body.encode(into: &writer, version: version)
        case .leaveGroup(let body): body.encode(into: &writer, version: version)
        case .syncGroup(let body): body.encode(into: &writer, version: version)
        case .describeGroups(let body): body.encode(into: &writer, version: version)
        case .listGroups(let body): body.encode(into: &writer, version: version)
        case .saslHandshake(let body): body.encode(into: &writer, version: version)
        case .apiVersions(let body): body.encode(into: &writer, version: version)
        case .createTopics(let body): body.encode(into: &writer, version: version)
        case .deleteTopics(let body): body.encode(into: &writer, version: version)
        case .deleteRecords(let body): body.encode(into: &writer, version: version)
        case .initProducerId(let body): body.encode(into: &writer, version: version)
        case .offsetForLeaderEpoch(let body): body.encode(into: &writer, version: version)
        case .describeAcls(let body): body.encode(into: &writer, version: version)
        case .createAcls(let body): body.encode(into: &writer, version: version)
        case .deleteAcls(let body): body.encode(into: &writer, version: version)
        case .describeConfigs(let body): body.encode(into: &writer, version: version)
        case .alterConfigs(let body): body.encode(into: &writer, version: version)
        case .saslAuthenticate(let body): body.encode(into: &writer, version: version)
        case .createPartitions(let body): body.encode(into: &writer, version: version)
        case .deleteGroups(let body): body.encode(into: &writer, version: version)
        case .incrementalAlterConfigs(let body): body.encode(into: &writer, version: version)
        case .alterPartitionReassignments(let body): body.encode(into: &writer, version: version)
        case .listPartitionReassignments(let body): body.encode(into: &writer, version: version)
        case .offsetDelete(let body): body.encode(into: &writer, version: version)
        case .describeClientQuotas(let body): body.encode(into: &writer, version: version)
        case .alterClientQuotas(let body): body.encode(into: &writer, version: version)
        case .describeUserScramCredentials(let body): body.encode(into: &writer, version: version)
        case .alterUserScramCredentials(let body): body.encode(into: &writer, version: version)
        case .describeQuorum(let body): body.encode(into: &writer, version: version)
        case .addRaftVoter(let body): body.encode(into: &writer, version: version)
        case .removeRaftVoter(let body): body.encode(into: &writer, version: version)
        }
    }
}
