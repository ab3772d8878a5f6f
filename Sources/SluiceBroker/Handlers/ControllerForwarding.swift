import Synchronization
import SluiceCore
import SluiceIO
import SluiceWire

/// Controller-bound requests (KIP-590): any node takes them and the
/// `ControllerForwarder` carries them to the controller leader, which runs the same handler a
/// client's direct request would. The client sees the controller's answer, or REQUEST_TIMED_OUT
/// (retriable) when no controller answered within the request's timeout; never NOT_CONTROLLER.
extension KafkaBroker {
    /// Hands `request` to the controller wherever it is; true if it did (the request is then
    /// answered later from the forwarder's callback).
    func forwardIfControllerBound(_ payload: [UInt8], _ request: KafkaRequest, _ context: RequestContext) -> Bool {
        guard let timeout = request.forwardingTimeoutMillis else { return false }
        // The bare address: host-scoped ACLs are checked against it on the controller.
        let caller = ControllerForwarder.Caller(host: context.connection.peer.host, principal: context.principal)
        cluster.forwarder.forward(payload, caller: caller, timeoutMillis: timeout) { outcome in
            switch outcome {
            case .answered(let bytes):
                context.complete(.parts([.bytes(bytes)]))
            case .timedOut:
                context.respond(request.failedResponse(.requestTimedOut, "no controller answered within the request's timeout; retry"))
            case .unreadable:
                context.complete(.closeConnection)
            }
        }
        return true
    }

    /// The forwarder's executor on this node: runs a controller-bound request here while this node
    /// leads the controller quorum, on a worker thread (its handler answers once the change commits).
    func executeAsController(_ payload: [UInt8], caller: ControllerForwarder.Caller, done report: @escaping @Sendable (ControllerForwarder.Execution) -> Void) {
        // Once only: a handler that reroutes (NOT_CONTROLLER) leaves its slot uncompleted, and the
        // slot, when dropped, reports closing the connection; that later report must not end the
        // forwarded request the reroute just sent on to the new leader.
        let reported = FirstCall()
        let done: @Sendable (ControllerForwarder.Execution) -> Void = { execution in if reported.claim() { report(execution) } }
        guard cluster.isControllerLeader else { return done(.notController) }
        var reader = ByteReader(payload)
        guard let header = try? RequestHeader(from: &reader), let apiKey = ApiKey(rawValue: header.apiKey),
              Self.advertisedVersions[apiKey]?.contains(header.apiVersion) == true,
              let request = try? KafkaRequest(apiKey: apiKey, version: header.apiVersion, from: &reader),
              request.forwardingTimeoutMillis != nil else {
            return done(.unreadable)
        }
        let slot = ResponseSlot { response in
            guard case .parts(let parts) = response else { return done(.unreadable) }
            var bytes: [UInt8] = []
            for case .bytes(let chunk) in parts { bytes += chunk }
            done(.answered(bytes))
        }
        let peer = SocketAddress(host: caller.host, port: 0)
        var context = RequestContext(header: header, apiKey: apiKey, version: header.apiVersion,
                                     connection: ConnectionContext(id: ConnectionID(rawValue: 0), peer: peer), slot: slot)
        context.principal = caller.principal
        // Leadership can move between the check above and the handler's own: nothing was done then,
        // so the forwarder sends the request to the new leader instead of answering NOT_CONTROLLER.
        context.onNotController = { done(.notController) }
        pool.submit { [self, context] in route(request, context) }
    }
}

/// True for the first caller of `claim` only, on any thread.
final class FirstCall: Sendable {
    private let claimed = Atomic<Bool>(false)
    func claim() -> Bool { claimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged }
}

extension KafkaRequest {
    /// How long a forwarded request may wait for the controller, or nil if it is not bound for the
    /// controller. The request's own timeout, at least 5 s (a 0 means "do not wait for the
    /// creation to finish", not "give up at once") and at most 2 minutes; 30 s without one.
    var forwardingTimeoutMillis: Int64? {
        let requested: Int64
        switch self {
        case let .createTopics(body): requested = Int64(body.timeoutMs)
        case let .deleteTopics(body): requested = Int64(body.timeoutMs)
        case let .createPartitions(body): requested = Int64(body.timeoutMs)
        case let .alterPartitionReassignments(body): requested = Int64(body.timeoutMs)
        case let .addRaftVoter(body): requested = Int64(body.timeoutMs) + 5_000
        case .alterConfigs, .incrementalAlterConfigs, .alterUserScramCredentials, .createAcls, .deleteAcls, .alterClientQuotas,
             .describeQuorum, .removeRaftVoter: requested = 30_000
        default: return nil
        }
        return min(max(requested, 5_000), 120_000)
    }

    /// This request answered with `error` for everything it names.
    func failedResponse(_ error: KafkaError, _ message: String) -> KafkaResponse {
        let code = error.code
        switch self {
        case let .createTopics(body):
            return .createTopics(CreateTopicsResponse(topics: body.topics.map {
                .init(name: $0.name, errorCode: code, errorMessage: message, numPartitions: -1, replicationFactor: -1)
            }))
        case let .deleteTopics(body):
            let names = body.topicNames + body.topics.compactMap(\.name)
            return .deleteTopics(DeleteTopicsResponse(responses: names.map { .init(name: $0, errorCode: code, errorMessage: message) }))
        case let .createPartitions(body):
            return .createPartitions(CreatePartitionsResponse(results: body.topics.map { .init(name: $0.name, errorCode: code, errorMessage: message) }))
        case let .alterConfigs(body):
            return .alterConfigs(AlterConfigsResponse(responses: body.resources.map {
                .init(errorCode: code, errorMessage: message, resourceType: $0.resourceType, resourceName: $0.resourceName)
            }))
        case let .incrementalAlterConfigs(body):
            return .incrementalAlterConfigs(IncrementalAlterConfigsResponse(responses: body.resources.map {
                .init(errorCode: code, errorMessage: message, resourceType: $0.resourceType, resourceName: $0.resourceName)
            }))
        case .alterPartitionReassignments:
            return .alterPartitionReassignments(AlterPartitionReassignmentsResponse(errorCode: code, errorMessage: message))
        case let .alterUserScramCredentials(body):
            return body.failed(error, message)
        case let .createAcls(body):
            return body.failed(error, message)
        case let .deleteAcls(body):
            return body.failed(error, message)
        case let .alterClientQuotas(body):
            return body.failed(error, message)
        case .describeQuorum:
            return .describeQuorum(DescribeQuorumResponse(errorCode: code))
        case .addRaftVoter:
            return .addRaftVoter(AddRaftVoterResponse(errorCode: code, errorMessage: message))
        case .removeRaftVoter:
            return .removeRaftVoter(RemoveRaftVoterResponse(errorCode: code, errorMessage: message))
        default:
            preconditionFailure("failedResponse is only built for controller-bound requests")
        }
    }
}

extension KafkaResponse {
    /// Whether any part of this answer says NOT_CONTROLLER.
    var carriesNotController: Bool {
        let code = KafkaError.notController.code
        switch self {
        case let .createTopics(body): return body.topics.contains { $0.errorCode == code }
        case let .deleteTopics(body): return body.responses.contains { $0.errorCode == code }
        case let .createPartitions(body): return body.results.contains { $0.errorCode == code }
        case let .alterConfigs(body): return body.responses.contains { $0.errorCode == code }
        case let .incrementalAlterConfigs(body): return body.responses.contains { $0.errorCode == code }
        case let .alterPartitionReassignments(body):
            return body.errorCode == code || body.responses.contains { $0.partitions.contains { $0.errorCode == code } }
        case let .alterUserScramCredentials(body): return body.results.contains { $0.errorCode == code }
        case let .createAcls(body): return body.results.contains { $0.errorCode == code }
        case let .deleteAcls(body): return body.filterResults.contains { $0.errorCode == code }
        case let .alterClientQuotas(body): return body.entries.contains { $0.errorCode == code }
        case let .describeQuorum(body): return body.errorCode == code
        case let .addRaftVoter(body): return body.errorCode == code
        case let .removeRaftVoter(body): return body.errorCode == code
        default: return false
        }
    }
}
