import Foundation
import SluiceCore
import SluiceIO
import SluiceWire
import Synchronization

/// Carries controller-bound client requests (CreateTopics and the like) to whichever node leads
/// the controller quorum, so a client may send them to any node (Kafka's KIP-590 forwarding).
///
/// Every such request goes through here, on the controller too: one path. A request waits in
/// `pending` until it is answered or its deadline passes; it is (re)sent whenever it has not yet
/// reached the current leader:
///
/// | event                                   | what happens                                        |
/// |-----------------------------------------|-----------------------------------------------------|
/// | no controller known                     | waits; retried every `retryMillis`                  |
/// | this node leads                         | carried out here (`executeLocally`)                 |
/// | another node leads                      | sent to it as a ForwardRequest frame                |
/// | answer arrives                          | the client gets the controller's response bytes     |
/// | answer says "not the controller"        | sent again to the leader of the moment              |
/// | the leader changes before an answer     | sent again to the new leader                        |
/// | deadline passes                         | the client gets REQUEST_TIMED_OUT (retriable)       |
///
/// A request re-sent after a leader change may have been carried out by the old leader already;
/// the client then sees what a Kafka client retrying it would (TOPIC_ALREADY_EXISTS, say), never
/// NOT_CONTROLLER. Nothing here blocks: answers and timeouts complete callbacks.
final class ControllerForwarder: Sendable {
    /// How a forwarded request ended.
    enum Outcome: Sendable {
        /// The controller's response, header and body, ready for the client's socket.
        case answered([UInt8])
        /// No controller answered before the deadline.
        case timedOut
        /// The controller could not read the request (nodes at different versions): the client
        /// connection is closed, as for any request a broker cannot parse.
        case unreadable
    }

    /// What carrying out a request on this node gave.
    enum Execution: Sendable {
        case answered([UInt8])
        case notController
        case unreadable
    }

    /// Who sent a forwarded request: the client's bare address (host-scoped ACLs match it) and the principal it
    /// authenticated as, which the controller authorizes (the inter-node channel is authenticated,
    /// so a node's word for it is trusted).
    struct Caller: Sendable {
        var host: String
        var principal: String
    }

    typealias Executor = @Sendable (_ request: [UInt8], _ caller: Caller, _ done: @escaping @Sendable (Execution) -> Void) -> Void

    private struct Pending {
        var request: [UInt8]
        var caller: Caller
        var deadlineNanos: UInt64
        /// Where it was last sent (nil: not yet, or the node said it does not lead).
        var sentTo: NodeID?
        var done: @Sendable (Outcome) -> Void
    }

    let nodeID: NodeID
    let clusterID: String
    /// How often waiting requests are looked at (no leader yet, a leader change).
    let retryMillis: Int
    private let transport: PeerTransport
    private let controllerLeader: @Sendable () -> NodeID?
    /// In a struct: a bare closure kept in a `Mutex` gains a reabstraction thunk at every
    /// `withLock`, so each request would run through the thunks of all the requests before it.
    private struct LocalExecutor { let execute: Executor }
    private let executeLocally: Mutex<LocalExecutor?> = Mutex(nil)
    private let pending = Mutex<[Int64: Pending]>([:])
    private let nextID = Atomic<Int64>(1)
    private let stopped = Atomic<Bool>(false)

    init(nodeID: NodeID, clusterID: String, transport: PeerTransport, retryMillis: Int = 50,
         controllerLeader: @escaping @Sendable () -> NodeID?) {
        self.nodeID = nodeID
        self.clusterID = clusterID
        self.transport = transport
        self.retryMillis = retryMillis
        self.controllerLeader = controllerLeader
    }

    /// Set once by the broker: how this node carries out a request while it leads.
    func setExecutor(_ executor: @escaping Executor) {
        executeLocally.withLock { $0 = LocalExecutor(execute: executor) }
    }

    /// Retries and expiries run every `retryMillis` on `timers`.
    func start(timers: Timers) {
        timers.every(millis: Int64(retryMillis)) { [weak self] in
            guard let self, !stopped.load(ordering: .acquiring) else { return }
            retryOrExpire()
        }
    }

    /// Answers every request still waiting with a timeout; later answers are dropped.
    func stop() {
        stopped.store(true, ordering: .releasing)
        let abandoned = pending.withLock { p -> [Pending] in
            defer { p.removeAll() }
            return Array(p.values)
        }
        for waiting in abandoned { waiting.done(.timedOut) }
    }

    /// Sends `request` (a client's request frame, header and body) to the controller and calls
    /// `done` once with its answer or a timeout after `timeoutMillis`.
    func forward(_ request: [UInt8], caller: Caller, timeoutMillis: Int64, done: @escaping @Sendable (Outcome) -> Void) {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let deadline = monotonicNanos() + UInt64(max(0, timeoutMillis)) * 1_000_000
        pending.withLock { $0[id] = Pending(request: request, caller: caller, deadlineNanos: deadline, done: done) }
        send(id)
    }

    /// A forwarding frame from another node: a request to execute, or the answer to one of ours.
    func received(_ frame: InternalRequest) {
        switch frame {
        case .forwardRequest(let request): received(request)
        case .forwardResponse(let response): received(response)
        default: break
        }
    }

    /// Controller side: a ForwardRequest from another node.
    func received(_ request: ForwardRequestRequest) {
        let origin = NodeID(request.fromNode)
        let answer: @Sendable (Execution) -> Void = { [self] execution in
            var response = ForwardResponseRequest(fromNode: nodeID.rawValue, clusterId: clusterID, forwardId: request.forwardId,
                                                  notController: false, response: [])
            switch execution {
            case .answered(let bytes): response.response = bytes
            case .notController: response.notController = true
            case .unreadable: break
            }
            transport.sendForward(.forwardResponse(response), to: origin)
        }
        guard let execute = executeLocally.withLock({ $0?.execute }) else { return answer(.notController) }
        // A node that predates principals in forwarded requests: its clients count as anonymous.
        execute(request.request, Caller(host: request.clientHost, principal: request.principal ?? Principal.anonymous), answer)
    }

    /// Forwarding side: the controller's answer to one of ours.
    func received(_ response: ForwardResponseRequest) {
        let execution: Execution = response.notController ? .notController : response.response.isEmpty ? .unreadable : .answered(response.response)
        finish(response.forwardId, execution, from: NodeID(response.fromNode))
    }

    private func send(_ id: Int64) {
        guard let leader = controllerLeader() else { return }
        guard let waiting = pending.withLock({ p -> Pending? in
            guard p[id] != nil, p[id]?.sentTo == nil || p[id]?.sentTo != leader else { return nil }
            p[id]?.sentTo = leader
            return p[id]
        }) else { return }
        if leader == nodeID {
            guard let execute = executeLocally.withLock({ $0?.execute }) else { return }
            execute(waiting.request, waiting.caller) { [self] execution in finish(id, execution, from: nodeID) }
        } else {
            let frame = ForwardRequestRequest(fromNode: nodeID.rawValue, clusterId: clusterID, forwardId: id,
                                              clientHost: waiting.caller.host, request: waiting.request, principal: waiting.caller.principal)
            transport.sendForward(.forwardRequest(frame), to: leader)
        }
    }

    /// `node`'s outcome of request `id`. A "not the controller" sends the request out again at
    /// the next retry, unless it has meanwhile been sent elsewhere: a late refusal from a node
    /// that just handed the leadership over must not send a second copy to the new leader.
    private func finish(_ id: Int64, _ execution: Execution, from node: NodeID) {
        switch execution {
        case .notController:
            pending.withLock { p in
                if p[id]?.sentTo == node { p[id]?.sentTo = nil }
            }
        case .answered(let bytes):
            pending.withLock { $0.removeValue(forKey: id) }?.done(.answered(bytes))
        case .unreadable:
            pending.withLock { $0.removeValue(forKey: id) }?.done(.unreadable)
        }
    }

    private func retryOrExpire() {
        let now = monotonicNanos()
        let (expired, waiting) = pending.withLock { p -> ([Pending], [Int64]) in
            let late = p.filter { $0.value.deadlineNanos <= now }
            for id in late.keys { p.removeValue(forKey: id) }
            return (Array(late.values), Array(p.keys))
        }
        for request in expired { request.done(.timedOut) }
        for id in waiting { send(id) }
    }
}
