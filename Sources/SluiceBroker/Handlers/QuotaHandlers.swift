import SluiceMeta
import SluiceWire

/// DescribeClientQuotas (any node, from the replicated metadata) and AlterClientQuotas (carried
/// out by the controller, forwarded there by any node). Entity types: user and client-id.
extension KafkaBroker {
    func handleDescribeClientQuotas(_ request: DescribeClientQuotasRequest, _ context: RequestContext) {
        guard allowed(context, .describeConfigs, .cluster, Principal.clusterResource) else {
            return context.respond(.describeClientQuotas(DescribeClientQuotasResponse(errorCode: KafkaError.clusterAuthorizationFailed.code,
                                                                                      errorMessage: "describing quotas needs DescribeConfigs on the cluster")))
        }
        for component in request.components where Self.quotaPart(component.entityType) == nil || !(0...2).contains(component.matchType) {
            return context.respond(.describeClientQuotas(DescribeClientQuotasResponse(
                errorCode: KafkaError.invalidRequest.code, errorMessage: "filters name entity type user or client-id with match type 0, 1 or 2")))
        }
        let matching = cluster.clientQuotas.filter { entity, _ in Self.quotaFilter(request, matches: entity) }
        let entries = matching.keys.sorted { "\($0)" < "\($1)" }.map { entity in
            DescribeClientQuotasResponse.Entry(entity: Self.wireEntity(entity).map { .init(entityType: $0.type, entityName: $0.name) },
                                               values: (matching[entity] ?? [:]).sorted { $0.key < $1.key }.map { .init(key: $0.key, value: $0.value) })
        }
        context.respond(.describeClientQuotas(DescribeClientQuotasResponse(errorCode: 0, errorMessage: nil, entries: entries)))
    }

    func handleAlterClientQuotas(_ request: AlterClientQuotasRequest, _ context: RequestContext) {
        typealias Result = AlterClientQuotasResponse.EntryResult
        func entity(_ entry: AlterClientQuotasRequest.Entry) -> [AlterClientQuotasResponse.EntryResult.Entity] {
            entry.entity.map { .init(entityType: $0.entityType, entityName: $0.entityName) }
        }
        guard allowed(context, .alterConfigs, .cluster, Principal.clusterResource) else {
            return context.respond(request.failed(.clusterAuthorizationFailed, "changing quotas needs AlterConfigs on the cluster"))
        }
        guard cluster.isControllerLeader else { return context.respond(request.failed(.notController, "this node does not lead the controller quorum")) }
        var results: [Result] = []
        var commands: [ControllerCommand] = []
        for entry in request.entries {
            switch Self.quotaChanges(entry) {
            case let .success(changes):
                results.append(Result(errorCode: 0, errorMessage: nil, entity: entity(entry)))
                commands += changes
            case let .failure(failure):
                results.append(Result(errorCode: KafkaError.invalidRequest.code, errorMessage: failure.message, entity: entity(entry)))
            }
        }
        guard !request.validateOnly, !commands.isEmpty else {
            return context.respond(.alterClientQuotas(AlterClientQuotasResponse(entries: results)))
        }
        let answered = results
        cluster.propose(commands) { committed in
            context.respond(.alterClientQuotas(AlterClientQuotasResponse(entries: answered.map { result in
                guard !committed, result.errorCode == 0 else { return result }
                return Result(errorCode: KafkaError.requestTimedOut.code, errorMessage: "the controller did not commit in time; retry", entity: result.entity)
            })))
        }
    }

    struct QuotaFailure: Error {
        var message: String
    }

    /// An entry's controller commands, or why it is refused: known entity types once each, known
    /// keys, positive finite values.
    static func quotaChanges(_ entry: AlterClientQuotasRequest.Entry) -> Result<[ControllerCommand], QuotaFailure> {
        var target = ClientQuotaEntity(user: nil, clientID: nil)
        for part in entry.entity {
            let value: ClientQuotaEntity.Part = part.entityName.map { .named($0) } ?? .defaultEntity
            if case .named("")? = Optional(value) { return .failure(QuotaFailure(message: "an entity name is empty (null means the default)")) }
            switch quotaPart(part.entityType) {
            case .user? where target.user == nil: target.user = value
            case .clientID? where target.clientID == nil: target.clientID = value
            case nil: return .failure(QuotaFailure(message: "entity type '\(part.entityType)' is not served (user, client-id)"))
            default: return .failure(QuotaFailure(message: "entity type '\(part.entityType)' is named twice"))
            }
        }
        guard target.user != nil || target.clientID != nil else { return .failure(QuotaFailure(message: "the entity names no user or client-id")) }
        var commands: [ControllerCommand] = []
        for op in entry.ops {
            guard QuotaKey(rawValue: op.key) != nil else {
                return .failure(QuotaFailure(message: "unknown quota '\(op.key)' (producer_byte_rate, consumer_byte_rate, request_percentage)"))
            }
            guard op.remove || (op.value.isFinite && op.value > 0) else {
                return .failure(QuotaFailure(message: "\(op.key) must be a positive number, got \(op.value)"))
            }
            commands.append(.setClientQuota(entity: target, key: op.key, value: op.remove ? nil : op.value))
        }
        return .success(commands)
    }

    private enum QuotaPart { case user, clientID }

    private static func quotaPart(_ entityType: String) -> QuotaPart? {
        switch entityType {
        case "user": return .user
        case "client-id": return .clientID
        default: return nil
        }
    }

    private static func quotaFilter(_ request: DescribeClientQuotasRequest, matches entity: ClientQuotaEntity) -> Bool {
        var named: Set<String> = []
        for component in request.components {
            let part = quotaPart(component.entityType) == .user ? entity.user : entity.clientID
            named.insert(component.entityType)
            switch component.matchType {
            case 0: guard let name = component.match, part == .named(name) else { return false }
            case 1: guard part == .defaultEntity else { return false }
            default: guard part != nil else { return false }
            }
        }
        if request.strict {
            if entity.user != nil && !named.contains("user") { return false }
            if entity.clientID != nil && !named.contains("client-id") { return false }
        }
        return true
    }

    private static func wireEntity(_ entity: ClientQuotaEntity) -> [(type: String, name: String?)] {
        var out: [(type: String, name: String?)] = []
        for (type, part) in [("user", entity.user), ("client-id", entity.clientID)] {
            switch part {
            case .defaultEntity?: out.append((type, nil))
            case let .named(name)?: out.append((type, name))
            case nil: break
            }
        }
        return out
    }
}

extension AlterClientQuotasRequest {
    func failed(_ error: KafkaError, _ message: String) -> KafkaResponse {
        .alterClientQuotas(AlterClientQuotasResponse(entries: entries.map { entry in
            .init(errorCode: error.code, errorMessage: message, entity: entry.entity.map { .init(entityType: $0.entityType, entityName: $0.entityName) })
        }))
    }
}
