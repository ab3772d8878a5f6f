import SluiceCore
import SluiceRaft
import SluiceWire

/// What waits to go to one peer: Raft messages in send order, the newest heartbeat (an older
/// one says nothing the newer does not), and forwarded admin requests and their answers. A plain
/// value, kept behind the sender's lock.
///
/// Bounded by `bytesMax` (estimated with `Message.byteCount`): an append beyond it drops the oldest
/// messages, which Raft tolerates as it tolerates any loss. Every item carries a sequence number
/// so the sender can drop exactly what was queued before a connection attempt that failed.
struct PeerQueue {
    struct Item {
        var sequence: UInt64
        var group: RaftGroupID
        var message: Message
        var bytes: Int
    }

    /// Taken by the sender in one go: everything queued, oldest first.
    struct Batch {
        var messages: [(RaftGroupID, Message)]
        var heartbeat: BrokerHeartbeatRequest?
        /// Forwarding frames (requests to the controller and its answers), oldest first.
        var forwards: [InternalRequest] = []
        var isEmpty: Bool { messages.isEmpty && heartbeat == nil && forwards.isEmpty }
    }

    let bytesMax: Int
    /// Items from `head` on are queued; those before it were taken or dropped (compacted lazily so
    /// dropping the oldest stays O(1)).
    private var items: [Item] = []
    private var head = 0
    private(set) var bytes = 0
    private var heartbeat: (sequence: UInt64, request: BrokerHeartbeatRequest)?
    /// Forwarding frames with their sizes; bounded by `forwardsMax` (the oldest go first: the
    /// forwarding node times them out and the client retries).
    private var forwards: [(sequence: UInt64, frame: InternalRequest)] = []
    static let forwardsMax = 1024
    /// The next item's sequence number; never reused.
    private(set) var nextSequence: UInt64 = 0
    /// Messages dropped for space or after a failed connection, for tests and logs.
    private(set) var droppedCount = 0

    init(bytesMax: Int) {
        precondition(bytesMax > 0, "a peer queue needs room")
        self.bytesMax = bytesMax
    }

    var isEmpty: Bool { head == items.count && heartbeat == nil && forwards.isEmpty }

    mutating func append(_ group: RaftGroupID, _ message: Message) {
        let size = message.byteCount
        items.append(Item(sequence: nextSequence, group: group, message: message, bytes: size))
        nextSequence += 1
        bytes += size
        // Always keep the newest message, even one larger than the bound on its own.
        while bytes > bytesMax && items.count - head > 1 { dropOldest() }
    }

    mutating func setHeartbeat(_ request: BrokerHeartbeatRequest) {
        heartbeat = (nextSequence, request)
        nextSequence += 1
    }

    mutating func appendForward(_ frame: InternalRequest) {
        forwards.append((nextSequence, frame))
        nextSequence += 1
        if forwards.count > Self.forwardsMax {
            forwards.removeFirst()
            droppedCount += 1
        }
    }

    /// Everything queued, leaving the queue empty.
    mutating func takeAll() -> Batch {
        let batch = Batch(messages: items[head...].map { ($0.group, $0.message) }, heartbeat: heartbeat?.request,
                          forwards: forwards.map(\.frame))
        forwards.removeAll(keepingCapacity: true)
        items.removeAll(keepingCapacity: items.count < 4096)
        head = 0
        bytes = 0
        heartbeat = nil
        return batch
    }

    /// Drops what was queued before `sequence` (when a connection attempt that began then failed:
    /// the peer was unreachable, and Raft will send afresh what still matters).
    mutating func dropQueued(before sequence: UInt64) {
        while head < items.count && items[head].sequence < sequence { dropOldest() }
        if let pending = heartbeat, pending.sequence < sequence { heartbeat = nil }
        let before = forwards.count
        forwards.removeAll { $0.sequence < sequence }
        droppedCount += before - forwards.count
    }

    private mutating func dropOldest() {
        bytes -= items[head].bytes
        head += 1
        droppedCount += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
    }
}
