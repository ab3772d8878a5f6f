// generated from proto/ — do not edit

// Sample values for every generated message, used by the codec tests (and usable as fuzz seeds).
// They live with the tests, not in the library.

@testable import SluiceWire

extension BrokerHeartbeatRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.nodeId = 1001
        value.incarnation = 1000000000002
        value.clusterId = "clusterId-3-é"
        value.host = "host-4-é"
        value.port = 1005
        value.interNodeHost = "interNodeHost-6-é"
        value.interNodePort = 1007
        value.rack = nulls ? nil : "rack-8-é"
        value.leaderships = [Leadership.sample(version: version, nulls: nulls), Leadership.sample(version: version, nulls: nulls)]
        value.shuttingDown = true
        value.topicsToCreate = ["a-11-é", "b-11-é"]
        value.listeners = [Endpoint.sample(version: version, nulls: nulls), Endpoint.sample(version: version, nulls: nulls)]
        return value
    }
}

extension BrokerHeartbeatRequest.Leadership {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.topic = "topic-13-é"
        value.partition = 1014
        value.term = 1000000000015
        value.voters = [1016, 1016]
        value.learners = [1017, 1017]
        value.inSync = [1018, 1018]
        return value
    }
}

extension BrokerHeartbeatRequest.Endpoint {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.name = "name-19-é"
        value.host = "host-20-é"
        value.port = 1021
        return value
    }
}

extension ForwardRequestRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.fromNode = 1001
        value.clusterId = "clusterId-2-é"
        value.forwardId = 1000000000003
        value.clientHost = "clientHost-4-é"
        value.request = [5, 0, 255]
        value.principal = nulls ? nil : "principal-6-é"
        return value
    }
}

extension ForwardResponseRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.fromNode = 1001
        value.clusterId = "clusterId-2-é"
        value.forwardId = 1000000000003
        value.notController = true
        value.response = [5, 0, 255]
        return value
    }
}

extension PeerAuthRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.step = 11
        value.fromNode = 1002
        value.toNode = 1003
        value.clusterId = "clusterId-4-é"
        value.nonce = [5, 0, 255]
        value.proof = [6, 0, 255]
        return value
    }
}

extension RaftMessagesRequest {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.fromNode = 1001
        value.clusterId = "clusterId-2-é"
        value.messages = [RaftMessage.sample(version: version, nulls: nulls), RaftMessage.sample(version: version, nulls: nulls)]
        return value
    }
}

extension RaftMessagesRequest.RaftMessage {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.groupKind = 14
        value.topic = "topic-5-é"
        value.partition = 1006
        value.kind = 17
        value.from = 1008
        value.to = 1009
        value.term = 1000000000010
        value.logTerm = 1000000000011
        value.index = 1000000000012
        value.commit = 1000000000013
        value.reject = true
        value.rejectHint = 1000000000015
        value.context = 1000000000016
        value.leadershipTransfer = true
        value.logLost = true
        value.entries = [RaftEntry.sample(version: version, nulls: nulls), RaftEntry.sample(version: version, nulls: nulls)]
        value.snapshot = nulls ? nil : RaftSnapshot.sample(version: version, nulls: nulls)
        return value
    }
}

extension RaftMessagesRequest.RaftMessage.RaftEntry {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.term = 1000000000021
        value.lastIndex = 1000000000022
        value.indexCount = 1000000000023
        value.kind = 34
        value.voters = [1025, 1025]
        value.learners = [1026, 1026]
        value.data = [27, 0, 255]
        return value
    }
}

extension RaftMessagesRequest.RaftMessage.RaftSnapshot {
    /// A value with every field of `version` set to something other than its default; with
    /// `nulls`, fields nullable in that version are nil instead.
    static func sample(version: Int16, nulls: Bool = false) -> Self {
        var value = Self()
        value.index = 1000000000028
        value.term = 1000000000029
        value.voters = [1030, 1030]
        value.learners = [1031, 1031]
        value.data = [32, 0, 255]
        return value
    }
}

extension InternalRequest {
    /// `sample(version:nulls:)` of the request body of `apiKey`.
    static func sample(_ apiKey: InternalApiKey, version: Int16, nulls: Bool = false) -> Self {
        switch apiKey {
        case .raftMessages: return .raftMessages(RaftMessagesRequest.sample(version: version, nulls: nulls))
        case .brokerHeartbeat: return .brokerHeartbeat(BrokerHeartbeatRequest.sample(version: version, nulls: nulls))
        case .forwardRequest: return .forwardRequest(ForwardRequestRequest.sample(version: version, nulls: nulls))
        case .forwardResponse: return .forwardResponse(ForwardResponseRequest.sample(version: version, nulls: nulls))
        case .peerAuth: return .peerAuth(PeerAuthRequest.sample(version: version, nulls: nulls))
        }
    }

    /// The request body of `apiKey` with every field at its schema default.
    static func defaults(_ apiKey: InternalApiKey) -> Self {
        switch apiKey {
        case .raftMessages: return .raftMessages(RaftMessagesRequest())
        case .brokerHeartbeat: return .brokerHeartbeat(BrokerHeartbeatRequest())
        case .forwardRequest: return .forwardRequest(ForwardRequestRequest())
        case .forwardResponse: return .forwardResponse(ForwardResponseRequest())
        case .peerAuth: return .peerAuth(PeerAuthRequest())
        }
    }
}
