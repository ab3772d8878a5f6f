import SluiceCore
import SluiceIO
import SluiceWire
import SluiceMeta
import Synchronization

/// The quota keys Kafka defines for clients.
enum QuotaKey: String, CaseIterable, Sendable {
    /// Bytes of produce requests per second.
    case producerByteRate = "producer_byte_rate"
    /// Bytes of fetch responses per second.
    case consumerByteRate = "consumer_byte_rate"
    /// Time spent handling the client's requests, in percent of one I/O thread.
    case requestPercentage = "request_percentage"
}

/// Kafka's client quotas: a rate per user and/or client id, measured over a window of
/// `windowSamples` one-second samples; a client over its quota is told to wait
/// (`throttle_time_ms`) and its response is held back that long, so clients back off by
/// themselves. Which quota applies follows Kafka's precedence, most specific first:
/// user+client, user+default client, user, default user+client, default user+default client,
/// default user, client, default client. A user- or default-user-level quota is measured per
/// user (each user its own budget), a client-level one per client id, a user+client one per pair.
///
/// The configured values live in the controller's replicated metadata (`ClusterNode` keeps them
/// in memory); the measurements are this node's own, as in Kafka.
final class QuotaEnforcer: Sendable {
    static let windowSamples = 11
    static let sampleNanos: UInt64 = 1_000_000_000
    /// The longest a response is held back: one window (Kafka caps throttling the same way).
    static let maxThrottleMillis = Int64(windowSamples) * 1_000

    /// Which measurement a charge goes to: the level of the quota that applies and the names it keys on.
    private struct SensorKey: Hashable {
        var key: QuotaKey
        var level: Int
        var user: String?
        var clientID: String?
    }

    private struct Window {
        var buckets = [Double](repeating: 0, count: QuotaEnforcer.windowSamples)
        var bucketStart = [UInt64](repeating: 0, count: QuotaEnforcer.windowSamples)
        var firstUse: UInt64
        var lastUse: UInt64

        /// Adds `amount` now; returns the rate per second over the window, and the window's length.
        mutating func record(_ amount: Double, now: UInt64) -> (rate: Double, seconds: Double) {
            let slot = Int((now / QuotaEnforcer.sampleNanos) % UInt64(QuotaEnforcer.windowSamples))
            let start = now - now % QuotaEnforcer.sampleNanos
            if bucketStart[slot] != start {
                bucketStart[slot] = start
                buckets[slot] = 0
            }
            buckets[slot] += amount
            lastUse = now
            let horizon = now &- UInt64(QuotaEnforcer.windowSamples) * QuotaEnforcer.sampleNanos
            var total = 0.0
            for index in buckets.indices where bucketStart[index] > horizon { total += buckets[index] }
            // Over the window, or since the first use when younger (a new client is not let burst
            // a whole window's worth at once, nor throttled for a second's worth).
            let spanNanos = min(UInt64(QuotaEnforcer.windowSamples - 1) * QuotaEnforcer.sampleNanos + now % QuotaEnforcer.sampleNanos,
                                max(now &- firstUse, QuotaEnforcer.sampleNanos))
            let seconds = Double(spanNanos) / 1e9
            return (total / seconds, seconds)
        }
    }

    private let configured: @Sendable () -> [ClientQuotaEntity: [String: Double]]
    private let windows = Mutex<[SensorKey: Window]>([:])
    let throttledResponses = Atomic<Int>(0)

    init(configured: @escaping @Sendable () -> [ClientQuotaEntity: [String: Double]]) {
        self.configured = configured
    }

    /// The quota on `key` for this user and client id, with its precedence level, or nil.
    static func applicable(_ quotas: [ClientQuotaEntity: [String: Double]], key: QuotaKey, user: String?,
                           clientID: String) -> (level: Int, entity: ClientQuotaEntity, value: Double)? {
        typealias E = ClientQuotaEntity
        var candidates: [E] = []
        if let user {
            candidates += [E(user: .named(user), clientID: .named(clientID)), E(user: .named(user), clientID: .defaultEntity),
                           E(user: .named(user), clientID: nil)]
        }
        candidates += [E(user: .defaultEntity, clientID: .named(clientID)), E(user: .defaultEntity, clientID: .defaultEntity),
                       E(user: .defaultEntity, clientID: nil), E(user: nil, clientID: .named(clientID)), E(user: nil, clientID: .defaultEntity)]
        for (level, entity) in candidates.enumerated() {
            if let value = quotas[entity]?[key.rawValue] { return (level, entity, value) }
        }
        return nil
    }

    /// Charges `amount` (bytes, or percent-seconds of request time) to the client and returns how
    /// long it must wait, in ms: 0 within its quota.
    func charge(_ key: QuotaKey, amount: Double, user: String?, clientID: String, now: UInt64 = monotonicNanos()) -> Int64 {
        let quotas = configured()
        guard !quotas.isEmpty, let (level, entity, bound) = Self.applicable(quotas, key: key, user: user, clientID: clientID), bound > 0 else { return 0 }
        let sensor = SensorKey(key: key, level: level, user: entity.user == nil ? nil : user, clientID: entity.clientID == nil ? nil : clientID)
        let (rate, seconds) = windows.withLock { windows in
            var window = windows[sensor] ?? Window(firstUse: now, lastUse: now)
            let measured = window.record(amount, now: now)
            windows[sensor] = window
            return measured
        }
        guard rate > bound else { return 0 }
        throttledResponses.add(1, ordering: .relaxed)
        // Kafka's rule: the time at which the window's rate falls back to the quota. Clamped
        // in floating point first: a tiny quota (any positive double is accepted) makes it
        // infinite, which no Int64 holds.
        let millis = (rate - bound) / bound * seconds * 1_000
        return millis.isNaN ? 0 : Int64(min(Double(Self.maxThrottleMillis), max(0, millis)))
    }

    /// Forgets measurements idle for two windows (clients that went away).
    func expire(now: UInt64 = monotonicNanos()) {
        let idle = 2 * UInt64(Self.windowSamples) * Self.sampleNanos
        windows.withLock { $0 = $0.filter { now &- $0.value.lastUse < idle } }
    }
}

/// One request's part in the client quotas: who it is charged to (the principal's name and the
/// client id), the produce throttle worked out when it arrived, and how an answer is held back.
struct QuotaCharge: Sendable {
    let enforcer: QuotaEnforcer
    let user: String?
    let clientID: String
    let produceThrottle: Int64
    let hold: @Sendable (Int64, @escaping @Sendable () -> Void) -> Void

    /// The throttle for an answer: produce's from its request bytes, fetch's from the bytes it carries.
    func throttle(for body: KafkaResponse) -> Int64 {
        switch body {
        case .produce: return produceThrottle
        case let .fetch(fetched):
            return enforcer.charge(.consumerByteRate, amount: Double(RequestContext.fetchedBytes(fetched)), user: user, clientID: clientID)
        default: return 0
        }
    }

    /// Charges the time spent on the request against request_percentage (percent of one thread).
    func chargeRequestTime(seconds: Double) -> Int64 {
        enforcer.charge(.requestPercentage, amount: seconds * 100, user: user, clientID: clientID)
    }
}

extension KafkaResponse {
    /// Sets `throttle_time_ms` where the answer carries it (produce and fetch, the byte quotas).
    mutating func setThrottle(_ millis: Int64) {
        guard millis > 0 else { return }
        let value = Int32(clamping: millis)
        switch self {
        case var .produce(body):
            body.throttleTimeMs = value
            self = .produce(body)
        case var .fetch(body):
            body.throttleTimeMs = value
            self = .fetch(body)
        default:
            break
        }
    }
}

extension KafkaBroker {
    /// The quota charge of a request, or nil when no quota is configured (nothing is measured then).
    func quotaCharge(for context: RequestContext, produceBytes: Int) -> QuotaCharge? {
        guard !cluster.clientQuotas.isEmpty else { return nil }
        let user = context.principal.hasPrefix("User:") ? String(context.principal.dropFirst(5)) : nil
        let clientID = context.clientID
        let produceThrottle = produceBytes > 0 ? quotas.charge(.producerByteRate, amount: Double(produceBytes), user: user, clientID: clientID) : 0
        return QuotaCharge(enforcer: quotas, user: user, clientID: clientID, produceThrottle: produceThrottle) { [delayed] millis, release in
            delayed.park(DelayedOperation(keys: [], timeoutMillis: millis, isReady: { force in force }, finish: release))
        }
    }
}
