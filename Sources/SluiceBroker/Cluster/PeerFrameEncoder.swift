import SluiceCore
import SluiceRaft
import SluiceWire

/// Turns what is queued for one peer into size-prefixed frames ready for its socket: all Raft
/// messages in as few `RaftMessages` frames as fit `frameBytesTarget` (so the heartbeats of every
/// partition two nodes share go out together), then the heartbeat, if any, in its own frame, then
/// each forwarding frame.
struct PeerFrameEncoder {
    let nodeID: NodeID
    let clusterID: String
    /// A frame is closed once its messages' estimated size reaches this; a single larger message
    /// (a snapshot) still goes, alone.
    let frameBytesTarget: Int
    /// Numbers frames for captures; nobody answers them.
    private var correlationID: Int32 = 0

    init(nodeID: NodeID, clusterID: String, frameBytesTarget: Int) {
        self.nodeID = nodeID
        self.clusterID = clusterID
        self.frameBytesTarget = frameBytesTarget
    }

    /// The payloads (header and body, no size prefix) of the frames that carry `batch`.
    mutating func payloads(_ batch: PeerQueue.Batch) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        var pending: [RaftMessagesRequest.RaftMessage] = []
        var pendingBytes = 0
        for (group, message) in batch.messages {
            pending.append(ClusterWire.encode(group, message))
            pendingBytes += message.byteCount
            if pendingBytes >= frameBytesTarget {
                frames.append(frame(.raftMessages(RaftMessagesRequest(fromNode: nodeID.rawValue, clusterId: clusterID, messages: pending))))
                pending.removeAll(keepingCapacity: true)
                pendingBytes = 0
            }
        }
        if !pending.isEmpty {
            frames.append(frame(.raftMessages(RaftMessagesRequest(fromNode: nodeID.rawValue, clusterId: clusterID, messages: pending))))
        }
        if let heartbeat = batch.heartbeat { frames.append(frame(.brokerHeartbeat(heartbeat))) }
        for forward in batch.forwards { frames.append(frame(forward)) }
        return frames
    }

    /// One frame's payload: header and body.
    mutating func frame(_ body: InternalRequest) -> [UInt8] {
        correlationID = correlationID == Int32.max ? 0 : correlationID + 1
        return InternalFrame.encode(body, correlationID: correlationID, clientID: "sluice-node-\(nodeID)")
    }

    /// `payload` behind its int32 size, ready for the socket.
    static func sized(_ payload: [UInt8]) -> [UInt8] {
        var framed: [UInt8] = []
        framed.reserveCapacity(4 + payload.count)
        let size = UInt32(payload.count)
        framed.append(contentsOf: [UInt8(size >> 24), UInt8(size >> 16 & 0xff), UInt8(size >> 8 & 0xff), UInt8(size & 0xff)])
        framed.append(contentsOf: payload)
        return framed
    }
}
